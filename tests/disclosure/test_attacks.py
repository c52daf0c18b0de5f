"""The ten attacks that recovered exact hidden values from disclosure control version 1, replayed on version 2.

Each test plays one family of attacks over a demo network of size M (see
conftest.py), on many targets picked deterministically from the data. The
attacker reads PROTECTED outputs only (``figures`` with
``PARCOURS_DISCLOSURE=protected``, or the command line); the truth comes
from ``raw_figures``. Every family prints (``-s``) and puts in its
assertion message the number of targets, the share of targets whose
estimate is exact, the spread of the error and the bound; see
``tests/disclosure/attacks.py`` for the two conditions a family must meet.

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
from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from dashboard.data import Data
from dashboard.disclosure import SelectionError, figures, thresholds
from dashboard.filters import Filters
from dashboard.perturbation import exact_share_bound, perturb, ptable
from tests.disclosure.attacks import Oracle, Tally, guess

pytestmark = pytest.mark.slow

FIRST, LAST = date(2018, 1, 1), date(2025, 12, 31)
YEARS = tuple(range(FIRST.year, LAST.year + 1))
WHOLE = Filters(start=FIRST, end=LAST)
K = 5
"""The screen threshold (``PARCOURS_MIN_CELL``'s default): the smallest k any attacked output uses."""
K_PUBLISHED = 11


@pytest.fixture(autouse=True)
def protected(monkeypatch: pytest.MonkeyPatch) -> None:
    """Protected mode and the default thresholds and p-table, whatever the environment says."""
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    for name in ("PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED", "PARCOURS_CKM_MAX", "PARCOURS_CKM_VARIANCE",
                 "PARCOURS_LANG"):
        monkeypatch.delenv(name, raising=False)
    assert thresholds(False) == (K, K_PUBLISHED)


@pytest.fixture(scope="module")
def oracle(m_data: Data) -> Oracle:
    return Oracle(m_data)


@pytest.fixture(scope="module")
def structures(m_data: Data) -> list[str]:
    return sorted(m_data.structures["structure_id"].to_list())


def months_of(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


# --- The bound -----------------------------------------------------------------------------------------------


def test_the_bound_covers_single_published_cells() -> None:
    """A single published cell of value v >= k is exact with probability p_v(0); a cell of value under k is
    published only when it moves up to k or more, so never exact. Both stay under exact_share_bound(5)."""
    table = ptable()
    zero = int(np.where(table.offsets == 0)[0][0])
    single = max(float(table.row(v)[zero]) for v in range(K, len(table.probabilities)))
    assert single <= exact_share_bound(K), (single, exact_share_bound(K))
    assert exact_share_bound(K_PUBLISHED) <= exact_share_bound(K)


# --- 1. Granularities ----------------------------------------------------------------------------------------

REFERRAL_KEYS = ("period", "source")


def test_1_granularities_year_or_quarter_minus_its_other_months(oracle: Oracle, structures: list[str]) -> None:
    """Attack 1: a year (or quarter) minus its other months gives the month left out (v1: SPIP accepted referrals
    of one month). Targets: every month cell with referrals (referrals and accepted, every source and TOTAL) of
    every structure, 2018-2025, whose other months and year (quarter) are published.

    Bound: the estimate is the month's value plus ``d_Y - sum_j d_j``, a year's (quarter's) perturbation minus
    those of the other months; the year's cell key sums other records than any month's, so the terms are
    independent, and the chance that they cancel is at most ``max_v sum_d p_v(d)²`` = ``exact_share_bound(5)``
    (k = 5: the screen; sensitive rows use 11, whose bound is lower).
    """
    by_year = Tally("1 granularities: year - its 11 other months", K)
    by_quarter = Tally("1 granularities: quarter - its 2 other months", K)
    for structure in structures:
        base = WHOLE.with_(structures=(structure,))
        months = oracle.ask("referrals-by-source", base.with_(by="month"), REFERRAL_KEYS)
        quarters = oracle.ask("referrals-by-source", base.with_(by="quarter"), REFERRAL_KEYS)
        years = oracle.ask("referrals-by-source", base.with_(by="year"), REFERRAL_KEYS)
        for (period, source), row in oracle.truth("referrals-by-source", base.with_(by="month"), REFERRAL_KEYS).items():
            year, month = int(period[:4]), int(period[5:])
            quarter = f"{year}-Q{(month - 1) // 3 + 1}"
            in_quarter = [f"{year}-{m:02d}" for m in range((month - 1) // 3 * 3 + 1, (month - 1) // 3 * 3 + 4)]
            for column in ("referrals", "accepted"):
                if not row[column]:
                    continue
                hidden = months.hidden((period, source), column)
                label = f"{structure} {source} {period} {column}"
                for tally, whole, others in (
                    (by_year, years.value((str(year), source), column), [p for p in months_of(year) if p != period]),
                    (by_quarter, quarters.value((quarter, source), column), [p for p in in_quarter if p != period]),
                ):
                    parts = [months.value((p, source), column) for p in others]
                    if whole is not None and None not in parts:
                        tally.add(whole - sum(parts), row[column], hidden=hidden, label=label)
    by_year.judge()
    by_quarter.judge()


# --- 2. Sliding windows --------------------------------------------------------------------------------------


def cli(argv: list[str]) -> tuple[str, str]:
    """``python -m dashboard figures ...`` in process: (standard output, standard error); status 0 checked."""
    from dashboard.cli import main

    out, err = io.StringIO(), io.StringIO()
    status = main(["figures", *argv], out, err)
    assert status == 0, err.getvalue()
    return out.getvalue(), err.getvalue()


@pytest.fixture
def cli_db(m_db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", m_db_url)
    return m_db_url


@pytest.fixture
def cli_snapshot(cli_db: str, m_data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line on the session's snapshot instead of reading the database again at each call."""
    import dashboard.cli

    monkeypatch.setattr(dashboard.cli, "read_data", lambda engine: m_data)


def test_2_sliding_windows_give_byte_identical_outputs(cli_db: str) -> None:
    """Attack 2: ``--from 2024-01-23`` vs ``--from 2024-01-24`` gave one day's referrals. Both now snap to
    2024-01-01: the command line (reading the database as a user's call does) prints the same bytes."""
    first, first_err = cli(["referrals-by-source", "--from", "2024-01-23", "--to", "2024-12-31"])
    second, second_err = cli(["referrals-by-source", "--from", "2024-01-24", "--to", "2024-12-31"])
    assert first == second and first.count("\n") > 10
    assert "2024-01-01" in first_err and "2024-01-01" in second_err  # each is told the range was widened


def test_2_no_day_is_isolated_by_two_close_ranges(oracle: Oracle, structures: list[str], cli_snapshot: None) -> None:
    """Over 120 (structure, day) targets, one a referral was made on: the outputs from ``--from DAY`` and
    ``--from DAY+1`` are byte-identical (every metric by period), so their difference, the attacker's estimate of
    that day's referrals, is 0 whatever the truth: no day is ever isolated."""
    referrals = oracle.data.referrals
    targets = []
    for structure in structures:
        days = (referrals.filter(pl.col("structure_id") == structure, pl.col("referral_date").dt.year() == 2024,
                                 pl.col("referral_date").dt.day() < 28)
                .group_by("referral_date").len().sort("referral_date"))
        chosen = days.gather_every(max(1, days.height // 6)).head(6)
        targets += [(structure, day, n) for day, n in chosen.iter_rows()]
    assert len(targets) >= 100, len(targets)
    isolated, truth_total = 0, 0
    for index, (structure, day, n) in enumerate(targets):
        metric = ("referrals-by-source", "exits", "needs-over-time", "workshop-attendance")[index % 4]
        by = ("month", "quarter", "year")[index % 3]
        outputs = [cli([metric, "--by", by, "--structure", structure, "--from", d.isoformat(), "--to", "2025-12-31"])[0]
                   for d in (day, day + timedelta(days=1))]
        assert outputs[0] == outputs[1], (structure, day, metric, by)
        isolated += outputs[0] != outputs[1]
        truth_total += n
    print(f"\n[2 sliding windows] targets {len(targets)} days holding {truth_total} referrals; "
          f"days isolated: {isolated} (estimate 0 for every day, exact share 0.000)")


# --- 3. Complements ------------------------------------------------------------------------------------------

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
    for field, column, values in (("sexes", "sex", SEXES), ("age_bands", "age_band", AGE_BANDS)):
        sizes = data.persons.group_by("structure_id", column).len()
        for structure in structures:
            for value in values:
                n = sizes.filter(pl.col("structure_id") == structure, pl.col(column) == value)["len"].sum()
                if 1 <= n < K_PUBLISHED:
                    groups.append((structure, field, value, n))
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


def test_3_complements_one_small_group(oracle: Oracle, structures: list[str]) -> None:
    """Attack 3: ``--sex AUTRE F M NR`` minus ``--sex F M NR`` in one structure gave figures about a single
    AUTRE person. A filter now names one value or all, so the attacker takes the whole structure minus each other
    value asked alone. Targets: every sex or age band with 1 to 10 persons in a structure, every (year, source),
    (year, program), (year, domain) cell of referrals, exits and needs where the group has a count, every side
    published ("hidden" targets: groups under 5 persons, which asked alone show no figure).

    Bound: the estimate is the target plus ``d_A - Σ d_B``, one independent noise per cell (each holds other
    records, so other keys); a single difference is exact with probability at most ``exact_share_bound(5)``
    (Σ p_a(d) p_b(d) ≤ max_v Σ p_v(d)²), and adding more independent noises only spreads the error further."""
    tally = Tally("3 complements: the whole - every other value asked alone", K)
    for structure, field, value, size in small_groups(oracle.data, structures):
        whole, parts = complement_pair(structure, field, value)
        for metric, (keys, columns) in COMPLEMENT_TABLES.items():
            a, bs, ta, tbs = complement(oracle, metric, whole, parts, keys)
            for key in ta:
                for column in columns:
                    truth = truth_minus_parts(ta, tbs, key, column)
                    estimate = minus_parts(a, bs, key, column)
                    if truth > 0 and estimate is not None:
                        tally.add(estimate, truth, hidden=size < K, label=f"{structure} {field}={value} {metric} {key} {column}")
    tally.judge()


def test_3_complements_individual_levels_from_means(oracle: Oracle, structures: list[str]) -> None:
    """Attack 3, means: ``round(mean_A × n_A - mean_B × n_B)`` gave one person's need level. Targets: every
    (year, domain) cell where a small group (as above) adds exactly one assessed person, both means and counts
    published. The attacker knows a level lies in 1..5 and clips the guess to it.

    Bound: each mean is ``(sum + 5e) / n'`` to one decimal, e in [-1, 1] read from the count's cell key through an
    independent mapping; ``mean × n'`` gives the sum back within ``5|e| + 0.05 n'``, and the two sides' e are
    unrelated (different keys): the error of the difference spreads over several levels, so a guess is exact far
    less often than ``exact_share_bound(5)``, which is the bound checked."""
    tally = Tally("3 complements: one person's level from the means of the whole and of the other values", K)
    for structure, field, value, size in small_groups(oracle.data, structures):
        whole, parts = complement_pair(structure, field, value)
        keys = ("period", "domain")
        a, bs, ta, tbs = complement(oracle, "needs-over-time", whole, parts, keys)
        for key in ta:
            if truth_minus_parts(ta, tbs, key, "persons_assessed") != 1:
                continue
            level = truth_minus_parts(ta, tbs, key, "_sum_mean_level")
            shown = [(side.value(key, "mean_level"), side.value(key, "persons_assessed")) for side in (a, *bs)]
            shown = [(0.0, 0) if n == 0 else (m, n) for m, n in shown]  # a part with nobody assessed adds nothing
            if any(m is None or n is None for m, n in shown):
                continue
            estimate = shown[0][0] * shown[0][1] - sum(m * n for m, n in shown[1:])
            tally.add(min(5.0, max(1.0, estimate)), level, hidden=size < K, label=f"{structure} {field}={value} {key}")
    tally.judge()


# --- 4. A sensitive source's complement ----------------------------------------------------------------------


def test_4_every_source_but_a_sensitive_one_vs_the_whole_structure(oracle: Oracle, structures: list[str]) -> None:
    """Attack 4: a structure with every source but SPIP (``--source`` all the others) against the whole structure
    gave counts about probation referrals. Targets: for SPIP and SANTE, every structure and quarter of 2018-2025
    where that source has a referral, the TOTAL row's referrals and accepted, and the exits and persons assessed
    (TOTAL, every domain) of the quarter where the two selections differ ("hidden": the source's own row on screen
    reads "< 11" or "masqué").

    Bound: the whole structure's cell (screen, k = 5) holds the other sources' records and the sensitive ones, so
    its key is unrelated to the filtered cell's (published k = 11, since a source is picked): the error
    ``d_A - d_B`` is zero with probability at most ``exact_share_bound(5)``."""
    from models.reference import SENSITIVE_SOURCES, codes

    tally = Tally("4 sensitive source: whole structure - every other source asked alone", K)
    refused_before, candidates = oracle.refused, 0
    for sensitive in sorted(SENSITIVE_SOURCES):
        others = tuple(c for c in codes("SOURCE") if c != sensitive)
        used = oracle.data.referrals.filter(pl.col("source") == sensitive)["structure_id"].unique().sort().to_list()
        for structure in [s for s in structures if s in used]:
            whole = WHOLE.with_(by="quarter", structures=(structure,))
            # "every source but SPIP" in one selection is refused (one value per filter) ...
            oracle.ask("referrals-by-source", whole.with_(sources=others), REFERRAL_KEYS, published=True)
            # ... so the attacker sums the other sources asked one by one (each with its own noise).
            parts = [whole.with_(sources=(other,)) for other in others]
            own = oracle.ask("referrals-by-source", whole, REFERRAL_KEYS)
            for metric, keys, cells in (
                ("referrals-by-source", REFERRAL_KEYS, [("TOTAL", "referrals"), ("TOTAL", "accepted")]),
                ("exits", ("period", "program"), [("TOTAL", "exits")]),
            ):
                a, bs, ta, tbs = complement(oracle, metric, whole, parts, keys)
                for key in ta:
                    for group, column in cells:
                        if key[1] != group:
                            continue
                        truth = truth_minus_parts(ta, tbs, key, column)
                        estimate = minus_parts(a, bs, key, column)
                        candidates += truth > 0
                        if truth > 0 and estimate is not None:
                            hidden = own.hidden((key[0], sensitive), "referrals")
                            tally.add(estimate, truth, hidden=hidden, label=f"{sensitive} {structure} {metric} {key} {column}")
    assert oracle.refused > refused_before  # the one-selection complement was refused every time
    # Most sums fail (a part hidden or refused): the attacker is judged on the estimates they could make.
    print(f"\n[4] candidate cells: {candidates}, estimates the attacker could make: {tally.n}")
    assert candidates >= 100
    if tally.n:
        tally.judge(min_targets=min(100, tally.n))


# --- 5. Rates times counts -----------------------------------------------------------------------------------

EXIT_KEYS = ("period", "program")
RATE_PARTS = {"dynamic_exit_rate": ("dynamic_exits", "_dynamic_denominator", "situation"),
              "housing_positive_rate": ("housing_positive", "_housing_denominator", "destination")}


def denominator_from(numerator: float, rate: float) -> int:
    """The attacker's reading of a rate's denominator: of the whole numbers x that give ``numerator / x`` rounded to
    whole percent equal to ``rate``, the one nearest ``numerator / rate``."""
    centre = numerator / rate
    fits = [x for x in range(max(1, math.floor(centre * 0.8)), math.ceil(centre * 1.2) + 2)
            if guess(100 * min(numerator, x) / x) == guess(100 * rate)]
    return min(fits, key=lambda x: (abs(x - centre), x)) if fits else guess(centre)


def test_5_rates_times_counts_give_the_not_concerned(oracle: Oracle, structures: list[str]) -> None:
    """Attack 5: exits × dynamic exit rate gave the hidden NON_CONCERNE count (the rate's denominator leaves them
    out): NON_CONCERNE = exits - dynamic_exits / rate. Targets: every (year or quarter, program or TOTAL) cell of
    every structure with NON_CONCERNE exits (employment, and likewise housing) whose exits, numerator and rate are
    published ("hidden": the exits-by-employment/-by-housing NON_CONCERNE cell is hidden, or per program, never
    published).

    Bound: the rate is ``(v_num + d_num) / (v_den + d_den)``: what it gives back is the perturbed denominator, and
    the estimate is the target plus ``d_exits - d_den``; the two cells hold different records (they differ by the
    NON_CONCERNE exits), so their keys are unrelated: ``exact_share_bound(5)``."""
    tally = Tally("5 rates x counts: exits - numerator / rate", K)
    for structure in structures:
        for by in ("year", "quarter"):
            base = WHOLE.with_(by=by, structures=(structure,))
            shown, truth = oracle.ask("exits", base, EXIT_KEYS), oracle.truth("exits", base, EXIT_KEYS)
            for rate, (numerator, denominator, breakdown) in RATE_PARTS.items():
                metric = "exits-by-employment" if breakdown == "situation" else "exits-by-housing"
                apart = oracle.ask(metric, base, ("period", breakdown))
                for key, row in truth.items():
                    target = row["exits"] - row[denominator]
                    exits, num, r = (shown.value(key, c) for c in ("exits", numerator, rate))
                    if target <= 0 or exits is None or not num or not r:
                        continue
                    hidden = key[1] != "TOTAL" or apart.hidden((key[0], "NON_CONCERNE"), "exits")
                    tally.add(exits - denominator_from(num, r), target, hidden=hidden, label=f"{structure} {key} {rate}")
    tally.judge()


def test_5_housing_positive_minus_its_visible_part(oracle: Oracle, structures: list[str]) -> None:
    """Attack 5, parts: housing-positive exits (exits page) minus the visible one of its two destinations
    (LOGEMENT_AUTONOME, LOGEMENT_ACCOMPAGNE on exits by housing) gave the hidden one. Targets: every structure,
    year or quarter, and destination with exits, the other destination and the total published.

    Bound: housing_positive's records are both destinations', its key unrelated to either's: the estimate is the
    target plus ``d_hp - d_other`` (when the other destination is an empty, known 0, housing_positive holds the
    target's own records and gives back its own published value): ``exact_share_bound(5)``."""
    tally = Tally("5 rates x counts: housing positive - the other destination", K)
    parts = ("LOGEMENT_AUTONOME", "LOGEMENT_ACCOMPAGNE")
    for structure in structures:
        for by in ("year", "quarter"):
            base = WHOLE.with_(by=by, structures=(structure,))
            exits = oracle.ask("exits", base, EXIT_KEYS)
            shown = oracle.ask("exits-by-housing", base, ("period", "destination"))
            truth = oracle.truth("exits-by-housing", base, ("period", "destination"))
            for (period, destination), row in truth.items():
                if destination not in parts or not row["exits"]:
                    continue
                other = parts[1 - parts.index(destination)]
                whole, visible = exits.value((period, "TOTAL"), "housing_positive"), shown.value((period, other), "exits")
                if whole is None or visible is None:
                    continue
                tally.add(whole - visible, row["exits"], hidden=shown.hidden((period, destination), "exits"),
                          label=f"{structure} {period} {destination}")
    tally.judge()


# --- 6. The overview's n -------------------------------------------------------------------------------------

PROGRAM_YEARS = 2022
OVERVIEW_RATES = {"housing_positive_rate": "_housing_denominator", "dynamic_exit_rate": "_dynamic_denominator"}


def test_6_the_overviews_n_is_the_perturbed_denominator_of_the_same_cell(oracle: Oracle, structures: list[str]) -> None:
    """Attack 6: the overview card's "n =" beside a rate gave back a count the exits page hid. Targets: every
    structure and year 2018-2025, both exit rates, for the whole structure and (2022-2025) for each program with
    1 to 14 exits that year (``--program``): the overview (screen) of the year against the exits page of the same year, row TOTAL or
    the program's row ("hidden": the exits page hides that row's exits).

    The published n must be the perturbed denominator, the very value the exits metric's cell of the same records
    gets (same count, same cell key, same p-table), never the raw count when they differ; it is shown only beside
    a shown rate. When the denominator holds exactly the exits (no NON_CONCERNE), it is the exits cell itself: n
    shows only when the exits page shows that cell, and the same value.

    Bound: n is one published cell, exact with probability p_v(0) (0 when v < k: it shows only moved up to k), at
    most ``exact_share_bound(5)`` (``test_the_bound_covers_single_published_cells``)."""
    table = ptable()
    tally = Tally("6 overview n: the rate's n as the denominator", K)
    inconsistent, raw_leaks, shown_while_hidden = [], [], []
    for structure in structures:
        spans = {year: Filters(start=date(year, 1, 1), end=date(year, 12, 31), by="year", structures=(structure,))
                 for year in YEARS}
        cells = [(year, program, cell) for year in YEARS
                 for (_, program), cell in oracle.truth("exits", spans[year], EXIT_KEYS).items()
                 if program == "TOTAL" or (year >= PROGRAM_YEARS and 0 < cell["exits"] < 3 * K)]  # rows a page may hide
        for year, program, cell in sorted(cells, key=lambda c: (c[1] != "TOTAL", c[1], c[0])):  # one selection at a time
            span = spans[year]
            exits = oracle.ask("exits", span, EXIT_KEYS)
            chosen = span if program == "TOTAL" else span.with_(programs=(program,))
            overview = oracle.ask("overview", chosen, ("figure",))
            raw_overview = oracle.truth("overview", chosen, ("figure",))
            for figure, denominator in OVERVIEW_RATES.items():
                raw = cell[denominator]
                assert raw == raw_overview[(figure,)]["_value_n"], (structure, year, program, figure)
                expected = int(perturb(np.array([raw]), np.array([cell[f"_ck_{denominator}"]]), table)[0])
                n = overview.value((figure,), "n") if not overview.too_small else None
                if n is None:
                    continue
                label = f"{structure} {year} {program} {figure}"
                if n != expected:
                    inconsistent.append((label, n, expected))
                if n == raw != expected:
                    raw_leaks.append(label)
                if overview.value((figure,), "value") is None:
                    shown_while_hidden.append(label)
                on_exits_page = exits.value((str(year), program), "exits")
                if cell[denominator] == cell["exits"] and on_exits_page != n:
                    inconsistent.append((label, "exits page", on_exits_page, n))
                tally.add(n, raw, hidden=exits.hidden((str(year), program), "exits"), label=label)
    assert not inconsistent, f"n differs from the same cell elsewhere: {inconsistent[:10]}"
    assert not raw_leaks, f"n is the raw count where the published one differs: {raw_leaks[:10]}"
    assert not shown_while_hidden, f"n beside a hidden rate: {shown_while_hidden[:10]}"
    tally.judge()


# --- 7. Event counts about one person ------------------------------------------------------------------------

ATTENDANCE_KEYS = ("period", "structure_id", "atelier_id")
PER_PERSON = ("presences", "attendance_rate", "mean_persons_per_session")


def test_7_events_of_a_few_persons(oracle: Oracle, structures: list[str]) -> None:
    """Attack 7: a workshop quarter with 1 person showed 13 sessions, 13 presences, 100 %. Targets: every workshop
    and quarter (and month) 2018-2025 of every structure with 1 to 4 persons present.

    Rules: presences, attendance rate and persons per session are shown only when the persons behind (the
    persons present, perturbed with their own cell key) reach k: never for 1 or 2 persons (the p-table moves 1 and 2
    to 0 or 3 at most), and for 3 or 4 only when their published count reads k or more.

    Attack: the attacker takes the published presences, or else the category's presences in the structure (by
    category) minus those of its other workshops. Bound: the direct cell is exact with probability p_v(0) with v
    its persons moved to k or more, the margin with ``d_category - sum d_others`` cancelling: both at most
    ``exact_share_bound(5)``."""
    tally = Tally("7 events of 1-4 persons: presences", K)
    broken = []
    workshops = oracle.data.workshops.select("structure_id", "workshop_id", pl.col("category").fill_null("INCONNU"))
    category_of = {(s, w): c for s, w, c in workshops.iter_rows()}
    for structure in structures:
        for by in ("quarter", "month"):
            base = WHOLE.with_(by=by, structures=(structure,))
            shown = oracle.ask("workshop-attendance", base, ATTENDANCE_KEYS)
            truth = oracle.truth("workshop-attendance", base, ATTENDANCE_KEYS)
            categories = oracle.ask("workshop-by-category", base, ("period", "category"))
            members = defaultdict(list)
            for key in truth:
                members[(key[0], category_of[(key[1], key[2])])].append(key)
            for key, row in truth.items():
                persons, presences = row["persons"], row["presences"]
                if not 0 < persons < K or not presences:
                    continue
                published_persons = shown.value(key, "persons")
                for column in PER_PERSON:
                    # a 0 (a small count perturbed down, and what is computed from it) is noise, not a figure about them
                    visible = shown.value(key, column) not in (None, 0, 0.0)
                    if visible and (persons <= 2 or published_persons is None or published_persons < K):
                        broken.append((structure, key, column, persons, published_persons))
                estimate = shown.value(key, "presences")
                if estimate is None:
                    category = category_of[(key[1], key[2])]
                    total = categories.value((key[0], category), "presences")
                    others = [shown.value(other, "presences") for other in members[(key[0], category)] if other != key]
                    if total is None or None in others:
                        continue
                    estimate = total - sum(others)
                tally.add(estimate, presences, hidden=shown.hidden(key, "presences"), label=f"{structure} {key}")
    assert not broken, f"figures about fewer than {K} persons shown: {broken[:10]}"
    tally.judge()


# --- Beyond the ten: what differencing still gives -------------------------------------------------------------


def test_3_complements_do_not_reveal_that_a_small_group_is_in_a_cell(oracle: Oracle, structures: list[str]) -> None:
    """Attack 3, presence: the same records always get the same noise, so two selections that differ by a small
    group publish the very same cell wherever the group has nothing, and (usually) different values where it has:
    a difference other than 0 would tell, with certainty, that the group is in that cell. Such pairs are refused
    (one value per filter, and no selection within k persons of its neighbour); what the attacker can still ask,
    the whole against the sum of the other values asked alone, carries one noise per part. Targets: every
    (year, source) cell of referrals of a group of 1 to 4 persons. Passes when a nonzero difference does not
    prove presence (some come from cells the group is not in)."""
    present_when_nonzero, absent_when_nonzero, hidden_presence = 0, 0, 0
    for structure, field, value, size in small_groups(oracle.data, structures):
        if size >= K:
            continue
        whole, parts = complement_pair(structure, field, value)
        values = SEXES if field == "sexes" else AGE_BANDS
        # the direct pair (every value but the group's, in one selection) is refused
        assert oracle.ask("referrals-by-source", whole.with_(**{field: tuple(v for v in values if v != value)}),
                          REFERRAL_KEYS).too_small
        a, bs, ta, tbs = complement(oracle, "referrals-by-source", whole, parts, REFERRAL_KEYS)
        for key in set(ta).union(*tbs):
            truth = truth_minus_parts(ta, tbs, key, "referrals")
            estimate = minus_parts(a, bs, key, "referrals")
            if estimate is None:
                continue
            if estimate != 0:
                present_when_nonzero += truth > 0
                absent_when_nonzero += truth == 0
            elif truth > 0:
                hidden_presence += 1
    text = (f"[3 presence] cells where the whole and its parts differ: {present_when_nonzero + absent_when_nonzero}, "
            f"the group in the cell for {present_when_nonzero}, not for {absent_when_nonzero}; "
            f"cells the group is in that read the same: {hidden_presence}")
    print("\n" + text)
    assert present_when_nonzero + hidden_presence >= 10, text
    assert absent_when_nonzero > 0, f"{text}\n  FAILED: a nonzero difference always means the small group is in the cell"


def test_averaging_unions_of_structures_does_not_recover_hidden_cells(oracle: Oracle, structures: list[str]) -> None:
    """Averaging: a structure's hidden cell S is also (S + X) - X for every other structure X; each union has its
    own cell key, so the mean of many such pairs would converge to the truth. Unions are refused (one value per
    filter): what is left is one estimate per cell, the whole network minus every other structure asked alone,
    with one noise per structure. Targets: every hidden (year, source) cell (referrals, accepted) of every other
    structure, 2018-2025.

    Bound: a single difference is exact with probability at most ``exact_share_bound(5)``; a sum of many
    independent noises is exact less often still."""
    tally = Tally("averaging: the network minus every other structure", K)
    base = WHOLE.with_(by="year")
    with pytest.raises(SelectionError):
        figures("referrals-by-source", oracle.data, base.with_(structures=tuple(structures[:2])), published=False)
    network = oracle.ask("referrals-by-source", base, REFERRAL_KEYS)
    everyone = oracle.data.structures["structure_id"].to_list()
    alone = {s: oracle.ask("referrals-by-source", base.with_(structures=(s,)), REFERRAL_KEYS) for s in everyone}
    candidates = 0
    for structure in structures[::2]:
        truth = oracle.truth("referrals-by-source", base.with_(structures=(structure,)), REFERRAL_KEYS)
        for key, row in truth.items():
            for column in ("referrals", "accepted"):
                if not row[column] or not alone[structure].hidden(key, column):
                    continue
                candidates += 1
                others = [alone[s].value(key, column) for s in everyone if s != structure]
                whole = network.value(key, column)
                if whole is None or None in others:
                    continue
                tally.add(whole - sum(others), row[column], hidden=True, label=f"{structure} {key} {column}")
    # Most sums fail (another structure's cell is hidden too): the attacker is judged on the estimates they could make.
    print(f"\n[averaging] hidden cells: {candidates}, estimates the attacker could make: {tally.n}")
    assert candidates >= 100
    if tally.n:
        tally.judge(min_targets=min(100, tally.n))


# --- 8. Workshop cohorts -------------------------------------------------------------------------------------

COHORT_KEYS = ("cohort", "offset")
COHORT_VALUES = ("cohort_size", "persons_active", "retention")


def cohorts_of_year(year: int, by: str) -> list[str]:
    return [f"{year}-Q{q}" for q in range(1, 5)] if by == "quarter" else months_of(year)


def test_8_a_small_cohort_from_the_years_cohort_minus_the_others(oracle: Oracle, structures: list[str]) -> None:
    """Attack 8: a workshop cohort of 3 read "< 5", yet the year's cohort size minus the year's other cohorts gave
    3, and its grid showed when the group stopped coming. A person's yearly cohort is the year of their first
    presence, which is the year of their first quarter (month): the year's cohort is the disjoint union of its
    quarterly (monthly) cohorts. Targets: every quarterly and monthly cohort 2018-2025 of every structure, the
    year's cohort and the year's other cohorts published ("hidden": the target's own size reads "< 5"); a month's
    other cohorts are the year's 11 other months or, when one of them is hidden, the 3 other quarters and the 2
    other months of its quarter.

    Rules checked on every cohort table asked (year, quarter, month, every structure): a cohort row whose size is
    hidden has every other cell of the row hidden (no grid of when the group stopped coming) and shows no
    retention.

    Bound: the year's cohort holds the target's records and the others', so its cell key is unrelated to any
    single cohort's: the estimate is the target plus ``d_year - Σ d_other``, independent p-table draws; a single
    difference is exact with probability at most ``max_v Σ_d p_v(d)²`` = ``exact_share_bound(5)`` and more terms
    only spread the error."""
    tallies = {by: Tally(f"8 cohorts: the year's cohort - its other {by}ly cohorts", K) for by in ("quarter", "month")}
    grid_shown, retention_shown, hidden_rows = [], [], 0
    candidates = dict.fromkeys(tallies, 0)
    for structure in structures:
        base = WHOLE.with_(structures=(structure,))
        years = oracle.ask("workshop-cohorts", base.with_(by="year"), COHORT_KEYS)
        quarters = oracle.ask("workshop-cohorts", base.with_(by="quarter"), COHORT_KEYS)
        for by in ("year", "quarter", "month"):
            shown = oracle.protected("workshop-cohorts", base.with_(by=by))
            for row, (cells, values) in enumerate(zip(shown.cells.iter_rows(named=True),
                                                      shown.table.iter_rows(named=True), strict=True)):
                if cells["cohort_size"] is None:
                    continue
                hidden_rows += 1
                label = f"{structure} {by} {values['cohort']} +{values['offset']} (row {row})"
                if any(cells[c] is None for c in COHORT_VALUES):
                    grid_shown.append((label, {c: cells[c] for c in COHORT_VALUES}))
                if values["retention"] is not None or values["persons_active"] is not None:
                    retention_shown.append((label, values["retention"], values["persons_active"]))
        for by, tally in tallies.items():
            period = base.with_(by=by)
            shown = oracle.ask("workshop-cohorts", period, COHORT_KEYS)
            truth = oracle.truth("workshop-cohorts", period, COHORT_KEYS)
            for (cohort, offset), row in truth.items():
                if offset != 0 or not row["cohort_size"]:
                    continue
                candidates[by] += 1
                year = int(cohort[:4])
                whole = years.value((str(year), 0), "cohort_size")
                others = [shown.value((c, 0), "cohort_size") for c in cohorts_of_year(year, by) if c != cohort]
                if by == "month" and None in others:  # the other quarters, and the other months of its quarter
                    quarter = f"{year}-Q{(int(cohort[5:]) - 1) // 3 + 1}"
                    others = [quarters.value((c, 0), "cohort_size") for c in cohorts_of_year(year, "quarter")
                              if c != quarter]
                    others += [shown.value((c, 0), "cohort_size") for c in cohorts_of_year(year, "month")
                               if c != cohort and f"{year}-Q{(int(c[5:]) - 1) // 3 + 1}" == quarter]
                if whole is None or None in others:
                    continue
                tally.add(whole - sum(others), row["cohort_size"], hidden=shown.hidden((cohort, 0), "cohort_size"),
                          label=f"{structure} {cohort}")
    print(f"\n[8 cohorts] rows of a hidden cohort checked: {hidden_rows}; with a cell shown: {len(grid_shown)}; "
          f"with a retention or active count shown: {len(retention_shown)}; cohorts (quarterly, monthly) "
          f"{candidates['quarter']}, {candidates['month']}, estimates the attacker could make "
          f"{tallies['quarter'].n}, {tallies['month'].n}")
    assert hidden_rows > 0
    assert not grid_shown, f"a hidden cohort shows part of its grid: {grid_shown[:10]}"
    assert not retention_shown, f"a hidden cohort shows a retention: {retention_shown[:10]}"
    for tally in tallies.values():
        tally.judge()


# --- 9. The data page ----------------------------------------------------------------------------------------


def _tokens(text: str) -> set[str]:
    """The words and numbers of a text (an id such as S01-P000001 is one word)."""
    import re

    return set(re.findall(r"[\w-]+", text))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_9_the_data_page_shows_no_row_level_warning(m_db_url: str, m_data: Data, m_folder: object, lang: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The data page of the M database (whose load raised warnings of every kind, each with its person, line and
    value) shows the warnings as counts per load and kind, and nothing row-level: no personne_id, no line number
    of a warning (alone or as "ligne N"/"line N"), no birth year a warning is about, no server path (the demo
    folder, the database file), in any element sent to the browser, in French and in English."""
    import re

    from dashboard.formatting import fmt_int
    from dashboard.ui.inventory import warning_counts
    from tests.disclosure.conftest import SOURCE_DIR
    from tests.ui.test_app import open_page
    from tests.ui.test_data_page_warnings import HEADINGS, KINDS, sent_to_browser, table_with, visible

    monkeypatch.setenv("DATABASE_URL", m_db_url)
    at = open_page("data", lang=lang)
    assert not at.exception, at.exception
    warnings = m_data.load_warnings
    stored = warnings.filter(pl.col("code") != "MORE_PROBLEMS")
    assert stored.height >= 100 and stored["code"].n_unique() == len(KINDS[lang])

    number, _, kind, count = HEADINGS[lang]
    counts = warning_counts(warnings).sort(["load_id", "warnings", "kind"], descending=[True, True, False])
    expected = [[str(load), KINDS[lang][code], fmt_int(n, lang)] for load, code, n in counts.iter_rows()]
    shown = table_with(at, kind)
    assert shown[[number, kind, count]].values.tolist() == expected

    browser, seen = sent_to_browser(at), visible(at)
    assert KINDS[lang]["PERSON_WITHOUT_ACTIVITY"] in browser  # the search does reach the tables' cells
    person_ids = set(m_data.persons["person_id"].to_list())
    lines = {str(n) for n in stored["line"].drop_nulls().to_list()}
    years = {v for v in stored.filter(pl.col("column_name") == "annee_naissance")["value"].drop_nulls().to_list()}
    paths = {str(m_folder), SOURCE_DIR, m_db_url, m_db_url.removeprefix("sqlite:///"), "demo-M", "parcours-M.db",
             "personnes.csv", "accompagnements.csv", "orientations.csv"}
    found = {
        "person ids": sorted(person_ids & (_tokens(browser) | _tokens(seen)))[:10],
        "paths": sorted(p for p in paths if p in browser or p in seen),
        "lines (as a line)": sorted(n for n in lines if re.search(rf"(?:ligne|line)\W+{n}(?!\d)", browser + seen)),
        "lines": sorted(lines & _tokens(seen)),
        "birth years": sorted(years & _tokens(seen)),
        "values": sorted({str(v) for v in stored["value"].drop_nulls().to_list() if len(str(v)) >= 6} & _tokens(seen)),
    }
    print(f"\n[9 data page, {lang}] warnings stored {stored.height} (+ counted {warnings.height - stored.height} "
          f"MORE_PROBLEMS), kinds shown {len(expected)}; person ids {len(person_ids)}, lines {len(lines)}, "
          f"birth years {len(years)} looked for: found {found}")
    assert not any(found.values()), found


# --- 10. Published figures -----------------------------------------------------------------------------------

WHOLE_DIGITS = {"rate": 2, "mean": 1, "per_unit": 1, "median": 0, "persons": 0, "events": 0, "sessions": 0, "n": 0}


def _digits_of(metric: str, column: str, figure_row: str | None) -> int | None:
    """Decimals a published cell may have (None: a key)."""
    from dashboard.catalogue import CATALOGUE

    kind = CATALOGUE[metric].kind(column)
    if kind in ("value", "change"):
        return 2 if figure_row in CATALOGUE[metric].rates else 0
    return WHOLE_DIGITS.get(kind or "")


def _rounded(value: float, digits: int) -> bool:
    return abs(value * 10**digits - round(value * 10**digits)) < 1e-6


def published_selections(structures: list[str]) -> list[Filters]:
    """Every structure by year over the data's span; every fourth one also with the single source SPIP."""
    chosen = [WHOLE.with_(by="year", structures=(s,)) for s in structures]
    return chosen + [WHOLE.with_(by="year", structures=(s,), sources=("SPIP",)) for s in structures[::4]]


def test_10_published_figures_hide_all_the_screen_hides_and_round_rates(oracle: Oracle, structures: list[str],
                                                                        cli_snapshot: None) -> None:
    """Every metric of the catalogue, every structure by year 2018-2025 (every fourth also with ``--source SPIP``,
    where every row takes the published k): the published version (k = 11) hides every cell the screen (k = 5)
    hides, and where both show a cell they show the same value (the same records, the same cell key, the same
    p-table draw: only the threshold differs, so the two versions side by side give no second draw to average).
    Published rates are whole percent (shares with 2 decimals), means and per-session figures have 1 decimal,
    medians and counts are whole. The command line's JSON (``figures METRIC --by year --structure S --format
    json``) is ``figures(..., published=True)`` cell for cell, for a sample (every seventh selection and metric)."""
    import json

    from dashboard.catalogue import CATALOGUE
    from tests.disclosure.attacks import sample

    cells = both = hidden_screen = hidden_published_only = 0
    shown_more, differ, unrounded, cli_differ, checked_cli = [], [], [], [], 0
    cases = [(metric, chosen) for chosen in published_selections(structures) for metric in CATALOGUE]
    for metric, chosen in cases:
        screen = oracle.protected(metric, chosen)
        published = oracle.protected(metric, chosen, published=True)
        label = f"{metric} {chosen.structures} {chosen.sources}"
        if screen.too_small:
            assert published.too_small, label
            continue
        if published.too_small:
            hidden_published_only += published.table.height
            continue
        assert screen.table.columns == published.table.columns and screen.table.height == published.table.height
        figure_rows = screen.table["figure"].to_list() if "figure" in screen.table.columns else [None] * screen.table.height
        for column in screen.table.columns:
            if _digits_of(metric, column, None) is None and CATALOGUE[metric].kind(column) not in ("value", "change"):
                continue
            pairs = zip(screen.table[column].to_list(), published.table[column].to_list(), screen.cells[column].to_list(),
                        published.cells[column].to_list(), figure_rows, strict=True)
            for row, (v_screen, v_published, r_screen, r_published, figure_row) in enumerate(pairs):
                cells += 1
                where = (label, column, row)
                if r_screen is not None:
                    hidden_screen += 1
                    if r_published is None:
                        shown_more.append((*where, v_published))
                    continue
                if r_published is not None or (v_published is None and v_screen is not None):
                    hidden_published_only += 1  # hidden, or left empty (the overview's n beside a rate it hides)
                    continue
                if v_screen is None and v_published is None:
                    continue
                both += 1
                if v_screen != v_published:
                    differ.append((*where, v_screen, v_published))
                digits = _digits_of(metric, column, figure_row)
                if v_published is not None and digits is not None and not _rounded(float(v_published), digits):
                    unrounded.append((*where, v_published))
    for metric, chosen in sample(cases, 7):
        published = oracle.protected(metric, chosen, published=True)
        argv = [metric, "--by", "year", "--from", FIRST.isoformat(), "--to", LAST.isoformat(),
                "--structure", chosen.structures[0], "--format", "json"]
        if chosen.sources:
            argv += ["--source", chosen.sources[0]]
        document = json.loads(cli(argv)[0])
        checked_cli += 1
        expected = [dict(zip(published.table.columns, row, strict=True)) for row in published.table.rows()]
        if document["too_small"] != published.too_small or len(document["rows"]) != len(expected):
            cli_differ.append((metric, chosen.structures, chosen.sources, "rows"))
            continue
        for got, want in zip(document["rows"], expected, strict=True):
            for column, value in want.items():
                same = got[column] == value or (isinstance(value, float) and got[column] is not None
                                                and abs(got[column] - value) < 1e-9)
                if not same:
                    cli_differ.append((metric, chosen.structures, chosen.sources, column, got[column], value))
    print(f"\n[10 published] selections x metrics {len(cases)}, cells {cells}: hidden on screen {hidden_screen} "
          f"(shown when published: {len(shown_more)}), hidden when published only {hidden_published_only}, shown by both "
          f"{both} (different values: {len(differ)}, not rounded as declared: {len(unrounded)}); "
          f"command line checked on {checked_cli} (differences: {len(cli_differ)})")
    assert cells > 10_000 and both > 1000
    assert not shown_more, f"published shows a cell the screen hides: {shown_more[:10]}"
    assert not differ, f"screen and published show different values for the same cell: {differ[:10]}"
    assert not unrounded, f"published cells not rounded as declared: {unrounded[:10]}"
    assert not cli_differ, f"the command line differs from figures(published=True): {cli_differ[:10]}"


def page_charts() -> list[tuple[str, object, str, tuple]]:
    """(page, builder, metric, arguments after the figures) for every ``plot(...)`` of pages/*.py; ``lang``,
    ``labels`` and ``by`` stand for the page's."""
    from dashboard.charts import exits, needs, referrals, workshops

    return [
        ("exits", exits.exits_by, "exits-by-housing", ("housing", "lang", "labels", "by")),
        ("exits", exits.exits_by, "exits-by-employment", ("employment", "lang", "labels", "by")),
        ("exits", exits.exit_rate_lines, "exits", ("housing_positive_rate", "lang", "labels", "by")),
        ("exits", exits.exit_rate_lines, "exits", ("dynamic_exit_rate", "lang", "labels", "by")),
        ("exits", exits.median_stay, "exits", ("lang", "by")),
        ("needs", needs.needs_heatmap, "needs-over-time", ("lang", "labels", "by")),
        ("needs", needs.need_lines, "needs-over-time", ("domain", "lang", "labels", "by")),
        ("needs", needs.need_lines, "needs-by-kind", ("kind", "lang", "labels", "by")),
        ("needs", needs.need_lines, "needs-by-pillar", ("pillar", "lang", "labels", "by")),
        ("needs", needs.distance_travelled, "distance-travelled", ("lang", "labels")),
        ("referrals", referrals.referrals_over_time, "referrals-by-source", ("lang", "labels", "by")),
        ("referrals", referrals.source_shares, "referrals-by-source", ("lang", "labels")),
        ("referrals", referrals.acceptance_heatmap, "referrals-by-source", ("lang", "labels", "by")),
        ("referrals", referrals.delay_heatmap, "referrals-by-source", ("lang", "labels", "by")),
        ("referrals", referrals.territories, "referrals-by-territory", ("lang",)),
        ("workshops", workshops.cohort_heatmap, "workshop-cohorts", ("lang", "by")),
        ("workshops", workshops.by_category, "workshop-by-category", ("lang", "labels", "by")),
        ("workshops", workshops.by_workshop, "workshop-attendance", ("lang",)),
        ("workshops", workshops.per_session, "workshop-attendance", ("lang",)),
        ("workshops", workshops.compare_groups, "workshop-by-facilitator", ("facilitator", "lang", "labels")),
        ("workshops", workshops.compare_groups, "workshop-by-co-construction", ("co_constructed", "lang", "labels")),
    ]


def _representations(metric: str, column: str, value: float) -> set[float]:
    """The numbers a chart may draw for a cell: the value, and a rate or share in percent (whole and exact)."""
    from dashboard.catalogue import CATALOGUE

    found = {round(float(value), 6)}
    if CATALOGUE[metric].kind(column) == "rate":
        found |= {round(float(value) * 100, 6), float(guess(float(value) * 100))}
    return found


def trace_numbers(fig: object) -> set[float]:
    """Every number in the figure's traces' y, x, z, text and customdata (nested lists, numbers written in text)."""
    import re

    numbers: set[float] = set()

    def walk(item: object) -> None:
        if item is None or isinstance(item, bool):
            return
        if isinstance(item, int | float | np.integer | np.floating):
            if not math.isnan(float(item)):
                numbers.add(round(float(item), 6))
        elif isinstance(item, str):
            plain = item.replace("\u202f", "").replace("\u00a0", "").replace(",", ".")
            numbers.update(round(float(n), 6) for n in re.findall(r"-?\d+(?:\.\d+)?", plain))
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list | tuple | np.ndarray):
            for value in item:
                walk(value)

    for trace in fig.to_dict()["data"]:  # type: ignore[attr-defined]
        for name in ("x", "y", "z", "text", "customdata"):
            walk(trace.get(name))
    return numbers


def test_10_the_png_export_draws_only_what_the_published_table_shows(oracle: Oracle, structures: list[str]) -> None:
    """The PNG button draws ``plot``'s published builder: the page's chart built from ``figures(..., published=True)``
    with the same filters, options and arguments (``dashboard.ui.plot``). For every chart of every page (pages/*.py),
    every structure by year 2018-2025 and every other structure by quarter, in French and in English: the
    published builder's figure is the chart of the published table, and no number in its trace data (y, x, z, text,
    customdata, numbers written in text included) comes from a value the screen shows and the published table
    hides. The builder reads only the published table, where every hidden cell is null (checked), so such a
    number can only be a coincidence: a value computed from shown cells (a share, a sum, a veil's 1) that equals a
    hidden one; those are counted. The chart is also built again with the screen's values put back in the cells the
    published table hides (their readings kept): charts that then change rely on the table's nulls rather than on
    its readings (``Protected.cells``); reported, not a leak while the table is null there. A selection the
    published version refuses draws none of its screen values. Kaleido draws the trace data it is given, so it is
    not run."""
    from dashboard.ui.context import PageContext
    from dashboard.ui.plot import published_builder, shown
    from tests.disclosure.attacks import sample

    data = oracle.data
    charts = page_charts()
    selections = [WHOLE.with_(by="year", structures=(s,)) for s in structures]
    selections += [WHOLE.with_(by="quarter", structures=(s,)) for s in sample(structures, 2)]
    from dataclasses import replace

    figures_built = numbers_seen = forbidden_cells = coincidences = 0
    drawn, not_same, not_null, reads_table = [], [], [], []
    for index, chosen in enumerate(selections):
        lang = ("fr", "en")[index % 2]
        ctx = PageContext(lang=lang, data=data, filters=chosen, published_k=K_PUBLISHED, screen_k=K, page="")
        sources: dict[str, object] = {}
        for page, build, metric, arguments in charts:
            source = sources.setdefault(metric, shown(metric, ctx))
            args = [{"lang": lang, "labels": data.labels, "by": chosen.by}.get(a, a) for a in arguments]
            published = oracle.protected(metric, chosen, published=True)
            fig = published_builder(build, source, *args)()
            direct = build(published, *args)
            figures_built += fig is not None
            if (fig is None) != (direct is None) or (fig is not None and fig.to_dict() != direct.to_dict()):
                not_same.append((page, build.__name__, metric, chosen.structures, chosen.by))
            if fig is None:
                continue
            screen = source.screen  # type: ignore[attr-defined]
            if screen.too_small:
                continue
            keys = [c for c in published.table.columns if _digits_of(metric, c, None) is None]
            allowed: set[float] = {float(K_PUBLISHED), float(K)}
            forbidden: dict[float, tuple] = {}
            for column in published.table.columns:
                for row, (v_screen, v_published, r_published) in enumerate(zip(
                        screen.table[column].to_list(), published.table[column].to_list(),
                        published.cells[column].to_list(), strict=True)):
                    if column in keys:
                        if isinstance(v_screen, int | float):
                            allowed.add(round(float(v_screen), 6))
                        continue
                    if v_published is not None:
                        allowed |= _representations(metric, column, v_published)
                    elif v_screen is not None and (r_published is not None or published.too_small):
                        forbidden_cells += 1
                        for number in _representations(metric, column, v_screen):
                            forbidden.setdefault(number, (column, row, v_screen))
            numbers = trace_numbers(fig)
            numbers_seen += len(numbers)
            coincidences += len((numbers - allowed) & set(forbidden))
            if published.too_small:
                drawn += [(page, build.__name__, metric, chosen.structures, chosen.by, n, forbidden[n])
                          for n in (numbers - allowed) & set(forbidden)]
                continue
            # The published table with the screen's values put back in the cells it hides (their readings kept):
            # what the chart draws differently from that table is drawn from a hidden cell.
            put_back = published.table.with_columns(
                pl.when(published.cells[c].is_not_null()).then(screen.table[c]).otherwise(published.table[c]).alias(c)
                for c in published.table.columns if c not in keys
            )
            poisoned = build(replace(published, table=put_back), *args)
            poisoned_numbers = trace_numbers(poisoned) if poisoned is not None else set()
            if poisoned is None or poisoned.to_dict() != fig.to_dict():
                reads_table.append((page, build.__name__, metric, chosen.structures, chosen.by,
                                    sorted(poisoned_numbers - numbers)[:5]))
            not_null += [(metric, chosen.structures, chosen.by, c) for c in published.table.columns if c not in keys
                         and (published.cells[c].is_not_null() & published.table[c].is_not_null()).any()]
    print(f"\n[10 PNG] charts {len(charts)} x selections {len(selections)}: published figures built {figures_built}, "
          f"numbers in their traces {numbers_seen}; cells shown on screen and hidden when published {forbidden_cells}; "
          f"numbers equal to such a value and to no shown value or key: {coincidences} (of refused selections: "
          f"{len(drawn)}); hidden cells holding a value in the published table: {len(not_null)}; published builder "
          f"differing from the chart of the published table: {len(not_same)}; charts that change when the hidden "
          f"cells hold the screen's values (a builder reading the table, not its readings): {len(reads_table)} "
          f"{sorted({(r[1], r[2]) for r in reads_table})}")
    assert figures_built > 100 and forbidden_cells > 100
    assert not not_same, f"the PNG is not the chart of the published figures: {not_same[:10]}"
    assert not not_null, f"the published table holds a value in a cell it hides: {not_null[:10]}"
    assert not drawn, f"a PNG of a refused selection draws a value the screen shows: {drawn[:10]}"


# --- The same cell through every path ------------------------------------------------------------------------

SAME_CELL_METRICS = ("referrals-by-source", "exits", "needs-over-time", "workshop-by-category", "exits-by-housing")


def published_cells(oracle: Oracle, metric: str, chosen: Filters) -> dict[tuple, dict[str, tuple]] | None:
    """{row key: {column: (published value, reading)}} of the published figures; None when the selection is refused."""
    from dashboard.catalogue import CATALOGUE

    shown = oracle.protected(metric, chosen, published=True)
    if shown.too_small:
        return None
    keys = [c for c in shown.table.columns if CATALOGUE[metric].kind(c) in ("period", "code", "text", "index")]
    out: dict[tuple, dict[str, tuple]] = {}
    for values, readings in zip(shown.table.iter_rows(named=True), shown.cells.iter_rows(named=True), strict=True):
        out[tuple(values[k] for k in keys)] = {c: (values[c], readings[c]) for c in shown.table.columns if c not in keys}
    return out


def compare_cells(part: dict | None, whole: dict | None, period: str, where: tuple, found: dict) -> None:
    """Every row of ``part`` (one period asked alone) against the same period's row in ``whole`` (a wider range)."""
    if part is None or whole is None:
        found["refused"] += 1
        return
    for key, row in part.items():
        if key[0] != period:
            found["other periods"].append((*where, key))
            continue
        other = whole.get(key)
        if other is None:
            found["missing"].append((*where, key))
            continue
        for column, cell in row.items():
            found["cells"] += 1
            if cell != other[column]:
                found["differ"].append((*where, key, column, cell, other[column]))
    found["missing"] += [(*where, key) for key in whole if key[0] == period and key not in part]


def test_the_same_cell_gets_the_same_published_value_through_every_path(oracle: Oracle, structures: list[str],
                                                                         cli_snapshot: None) -> None:
    """The same cell (same records) must read the same whatever path asks for it, or the paths would give the
    attacker several draws of one cell to average: (1) a page's published figures (``dashboard.ui.plot``'s
    ``Source.published``, what the PNG and downloads use) against the command line's JSON, every catalogue
    metric, a sample of structures by year; (2) a year asked alone against that year's row in the 2018-2025
    range by year; (3) a month asked alone against its row in its quarter's range by month. Values and readings
    ("< 11", "masqué") must be identical, over at least 1000 cells of each of (2) and (3). A selection the
    gate refuses (fewer than k persons, or within k persons of a neighbour) on either side is counted apart: it
    shows nothing, so it cannot disagree."""
    import json
    from collections import Counter

    from dashboard.catalogue import CATALOGUE
    from dashboard.ui.context import PageContext
    from dashboard.ui.plot import shown
    from tests.disclosure.attacks import sample

    # (1) a page and the command line
    page_cells, page_differ = 0, []
    for index, structure in enumerate(sample(structures, 3)):
        chosen = WHOLE.with_(by="year", structures=(structure,))
        ctx = PageContext(lang="fr", data=oracle.data, filters=chosen, published_k=K_PUBLISHED, screen_k=K, page="")
        for metric in sample(CATALOGUE, 1 + index % 2):
            page = shown(metric, ctx).published()
            argv = [metric, "--by", "year", "--from", FIRST.isoformat(), "--to", LAST.isoformat(), "--structure", structure,
                    "--format", "json"]
            document = json.loads(cli(argv)[0])
            rows = [dict(zip(page.table.columns, row, strict=True)) for row in page.table.rows()]
            if document["too_small"] != page.too_small or len(rows) != len(document["rows"]):
                page_differ.append((metric, structure, "rows"))
                continue
            for want, got in zip(rows, document["rows"], strict=True):
                for column, value in want.items():
                    page_cells += 1
                    if not (got[column] == value or (isinstance(value, float) and got[column] is not None
                                                     and abs(got[column] - value) < 1e-9)):
                        page_differ.append((metric, structure, column, value, got[column]))
    # (2) a year alone and inside the whole range; (3) a month alone and inside its quarter
    years: dict = {"cells": 0, "refused": 0, "differ": [], "missing": [], "other periods": []}
    months: dict = {"cells": 0, "refused": 0, "differ": [], "missing": [], "other periods": []}
    for index, structure in enumerate(sample(structures, 3)):
        for metric in SAME_CELL_METRICS:
            whole = published_cells(oracle, metric, WHOLE.with_(by="year", structures=(structure,)))
            for year in YEARS:
                alone = Filters(start=date(year, 1, 1), end=date(year, 12, 31), by="year", structures=(structure,))
                compare_cells(published_cells(oracle, metric, alone), whole, str(year), (metric, structure), years)
        year = YEARS[index % len(YEARS)]
        for metric in SAME_CELL_METRICS[:3]:
            for quarter in range(4):
                first = date(year, 3 * quarter + 1, 1)
                last = (date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1) - timedelta(days=1))
                inside = published_cells(oracle, metric, Filters(start=first, end=last, by="month", structures=(structure,)))
                for month in range(3 * quarter + 1, 3 * quarter + 4):
                    start = date(year, month, 1)
                    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
                    alone = published_cells(oracle, metric, Filters(start=start, end=end, by="month", structures=(structure,)))
                    compare_cells(alone, inside, f"{year}-{month:02d}", (metric, structure), months)
    counts = Counter({name: len(found["differ"]) for name, found in (("years", years), ("months", months))})
    print(f"\n[same cell] page vs command line: cells {page_cells}, different {len(page_differ)}; "
          f"year alone vs in 2018-2025: cells {years['cells']}, different {counts['years']}, rows missing on one side "
          f"{len(years['missing'])}, refused on a side {years['refused']}; month alone vs in its quarter: cells "
          f"{months['cells']}, different {counts['months']}, rows missing {len(months['missing'])}, "
          f"refused on a side {months['refused']}")
    assert page_cells >= 1000 and years["cells"] >= 1000 and months["cells"] >= 1000
    assert not page_differ, f"a page and the command line publish different values: {page_differ[:10]}"
    for name, found in (("year", years), ("month", months)):
        assert not found["differ"], f"a {name} alone and inside a wider range read differently: {found['differ'][:10]}"
        assert not found["missing"] and not found["other periods"], (found["missing"][:10], found["other periods"][:10])
