"""The anonymity guard: direct identifiers make the whole load fail.

Two tests, on every table as read (before unknown columns are dropped):

- a header that names a direct identifier (name, first name, birth date,
  address, phone, e-mail, social-security number). ``nom`` is the contract's
  own column in ``structures`` and ``ateliers`` (an organisation or a
  workshop), so a table's contract columns are never suspect by name;
- a text value (contract ``str`` columns and every unknown column) that
  looks like an e-mail address, a French phone number or a NIR (13 digits,
  or 15 with a key, right or wrong: a mistyped key still names a person).

``code_postal`` is allowed: a postal code is an area of thousands of
inhabitants, as coarse as ``territoire``; like any unknown column it is then
dropped. Typed columns (dates, numbers, codes, yes/no) are not scanned:
their values are checked against their type and an identifier there fails
as a bad value.

Problems name the file, column and first matching line, with the value
masked so that the report itself does not spread the identifier.
"""

import polars as pl

from etl.dataset import Problem
from etl.messages import Where, problem
from etl.read import LINE, RawTable
from models.contract import contract_columns

IDENTIFIER_HEADERS = frozenset(
    {
        "nom", "prenom", "prenoms", "nom_naissance", "nom_de_naissance", "nom_usage", "nom_d_usage",
        "nom_prenom", "nom_complet", "nom_famille", "nom_de_famille", "nom_jeune_fille", "patronyme",
        "date_naissance", "date_de_naissance", "ddn", "lieu_naissance", "lieu_de_naissance", "naissance",
        "adresse", "adresse_postale", "adresse_1", "adresse_2", "rue", "voie", "numero_rue", "complement_adresse",
        "telephone", "tel", "tel_fixe", "portable", "mobile", "tel_portable", "tel_mobile", "numero_telephone",
        "email", "e_mail", "mail", "courriel", "adresse_mail", "adresse_email", "adresse_e_mail",
        "nir", "numero_securite_sociale", "num_secu", "no_secu", "n_secu", "numero_secu", "securite_sociale",
        "numero_ss", "num_ss", "insee_personne", "first_name", "last_name", "surname", "birth_date",
        "date_of_birth", "address", "phone", "phone_number",
    }
)
# A header made of several words is suspect when one of them is one of these.
IDENTIFIER_WORDS = frozenset(
    {"nom", "prenom", "prenoms", "adresse", "telephone", "tel", "portable", "email", "mail", "courriel", "nir", "secu"}
)

EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
PHONE = r"(?:^|[^\d+])(?:(?:\+|00)33[\s.\-]?(?:\(0\))?[\s.\-]?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?:$|\D)"
NIR = (
    r"(?:^|[^\dA-Za-z])([12])[\s.]?(\d{2})[\s.]?(\d{2})[\s.]?(\d{2}|2[AaBb])"
    r"[\s.]?(\d{3})[\s.]?(\d{3})(?:[\s.]?(\d{2}))?(?:$|[^\dA-Za-z])"
)
_SUSPECT = rf"{EMAIL}|{PHONE}|{NIR}"


def suspect_header(key: str) -> bool:
    """Whether a normalised header names a direct identifier."""
    return key in IDENTIFIER_HEADERS or any(word in IDENTIFIER_WORDS for word in key.split("_"))


def mask(value: str) -> str:
    """Keep the shape, hide the identity: ``jean.d@x.fr`` -> ``j•••@•••``,
    ``06 12 34 56 78`` -> ``06••••••••``."""
    text = value.strip()
    if "@" in text:
        return text[:1] + "•••@•••"
    digits = [ch for ch in text if ch.isalnum() or ch == "+"]
    return "".join(digits[:2]) + "•" * (len(digits) - 2)


def _nir_valid() -> pl.Expr:
    """Whether the NIR extracted from the ``_nir`` struct has a plausible month. The key is not checked: a
    NIR typed with a wrong key (a typo) still identifies a person."""
    part = pl.col("_nir").struct
    month = part.field("3").cast(pl.Int64, strict=False)
    plausible_month = month.is_between(1, 12) | (month == 20) | month.is_between(30, 42) | month.is_between(50, 99)
    return part.field("1").is_not_null() & plausible_month


def _first_identifier(frame: pl.DataFrame, column: str) -> tuple[int, str] | None:
    """(line, value) of the first cell of ``column`` that looks like an identifier."""
    # The column is taken as a Series: a header from the file ("*", "^.*$") would be a wildcard or a regex in pl.col.
    value = pl.col("_value")
    candidates = pl.DataFrame([frame.get_column(column).cast(pl.String).alias("_value"), frame.get_column(LINE)]).filter(
        value.str.contains(_SUSPECT)
    )
    if candidates.height == 0:
        return None
    checked = candidates.with_columns(value.str.extract_groups(NIR).alias("_nir")).filter(
        value.str.contains(EMAIL) | value.str.contains(PHONE) | _nir_valid()
    )
    if checked.height == 0:
        return None
    text, line = checked.select("_value", LINE).row(0)
    return line, text


def check(raw: RawTable, lang: str = "fr") -> list[Problem]:
    """Direct identifiers in one raw table, by header and by value."""
    contract = {c.source: c.kind for c in contract_columns(raw.table)}
    where: Where = {"table": raw.table, "file": raw.file}
    problems = []
    for key in raw.frame.columns:
        if key == LINE:
            continue
        written = raw.headers.get(key, key)
        if key not in contract and suspect_header(key):
            problems.append(problem("DIRECT_IDENTIFIER", lang, **where, column=written))
            continue
        if contract.get(key, "str") != "str":
            continue
        found = _first_identifier(raw.frame, key)
        if found:
            line, text = found
            problems.append(problem("DIRECT_IDENTIFIER", lang, **where, line=line, column=written, value=mask(text)))
    return problems
