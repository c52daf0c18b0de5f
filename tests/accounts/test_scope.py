"""The scope below the pages: a restricted snapshot, and the level the disclosure gate applies to a selection."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import polars as pl
import pytest

from dashboard.accounts.access import EXACT, PUBLISHED, SCREEN, Access
from dashboard.accounts.roles import ROLES, Scope, pages_for
from dashboard.data import read_data, restrict
from dashboard.disclosure import figures
from dashboard.filters import Filters
from models.db import get_engine
from tests.accounts.conftest import ACCOUNTS, REFERRALS_2025

KNOWN = frozenset({"A1", "A2", "B1"})
YEAR = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), by="quarter")


def scope(name: str) -> Scope:
    return Scope(name, frozenset(ACCOUNTS[name]))


def by_quarter(structure: str) -> dict[str, int]:
    """Referrals of 2025 per quarter, from the fixture's rule (day j of n is 1 January + j * 364 // n)."""
    n = REFERRALS_2025[structure]
    days = [date(2025, 1, 1) + timedelta(days=j * 364 // n) for j in range(n)]
    return dict(sorted(Counter(f"2025-Q{(d.month - 1) // 3 + 1}" for d in days).items()))


def totals(protected) -> dict[str, int | None]:  # noqa: ANN001
    rows = protected.table.filter(pl.col("source") == "TOTAL").sort("period")
    return dict(zip(rows["period"], rows["referrals"], strict=True))


@pytest.fixture(scope="module")
def whole(networks_url):  # noqa: ANN001, ANN201
    return read_data(get_engine(networks_url))


def test_a_selection_gets_the_strictest_level_of_its_structures():
    access = Access(structures=KNOWN, exact=frozenset({"A1"}), screen=frozenset({"A2"}))
    assert access.level({"A1"}) == EXACT
    assert access.level({"A2"}) == SCREEN and access.level({"A1", "A2"}) == SCREEN
    assert access.level({"B1"}) == PUBLISHED and access.level(()) == PUBLISHED  # () is every structure: mixes B1
    assert access.disclosure({"A1"}, False, "protected") == (False, "exact")
    assert access.disclosure({"A1"}, True, "protected") == (True, "protected")  # files never leave exact
    assert access.disclosure({"A2"}, False, "exact") == (False, "exact")  # the deployment's own mode
    assert access.disclosure((), False, "exact") == (True, "protected")


def test_each_role_gets_its_levels_and_its_pages():
    assert scope("staff_a1").access(KNOWN, staff_exact=True) == Access(frozenset({"A1"}), exact=frozenset({"A1"}))
    assert scope("staff_a1").access(KNOWN, staff_exact=False) == Access(frozenset({"A1"}), screen=frozenset({"A1"}))
    assert scope("board_a").access(KNOWN, staff_exact=True) == Access(frozenset({"A1", "A2"}))
    assert scope("admin").access(KNOWN, staff_exact=True) == Access(KNOWN, screen=KNOWN)
    keys = ("overview", "referrals", "data", "load", "extracts", "users", "audit", "someday")
    assert pages_for(scope("board_a"), keys) == ["overview"]
    assert pages_for(scope("research_a"), keys) == ["overview", "referrals", "data", "extracts"]
    assert pages_for(scope("staff_a1"), keys) == ["overview", "referrals", "data", "load", "extracts"]
    assert pages_for(scope("admin"), keys) == list(keys)  # a page not listed opens to administrators only
    assert pages_for(None, keys) == [] and set(ROLES) == {r for grants in ACCOUNTS.values() for r, _ in grants}
    assert scope("staff_a1").may_load("A1") and not scope("staff_a1").may_load("B1")
    assert not scope("research_a").may_load("A1") and scope("admin").may_load("B1")


def test_the_restricted_snapshot_holds_only_the_scopes_structures_with_the_same_record_keys(whole):
    mine = restrict(whole, Access(frozenset({"A1"})))
    for name in ("structures", "persons", "referrals", "support_periods", "assessments", "workshops", "sessions",
                 "attendances", "milestones"):
        assert set(getattr(mine, name)["structure_id"].unique().to_list()) <= {"A1"}, name
    assert mine.persons.height == 30 and mine.referrals.height == REFERRALS_2025["A1"] + 50
    assert mine.persons["pid"].to_list() == list(range(30))  # still the row number of persons
    assert mine.persons["person_id"][mine.attendances["pid"]].to_list() == mine.attendances["person_id"].to_list()
    keys = whole.persons.filter(pl.col("structure_id") == "A1").select("person_id", "pk")
    assert mine.persons.select("person_id", "pk").equals(keys)  # the same keys, so the same noise
    assert mine.loads["source"].to_list() == ["exports/alpha-nord"] and mine.workshops["name"].to_list() == ["Couture Alpha"]


def test_staff_see_their_own_structure_exactly_and_anything_wider_at_the_published_level(whole, monkeypatch):
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    mixed = restrict(whole, scope("mixed").access(KNOWN, staff_exact=True))
    own = figures("referrals-by-source", mixed, YEAR.with_(structures=("A1",)), published=False)
    assert own.mode == "exact" and totals(own) == by_quarter("A1")
    network = figures("referrals-by-source", mixed, YEAR, published=False)  # asked for the screen: published given
    assert network.mode == "protected" and network.k == 11
    other = figures("referrals-by-source", mixed, YEAR.with_(structures=("B1",)), published=False)
    assert other.mode == "protected" and other.k == 11
    # Off for the deployment: staff see their own structure perturbed like everyone, at the screen threshold.
    plain = restrict(whole, scope("mixed").access(KNOWN, staff_exact=False))
    own = figures("referrals-by-source", plain, YEAR.with_(structures=("A1",)), published=False)
    assert own.mode == "protected" and own.k == 5


def test_network_minus_own_gives_the_others_count_only_through_the_networks_noise(whole, monkeypatch):
    """The network figure a staff member sees is the published figure anyone sees (same records, same keys, same
    noise); taking their exact own count from it leaves the others' count plus that noise, which they cannot
    remove: repeating the question gives the same noise, and no other selection gives the network's cell key."""
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    mixed = restrict(whole, scope("mixed").access(KNOWN, staff_exact=True))
    network = totals(figures("referrals-by-source", mixed, YEAR, published=False))
    assert network == totals(figures("referrals-by-source", whole, YEAR, published=True))  # what a researcher gets
    own = totals(figures("referrals-by-source", mixed, YEAR.with_(structures=("A1",)), published=False))
    others = {q: by_quarter("A2").get(q, 0) + by_quarter("B1").get(q, 0) for q in own}
    residue = {q: network[q] - own[q] - others[q] for q in own}  # type: ignore[operator]
    assert all(abs(r) <= 3 for r in residue.values())  # the p-table's largest move (PARCOURS_CKM_MAX)
    assert any(r != 0 for r in residue.values()), residue  # and the difference is not the others' count


def test_boards_and_researchers_see_published_figures_on_screen(whole, monkeypatch):
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")  # even where the deployment runs exact
    for name in ("board_a", "research_a"):
        mine = restrict(whole, scope(name).access(KNOWN, staff_exact=True))
        shown = figures("referrals-by-source", mine, YEAR.with_(structures=("A1",)), published=False)
        assert shown.mode == "protected" and shown.k == 11, name


def test_the_accounts_modules_stay_free_of_streamlit():
    import ast

    from tests.accounts.conftest import ROOT

    for path in sorted((ROOT / "dashboard" / "accounts").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(name.split(".")[0] == "streamlit" for name in names), path.name
