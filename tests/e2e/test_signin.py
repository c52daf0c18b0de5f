"""Signing in, in a real browser (Chromium through Playwright), against the app started as ``make run`` does:
no test role, so the only page without an account is the sign-in one.

- The two-network database (``tests.accounts.conftest``): a wrong password is refused, staff of A1 see
  their structure and nothing of network B, signing out brings the sign-in page back.
- An empty database: the first start prints a one-time administrator password on the terminal; signing in
  with it asks for a new password first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from models.db import make_engine
from tests.accounts.conftest import NETWORK_B_MARKS, PASSWORD, add_accounts, network_rows
from tests.e2e.conftest import SCREENSHOTS, running_app
from tests.e2e.test_pages import no_error, wait_idle
from tests.metrics.fixtures import write_rows

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@contextmanager
def real_app(url: str, log: Path) -> Iterator[str]:
    """The app as an operator runs it: without the test suite's PARCOURS_TEST_ROLE, figures protected."""
    with pytest.MonkeyPatch.context() as env:
        env.delenv("PARCOURS_TEST_ROLE", raising=False)
        env.setenv("PARCOURS_DISCLOSURE", "protected")
        with running_app(url, log) as base:
            yield base


@pytest.fixture(scope="module")
def networks_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("signin")
    url = f"sqlite:///{folder / 'networks.db'}"
    engine = make_engine(url)
    write_rows(engine, **network_rows())
    add_accounts(engine)
    engine.dispose()
    with real_app(url, folder / "streamlit.log") as base:
        yield base


def sign_in(page, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Identifiant").fill(name)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_every_address_opens_the_sign_in_page_without_an_account(page, networks_app) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/overview", "/referrals?structure=A1", "/users"):
        page.goto(networks_app + path)
        page.get_by_role("heading", name="Connexion").wait_for(timeout=45_000)
        wait_idle(page)
        body = page.locator("body").inner_text()
        assert "Foyer Alpha" not in body and "Orientations reçues" not in body


def test_a_shared_link_opens_its_page_once_signed_in(page, networks_app) -> None:  # type: ignore[no-untyped-def]
    """A director's link (page and filters) asks for a sign-in at its own address, then shows the page it names."""
    page.goto(networks_app + "/referrals?by=year")
    page.get_by_role("heading", name="Connexion").wait_for(timeout=45_000)
    wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0
    sign_in(page, "staff_a1", PASSWORD)
    page.get_by_role("heading", name="Orientations").first.wait_for(timeout=45_000)
    wait_idle(page)
    no_error(page)
    assert "/referrals" in page.url and "by=year" in page.url


def test_staff_sign_in_see_their_structure_only_and_sign_out(page, networks_app) -> None:  # type: ignore[no-untyped-def]
    page.goto(networks_app)
    page.get_by_role("heading", name="Connexion").wait_for(timeout=45_000)
    sign_in(page, "staff_a1", "not the password")
    page.get_by_text("Identifiant ou mot de passe incorrect.").wait_for(timeout=30_000)
    sign_in(page, "staff_a1", PASSWORD)
    page.get_by_role("heading", name="Vue d'ensemble").wait_for(timeout=45_000)
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=45_000)
    wait_idle(page)
    no_error(page)
    html = page.content()
    assert [m for m in NETWORK_B_MARKS if re.search(rf"(?<![0-9A-Za-z#]){re.escape(m)}", html)] == []
    assert "staff_a1" in page.locator('[data-testid="stSidebar"]').inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "signed-in-staff.png"))
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("heading", name="Connexion").wait_for(timeout=45_000)
    page.reload()  # the ended session stays ended
    page.get_by_role("heading", name="Connexion").wait_for(timeout=45_000)


def test_first_start_prints_a_one_time_administrator_password(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'first.db'}"
    log = tmp_path / "streamlit.log"
    with real_app(url, log) as base:
        page.goto(base)
        page.get_by_role("heading", name="Connexion").wait_for(timeout=45_000)
        found = re.search(r"mot de passe à usage unique : (\S+)", log.read_text())  # the server speaks French
        assert found, log.read_text()[-2000:]
        sign_in(page, "admin", found.group(1))
        page.get_by_text("Ce mot de passe est à usage unique").wait_for(timeout=30_000)
        page.get_by_label("Nouveau mot de passe").fill("my own long passphrase")
        page.get_by_label("Répétez le mot de passe").fill("my own long passphrase")
        page.get_by_role("button", name="Enregistrer le mot de passe").click()
        page.get_by_role("heading", name="Vue d'ensemble").wait_for(timeout=45_000)
        wait_idle(page)
        assert page.get_by_text("Comptes").count() >= 1  # the administrator's pages are in the navigation
