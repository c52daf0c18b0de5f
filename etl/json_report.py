"""``python -m etl load --report json``: what a program reads instead of the operator's text.

One JSON object a line on standard output, flushed as it comes, so that a
parent process (the dashboard's import page) follows a long load without
waiting for its end:

- ``{"event": "phase", "phase": "read"}`` when reading and validating starts;
- ``{"event": "progress", "phase": "compare" | "write", "done": n, "total": m}``
  at most every ``EVERY`` seconds, and at the start and the end of a phase;
- then exactly one of ``{"event": "invalid", "errors": [...], "warnings": [...]}``
  (nothing written) or ``{"event": "summary", ...}`` (the load, or what a
  dry run would do);
- ``{"event": "failed", "message": ...}`` when the command stops on an
  expected failure (unreachable database, bad setting).

Each problem is ``{file, line, column, value, code, reason}`` with the reason
worded in the requested language and without its location (the reader has
the fields). Values are as read: JSON escapes them; the reader decides how
to show them.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from etl.messages import problem_reason
from etl.progress import Progress

if TYPE_CHECKING:
    from etl.dataset import Problem, SourceFile
    from etl.load import LoadReport

EVERY = 0.2  # seconds between two progress lines: smooth for a bar, a few hundred lines for a long load


def emit(event: dict[str, Any], stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    out.write(json.dumps(event, ensure_ascii=False) + "\n")
    out.flush()


def problem_dict(problem: Problem, lang: str) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "column": problem.column, "value": problem.value,
            "code": problem.code, "reason": problem_reason(problem, lang)}


def problems(items: Sequence[Problem], lang: str) -> list[dict[str, Any]]:
    return [problem_dict(p, lang) for p in items]


def invalid_event(errors: Sequence[Problem], warnings: Sequence[Problem], files: Sequence[SourceFile],
                  lang: str) -> dict[str, Any]:
    return {"event": "invalid", "errors": problems(errors, lang), "warnings": problems(warnings, lang),
            "files": [f.name for f in files]}


def summary_event(report: LoadReport, files: Sequence[SourceFile], lang: str) -> dict[str, Any]:
    return {
        "event": "summary",
        "dry_run": report.dry_run,
        "load_id": report.load_id,
        "replace": report.replace,
        "structures": report.structures,
        "counts": {name: {"inserted": c.inserted, "updated": c.updated, "unchanged": c.unchanged,
                          "deleted": c.deleted} for name, c in report.counts.items()},
        "warnings": problems(report.warnings, lang),
        "files": [f.name for f in files],
        "seconds": round(report.seconds, 3),
    }


class JsonProgress(Progress):
    """The load's progress as ``progress`` lines on standard output (same phases as the terminal bar)."""

    def __init__(self, stream: TextIO | None = None, *, lang: str = "fr") -> None:
        super().__init__(stream or sys.stdout, lang=lang, delay=0.0)
        self.phase = ""
        self._sent = 0.0

    def start(self, total: int, phase: str = "write") -> None:
        super().start(total, phase)
        self.phase = phase
        self._send()

    def advance(self, n: int) -> None:
        self.done += n
        if time.monotonic() - self._sent >= EVERY:
            self._send()

    def finish(self) -> None:
        if self.phase:
            self.done = max(self.done, self.total)
            self._send()
            self.phase = ""

    def _send(self) -> None:
        self._sent = time.monotonic()
        emit({"event": "progress", "phase": self.phase, "done": self.done, "total": self.total}, self.stream)
