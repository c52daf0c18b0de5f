"""needs-over-time, needs-by-kind, needs-by-pillar and distance-travelled.

Hand-computed figures on a small fixture, then the fast implementation
(integer layouts, cumulative sums) against a plain group-by reading of the
definitions on random data.
"""

import random
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.needs import (
    DISTANCE_TRAVELLED,
    NEEDS_BY_KIND,
    NEEDS_BY_PILLAR,
    NEEDS_OVER_TIME,
    distance_travelled,
    needs_by_kind,
    needs_by_pillar,
    needs_over_time,
)
from dashboard.periods import in_range, period_label
from tests.metrics.fixtures import make_data, rows

Q1 = Filters(start=date(2024, 1, 1), end=date(2024, 3, 31))
LOG, ALI, EMP, SM = "LOGEMENT", "ALIMENTATION", "EMPLOI_FORMATION", "SANTE_MENTALE"


def _evaluations(person: str, day: str, levels: dict[str, int], structure: str = "S1") -> list[dict]:
    return [{"structure_id": structure, "person_id": person, "assessment_date": day, "domain": d, "level": v}
            for d, v in levels.items()]


PERSONS = [{"person_id": "P1", "sex": "F"}, {"person_id": "P2", "sex": "M"}, {"structure_id": "S2", "person_id": "P1", "sex": "F"}]
ASSESSMENTS = [
    *_evaluations("P1", "2024-01-05", {LOG: 1, ALI: 2, EMP: 3}),
    *_evaluations("P1", "2024-01-25", {LOG: 3}),  # assessed twice in January: the latest counts
    *_evaluations("P1", "2024-02-10", {LOG: 4, SM: 2}),
    *_evaluations("P2", "2024-01-10", {LOG: 2, EMP: 5}),
    *_evaluations("P2", "2024-03-15", {LOG: 2, EMP: 4}),
    *_evaluations("P1", "2024-01-12", {LOG: 5, ALI: 1}, structure="S2"),  # same id, another structure: another person
    *_evaluations("P2", "2024-05-02", {LOG: 1}),  # after the range
]
# Default readings: LOGEMENT and ALIMENTATION practical (pillar LOGEMENT / none),
# EMPLOI_FORMATION and SANTE_MENTALE strategic (pillars EMPLOI / SANTE).


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return make_data(tmp_path_factory.mktemp("needs"), persons=PERSONS, assessments=ASSESSMENTS)


def test_over_time_by_month(data: Data) -> None:
    frame = needs_over_time(data, Q1)
    assert frame.columns == NEEDS_OVER_TIME
    assert rows(frame) == [
        ("2024-01", ALI, 2, 2, 1.0, 1.5),
        ("2024-01", EMP, 2, 0, 0.0, 4.0),
        ("2024-01", LOG, 3, 1, 0.3333, 3.33),  # P1's latest January level is 3, not 1
        ("2024-02", LOG, 1, 0, 0.0, 4.0),
        ("2024-02", SM, 1, 1, 1.0, 2.0),
        ("2024-03", EMP, 1, 0, 0.0, 4.0),
        ("2024-03", LOG, 1, 1, 1.0, 2.0),
    ]


def test_over_time_by_quarter(data: Data) -> None:
    assert rows(needs_over_time(data, Q1.with_(by="quarter"))) == [
        ("2024-Q1", ALI, 2, 2, 1.0, 1.5),
        ("2024-Q1", EMP, 2, 0, 0.0, 3.5),
        ("2024-Q1", LOG, 3, 1, 0.3333, 3.67),
        ("2024-Q1", SM, 1, 1, 1.0, 2.0),
    ]


def test_the_latest_evaluation_is_the_latest_inside_the_range(data: Data) -> None:
    frame = needs_over_time(data, Filters(start=date(2024, 1, 1), end=date(2024, 1, 20)))
    assert rows(frame.filter(domain=LOG)) == [("2024-01", LOG, 3, 2, 0.6667, 2.67)]


def test_filters(data: Data) -> None:
    assert rows(needs_over_time(data, Q1.with_(by="quarter", sexes=("M",)))) == [
        ("2024-Q1", EMP, 1, 0, 0.0, 4.0),
        ("2024-Q1", LOG, 1, 1, 1.0, 2.0),
    ]
    assert rows(needs_over_time(data, Q1.with_(by="quarter", structures=("S2",)))) == [
        ("2024-Q1", ALI, 1, 1, 1.0, 1.0),
        ("2024-Q1", LOG, 1, 0, 0.0, 5.0),
    ]


