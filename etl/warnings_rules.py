"""Warnings: things that are legal but probably wrong. The load goes on and
the warnings are stored with it for the data-quality page.

- AGE_IMPLAUSIBLE: age under 16 or over 100 at first contact (the earlier of
  the first referral and the first support period), as a year difference
  from ``annee_naissance``. Persons without any contact are not judged.
- EXIT_WITHOUT_REASON: a support period with ``date_sortie`` and no ``motif_sortie``.
- REFERRAL_PENDING_90D: a referral still EN_ATTENTE more than 90 days after
  ``date_orientation``.
- PERSON_WITHOUT_ACTIVITY: a person with neither referral nor support period.
- SUPPORT_OPEN_3Y: a support period without ``date_sortie`` that started
  more than 3 years before the day of the load.
"""

from datetime import date, timedelta

import polars as pl

from etl.dataset import Problem
from etl.stage import problems_where

PERSON = ["structure_id", "person_id"]
MIN_AGE, MAX_AGE = 16, 100
PENDING_DAYS = 90
OPEN_YEARS = 3


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _contacts(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """(structure_id, person_id, first_contact) over referrals and support periods."""
    parts = []
    if "orientations" in tables:
        parts.append(tables["orientations"].select(*PERSON, pl.col("referral_date").alias("day")))
    if "accompagnements" in tables:
        parts.append(tables["accompagnements"].select(*PERSON, pl.col("entry_date").alias("day")))
    if not parts:
        schema = {"structure_id": pl.String, "person_id": pl.String, "first_contact": pl.Date}
        return pl.DataFrame(schema=schema)
    return (
        pl.concat(parts)
        .drop_nulls(PERSON)
        .group_by(PERSON)
        .agg(pl.col("day").min().alias("first_contact"))
        .sort(PERSON)
    )


def dataset_warnings(
    tables: dict[str, pl.DataFrame], files: dict[str, str], today: date, lang: str = "fr"
) -> list[Problem]:
    """Every warning of the staged dataset, in table order then line order."""
    warnings: list[Problem] = []

    def add(table: str, frame: pl.DataFrame, mask: pl.Expr, code: str, column: str, value: pl.Expr | None) -> None:
        warnings.extend(
            problems_where(frame, mask, code, lang, table=table, file=files[table], column=column, value=value)
        )

    if "personnes" in tables:
        persons = tables["personnes"]
        contacts = _contacts(tables)
        aged = persons.join(contacts, on=PERSON, how="left").sort("_line")
        age = pl.col("first_contact").dt.year() - pl.col("birth_year")
        implausible = (age < MIN_AGE) | (age > MAX_AGE)
        add("personnes", aged, implausible.fill_null(False), "AGE_IMPLAUSIBLE", "annee_naissance", pl.col("birth_year"))
        idle = persons.drop_nulls(PERSON).join(contacts.select(PERSON), on=PERSON, how="anti").sort("_line")
        add("personnes", idle, pl.lit(True), "PERSON_WITHOUT_ACTIVITY", "personne_id", pl.col("person_id"))
    if "orientations" in tables:
        pending = (pl.col("decision") == "EN_ATTENTE") & (
            pl.col("referral_date") < pl.lit(today - timedelta(days=PENDING_DAYS))
        )
        add("orientations", tables["orientations"], pending.fill_null(False), "REFERRAL_PENDING_90D",
            "date_orientation", pl.col("referral_date"))
    if "accompagnements" in tables:
        supports = tables["accompagnements"]
        no_reason = pl.col("exit_date").is_not_null() & pl.col("exit_reason").is_null()
        add("accompagnements", supports, no_reason, "EXIT_WITHOUT_REASON", "motif_sortie", None)
        still_open = pl.col("exit_date").is_null() & (pl.col("entry_date") < pl.lit(years_before(today, OPEN_YEARS)))
        add("accompagnements", supports, still_open.fill_null(False), "SUPPORT_OPEN_3Y", "date_entree",
            pl.col("entry_date"))
    return warnings
