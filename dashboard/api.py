"""The Python API for notebooks: open the data, define cohorts, get their protected figures as polars frames.

Everything here goes through the same gate as the pages and the command
line (``dashboard.disclosure.figures``), at the published level by default:
a notebook gets what an export would, never a row about a person.

    from datetime import date
    from dashboard.api import Cohort, compare, figure, open_data

    data = open_data()                                  # DATABASE_URL, or open_data("sqlite:///data/parcours.db")
    spip = Cohort(name="SPIP 2023", anchor="referral", source="SPIP",
                  start=date(2023, 1, 1), end=date(2023, 12, 31), sex="F", age_band="MOINS_26")
    others = spip.with_(name="Autres sources", source=None)
    figure("cohort-outcomes", data, cohort=spip)        # polars DataFrame: indicator, persons, count, rate
    figure("exits", data, cohort=spip, by="year")       # any figure of the catalogue, on the cohort's rows
    compare(data, [spip, others]).outcomes              # side by side, differences and 95 % intervals

``figure`` returns the published table (hidden cells null); ``protected``
returns the whole ``Protected`` value (cell readings, k, notes) when the
reason a cell is hidden matters. ``figures_list()`` names every figure.
"""

from datetime import date

import polars as pl

from dashboard.catalogue import CATALOGUE
from dashboard.cohorts import Cohort, CohortError
from dashboard.compare import Comparison
from dashboard.compare import compare as _compare
from dashboard.data import Data, read_data
from dashboard.disclosure import Protected, figures
from dashboard.filters import Filters, Granularity
from models.db import make_engine


def open_data(url: str | None = None) -> Data:
    """A snapshot of the database at ``url`` (default: the ``DATABASE_URL`` setting)."""
    engine = make_engine(url)
    try:
        return read_data(engine)
    finally:
        engine.dispose()


def figures_list() -> list[str]:
    """The names of every figure (``python -m dashboard figures --list``)."""
    return list(CATALOGUE)


def protected(name: str, data: Data, *, cohort: Cohort | None = None, start: date | None = None,
              end: date | None = None, by: Granularity = "year", published: bool = True,
              filters: Filters | None = None, **options: object) -> Protected:
    """Figure ``name`` with every disclosure rule applied; ``cohort`` (checked) or ``filters`` select the rows."""
    chosen = filters or Filters(start=start, end=end, by=by)
    if cohort is not None:
        cohort = cohort.validated(data.structures["structure_id"].to_list())
        options["cohort"] = cohort
    return figures(name, data, chosen, published=published, **options)


def figure(name: str, data: Data, **kwargs: object) -> pl.DataFrame:
    """The published table of figure ``name`` (see ``protected`` for the arguments); empty when hidden whole."""
    return protected(name, data, **kwargs).table  # type: ignore[arg-type]


def compare(data: Data, cohorts: list[Cohort], *, horizon: int = 12, published: bool = True) -> Comparison:
    """Two to four cohorts side by side (``dashboard.compare``)."""
    known = data.structures["structure_id"].to_list()
    return _compare(data, [c.validated(known) for c in cohorts], published=published, horizon=horizon)


__all__ = ["Cohort", "CohortError", "Comparison", "Filters", "compare", "figure", "figures_list", "open_data",
           "protected"]
