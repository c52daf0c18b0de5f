"""Single sign-on end to end: a real OpenID Connect provider running locally (``oidc-provider-mock``), the app
configured for ``st.login`` through a secrets file of its own, and Chromium clicking through both.

The first sign-in creates an account without roles (nothing to see); once an administrator grants one, the
same person sees their structure. Both the creation and the sign-in are in the audit log."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from dashboard.accounts import audit
from dashboard.accounts.store import grant
from models.db import get_engine, make_engine
from models.tables import User
from tests.accounts.conftest import network_rows
from tests.e2e.conftest import ROOT, free_port, wait_healthy
from tests.e2e.test_pages import no_error, wait_idle
from tests.metrics.fixtures import write_rows

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _wait_provider(process: subprocess.Popen, base: str) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("oidc-provider-mock exited")
        try:
            with urllib.request.urlopen(f"{base}/.well-known/openid-configuration", timeout=2):
                return
        except OSError:
            time.sleep(0.25)  # a server that is starting: nothing to wait on but time
    raise RuntimeError("oidc-provider-mock did not answer")


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("sso")
    url = f"sqlite:///{folder / 'networks.db'}"
    engine = make_engine(url)
    write_rows(engine, **network_rows())
    engine.dispose()
    provider_port, app_port = free_port(), free_port()
    provider_base = f"http://127.0.0.1:{provider_port}"
    claims = json.dumps({"sub": "alice-sso", "email": "alice@example.org"})
    provider = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(provider_port),
                                 "--user-claims", claims], stdout=(folder / "provider.log").open("w"),
                                stderr=subprocess.STDOUT)
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "parcours"\nclient_secret = "parcours-client-secret"\n'
        f'server_metadata_url = "{provider_base}/.well-known/openid-configuration"\n'
    )
    secrets_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k != "PARCOURS_TEST_ROLE"} | {
        "DATABASE_URL": url, "PARCOURS_LANG": "fr", "PARCOURS_DISCLOSURE": "protected"}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
               "--server.headless", "true", "--server.port", str(app_port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
               "--secrets.files", str(secrets_file)]
    app = subprocess.Popen(command, cwd=ROOT, env=env, stdout=(folder / "streamlit.log").open("w"),
                           stderr=subprocess.STDOUT)
    try:
        _wait_provider(provider, provider_base)
        wait_healthy(f"http://127.0.0.1:{app_port}", app)
        yield f"http://127.0.0.1:{app_port}", url
    finally:
        for process in (app, provider):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def test_single_sign_on_creates_an_account_without_roles_until_one_is_granted(page, sso_app) -> None:  # type: ignore[no-untyped-def]
    base, url = sso_app
    page.goto(base)
    page.get_by_role("heading", name="Connexion").wait_for(timeout=45_000)
    page.get_by_role("button", name="Se connecter avec le compte de ma structure").click()
    page.get_by_role("heading", name="Authorize Client").wait_for(timeout=30_000)
    page.get_by_role("button", name="alice-sso").click()  # the provider's predefined user
    page.get_by_text("Cette page n'est pas ouverte à votre rôle.").wait_for(timeout=45_000)
    engine = get_engine(url)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.oidc_subject.like("%|alice-sso"))).one()  # type: ignore[union-attr]
    assert user.password_hash is None
    assert page.locator("body").inner_text().count("Foyer Alpha") == 0
    grant(engine, user.username, "staff", ["A1"], actor="admin")
    page.goto(base)
    page.get_by_role("heading", name="Vue d'ensemble").wait_for(timeout=45_000)
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=45_000)
    wait_idle(page)
    no_error(page)
    assert user.username in page.locator('[data-testid="stSidebar"]').inner_text()
    signed = audit.events(engine, action=audit.SIGN_IN)
    assert signed["actor"].to_list()[-1] == user.username
    assert json.loads(signed["detail"].to_list()[-1])["method"] == "oidc"
    assert audit.events(engine, action=audit.USER_ADD, actor="sso").height == 1
