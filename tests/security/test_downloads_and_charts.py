"""Hostile text in the data: names, structures and territories that would be run as formulas by a spreadsheet or read as
markup by Plotly, and a name of 100 000 characters (issue 12, items 1, 2 and 8).

Every download cell is neutralised (a leading ``'``, numbers untouched), Excel stores such text as strings, the
command line's CSV too; every chart receives the text escaped and shortened in its ticks and legends.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from html import unescape
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
import pytest

from dashboard.charts import referrals as referral_charts
from dashboard.charts import workshops as workshop_charts
from dashboard.cli import main
from dashboard.data import Data
from dashboard.disclosure import figures
from dashboard.filters import Filters
from dashboard.safe_text import LABEL_LIMIT, csv_cell, markup_escaped, short_label
from dashboard.ui.downloads import csv_bytes, with_labels, xlsx_bytes
from tests.metrics.fixtures import make_data, make_db

ROOT = Path(__file__).resolve().parents[2]

LONG = "très long " * 10_000
assert len(LONG) == 100_000
WORKSHOPS = {
    "W1": '=HYPERLINK("http://x","y")',
    "W2": '<a href="http://x" target=_blank>clic</a>',
    "W3": '<span style="font-size:40px;color:red">GROS</span>',
    "W4": "-2+3",
    "W5": "@SUM(1+1)",
    "W6": LONG,
    "W7": "\t=1+1",
    "W8": "\r=1+1",
    "W9": "<b>Gras</b> & <i>co</i>",
}
STRUCTURE = "+cmd|' /C calc'!A0"
TERRITORIES = ("<b>Lyon</b>", '@Paris <span style="color:red">x</span>')
MARKUP = ("<a", "<span", "<b>", "<i>", "&amp;lt;")  # raw tags from the data, or an escape escaped twice
FORMULA = ("=", "+", "-", "@", "\t", "\r")
PERSONS = [f"P{i:02d}" for i in range(1, 25)]
YEAR_2024 = Filters(start=date(2024, 1, 1), end=date(2024, 12, 31), by="year")


def _rows() -> dict:
    return {
        "structures": [{"structure_id": "S1", "name": STRUCTURE, "territory": TERRITORIES[0]}],
        "persons": [{"person_id": p, "sex": "F" if i % 2 else "M", "birth_year": 1980, "territory": TERRITORIES[i % 2]}
                    for i, p in enumerate(PERSONS)],
        # 24 referrals in 2024 against 26 in 2023: the overview's change is -2, a number.
        "referrals": [{"person_id": p, "referral_date": "2024-03-02", "source": "CCAS", "decision": "ACCEPTEE",
                       "decision_date": "2024-03-05"} for p in PERSONS]
                     + [{"person_id": p, "referral_date": "2023-03-02", "source": "CCAS"} for p in [*PERSONS, "P25", "P26"]],
        "workshops": [{"workshop_id": w, "name": name, "category": "AUTRE", "facilitator": "INTERNE"}
                      for w, name in WORKSHOPS.items()],
        "sessions": [{"session_id": f"SE{w}", "workshop_id": w, "session_date": "2024-02-01"} for w in WORKSHOPS],
        "attendances": [{"session_id": f"SE{w}", "person_id": p, "presence": "PRESENT"} for w in WORKSHOPS for p in PERSONS],
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return make_data(tmp_path_factory.mktemp("hostile"), **_rows())


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_db(tmp_path_factory.mktemp("hostile-cli") / "parcours.db", **_rows())


def _csv_cells(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content, newline="")))


def _assert_neutralised(cells: list[list[str]]) -> None:
    for row in cells:
        for cell in row:
            if cell.startswith(FORMULA):
                float(cell)  # only a number may start with "-" (or "+"): anything else is a formula
    texts = {cell for row in cells for cell in row}
    for name in (*WORKSHOPS.values(),):
        assert (("'" + name) if name.startswith(FORMULA) else name) in texts


# --- the rule itself ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_formula_starts_get_a_quote(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Lyon", "", " =1", "'=1", "2024-01", "x=1"])
def test_other_text_is_unchanged(value: str) -> None:
    assert csv_cell(value) == value


def test_markup_is_escaped_and_long_labels_shortened() -> None:
    assert markup_escaped('<a href="x">&amp;</a>') == '&lt;a href="x"&gt;&amp;amp;&lt;/a&gt;'
    label = short_label("<" * 100)
    assert unescape(label) == "<" * (LABEL_LIMIT - 1) + "…"
    assert short_label("Lyon") == "Lyon"


# --- downloads of the app ----------------------------------------------------------------------------------------


def test_app_csv_neutralises_every_text_cell_and_keeps_numbers(data: Data) -> None:
    published = figures("workshop-attendance", data, YEAR_2024, published=True)
    frame = with_labels(published.table, "fr", data.labels, data.structures)
    raw = csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    cells = _csv_cells(raw.decode("utf-8-sig"))
    header = cells[0]
    assert {"workshop", "structure_name", "sessions", "persons"} <= set(header)
    _assert_neutralised(cells[1:])
    names = [row[header.index("structure_name")] for row in cells[1:]]
    assert set(names) == {"'" + STRUCTURE}
    persons = {row[header.index("persons")] for row in cells[1:]}
    assert persons == {"24"}

    overview = figures("overview", data, YEAR_2024, published=True)
    cells = _csv_cells(csv_bytes(with_labels(overview.table, "fr", data.labels, data.structures)).decode("utf-8-sig"))
    referrals = next(row for row in cells if row[0] == "referrals")
    assert referrals[2:5] == ["24.0", "26.0", "-2.0"]  # a negative number is a number, not a formula


def test_app_csv_territories(data: Data) -> None:
    published = figures("referrals-by-territory", data, YEAR_2024, published=True)
    cells = _csv_cells(csv_bytes(with_labels(published.table, "fr", data.labels, data.structures)).decode("utf-8-sig"))
    territories = {row[cells[0].index("territory")] for row in cells[1:]}
    assert territories == {TERRITORIES[0], "'" + TERRITORIES[1]}


def test_excel_stores_formula_like_text_as_strings(data: Data) -> None:
    published = figures("workshop-attendance", data, YEAR_2024, published=True)
    content = xlsx_bytes(with_labels(published.table, "fr", data.labels, data.structures), "workshop-attendance")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        for name, cell in zip(header, row, strict=True):
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (name, cell.value)
                seen.add(cell.value)
            if name in ("sessions", "persons"):
                assert cell.data_type == "n"
    assert {WORKSHOPS["W1"], WORKSHOPS["W4"], WORKSHOPS["W5"], STRUCTURE} <= seen  # as written, stored as text
    assert not any(ws_cell.hyperlink for row in sheet.iter_rows() for ws_cell in row)


# --- the command line ----------------------------------------------------------------------------------------------


def test_cli_csv_is_neutralised(db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "PARCOURS_LANG": "fr"}
    done = subprocess.run([sys.executable, "-m", "dashboard", "figures", "workshop-attendance", "--format", "csv",
                           "--from", "2024-01-01", "--to", "2024-12-31", "--by", "year"],
                          cwd=ROOT, env=os.environ | env, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    cells = _csv_cells(done.stdout.decode("utf-8"))  # bytes: a text pipe would turn "\r" into "\n"
    assert "workshop" in cells[0]
    assert len(cells) == 1 + len(WORKSHOPS)  # one line per workshop: a "\r" in a name is quoted, not a new row
    _assert_neutralised(cells[1:])


def test_cli_numbers_stay_numbers(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    out, err = io.StringIO(), io.StringIO()
    assert main(["figures", "overview", "--from", "2024-01-01", "--to", "2024-12-31"], out, err) == 0, err.getvalue()
    assert "referrals,24,26,-2," in out.getvalue().splitlines()


# --- charts --------------------------------------------------------------------------------------------------------


def _builders(data: Data) -> Iterator[tuple[str, Callable[[], go.Figure | None]]]:
    def shown(metric: str, filters: Filters = YEAR_2024):  # noqa: ANN202
        return figures(metric, data, filters, published=False)

    by_month = YEAR_2024.with_(by="month")
    labels = data.labels
    yield "territories", lambda: referral_charts.territories(shown("referrals-by-territory"), "fr")
    yield "referrals_over_time", lambda: referral_charts.referrals_over_time(shown("referrals-by-source", by_month), "fr",
                                                                             labels, "month")
    yield "source_shares", lambda: referral_charts.source_shares(shown("referrals-by-source"), "en", labels)
    yield "by_workshop", lambda: workshop_charts.by_workshop(shown("workshop-attendance"), "fr")
    yield "per_session", lambda: workshop_charts.per_session(shown("workshop-attendance"), "en")
    yield "by_category", lambda: workshop_charts.by_category(shown("workshop-by-category", by_month), "fr", labels, "month")
    yield "cohorts", lambda: workshop_charts.cohort_heatmap(shown("workshop-cohorts", by_month), "fr", "month")
    yield "by_facilitator", lambda: workshop_charts.compare_groups(shown("workshop-by-facilitator"), "facilitator", "fr",
                                                                   labels)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _tick_labels(plain: dict) -> Iterator[str]:
    """What the ticks and the legend show: each axis's ticktext, else its categories; each trace's legend name."""
    layout = plain["layout"]
    for trace in plain["data"]:
        if trace.get("showlegend") is not False and trace.get("name"):
            yield trace["name"]
        for axis in ("x", "y"):
            settings = layout.get(f"{axis}axis", {})
            if "ticktext" not in settings:
                yield from (v for v in trace.get(axis, []) if isinstance(v, str))
    for key, settings in layout.items():
        if key.startswith(("xaxis", "yaxis")):
            yield from settings.get("ticktext", [])


@pytest.mark.parametrize("name", ["territories", "referrals_over_time", "source_shares", "by_workshop", "per_session",
                                  "by_category", "cohorts", "by_facilitator"])
def test_charts_get_data_text_escaped_and_short(data: Data, name: str) -> None:
    build = dict(_builders(data))[name]
    fig = build()
    assert fig is not None
    plain = json.loads(fig.to_json())
    plain["layout"].pop("template", None)
    for text in _strings(plain):
        for tag in MARKUP:
            assert tag not in text, (name, tag, text[:200])
    for label in _tick_labels(plain):
        assert len(unescape(label)) <= LABEL_LIMIT, (name, label[:80])


def test_workshop_bars_escape_names_and_keep_them_whole_in_the_hover(data: Data) -> None:
    fig = workshop_charts.by_workshop(figures("workshop-attendance", data, YEAR_2024, published=False), "fr")
    assert fig is not None
    bars = fig.data[0]
    assert set(bars.y) == {markup_escaped(n) for n in WORKSHOPS.values()}
    assert "%{y}" in bars.hovertemplate  # the hover shows the category: the whole name, escaped
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    assert ticks[markup_escaped(LONG)] == LONG[: LABEL_LIMIT - 1] + "…"
    assert ticks[markup_escaped(WORKSHOPS["W2"])] == markup_escaped(WORKSHOPS["W2"][: LABEL_LIMIT - 1] + "…")
    assert ticks[markup_escaped(WORKSHOPS["W9"])] == "&lt;b&gt;Gras&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;"


def test_territory_bars_escape_names(data: Data) -> None:
    fig = referral_charts.territories(figures("referrals-by-territory", data, YEAR_2024, published=False), "fr")
    assert fig is not None
    assert set(fig.data[0].y) == {"&lt;b&gt;Lyon&lt;/b&gt;", '@Paris &lt;span style="color:red"&gt;x&lt;/span&gt;'}


def test_report_charts_escape_codes_the_list_does_not_know() -> None:
    from dashboard.report import charts as report_charts
    from tests.charts.helpers import protect

    shown = protect([{"period": "2024", "category": "<b>Inconnu</b>" + "x" * 1000, "persons": 40},
                     {"period": "2024", "category": "EXPRESSION", "persons": 30}])
    fig = report_charts.category_bars(shown, {"EXPRESSION": "Expression"}, "Ateliers", "fr")
    assert fig is not None
    assert list(fig.data[0].y) == [short_label("<b>Inconnu</b>" + "x" * 1000), "Expression"]
    assert not any("<b>" in text for text in _strings(json.loads(fig.to_json())))  # to_json writes "<" as \\u003c


def test_generic_figures_of_free_text_shorten_legends_and_ticks() -> None:
    from dashboard.charts.base import finish, with_flags
    from dashboard.charts.trends import Axis, rate_heatmap, rate_lines, stacked_bars
    from tests.charts.helpers import LABELS, protect

    long_name = "<b>" + "x" * 500
    shown = protect([{"period": "2024-01", "territory": t, "referrals": 20, "rate": 0.5}
                     for t in (long_name, TERRITORIES[1])])
    frame = with_flags(shown, ["referrals", "rate"])
    axis = Axis("territory", None)
    figs = [stacked_bars(frame, category=axis, value="referrals", lang="fr", labels=LABELS)[0],
            rate_lines(frame, category=axis, rate="rate", lang="fr", labels=LABELS)[0],
            rate_heatmap(frame, category=axis, value="rate", lang="fr", labels=LABELS, scale_title="%")[0]]
    for spec in figs:
        plain = json.loads(finish(spec, title="t", n="n", lang="fr", k=5, any_suppressed=False).to_json())
        plain["layout"].pop("template", None)
        for trace in plain["data"]:  # the code a click filters on: sent as is, never shown
            if "customdata" in trace and "%{customdata" not in trace.get("hovertemplate", ""):
                trace.pop("customdata")
        assert not any(tag in text for text in _strings(plain) for tag in MARKUP)
        assert all(len(unescape(label)) <= LABEL_LIMIT for label in _tick_labels(plain))
    legends = figs[0].data
    assert [t["name"] for t in legends] == [short_label(long_name), markup_escaped(TERRITORIES[1])]
    assert legends[0]["meta"] == markup_escaped(long_name) and "%{meta}" in legends[0]["hovertemplate"]
