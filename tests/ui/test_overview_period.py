"""Overview cards follow the chosen period: the change in % beside the change, and sparklines over the range's months.

Fixture (tests/ui/conftest.py): referral j of 2025 falls on 2025-01-01 + j * 365 // 1234 days, referral j of
2024 on 2024-01-01 + j * 366 // 1000 days. Per month, that gives

    2024: 85 79 85 82 85 82 84 85 82 85 82 84
    2025: 105 95 105 101 105 101 105 105 101 105 102 104
"""

from streamlit.testing.v1 import AppTest

from dashboard.formatting import NBSP, THIN
from dashboard.ui.kpi import delta_text, fmt_change_percent
from tests.ui.conftest import APP, TIMEOUT

REFERRALS_2025 = [105, 95, 105, 101, 105, 101, 105, 105, 101, 105, 102, 104]


def open_overview(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("../pages/overview.py")
    return at.run()


def metric(at: AppTest, label: str):  # noqa: ANN201
    return next(m for m in at.metric if m.label == label)


def test_sparklines_cover_the_months_of_the_default_period(ui_db):
    at = open_overview()
    referrals = metric(at, "Orientations reçues")
    assert list(referrals.proto.chart_data) == REFERRALS_2025  # 12 months of 2025
    assert sum(REFERRALS_2025) == 1234
    # Exits: 3 a month from March to June 2025 are hidden (3 < 5) and left out of the line; the other months are 0.
    assert list(metric(at, "Sorties").proto.chart_data) == [0.0] * 8


def test_a_chosen_period_gives_its_months_and_its_change_in_percent(ui_db):
    at = open_overview(**{"from": "2025-04-01", "to": "2025-09-30"})
    assert not at.exception, at.exception
    referrals = metric(at, "Orientations reçues")
    # April to September 2025: 101 + 105 + 101 + 105 + 105 + 101 = 618; the previous six months,
    # October 2024 to March 2025: 85 + 82 + 84 + 105 + 95 + 105 = 556; +62 = +11.2 %.
    assert referrals.value == "618"
    assert referrals.delta == f"+62 (+11{NBSP}%)"
    assert list(referrals.proto.chart_data) == REFERRALS_2025[3:9]  # six months: April .. September
    captions = " | ".join(c.value for c in at.caption)
    assert "Période précédente : 556" in captions
    assert "du 01/04/2025 au 30/09/2025" in captions


def test_by_quarter_the_sparkline_stays_monthly(ui_db):
    at = open_overview(by="quarter", **{"from": "2025-07-01", "to": "2025-12-31"})
    assert list(metric(at, "Orientations reçues").proto.chart_data) == REFERRALS_2025[6:]


def test_change_texts():
    assert delta_text(1234, 1000, 234, False, "fr") == f"+234 (+23{NBSP}%)"
    assert delta_text(1234, 1000, 234, False, "en") == "+234 (+23%)"
    assert delta_text(10, 30, -20, False, "fr") == f"-20 (-67{NBSP}%)"
    assert delta_text(12, 0, 12, False, "fr") == "+12"  # no percent of nothing
    assert delta_text(30, 30, 0, False, "fr") == f"0 (0{NBSP}%)"
    assert delta_text(0.67, 0.62, 0.05, True, "fr") == f"+5,0{NBSP}pt"  # rates keep points
    assert delta_text(10_030, 10_000, 30, False, "fr") == f"+30 (+0,3{NBSP}%)"  # under 1 %: one decimal, never "+0 %"
    assert delta_text(12_345, 10_000, 2_345, False, "fr") == f"+2{THIN}345 (+23{NBSP}%)"
    assert fmt_change_percent(5, None, "fr") is None
