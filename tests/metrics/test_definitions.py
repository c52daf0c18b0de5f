"""The definitions users read: complete, bilingual, in step with the metrics and with docs/metrics.md."""

import re
from pathlib import Path

import pytest

from dashboard import definitions
from dashboard.catalogue import CATALOGUE
from dashboard.definitions import (
    CHANGELOG,
    CONVENTIONS,
    DEFINITIONS,
    DISCLOSURE_RULES,
    TITLES,
    VERSION,
    disclosure_rules,
    render_document,
)
from dashboard.metrics.cohorts import NEEDS as COHORT_NEEDS
from dashboard.metrics.cohorts import OUTCOMES as COHORT_OUTCOMES
from dashboard.metrics.exits import EXITS, EXITS_BY_EMPLOYMENT, EXITS_BY_HOUSING
from dashboard.metrics.needs import DISTANCE_TRAVELLED, NEEDS_BY_KIND, NEEDS_BY_PILLAR, NEEDS_OVER_TIME
from dashboard.metrics.overview import FIGURES
from dashboard.metrics.referrals import REFERRALS_BY_SOURCE, REFERRALS_BY_TERRITORY
from dashboard.metrics.time_to_exit import TIME_TO_EXIT
from dashboard.metrics.workshops import (
    ATTENDANCE,
    BY_CATEGORY,
    BY_CO_CONSTRUCTION,
    BY_FACILITATOR,
    COHORTS,
    RETENTION,
    RETENTION_BY_CATEGORY,
)
from dashboard.perturbation import build_ptable, exact_share_bound
from models.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def flat(text: str) -> str:
    """The text as a reader sees it rendered: line breaks and runs of spaces are one space."""
    return " ".join(text.split())

# Columns that name a row rather than a figure: read in the conventions, not each definition.
ROW_NAMES = {"period", "source", "domain", "kind", "pillar", "territory", "program", "structure_id", "cohort", "offset",
             "destination", "situation", "category", "facilitator", "co_constructed", "figure", "value", "previous", "change",
             "indicator", "quarter"}

COLUMNS = {
    "overview": list(FIGURES),
    "referrals-by-source": REFERRALS_BY_SOURCE,
    "referrals-by-territory": REFERRALS_BY_TERRITORY,
    "needs-over-time": NEEDS_OVER_TIME,
    "needs-by-kind": NEEDS_BY_KIND,
    "needs-by-pillar": NEEDS_BY_PILLAR,
    "distance-travelled": DISTANCE_TRAVELLED,
    "workshop-cohorts": COHORTS,
    "workshop-retention": RETENTION,
    "workshop-retention-by-category": RETENTION_BY_CATEGORY,
    "workshop-attendance": ATTENDANCE,
    "workshop-by-category": BY_CATEGORY,
    "workshop-by-facilitator": BY_FACILITATOR,
    "workshop-by-co-construction": BY_CO_CONSTRUCTION,
    "exits": EXITS,
    "exits-by-housing": EXITS_BY_HOUSING,
    "exits-by-employment": EXITS_BY_EMPLOYMENT,
    "time-to-exit": TIME_TO_EXIT,
    "cohort-outcomes": COHORT_OUTCOMES,
    "cohort-needs": COHORT_NEEDS,
}


def test_every_metric_is_defined_in_both_languages() -> None:
    assert list(DEFINITIONS) == list(TITLES) == list(CATALOGUE)
    assert set(CATALOGUE) == set(COLUMNS)
    for metric, texts in DEFINITIONS.items():
        assert set(texts) == {"fr", "en"}, metric
        assert texts["fr"] != texts["en"] and len(texts["fr"]) > 80 and len(texts["en"]) > 80, metric


