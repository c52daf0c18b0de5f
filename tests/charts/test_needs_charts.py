"""Besoins charts on small hand-written frames."""

from dashboard.charts.needs import distance_travelled, need_lines, needs_heatmap
from tests.charts.helpers import LABELS, protect, subtitle, trace

NBSP = "\u00a0"
NEED = ["period", "domain", "persons_assessed", "persons_in_need", "share_in_need", "mean_level"]


def over_time():
    rows = [
        ("2024-01", "LOGEMENT", 20, 5, 0.25, 3.1),
        ("2024-01", "JUSTICE", 4, 2, 0.5, 2.0),
        ("2024-02", "LOGEMENT", 40, 30, 0.75, 2.0),
    ]
    return protect([dict(zip(NEED, r, strict=True)) for r in rows], {c: [1] for c in NEED[2:4]}, k=11,
                   masked={c: [1] for c in NEED[4:]})


def test_heatmap_domains_as_labels_shares_in_percent_and_hidden_cells_veiled():
    fig = needs_heatmap(over_time(), "fr", LABELS, "month")
    main, veil = fig.data
    assert list(main.y) == ["Logement", "Justice"]
    assert list(main.x) == ["janv. 2024", "févr. 2024"]
    assert [list(r) for r in main.z] == [[25.0, 75.0], [None, None]]
    assert [list(r) for r in veil.text] == [["", ""], ["masqué", ""]]
    assert "n = 20 à 40 personnes évaluées par case" in subtitle(fig)
    assert "« masqué » : moins de 11 personnes derrière le chiffre" in subtitle(fig)


def test_lines_by_kind_one_line_per_kind_in_percent():
    rows = [
        ("2024", "PRATIQUE", 50, 20, 0.4, 2.5),
        ("2024", "STRATEGIQUE", 50, 10, 0.2, 3.0),
        ("2025", "PRATIQUE", 60, 15, 0.25, 2.9),
        ("2025", "STRATEGIQUE", 60, 30, 0.5, 2.4),
    ]
    fig = need_lines(protect([dict(zip(["period", "kind", *NEED[2:]], r, strict=True)) for r in rows]), "kind", "en", LABELS, "year")
    assert list(trace(fig, "Practical needs").y) == [40.0, 25.0]
    assert list(trace(fig, "Strategic needs").y) == [20.0, 50.0]
    assert fig.layout.yaxis.ticksuffix == "%"
    assert "n = 50 to 60 people assessed per group and period" in subtitle(fig)


def test_lines_by_domain_keep_the_six_most_assessed():
    domains = ["ALIMENTATION", "LOGEMENT", "HYGIENE", "DROITS_PAPIERS", "SANTE_PHYSIQUE", "RESSOURCES_BUDGET", "MOBILITE"]
    rows = [dict(zip(NEED, ("2024", d, 100 - i, 10, 0.1, 3.0), strict=True)) for i, d in enumerate(domains)]
    fig = need_lines(protect(rows), "domain", "fr", LABELS, "year")
    assert "Mobilité" not in [t.name for t in fig.data]
    assert len(fig.data) == 6


def test_distance_travelled_diverges_around_zero():
    columns = ["domain", "persons", "improved", "stable", "worsened", "share_improved", "mean_change"]
    rows = [("LOGEMENT", 10, 6, 2, 2, 0.6, 0.8), ("EMPLOI_FORMATION", 20, 5, 10, 5, 0.25, 0.0), ("ADDICTIONS", 12, 8, 1, 3, 0.67, 0.5)]
    shown = protect([dict(zip(columns, r, strict=True)) for r in rows], {"stable": [2], "worsened": [2]})
    fig = distance_travelled(shown, "fr", LABELS)
    improved, worsened = trace(fig, "En progrès"), trace(fig, "En recul")
    stable = [t for t in fig.data if t.name == "Stables"]
    i = list(improved.y).index("Logement")
    assert improved.x[i] == 60.0
    assert worsened.x[i] == -20.0
    assert (stable[0].x[i], stable[1].x[i]) == (-10.0, 10.0)
    j = list(improved.y).index("Addictions")
    assert worsened.x[j] is None
    assert list(trace(fig, "Masqué (< 5)").y) == ["Addictions"]
    assert fig.layout.barmode == "relative"
    assert "n = 10 à 20 personnes par domaine" in subtitle(fig)
