"""The provenance sheet that goes with every download and extract: what, when, from which data, under which rules.

A figure or an extract taken out of the app is read months later, by
someone else: the sheet says what it is (figure or extract), when it was
made, the filters or the cohort definition, the data it was computed from
(the last load's number and every loaded file's SHA-256, as recorded by
``etl load`` in ``load_files``), the definitions version
(``dashboard.definitions.VERSION``), the disclosure mode and the thresholds.
With the same data, definitions and secret, the same selection gives the
same figures again.

``provenance_rows`` is pure (everything comes in as arguments, the clock
too); ``gather`` collects the arguments from the snapshot, the settings and
the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
from sqlalchemy import Engine

from dashboard.data import Data, read_table
from dashboard.definitions import VERSION
from models.db import get_engine
from models.settings import database_url
from models.tables import LoadFile

FILE_COLUMNS = {"load_id": pl.Int64, "file_name": pl.String, "table_name": pl.String, "sha256": pl.String,
                "rows": pl.Int64}

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Provenance", "Provenance"),
    "what": ("Contenu", "Content"),
    "made_at": ("Date de production", "Made on"),
    "criterion": ("Critère : {name}", "Criterion: {name}"),
    "no_criterion": ("Aucun filtre (toutes les données)", "No filter (all the data)"),
    "selection": ("Sélection", "Selection"),
    "last_load": ("Données : dernier chargement", "Data: last load"),
    "last_load_value": ("n° {id} du {at} ({count} chargement(s) en tout)", "no. {id} of {at} ({count} load(s) in all)"),
    "no_load": ("aucun chargement enregistré", "no load recorded"),
    "file": ("Fichier (chargement {load})", "File (load {load})"),
    "file_value": ("{name} — table {table} — {rows} lignes — SHA-256 {sha}", "{name} — table {table} — {rows} rows — "
                   "SHA-256 {sha}"),
    "definitions": ("Version des définitions", "Definitions version"),
    "mode": ("Protection des personnes", "Disclosure mode"),
    "protected": ("protected : chiffres perturbés (méthode cell-key), seuils appliqués",
                  "protected: figures perturbed (cell-key method), thresholds applied"),
    "exact": ("exact : chiffres non perturbés (responsables des données seulement), seuils appliqués",
              "exact: figures not perturbed (data stewards only), thresholds applied"),
    "k": ("Seuil appliqué", "Threshold applied"),
    "k_value": ("{k} personnes (publication ; {screen} à l'écran)", "{k} persons (published; {screen} on screen)"),
}

CRITERIA: dict[str, tuple[str, str]] = {
    "from": ("du", "from"), "to": ("au", "to"), "by": ("granularité", "granularity"),
    "structure": ("structure", "structure"), "program": ("dispositif", "program"), "source": ("origine", "source"),
    "sex": ("sexe", "sex"), "age": ("tranche d'âge", "age band"), "name": ("nom de la cohorte", "cohort name"),
    "anchor": ("ancrage", "anchor"), "decision": ("décision", "decision"), "category": ("catégorie d'atelier",
                                                                                          "workshop category"),
    "sessions": ("séances au moins", "at least sessions"), "resources": ("ressources", "resources"),
    "justice": ("situation judiciaire", "justice situation"), "qpv": ("QPV", "priority area"),
    "need": ("en besoin dans le domaine", "in need in domain"), "need_kind": ("en besoin, type", "in need, kind"),
    "need_pillar": ("en besoin, pilier", "in need, pillar"),
}


def word(key: str, lang: str, **values: object) -> str:
    text = WORDS[key][0 if lang == "fr" else 1]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Provenance:
    """Everything the sheet says. ``selection`` holds (parameter, value) pairs as in links (``Filters.to_query``,
    ``Cohort.to_query``); ``notes`` are extra (label, value) rows already in the reader's language."""

    what: str
    made_at: datetime
    selection: tuple[tuple[str, str], ...]
    loads: pl.DataFrame
    files: pl.DataFrame
    definitions_version: int
    mode: str
    k: int
    k_screen: int
    notes: tuple[tuple[str, str], ...] = ()


def _utc(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def provenance_rows(p: Provenance, lang: str) -> list[tuple[str, str]]:
    """The sheet as (label, value) rows in ``lang``."""
    rows = [(word("what", lang), p.what), (word("made_at", lang), _utc(p.made_at))]
    if p.selection:
        rows += [(word("criterion", lang, name=CRITERIA.get(name, (name, name))[0 if lang == "fr" else 1]), value)
                 for name, value in p.selection]
    else:
        rows.append((word("selection", lang), word("no_criterion", lang)))
    if p.loads.is_empty():
        rows.append((word("last_load", lang), word("no_load", lang)))
    else:
        last = p.loads.sort("id").row(-1, named=True)
        rows.append((word("last_load", lang), word("last_load_value", lang, id=last["id"], at=_utc(last["finished_at"]),
                                                   count=p.loads.height)))
    for file in p.files.sort("load_id", "file_name").iter_rows(named=True):
        rows.append((word("file", lang, load=file["load_id"]),
                     word("file_value", lang, name=file["file_name"], table=file["table_name"], rows=file["rows"],
                          sha=file["sha256"])))
    rows += [
        (word("definitions", lang), str(p.definitions_version)),
        (word("mode", lang), word(p.mode, lang) if p.mode in ("protected", "exact") else p.mode),
        (word("k", lang), word("k_value", lang, k=p.k, screen=p.k_screen)),
        *p.notes,
    ]
    return rows


def selection_of(query: Mapping[str, str | Sequence[str]]) -> tuple[tuple[str, str], ...]:
    """A link's parameters as (parameter, value) pairs, lists joined."""
    return tuple((name, value if isinstance(value, str) else ", ".join(value)) for name, value in query.items())


def load_files(engine: Engine, loads: pl.DataFrame) -> pl.DataFrame:
    """The files of the snapshot's loads (``load_files`` rows whose load the snapshot has read)."""
    files = read_table(engine, LoadFile)
    return files.filter(pl.col("load_id").is_in(loads["id"].to_list())).select(list(FILE_COLUMNS))


def snapshot_files(data: Data) -> pl.DataFrame:
    """The loaded files behind ``data``, read from ``DATABASE_URL`` (where the app and the command line read it)."""
    return load_files(get_engine(database_url()), data.loads)


def no_files() -> pl.DataFrame:
    return pl.DataFrame(schema=FILE_COLUMNS)


def gather(data: Data, *, what: str, selection: tuple[tuple[str, str], ...], files: pl.DataFrame, k: int, k_screen: int,
           mode: str, made_at: datetime | None = None, notes: tuple[tuple[str, str], ...] = ()) -> Provenance:
    """The provenance of something computed now from ``data`` (``made_at`` defaults to now, UTC)."""
    return Provenance(what=what, made_at=made_at or datetime.now(UTC), selection=selection,
                      loads=data.loads.select("id", "finished_at"), files=files, definitions_version=VERSION,
                      mode=mode, k=k, k_screen=k_screen, notes=notes)


__all__ = ["CRITERIA", "FILE_COLUMNS", "Provenance", "WORDS", "gather", "load_files", "no_files", "provenance_rows",
           "selection_of", "snapshot_files", "word"]
