"""Loading a dataset from the browser: the ETL run as a child process, its JSON lines read back.

The dashboard never imports ``etl`` (``etl -> models``, ``dashboard ->
models``), and a large load must not hold the app's process: the uploads
are written to a private temporary folder (mode 0700, removed afterwards)
and ``python -m etl load --report json`` runs on them in a child process,
exactly as an operator would run it: same reading budgets, validation,
anonymity guard and single transaction. Its progress lines feed a callback
(the page's progress bar); the last line is either the errors (nothing
written) or the summary.

Uploads are untrusted: only their base name is kept, a set is one ``.xlsx``,
one ``.zip`` or CSV files, and nothing the user sees names a server path
(the folder's own name is replaced by ``DATASET``). No Streamlit here.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import polars as pl

from dashboard.i18n import t
from dashboard.safe_text import csv_cell
from models.settings import database_url, get_setting

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "envoi"  # the uploads' folder inside the private temporary one: what the ETL names a dataset-wide problem
DATASET = "—"  # what the page shows instead of the folder's name
SUFFIXES = (".csv", ".zip", ".xlsx")
SOURCE_PREFIX = "navigateur"  # the load log's source: "navigateur : export.zip", never a server path
STOP_SECONDS = 10
log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called with (phase, done, total): ``read`` (0, 0), then ``compare`` and ``write`` over rows."""


class UploadedFile(Protocol):
    """What Streamlit's ``UploadedFile`` offers and the import needs."""

    name: str

    def seek(self, offset: int, whence: int = 0) -> int: ...

    def read(self, size: int = -1) -> bytes: ...


class BadUploads(ValueError):
    """The set of files cannot be a dataset; ``key`` names the message (``load.bad.<key>``), ``names`` the files."""

    def __init__(self, key: str, names: Sequence[str] = ()) -> None:
        super().__init__(key)
        self.key = key
        self.names = list(names)


@dataclass
class Outcome:
    """What the child reported: a summary (``ok``), the errors, or a failure with a log reference."""

    dry_run: bool
    ok: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    structures: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)  # files (or sheets, zip members) the ETL read
    ignored: list[str] = field(default_factory=list)  # uploads no table of the data dictionary is named after
    load_id: int | None = None
    replaced: bool = False
    failure: str | None = None  # reference of the server log's entry when the child stopped without a report


def base_name(name: str) -> str:
    """The file's own name, whatever path the browser sent."""
    return Path(name.replace("\\", "/")).name.strip()


def check_uploads(names: Sequence[str]) -> list[str]:
    """The base names of an acceptable set: one ``.xlsx``, one ``.zip`` or CSV files with distinct names."""
    cleaned = [base_name(n) for n in names]
    odd = [n for n, c in zip(names, cleaned, strict=True) if not c or c.startswith(".")
           or Path(c).suffix.lower() not in SUFFIXES]
    if odd:
        raise BadUploads("kind", odd)
    kinds = {Path(c).suffix.lower() for c in cleaned}
    if len(kinds) > 1 or (kinds != {".csv"} and len(cleaned) > 1):
        raise BadUploads("mix", cleaned)
    seen: set[str] = set()
    twins = [c for c in cleaned if c.lower() in seen or seen.add(c.lower())]  # type: ignore[func-returns-value]
    if twins:
        raise BadUploads("twice", twins)
    return cleaned


def save_uploads(files: Sequence[UploadedFile], folder: Path) -> Path:
    """Write the uploads under ``folder`` (chunk by chunk); the path to hand to the ETL."""
    names = check_uploads([f.name for f in files])
    target = folder / FOLDER
    target.mkdir(mode=0o700)
    for upload, name in zip(files, names, strict=True):
        upload.seek(0)
        with (target / name).open("xb") as handle:
            shutil.copyfileobj(upload, handle, 1024 * 1024)
    return target if names[0].lower().endswith(".csv") else target / names[0]


