"""A period the range only covers in part is said on the trend pages."""

from datetime import date

from streamlit.testing.v1 import AppTest

from dashboard.periods import partial_periods, period_bounds
from tests.ui.conftest import APP, TIMEOUT


def test_period_bounds_and_partial_periods() -> None:
    assert period_bounds(date(2026, 11, 21), "quarter") == (date(2026, 10, 1), date(2026, 12, 31))
    assert partial_periods(date(2024, 1, 1), date(2026, 11, 21), "month") == [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 21))]
    assert partial_periods(date(2024, 1, 15), date(2026, 11, 30), "month") == [
        ("2024-01", date(2024, 1, 15), date(2024, 1, 31))]
    assert partial_periods(date(2024, 1, 1), date(2026, 11, 30), "quarter") == [
        ("2026-Q4", date(2026, 10, 1), date(2026, 11, 30))]
    assert partial_periods(date(2026, 11, 3), date(2026, 11, 21), "month") == [
        ("2026-11", date(2026, 11, 3), date(2026, 11, 21))]
    assert partial_periods(date(2024, 1, 1), date(2025, 12, 31), "year") == []


def captions(page: str, **query: str) -> list[str]:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"../pages/{page}.py")
    at.run()
    assert not at.exception
    return [c.value for c in at.caption]


def test_trend_pages_say_when_the_last_period_is_cut(cut_db: str) -> None:
    """Ranges are on whole periods: a period is cut only where the data ends (2025-12-14) inside it."""
    shown = captions("exits", **{"from": "2025-01-01", "to": "2025-12-31", "by": "month"})
    assert ("Période incomplète : déc. 2025 ne couvre que du 01/12/2025 au 14/12/2025 ; ses chiffres ne se comparent pas "
            "directement aux autres périodes.") in shown
    english = captions("referrals", lang="en", **{"from": "2025-01-01", "to": "2025-11-21", "by": "year"})
    assert any(c.startswith("Incomplete period: 2025 only covers 01/01/2025 to 14/12/2025") for c in english)


def test_a_range_inside_the_data_is_whole(ui_db: str) -> None:
    """The data runs to 2025-12-31: a range ending 2025-11-21 is widened to November's end, not cut."""
    shown = captions("exits", **{"from": "2025-01-01", "to": "2025-11-21", "by": "month"})
    assert not any(c.startswith("Période incomplète") for c in shown)
    assert "Les dates sont arrondies aux mois entiers : du 01/01/2025 au 30/11/2025." in shown
    whole = captions("exits", **{"from": "2025-01-01", "to": "2025-12-31", "by": "month"})
    assert not any(c.startswith(("Période incomplète", "Les dates sont arrondies")) for c in whole)
