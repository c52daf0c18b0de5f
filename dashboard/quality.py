"""Data-quality counts for the "Qualité des données" page, from a ``Data`` snapshot and the load log.

The rules are ``models.quality``'s (the load and ``python -m etl quality``
use the same ones). What reaches the page, and how it passes the gate:

- **Now** (the database as it stands), one structure or the whole network:
  counts of cells and rows go through ``dashboard.disclosure.protect`` like
  every figure: counts about persons (the persons table, an assessment after
  exit counted in persons) are person counts with their cell key, counts of
  referrals and support periods are event counts (shown only when the
  persons behind them reach k), counts of structures, workshops and sessions
  (not about persons) are shown as they are. Shares come from the perturbed
  counts, in whole percent, hidden when a count they come from is. A
  structure with 1 to k - 1 persons shows nothing.
- **Per load** (``load_quality``, written by each load): stored aggregates
  have no record keys, so they cannot be perturbed consistently; they are
  shown only as shares rounded to 5 points, and only when the rows behind
  them reach the published k. A 5-point step still moves when one row of a
  small base changes between two loads: that says a record was completed or
  left out, never which one or whose.
- **Score** per structure (``models.quality.score``): rounded to 5 points
  with its band, shown for structures of at least k persons.

Timeliness is judged from each structure's second load on: its first load
brings its history, not late entries.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine

from dashboard.data import Data, read_table
from dashboard.disclosure import disclosure_mode, protect, thresholds
from dashboard.disclosure_rules import Rate, Spec
from dashboard.metrics.common import PerSnapshot, event_count, person_count
from models import quality
from models.db import get_engine
from models.tables import LoadQuality

EVENT_TABLES = ("referrals", "support_periods")
PERSON_TABLES = ("persons", "assessments")
STEP = 0.05  # per-load shares and the score: 5-point steps
ON_TIME_DAYS, PENDING_DAYS = quality.ON_TIME_DAYS, quality.PENDING_DAYS  # the page says them


def frames_of(data: Data) -> quality.Frames:
    """The snapshot's frames under the rules' table names (``sessions`` is ``workshop_sessions``)."""
    return {"structures": data.structures, "persons": data.persons, "referrals": data.referrals,
            "support_periods": data.support_periods, "assessments": data.assessments, "workshops": data.workshops,
            "workshop_sessions": data.sessions}


def _restricted(frames: quality.Frames, structure: str | None) -> quality.Frames:
    if structure is None:
        return frames
    return {name: frame.filter(pl.col("structure_id") == structure) for name, frame in frames.items()}


def kind_of(table: str) -> str:
    return "events" if table in EVENT_TABLES else "persons" if table in PERSON_TABLES else "public"


def _count(kind: str, name: str, frame: pl.DataFrame, rows: pl.Expr | None = None) -> list[pl.Expr]:
    if kind == "events":
        return event_count(name, rows)
    if kind == "persons":
        return person_count(name, rows)
    return [(pl.len() if rows is None else rows.sum()).cast(pl.Int64).alias(name)]


def _spec(kind: str, counts: tuple[str, str, str], shares: dict[str, Rate]) -> Spec:
    by_kind = {"events": {"events": counts}, "persons": {"persons": counts}, "public": {"public": counts}}[kind]
    return Spec(keys=("measure",), rates=shares, **by_kind)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Gated:
    """A table after the gate: ``table`` numbers (hidden cells null), ``cells`` null / "small" / "masked" per cell,
    ``k`` per row; ``too_small`` when the selection shows nothing."""

    table: pl.DataFrame
    cells: pl.DataFrame
    row_k: tuple[int, ...]
    too_small: bool = False


def _gate(parts: list[tuple[str, pl.DataFrame]], counts: tuple[str, str, str], shares: dict[str, Rate], k: int,
          k_published: int, exact: bool | None) -> Gated:
    tables, cells, row_k = [], [], []
    for kind, raw in parts:
        if raw.is_empty():
            continue
        raw = raw.with_columns(pl.lit(None, dtype=pl.Float64).alias(name) for name in shares)
        shown = protect("quality", raw, k=k, k_sensitive=k_published, exact=exact, spec=_spec(kind, counts, shares))
        order = ["measure", *counts, *shares]
        tables.append(shown.table.select(order).with_columns(pl.col(counts).cast(pl.Float64)))
        cells.append(shown.cells.select(order))
        row_k += list(shown.row_k)
    if not tables:
        empty = pl.DataFrame(schema={"measure": pl.String, **{c: pl.Float64 for c in (*counts, *shares)}})
        return Gated(empty, empty.cast(pl.String), ())
    return Gated(pl.concat(tables), pl.concat(cells), tuple(row_k))


def persons_in(data: Data, structure: str | None) -> int:
    persons = data.persons if structure is None else data.persons.filter(pl.col("structure_id") == structure)
    return persons.height


_COUNTS = PerSnapshot(size=32)  # a filter change reruns the page: the counts of a snapshot do not change


def completeness(data: Data, structure: str | None, *, k: int, k_published: int, exact: bool | None = None) -> Gated:
    """Per column: cells (or persons) where a value is expected, missing, unknown; the two shares."""
    key = ("completeness", structure, k, k_published, exact)
    return _COUNTS.get(data, key, lambda: _completeness(data, structure, k, k_published, exact))


def _completeness(data: Data, structure: str | None, k: int, k_published: int, exact: bool | None) -> Gated:
    frames = _restricted(frames_of(data), structure)
    parts: list[tuple[str, pl.DataFrame]] = []
    for column in quality.COMPLETENESS:
        frame = frames.get(column.table)
        if frame is None or frame.is_empty():
            continue
        kind = kind_of(column.table)
        row = frame.select(*_count(kind, "expected", frame, column.expected_rows()),
                           *_count(kind, "missing", frame, column.missing()),
                           *_count(kind, "unknown", frame, column.unknown()))
        parts.append((kind, row.with_columns(pl.lit(column.name).alias("measure"))))
    return _gated_parts(parts, ("expected", "missing", "unknown"),
                        {"missing_share": Rate("missing", ("expected",)), "unknown_share": Rate("unknown", ("expected",))},
                        data, structure, k, k_published, exact)


def consistency(data: Data, structure: str | None, *, k: int, k_published: int, exact: bool | None = None) -> Gated:
    """Per rule: rows (or persons) judged, flagged, and the flagged share; the reference day is the data's last."""
    key = ("consistency", structure, k, k_published, exact)
    return _COUNTS.get(data, key, lambda: _consistency(data, structure, k, k_published, exact))


