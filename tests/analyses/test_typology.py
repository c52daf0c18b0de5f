"""Typologies of needs at entry: encoding, merging and naming by hand; determinism and stability on the demo."""

import numpy as np
import polars as pl
import pytest

from dashboard.analyses.typology import MIN_DOMAINS, Typology, compute_typology, encode, merged, name_type
from dashboard.analyses.typology_tables import typology_tables
from models.reference import DEFAULT_DOMAIN_READINGS


def test_encoding_fills_a_missing_domain_with_the_persons_own_mean_need():
    levels = pl.DataFrame({"pid": [1, 1, 1, 2, 2, 2, 2, 3], "domain": ["A", "B", "C", "A", "B", "C", "D", "A"],
                           "level": [1, 5, 3, 5, 5, 5, 1, 2]}, schema={"pid": pl.UInt32, "domain": pl.String, "level": pl.Int64})
    pids, needs = encode(levels, ["A", "B", "C", "D"])
    assert pids.tolist() == [1, 2]  # person 3: one domain, under MIN_DOMAINS
    assert MIN_DOMAINS == 3
    # Person 1: needs 1, 0, 0.5 (mean 0.5) and D missing -> 0.5. Person 2: 0, 0, 0, 1.
    assert needs.tolist() == [[1.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.0, 1.0]]


def _typology(types: list[int], needs: list[list[float]]) -> Typology:
    n = len(types)
    return Typology(k=max(types) + 1, silhouettes={}, stability=(), domains=("A", "B"), pids=np.arange(n, dtype=np.uint32),
                    keys=np.arange(n), types=np.array(types), needs=np.array(needs), levels=pl.DataFrame())


def test_small_types_are_merged_into_the_nearest():
    # Type 0: 6 persons around (1, 0); type 1: 5 around (0, 1); type 2: 2 persons at (0.9, 0.1), nearest type 0.
    result = _typology([0] * 6 + [1] * 5 + [2] * 2, [[1, 0]] * 6 + [[0, 1]] * 5 + [[0.9, 0.1]] * 2)
    assert merged(result, 5).tolist() == [0] * 6 + [1] * 5 + [0] * 2
    assert merged(result, 2).tolist() == [0] * 6 + [1] * 5 + [2] * 2
    assert (merged(result, 14) == -1).all()  # 13 persons in all: nothing to show
    assert merged(result, 8).tolist() == [0] * 13  # merged until one type is left


def test_names_say_the_dominant_needs_in_words(effect_data):
    domains = ("LOGEMENT", "DROITS_PAPIERS", "ESTIME_DE_SOI")
    kinds = {d: DEFAULT_DOMAIN_READINGS[d][0] for d in domains}
    overall = np.array([0.5, 0.5, 0.5])
    practical = np.array([0.9, 0.8, 0.4])
    assert name_type(practical, overall, domains, kinds, "fr", effect_data.labels) == \
        "Urgences pratiques : logement + droits et papiers"
    assert name_type(practical, overall, domains, kinds, "en", effect_data.labels) == \
        "Practical emergencies: housing + rights and papers"
    few = np.array([0.1, 0.3, 0.2])
    assert name_type(few, overall, domains, kinds, "fr", effect_data.labels) == \
        "Moins de besoins, surtout droits et papiers + estime de soi"


@pytest.fixture(scope="module")
def demo_typology(effect_data):
    return compute_typology(effect_data)


def test_deterministic_for_a_seed(effect_data, demo_typology):
    again = compute_typology(effect_data)
    assert again.k == demo_typology.k and (again.types == demo_typology.types).all()
    assert again.silhouettes == demo_typology.silhouettes and again.stability == demo_typology.stability


def test_k_by_silhouette_and_stability_figures(demo_typology):
    result = demo_typology
    assert sorted(result.silhouettes) == [2, 3, 4, 5, 6]
    assert result.k == max(result.silhouettes, key=result.silhouettes.__getitem__)
    assert len(result.stability) == 8 and min(result.stability) > 0.9  # measured: 0.98 to 1.0 on M
    assert len(result.pids) > 8000


def test_demo_types_sizes_names_and_evolution(effect_data, demo_typology):
    """The types of the demo (M, seed 42): two, the more vulnerable the larger (docs/analyses.md)."""
    tables = typology_tables(demo_typology, effect_data, None, None, "fr", 5, 11, True)
    sizes = tables["sizes"]
    assert sizes["type"].to_list() == [1, 2]
    assert sizes["persons"].sum() == len(demo_typology.pids)
    assert sizes["name"].to_list() == ["Besoins mêlés : logement + estime de soi",
                                       "Moins de besoins, surtout ressources et budget + emploi et formation"]
    profile = tables["profile"].filter(pl.col("domain") == "ESTIME_DE_SOI")
    assert profile["mean_level"][0] < profile["mean_level"][1]  # type 1 has the larger needs
    evolution = tables["evolution"]
    assert evolution["regular_share"][0] < evolution["regular_share"][1]  # the less vulnerable attend more
    protected = typology_tables(demo_typology, effect_data, None, None, "en", 5, 11, False)["sizes"]
    assert (protected["persons"] - sizes["persons"]).abs().max() <= 3
