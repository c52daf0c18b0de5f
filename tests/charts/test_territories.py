"""Territories read as commune names: the INSEE COG shipped as data, and one row per place.

Persons (one referral each, 2024-03-01):
  S1 CCAS du Havre (CCAS): P1 "14118", P2 "Caen", P3 " 14118 " (spaces), P4 "2A004", P5 "Lille"
  S2 CPAS d'Anderlecht (CPAS): P6 "14118" (a Belgian structure's code stays as written), P7 none
Expected: Caen 3 (P1, P2, P3), Ajaccio 1, Lille 1, 14118 1, INCONNU 1.
"""

import gzip
from datetime import date
from pathlib import Path

from dashboard.filters import Filters
from dashboard.metrics.referrals import referrals_by_territory
from etl.demo.structures import of_place
from models.communes import FILE, commune_name, commune_names
from tests.metrics.fixtures import make_data, without_keys


def test_the_reference_is_the_cog_shipped_small_and_read_offline() -> None:
    assert FILE.stat().st_size < 400_000
    with gzip.open(FILE, "rt", encoding="utf-8") as handle:
        assert handle.readline() == "code,nom\n"
    names = commune_names()
    assert len(names) > 34_000  # every current commune, and more for the former codes
    assert (names["14118"], names["75056"], names["69381"], names["2B033"]) == ("Caen", "Paris", "Lyon 1er Arrondissement",
                                                                                   "Bastia")
    assert names["14736"] == "Caen"  # Venoix, merged into Caen: its former code reads as Caen
    assert commune_name(" 2a004 ") == "Ajaccio"
    assert commune_name("Caen") is None and commune_name("99999") is None and commune_name(None) is None


def test_codes_and_names_of_one_place_make_one_row(tmp_path: Path) -> None:
    people = [("S1", "P1", "14118"), ("S1", "P2", "Caen"), ("S1", "P3", " 14118 "), ("S1", "P4", "2A004"),
              ("S1", "P5", "Lille"), ("S2", "P6", "14118"), ("S2", "P7", None)]
    data = make_data(
        tmp_path,
        structures=[{"structure_id": "S1", "name": "CCAS du Havre", "type": "CCAS"},
                    {"structure_id": "S2", "name": "CPAS d'Anderlecht", "type": "CPAS"}],
        persons=[{"structure_id": s, "person_id": p, "territory": t} for s, p, t in people],
        referrals=[{"structure_id": s, "person_id": p, "referral_id": f"R{p}", "referral_date": date(2024, 3, 1),
                    "source": "SIAO"} for s, p, _ in people],
    )
    frame = without_keys(referrals_by_territory(data, Filters(start=date(2024, 1, 1), end=date(2024, 12, 31))))
    assert dict(frame.select("territory", "referrals").rows()) == {"Caen": 3, "Ajaccio": 1, "Lille": 1, "14118": 1,
                                                                    "INCONNU": 1}


def test_demo_names_say_de_as_french_does() -> None:
    assert [of_place(p) for p in ("Le Havre", "Les Lilas", "Anderlecht", "La Louvière", "Reims")] == [
        "du Havre", "des Lilas", "d'Anderlecht", "de La Louvière", "de Reims"]