def _consistency(data: Data, structure: str | None, k: int, k_published: int, exact: bool | None) -> Gated:
    frames = _restricted(frames_of(data), structure)
    as_of = data.last_day
    parts: list[tuple[str, pl.DataFrame]] = []
    for rule in quality.CONSISTENCY:
        judged = quality.base_rows(rule, frames)
        if judged.is_empty() or as_of is None:
            continue
        kind = kind_of(rule.table)
        flagged = rule.rows(frames, as_of)
        row = pl.concat([judged.select(_count(kind, "judged", judged)),
                         (flagged if not flagged.is_empty() else judged.clear()).select(_count(kind, "flagged", judged))],
                        how="horizontal")
        parts.append((kind, row.with_columns(pl.lit(rule.code).alias("measure"))))
    return _gated_parts(parts, ("judged", "flagged", "unknown"), {"flagged_share": Rate("flagged", ("judged",))},
                        data, structure, k, k_published, exact, drop=("unknown",))


def _gated_parts(parts: list[tuple[str, pl.DataFrame]], counts: tuple[str, str, str], shares: dict[str, Rate],
                 data: Data, structure: str | None, k: int, k_published: int, exact: bool | None,
                 drop: tuple[str, ...] = ()) -> Gated:
    parts = [(kind, raw.with_columns(pl.lit(0, dtype=pl.Int64).alias(name) for name in drop)) for kind, raw in parts]
    gated = _gate(parts, counts, shares, k, k_published, exact)
    if drop:
        gated = Gated(gated.table.drop(drop), gated.cells.drop(drop), gated.row_k)
    if 0 < persons_in(data, structure) < k:
        return Gated(gated.table.clear(), gated.cells.clear(), (), too_small=True)
    return gated


