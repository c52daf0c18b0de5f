"""The attacks on counts (families 1 to 5, and a small group's presence) replayed on disclosure control version 2.

Each test plays one family over the generated M network of conftest.py, reading PROTECTED outputs
only; see ``tests/disclosure/attacks.py`` for the harness, the two conditions a family must meet
and why ``exact_share_bound(k)`` bounds the exact share.
"""


from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import polars as pl
import pytest

from dashboard.perturbation import exact_share_bound, ptable
from tests.disclosure.attacks import (
    AGE_BANDS,
    COMPLEMENT_TABLES,
    EXIT_KEYS,
    K_PUBLISHED,
    REFERRAL_KEYS,
    SEXES,
    WHOLE,
    K,
    Oracle,
    Tally,
    cli,
    complement,
    complement_pair,
    guess,
    minus_parts,
    months_of,
    small_groups,
    truth_minus_parts,
)

pytestmark = pytest.mark.slow


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
