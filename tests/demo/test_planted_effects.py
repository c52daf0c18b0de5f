"""The properties planted in the demo data, measured on S and M (seed 42) with polars.

Expected sizes come from ``etl.demo.effects``; the bounds leave room for
sampling noise only.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from etl.demo import effects
from tests.demo.helpers import TODAY

CHRS_TYPES = ["CHRS", "ASSOCIATION_INSERTION"]
POSITIVE_HOUSING = ["LOGEMENT_AUTONOME", "LOGEMENT_ACCOMPAGNE"]


def _dates(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).str.to_date() for c in columns)


def _typed(tables: dict[str, pl.DataFrame], table: str) -> pl.DataFrame:
    types = tables["structures"].select("structure_id", "type")
    return tables[table].join(types, on="structure_id", how="left")


def test_spip_refers_about_60_percent_in_chrs_and_nobody_in_social_centres(m_tables: dict[str, pl.DataFrame]) -> None:
    o = _typed(m_tables, "orientations")
    chrs = o.filter(pl.col("type").is_in(CHRS_TYPES))
    share = (chrs["source"] == "SPIP").mean()
    assert chrs.height > 1000
    assert 0.55 <= share <= 0.65, share
    assert o.filter(pl.col("type") == "CENTRE_SOCIAL")["source"].eq("SPIP").sum() == 0
    released = m_tables["personnes"].join(m_tables["structures"], on="structure_id").filter(pl.col("type") == "CHRS")
    assert (released["situation_justice"] == "SORTANT_DETENTION").mean() > 0.3


def test_social_centre_gets_70_to_100_referrals_a_year_mostly_from_social_workers_and_rsa(
    s_tables: dict[str, pl.DataFrame],
) -> None:
    o = _dates(s_tables["orientations"], "date_orientation")
    per_year = o.group_by(pl.col("date_orientation").dt.year().alias("year")).len().sort("year")
    full_years = per_year.filter(pl.col("year") < TODAY.year)
    assert full_years["year"].to_list() == list(range(2018, TODAY.year))
    assert full_years["len"].min() >= 70 and full_years["len"].max() <= 100, full_years
    main = o["source"].is_in(["AS_SECTEUR", "REFERENT_RSA"]).mean()
    assert 0.5 <= main <= 0.7, main


def test_summer_dip_and_september_peak(m_tables: dict[str, pl.DataFrame]) -> None:
    o = _dates(m_tables["orientations"], "date_orientation").filter(pl.col("date_orientation").dt.year() < TODAY.year)
    months = o.group_by(pl.col("date_orientation").dt.month().alias("month")).len().sort("month")
    count = dict(zip(months["month"].to_list(), months["len"].to_list(), strict=True))
    ordinary = sum(count[m] for m in (1, 2, 3, 4, 5, 6, 10, 11)) / 8
    assert (count[7] + count[8]) / 2 < 0.65 * ordinary  # planted: 0.525
    assert count[9] > 1.35 * ordinary  # planted: 1.5 / 1.03
    sessions = _dates(m_tables["seances"], "date_seance")["date_seance"]
    in_august = sessions.dt.month() == 8
    in_christmas = (sessions.dt.month() == 12) & (sessions.dt.day() >= 24)
    assert not (in_august | in_christmas).any()


def _attendance(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return (
        tables["participations"]
        .group_by("structure_id", "personne_id")
        .agg(pl.len().alias("expected"), (pl.col("presence") == "PRESENT").sum().alias("present"))
        .with_columns(
            regular=(pl.col("expected") >= effects.REGULAR_MIN_SESSIONS)
            & (pl.col("present") >= effects.REGULAR_MIN_SHARE * pl.col("expected"))
        )
        .sort("structure_id", "personne_id")
    )


def _changes(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    e = _dates(tables["evaluations"], "date_evaluation").with_columns(pl.col("niveau").cast(pl.Int32))
    return (
        e.sort("structure_id", "personne_id", "domaine", "date_evaluation")
        .group_by("structure_id", "personne_id", "domaine")
        .agg(pl.len().alias("n"), pl.col("niveau").first().alias("first"), pl.col("niveau").last().alias("last"))
        .filter(pl.col("n") >= 2)
        .join(_attendance(tables), on=["structure_id", "personne_id"], how="left")
        .with_columns(pl.col("regular").fill_null(False), change=pl.col("last") - pl.col("first"))
        .sort("structure_id", "personne_id", "domaine")
    )


def test_regular_attendees_improve_more_and_start_less_vulnerable(m_tables: dict[str, pl.DataFrame]) -> None:
    by_group = _changes(m_tables).group_by("regular").agg(pl.len(), pl.col("change").mean(), pl.col("first").mean())
    regular = by_group.filter(pl.col("regular")).row(0, named=True)
    others = by_group.filter(~pl.col("regular")).row(0, named=True)
    assert regular["len"] > 5000 and others["len"] > 5000
    assert others["change"] > 0.1  # everyone improves a little over time
    assert regular["change"] - others["change"] > 0.2, (regular, others)
    # confounding: regular attendees were less in need at their first assessment
    assert regular["first"] - others["first"] > 0.3, (regular, others)


def test_regular_fle_attendees_gain_more_in_french(m_tables: dict[str, pl.DataFrame]) -> None:
    fle = (
        m_tables["participations"]
        .join(m_tables["seances"], on=["structure_id", "seance_id"])
        .join(m_tables["ateliers"], on=["structure_id", "atelier_id"])
        .filter(pl.col("nom") == "FLE")
        .select("structure_id", "personne_id")
        .unique()
        .sort("structure_id", "personne_id")
    )
    french = _changes(m_tables).filter(pl.col("domaine") == "LANGUE_FRANCAISE").join(fle, on=["structure_id", "personne_id"])
    gains = french.group_by("regular").agg(pl.len(), pl.col("change").mean(), pl.col("first").mean()).sort("regular")
    not_regular, regular = gains.rows(named=True)
    assert regular["len"] > 200 and not_regular["len"] > 100
    assert regular["change"] - not_regular["change"] > 0.3, gains
    assert regular["first"] < 3.0  # FLE learners start with little French


def test_fle_is_attended_by_people_with_little_french(m_tables: dict[str, pl.DataFrame]) -> None:
    fle = (
        m_tables["participations"]
        .join(m_tables["seances"], on=["structure_id", "seance_id"])
        .join(m_tables["ateliers"], on=["structure_id", "atelier_id"])
        .filter(pl.col("nom") == "FLE")
        .select("structure_id", "personne_id")
        .unique()
        .join(m_tables["personnes"], on=["structure_id", "personne_id"])
    )
    recorded = fle.filter(pl.col("maitrise_francais").is_in(["COURANTE", "PARTIELLE", "AUCUNE"]))
    assert recorded["maitrise_francais"].is_in(["PARTIELLE", "AUCUNE"]).mean() > 0.8
    people = m_tables["personnes"]
    assert (people.filter(pl.col("nationalite") == "HORS_UE")["maitrise_francais"].is_in(["PARTIELLE", "AUCUNE"])).mean() > 0.5
    assert (people.filter(pl.col("nationalite") == "FRANCAISE")["maitrise_francais"].is_in(["PARTIELLE", "AUCUNE"])).mean() < 0.1


def test_exit_destinations_follow_the_program(m_tables: dict[str, pl.DataFrame]) -> None:
    exits = m_tables["accompagnements"].filter(pl.col("date_sortie").is_not_null())
    rates = (
        exits.group_by("dispositif")
        .agg(
            pl.len(),
            pl.col("logement_sortie").is_in(POSITIVE_HOUSING).mean().alias("housing"),
            (pl.col("emploi_sortie") == "EMPLOI_TRANSITION").mean().alias("transition"),
        )
        .sort("dispositif")
    )
    rate = {r["dispositif"]: r for r in rates.rows(named=True)}
    assert rate["HEBERGEMENT_INSERTION"]["housing"] > 0.4
    assert rate["LOGEMENT_ACCOMPAGNE"]["housing"] > rate["HEBERGEMENT_INSERTION"]["housing"]
    assert rate["HEBERGEMENT_URGENCE"]["housing"] < rate["HEBERGEMENT_INSERTION"]["housing"]
    assert rate["ATELIERS"]["housing"] == 0
    assert rate["CHANTIER_INSERTION"]["transition"] > 2 * rate["ACCOMPAGNEMENT_SOCIAL"]["transition"]
    motifs = set(exits["motif_sortie"].drop_nulls().to_list())
    assert {"DECES", "INCONNU", "OBJECTIF_ATTEINT", "INCARCERATION"} <= motifs
    assert exits.filter(pl.col("motif_sortie") == "DECES")["logement_sortie"].drop_nulls().unique().to_list() == ["NON_CONCERNE"]


def test_decisions_and_delays(m_tables: dict[str, pl.DataFrame]) -> None:
    o = _dates(m_tables["orientations"], "date_orientation", "date_decision")
    share = o["decision"].value_counts(normalize=True).sort("decision")
    by = dict(zip(share["decision"].to_list(), share["proportion"].to_list(), strict=True))
    assert 0.7 < by["ACCEPTEE"] < 0.9 and 0.05 < by["REFUSEE"] < 0.15 and 0.05 < by["SANS_SUITE"] < 0.15
    delay = o.select((pl.col("date_decision") - pl.col("date_orientation")).dt.total_days().alias("d"))["d"].drop_nulls()
    assert 5 <= delay.median() <= 25 and delay.max() > 30
    pending = o.filter(pl.col("date_decision").is_null())
    assert pending["decision"].fill_null("EN_ATTENTE").unique().to_list() == ["EN_ATTENTE"]
    recent = pending.filter(pl.col("date_orientation") > TODAY - timedelta(days=90)).height
    assert recent > 0.5 * pending.height


def test_missing_values_at_realistic_rates(m_tables: dict[str, pl.DataFrame]) -> None:
    people = m_tables["personnes"]
    for column in ("sexe", "annee_naissance", "composition_familiale", "ressources", "maitrise_francais", "territoire"):
        empty = people[column].null_count() / people.height
        assert 0.02 <= empty <= 0.16, (column, empty)
    for column in ("composition_familiale", "ressources", "nationalite", "maitrise_francais", "situation_justice"):
        assert (people[column] == "NR").sum() > 100, column


def test_planted_warnings_exist_in_s(s_tables: dict[str, pl.DataFrame]) -> None:
    people = s_tables["personnes"]
    o = _dates(s_tables["orientations"], "date_orientation")
    a = _dates(s_tables["accompagnements"], "date_entree", "date_sortie")
    first = (
        pl.concat([o.select("personne_id", day="date_orientation"), a.select("personne_id", day="date_entree")])
        .group_by("personne_id")
        .agg(pl.col("day").min())
    )
    ages = people.join(first, on="personne_id").select(
        (pl.col("day").dt.year() - pl.col("annee_naissance").cast(pl.Int32)).alias("age")
    )["age"]
    assert ((ages < 16) | (ages > 100)).sum() >= 1
    assert a.filter(pl.col("date_sortie").is_not_null() & pl.col("motif_sortie").is_null()).height >= 1
    old_pending = o.filter(pl.col("date_decision").is_null() & (pl.col("date_orientation") < TODAY - timedelta(days=90)))
    assert old_pending.height >= 1
    lonely = people.join(o, on="personne_id", how="anti").join(a, on="personne_id", how="anti")
    assert lonely.height >= 1
    assert a.filter(pl.col("date_sortie").is_null() & (pl.col("date_entree") < TODAY - timedelta(days=3 * 365))).height >= 1


def test_milestones_are_tied_to_the_pathway(m_tables: dict[str, pl.DataFrame]) -> None:
    j = _dates(m_tables["jalons"], "date_jalon")
    a = _dates(m_tables["accompagnements"], "date_entree", "date_sortie")
    entry = a.group_by("structure_id", "personne_id").agg(pl.col("date_entree").min().alias("entry"))
    early = j.filter(pl.col("type").is_in(["DOMICILIATION", "PIECE_IDENTITE"])).join(entry, on=["structure_id", "personne_id"])
    assert early.height > 100
    assert ((early["date_jalon"] - early["entry"]).dt.total_days() <= 120).all()
    housing = j.filter(pl.col("type") == "ACCES_LOGEMENT").join(
        a.filter(pl.col("logement_sortie").is_in(POSITIVE_HOUSING)), on=["structure_id", "personne_id"]
    )
    near_exit = housing.filter((pl.col("date_sortie") - pl.col("date_jalon")).dt.total_days().is_between(0, 30))
    assert near_exit.select("structure_id", "personne_id", "date_jalon").unique().height >= 0.9 * j.filter(
        pl.col("type") == "ACCES_LOGEMENT"
    ).height * (1 - effects.EXIT_DESTINATION_MISSING)
