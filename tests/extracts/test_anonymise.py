"""Generalisation, suppression and l-diversity on hand-built records whose outcome is known in advance."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import dashboard.extracts.anonymity as anonymity
from dashboard.extracts import anonymise, check
from dashboard.extracts.anonymity import Extract, ExtractCheckError

K = 11
QUASI_IDENTIFIERS = ["anchor_period", "sex", "age_band", "territory", "structure"]


def person(pid: int, *, sex: str = "F", band: str = "26_44", day: date = date(2023, 2, 10), structure: str = "S1",
           territory: str = "T1", justice: str = "AUCUNE", addictions: str | None = "NON") -> dict:
    return {"pid": pid, "age_band": band, "sex": sex, "anchor_date": day, "structure": structure,
            "territory": territory, "program": "ACCUEIL_JOUR", "exit_group": "EN_COURS", "months_to_exit": None,
            "need_logement": "OUI", "need_emploi": None, "need_sante": "NON", "need_liens": None,
            "justice": justice, "addictions": addictions}


def records(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema_overrides={"months_to_exit": pl.Int64, "need_emploi": pl.String,
                                                "need_liens": pl.String, "addictions": pl.String})


def mixed(n: int, start: int = 0, **fields: object) -> list[dict]:
    """``n`` identical persons but for their justice situation and addictions need (two values each)."""
    return [person(start + i, justice=("AUCUNE", "SOUS_MAIN_JUSTICE")[i % 2], addictions=("OUI", "NON")[i % 2],
                   **fields) for i in range(n)]


def test_the_two_records_that_cannot_be_generalised_enough_are_suppressed_and_counted() -> None:
    # 38 persons alike and 2 who share nothing with them: keeping every detail and removing the 2 (5 % of 40)
    # loses less than any generalisation, and nothing short of publishing no quasi-identifier would hide them.
    outliers = [person(100, sex="M", band="60_PLUS", day=date(2024, 9, 1), structure="S2", territory="T2"),
                person(101, sex="NR", band="INCONNU", day=date(2022, 11, 5), structure="S3", territory="T3")]
    extract = anonymise(records(mixed(38) + outliers), k=K, structures=20)
    assert (extract.members, extract.suppressed, extract.rows.height) == (40, 2, 38)
    assert extract.levels == {"sex": "sex", "age": "band", "place": "structure", "period": "half_year"}
    assert extract.rows.select(QUASI_IDENTIFIERS).unique().rows() == [("2023-H1", "F", "26_44", "T1", "S1")]


def test_one_person_apart_is_suppressed_and_two_classes_kept() -> None:
    group = [person(50 + i, sex="M", band="45_59", day=date(2023, 5, 2)) for i in range(11)]
    alone = [person(99, sex="AUTRE", band="MOINS_26", day=date(2023, 12, 30), structure="S4", territory="T4")]
    extract = anonymise(records(mixed(30) + group + alone), k=K, structures=20)
    assert (extract.members, extract.suppressed) == (42, 1)
    sizes = extract.rows.group_by(QUASI_IDENTIFIERS).len().sort("len")
    assert sizes.rows() == [("2023-H1", "M", "45_59", "T1", "S1", 11), ("2023-H1", "F", "26_44", "T1", "S1", 30)]


def test_beyond_the_suppression_limit_quasi_identifiers_are_generalised_instead() -> None:
    # Three outliers are more than 5 % of 40: the extract generalises until they join a class of k.
    outliers = [person(100 + i, sex="M", band="60_PLUS", day=date(2023, 3, 1)) for i in range(3)]
    extract = anonymise(records(mixed(37) + outliers), k=K, structures=20)
    assert extract.suppressed == 0
    assert extract.levels == {"sex": "none", "age": "none", "place": "structure", "period": "half_year"}
    assert extract.rows.group_by(QUASI_IDENTIFIERS).len()["len"].to_list() == [40]


def test_a_cohort_under_k_is_suppressed_whole() -> None:
    extract = anonymise(records(mixed(7)), k=K, structures=20)
    assert (extract.members, extract.suppressed, extract.rows.height) == (7, 7, 0)


def test_a_small_network_never_publishes_the_structure() -> None:
    extract = anonymise(records(mixed(30)), k=K, structures=4)
    assert extract.levels["place"] == "territory"
    assert extract.rows["structure"].null_count() == 30
    assert set(extract.rows["territory"]) == {"T1"}


def test_a_sensitive_attribute_is_blanked_in_a_class_without_two_known_values() -> None:
    # Class 2023-H1: justice takes one known value (NR does not count); addictions two. Class 2024-H1: the reverse.
    first = [person(i, justice=("SOUS_MAIN_JUSTICE", "NR")[i % 2], addictions=("OUI", "NON")[i % 2]) for i in range(12)]
    second = [person(20 + i, day=date(2024, 3, 3), justice=("AUCUNE", "SORTANT_DETENTION")[i % 2],
                     addictions=(None, "OUI")[i % 2]) for i in range(12)]
    extract = anonymise(records(first + second), k=K, structures=20)
    assert extract.suppressed == 0 and extract.levels["period"] == "half_year"
    both = extract.rows.with_columns(extract.blanked.rename({"justice": "j", "addictions": "a"}))
    by_period = both.group_by("anchor_period").agg(pl.col("j").all(), pl.col("j").any().alias("j_any"),
                                                   pl.col("a").all(), pl.col("a").any().alias("a_any"),
                                                   pl.col("justice").drop_nulls().n_unique().alias("shown_j"))
    assert sorted(by_period.rows()) == [("2023-H1", True, True, False, False, 0),
                                        ("2024-H1", False, False, True, True, 2)]


def test_the_checker_finds_a_class_under_k_and_a_homogeneous_sensitive_attribute() -> None:
    good = anonymise(records(mixed(22)), k=K, structures=20)
    assert check(good) == []
    cut = Extract(rows=good.rows.head(10), blanked=good.blanked.head(10), levels=good.levels, members=22,
                  suppressed=12, k=K, l=2)
    assert check(cut) == ["1 class(es) under k = 11", "justice shown in a class with fewer than l = 2 values",
                          "addictions shown in a class with fewer than l = 2 values"]


def test_an_extract_that_fails_its_check_is_never_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anonymity, "_random_ids", lambda count: ["0" * 12] * count)  # a broken id drawer
    with pytest.raises(ExtractCheckError, match="repeated ids"):
        anonymise(records(mixed(22)), k=K, structures=20)
