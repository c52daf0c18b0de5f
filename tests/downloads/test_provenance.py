"""The provenance sheet, built by a pure function: every row in French and in English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import polars as pl

from dashboard.provenance import Provenance, provenance_rows, selection_of

SHA = "0123456789abcdef" * 4
PROVENANCE = Provenance(
    what="Sorties (exits)",
    made_at=datetime(2026, 12, 2, 8, 30, tzinfo=timezone(timedelta(hours=1))),  # 07:30 UTC
    selection=selection_of({"from": "2024-01-01", "to": "2024-12-31", "structure": ["S1"], "by": "quarter"}),
    loads=pl.DataFrame({"id": [1, 2], "finished_at": [datetime(2026, 1, 5, 9, 0), datetime(2026, 2, 5, 10, 15)]}),
    files=pl.DataFrame({"load_id": [2, 1], "file_name": ["sorties.csv", "personnes.csv"], "table_name": ["x", "y"],
                        "sha256": [SHA, SHA.upper()], "rows": [12, 300]}),
    definitions_version=2, mode="protected", k=11, k_screen=5,
    notes=(("Note", "valeur"),),
)


def test_french_rows() -> None:
    assert provenance_rows(PROVENANCE, "fr") == [
        ("Contenu", "Sorties (exits)"),
        ("Date de production", "2026-12-02 07:30 UTC"),
        ("Critère : du", "2024-01-01"),
        ("Critère : au", "2024-12-31"),
        ("Critère : structure", "S1"),
        ("Critère : granularité", "quarter"),
        ("Données : dernier chargement", "n° 2 du 2026-02-05 10:15 UTC (2 chargement(s) en tout)"),
        ("Fichier (chargement 1)", f"personnes.csv — table y — 300 lignes — SHA-256 {SHA.upper()}"),
        ("Fichier (chargement 2)", f"sorties.csv — table x — 12 lignes — SHA-256 {SHA}"),
        ("Version des définitions", "2"),
        ("Protection des personnes", "protected : chiffres perturbés (méthode cell-key), seuils appliqués"),
        ("Seuil appliqué", "11 personnes (publication ; 5 à l'écran)"),
        ("Note", "valeur"),
    ]


def test_english_rows_and_no_filter() -> None:
    bare = Provenance(what="Overview (overview)", made_at=datetime(2026, 1, 1, tzinfo=UTC), selection=(),
                      loads=PROVENANCE.loads.clear(), files=PROVENANCE.files.clear(), definitions_version=3,
                      mode="exact", k=11, k_screen=5)
    assert provenance_rows(bare, "en") == [
        ("Content", "Overview (overview)"),
        ("Made on", "2026-01-01 00:00 UTC"),
        ("Selection", "No filter (all the data)"),
        ("Data: last load", "no load recorded"),
        ("Definitions version", "3"),
        ("Disclosure mode", "exact: figures not perturbed (data stewards only), thresholds applied"),
        ("Threshold applied", "11 persons (published; 5 on screen)"),
    ]
