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
from etl.messages import Where
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


CONTACT_DATES = {"orientations": "referral_date", "accompagnements": "entry_date"}
PERSON_COLUMNS = [*PERSON, "birth_year", "_line"]  # what the person rules need of ``personnes``
_CONTACTS = {"structure_id": pl.String, "person_id": pl.String, "first_contact": pl.Date}


def contacts(table: str, frame: pl.DataFrame) -> pl.DataFrame | None:
    """(structure_id, person_id, first_contact) of one chunk of referrals or support periods."""
    if table not in CONTACT_DATES:
        return None
    return first_contacts([frame.select(*PERSON, pl.col(CONTACT_DATES[table]).alias("first_contact"))])


def first_contacts(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The earliest contact per person over ``parts`` (outputs of ``contacts``)."""
    if not parts:
        return pl.DataFrame(schema=_CONTACTS)
    return (
        pl.concat(parts)
        .drop_nulls(PERSON)
        .group_by(PERSON)
        .agg(pl.col("first_contact").min())
        .sort(PERSON)
    )


def row_warnings(table: str, frame: pl.DataFrame, file: str, today: date, lang: str = "fr") -> list[Problem]:
    """The warnings a row of referrals or support periods raises by itself (any chunk of them)."""
    warnings: list[Problem] = []

    def add(mask: pl.Expr, code: str, column: str, value: pl.Expr | None) -> None:
        warnings.extend(problems_where(frame, mask, code, lang, table=table, file=file, column=column, value=value))

    if table == "orientations":
        pending = (pl.col("decision") == "EN_ATTENTE") & (
            pl.col("referral_date") < pl.lit(today - timedelta(days=PENDING_DAYS))
        )
        add(pending.fill_null(False), "REFERRAL_PENDING_90D", "date_orientation", pl.col("referral_date"))
    if table == "accompagnements":
        no_reason = pl.col("exit_date").is_not_null() & pl.col("exit_reason").is_null()
        add(no_reason, "EXIT_WITHOUT_REASON", "motif_sortie", None)
        still_open = pl.col("exit_date").is_null() & (pl.col("entry_date") < pl.lit(years_before(today, OPEN_YEARS)))
        add(still_open.fill_null(False), "SUPPORT_OPEN_3Y", "date_entree", pl.col("entry_date"))
    return warnings


def person_warnings(persons: pl.DataFrame, first: pl.DataFrame, file: str, lang: str = "fr") -> list[Problem]:
    """Age at first contact and persons without activity; ``persons`` holds ``PERSON_COLUMNS``."""
    where: Where = {"table": "personnes", "file": file}
    aged = persons.join(first, on=PERSON, how="left").sort("_line")
    age = pl.col("first_contact").dt.year() - pl.col("birth_year")
    implausible = (age < MIN_AGE) | (age > MAX_AGE)
    warnings = problems_where(aged, implausible.fill_null(False), "AGE_IMPLAUSIBLE", lang, **where,
                              column="annee_naissance", value=pl.col("birth_year"))
    idle = persons.drop_nulls(PERSON).join(first.select(PERSON), on=PERSON, how="anti").sort("_line")
    warnings += problems_where(idle, pl.lit(True), "PERSON_WITHOUT_ACTIVITY", lang, **where,
                               column="personne_id", value=pl.col("person_id"))
    return warnings


def dataset_warnings(
    tables: dict[str, pl.DataFrame], files: dict[str, str], today: date, lang: str = "fr"
) -> list[Problem]:
    """Every warning of a staged dataset held whole, in table order then line order."""
    warnings: list[Problem] = []
    if "personnes" in tables:
        parts = [c for t in CONTACT_DATES if t in tables and (c := contacts(t, tables[t])) is not None]
        warnings += person_warnings(tables["personnes"].select(PERSON_COLUMNS), first_contacts(parts),
                                    files["personnes"], lang)
    for table in CONTACT_DATES:
        if table in tables:
            warnings += row_warnings(table, tables[table], files[table], today, lang)
    return warnings
