"""Timing of ``read_and_validate`` on a synthetic dataset (not a test).

Usage: .venv/bin/python -m tests.etl_read.bench_read [participations_rows] [folder]

Writes valid contract CSVs (one structure, persons, referrals, support
periods, workshops, sessions and ``participations_rows`` participations)
into ``folder`` (default: a temporary folder) and prints how long reading
and validating takes, and the peak memory of the process.
"""

import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from etl.dataset import read_and_validate


def write_dataset(folder: Path, participations: int) -> None:
    persons = max(participations // 20, 10)
    sessions = max(participations // 10, 10)
    pid = pl.int_range(0, persons, eager=True)
    pl.DataFrame({
        "structure_id": "S1", "personne_id": "P" + pid.cast(pl.String), "sexe": "F",
        "annee_naissance": (1950 + pid % 50).cast(pl.String), "qpv": "oui", "territoire": "Lille",
    }).write_csv(folder / "personnes.csv")
    pl.DataFrame({
        "structure_id": "S1", "orientation_id": "O" + pid.cast(pl.String), "personne_id": "P" + pid.cast(pl.String),
        "date_orientation": "15/03/2023", "source": "SPIP", "decision": "acceptée", "date_decision": "2023-04-01",
    }).write_csv(folder / "orientations.csv", separator=";")
    pl.DataFrame({
        "structure_id": "S1", "accompagnement_id": "A" + pid.cast(pl.String), "personne_id": "P" + pid.cast(pl.String),
        "orientation_id": "O" + pid.cast(pl.String), "dispositif": "SOINS",
        "date_entree": "2023-04-02", "date_sortie": "2024-01-10", "motif_sortie": "Objectif atteint",
    }).write_csv(folder / "accompagnements.csv")
    pl.DataFrame({"structure_id": ["S1"], "atelier_id": ["W1"], "nom": ["Couture"], "categorie": ["EXPRESSION"]}).write_csv(
        folder / "ateliers.csv"
    )
    sid = pl.int_range(0, sessions, eager=True)
    pl.DataFrame({
        "structure_id": "S1", "seance_id": "X" + sid.cast(pl.String), "atelier_id": "W1",
        "date_seance": "2023-05-05", "duree_minutes": "90",
    }).write_csv(folder / "seances.csv")
    row = pl.int_range(0, participations, eager=True)
    pl.DataFrame({
        "structure_id": "S1", "seance_id": "X" + (row // 10).cast(pl.String),
        "personne_id": "P" + (row % persons).cast(pl.String), "presence": "Présent",
    }).write_csv(folder / "participations.csv")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp())
    if not (folder / "participations.csv").exists():
        write_dataset(folder, rows)
    started = time.perf_counter()
    dataset = read_and_validate(folder, today=date(2025, 1, 1))
    elapsed = time.perf_counter() - started
    total = sum(f.height for f in dataset.tables.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{total} rows in {elapsed:.2f} s, peak RSS {peak_mb:.0f} MB, errors {len(dataset.errors)}, "
          f"warnings {len(dataset.warnings)}")
    for problem in dataset.errors[:5]:
        print(problem.message)


if __name__ == "__main__":
    main()
