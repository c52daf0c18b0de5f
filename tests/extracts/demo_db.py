"""A demo database written and loaded as a user would (``python -m etl demo`` then ``python -m etl load``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo_database(folder: Path, size: str) -> str:
    """The URL of a SQLite database holding the demo dataset of ``size`` (seed 42), loaded by the ETL."""
    dataset = folder / f"demo-{size}"
    url = f"sqlite:///{folder / f'demo-{size}.db'}"
    env = {**os.environ, "DATABASE_URL": url}
    for command in (["demo", "--size", size, "--out", str(dataset), "--seed", "42"], ["load", str(dataset)]):
        done = subprocess.run([sys.executable, "-m", "etl", *command], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        assert done.returncode == 0, f"python -m etl {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return url
