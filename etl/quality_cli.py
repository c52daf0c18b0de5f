"""``python -m etl quality``: the rows behind the data-quality page, for the operator's own terminal.

The page shows counts only; this lists each row a rule flags (table, ids,
line when known, rule, column), from the same declarations
(``models.quality``). From the database (``--structure S``), or from an
export before loading it (``python -m etl quality PATH --structure S``),
where each row also has its line in the file. Text from the data is printed
through ``etl.terminal.printable``; in CSV a cell that would start a formula
gets a leading ``'`` (as the app's downloads).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, func, select
from sqlmodel import col

from etl import upsert
from etl.dataset import read_and_validate
from etl.quality_log import project_frames
from etl.terminal import printable
from models import quality
from models.contract import CONTRACT_TABLES, contract_columns
from models.db import make_engine
from models.tables import Assessment, Referral, Structure, SupportPeriod, WorkshopSession

COLUMNS = ("table", "ids", "line", "rule", "column")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_MESSAGES = {
    "unknown_structure": ("Structure inconnue : {value} (structures de la base : {known}).",
                          "Unknown structure: {value} (structures in the database: {known})."),
    "invalid": ("Le jeu de données contient {n} erreur(s) : corrigez-les d'abord (python -m etl load {path} "
                "--dry-run les liste).", "The dataset has {n} error(s): fix them first (python -m etl load {path} "
                "--dry-run lists them)."),
    "none": ("Aucune ligne signalée pour {structure}.", "No row flagged for {structure}."),
    "count": ("{n} ligne(s) signalée(s) pour {structure} (référence des délais : {day}).",
              "{n} row(s) flagged for {structure} (reference day for delays: {day})."),
}


class QualityUsageError(Exception):
    """Bad usage: exit 2 with the message."""


def _say(key: str, lang: str, **values: object) -> str:
    fr, en = _MESSAGES[key]
    return (en if lang == "en" else fr).format(**values)


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("quality", parents=[common],
                            help="les lignes signalées par les règles de qualité / rows flagged by the quality rules")
    parser.add_argument("path", type=Path, nargs="?", help="un export à vérifier avant chargement / an export to check")
    parser.add_argument("--structure", required=True, help="structure_id")
    parser.add_argument("--format", dest="fmt", choices=("text", "csv"), default="text")


def _source_names(table: str) -> dict[str, str]:
    contract = quality.CONTRACT_NAMES[table]
    return {c.name: c.source for c in contract_columns(contract)}


def _rows(table: str, frame: pl.DataFrame, rule: str, column: str | None) -> list[dict[str, object]]:
    if frame.is_empty():
        return []
    names = _source_names(table)
    ids = quality.IDS[table]
    frame = frame.sort(["_line"] if "_line" in frame.columns else list(ids))  # file order, else key order
    line = frame["_line"].to_list() if "_line" in frame.columns else [None] * frame.height
    values = frame.select(ids).rows()
    return [
        {"table": quality.CONTRACT_NAMES[table], "ids": " ".join(f"{names[i]}={v}" for i, v in zip(ids, row, strict=True)),
         "line": n, "rule": rule, "column": names.get(column, column) if column else None}
        for row, n in zip(values, line, strict=True)
    ]


def flagged_rows(frames: dict[str, pl.DataFrame], as_of: date) -> list[dict[str, object]]:
    """Every row a completeness or consistency rule flags, in rule order then row order."""
    out: list[dict[str, object]] = []
    for column in quality.COMPLETENESS:
        frame = frames.get(column.table)
        if frame is None:
            continue
        out += _rows(column.table, frame.filter(column.missing()), "MISSING", column.column)
        if column.has_unknown:
            out += _rows(column.table, frame.filter(column.unknown()), "UNKNOWN", column.column)
    for rule in quality.CONSISTENCY:
        out += _rows(rule.table, rule.rows(frames, as_of), rule.code, None)
    return out


def last_day(frames: dict[str, pl.DataFrame]) -> date | None:
    """The last day any event is dated, as the dashboard's ``Data.last_day``."""
    dated = {"referrals": ("referral_date",), "support_periods": ("entry_date", "exit_date"),
             "assessments": ("assessment_date",), "workshop_sessions": ("session_date",)}
    days = [frames[t][c].max() for t, cs in dated.items() if t in frames for c in cs]
    found = [d for d in days if isinstance(d, date)]
    return max(found) if found else None


def _stored_last_day(engine: Engine) -> date | None:
    """The database's last event day over every structure: the page's reference day."""
    columns = (Referral.referral_date, SupportPeriod.entry_date, SupportPeriod.exit_date, Assessment.assessment_date,
               WorkshopSession.session_date)
    with engine.connect() as conn:
        days = [conn.execute(select(func.max(c))).scalar() for c in columns]
    found = [d if isinstance(d, date) else date.fromisoformat(str(d)[:10]) for d in days if d is not None]
    return max(found) if found else None


def _from_database(structure: str, lang: str) -> tuple[dict[str, pl.DataFrame], date | None]:
    engine = make_engine()
    with engine.connect() as conn:
        known = sorted(conn.execute(select(col(Structure.structure_id))).scalars().all())
        if structure not in known:
            raise QualityUsageError(_say("unknown_structure", lang, value=structure, known=", ".join(known) or "-"))
        stored = {name: upsert.read_stored(conn, name, [structure]) for name in CONTRACT_TABLES}
    return project_frames(stored), _stored_last_day(engine)


def _from_export(path: Path, structure: str, lang: str) -> tuple[dict[str, pl.DataFrame], date | None]:
    dataset = read_and_validate(path, structure=None, lang=lang)
    if any(e.code == "NO_STRUCTURE" for e in dataset.errors):  # files without structure_id: all of them are S's
        dataset = read_and_validate(path, structure=structure, lang=lang)
    if not dataset.ok:
        raise QualityUsageError(_say("invalid", lang, n=len(dataset.errors), path=path))
    frames = {
        str(CONTRACT_TABLES[name].__tablename__): upsert.conform(name, frame).with_columns(frame["_line"])
        for name, frame in dataset.tables.items()
    }
    frames = {name: frame.filter(pl.col("structure_id") == structure) for name, frame in frames.items()}
    if all(frame.is_empty() for frame in frames.values()):
        known = sorted(set(dataset.structures))
        raise QualityUsageError(_say("unknown_structure", lang, value=structure, known=", ".join(known) or "-"))
    return frames, last_day(frames)


def _csv_cell(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def render(rows: list[dict[str, object]], fmt: str) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _csv_cell(v) for k, v in row.items()} for row in rows)
        return buffer.getvalue()
    # Each cell made printable on its own: the tabs between them are ours.
    return "".join("\t".join(printable(row[c] if row[c] is not None else "-") for c in COLUMNS) + "\n" for row in rows)


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        if args.path is not None:
            frames, as_of = _from_export(args.path, args.structure, lang)
        else:
            frames, as_of = _from_database(args.structure, lang)
    except QualityUsageError as error:
        print(printable(str(error)), file=sys.stderr)
        return 2
    rows = flagged_rows(frames, as_of) if as_of is not None else flagged_rows(frames, date.max)
    sys.stdout.write(render(rows, args.fmt))
    key = "count" if rows else "none"
    print(printable(_say(key, lang, n=len(rows), structure=args.structure, day=as_of or "-")), file=sys.stderr)
    return 0
