"""The report's content: the stability rule, periods, words, the k threshold, avoided costs (no PDF here)."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pytest

from dashboard.filters import Filters
from dashboard.formatting import NBSP, THIN
from dashboard.report.content import Span, build_report, date_words, default_compare, parse_period, range_words, verdict
from dashboard.report.costs import CostsFileError, avoided_costs, euros, load_unit_costs, significant
from dashboard.report.pdf import french_spaces

YEAR_2025 = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
COUNT_HEADINGS = {"Orientations", "Sorties", "Personnes", "Évaluées", "En besoin", "Améliorées", "Dégradées", "Taille",
                  "Présences", "Effectif publié"}


def test_parse_period() -> None:
    assert parse_period("2025") == Span(date(2025, 1, 1), date(2025, 12, 31))
    assert parse_period("2025-Q2") == Span(date(2025, 4, 1), date(2025, 6, 30))
    assert parse_period("2024-02") == Span(date(2024, 2, 1), date(2024, 2, 29))
    for bad in ("2025-13", "25", "2025-Q5", "2025-1"):
        with pytest.raises(ValueError):
            parse_period(bad)
    assert default_compare(parse_period("2025-Q1")) == Span(date(2024, 10, 1), date(2024, 12, 31))


def test_dates_in_words() -> None:
    assert date_words(date(2025, 1, 1), "fr") == f"1er{NBSP}janvier 2025"
    assert date_words(date(2025, 3, 31), "en") == f"31{NBSP}March 2025"
    assert range_words(date(2025, 1, 1), date(2025, 12, 31), "fr") == f"du 1er{NBSP}janvier au 31{NBSP}décembre 2025"
    assert range_words(date(2024, 10, 1), date(2025, 3, 31), "fr") == f"du 1er{NBSP}octobre 2024 au 31{NBSP}mars 2025"


def test_french_spaces() -> None:
    assert french_spaces("Taux : 12 % ; « oui » ?") == f"Taux{NBSP}: 12{NBSP}%\u202f; «{NBSP}oui{NBSP}»\u202f?"


def test_verdict_counts() -> None:
    # |change| <= 2 sqrt(2V + v + p): 1 234 vs 1 000 with V = 0 -> bound 2 sqrt(2 234) = 94.5
    assert verdict(1234, 1000, is_rate=False) == "up"
    assert verdict(1040, 1000, is_rate=False) == "stable"
    assert 2 * math.sqrt(2 * 1.5 + 128 + 100) >= 28  # 30.4: stable
    assert verdict(128, 100, is_rate=False, variance=1.5) == "stable"
    assert 2 * math.sqrt(2 * 1.5 + 140 + 100) < 40  # 31.2: up
    assert verdict(140, 100, is_rate=False, variance=1.5) == "up"
    assert verdict(100, 150, is_rate=False) == "down"
    assert verdict(None, 10, is_rate=False) == "hidden"
    assert verdict(20, 0, is_rate=False) == "new"


def test_verdict_rates() -> None:
    # se = sqrt(.3*.7/100 + .2*.8/100) = 0.0608: 2 se = 0.12
    assert verdict(0.30, 0.20, is_rate=True, n=100, n_previous=100) == "stable"
    assert verdict(0.34, 0.20, is_rate=True, n=100, n_previous=100) == "up"
    assert verdict(0.30, 0.20, is_rate=True, n=2000, n_previous=2000) == "up"
    assert verdict(0.21, 0.20, is_rate=True, n=10**6, n_previous=10**6) == "stable"  # one point: rounding
    assert verdict(0.30, None, is_rate=True, n=100) == "hidden"


def test_key_figures_exact(report_data, clean_env) -> None:  # noqa: ANN001
    report = build_report(report_data, YEAR_2025, None, "fr")
    figures = {x.figure: x for x in report.key_figures}
    referrals = figures["referrals"]
    assert (referrals.value, referrals.previous, referrals.change) == (1234, 1000, 234)
    assert referrals.text_value == f"1{THIN}234" and referrals.text_change == "+234"
    assert referrals.text_change_percent == f"+23,4{NBSP}%"
    assert referrals.verdict == "up"
    assert len(referrals.series) == 12 and sum(v or 0 for v in referrals.series) == 1234
    assert figures["exits"].text_value == "12"
    assert figures["housing_positive_rate"].verdict == "hidden"  # 6 exits to housing: under k = 11
    assert report.period == f"du 1er{NBSP}janvier au 31{NBSP}décembre 2025"
    assert "2024" in report.compared_with
    assert report.structures.startswith("Ensemble du réseau")
    assert report.footer.load_number == 1 and report.footer.definitions_version >= 1
    assert "chargement n°" in report.footer.text and "5 janvier 2026" in report.footer.text.replace(NBSP, " ")
    assert any("2·√(2·V\u00a0+\u00a0v\u00a0+\u00a0p)" in note for note in report.notes)
    assert any("\u2060|\u2060v\u00a0−\u00a0p\u2060|\u2060" in note for note in report.notes)  # never broken across lines


def _cells(report) -> list[tuple[str, str]]:  # noqa: ANN001
    out = [(x.label, x.text_value) for x in report.key_figures if not x.is_rate]
    out += [(x.label, x.text_previous) for x in report.key_figures if not x.is_rate]
    for section in report.sections:
        for _, headings, rows in section.tables:
            for row in rows:
                out += [(h, c) for h, c in zip(headings, row, strict=True) if h in COUNT_HEADINGS]
    if report.costs:
        out += [("cost", line.count_text) for line in report.costs.lines]
    return out


@pytest.mark.parametrize("mode", ["exact", "protected"])
def test_no_count_under_k(report_data, clean_env, monkeypatch, mode) -> None:  # noqa: ANN001
    monkeypatch.setenv("PARCOURS_DISCLOSURE", mode)
    report = build_report(report_data, YEAR_2025, None, "fr")
    assert report.k == 11
    cells = _cells(report)
    assert cells
    for heading, text in cells:
        digits = text.replace(THIN, "").replace(NBSP, " ")
        if re.fullmatch(r"\d+", digits):
            assert int(digits) == 0 or int(digits) >= 11, (heading, text)
    assert any(text.startswith("<") for _, text in cells)  # the hidden 6 exits to housing read "< 11"


def test_avoided_costs_by_hand() -> None:
    costs = avoided_costs({"housing_exit": (20.0, "20"), "employment_exit": (None, "< 11")}, "fr", 11)
    assert len(costs.lines) == 1
    line = costs.lines[0]
    assert (line.low, line.high) == (20 * 5_400, 20 * 18_000) == (108_000, 360_000)
    assert (costs.low, costs.high) == (108_000, 360_000)
    assert costs.text_range == f"entre 110{THIN}000{NBSP}€ et 360{THIN}000{NBSP}€"
    assert any("laissée de côté" in a and "emploi" in a for a in costs.assumptions)
    assert "RSA" not in " ".join(x.source for x in costs.lines)  # the hidden line's source is not shown as used
    both = avoided_costs({"housing_exit": (100.0, "100"), "employment_exit": (50.0, "50")}, "en", 11)
    assert (both.low, both.high) == (100 * 5_400 + 50 * 3_800, 100 * 18_000 + 50 * 7_800) == (730_000, 2_190_000)
    assert both.text_range == "between €730,000 and €2.2 million"
    assert significant(2_190_000) == 2_200_000 and euros(1_520_600, "fr") == f"1,5{NBSP}million d'euros"


def test_unit_costs_file(tmp_path: Path) -> None:
    toml = tmp_path / "costs.toml"
    toml.write_text('[housing_exit]\nlow = 1000\nhigh = 2000\nsource = "Our board\'s own figure"\n', encoding="utf-8")
    costs, name = load_unit_costs(toml)
    assert name == "costs.toml" and (costs["housing_exit"].low, costs["housing_exit"].high) == (1000, 2000)
    assert costs["employment_exit"].low == 3_800  # untouched default
    result = avoided_costs({"housing_exit": (30.0, "30"), "employment_exit": (None, "< 11")}, "en", 11, costs, name)
    assert (result.low, result.high) == (30_000, 60_000)
    assert result.lines[0].source == "Our board's own figure"
    assert any("costs.toml" in a for a in result.assumptions)
    js = tmp_path / "costs.json"
    js.write_text('{"employment_exit": {"low": 10, "high": 5}}', encoding="utf-8")
    with pytest.raises(CostsFileError):
        load_unit_costs(js)
    js.write_text('{"unknown": {"low": 1}}', encoding="utf-8")
    with pytest.raises(CostsFileError):
        load_unit_costs(js)
