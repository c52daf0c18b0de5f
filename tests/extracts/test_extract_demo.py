"""Safe extracts of cohorts of the generated demo (size M), checked from the outside.

The checks count the published quasi-identifier classes themselves
(``group_by`` here, not the module's checker), and play the attacker who
knows a person's age, sex, anchor date and structure.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest

from dashboard.cohorts import Cohort, members
from dashboard.data import Data
from dashboard.extracts import cohort_extract

pytestmark = pytest.mark.slow  # the generated dataset (demo M) is written and loaded once per session

K = 11  # the published threshold (PARCOURS_MIN_CELL_PUBLISHED's default)
QUASI_IDENTIFIERS = ["anchor_period", "sex", "age_band", "territory", "structure"]
SENSITIVE = ["justice", "addictions"]
UNKNOWN = ["NR", "INCONNU"]
COHORTS = {
    "referrals-2023-2024": Cohort(anchor="referral", start=date(2023, 1, 1), end=date(2024, 12, 31)),
    "spip-women-2023": Cohort(anchor="referral", start=date(2023, 1, 1), end=date(2023, 12, 31), source="SPIP", sex="F"),
    "entries-2024": Cohort(anchor="entry", start=date(2024, 1, 1), end=date(2024, 12, 31)),
    "workshops-2023": Cohort(anchor="workshop", start=date(2023, 1, 1), end=date(2023, 12, 31)),
}


@pytest.fixture(scope="module", params=list(COHORTS))
def case(request: pytest.FixtureRequest, m_data: Data):  # noqa: ANN201
    cohort = COHORTS[request.param]
    extract = cohort_extract(m_data, cohort)
    assert extract is not None, request.param
    return cohort, extract


def test_every_quasi_identifier_class_holds_k_persons(case) -> None:  # noqa: ANN001
    _, extract = case
    classes = extract.rows.group_by(QUASI_IDENTIFIERS).len()
    assert extract.rows.height > 0
    assert classes["len"].min() >= K
    assert int(classes["len"].sum()) == extract.rows.height == extract.members - extract.suppressed


def test_sensitive_attributes_are_two_diverse_in_every_class_or_hidden(case) -> None:  # noqa: ANN001
    _, extract = case
    rows = extract.rows.with_columns(extract.blanked.rename({c: f"hidden_{c}" for c in SENSITIVE}))
    for name in SENSITIVE:
        per_class = rows.group_by(QUASI_IDENTIFIERS).agg(
            pl.col(f"hidden_{name}").all().alias("all_hidden"),
            pl.col(f"hidden_{name}").any().alias("any_hidden"),
            pl.col(name).filter(~pl.col(name).is_in(UNKNOWN)).drop_nulls().n_unique().alias("distinct"),
        )
        assert (per_class["all_hidden"] == per_class["any_hidden"]).all()  # a class is hidden whole or not at all
        shown = per_class.filter(~pl.col("all_hidden"))
        assert (shown["distinct"] >= 2).all(), name
        hidden_rows = rows.filter(pl.col(f"hidden_{name}"))
        assert hidden_rows[name].null_count() == hidden_rows.height  # a hidden cell holds nothing


def _truth(data: Data, cohort: Cohort) -> pl.DataFrame:
    """What an attacker may know of each member: age band, sex, anchor date and structure (computed here)."""
    age = pl.col("anchor_date").dt.year() - pl.col("birth_year")
    band = (pl.when(age.is_null()).then(pl.lit("INCONNU")).when(age < 26).then(pl.lit("MOINS_26"))
            .when(age < 45).then(pl.lit("26_44")).when(age < 60).then(pl.lit("45_59")).otherwise(pl.lit("60_PLUS")))
    return (
        members(data, cohort).join(data.persons.select("pid", "sex", "birth_year"), on="pid")
        .join(data.structures.select("structure_id", "territory"), on="structure_id", how="left")
        .select(
            "pid",
            band.alias("t_band"),
            pl.col("sex").fill_null("NR").alias("t_sex"),
            pl.col("anchor_date").dt.year().cast(pl.String).alias("t_year"),
            pl.concat_str(pl.col("anchor_date").dt.year().cast(pl.String), pl.lit("-H"),
                          pl.when(pl.col("anchor_date").dt.month() <= 6).then(pl.lit("1")).otherwise(pl.lit("2")))
            .alias("t_half"),
            pl.col("structure_id").alias("t_structure"),
            pl.col("territory").fill_null("INCONNU").alias("t_territory"),
        )
    )


def test_no_member_can_be_singled_out_by_the_published_quasi_identifiers(case, m_data: Data) -> None:  # noqa: ANN001
    cohort, extract = case
    wide = {"MOINS_26": "MOINS_45", "26_44": "MOINS_45", "45_59": "45_PLUS", "60_PLUS": "45_PLUS", "INCONNU": "INCONNU"}
    row_band = pl.col("age_band")
    compatible = (
        (row_band.is_null() | (row_band == pl.col("t_band"))
         | (row_band == pl.col("t_band").replace_strict(wide, return_dtype=pl.String)))
        & (pl.col("sex").is_null() | (pl.col("sex") == pl.col("t_sex")))
        & (pl.col("anchor_period").is_null() | (pl.col("anchor_period") == pl.col("t_year"))
           | (pl.col("anchor_period") == pl.col("t_half")))
        & (pl.col("structure").is_null() | (pl.col("structure") == pl.col("t_structure")))
        & (pl.col("territory").is_null() | (pl.col("territory") == pl.col("t_territory")))
    )
    truth = _truth(m_data, cohort)
    matches = (truth.join(extract.rows.select(QUASI_IDENTIFIERS), how="cross").filter(compatible)
               .group_by("pid").len())
    counted = truth.select("pid").join(matches, on="pid", how="left").with_columns(pl.col("len").fill_null(0))
    assert counted.height == extract.members
    singled_out = counted.filter((pl.col("len") > 0) & (pl.col("len") < K))
    assert singled_out.height == 0
    assert int((counted["len"] >= K).sum()) >= extract.rows.height  # every published row stands among k


def test_the_structure_shows_only_in_a_large_enough_network(case, m_data: Data) -> None:  # noqa: ANN001
    _, extract = case
    assert m_data.structures.height == 20  # large enough: the structure may be published, never a person alone
    published = extract.rows.filter(pl.col("structure").is_not_null())
    assert published.height == 0 or published.group_by("structure").len()["len"].min() >= K


def test_ids_are_random_per_extract_and_the_content_reproducible(m_data: Data) -> None:
    cohort = COHORTS["spip-women-2023"]
    first, second = cohort_extract(m_data, cohort), cohort_extract(m_data, cohort)
    assert first is not None and second is not None
    assert set(first.rows["id"]).isdisjoint(set(second.rows["id"]))
    assert all(re.fullmatch(r"[0-9a-f]{12}", i) for i in first.rows["id"])
    assert first.rows["id"].n_unique() == first.rows.height
    assert first.rows.drop("id").equals(second.rows.drop("id"))  # the same content, row for row
    assert first.blanked.equals(second.blanked)
    known = {str(v) for v in m_data.persons["person_id"]} | {str(v) for v in m_data.persons["pid"]} \
        | {str(v) for v in m_data.persons["pk"]}
    assert not known & set(first.rows["id"])


def test_a_cohort_under_k_or_next_to_one_has_no_extract(m_data: Data) -> None:
    january = Cohort(anchor="referral", start=date(2023, 1, 1), end=date(2023, 1, 31), source="SPIP")
    women, men = january.with_(sex="F"), january.with_(sex="M")
    assert 0 < members(m_data, women).height < K
    assert cohort_extract(m_data, women) is None  # under k
    size, lifted = members(m_data, men).height, members(m_data, january).height
    assert size >= K and 0 < lifted - size < K  # enough persons, but the few women would be its difference
    assert cohort_extract(m_data, men) is None
    assert cohort_extract(m_data, january) is not None
