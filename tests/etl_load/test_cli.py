"""``python -m etl`` run as a user runs it: a subprocess, real files, real databases."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from etl.cli import main
from models.db import make_engine
from models.tables import DomainReading
from tests.etl_load.builders import snapshot

ROOT = Path(__file__).resolve().parents[2]

CSV = {
    "personnes.csv": "structure_id;personne_id;sexe;annee_naissance;qpv\nCS1;X-001;F;1984;OUI\nCS1;X-002;m;2001;non\n",
    "orientations.csv": (
        "structure_id,orientation_id,personne_id,date_orientation,source,decision,date_decision\n"
        "CS1,O1,X-001,10/01/2024,spip,Acceptée,2024-01-15\n"
        "CS1,O2,X-002,2024-02-01,SIAO,REFUSEE,2024-02-03\n"
    ),
    "accompagnements.csv": (
        "structure_id,accompagnement_id,personne_id,orientation_id,dispositif,date_entree,date_sortie,motif_sortie\n"
        "CS1,A1,X-001,O1,HEBERGEMENT_INSERTION,2024-01-16,2024-03-01,\n"
    ),
}


def write_dataset(folder: Path, files: dict[str, str] = CSV) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def etl(*args: str, url: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PARCOURS_PSEUDONYM_KEY", "PARCOURS_LANG")}
    env["DATABASE_URL"] = url
    if key is not None:
        env["PARCOURS_PSEUDONYM_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """``python -m etl`` in this process (same ``main``, same output), for speed."""

    def run(*args: str, url: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.delenv("PARCOURS_LANG", raising=False)
        if key is None:
            monkeypatch.delenv("PARCOURS_PSEUDONYM_KEY", raising=False)
        else:
            monkeypatch.setenv("PARCOURS_PSEUDONYM_KEY", key)
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def test_load_then_invalid_dataset_exits_1_and_changes_nothing(db_url: str, tmp_path: Path, cli) -> None:
    good = write_dataset(tmp_path / "good")
    done = cli("load", str(good), url=db_url)
    assert done.returncode == 0, done.stderr
    assert "insérées" in done.stdout and "Traceback" not in done.stderr
    engine = make_engine(db_url)
    before = snapshot(engine)
    assert len(before["persons"]) == 2 and len(before["referrals"]) == 2
    bad = dict(CSV)
    bad["orientations.csv"] = CSV["orientations.csv"].replace("2024-02-01,SIAO", "31/02/2024,PREFECTURE")
    failed = etl("load", str(write_dataset(tmp_path / "bad", bad)), url=db_url)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert "orientations.csv, ligne 3, colonne date_orientation" in failed.stderr
    assert "31/02/2024" in failed.stderr and "PREFECTURE" in failed.stderr
    assert "rien n'a été chargé" in failed.stderr
    assert snapshot(engine) == before


def test_load_log_has_each_file_with_its_sha256(db_url: str, tmp_path: Path, cli) -> None:
    folder = write_dataset(tmp_path / "ds")
    done = cli("load", str(folder), "--lang", "en", url=db_url)
    assert done.returncode == 0, done.stderr
    assert "inserted" in done.stdout
    state = snapshot(make_engine(db_url))
    expected = sorted(
        (1, name, name.removesuffix(".csv"), hashlib.sha256((folder / name).read_bytes()).hexdigest(), rows)
        for name, rows in (("personnes.csv", 2), ("orientations.csv", 2), ("accompagnements.csv", 1))
    )
    assert sorted(state["load_files"]) == expected
    counts = {row[1]: row[2:] for row in state["load_table_counts"]}
    assert counts == {
        "structures": (1, 0, 0, 0), "personnes": (2, 0, 0, 0), "orientations": (2, 0, 0, 0),
        "accompagnements": (1, 0, 0, 0),
    }
    assert [(w[2], w[3], w[6]) for w in state["load_warnings"]] == [("accompagnements", 2, "EXIT_WITHOUT_REASON")]
    assert state["referrals"][0][3] == date(2024, 1, 10) and state["referrals"][0][6] == "ACCEPTEE"
    assert [p[-1] for p in state["persons"]] == [True, False]


def test_dry_run_writes_nothing(sqlite_url: str, tmp_path: Path, cli) -> None:
    done = cli("load", str(write_dataset(tmp_path / "ds")), "--dry-run", url=sqlite_url)
    assert done.returncode == 0, done.stderr
    assert "rien n'a été écrit" in done.stdout
    state = snapshot(make_engine(sqlite_url))
    assert state["persons"] == [] and state["loads"] == [] and state["structures"] == []


def test_pseudonymise_refuses_without_a_long_enough_key(sqlite_url: str, tmp_path: Path, cli) -> None:
    folder = write_dataset(tmp_path / "ds")
    for key in (None, "", "fifteen-chars!!"):
        refused = cli("load", str(folder), "--pseudonymise", url=sqlite_url, key=key)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert "PARCOURS_PSEUDONYM_KEY" in refused.stderr and "Rien n'a été chargé" in refused.stderr
    assert snapshot(make_engine(sqlite_url))["persons"] == []


def test_pseudonymised_load_stores_no_raw_id(db_url: str, tmp_path: Path, cli) -> None:
    key = "a-secret-key-of-some-length"
    done = cli("load", str(write_dataset(tmp_path / "ds")), "--pseudonymise", url=db_url, key=key)
    assert done.returncode == 0, done.stderr
    state = snapshot(make_engine(db_url))
    cells = [str(v) for rows in state.values() for row in rows for v in row]
    assert not [c for c in cells if "X-00" in c]
    assert key not in "".join(cells)
    persons = {row[1] for row in state["persons"]}
    assert len(persons) == 2 and all(len(p) == 32 for p in persons)
    assert {row[2] for row in state["referrals"]} == persons
    assert state["loads"][0][6] is True


def test_domain_command_changes_the_reading(db_url: str, cli) -> None:
    done = cli("domain", "numerique", "--kind", "PRATIQUE", "--pillar", "none", url=db_url)
    assert done.returncode == 0, done.stderr
    assert "NUMERIQUE : STRATEGIQUE/EMPLOI → PRATIQUE/-" in done.stdout
    with make_engine(db_url).connect() as conn:
        readings = {r.domain: (r.kind, r.pillar) for r in conn.execute(select(DomainReading))}
    assert readings["NUMERIQUE"] == ("PRATIQUE", None)
    assert readings["LOGEMENT"] == ("PRATIQUE", "LOGEMENT") and len(readings) == 17
    unknown = cli("domain", "MUSIQUE", "--kind", "PRATIQUE", "--lang", "en", url=db_url)
    assert unknown.returncode == 2 and "Unknown domain: 'MUSIQUE'" in unknown.stderr


def test_status_lists_what_is_loaded(sqlite_url: str, tmp_path: Path, cli) -> None:
    empty = cli("status", url=sqlite_url)
    assert empty.returncode == 0 and "Aucun chargement enregistré." in empty.stdout
    cli("load", str(write_dataset(tmp_path / "ds")), url=sqlite_url)
    done = cli("status", "--lang", "en", url=sqlite_url)
    assert "Structures: 1 (CS1)" in done.stdout and "Persons: 2." in done.stdout
    assert "  orientations: 2" in done.stdout and "Load #1 on" in done.stdout and "1 warning(s)" in done.stdout


def test_unreachable_database_is_a_clean_error(tmp_path: Path, cli) -> None:
    done = cli("status", url="postgresql+psycopg://nobody:nothing@127.0.0.1:1/none")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("Erreur de base de données")


@pytest.mark.parametrize("lang, expected", [("fr", "est à jour"), ("en", "is up to date")])
def test_dictionary_check_passes_on_the_committed_file(lang: str, expected: str, sqlite_url: str, cli) -> None:
    done = cli("dictionary", "--check", "--lang", lang, url=sqlite_url)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_demo_then_init_demo_loads_once(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    written = cli("demo", "--size", "S", "--out", str(tmp_path / "demo"), url=sqlite_url)
    assert written.returncode == 0, written.stderr
    assert "  personnes: 300" in written.stdout
    assert sorted(p.name for p in (tmp_path / "demo").glob("*.csv"))[:3] == [
        "accompagnements.csv", "ateliers.csv", "evaluations.csv",
    ]
    monkeypatch.chdir(tmp_path)
    first = cli("init-demo", "--size", "S", url=sqlite_url)
    assert first.returncode == 0, first.stderr
    assert "data/demo-S" in first.stdout and "Chargement terminé" in first.stdout
    state = snapshot(make_engine(sqlite_url))
    assert len(state["persons"]) == 300 and len(state["loads"]) == 1
    assert len((tmp_path / "data" / "demo-S" / "personnes.csv").read_text(encoding="utf-8").splitlines()) == 301
    second = cli("init-demo", "--size", "S", url=sqlite_url)
    assert second.returncode == 0 and "déjà des données" in second.stdout and "Personnes : 300." in second.stdout
    assert len(snapshot(make_engine(sqlite_url))["loads"]) == 1
