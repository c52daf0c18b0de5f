"""The attacker's toolbox for tests/disclosure/test_attacks*.py.

- ``Oracle`` answers what a user can ask (``figures`` through the one gate,
  memoised) and, separately, what only the test knows (``raw_figures``);
- ``Tally`` gathers, for one attack family, the attacker's estimate and the
  truth of every target, and judges them against the p-table's bound:

  (a) no certainty: the attacker cannot tell exact estimates from wrong ones:
      the error takes both signs, and no published estimate value held by
      ``SIGNAL_GROUP`` targets or more is exact for all of them;
  (b) the share of exact estimates is at most ``b + 3·sqrt(b(1 - b)/n)``
      where ``b = exact_share_bound(k)`` (three binomial standard errors
      for n targets).

Why the bound: a published count is ``v + d`` with d drawn from the
p-table row of v at the cell's key. An attacker who subtracts two published
cells A and B whose difference is the target gets the target plus
``d_A - d_B``; different record sets have unrelated cell keys, so the
error is zero with probability ``sum_d p_a(d) p_b(d)``, which by
Cauchy-Schwarz is at most ``max_v sum_d p_v(d)²`` over the publishable
rows: ``exact_share_bound(k)``. Subtracting more cells only adds noise (a
convolution never raises the largest collision probability), and a single
published cell is exact with probability ``p_v(0)``, which for every row
that can be published at k = 5 is below that bound too (checked in
``test_the_bound_covers_single_published_cells``).
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import polars as pl

from dashboard.data import Data
from dashboard.disclosure import Protected, SelectionError, disclosure_mode, figures, raw_figures
from dashboard.filters import Filters
from dashboard.perturbation import exact_share_bound

SIGNAL_GROUP = 10
"""An estimate value held by this many targets or more, all exact, would tell the attacker it is exact."""

Row = dict[str, Any]


def guess(value: float) -> int:
    """The attacker's whole-number reading of an estimate (half away from zero)."""
    return int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Cells:
    """One protected table as the attacker reads it: per key, each column's published value (None: hidden or empty)
    and reading (None: shown, ``small``, ``masked``)."""

    values: dict[tuple, Row]
    readings: dict[tuple, Row]
    too_small: bool

    def value(self, key: tuple, column: str) -> Any:
        """The published value; a row that is not there is a known 0 (periods and groups with nothing in them),
        unless the whole selection was refused (too small, too close to another, or several values in a filter)."""
        if self.too_small:
            return None
        row = self.values.get(key)
        return 0 if row is None else row[column]

    def hidden(self, key: tuple, column: str) -> bool:
        row = self.readings.get(key)
        return row is not None and row[column] is not None


def _by_key(table: pl.DataFrame, keys: Sequence[str]) -> dict[tuple, Row]:
    return {tuple(row[k] for k in keys): row for row in table.iter_rows(named=True)}


