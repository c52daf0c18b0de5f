"""Engine and session. The database is created (and reference data seeded)
on first use; SQLite gets pragmas that make bulk loads fast and safe."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, event, select
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, col, create_engine
from sqlmodel import select as sqlmodel_select

from models import tables  # noqa: F401  (registers every table on the metadata)
from models.reference import CODE_LISTS, DEFAULT_DOMAIN_READINGS
from models.settings import database_url, get_setting
from models.tables import CodeLabel, DomainReading


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA cache_size=-200000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (default: ``DATABASE_URL``), schema created."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    create_schema(engine)
    return engine


def snapshot_base(engine: Engine) -> Path | None:
    """The folder holding the on-disk snapshots of ``engine``'s database (``dashboard.snapshot``), None for an
    in-memory SQLite database: ``PARCOURS_SNAPSHOT_DIR`` when set, else ``snapshots/`` beside a SQLite file,
    ``data/snapshots`` for a server. Here so that ``python -m etl forget`` can remove them too."""
    url = engine.url
    configured = get_setting("PARCOURS_SNAPSHOT_DIR")
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        default = Path(url.database).resolve().parent / "snapshots"
    else:
        default = Path("data") / "snapshots"
    return Path(configured) if configured else default


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (default: ``DATABASE_URL``)."""
    return make_engine(url)


def create_schema(engine: Engine) -> None:
    """Create missing tables and seed the reference data they lack.

    Codes a newer version adds are inserted; labels and domain readings
    already there are kept, since a structure may have changed them.
    """
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        labelled = set(session.exec(sqlmodel_select(col(CodeLabel.code_list), col(CodeLabel.code))).all())
        session.add_all(
            CodeLabel(code_list=name, code=code, label_fr=fr, label_en=en, position=i)
            for name, entries in CODE_LISTS.items()
            for i, (code, fr, en) in enumerate(entries)
            if (name, code) not in labelled
        )
        read = set(session.scalars(select(col(DomainReading.domain))).all())
        session.add_all(
            DomainReading(domain=domain, kind=kind, pillar=pillar)
            for domain, (kind, pillar) in DEFAULT_DOMAIN_READINGS.items()
            if domain not in read
        )
        session.commit()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine or get_engine()) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
