"""Field helper that records, on each column, how the data contract names it.

The data contract (input files) speaks French; the project's identifiers are
English. Each column carries its contract name, type and code list in the
SQLAlchemy column ``info`` so that the ETL's staging and the generated data
dictionary both read one definition instead of keeping parallel lists.
"""

from typing import Any

from sqlmodel import Field


def contract_field(
    source: str,
    description: str,
    *,
    fr: str,
    codes: str | None = None,
    primary_key: bool = False,
    default: Any = None,
    ge: int | None = None,
    le: int | None = None,
) -> Any:
    """A column read from the contract's column ``source``.

    ``description`` is in English, ``fr`` the same in French (the data
    dictionary shows both); ``codes`` names the code list the values must
    belong to.
    """
    info: dict[str, Any] = {"source": source, "description_fr": fr}
    if codes:
        info["codes"] = codes
    extra: dict[str, Any] = {}
    if ge is not None:
        extra["ge"] = ge
    if le is not None:
        extra["le"] = le
    if primary_key:
        return Field(primary_key=True, description=description, sa_column_kwargs={"info": info}, **extra)
    return Field(default=default, description=description, sa_column_kwargs={"info": info}, **extra)