@pytest.mark.parametrize("metric", sorted(COLUMNS))
def test_each_declaration_matches_what_its_metric_computes(metric: str) -> None:
    """The declared columns, in order, are the metric's public columns; every helper a rule reads is declared."""
    figure = CATALOGUE[metric]
    computed = [c for c in COLUMNS[metric] if not c.startswith("_")]
    if metric == "overview":  # rows are figures; disclosure control adds the n beside a rate
        assert figure.public_columns == ["figure", "value", "previous", "change", "n"]
        return
    assert figure.public_columns == computed
    spec = figure.spec
    for name, rate in spec.rates.items():
        assert {rate.numerator, *rate.denominators} <= set(COLUMNS[metric]), name
    for name, count in spec.medians.items():
        assert count in COLUMNS[metric], name
    for count in spec.persons + spec.events:
        assert f"_ck_{count}" in COLUMNS[metric], (metric, count)  # every count carries its cell key
    for count in spec.events:
        assert {f"_pn_{count}", f"_pk_{count}"} <= set(COLUMNS[metric]), (metric, count)


@pytest.mark.parametrize("metric", sorted(COLUMNS))
def test_each_figure_column_is_explained(metric: str) -> None:
    figures = [c for c in COLUMNS[metric] if not c.startswith("_") and c not in ROW_NAMES]
    assert figures, metric
    for lang in ("fr", "en"):
        named = set(re.findall(r"`([a-z_]+)`", DEFINITIONS[metric][lang]))
        assert set(figures) <= named, (metric, lang, set(figures) - named)


def test_caveats_users_must_not_miss() -> None:
    assert "une destination inconnue ou non renseignée reste au dénominateur" in DEFINITIONS["exits"]["fr"]
    assert "unknown or missing destination stays in the denominator" in DEFINITIONS["exits"]["en"]
    assert "pas de zéro pour l'avenir" in DEFINITIONS["workshop-cohorts"]["fr"]
    assert "absents et excusés compris" in DEFINITIONS["workshop-attendance"]["fr"]


def test_disclosure_rules_state_defaults_and_current_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    fr, en = flat(DISCLOSURE_RULES["fr"]), flat(DISCLOSURE_RULES["en"])
    assert "k vaut par défaut 5 à l'écran" in fr and " 11 dans tout ce qui sort" in fr
    assert "k is by default 5 on screen" in en
    monkeypatch.setenv("PARCOURS_MIN_CELL", "7")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "15")
    assert disclosure_rules("fr").endswith("Seuils en vigueur : k = 7 à l'écran, 15 pour ce qui est publié. "
                                           "Perturbation en vigueur : D = 3, V = 1,5.")
    assert disclosure_rules("en").endswith("Thresholds in force: k = 7 on screen, 15 for anything published. "
                                           "Perturbation in force: D = 3, V = 1.5.")


def test_disclosure_rules_state_the_perturbation_in_force(monkeypatch: pytest.MonkeyPatch) -> None:
    # The mode itself is said by the page above the rules (tests/ui/test_app.py).
    monkeypatch.setenv("PARCOURS_CKM_MAX", "4")
    monkeypatch.setenv("PARCOURS_CKM_VARIANCE", "2")
    assert disclosure_rules("en").endswith("Perturbation in force: D = 4, V = 2.0.")
    monkeypatch.setenv("PARCOURS_CKM_MAX", "1")
    assert disclosure_rules("en").endswith("PARCOURS_CKM_MAX must be a whole number from 3 to 20 (read 1)")  # not a traceback


