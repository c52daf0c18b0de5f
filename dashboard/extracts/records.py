"""One row per member of a cohort, before any generalisation: what a safe extract is made from.

Input: the snapshot and the cohort's members (``pid``, ``pk``,
``structure_id``, ``anchor_date``; ``dashboard.cohorts.members``). Output,
one row per member, sorted by ``pid`` (``pid`` never leaves this package):

- quasi-identifiers at their finest: ``age_band`` at the anchor (the
  anchor's year minus the birth year, the bands of the filters), ``sex``,
  ``anchor_date``, ``structure`` (the anchor's structure) and ``territory``
  (that structure's territory, ``INCONNU`` when not recorded);
- outcomes, read on the support period followed: the first support period
  of the person still open on the anchor day or entered after it (the one
  entered at the anchor for an entry cohort): ``program``, ``exit_group``
  (``dashboard.extracts.records.EXIT_GROUPS``; ``EN_COURS`` while open,
  ``SANS_ACCOMPAGNEMENT`` when there is no such period) and
  ``months_to_exit`` (whole months from the anchor's month to the exit's,
  as ``months since anchor`` everywhere);
- needs at entry by pillar (``need_logement``, ``need_emploi``,
  ``need_sante``, ``need_liens``: ``OUI`` when in need, level 1 or 2, in at
  least one domain of the pillar at baseline, ``NON`` when assessed
  without need, empty when not assessed), read as the cohorts read them
  (``dashboard.cohorts.needs_at_entry``). The sensitive domains (justice,
  addictions) are left out of the pillars, so that a pillar never stands in
  for them;
- sensitive attributes: ``justice`` (the person's justice situation,
  ``NR`` as unknown) and ``addictions`` (in need in the addictions domain at
  baseline: ``OUI``/``NON``, empty when not assessed).
"""

import polars as pl

from dashboard.cohorts import months_since_anchor, needs_at_entry
from dashboard.data import Data, age_band
from models.reference import SENSITIVE_DOMAINS

IN_NEED_MAX_LEVEL = 2
PILLAR_COLUMNS = {"LOGEMENT": "need_logement", "EMPLOI": "need_emploi", "SANTE": "need_sante", "LIENS": "need_liens"}
EXIT_GROUPS: dict[str, str] = {
    "LOGEMENT_AUTONOME": "LOGEMENT",
    "LOGEMENT_ACCOMPAGNE": "LOGEMENT",
    "HEBERGEMENT_INSERTION": "HEBERGEMENT",
    "HEBERGEMENT_URGENCE": "HEBERGEMENT",
    "TIERS": "HEBERGEMENT",
    "SOINS": "AUTRE",  # care, prison and street are rare: alone they would tell too much, grouped they stay useful
    "DETENTION": "AUTRE",
    "RUE": "AUTRE",
    "INCONNU": "INCONNU",
    "NON_CONCERNE": "INCONNU",
}
"""Housing at exit -> exit group: LOGEMENT, HEBERGEMENT, AUTRE, INCONNU (then EN_COURS, SANS_ACCOMPAGNEMENT)."""
EXIT_GROUP_CODES = ("LOGEMENT", "HEBERGEMENT", "AUTRE", "INCONNU", "EN_COURS", "SANS_ACCOMPAGNEMENT")
RECORD_COLUMNS = ["pid", "age_band", "sex", "anchor_date", "structure", "territory", "program", "exit_group",
                  "months_to_exit", *PILLAR_COLUMNS.values(), "justice", "addictions"]


def _followed(data: Data, members: pl.DataFrame) -> pl.DataFrame:
    """(pid, program, exit_group, months_to_exit): the support period each member is followed on."""
    periods = (
        data.support_periods.lazy().select("pid", "entry_date", "exit_date", "program", "exit_housing", "support_id",
                                           "structure_id")
        .join(members.lazy().select("pid", "anchor_date"), on="pid", how="inner")
        .filter(pl.col("exit_date").is_null() | (pl.col("exit_date") >= pl.col("anchor_date")))
        .sort("pid", "entry_date", "structure_id", "support_id")
        .group_by("pid", maintain_order=True).first()
        .with_columns(
            pl.when(pl.col("exit_date").is_null()).then(pl.lit("EN_COURS"))
            .otherwise(pl.col("exit_housing").replace_strict(EXIT_GROUPS, default="INCONNU", return_dtype=pl.String))
            .alias("exit_group"),
            pl.when(pl.col("exit_date").is_not_null()).then(months_since_anchor("exit_date")).cast(pl.Int64)
            .alias("months_to_exit"),
        )
        .select("pid", "program", "exit_group", "months_to_exit")
    )
    return periods.collect()


def _needs(data: Data, members: pl.DataFrame) -> pl.DataFrame:
    """(pid, need_<pillar>..., addictions) from the baseline levels."""
    baseline = needs_at_entry(data, members.select("pid", "anchor_date")).collect()
    in_need = pl.col("level") <= IN_NEED_MAX_LEVEL
    yes_no = pl.when(pl.col("_need")).then(pl.lit("OUI")).otherwise(pl.lit("NON"))
    out = members.select("pid")
    plain = baseline.filter(~pl.col("domain").is_in(list(SENSITIVE_DOMAINS)), pl.col("pillar").is_not_null())
    for pillar, column in PILLAR_COLUMNS.items():
        one = (plain.filter(pl.col("pillar") == pillar).group_by("pid").agg(in_need.any().alias("_need"))
               .select("pid", yes_no.alias(column)))
        out = out.join(one, on="pid", how="left")
    addictions = (baseline.filter(pl.col("domain") == "ADDICTIONS").group_by("pid").agg(in_need.any().alias("_need"))
                  .select("pid", yes_no.alias("addictions")))
    return out.join(addictions, on="pid", how="left")


def person_records(data: Data, members: pl.DataFrame) -> pl.DataFrame:
    """One row per member with the columns of ``RECORD_COLUMNS``, sorted by ``pid``."""
    members = members.select("pid", "structure_id", "anchor_date").unique("pid", keep="first").sort("pid")
    territories = data.structures.select(pl.col("structure_id"), pl.col("territory").fill_null("INCONNU"))
    persons = data.persons.select("pid", "sex", "birth_year", "justice")
    return (
        members.join(persons, on="pid", how="left")
        .join(territories, on="structure_id", how="left")
        .join(_followed(data, members), on="pid", how="left")
        .join(_needs(data, members), on="pid", how="left")
        .with_columns(
            age_band(pl.col("anchor_date").dt.year() - pl.col("birth_year")).alias("age_band"),
            pl.col("sex").fill_null("NR"),
            pl.col("structure_id").alias("structure"),
            pl.col("territory").fill_null("INCONNU"),
            pl.col("justice").fill_null("NR"),
            pl.col("exit_group").fill_null("SANS_ACCOMPAGNEMENT"),
        )
        .select(RECORD_COLUMNS)
        .sort("pid")
    )


__all__ = ["EXIT_GROUPS", "EXIT_GROUP_CODES", "PILLAR_COLUMNS", "RECORD_COLUMNS", "person_records"]