# --- The load log: per-load shares, timeliness, the score ------------------------------------------------------

_LOG = PerSnapshot(size=2)


def read_load_quality(engine: Engine) -> pl.DataFrame:
    return read_table(engine, LoadQuality).sort("load_id", "structure_id", "measure")


def load_quality(data: Data, engine: Engine | None = None) -> pl.DataFrame:
    """``load_quality`` read once per snapshot (a new load makes a new snapshot), limited to the snapshot's
    structures and loads (a signed-in person's snapshot holds only the structures their roles cover)."""
    def read() -> pl.DataFrame:
        log = read_load_quality(engine or get_engine())
        return log.filter(pl.col("structure_id").is_in(data.structures["structure_id"].implode())
                          & pl.col("load_id").is_in(data.loads["id"].cast(pl.Int64).implode()))
    return _LOG.get(data, "load_quality", read)


def level(data: Data, structure: str | None) -> tuple[int, int, bool]:
    """(k, published k, exact) for the selection: the server's mode and thresholds, never loosened beyond the
    signed-in person's level for it (as ``dashboard.disclosure.figures``)."""
    published, mode = False, disclosure_mode()
    access = getattr(data, "access", None)
    if access is not None:
        published, mode = access.disclosure((structure,) if structure else (), published, mode)
    k, k_published = thresholds(published)
    return k, k_published, mode == "exact"


def _split(log: pl.DataFrame) -> pl.DataFrame:
    return log.with_columns(
        pl.col("measure").str.split_exact(":", 1).struct.rename_fields(["family", "name"]).alias("_m")
    ).unnest("_m")


def after_first_load(log: pl.DataFrame) -> pl.DataFrame:
    """Timeliness rows of loads after each structure's first (its history is not late)."""
    timely = _split(log).filter(pl.col("family") == "timely")
    first = log.group_by("structure_id").agg(pl.col("load_id").min().alias("_first"))
    return timely.join(first, on="structure_id").filter(pl.col("load_id") > pl.col("_first")).drop("_first")


@dataclass(frozen=True)
class Parts:
    """What the score is computed from: (expected, missing, unknown) per column, (judged, flagged) per rule."""

    columns: list[tuple[int, int, int]]
    rules: list[tuple[int, int]]
    arrived: int = 0
    on_time: int = 0


def parts_of(log: pl.DataFrame) -> Parts:
    """The counts of a slice of ``load_quality``, pooled over its structures per column and per rule."""
    split = _split(log).group_by("family", "name").agg(pl.col("rows").sum(), pl.col("total").sum()).sort("name")
    of = {family: {n: (r, t) for _, n, r, t in split.filter(pl.col("family") == family).iter_rows()}
          for family in ("missing", "unknown", "rule")}
    columns = [(t, r, of["unknown"].get(n, (0, 0))[0]) for n, (r, t) in of["missing"].items()]
    return Parts(columns=columns, rules=[(t, r) for r, t in of["rule"].values()])


def stepped(value: float | None) -> float | None:
    """Rounded to the nearest ``STEP`` (0.05), half up."""
    return None if value is None else round(int(value / STEP + 0.5 + 1e-9) * STEP, 2)


def _score_row(parts: Parts) -> dict[str, float | str | None]:
    found = quality.score(parts.columns, parts.rules, parts.arrived, parts.on_time)
    value = None if found.value is None else stepped(found.value / 100)
    shown = None if value is None else round(value * 100)
    return {"completeness": stepped(found.completeness), "consistency": stepped(found.consistency),
            "timeliness": stepped(found.timeliness), "score": shown, "band": quality.band(shown)}  # the band of what shows


