"""Progress of a load on stderr, and the end-of-load summary.

The bar appears only when stderr is a terminal and the load has been
running for more than a second; otherwise nothing is printed until the
summary, so logs and pipes stay clean.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from etl.messages import format_problem
from etl.terminal import printable

if TYPE_CHECKING:
    from etl.dataset import Problem
    from etl.load import LoadReport

WIDTH = 30
SHOWN_WARNINGS = 5

_TEXT = {
    "fr": {
        "compare": "Comparaison avec la base",
        "write": "Écriture",
        "title": "Chargement terminé ({seconds:.1f} s), chargement n° {load_id}.",
        "dry": "Simulation (--dry-run) : rien n'a été écrit. Voici ce que le chargement ferait ({seconds:.1f} s).",
        "head": ("table", "insérées", "mises à jour", "inchangées", "supprimées"),
        "total": "total",
        "structures": "Structures : {names}",
        "no_warning": "Aucun avertissement.",
        "warnings": "{n} avertissement(s) :",
        "more": "… et {n} autre(s) : « python -m etl status --warnings » liste ceux qui sont enregistrés.",
        "kinds": {
            "AGE_IMPLAUSIBLE": "âge improbable",
            "EXIT_WITHOUT_REASON": "sortie sans motif",
            "REFERRAL_PENDING_90D": "orientation en attente depuis plus de 90 jours",
            "PERSON_WITHOUT_ACTIVITY": "personne sans orientation ni accompagnement",
            "SUPPORT_OPEN_3Y": "accompagnement ouvert depuis plus de 3 ans",
        },
    },
    "en": {
        "compare": "Comparing with the database",
        "write": "Writing",
        "title": "Load finished ({seconds:.1f} s), load #{load_id}.",
        "dry": "Dry run (--dry-run): nothing was written. This is what the load would do ({seconds:.1f} s).",
        "head": ("table", "inserted", "updated", "unchanged", "deleted"),
        "total": "total",
        "structures": "Structures: {names}",
        "no_warning": "No warnings.",
        "warnings": "{n} warning(s):",
        "more": "… and {n} more: `python -m etl status --warnings` lists those stored.",
        "kinds": {
            "AGE_IMPLAUSIBLE": "implausible age",
            "EXIT_WITHOUT_REASON": "exit without a reason",
            "REFERRAL_PENDING_90D": "referral pending for over 90 days",
            "PERSON_WITHOUT_ACTIVITY": "person with no referral and no support period",
            "SUPPORT_OPEN_3Y": "support period open for over 3 years",
        },
    },
}


def text(lang: str) -> dict:  # type: ignore[type-arg]
    return _TEXT.get(lang, _TEXT["fr"])


class Progress:
    """A text progress bar over a known number of rows."""

    def __init__(self, stream: TextIO | None = None, *, lang: str = "fr", delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.text = text(lang)
        self.label = ""
        self.delay = delay
        self.total = 0
        self.done = 0
        self._started = 0.0
        self._drawn = 0.0
        self._shown = False

    @property
    def interactive(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def start(self, total: int, phase: str = "write") -> None:
        """Start a phase (``compare`` or ``write``) over ``total`` rows."""
        self.finish()
        self.total, self.done, self.label = total, 0, self.text[phase]
        self._started = time.monotonic()
        self._drawn = 0.0
        self._shown = False

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if not self.interactive or now - self._started < self.delay or now - self._drawn < 0.1:
            return
        self._drawn = now
        self._shown = True
        self.stream.write("\r" + self.line())
        self.stream.flush()

    def line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = int(share * WIDTH)
        return f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%} {self.done:,}/{self.total:,}"

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()
            self._shown = False


def _number(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", "\u202f" if lang == "fr" else ",")


def format_summary(report: LoadReport, lang: str = "fr") -> str:
    """Rows per table inserted/updated/unchanged/deleted, then warnings by kind."""
    t = text(lang)
    lines = [
        t["dry"].format(seconds=report.seconds)
        if report.dry_run
        else t["title"].format(seconds=report.seconds, load_id=report.load_id),
        t["structures"].format(names=printable(", ".join(report.structures))),
        "",
    ]
    rows = [
        (name, *(_number(v, lang) for v in (c.inserted, c.updated, c.unchanged, c.deleted)))
        for name, c in report.counts.items()
    ]
    total = report.total
    rows.append((t["total"], *(_number(v, lang) for v in (total.inserted, total.updated, total.unchanged, total.deleted))))
    widths = [max(len(str(r[i])) for r in [t["head"], *rows]) for i in range(5)]
    for row in [t["head"], *rows]:
        cells = [str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells))
    lines.append("")
    lines += warning_lines(report.warnings, lang, SHOWN_WARNINGS)
    return "\n".join(lines)


def warning_lines(warnings: Sequence[Problem], lang: str = "fr", limit: int | None = None) -> list[str]:
    """The true number of warnings, the number per kind, then the warnings one per line.

    With ``limit``, only the first ``limit`` warnings are listed, then how
    many more there are; without, every stored row is listed, the
    MORE_PROBLEMS ones included. Text from the data passes through
    ``printable``: it cannot drive the terminal.
    """
    t = text(lang)
    if not warnings:
        return [t["no_warning"]]
    counts = warning_counts(warnings)
    total = sum(counts.values())
    lines = [t["warnings"].format(n=_number(total, lang))]
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {t['kinds'].get(code, printable(code))} : {_number(n, lang)}" if lang == "fr"
                     else f"  {t['kinds'].get(code, printable(code))}: {_number(n, lang)}")
    listed = list(warnings) if limit is None else [w for w in warnings if w.code != "MORE_PROBLEMS"][:limit]
    lines += [f"  - {printable(format_problem(w, lang))}" for w in listed]
    if limit is not None and total > len(listed):
        lines.append("  " + t["more"].format(n=_number(total - len(listed), lang)))
    return lines


def warning_counts(warnings: Sequence[Problem]) -> Counter[str]:
    """True counts per kind: the read side lists a few of each kind, then one
    MORE_PROBLEMS entry whose value is how many of that kind were left out."""
    counts: Counter[str] = Counter()
    last = None
    for warning in warnings:
        if warning.code == "MORE_PROBLEMS":
            if last is not None and warning.value and warning.value.isdigit():
                counts[last] += int(warning.value)
            continue
        counts[warning.code] += 1
        last = warning.code
    return counts
