"""The pathways Sankey: raw pathways, merging into "AUTRES", left-out flows, and consistency under noise.

Hand figures in ``tests/pathways/fixture.py``.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dashboard.data import Data
from dashboard.disclosure import SelectionError
from dashboard.filters import Filters
from dashboard.metrics.pathways import IN_PROGRESS, pathways
from dashboard.pathway_disclosure import OTHERS, protected_pathways
from tests.metrics.fixtures import make_data
from tests.pathways.fixture import rows

YEAR = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), by="year")
HI = "HEBERGEMENT_INSERTION"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    fixture = rows()
    # An open period entered in 2025 and one entered before the range, both of P02.
    fixture["support_periods"] += [
        {"support_id": "A2c", "person_id": "P02", "program": "SOINS", "entry_date": "2025-09-01"},
        {"support_id": "A2d", "person_id": "P02", "program": "SOINS", "entry_date": "2024-05-01", "exit_date": "2024-06-01",
         "exit_reason": "DECES"},
    ]
    return make_data(tmp_path_factory.mktemp("pathways"), **fixture)


@pytest.fixture(autouse=True)
def screen_k(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_MIN_CELL", "5")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "11")
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")


def test_pathways_rows(data: Data) -> None:
    frame = pathways(data, YEAR)
    assert frame.height == 22  # 20 + P01's second period + P02's open one (the 2024 one is outside)
    p02 = frame.join(data.persons.filter(pl.col("person_id") == "P02").select("pid"), on="pid")
    # No referral behind the open period: source unknown; open on the last day of data: in progress.
    assert sorted(p02.select("source", "program", "outcome").rows()) == [
        ("AS_SECTEUR", HI, "LOGEMENT_AUTONOME"), ("INCONNU", "SOINS", IN_PROGRESS)]
    by_source = pathways(data, YEAR.with_(sources=("SIAO",)))
    assert set(by_source["source"].to_list()) == {"SIAO"} and by_source.height == 6


def test_small_flows_merge_and_the_too_small_leave(data: Data) -> None:
    shown = protected_pathways(data, YEAR, published=False)
    assert (shown.k, shown.too_small, shown.merged, shown.left_out) == (5, False, True, True)
    assert shown.flows.rows() == [
        (1, "AS_SECTEUR", HI, 8),  # P01's two periods: once
        (1, OTHERS, HI, 5),        # CCAS 3 + SPONTANE 2, merged
        (1, "SIAO", HI, 6),
        (2, HI, "LOGEMENT_ACCOMPAGNE", 5),
        (2, HI, "LOGEMENT_AUTONOME", 14),
    ]
    totals = {(column, node): persons for column, node, persons in shown.nodes.rows()}
    assert totals == {("source", "AS_SECTEUR"): 8, ("source", OTHERS): 5, ("source", "SIAO"): 6,
                      ("program", HI): 19, ("outcome", "LOGEMENT_ACCOMPAGNE"): 5, ("outcome", "LOGEMENT_AUTONOME"): 14}


def test_no_total_gives_a_hidden_flow_back(data: Data) -> None:
    """Every node total equals what its shown flows hold: subtracting gives nothing hidden (P20, P02's SOINS and
    CCAS/SPONTANE one by one are in no figure)."""
    shown = protected_pathways(data, YEAR, published=False)
    program_total = shown.nodes.filter(pl.col("column") == "program")["persons"].sum()
    assert program_total == shown.flows.filter(pl.col("stage") == 1)["persons"].sum() \
        == shown.flows.filter(pl.col("stage") == 2)["persons"].sum()
    named = set(shown.flows["origin"].to_list()) | set(shown.flows["target"].to_list())
    assert not named & {"CCAS", "SPONTANE", "ENTOURAGE", "ACCUEIL_JOUR", "SOINS", "NON_CONCERNE", IN_PROGRESS}


def test_published_threshold_merges_more(data: Data) -> None:
    published = protected_pathways(data, YEAR, published=True)
    assert published.k == 11
    assert all(persons >= 11 for persons in published.flows["persons"])
    assert all(p is None or p >= 11 for p in published.nodes["persons"])


def test_sensitive_sources_use_the_published_threshold(data: Data) -> None:
    shown = protected_pathways(data, YEAR.with_(sources=("SIAO",)), published=False)
    assert shown.flows.filter(pl.col("stage") == 1).rows() == [(1, "SIAO", HI, 6)]
    spip = protected_pathways(data, YEAR.with_(sources=("SPIP",)), published=False)
    assert spip.k == 11 and spip.flows.is_empty()


def test_selection_rules_hold(data: Data) -> None:
    # Women only: 10 of 20 persons, but the men's side differs from the whole by 10 too: allowed; one sex and one
    # age band is one value each. Two values of one filter are refused, as for every figure.
    with pytest.raises(SelectionError):
        protected_pathways(data, YEAR.with_(sexes=("F", "M")), published=False)
    # ACCUEIL_JOUR: one person (P20) differs from the whole selection by 21 - 1 persons, but is itself under k.
    assert protected_pathways(data, YEAR.with_(programs=("ACCUEIL_JOUR",)), published=False).too_small


def test_protected_mode_is_consistent(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    first = protected_pathways(data, YEAR, published=False)
    again = protected_pathways(data, Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), by="year"), published=False)
    assert first.flows.equals(again.flows) and first.nodes.equals(again.nodes)
    assert first.mode == "protected"
    # Every flow shown reaches k after noise, none reads 1 or 2.
    assert all(persons >= 5 for persons in first.flows["persons"])


def test_the_same_question_gets_the_same_answer_and_a_setting_a_new_one(data: Data,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rerun of the page asks again: the answer is kept, and never outlives a setting it depends on."""
    first = protected_pathways(data, YEAR, published=False)
    assert protected_pathways(data, YEAR, published=False) is first
    assert protected_pathways(data, YEAR, published=True) is not first
    monkeypatch.setenv("PARCOURS_MIN_CELL", "2")
    looser = protected_pathways(data, YEAR, published=False)
    assert looser is not first and looser.k == 2
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected" if first.mode == "exact" else "exact")
    assert protected_pathways(data, YEAR, published=False).mode != first.mode
