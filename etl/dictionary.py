"""The data dictionary (``docs/data-dictionary.md``), generated from the tables.

Everything comes from ``models``: grains from the table docstrings, keys
from the primary keys, columns from ``models.contract.contract_columns``,
bounds from the field constraints, code labels from ``models.reference``.
A test regenerates it and fails when the committed file differs.
"""

from __future__ import annotations

from pathlib import Path

from etl.budgets import Budgets
from etl.stage import MAX_ID_CHARS, MAX_TEXT_CHARS, max_chars
from models.contract import CONTRACT_TABLES, CONTRACT_VERSION, REQUIRED_TABLES, contract_columns, key_columns, table_of
from models.reference import CODE_LISTS, LABEL_ONLY_LISTS

DISPLAY_PATH = "docs/data-dictionary.md"
DICTIONARY_PATH = Path(__file__).resolve().parents[1] / DISPLAY_PATH

_KIND = {"str": "texte / text", "int": "entier / integer", "date": "date", "bool": "booléen / boolean"}


def _bounds(contract_table: str, name: str) -> str:
    field = CONTRACT_TABLES[contract_table].model_fields[name]
    low = high = None
    for item in field.metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    if low is not None and high is not None:
        return f" {low}–{high}"
    if low is not None:
        return f" ≥ {low}"
    return ""


def _source(contract_table: str, name: str) -> str:
    for column in contract_columns(contract_table):
        if column.name == name:
            return column.source
    return name


def _table_section(contract_table: str) -> list[str]:
    model = CONTRACT_TABLES[contract_table]
    grain = " ".join((model.__doc__ or "").split())
    keys = ", ".join(f"`{_source(contract_table, k)}`" for k in key_columns(contract_table))
    status = "obligatoire / required" if contract_table in REQUIRED_TABLES else "facultative / optional"
    lines = [
        f"## `{contract_table}` → `{table_of(contract_table).name}`",
        "",
        f"- Grain : {grain}",
        f"- Clé / Key : {keys}",
        f"- Table {status}",
        "",
        "| colonne (contrat) / contract column | nom projet / project name | type | requis / required | description |",
        "|---|---|---|---|---|",
    ]
    for column in contract_columns(contract_table):
        kind = f"code ([{column.codes}](#{column.codes.lower()}))" if column.codes else _KIND[column.kind]
        kind += _bounds(contract_table, column.name)
        if column.kind == "str":
            kind += f" ≤ {max_chars(column.source)}"
        required = "oui / yes" if column.required else "non / no"
        lines.append(f"| `{column.source}` | `{column.name}` | {kind} | {required} | {column.description_fr} / {column.description} |")
    return [*lines, ""]


def _code_list_section(code_list: str) -> list[str]:
    lines = [f"### {code_list}", "", "| code | libellé (fr) | label (en) |", "|---|---|---|"]
    lines += [f"| `{code}` | {fr} | {en} |" for code, fr, en in CODE_LISTS[code_list]]
    return [*lines, ""]


def _hostile_input() -> list[str]:
    """What the load refuses, whatever the table: part of the contract."""
    b = Budgets()
    return [
        "## Valeurs et fichiers refusés / Refused values and files",
        "",
        "Chacun de ces cas est une **erreur** : le chargement s'arrête sans rien écrire, avec le fichier, la ligne, "
        "la colonne et la valeur (échappée). / Each of these is an **error**: the load stops with nothing written, "
        "giving the file, line, column and (escaped) value.",
        "",
        "- Aucun champ ne contient de caractère de contrôle bidirectionnel Unicode (U+202A–U+202E, U+2066–U+2069, "
        "U+200E, U+200F, U+061C), qui réordonnerait un libellé à l'écran. / No field holds a Unicode bidirectional "
        "control character (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which would reorder a label "
        "on screen.",
        f"- Longueur maximale d'un texte, espaces de début et de fin retirés : {MAX_ID_CHARS} caractères pour un "
        f"identifiant (colonne `…_id`), {MAX_TEXT_CHARS} pour les autres (`nom`, `territoire`) ; colonne *type* "
        f"ci-dessous. / Longest text, surrounding spaces removed: {MAX_ID_CHARS} characters for an identifier "
        f"(`…_id` column), {MAX_TEXT_CHARS} for the others (`nom`, `territoire`); *type* column below.",
        "- Les liens symboliques qui sortent du dossier du jeu de données, et tout lien dans un zip, ne sont pas "
        "suivis. / Symbolic links leaving the dataset's folder, and any link inside a zip, are not followed.",
        f"- Budgets par fichier (réglages, valeurs par défaut) : {b.member_bytes} octets une fois décompressé "
        f"(`PARCOURS_MAX_MEMBER_BYTES`), taux de compression {b.ratio:g} au-delà de 1 Mio (`PARCOURS_MAX_RATIO`), "
        f"{b.rows} lignes par table (`PARCOURS_MAX_ROWS`), {b.line_bytes} octets par ligne de CSV "
        "(`PARCOURS_MAX_LINE_BYTES`). / Budgets per file (settings, defaults): "
        f"{b.member_bytes} bytes expanded, compression ratio {b.ratio:g} above 1 MiB, {b.rows} rows per table, "
        f"{b.line_bytes} bytes per CSV line.",
        "",
    ]


def render() -> str:
    """The dictionary as Markdown."""
    lines = [
        "# Dictionnaire des données / Data dictionary",
        "",
        "<!-- Généré par `python -m etl dictionary` à partir de models/ : ne pas modifier à la main. -->",
        "<!-- Generated by `python -m etl dictionary` from models/: do not edit by hand. -->",
        "",
        f"Contrat de données version {CONTRACT_VERSION}. Un jeu de données est un dossier de fichiers CSV, "
        "un `.zip` de ces fichiers, un classeur `.xlsx` (une feuille par table) ou des fichiers Parquet ; "
        "chaque fichier ou feuille porte le nom de sa table. Les noms de colonnes et les codes sont en "
        "français ; la base les range sous les noms du projet (en anglais).",
        "",
        f"Data contract version {CONTRACT_VERSION}. A dataset is a folder of CSV files, a `.zip` of them, an "
        "`.xlsx` workbook (one sheet per table) or Parquet files; each file or sheet is named after its table. "
        "Column names and codes are French; the database stores them under the project's (English) names.",
        "",
        "Chaque table a une colonne `structure_id`, sauf si le chargement nomme une structure pour tout le jeu "
        "(`--structure`). / Every table has a `structure_id` column unless the load names one structure for the "
        "whole dataset (`--structure`).",
        "",
        "| table (contrat / contract) | table (base / database) | statut / status | grain |",
        "|---|---|---|---|",
    ]
    for name, model in CONTRACT_TABLES.items():
        status = "obligatoire / required" if name in REQUIRED_TABLES else "facultative / optional"
        grain = " ".join((model.__doc__ or "").split())
        lines.append(f"| `{name}` | `{table_of(name).name}` | {status} | {grain} |")
    lines.append("")
    lines += _hostile_input()
    for name in CONTRACT_TABLES:
        lines += _table_section(name)
    lines += ["## Listes de codes / Code lists", ""]
    for code_list in CODE_LISTS:
        if code_list not in LABEL_ONLY_LISTS:
            lines += _code_list_section(code_list)
    return "\n".join(lines).rstrip() + "\n"


def write(path: Path = DICTIONARY_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")


def is_up_to_date(path: Path = DICTIONARY_PATH) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == render()