def source_name(names: Sequence[str]) -> str:
    return f"{SOURCE_PREFIX} : {', '.join(base_name(n) for n in names)}"


def command(target: Path, names: Sequence[str], *, lang: str, dry_run: bool, structure: str | None,
            replace: bool, pseudonymise: bool) -> list[str]:
    args = [sys.executable, "-m", "etl", "load", str(target), "--report", "json", "--lang", lang,
            "--source-name", source_name(names)]
    if structure:
        args += ["--structure", structure]
    return args + [flag for flag, on in (("--dry-run", dry_run), ("--replace", replace),
                                         ("--pseudonymise", pseudonymise)) if on]


def run_load(files: Sequence[UploadedFile], *, lang: str, dry_run: bool, structure: str | None = None,
             replace: bool = False, pseudonymise: bool = False, progress: Progress | None = None) -> Outcome:
    """Check (``dry_run``) or load the uploads with ``python -m etl load``; ``BadUploads`` for an unusable set.

    If the caller stops (the page is left), the child is stopped: its
    transaction rolls back and nothing is written.
    """
    names = [f.name for f in files]
    with tempfile.TemporaryDirectory(prefix="parcours-import-") as tmp:  # mkdtemp: mode 0700, this user only
        folder = Path(tmp)
        target = save_uploads(files, folder)
        args = command(target, names, lang=lang, dry_run=dry_run, structure=(structure or "").strip() or None,
                       replace=replace, pseudonymise=pseudonymise)
        with (folder / "stderr.txt").open("w+", encoding="utf-8") as errors:
            outcome, code = _follow(args, errors, dry_run, progress)
            if not outcome.ok and not outcome.errors:
                errors.seek(0)
                outcome.failure = _logged(code, errors.read()[-4000:].replace(str(folder), "…"))
    outcome.ignored = _ignored(names, outcome)
    return outcome


