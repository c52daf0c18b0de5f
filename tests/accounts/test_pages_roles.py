"""Every page as each role, through AppTest, on the two-network database: nothing of the other network reaches
the browser, the exact level shows only where the role allows it, and no URL widens a scope."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from dashboard.accounts.roles import Scope, pages_for
from dashboard.ui.auth import ACCOUNT_PAGES
from dashboard.ui.context import PAGE_KEYS
from tests.accounts.conftest import ACCOUNTS, NETWORK_B_MARKS, ROOT, open_as, page_dump

ALL_PAGES = [k for k in (*PAGE_KEYS, *ACCOUNT_PAGES) if (ROOT / "pages" / f"{k}.py").exists()]
NETWORK_A_USERS = ("staff_a1", "board_a", "research_a")
CASES = [(user, page) for user in NETWORK_A_USERS for page in pages_for(Scope(user, frozenset(ACCOUNTS[user])), ALL_PAGES)]
HALF = {"from": "2025-01-01", "to": "2025-06-30"}


def referrals_between(n: int, first: date, last: date) -> int:
    """Referrals of 2025 in [first, last] of a structure that got ``n`` (day j is 1 January + j * 364 // n)."""
    return sum(1 for j in range(n) if first <= date(2025, 1, 1) + timedelta(days=j * 364 // n) <= last)


def leaks(dump: str) -> list[str]:
    """The marks of network B found as whole words (``B1`` inside a colour such as ``#4B1F2A`` is not one)."""
    return [mark for mark in NETWORK_B_MARKS if re.search(rf"(?<![0-9A-Za-z]){re.escape(mark)}", dump)]


def metric(at, label: str) -> str:  # noqa: ANN001
    return next(str(m.value) for m in at.metric if m.label == label)


def test_without_an_account_there_is_only_the_sign_in_page(networks):
    for page in ("overview", "data", "users"):
        at = open_as(networks, None, page, structure="A1")
        assert not at.exception
        assert [t.value for t in at.title] == ["Connexion"]
        assert not at.metric and not at.dataframe and leaks(page_dump(at)) == []
        assert "Foyer Alpha" not in page_dump(at)


@pytest.mark.parametrize(("user", "page"), CASES)
def test_no_page_shows_anything_of_another_network(networks, user, page):
    at = open_as(networks, user, page)
    assert not at.exception, at.exception
    assert leaks(page_dump(at)) == []


def test_the_check_finds_the_other_network_when_the_scope_covers_it(networks):
    at = open_as(networks, "admin", "referrals")  # a positive control: the marks are there for an administrator
    assert not at.exception and leaks(page_dump(at))


@pytest.mark.parametrize("user", NETWORK_A_USERS)
def test_a_crafted_url_does_not_widen_the_scope(networks, user):
    at = open_as(networks, user, "overview", structure="B1", **HALF)
    assert not at.exception and leaks(page_dump(at)) == []
    asks_exact = {"mode": "exact", "disclosure": "exact", "level": "exact", "published": "0"}
    at = open_as(networks, user, "overview", **asks_exact, **HALF)
    shown = int(metric(at, "Orientations reçues"))
    if user == "staff_a1":
        assert shown == referrals_between(137, date(2025, 1, 1), date(2025, 6, 30))  # 69, exact: their own
    else:  # A1 and A2 published: perturbed, never the exact count whatever the URL says
        exact = referrals_between(137, date(2025, 1, 1), date(2025, 6, 30)) + referrals_between(64, date(2025, 1, 1),
                                                                                              date(2025, 6, 30))
        assert exact == 101 and shown != exact and abs(shown - exact) <= 3


def test_staff_see_their_structure_exactly_and_boards_see_it_published(networks):
    staff = open_as(networks, "staff_a1", "overview", **HALF)
    assert metric(staff, "Orientations reçues") == "69"
    board = open_as(networks, "board_a", "overview", **HALF)
    exact = 69 + referrals_between(64, date(2025, 1, 1), date(2025, 6, 30))  # A1 + A2 = 101
    shown = int(metric(board, "Orientations reçues"))
    assert shown != exact and abs(shown - exact) <= 3


@pytest.mark.parametrize(("user", "page"), [("board_a", "referrals"), ("board_a", "data"), ("research_a", "users"),
                                            ("staff_a1", "audit"), ("research_a", "load")])
def test_a_page_the_role_does_not_open_cannot_be_reached(networks, user, page):
    if page not in ALL_PAGES:
        pytest.skip(f"pages/{page}.py is not there yet")
    at = open_as(networks, user, page)
    assert not at.exception
    assert [t.value for t in at.title] == ["Vue d'ensemble"]  # the navigation holds only the role's pages


def test_administrators_see_accounts_and_the_audit_log(networks):
    users = open_as(networks, "admin", "users")
    assert not users.exception
    table = users.dataframe[0].value
    assert set(ACCOUNTS) <= set(table.iloc[:, 0])
    audit = open_as(networks, "admin", "audit")
    assert not audit.exception
    rows = audit.dataframe[0].value
    assert {"SIGN_IN", "ROLE_GRANT", "USER_ADD"} <= set(rows["action"])


def test_an_ended_session_brings_the_sign_in_page_back_with_a_word(networks):
    from dashboard.accounts.signin import sign_out
    from dashboard.ui.auth import TOKEN
    from models.db import get_engine

    at = open_as(networks, "research_a", "overview", **HALF)
    assert [t.value for t in at.title] == ["Vue d'ensemble"]
    sign_out(get_engine(networks), at.session_state[TOKEN])  # ended elsewhere (another tab, an administrator)
    at.run()
    assert [t.value for t in at.title] == ["Connexion"] and not at.metric
    assert at.warning[0].value == "Votre session a pris fin : reconnectez-vous."


def test_the_board_report_download_is_audited_with_its_parameters(networks):
    import json

    import streamlit as st

    from dashboard.accounts import audit
    from dashboard.data import read_data, restrict
    from dashboard.filters import Filters
    from dashboard.ui.auth import TOKEN
    from dashboard.ui.report_button import _audited
    from models.db import get_engine
    from tests.accounts.conftest import token_for

    st.session_state[TOKEN] = token_for(networks, "board_a")  # bare mode: the session state of this thread
    scope = Scope("board_a", frozenset(ACCOUNTS["board_a"]))
    data = restrict(read_data(get_engine(networks)), scope.access({"A1", "A2", "B1"}, staff_exact=True))
    chosen = Filters(start=date(2025, 1, 1), end=date(2025, 6, 30))
    before = audit.events(get_engine(networks), action=audit.REPORT).height
    made = _audited(lambda: b"%PDF-1.7 report", data, chosen, (date(2024, 7, 1), date(2024, 12, 31)), "pdf", "fr")
    assert audit.events(get_engine(networks), action=audit.REPORT).height == before  # nothing until it is made
    assert made() == b"%PDF-1.7 report"
    row = audit.events(get_engine(networks), action=audit.REPORT).row(0, named=True)
    assert row["actor"] == "board_a" and row["structures"] == "A1,A2"
    detail = json.loads(row["detail"])
    assert detail["format"] == "pdf" and detail["start"] == "2025-01-01" and detail["end"] == "2025-06-30"
    assert detail["compare"] == ["2024-07-01", "2024-12-31"]