def test_by_kind(data: Data) -> None:
    frame = needs_by_kind(data, Q1)
    assert frame.columns == NEEDS_BY_KIND
    assert rows(frame) == [
        # P1: levels 3 and 2 (in need, mean 2.5); P2: 2 (in need); S2's P1: 5 and 1 (in need, mean 3).
        ("2024-01", "PRATIQUE", 3, 3, 1.0, 2.5),
        ("2024-01", "STRATEGIQUE", 2, 0, 0.0, 4.0),
        ("2024-02", "PRATIQUE", 1, 0, 0.0, 4.0),
        ("2024-02", "STRATEGIQUE", 1, 1, 1.0, 2.0),
        ("2024-03", "PRATIQUE", 1, 1, 1.0, 2.0),
        ("2024-03", "STRATEGIQUE", 1, 0, 0.0, 4.0),
    ]


def test_by_pillar_leaves_out_domains_without_one(data: Data) -> None:
    frame = needs_by_pillar(data, Q1)
    assert frame.columns == NEEDS_BY_PILLAR
    assert rows(frame) == [
        ("2024-01", "EMPLOI", 2, 0, 0.0, 4.0),
        ("2024-01", "LOGEMENT", 3, 1, 0.3333, 3.33),
        ("2024-02", "LOGEMENT", 1, 0, 0.0, 4.0),
        ("2024-02", "SANTE", 1, 1, 1.0, 2.0),
        ("2024-03", "EMPLOI", 1, 0, 0.0, 4.0),
        ("2024-03", "LOGEMENT", 1, 1, 1.0, 2.0),
    ]


def test_kinds_and_pillars_come_from_the_domain_readings(tmp_path: Path) -> None:
    data = make_data(tmp_path, persons=PERSONS, assessments=ASSESSMENTS, domain_readings={ALI: ("STRATEGIQUE", "SANTE")})
    january = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert rows(needs_by_kind(data, january)) == [
        ("2024-01", "PRATIQUE", 3, 1, 0.3333, 3.33),
        # P1: 3 and 2 (mean 2.5); P2: 5; S2's P1: 1.
        ("2024-01", "STRATEGIQUE", 3, 2, 0.6667, 2.83),
    ]
    assert rows(needs_by_pillar(data, january).filter(pillar="SANTE")) == [("2024-01", "SANTE", 2, 2, 1.0, 1.5)]


def test_distance_travelled(data: Data) -> None:
    frame = distance_travelled(data, Q1)
    assert frame.columns == DISTANCE_TRAVELLED
    assert rows(frame) == [
        ("EMPLOI_FORMATION", 1, 0, 0, 1, 0.0, -1.0),  # P2: 5 then 4
        ("LOGEMENT", 2, 1, 1, 0, 0.5, 1.5),  # P1: 1 -> 4; P2: 2 -> 2; S2's P1 assessed once
    ]
    late_january = Filters(start=date(2024, 1, 20), end=date(2024, 2, 28))
    assert rows(distance_travelled(data, late_january)) == [("LOGEMENT", 1, 1, 0, 0, 1.0, 1.0)]
    # Without dates, P2's May evaluation is P2's latest housing level: 2 -> 1.
    assert rows(distance_travelled(data, Filters()).filter(domain=LOG)) == [("LOGEMENT", 2, 1, 0, 1, 0.5, 1.0)]


def test_no_evaluations(tmp_path: Path) -> None:
    data = make_data(tmp_path, persons=PERSONS)
    for metric, columns in ((needs_over_time, NEEDS_OVER_TIME), (needs_by_kind, NEEDS_BY_KIND),
                            (needs_by_pillar, NEEDS_BY_PILLAR), (distance_travelled, DISTANCE_TRAVELLED)):
        frame = metric(data, Q1)
        assert frame.is_empty() and frame.columns == columns


# --- The fast implementation against a plain reading of the definitions ----


def _plain_latest(data: Data, filters: Filters, person_ids: pl.Series) -> pl.DataFrame:
    return (
        data.assessments.filter(in_range("assessment_date", filters), pl.col("pid").is_in(person_ids.implode()))
        .with_columns(period_label("assessment_date", filters.by).alias("period"))
        .group_by("period", "domain", "pid")
        .agg(pl.col("level").sort_by("assessment_date").last(), pl.col("pk").first())
    )


def _plain_key(keys: pl.Expr) -> pl.Expr:
    """The cell key as the method defines it: the sum of the persons' record keys modulo 4096."""
    return keys.cast(pl.Int64).sum() % 4096


def _plain_summary(frame: pl.DataFrame, group: str, level: str, in_need: str) -> pl.DataFrame:
    return frame.group_by("period", group).agg(
        pl.len().cast(pl.Int64).alias("persons_assessed"),
        pl.col(in_need).sum().cast(pl.Int64).alias("persons_in_need"),
        (pl.col(in_need).sum() / pl.len()).alias("share_in_need"),
        pl.col(level).cast(pl.Float64).mean().round(2).alias("mean_level"),
        _plain_key(pl.col("pk")).alias("_ck_persons_assessed"),
        _plain_key(pl.col("pk").filter(pl.col(in_need))).alias("_ck_persons_in_need"),
        pl.col(level).cast(pl.Float64).sum().alias("_sum_mean_level"),
    ).sort("period", group)