def _environment() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    # The URL as the app reads it (environment or secrets.toml), relative paths from the same folder.
    return {**os.environ, "PYTHONPATH": path, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"}


def _follow(args: list[str], errors: IO[str], dry_run: bool, progress: Progress | None) -> tuple[Outcome, int]:
    outcome = Outcome(dry_run=dry_run)
    child = subprocess.Popen(args, cwd=os.getcwd(), env=_environment(), stdout=subprocess.PIPE, stderr=errors,
                             stdin=subprocess.DEVNULL, text=True, encoding="utf-8")
    try:
        assert child.stdout is not None
        for line in child.stdout:
            _read_event(line, outcome, progress)
        return outcome, child.wait()
    finally:
        if child.poll() is None:  # the caller stopped: stop the load, its transaction rolls back
            child.terminate()
            try:
                child.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _read_event(line: str, outcome: Outcome, progress: Progress | None) -> None:
    try:
        event = json.loads(line)
    except ValueError:
        log.warning("unexpected output from the ETL: %.200r", line)
        return
    kind = event.get("event")
    if kind == "phase" and progress:
        progress(str(event.get("phase")), 0, 0)
    elif kind == "progress" and progress:
        progress(str(event.get("phase")), int(event.get("done", 0)), int(event.get("total", 0)))
    elif kind == "invalid":
        outcome.errors, outcome.warnings = event["errors"], event["warnings"]
        outcome.read = event.get("files", [])
    elif kind == "summary":
        outcome.ok = True
        outcome.warnings, outcome.counts = event["warnings"], event["counts"]
        outcome.structures, outcome.load_id = event["structures"], event.get("load_id")
        outcome.replaced = bool(event.get("replace"))
        outcome.read = event.get("files", [])


def _ignored(names: Sequence[str], outcome: Outcome) -> list[str]:
    """Uploaded CSV files the ETL neither read nor reported a problem with: no table has their name."""
    read = {Path(f).name.lower() for f in outcome.read}
    read |= {Path(str(p.get("file") or "")).name.lower() for p in outcome.errors + outcome.warnings}
    return [base_name(n) for n in names if base_name(n).lower().endswith(".csv") and base_name(n).lower() not in read]


def _logged(code: int, stderr: str) -> str:
    reference = secrets.token_hex(4)
    log.error("import from the browser failed (exit status %s), reference %s:\n%s", code, reference, stderr)
    return reference


def shown_file(file: str | None) -> str:
    """The file as the page shows it: a problem of the whole dataset names the temporary folder, never shown."""
    if not file or file == FOLDER:
        return DATASET
    return file.removeprefix(f"{FOLDER}/")


def problems_table(outcome: Outcome, lang: str) -> pl.DataFrame:
    """Every error, then every warning: kind, file, line, column, value, reason (headers in ``lang``); a missing
    column or value is empty text (an empty cell reads better than "None", and the CSV is the same)."""
    rows = [(t(f"load.kind.{kind}", lang), shown_file(p.get("file")), p.get("line"), p.get("column") or "",
             p.get("value") or "", p.get("reason") or "")
            for kind, items in (("error", outcome.errors), ("warning", outcome.warnings)) for p in items]
    columns = [t(f"load.col.{c}", lang) for c in ("kind", "file", "line", "column", "value", "reason")]
    schema = dict(zip(columns, (pl.String, pl.String, pl.Int64, pl.String, pl.String, pl.String), strict=True))
    return pl.DataFrame(rows, schema=schema, orient="row")


def summary_table(outcome: Outcome, lang: str) -> pl.DataFrame:
    """Rows per table inserted, updated and unchanged (and deleted, when replacing), then the total."""
    shown = ["inserted", "updated", "unchanged"] + (["deleted"] if outcome.replaced else [])
    rows = [(name, *(counts.get(c, 0) for c in shown)) for name, counts in outcome.counts.items()]
    rows.append((t("total", lang), *(sum(int(r[i + 1]) for r in rows) for i in range(len(shown)))))  # type: ignore[call-overload]
    columns = [t("load.col.table", lang), *(t(f"load.col.{c}", lang) for c in shown)]
    return pl.DataFrame(rows, schema=[(columns[0], pl.String), *((c, pl.Int64) for c in columns[1:])], orient="row")


def problems_csv(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads the accents); a text cell that a spreadsheet would run as a
    formula starts with ``'`` (``dashboard.safe_text.csv_cell``): the values come from the uploaded files."""
    safe = frame.with_columns(
        pl.Series(name, [None if v is None else csv_cell(v) for v in frame[name].to_list()], dtype=pl.String)
        for name in frame.columns if frame[name].dtype == pl.String
    )
    return b"\xef\xbb\xbf" + safe.write_csv().encode("utf-8")


def problem_count(problems: Sequence[dict[str, Any]]) -> int:
    """The true number of problems: the ETL lists a few of each kind, then one ``MORE_PROBLEMS`` entry whose value
    is how many of that kind it left out."""
    more = [p for p in problems if p.get("code") == "MORE_PROBLEMS"]
    return len(problems) - len(more) + sum(int(p["value"]) for p in more if str(p.get("value") or "").isdigit())


def structure_list(structures: Sequence[str], shown: int = 10) -> str:
    """The first ``shown`` structure ids, then "…" when there are more."""
    return ", ".join(structures[:shown]) + (", …" if len(structures) > shown else "")


def literal(text: str) -> str:
    """``text`` shown as written in Streamlit's Markdown (file names come from the user's computer): every
    ASCII punctuation mark backslash-escaped (CommonMark), so no link, emphasis, formula or colour directive."""
    return "".join(f"\\{c}" if c in _PUNCTUATION else c for c in text)


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def pseudonym_key_set() -> bool:
    """Whether the server holds a pseudonymisation key (``PARCOURS_PSEUDONYM_KEY``): never its value."""
    return bool(get_setting("PARCOURS_PSEUDONYM_KEY").strip())
