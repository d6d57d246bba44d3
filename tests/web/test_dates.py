"""Days in the reader's calendar: Solar Hijri in Persian, checked against persiantools on random days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from persiantools.jdatetime import JalaliDate

from assessment.factory import create_app
from assessment.web.i18n import format_day, format_moment, input_day, parse_day

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    folder = tmp_path_factory.mktemp("dates")
    return create_app(
        {"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "SECRET_KEY": "t", "LANGUAGES": ("en", "fa")}
    )


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_a_persian_reader_reads_and_types_solar_hijri_days(app: Flask, day: date) -> None:
    solar = JalaliDate(day)
    with app.test_request_context(headers={"Accept-Language": "fa"}):
        shown = format_day(day)
        assert shown.startswith(str(solar.day).translate(PERSIAN_DIGITS) + " ")
        assert shown.endswith(" " + str(solar.year).translate(PERSIAN_DIGITS))
        assert solar.strftime("%B", locale="fa") in shown
        typed = input_day(day)
        assert typed == f"{solar.year}/{solar.month:02d}/{solar.day:02d}".translate(PERSIAN_DIGITS)
        assert parse_day(typed) == day
        assert parse_day(f"{solar.year}-{solar.month}-{solar.day}") == day  # Latin digits, other separators
        arabic_indic = typed.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩"))
        assert parse_day(arabic_indic) == day


def test_an_english_reader_keeps_gregorian_days_and_latin_digits(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_day(date(2026, 11, 24)) == "Nov 24, 2026"
        assert input_day(date(2026, 11, 24)) == "2026-11-24"
        assert parse_day("2026-11-24") == date(2026, 11, 24)
        assert format_moment(datetime(2026, 11, 24, 14, 30, tzinfo=UTC)).startswith("11/24/26")


def test_the_first_day_of_1405_is_nowruz_2026(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "fa"}):
        assert format_day(date(2026, 3, 21)) == "۱ فروردین ۱۴۰۵"
        assert parse_day("۱۴۰۵/۰۱/۰۱") == date(2026, 3, 21)
        assert format_moment(datetime(2026, 3, 21, 9, 5, tzinfo=UTC)) == "۱ فروردین ۱۴۰۵، ۰۹:۰۵"
        for bad in ("1405/13/01", "1405/12/31", "tomorrow", "۱۴۰۵"):
            with pytest.raises(ValueError):
                parse_day(bad)
