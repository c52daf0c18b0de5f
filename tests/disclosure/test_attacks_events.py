"""The attacks on events, rates' n and cohorts (families 6 to 8, and averaging) replayed on disclosure control version 2.

Each test plays one family over the generated M network of conftest.py, reading PROTECTED outputs
only; see ``tests/disclosure/attacks.py`` for the harness, the two conditions a family must meet
and why ``exact_share_bound(k)`` bounds the exact share.
"""


from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np
import polars as pl
import pytest

from dashboard.disclosure import SelectionError, figures
from dashboard.filters import Filters
from dashboard.perturbation import perturb, ptable
from tests.disclosure.attacks import EXIT_KEYS, REFERRAL_KEYS, WHOLE, YEARS, K, Oracle, Tally, months_of

pytestmark = pytest.mark.slow


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
