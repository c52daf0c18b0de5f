"""The attacks on what leaves the app (families 9 and 10) and the consistency of one cell through every path.

Each test plays one family over the generated M network of conftest.py, reading PROTECTED outputs
only; see ``tests/disclosure/attacks.py`` for the harness, the two conditions a family must meet
and why ``exact_share_bound(k)`` bounds the exact share.
"""


from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from dashboard.data import Data
from dashboard.filters import Filters
from tests.disclosure.attacks import FIRST, K_PUBLISHED, LAST, WHOLE, YEARS, K, Oracle, cli, guess

pytestmark = pytest.mark.slow


# --- 9. The data page ----------------------------------------------------------------------------------------



def by_period(catalogue: dict) -> list[str]:  # type: ignore[type-arg]
    """The figures asked by period with the page filters (``--by year``): not those of a cohort (their selection is
    a cohort: tests/disclosure/test_attacks_cohorts.py) nor those grouped otherwise (time to exit, by program)."""
    from dashboard.disclosure import COHORT_FIGURES

    return [m for m, figure in catalogue.items() if m not in COHORT_FIGURES and not getattr(figure, "groupings", ())]

def _tokens(text: str) -> set[str]:
    """The words and numbers of a text (an id such as S01-P000001 is one word, a number written with its digit
    groups, 10 000 or 10,000, is one number: 10000). The ordinal of a numbered list item at the start of a line
    ("10. ") is the page's own structure, not a figure, and is left out."""
    import re

    text = re.sub(r"(?m)^\s*\d+\.\s", " ", text)
    grouped = re.compile(r"(?<![\w,.])\d{1,3}(?:(?:[\u00a0\u202f]|,(?=\d{3}(?!\d)))\d{3})+(?![\w])")
    numbers = {re.sub(r"\D", "", n) for n in grouped.findall(text)}
    return set(re.findall(r"[\w-]+", grouped.sub(" ", text))) | numbers


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
    cases = [(metric, chosen) for chosen in published_selections(structures) for metric in by_period(CATALOGUE)]
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
        for metric in sample(by_period(CATALOGUE), 1 + index % 2):
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
