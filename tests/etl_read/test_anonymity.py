"""The anonymity guard: identifiers by header and by value make the load fail."""

from pathlib import Path

import pytest

from etl.anonymity import mask, suspect_header
from etl.normalise import header_key
from tests.etl_read.fixtures import PERSONNES, check, where


def nir_with_key(first13: str) -> str:
    return f"{first13} {97 - int(first13.replace(' ', '')) % 97:02d}"


@pytest.mark.parametrize(
    "header",
    ["Nom", "Prénom", "date de naissance", "Date_Naissance", "Adresse postale", "Téléphone portable", "tel",
     "E-mail", "Courriel", "NIR", "numero_securite_sociale", "Nom d'usage", "N° sécu"],
)
def test_identifier_headers(header: str) -> None:
    assert suspect_header(header_key(header))


@pytest.mark.parametrize("header", ["code_postal", "territoire", "annee_naissance", "hotel", "mobilite", "domaine"])
def test_harmless_headers(header: str) -> None:
    assert not suspect_header(header_key(header))


def test_identifier_header_fails_the_load(tmp_path: Path) -> None:
    text = "structure_id,personne_id,Prénom,annee_naissance\nS1,P1,Awa,1980\nS1,P2,Marc,1990\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert where(dataset.errors) == [("personnes", None, "Prénom", None, "DIRECT_IDENTIFIER")]
    assert "retirez-la du fichier" in dataset.errors[0].message


def test_nom_is_allowed_in_structures_and_workshops_but_not_persons(tmp_path: Path) -> None:
    files = {
        "structures.csv": "structure_id,nom,type\nS1,CHRS Les Glycines,CHRS\n",
        "ateliers.csv": "structure_id,atelier_id,nom,categorie\nS1,W1,Couture,VIE_QUOTIDIENNE\n",
    }
    dataset = check(tmp_path / "ok", files)
    assert dataset.ok, dataset.errors
    assert dataset.tables["structures"]["name"].to_list() == ["CHRS Les Glycines"]
    persons = "structure_id,personne_id,nom\nS1,P1,Durand\nS1,P2,Martin\n"
    dataset = check(tmp_path / "bad", {**files, "personnes.csv": persons})
    assert where(dataset.errors) == [("personnes", None, "nom", None, "DIRECT_IDENTIFIER")]


def test_email_in_an_extra_column(tmp_path: Path) -> None:
    text = "structure_id,personne_id,contact\nS1,P1,\nS1,P2,awa.diallo@example.org\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert where(dataset.errors) == [("personnes", 3, "contact", "a•••@•••", "DIRECT_IDENTIFIER")]
    assert "ressemble à une adresse e-mail" in dataset.errors[0].message
    assert "diallo" not in dataset.errors[0].message


@pytest.mark.parametrize("phone", ["06 12 34 56 78", "01.23.45.67.89", "+33 6 12 34 56 78", "0612345678", "07-12-34-56-78"])
def test_phone_number_in_territory(tmp_path: Path, phone: str) -> None:
    text = f"structure_id,personne_id,territoire\nS1,P1,Lille\nS1,P2,{phone}\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert [(p.line, p.column, p.code) for p in dataset.errors] == [(3, "territoire", "DIRECT_IDENTIFIER")]
    assert "numéro de téléphone" in dataset.errors[0].message


def test_nir_as_person_id(tmp_path: Path) -> None:
    nir = nir_with_key("1 85 05 78 006 084")
    persons = PERSONNES.replace("S1,P2,", f"S1,{nir},")
    dataset = check(tmp_path, {"personnes.csv": persons})
    assert [(p.table, p.line, p.column, p.value, p.code) for p in dataset.errors if p.code == "DIRECT_IDENTIFIER"] == [
        ("personnes", 3, "personne_id", "18•••••••••••••", "DIRECT_IDENTIFIER")
    ]
    assert "NIR" in dataset.errors[0].message


@pytest.mark.parametrize("nir", ["2850578006084", "2 85 05 2A 006 084"])
def test_nir_of_13_digits_and_corsica(tmp_path: Path, nir: str) -> None:
    text = f"structure_id,personne_id,dossier\nS1,P1,{nir}\nS1,P2,\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert [(p.line, p.column, p.code) for p in dataset.errors] == [(2, "dossier", "DIRECT_IDENTIFIER")]


@pytest.mark.parametrize(
    "value",
    ["1851378006084", "3850578006084", "P000123", "59350", "2024-01-05", "12345678901234",
     "Couture @ atelier", "CHRS-2023-000451"],
)
def test_values_that_are_not_identifiers(tmp_path: Path, value: str) -> None:
    """Month 13, first digit 3, ordinary ids, codes and dates pass."""
    text = f"structure_id,personne_id,dossier\nS1,P1,{value}\nS1,P2,\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert dataset.errors == []


def test_mask_keeps_only_the_shape() -> None:
    assert mask(" jean.d@x.fr ") == "j•••@•••"
    assert mask("06 12 34 56 78") == "06••••••••"
    assert mask("+33 6 12 34 56 78") == "+3••••••••••"


@pytest.mark.parametrize("nir", ["1850578006084 00", "1 85 05 78 006 084 13", "285052A00608499"])
def test_a_nir_with_a_wrong_key_is_still_a_nir(tmp_path: Path, nir: str) -> None:
    text = f"structure_id,personne_id,dossier\nS1,P1,{nir}\nS1,P2,\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert [e.code for e in dataset.errors] == ["DIRECT_IDENTIFIER"] and "NIR" in dataset.errors[0].message


@pytest.mark.parametrize("phone", ["+33 6 12 34 56 78", "0033 6 12 34 56 78", "0033612345678", "06.12.34.56.78",
                                   "06-12-34-56-78", "+33 (0)6 12 34 56 78"])
def test_phone_numbers_in_every_written_form(tmp_path: Path, phone: str) -> None:
    text = f"structure_id,personne_id,dossier\nS1,P1,{phone}\nS1,P2,\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert [e.code for e in dataset.errors] == ["DIRECT_IDENTIFIER"]
    assert "téléphone" in dataset.errors[0].message