def current_parts(data: Data, structure: str | None, log: pl.DataFrame) -> Parts:
    """Exact counts of the database now (rows, not persons), timeliness from the load log."""
    frames = _restricted(frames_of(data), structure)
    columns: list[tuple[int, int, int]] = []
    for column in quality.COMPLETENESS:
        frame = frames.get(column.table)
        if frame is not None and not frame.is_empty():
            got = frame.select(e=column.expected_rows().sum(), m=column.missing().sum(), u=column.unknown().sum())
            columns.append((int(got["e"][0]), int(got["m"][0]), int(got["u"][0])))
    rules = []
    if data.last_day is not None:
        rules = [(quality.base_rows(rule, frames).height, rule.rows(frames, data.last_day).height)
                 for rule in quality.CONSISTENCY]
    timely = after_first_load(log)
    if structure is not None:
        timely = timely.filter(pl.col("structure_id") == structure)
    return Parts(columns, rules, int(timely["total"].sum() or 0), int(timely["rows"].sum() or 0))


def scores(data: Data, log: pl.DataFrame, *, k: int) -> pl.DataFrame:
    """One row per structure: its name, the parts and the score in 5-point steps, the band; null under k persons."""
    key = ("scores", k, log.height, int(log.hash_rows().sum()) if log.height else 0)  # the log is small
    return _COUNTS.get(data, key, lambda: _scores(data, log, k))


def _scores(data: Data, log: pl.DataFrame, k: int) -> pl.DataFrame:
    rows = []
    for structure, name in data.structures.select("structure_id", "name").iter_rows():
        shown = persons_in(data, structure) >= k
        row = _score_row(current_parts(data, structure, log)) if shown else dict.fromkeys(
            ("completeness", "consistency", "timeliness", "score", "band"))
        rows.append({"structure_id": structure, "name": name, **row})
    schema = {"structure_id": pl.String, "name": pl.String, "completeness": pl.Float64, "consistency": pl.Float64,
              "timeliness": pl.Float64, "score": pl.Int64, "band": pl.String}
    return pl.DataFrame(rows, schema=schema).sort("structure_id")


def trends(data: Data, log: pl.DataFrame, structure: str | None, *, k_published: int) -> pl.DataFrame:
    """One row per load that measured the selection: its date, the parts and the score in 5-point steps.

    A load whose export held fewer than the published k persons for the selection shows no figure.
    """
    if structure is not None:
        log = log.filter(pl.col("structure_id") == structure)
    late = after_first_load(log)
    rows = []
    for load_id in log["load_id"].unique().sort().to_list():
        slice_ = log.filter(pl.col("load_id") == load_id)
        arrived = late.filter(pl.col("load_id") == load_id)
        parts = Parts(parts_of(slice_).columns, parts_of(slice_).rules, int(arrived["total"].sum() or 0),
                      int(arrived["rows"].sum() or 0))
        persons = int(slice_.filter(pl.col("measure") == "missing:persons.sex")["total"].sum() or 0)
        row = _score_row(parts) if persons >= k_published else dict.fromkeys(
            ("completeness", "consistency", "timeliness", "score", "band"))
        rows.append({"load_id": load_id, **row})
    schema = {"load_id": pl.Int64, "completeness": pl.Float64, "consistency": pl.Float64, "timeliness": pl.Float64,
              "score": pl.Int64, "band": pl.String}
    frame = pl.DataFrame(rows, schema=schema)
    dates = data.loads.select(pl.col("id").cast(pl.Int64).alias("load_id"), pl.col("finished_at").alias("loaded_at"))
    return frame.join(dates, on="load_id", how="left").select(
        "load_id", "loaded_at", "completeness", "consistency", "timeliness", "score", "band").sort("load_id")


def load_shares(log: pl.DataFrame, load_id: int, structure: str | None, *, k_published: int) -> pl.DataFrame:
    """One load's shares per measure (missing, unknown, rule), pooled over the selection, in 5-point steps;
    null where fewer than the published k rows were judged."""
    if structure is not None:
        log = log.filter(pl.col("structure_id") == structure)
    split = _split(log.filter(pl.col("load_id") == load_id)).filter(pl.col("family").is_in(["missing", "unknown", "rule"]))
    pooled = split.group_by("family", "name").agg(pl.col("rows").sum(), pl.col("total").sum())
    share = pl.when(pl.col("total") >= k_published).then(pl.col("rows") / pl.col("total")).otherwise(None)
    return (
        pooled.with_columns(((share / STEP + 0.5 + 1e-9).floor() * STEP).round(2).alias("share"))
        .select("family", "name", "share")
        .sort("family", "name")
    )
