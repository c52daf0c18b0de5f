"""The data contract (version 1) as data: which table holds which source file.

Column names, types, code lists and requiredness are read off the table
definitions in ``models.tables``; this module only adds what a table cannot
say about itself: the contract's table names, their loading order (parents
before children) and which tables a dataset must contain.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Column, Table
from sqlmodel import SQLModel

from models.tables import (
    Assessment,
    Attendance,
    Milestone,
    Person,
    Referral,
    Structure,
    SupportPeriod,
    Workshop,
    WorkshopSession,
)

CONTRACT_VERSION = 1

# Contract table name -> model, in loading order (referenced tables first).
CONTRACT_TABLES: dict[str, type[SQLModel]] = {
    "structures": Structure,
    "personnes": Person,
    "orientations": Referral,
    "accompagnements": SupportPeriod,
    "evaluations": Assessment,
    "ateliers": Workshop,
    "seances": WorkshopSession,
    "participations": Attendance,
    "jalons": Milestone,
}
REQUIRED_TABLES = ("personnes", "orientations", "accompagnements")


@dataclass(frozen=True)
class ContractColumn:
    """One column of a contract table."""

    source: str  # the contract's (French) column name
    name: str  # the project's column name
    kind: str  # str, int, date, bool or code
    codes: str | None  # code list, for kind == "code"
    required: bool
    description: str
    description_fr: str


def table_of(contract_table: str) -> Table:
    return CONTRACT_TABLES[contract_table].__table__  # type: ignore[attr-defined]


def _kind(column: Column) -> str:
    if column.info.get("codes"):
        return "code"
    python_type = column.type.python_type
    if python_type is bool:
        return "bool"
    if python_type is int:
        return "int"
    if python_type is date:
        return "date"
    return "str"


def contract_columns(contract_table: str) -> list[ContractColumn]:
    """The contract columns of a table, in definition order."""
    model = CONTRACT_TABLES[contract_table]
    columns = []
    for column in table_of(contract_table).columns:
        field = model.model_fields[column.name]
        columns.append(
            ContractColumn(
                source=column.info["source"],
                name=column.name,
                kind=_kind(column),
                codes=column.info.get("codes"),
                required=not column.nullable and column.default is None,
                description=field.description or "",
                description_fr=column.info["description_fr"],
            )
        )
    return columns


def key_columns(contract_table: str) -> list[str]:
    """Project column names making a row unique (the primary key)."""
    return [c.name for c in table_of(contract_table).primary_key.columns]
