"""A running app on a small demo database, and a real Chromium to drive it.

The database is the demo dataset of size S (one social centre, 300
persons since 2018), written and loaded with ``python -m etl demo`` and
``python -m etl load``. The app runs as ``streamlit run dashboard/app.py`` in a
subprocess on a free port; Playwright drives Debian's Chromium.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
START_TIMEOUT = 60


def build_demo_database(folder: Path, size: str = "S") -> str:
    """Write the demo dataset of ``size`` and load it with the ETL's command line, as a user would; return the URL."""
    dataset_dir = folder / f"demo-{size}"
    url = f"sqlite:///{folder / f'demo-{size}.db'}"
    env = {**os.environ, "DATABASE_URL": url}
    for command in (["demo", "--size", size, "--out", str(dataset_dir)], ["load", str(dataset_dir)]):
        done = subprocess.run([sys.executable, "-m", "etl", *command], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, f"python -m etl {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)  # polling a server that is starting: there is nothing to wait on but time
    raise RuntimeError(f"streamlit did not answer on {base} within {timeout} s")


def start_app(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    """Start the app on a free port; return the process and its base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PARCOURS_LANG": "fr"}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    handle = log.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
    except RuntimeError as error:
        process.terminate()
        process.wait(10)
        raise RuntimeError(f"{error}\n{log.read_text()[-3000:]}") from None
    return process, base


@contextmanager
def running_app(database_url: str, log: Path) -> Iterator[str]:
    """The app on ``database_url`` for the time of the block; its base URL."""
    process, base = start_app(database_url, log)
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


# The fixtures ``demo_url``, ``app``, ``browser`` and ``page`` live in tests/conftest.py: one Playwright and one demo app
# per session for every folder that drives a browser (two live sync Playwright instances cannot coexist).
