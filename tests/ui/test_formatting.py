"""Numbers, rates, dates and periods in French and English."""

from datetime import date, datetime

import pytest

from dashboard.formatting import (
    NBSP,
    THIN,
    fmt_date,
    fmt_datetime,
    fmt_decimal,
    fmt_int,
    fmt_period,
    fmt_points,
    fmt_rate,
    fmt_signed_int,
)


@pytest.mark.parametrize(("value", "fr", "en"), [
    (0, "0", "0"),
    (999, "999", "999"),
    (1234, f"1{THIN}234", "1,234"),
    (1234567, f"1{THIN}234{THIN}567", "1,234,567"),
    (-1234, f"-1{THIN}234", "-1,234"),
    (12.6, "13", "13"),
    (12.5, "13", "13"),
    (None, "–", "–"),
])
def test_integers(value, fr, en):
    assert fmt_int(value, "fr") == fr
    assert fmt_int(value, "en") == en


def test_decimals():
    assert fmt_decimal(1234.5, "fr") == f"1{THIN}234,5"
    assert fmt_decimal(1234.5, "en") == "1,234.5"
    assert fmt_decimal(2.345, "fr", 2) == "2,35"  # half up on the decimal form, not binary
    assert fmt_decimal(-0.25, "en", 1) == "-0.3"
    assert fmt_decimal(7, "fr", 2) == "7,00"
    assert fmt_decimal(3.14159, "en", 2) == "3.14"
    assert fmt_decimal(float("nan"), "fr") == "–"


def test_rates_are_shares_shown_as_percent():
    assert fmt_rate(0.12, "fr") == f"12{NBSP}%"
    assert fmt_rate(0.12, "en") == "12%"
    assert fmt_rate(2 / 3, "fr") == f"67{NBSP}%"
    assert fmt_rate(0.125, "fr") == f"13{NBSP}%"
    assert fmt_rate(0.005, "en") == "1%"
    assert fmt_rate(0.125, "fr", 1) == f"12,5{NBSP}%"
    assert fmt_rate(0.125, "en", 1) == "12.5%"
    assert fmt_rate(None, "fr") == "–"


def test_changes_are_signed():
    assert fmt_signed_int(234, "fr") == "+234"
    assert fmt_signed_int(-1500, "fr") == f"-1{THIN}500"
    assert fmt_signed_int(-1500, "en") == "-1,500"
    assert fmt_signed_int(0, "en") == "0"
    assert fmt_points(0.05, "fr") == f"+5{NBSP}pt"
    assert fmt_points(-0.125, "en", 1) == f"-12.5{NBSP}pt"
    assert fmt_points(-0.0004, "fr", 1) == f"0,0{NBSP}pt"  # rounds to nothing: no sign
    assert fmt_points(0.0034, "fr", 1) == f"+0,3{NBSP}pt"


def test_dates():
    assert fmt_date(date(2026, 11, 21), "fr") == "21/11/2026"
    assert fmt_date(date(2026, 11, 21), "en") == "21/11/2026"
    assert fmt_date(None, "fr") == "–"
    assert fmt_datetime(datetime(2026, 1, 5, 9, 30), "fr") == "05/01/2026 09:30"
    assert fmt_datetime("2026-01-05 09:30:00+00:00", "en") == "05/01/2026 09:30"


@pytest.mark.parametrize(("label", "fr", "en"), [
    ("2024-03", "mars 2024", "Mar 2024"),
    ("2024-01", "janv. 2024", "Jan 2024"),
    ("2024-08", "août 2024", "Aug 2024"),
    ("2024-Q1", "T1 2024", "Q1 2024"),
    ("2025-Q4", "T4 2025", "Q4 2025"),
    ("2024", "2024", "2024"),
    ("TOTAL", "TOTAL", "TOTAL"),
])
def test_periods(label, fr, en):
    assert fmt_period(label, "fr") == fr
    assert fmt_period(label, "en") == en
