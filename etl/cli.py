"""The ``python -m etl`` command line: load, demo, init-demo, domain, dictionary, status, quality.

``status --warnings [--load N]`` prints each warning of a load with its
file, line, column and value: the operator's view, never the dashboard's
(which shows counts per kind only).

Every expected failure ends with a clear message and exit status 1 (bad
data, unreachable database) or 2 (bad usage or configuration), never a
traceback; ``PARCOURS_DEBUG=1`` shows the traceback of unexpected errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col

from etl import dictionary, forget, json_report, quality_cli
from etl.budgets import Budgets
from etl.cli_text import say
from etl.dataset import read_and_validate
from etl.load import load_dataset
from etl.log import LoadSummary, find_load, last_loads, stored_warnings
from etl.messages import format_problem
from etl.progress import Progress, format_summary, warning_lines
from etl.pseudonymise import PseudonymKeyError, pseudonym_key, pseudonymise
from etl.terminal import printable
from models.contract import CONTRACT_TABLES
from models.db import make_engine
from models.reference import codes
from models.settings import database_url, get_setting
from models.tables import DomainReading, Person, Structure

DEMO_SIZES = ("S", "M", "L", "XL")
SOURCE_CHARS = 500  # the load log's source column
EXIT_DATA = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage or configuration: exit 2 with the message."""


def _lang_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    default = get_setting("PARCOURS_LANG")
    parent.add_argument("--lang", choices=("fr", "en"), default=default if default in ("fr", "en") else "fr")
    return parent


def build_parser() -> argparse.ArgumentParser:
    common = _lang_parent()
    parser = argparse.ArgumentParser(prog="python -m etl", description="Parcours: chargement des données / data loading")
    sub = parser.add_subparsers(dest="command", required=True)

    load = sub.add_parser("load", parents=[common], help="valider et charger un jeu de données / validate and load")
    load.add_argument("path", type=Path)
    load.add_argument("--structure", help="structure_id pour tout le jeu / for the whole dataset")
    load.add_argument("--replace", action="store_true", help="supprimer ce qui n'est plus dans la source / delete what is gone")
    load.add_argument("--pseudonymise", action="store_true", help="HMAC-SHA-256 des personne_id (PARCOURS_PSEUDONYM_KEY)")
    load.add_argument("--dry-run", action="store_true", help="valider et compter sans rien écrire / write nothing")
    load.add_argument("--report", choices=("text", "json"), default="text",
                      help="json : une ligne JSON par étape sur stdout / one JSON line per step (etl/json_report.py)")
    load.add_argument("--source-name", help="nom du jeu dans l'historique plutôt que son chemin / name kept in the log")

    demo = sub.add_parser("demo", parents=[common], help="écrire un jeu de démonstration / write a demo dataset")
    demo.add_argument("--size", choices=DEMO_SIZES, required=True)
    demo.add_argument("--out", type=Path, required=True)
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--format", dest="fmt", choices=("csv", "xlsx", "parquet"), default="csv")
    demo.add_argument("--workshop-effect", type=float, default=1.0,
                      help="échelle de l'effet planté des ateliers (0 : aucun effet) / scale of the planted workshop "
                           "effect (0: none)")

    init = sub.add_parser("init-demo", parents=[common], help="charger la démo si la base est vide / load the demo if empty")
    init.add_argument("--size", choices=DEMO_SIZES, default="M")

    domain = sub.add_parser("domain", parents=[common], help="changer la lecture d'un domaine / change a domain's reading")
    domain.add_argument("domain")
    domain.add_argument("--kind", required=True, type=str.upper, choices=codes("KIND"))
    domain.add_argument("--pillar", type=str.upper, choices=[*codes("PILLAR"), "NONE"])

    check = sub.add_parser("dictionary", parents=[common], help="écrire ou vérifier docs/data-dictionary.md")
    check.add_argument("--check", action="store_true")

    status = sub.add_parser("status", parents=[common], help="ce qui est chargé / what is loaded")
    status.add_argument("--warnings", action="store_true",
                        help="le détail des avertissements d'un chargement / each warning of a load")
    status.add_argument("--load", metavar="N", help="ce chargement plutôt que le dernier / this load, not the latest")
    quality_cli.add_parser(sub, common)
    forget.add_parser(sub, common)
    return parser


def _dry_run_engine() -> Engine:
    """The database to compare with, never created by a dry run: a SQLite file that does not exist yet is
    an empty database, so the comparison runs against an empty one in memory."""
    url = make_url(database_url())
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).exists():
        return make_engine("sqlite://")
    return make_engine()


def _load(args: argparse.Namespace, engine: Engine | None = None) -> int:
    lang = args.lang
    as_json = getattr(args, "report", "text") == "json"
    key = pseudonym_key(lang) if args.pseudonymise else None
    try:
        budgets = Budgets.from_settings()
    except ValueError as error:
        raise UsageError(str(error)) from error
    if as_json:
        json_report.emit({"event": "phase", "phase": "read"})
    dataset = read_and_validate(args.path, structure=args.structure, lang=lang, budgets=budgets)
    if as_json and not dataset.ok:
        json_report.emit(json_report.invalid_event(dataset.errors, dataset.warnings, dataset.files, lang))
        return EXIT_DATA
    if not dataset.ok:
        for found in dataset.errors:
            print(printable(format_problem(found, lang)), file=sys.stderr)
        print(say("invalid", lang, n=len(dataset.errors)), file=sys.stderr)
        return EXIT_DATA
    if key is not None:
        dataset = pseudonymise(dataset, key)
    report = load_dataset(
        engine or (_dry_run_engine() if args.dry_run else make_engine()),
        dataset,
        source=(getattr(args, "source_name", None) or str(args.path))[:SOURCE_CHARS],
        replace=args.replace,
        dry_run=args.dry_run,
        pseudonymised=key is not None,
        progress=json_report.JsonProgress(lang=lang) if as_json else Progress(lang=lang),
    )
    if as_json:
        json_report.emit(json_report.summary_event(report, dataset.files, lang))
    else:
        print(format_summary(report, lang))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from etl.demo import write_demo

    counts = write_demo(args.size, args.out, seed=args.seed, fmt=args.fmt, lang=args.lang,
                        workshop_effect=args.workshop_effect)
    print(printable(say("demo_written", args.lang, out=args.out, rows=sum(counts.values()))))
    for table, n in counts.items():
        print(f"  {table}: {n}")
    return 0


