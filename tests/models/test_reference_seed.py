"""Reference data: seeded at creation, completed on upgrade, never overwritten."""

from pathlib import Path

from sqlalchemy import text

from models.db import make_engine
from models.reference import CODE_LISTS, DEFAULT_DOMAIN_READINGS


def test_seed_completes_missing_codes_and_keeps_edits(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        total = conn.execute(text("SELECT count(*) FROM code_labels")).scalar()
        assert total == sum(len(entries) for entries in CODE_LISTS.values())
        # A structure relabels a code and re-reads a domain; an older version lacked a list.
        conn.execute(text("UPDATE code_labels SET label_fr = 'Probation' WHERE code_list = 'SOURCE' AND code = 'SPIP'"))
        conn.execute(text("UPDATE domain_readings SET kind = 'STRATEGIQUE' WHERE domain = 'JUSTICE'"))
        conn.execute(text("DELETE FROM code_labels WHERE code_list = 'CO_CONSTRUIT'"))
        conn.execute(text("DELETE FROM domain_readings WHERE domain = 'MOBILITE'"))
    engine.dispose()

    engine = make_engine(url)  # the next start of the app or the ETL
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM code_labels")).scalar() == total
        assert conn.execute(text("SELECT label_fr FROM code_labels WHERE code = 'SPIP'")).scalar() == "Probation"
        assert conn.execute(text("SELECT label_en FROM code_labels WHERE code_list = 'CO_CONSTRUIT' AND code = 'OUI'"))\
            .scalar() == "Yes"
        readings = dict(conn.execute(text("SELECT domain, kind FROM domain_readings")).all())
    assert len(readings) == len(DEFAULT_DOMAIN_READINGS)
    assert readings["JUSTICE"] == "STRATEGIQUE" and readings["MOBILITE"] == "PRATIQUE"
