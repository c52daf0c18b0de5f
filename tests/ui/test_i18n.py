"""Strings in both languages, code labels from the code_labels table."""

import re
from pathlib import Path
from string import Formatter

import polars as pl
import pytest

from dashboard.filters import GRANULARITIES
from dashboard.i18n import all_strings, code_label, label_codes, label_column, label_map, lang_of, t
from dashboard.metrics.overview import FIGURES
from dashboard.ui.context import PAGE_KEYS
from dashboard.ui.filterbar import _LIST_FIELDS
from dashboard.ui.inventory import OTHER, TABLES, WARNING_KINDS

ROOT = Path(__file__).resolve().parents[2]

LABELS = pl.DataFrame({
    "code_list": ["SOURCE", "SOURCE", "DISPOSITIF", "AGE_BAND"],
    "code": ["SPIP", "SIAO", "SOINS", "MOINS_26"],
    "label_fr": ["SPIP (probation)", "SIAO / 115", "Soins", "Moins de 26 ans"],
    "label_en": ["Probation service (SPIP)", "Housing helpline (SIAO / 115)", "Care", "Under 26"],
    "position": [0, 1, 0, 0],
})


def test_t_picks_the_language_and_fills_placeholders():
    assert t("guard.too_small", "fr", k=5) == "La sélection est trop petite pour afficher des chiffres (moins de 5 personnes)."
    assert t("guard.too_small", "en", k=11) == "The selection is too small to show any figures (fewer than 11 persons)."
    assert t("page.overview", "de") == "Vue d'ensemble"  # unknown language: French
    with pytest.raises(KeyError):
        t("no.such.key", "fr")


def test_lang_of():
    assert lang_of("en") == "en"
    assert lang_of("EN-gb") == "en"
    assert lang_of("fr") == "fr"
    assert lang_of(None) == "fr"
    assert lang_of("xx") == "fr"


def test_code_label():
    assert code_label("SOURCE", "SIAO", "fr", LABELS) == "SIAO / 115"
    assert code_label("SOURCE", "SIAO", "en", LABELS) == "Housing helpline (SIAO / 115)"
    assert code_label("SOURCE", "NOPE", "fr", LABELS) == "Non renseigné"
    assert code_label("SOURCE", None, "en", LABELS) == "Not recorded"
    assert code_label("SOURCE", "TOTAL", "fr", LABELS) == "Total"


def test_label_map_is_in_display_order_per_frame_and_language():
    assert label_map("SOURCE", "fr", LABELS) == {"SPIP": "SPIP (probation)", "SIAO": "SIAO / 115"}
    assert list(label_map("SOURCE", "en", LABELS).values()) == ["Probation service (SPIP)", "Housing helpline (SIAO / 115)"]
    first = label_map("SOURCE", "fr", LABELS)
    first["SPIP"] = "changed by a caller"
    assert label_map("SOURCE", "fr", LABELS)["SPIP"] == "SPIP (probation)"  # remembered maps are not shared out
    # A new labels frame (a new load) gets its own maps, even when Python reuses the old one's id.
    for position in range(3):
        renamed = LABELS.with_columns(pl.col("label_fr") + f" v{position}",
                                      pl.when(pl.col("code") == "SIAO").then(-1).otherwise(pl.col("position")).alias("position"))
        assert list(label_map("SOURCE", "fr", renamed).items()) == [("SIAO", f"SIAO / 115 v{position}"),
                                                                   ("SPIP", f"SPIP (probation) v{position}")]
        del renamed


def test_label_column_keeps_order_and_other_columns():
    frame = pl.DataFrame({"period": ["2024", "2024", "2024", "2024"], "source": ["SPIP", "TOTAL", None, "SIAO"], "n": [1, 2, 3, 4]})
    out = label_column(frame, "source", "SOURCE", "fr", LABELS)
    assert out.columns == ["period", "source", "n"]
    assert out["source"].to_list() == ["SPIP (probation)", "Total", "Non renseigné", "SIAO / 115"]
    assert out["n"].to_list() == [1, 2, 3, 4]


def test_label_codes_labels_known_columns_structures_and_booleans():
    frame = pl.DataFrame({"structure_id": ["S1", "S9"], "program": ["SOINS", "SOINS"], "co_constructed": [True, None]})
    structures = pl.DataFrame({"structure_id": ["S1"], "name": ["Foyer Les Tilleuls"]})
    out = label_codes(frame, "en", LABELS, structures)
    assert out.to_dicts() == [
        {"structure_id": "Foyer Les Tilleuls", "program": "Care", "co_constructed": "Yes"},
        {"structure_id": "S9", "program": "Care", "co_constructed": "Not recorded"},
    ]


def test_every_string_has_both_languages_and_the_same_placeholders():
    for key, (fr, en) in all_strings().items():
        assert fr.strip() and en.strip(), key
        names_fr = {name for _, name, _, _ in Formatter().parse(fr) if name}
        names_en = {name for _, name, _, _ in Formatter().parse(en) if name}
        assert names_fr == names_en, key


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*ROOT.glob("dashboard/**/*.py"), *ROOT.glob("pages/*.py")]:
        keys |= set(re.findall(r"\bt\(\s*\"([^\"{}]+)\"", path.read_text(encoding="utf-8")))
    return keys


def _dynamic_keys() -> set[str]:
    """Keys built with f-strings in the shell, enumerated from what they range over."""
    return (
        {f"page.{key}" for key in PAGE_KEYS}
        | {f"filters.by.{g}" for g in GRANULARITIES}
        | {f"filters.{field}" for field in _LIST_FIELDS}
        | {f"figure.{f}" for f in FIGURES}
        | {f"figure.help.{f}" for f in FIGURES}
        | {f"data.t.{name}" for name in TABLES}
        | {f"data.warn.kind.{kind}" for kind in (*WARNING_KINDS, OTHER)}
    )


def test_every_key_used_exists_in_both_languages():
    used = _used_keys() | _dynamic_keys()
    assert len(used) > 60  # the scan found the calls
    missing = sorted(key for key in used if key not in all_strings())
    assert missing == []
