"""The definitions users read: complete, bilingual, in step with the metrics and with docs/metrics.md."""

import re
from pathlib import Path

import pytest

from dashboard import definitions
from dashboard.definitions import CHANGELOG, DEFINITIONS, DISCLOSURE_RULES, TITLES, VERSION, disclosure_rules, render_document
from dashboard.disclosure_rules import SPECS
from dashboard.metrics import METRICS
from dashboard.metrics.exits import EXITS, EXITS_BY_EMPLOYMENT, EXITS_BY_HOUSING
from dashboard.metrics.needs import DISTANCE_TRAVELLED, NEEDS_BY_KIND, NEEDS_BY_PILLAR, NEEDS_OVER_TIME
from dashboard.metrics.overview import FIGURES
from dashboard.metrics.referrals import REFERRALS_BY_SOURCE, REFERRALS_BY_TERRITORY
from dashboard.metrics.workshops import ATTENDANCE, BY_CATEGORY, BY_CO_CONSTRUCTION, BY_FACILITATOR, COHORTS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"

# Columns that name a row rather than a figure: read in the conventions, not each definition.
ROW_NAMES = {"period", "source", "domain", "kind", "pillar", "territory", "program", "structure_id", "cohort", "offset",
             "destination", "situation", "category", "facilitator", "co_constructed", "figure", "value", "previous", "change"}

COLUMNS = {
    "overview": list(FIGURES),
    "referrals-by-source": REFERRALS_BY_SOURCE,
    "referrals-by-territory": REFERRALS_BY_TERRITORY,
    "needs-over-time": NEEDS_OVER_TIME,
    "needs-by-kind": NEEDS_BY_KIND,
    "needs-by-pillar": NEEDS_BY_PILLAR,
    "distance-travelled": DISTANCE_TRAVELLED,
    "workshop-cohorts": COHORTS,
    "workshop-attendance": ATTENDANCE,
    "workshop-by-category": BY_CATEGORY,
    "workshop-by-facilitator": BY_FACILITATOR,
    "workshop-by-co-construction": BY_CO_CONSTRUCTION,
    "exits": EXITS,
    "exits-by-housing": EXITS_BY_HOUSING,
    "exits-by-employment": EXITS_BY_EMPLOYMENT,
}


def test_every_metric_is_defined_in_both_languages() -> None:
    assert set(METRICS) <= set(DEFINITIONS)
    assert set(DEFINITIONS) == set(SPECS) == set(TITLES) == set(COLUMNS)
    for metric, texts in DEFINITIONS.items():
        assert set(texts) == {"fr", "en"}, metric
        assert texts["fr"] != texts["en"] and len(texts["fr"]) > 80 and len(texts["en"]) > 80, metric


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
    assert "k vaut par défaut 5 à l'écran" in DISCLOSURE_RULES["fr"] and " 11 dans tout ce qui sort" in DISCLOSURE_RULES["fr"]
    assert "k is by default 5 on screen" in DISCLOSURE_RULES["en"]
    monkeypatch.setenv("PARCOURS_MIN_CELL", "7")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "15")
    assert disclosure_rules("fr").endswith("Seuils en vigueur : k = 7 à l'écran, 15 pour ce qui est publié.")
    assert disclosure_rules("en").endswith("Thresholds in force: k = 7 on screen, 15 for anything published.")


def test_changelog() -> None:
    assert CHANGELOG[0] == ("1", "2026-11-21", {"fr": "Définitions initiales.", "en": "Initial definitions."})
    assert CHANGELOG[-1][0] == str(VERSION)
    assert [entry[1] for entry in CHANGELOG] == sorted(entry[1] for entry in CHANGELOG)


def test_docs_are_generated_from_the_module() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_document(), (
        "docs/metrics.md is stale: python -m dashboard.definitions > docs/metrics.md"
    )
    for lang in ("fr", "en"):
        assert DEFINITIONS["exits"][lang] in DOCS.read_text(encoding="utf-8")
    assert definitions.__doc__ and "docs/metrics.md" in definitions.__doc__