def _plain(data: Data, filters: Filters, person_ids: pl.Series) -> dict[str, pl.DataFrame]:
    latest = _plain_latest(data, filters, person_ids).with_columns((pl.col("level") <= 2).alias("need"))
    result = {"domain": _plain_summary(latest, "domain", "level", "need")}
    for reading in ("kind", "pillar"):
        per_person = (
            latest.join(data.domain_readings.filter(pl.col(reading).is_not_null()), on="domain")
            .group_by("period", reading, "pid").agg(pl.col("need").any(), pl.col("level").mean(), pl.col("pk").first())
        )
        result[reading] = _plain_summary(per_person, reading, "level", "need")
    pairs = (
        data.assessments.filter(in_range("assessment_date", filters), pl.col("pid").is_in(person_ids.implode()))
        .group_by("domain", "pid")
        .agg(pl.len().alias("n"), (pl.col("level").sort_by("assessment_date").last()
                                   - pl.col("level").sort_by("assessment_date").first()).alias("change"), pl.col("pk").first())
        .filter(pl.col("n") >= 2)
    )
    result["distance"] = pairs.group_by("domain").agg(
        pl.len().cast(pl.Int64).alias("persons"),
        (pl.col("change") > 0).sum().cast(pl.Int64).alias("improved"),
        (pl.col("change") == 0).sum().cast(pl.Int64).alias("stable"),
        (pl.col("change") < 0).sum().cast(pl.Int64).alias("worsened"),
        ((pl.col("change") > 0).sum() / pl.len()).alias("share_improved"),
        pl.col("change").cast(pl.Float64).mean().round(2).alias("mean_change"),
        _plain_key(pl.col("pk")).alias("_ck_persons"),
        _plain_key(pl.col("pk").filter(pl.col("change") > 0)).alias("_ck_improved"),
        _plain_key(pl.col("pk").filter(pl.col("change") == 0)).alias("_ck_stable"),
        _plain_key(pl.col("pk").filter(pl.col("change") < 0)).alias("_ck_worsened"),
        pl.col("change").cast(pl.Float64).sum().alias("_sum_mean_change"),
    ).sort("domain")
    return result


def test_fast_layouts_match_a_plain_reading_of_the_definitions(tmp_path: Path) -> None:
    rng = random.Random(7)
    domains = [LOG, ALI, EMP, SM, "JUSTICE", "PROJET_DE_VIE"]
    persons = [{"structure_id": f"S{i % 2}", "person_id": f"P{i}", "sex": rng.choice(["F", "M"])} for i in range(30)]
    seen, assessments = set(), []
    for _ in range(700):
        person = rng.choice(persons)
        row = (person["structure_id"], person["person_id"], date(2023, 1, 1) + timedelta(days=rng.randrange(500)), rng.choice(domains))
        if row not in seen:
            seen.add(row)
            assessments.append({"structure_id": row[0], "person_id": row[1], "assessment_date": row[2], "domain": row[3],
                                "level": rng.randint(1, 5)})
    data = make_data(tmp_path, persons=persons, assessments=assessments, domain_readings={"PROJET_DE_VIE": ("PRATIQUE", "LIENS")})
    cases = [
        Filters(),
        Filters(by="quarter", start=date(2023, 2, 14), end=date(2024, 2, 20)),
        Filters(by="year", sexes=("F",)),
        Filters(by="month", structures=("S1",), end=date(2023, 11, 17)),
    ]
    for filters in cases:
        ids = data.persons.filter(
            pl.col("sex").is_in(list(filters.sexes or ("F", "M"))),
            pl.col("structure_id").is_in(list(filters.structures or ("S0", "S1"))),
        )["pid"]
        plain = _plain(data, filters, ids)
        assert_frame_equal(needs_over_time(data, filters), plain["domain"].select(NEEDS_OVER_TIME))
        assert_frame_equal(needs_by_kind(data, filters), plain["kind"].select(NEEDS_BY_KIND))
        assert_frame_equal(needs_by_pillar(data, filters), plain["pillar"].select(NEEDS_BY_PILLAR))
        assert_frame_equal(distance_travelled(data, filters), plain["distance"].select(DISTANCE_TRAVELLED))
        assert needs_over_time(data, filters).height > 10


def test_packed_sort_matches_a_plain_sort_and_falls_back_when_keys_are_wide() -> None:
    from dashboard.metrics.levels import sort_packed

    frame = pl.DataFrame({"a": [3, 1, 2, 1, -5], "b": [0, 9, 4, 2, 7], "c": [2**40, 0, 5, 1, 2**40 - 1]})
    for keys in (["a", "b"], ["b", "a"], ["a", "c", "b"], ["c", "a"]):
        assert_frame_equal(sort_packed(frame, keys), frame.sort(keys))
    wide = pl.DataFrame({"a": [2**40, 0, 2**40], "b": [2**30, 1, 0], "c": [0, 2**30, 5]})
    assert_frame_equal(sort_packed(wide, ["a", "b", "c"]), wide.sort(["a", "b", "c"]))
