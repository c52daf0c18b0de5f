"""Two app processes behind nginx (``scripts/serve.sh``, as ``make serve REPLICAS=2`` runs it) on one database.

A page is opened through the proxy in Chromium; then a load is made with ``python -m etl load`` (another
structure: 300 more persons); each process shows the new data at its next rerun, without a restart, and the
on-disk snapshot holds only the new version.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, build_demo_database, free_port, wait_healthy

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NGINX = "/usr/sbin/nginx"
PERSONS = '[data-testid="stMetric"]'


def _consecutive_ports(count: int) -> int:
    """A first port such that it and the next ``count - 1`` are free on 127.0.0.1."""
    for _ in range(50):
        first = free_port()
        try:
            for port in range(first, first + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise RuntimeError("no consecutive free ports")


def _second_structure(dataset: Path, target: Path) -> Path:
    """The demo dataset as if it came from another structure (S02): its 300 persons are new ones."""
    target.mkdir()
    for path in dataset.glob("*.csv"):
        (target / path.name).write_text(path.read_text(encoding="utf-8").replace("S01", "S02"), encoding="utf-8")
    return target


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, list[str], str, Path, subprocess.Popen]]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is required (make system-deps installs Debian's nginx)")
    url = build_demo_database(tmp_path)
    first, proxy = _consecutive_ports(2), free_port()
    snapshots = tmp_path / "snapshots"
    env = {**os.environ, "DATABASE_URL": url, "PARCOURS_LANG": "fr", "PARCOURS_SNAPSHOT_DIR": str(snapshots),
           "REPLICAS": "2", "PORT": str(first), "PROXY_PORT": str(proxy), "PYTHON": sys.executable}
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(["bash", str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    replicas = [f"http://127.0.0.1:{port}" for port in (first, first + 1)]
    try:
        for base in [*replicas, f"http://127.0.0.1:{proxy}"]:
            wait_healthy(base, serve)
        yield url, replicas, f"http://127.0.0.1:{proxy}", snapshots, serve
    except RuntimeError as error:
        raise RuntimeError(f"{error}\n{(tmp_path / 'serve.log').read_text()[-3000:]}") from None
    finally:
        os.killpg(serve.pid, signal.SIGTERM)  # serve.sh's own group: it stops nginx and the apps, then exits
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()


def _persons(page) -> object:  # type: ignore[no-untyped-def]
    return page.locator(PERSONS).filter(has_text="Personnes").locator('[data-testid="stMetricValue"]')


def test_a_load_appears_in_every_process_without_a_restart(browser, served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, replicas, proxy, snapshots, serve = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    context.set_default_timeout(60_000)
    try:
        through_proxy = context.new_page()
        through_proxy.goto(f"{proxy}/data")
        expect(_persons(through_proxy)).to_have_text("300", timeout=60_000)
        assert any(c["name"] == "parcours_route" for c in context.cookies())  # the sticky session's cookie
        direct = []
        for base in replicas:
            tab = context.new_page()
            tab.goto(f"{base}/data")
            expect(_persons(tab)).to_have_text("300", timeout=60_000)
            direct.append(tab)
        versions = [p.name for p in next(snapshots.iterdir()).iterdir() if not p.name.startswith(".")]
        assert len(versions) == 1

        dataset = _second_structure(tmp_path / "demo-S", tmp_path / "other")
        done = subprocess.run([sys.executable, "-m", "etl", "load", str(dataset)], cwd=ROOT, capture_output=True,
                              text=True, env={**os.environ, "DATABASE_URL": url}, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr

        for tab in [*direct, through_proxy]:  # the next run of each process: no restart
            tab.reload()
            expect(_persons(tab)).to_have_text("600", timeout=60_000)
        assert serve.poll() is None
        after = [p.name for p in next(snapshots.iterdir()).iterdir() if not p.name.startswith(".")]
        assert len(after) == 1 and after != versions  # one new version, built once and mapped by both
        assert re.fullmatch(r"[0-9a-f]{16}", after[0])
    finally:
        context.close()


def test_streamlit_static_files_come_from_nginx(served) -> None:  # type: ignore[no-untyped-def]
    """The scripts the page loads are served by the proxy from the installed package (cached for good), not by
    the app processes: what index.html names is byte for byte the package's file."""
    import urllib.request

    import streamlit

    _, replicas, proxy, _, _ = served
    with urllib.request.urlopen(f"{proxy}/") as response:
        index = response.read().decode()
    script = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', index)
    assert script is not None, index[:500]
    with urllib.request.urlopen(f"{proxy}/{script.group(1)}") as response:
        body, headers = response.read(), response.headers
    package = Path(streamlit.__file__).parent / "static" / script.group(1)
    assert body == package.read_bytes() and headers["Content-Type"] == "text/javascript"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"  # nginx's header, not Streamlit's
    with urllib.request.urlopen(f"{replicas[0]}/{script.group(1)}") as response:  # the app, asked directly
        assert response.headers["Cache-Control"] != headers["Cache-Control"]  # (Streamlit words its own otherwise)