class Oracle:
    """What the attacker can ask (``ask``: protected figures, memoised) and what only the test knows (``truth``)."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self._asked: dict[tuple, Protected] = {}
        self._cells: dict[tuple, Cells] = {}
        self._raw: dict[tuple, pl.DataFrame] = {}
        self._truth: dict[tuple, dict[tuple, Row]] = {}
        self.refused = 0

    def protected(self, metric: str, filters: Filters, *, published: bool = False, **options: Any) -> Protected:
        """What the gate answers; a selection it refuses (several values in a filter) answers nothing, as a too
        small one does. ``refused`` counts those."""
        assert disclosure_mode() == "protected", "attack tests read protected figures only"
        key = (metric, filters, published, tuple(sorted(options.items())))
        if key not in self._asked:
            try:
                self._asked[key] = figures(metric, self.data, filters, published=published, **options)
            except SelectionError:
                self.refused += 1
                empty = raw_figures(metric, self.data, Filters(start=filters.start, end=filters.end, by=filters.by),
                                    **options)
                public = empty.select([c for c in empty.columns if not c.startswith("_")]).clear()
                self._asked[key] = Protected(table=public, cells=public.select(pl.all().cast(pl.String)), k=0,
                                             too_small=True, notes=("REFUSED",), metric=metric)
        return self._asked[key]

    def ask(self, metric: str, filters: Filters, keys: Sequence[str], *, published: bool = False, **options: Any) -> Cells:
        memo = (metric, filters, published, tuple(keys), tuple(sorted(options.items())))
        if memo not in self._cells:
            shown = self.protected(metric, filters, published=published, **options)
            readings = shown.cells.rename({c: f"__{c}" for c in shown.cells.columns})
            rows = _by_key(pl.concat([shown.table, readings], how="horizontal"), keys)
            values = {key: {c: row[c] for c in shown.table.columns} for key, row in rows.items()}
            read = {key: {c: row[f"__{c}"] for c in shown.table.columns} for key, row in rows.items()}
            self._cells[memo] = Cells(values, read, shown.too_small)
        return self._cells[memo]

    def raw(self, metric: str, filters: Filters, **options: Any) -> pl.DataFrame:
        key = (metric, filters.snapped(), tuple(sorted(options.items())))
        if key not in self._raw:
            self._raw[key] = raw_figures(metric, self.data, filters.snapped(), **options)
        return self._raw[key]

    def truth(self, metric: str, filters: Filters, keys: Sequence[str], **options: Any) -> dict[tuple, Row]:
        memo = (metric, filters.snapped(), tuple(keys), tuple(sorted(options.items())))
        if memo not in self._truth:
            self._truth[memo] = _by_key(self.raw(metric, filters, **options), keys)
        return self._truth[memo]

    @property
    def asked(self) -> dict[tuple, Protected]:
        return self._asked


@dataclass
class Tally:
    """The estimates and truths of one attack family."""

    family: str
    k: int
    estimates: list[float] = field(default_factory=list)
    truths: list[float] = field(default_factory=list)
    hidden: list[bool] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def add(self, estimate: float, truth: float, *, hidden: bool = False, label: str = "") -> None:
        self.estimates.append(float(estimate))
        self.truths.append(float(truth))
        self.hidden.append(hidden)
        self.labels.append(label)

    @property
    def n(self) -> int:
        return len(self.estimates)

    def guesses(self) -> np.ndarray:
        return np.array([guess(e) for e in self.estimates], dtype=np.float64)

    def errors(self) -> np.ndarray:
        return self.guesses() - np.array(self.truths)

    def exact(self) -> np.ndarray:
        return self.errors() == 0

    @property
    def bound(self) -> float:
        return exact_share_bound(self.k)

    @property
    def tolerance(self) -> float:
        b = self.bound
        return 3 * math.sqrt(b * (1 - b) / max(self.n, 1))

    def certain_values(self) -> list[tuple[int, int]]:
        """(estimate value, targets) for values held by ``SIGNAL_GROUP`` targets or more, every one of them exact."""
        groups: dict[int, list[bool]] = defaultdict(list)
        for g, ok in zip(self.guesses().tolist(), self.exact().tolist(), strict=True):
            groups[int(g)].append(ok)
        return [(g, len(v)) for g, v in sorted(groups.items()) if len(v) >= SIGNAL_GROUP and all(v)]

    def report(self) -> str:
        err = self.errors()
        exact = self.exact()
        hidden = np.array(self.hidden, dtype=bool)
        lines = [
            f"[{self.family}] targets {self.n} (hidden in the attacked output: {int(hidden.sum())})",
            f"  exact share {exact.mean():.3f} (hidden targets: {exact[hidden].mean() if hidden.any() else float('nan'):.3f})"
            f"; bound exact_share_bound({self.k}) = {self.bound:.4f} + 3·sqrt(b(1-b)/n) = {self.tolerance:.4f}"
            f" -> {self.bound + self.tolerance:.4f}",
            f"  error of the attacker's whole-number guess: min {err.min():.0f}, max {err.max():.0f}, "
            f"mean {err.mean():+.3f}, std {err.std():.3f}",
            f"  estimate values exact for every target (>= {SIGNAL_GROUP} targets): {self.certain_values() or 'none'}",
        ]
        return "\n".join(lines)

    def failures(self, *, min_targets: int = 100) -> list[str]:
        problems = []
        if self.n < min_targets:
            problems.append(f"only {self.n} targets (at least {min_targets} needed)")
            return problems
        err = self.errors()
        if not (err.min() < 0 < err.max()):
            problems.append("the error does not take both signs: the attacker knows which side the truth lies on")
        if err.std() == 0:
            problems.append("the error is degenerate")
        if self.certain_values():
            problems.append(f"estimate values exact for every target: {self.certain_values()}")
        share = float(self.exact().mean())
        if share > self.bound + self.tolerance:
            problems.append(f"exact share {share:.3f} above the bound {self.bound:.4f} + {self.tolerance:.4f}")
        return problems

    def judge(self, *, min_targets: int = 100) -> None:
        text = self.report()
        print("\n" + text)
        problems = self.failures(min_targets=min_targets)
        assert not problems, f"{text}\n  FAILED: " + "; ".join(problems)


def sample(items: Iterable[Any], every: int) -> list[Any]:
    """Every ``every``-th item, deterministically (no randomness)."""
    return [x for i, x in enumerate(items) if i % every == 0]


# --- Shared by the attack families -------------------------------------------------------------------------

FIRST, LAST = date(2018, 1, 1), date(2025, 12, 31)
YEARS = tuple(range(FIRST.year, LAST.year + 1))
WHOLE = Filters(start=FIRST, end=LAST)
K = 5
"""The screen threshold (``PARCOURS_MIN_CELL``'s default): the smallest k any attacked output uses."""
K_PUBLISHED = 11


def months_of(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]



REFERRAL_KEYS = ("period", "source")


def cli(argv: list[str]) -> tuple[str, str]:
    """``python -m dashboard figures ...`` in process: (standard output, standard error); status 0 checked."""
    from dashboard.cli import main

    out, err = io.StringIO(), io.StringIO()
    status = main(["figures", *argv], out, err)
    assert status == 0, err.getvalue()
    return out.getvalue(), err.getvalue()



SEXES = ("AUTRE", "F", "M", "NR")
AGE_BANDS = ("MOINS_26", "26_44", "45_59", "60_PLUS", "INCONNU")
# metric -> (keys, count columns differenced)
COMPLEMENT_TABLES = {
    "referrals-by-source": (REFERRAL_KEYS, ("referrals", "accepted")),
    "exits": (("period", "program"), ("exits", "housing_positive")),
    "needs-over-time": (("period", "domain"), ("persons_assessed", "persons_in_need")),
}


def small_groups(data: Data, structures: list[str]) -> list[tuple[str, str, str, int]]:
    """(structure, filter field, value, persons): every sex and age band with 1 to 10 persons in a structure."""
    groups = []
    for field_name, column, values in (("sexes", "sex", SEXES), ("age_bands", "age_band", AGE_BANDS)):
        sizes = data.persons.group_by("structure_id", column).len()
        for structure in structures:
            for value in values:
                n = sizes.filter(pl.col("structure_id") == structure, pl.col(column) == value)["len"].sum()
                if 1 <= n < K_PUBLISHED:
                    groups.append((structure, field_name, value, n))
    return groups


def complement_pair(structure: str, field: str, value: str, by: str = "year") -> tuple[Filters, list[Filters]]:
    """(the whole structure, one selection per other value of the field): a filter names one value or all, so the
    attacker's complement of a small group is the whole minus each other value asked alone."""
    values = SEXES if field == "sexes" else AGE_BANDS
    base = WHOLE.with_(by=by, structures=(structure,))
    return base, [base.with_(**{field: (v,)}) for v in values if v != value]


def complement(oracle: Oracle, metric: str, whole: Filters, parts: list[Filters], keys: tuple[str, ...]) -> tuple:
    """(the whole's cells, the parts' cells, the truth of the whole, the truths of the parts)."""
    a = oracle.ask(metric, whole, keys)
    bs = [oracle.ask(metric, part, keys) for part in parts]
    ta = oracle.truth(metric, whole, keys)
    tbs = [oracle.truth(metric, part, keys) for part in parts]
    return a, bs, ta, tbs


def minus_parts(a, bs, key: tuple, column: str) -> float | None:  # type: ignore[no-untyped-def]
    """The attacker's estimate: the whole's published cell minus every part's; None when any is not published."""
    values = [a.value(key, column), *(b.value(key, column) for b in bs)]
    return None if None in values else values[0] - sum(values[1:])


def truth_minus_parts(ta, tbs, key: tuple, column: str) -> float:  # type: ignore[no-untyped-def]
    return (ta[key][column] if key in ta else 0) - sum(tb[key][column] for tb in tbs if key in tb)


EXIT_KEYS = ("period", "program")
