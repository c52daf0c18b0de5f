"""What leaves the app: the published figures (k = 11), codes kept, labels added."""

import io
from datetime import date

import openpyxl

from dashboard.data import read_data
from dashboard.disclosure import figures
from dashboard.filters import Filters
from dashboard.ui.downloads import csv_bytes, file_stem, with_labels, xlsx_bytes
from models.db import get_engine

YEAR_2025 = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))


def test_overview_csv_is_the_published_version(ui_db_url):
    data = read_data(get_engine(ui_db_url))
    published = figures("overview", data, YEAR_2025, published=True)
    text = csv_bytes(with_labels(published.table, "fr", data.labels, data.structures)).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "figure,figure_label,value,previous,change,n"
    assert "referrals,Orientations reçues,1234.0,1000.0,234.0," in lines
    assert "exits,Sorties,12.0,0.0,12.0," in lines
    # 10 new persons and 6 workshop participants are under 11: empty cells, and their change with them.
    assert "new_persons,Nouvelles personnes,,30.0,," in lines
    assert "workshop_participants,Personnes venues en atelier,,0.0,," in lines
    # On screen (k = 5) the 10 new persons are shown: the download is not the screen version.
    screen = figures("overview", data, YEAR_2025, published=False)
    assert screen.table.filter(screen.table["figure"] == "new_persons")["value"].to_list() == [10.0]


def test_code_columns_get_a_label_column(ui_db_url):
    data = read_data(get_engine(ui_db_url))
    published = figures("referrals-by-source", data, YEAR_2025.with_(by="year"), published=True)
    frame = with_labels(published.table, "en", data.labels, data.structures)
    assert frame.columns[:3] == ["period", "source", "source_label"]
    assert frame.select("source", "source_label", "referrals").rows() == [
        ("AS_SECTEUR", "Sector social worker", 617), ("SIAO", "Housing helpline (SIAO / 115)", 617), ("TOTAL", "Total", 1234),
    ]


def test_xlsx_holds_the_same_table(ui_db_url):
    data = read_data(get_engine(ui_db_url))
    published = figures("referrals-by-source", data, YEAR_2025.with_(by="year"), published=True)
    content = xlsx_bytes(with_labels(published.table, "fr", data.labels, data.structures), "referrals-by-source")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert sheet.title == "referrals-by-source"
    assert rows[0][:4] == ("period", "source", "source_label", "referrals")
    assert rows[3][:4] == ("2025", "TOTAL", "Total", 1234)


def test_file_names():
    assert file_stem("exits", date(2025, 1, 1), date(2025, 12, 31)) == "parcours_exits_2025-01-01_2025-12-31"
    assert file_stem("exits", None, None) == "parcours_exits"