def test_disclosure_rules_describe_version_2_not_version_1() -> None:
    fr, en = flat(DISCLOSURE_RULES["fr"]), flat(DISCLOSURE_RULES["en"])
    # The perturbation, where it comes from, and that the same records always get the same noise.
    assert "Des chiffres légèrement perturbés." in fr and "méthode des clés de cellule" in fr
    assert "Figures slightly perturbed." in en and "cell-key method" in en
    for text in (fr, en):
        assert "ABS" in text and "ONS" in text and "`PARCOURS_CKM_MAX`" in text and "`PARCOURS_CKM_VARIANCE`" in text
        assert "`PARCOURS_SECRET`" in text and "`PARCOURS_SECRET_FILE`" in text and "`PARCOURS_DISCLOSURE=exact`" in text
        assert "python -m etl status --warnings" in text
    assert "Les mêmes enregistrements reçoivent donc toujours le même bruit" in fr
    assert "The same records therefore always get the same noise" in en
    # Additivity is lost, said once and plainly.
    assert fr.count("Un total n'est plus la somme de ses parties.") == 1
    assert en.count("A total is no longer the sum of its parts.") == 1
    # Readings of hidden cells, events, sensitive groups, periods, cohorts.
    assert "« < k »" in fr and "« masqué »" in fr and '"< k"' in en and '"hidden"' in en
    assert "`SPIP`, `SANTE`" in fr and "`JUSTICE`, `ADDICTIONS`" in en
    # A selection by source is sensitive when it keeps a sensitive source or leaves out only sensitive ones
    # (dashboard.disclosure.sensitive_selection).
    assert "retient une source sensible ou n'écarte que des sources sensibles" in fr
    assert "keeps a sensitive source or leaves out only sensitive ones" in en
    # Nothing of version 1 is left.
    for gone in ("secondaire", "Différences", "comparé au même tableau sans"):
        assert gone not in fr
    for gone in ("Secondary suppression", "Differences", "compared with the same table without"):
        assert gone not in en


def test_disclosure_rules_show_the_p_table_and_the_bound() -> None:
    table = build_ptable(int(DEFAULTS["PARCOURS_CKM_MAX"]), float(DEFAULTS["PARCOURS_CKM_VARIANCE"]))
    rows = [line for line in DISCLOSURE_RULES["en"].splitlines() if re.match(r"^\| \d", line)]
    assert len(rows) == len(table.probabilities)
    for value, (line, probs) in enumerate(zip(rows, table.probabilities, strict=True)):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[0] in (str(value), f"{value}+")
        shown = [float(c) / 100 if c else 0.0 for c in cells[1:]]
        assert shown == pytest.approx(list(probs), abs=0.0006), value
    for k, published in ((5, "on screen (k = 5)"), (11, "for anything published (k = 11)")):
        assert f"{round(100 * exact_share_bound(k, table))}% {published}" in flat(DISCLOSURE_RULES["en"])
    assert "43 % à l'écran (k = 5), 23 % pour ce qui est publié (k = 11)" in flat(DISCLOSURE_RULES["fr"])
    assert "D = 3" in DISCLOSURE_RULES["fr"] and "V = 1,5" in DISCLOSURE_RULES["fr"] and "V = 1.5" in DISCLOSURE_RULES["en"]


def test_rounding_and_the_overview_n_are_defined() -> None:
    assert "pour cent entier" in CONVENTIONS["fr"] and "whole percent" in CONVENTIONS["en"]
    assert "médianes en jours entiers" in flat(CONVENTIONS["fr"]) and "medians in whole days" in flat(CONVENTIONS["en"])
    for lang in ("fr", "en"):
        assert "`n`" in DEFINITIONS["overview"][lang]
        assert "2 décimales" not in DEFINITIONS["needs-over-time"][lang] and "2 decimals" not in DEFINITIONS["needs-over-time"][lang]


def test_changelog() -> None:
    assert CHANGELOG[0] == ("1", "2026-11-21", {"fr": "Définitions initiales.", "en": "Initial definitions."})
    assert CHANGELOG[-1][0] == str(VERSION) == "2"
    assert "légèrement perturbés" in CHANGELOG[-1][2]["fr"] and "slightly perturbed" in CHANGELOG[-1][2]["en"]
    assert [entry[1] for entry in CHANGELOG] == sorted(entry[1] for entry in CHANGELOG)


def test_docs_are_generated_from_the_module() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_document(), (
        "docs/metrics.md is stale: python -m dashboard.definitions > docs/metrics.md"
    )
    for lang in ("fr", "en"):
        assert DEFINITIONS["exits"][lang] in DOCS.read_text(encoding="utf-8")
    assert definitions.__doc__ and "docs/metrics.md" in definitions.__doc__
