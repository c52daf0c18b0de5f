"""Territories of residence as people read them: INSEE commune codes shown as the commune's name.

Exports give ``territoire`` as a name ("Caen") or as an INSEE code
("14118"); both must count as one place, under its name
(``models.communes``, the INSEE COG shipped as data). Belgian CPAS write
Belgian place names, and a five-digit Belgian code would read as a French
commune: their values stay as written.
"""

import polars as pl

from dashboard.data import Data
from dashboard.metrics.common import PerSnapshot
from models.communes import commune_name

_NAMES = PerSnapshot(size=1)
BELGIAN_TYPES = ("CPAS",)


def _names(data: Data) -> pl.Series:
    belgian = data.structures.filter(pl.col("type").is_in(BELGIAN_TYPES))["structure_id"]
    written = data.persons["territory"]
    known = {value: name for value in written.drop_nulls().unique().to_list() if (name := commune_name(value))}
    named = written.replace(known) if known else written
    return (
        pl.select(pl.when(data.persons["structure_id"].is_in(belgian.implode())).then(written).otherwise(named))
        .to_series().alias("territory")
    )


def territory_names(data: Data) -> pl.Series:
    """Each person's territory (row order of ``data.persons``), INSEE codes as names; null where none was given."""
    return _NAMES.get(data, "territories", lambda: _names(data))


__all__ = ["territory_names"]