def _person_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Person)).scalar_one()


def _init_demo(args: argparse.Namespace) -> int:
    engine = make_engine()
    if _person_count(engine):
        print(say("already_loaded", args.lang))
        return _status(args, engine)
    out = Path("data") / f"demo-{args.size}"
    if not any(out.glob("*.csv")):
        from etl.demo import write_demo

        print(say("demo_generating", args.lang, size=args.size, out=out))
        write_demo(args.size, out, lang=args.lang)
    load_args = argparse.Namespace(
        path=out, structure=None, replace=False, pseudonymise=False, dry_run=False, lang=args.lang
    )
    return _load(load_args, engine)


def _domain(args: argparse.Namespace) -> int:
    domain = args.domain.strip().upper()
    if domain not in codes("DOMAINE"):
        raise UsageError(say("bad_domain", args.lang, value=printable(args.domain), choices=", ".join(codes("DOMAINE"))))
    pillar = None if args.pillar in (None, "NONE") else args.pillar
    engine = make_engine()
    table = DomainReading.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        before = conn.execute(select(table.c.kind, table.c.pillar).where(table.c.domain == domain)).one()
        conn.execute(update(table).where(table.c.domain == domain).values(kind=args.kind, pillar=pillar))
    print(say("domain_changed", args.lang, domain=domain, old=f"{before[0]}/{before[1] or '-'}",
              new=f"{args.kind}/{pillar or '-'}"))
    return 0


def _dictionary(args: argparse.Namespace) -> int:
    if args.check:
        if dictionary.is_up_to_date():
            print(say("dict_ok", args.lang, path=dictionary.DISPLAY_PATH))
            return 0
        print(say("dict_stale", args.lang, path=dictionary.DISPLAY_PATH), file=sys.stderr)
        return EXIT_DATA
    dictionary.write()
    print(say("dict_written", args.lang, path=dictionary.DISPLAY_PATH))
    return 0


def _load_line(load: LoadSummary, lang: str) -> str:
    return printable(say("status_load", lang, id=load.id, at=load.finished_at.strftime("%Y-%m-%d %H:%M"),
                         source=load.source, structures=load.structures, warnings=load.warnings))


def _load_number(value: str | None, lang: str) -> int | None:
    if value is None:
        return None
    if not value.strip().isdecimal():
        raise UsageError(say("status_bad_load", lang, value=printable(value)))
    return int(value)


def _status_warnings(args: argparse.Namespace, engine: Engine) -> int:
    """The chosen load (the latest by default), then each of its warnings."""
    lang = args.lang
    wanted = _load_number(args.load, lang)
    with engine.connect() as conn:
        load = find_load(conn, wanted)
        if load is None and wanted is None:
            raise UsageError(say("status_no_load_warnings", lang))
        if load is None:
            known = ", ".join(str(s.id) for s in reversed(last_loads(conn))) or "-"
            raise UsageError(say("status_unknown_load", lang, id=wanted, known=known))
        warnings = stored_warnings(conn, load.id)
    print(_load_line(load, lang))
    print("\n".join(warning_lines(warnings, lang)))
    return 0


def _status(args: argparse.Namespace, engine: Engine | None = None) -> int:
    engine = engine or make_engine()
    lang = args.lang
    if getattr(args, "warnings", False):
        return _status_warnings(args, engine)
    if getattr(args, "load", None) is not None:
        raise UsageError(say("status_load_alone", lang))
    with engine.connect() as conn:
        structures = conn.execute(select(col(Structure.structure_id)).order_by(col(Structure.structure_id))).scalars().all()
        counts = {
            name: conn.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in CONTRACT_TABLES.items()
        }
        loads = last_loads(conn)
    shown = printable(", ".join(structures[:10])) + (" …" if len(structures) > 10 else "")
    print(say("status_structures", lang, n=len(structures), names=shown or "-"))
    print(say("status_persons", lang, n=counts["personnes"]))
    for name, n in counts.items():
        print(f"  {name}: {n}")
    if not loads:
        print(say("status_no_load", lang))
    for load in loads:
        print(_load_line(load, lang))
    return 0


COMMANDS = {"load": _load, "demo": _demo, "init-demo": _init_demo, "domain": _domain, "dictionary": _dictionary,
            "status": _status, "quality": quality_cli.run, "forget": forget.run}


def _database_message(error: SQLAlchemyError) -> str:
    orig = getattr(error, "orig", None)
    return str(orig or error).strip().splitlines()[0]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = args.lang
    try:
        return COMMANDS[args.command](args)
    except (PseudonymKeyError, UsageError) as error:
        print(printable(str(error)), file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as error:
        print(say("database", lang, detail=printable(_database_message(error))), file=sys.stderr)
        return EXIT_DATA
    except (OSError, ValueError) as error:
        print(say("failed", lang, detail=printable(error)), file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print(say("interrupted", lang), file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("PARCOURS_DEBUG") == "1":
            raise
        print(say("unexpected", lang, detail=printable(f"{type(error).__name__}: {error}")), file=sys.stderr)
        return EXIT_DATA
