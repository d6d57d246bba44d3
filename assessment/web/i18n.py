"""Languages: which one a request gets, its writing direction, and translated definition texts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from unicodedata import bidirectional

import arabic_reshaper
from babel import Locale
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_name,
    get_currency_symbol,
)
from bidi.algorithm import get_display
from flask import Flask, current_app, g, request
from flask_babel import Babel, format_date, format_datetime, get_locale, gettext
from jinja2 import pass_context
from jinja2.runtime import Context
from persiantools.jdatetime import JalaliDate

from assessment.engine.text import Text
from assessment.storage.models import as_utc


def _select_locale() -> str | None:
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def translate(text: Text | None) -> str:
    """A definition text in the request's language (English when it has no translation)."""
    return "" if text is None else text.in_(str(get_locale()))


_NATIVE_DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}
"""Digits of the CLDR numbering systems Babel names but does not transliterate into."""


def _locale() -> Locale:
    return get_locale() or Locale("en")


def _native_digits(text: str) -> str:
    digits = _NATIVE_DIGITS.get(_locale().default_numbering_system)
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


def _right_to_left() -> bool:
    return _locale().text_direction == "rtl"


def _signed(text: str) -> str:
    """In right-to-left text a minus sign is a true minus tied to its number by a left-to-right mark,
    so "−۲۴" never reads "۲۴-"."""
    return "\u200e\u2212" + text[1:] if text.startswith("-") and _right_to_left() else text


def format_number(number: float) -> str:
    """A number with the reader's separators and digits (Persian ۱۲٫۵ as well as 12.5)."""
    return _native_digits(_signed(format_decimal(number, locale=_locale(), numbering_system="default")))


def format_share(percent: int) -> str:
    """A whole percentage the way the reader writes it (12%, ۱۲٪, −۲۴٪)."""
    if _right_to_left():
        return f"{format_number(percent)}\u066a"
    return _native_digits(format_percent(percent / 100, locale=_locale(), numbering_system="default"))


def _in_toman(currency: str) -> bool:
    """Whether this request shows a rial amount in tomans (its workspace's choice, web/access.py)."""
    return currency == "IRR" and bool(g.get("rial_in_toman"))


TOMAN_PER_RIAL = 0.1
"""One toman is ten rials: how Iranian business quotes prices, though the currency is the rial."""


def format_money(amount: float, currency: str) -> str:
    """A whole amount in the assessment's currency, in the reader's pattern and digits; right to left,
    the amount then its currency ("۱۲٬۵۰۰ ریال"), as Persian writes prices. Rials show as tomans
    where the workspace asks for it."""
    if _in_toman(currency):
        return f"{format_number(round(amount * TOMAN_PER_RIAL))}\u00a0{gettext('toman')}"
    if _right_to_left():
        return f"{format_number(round(amount))}\u00a0{get_currency_symbol(currency, locale=_locale())}"
    pattern = _locale().currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return _native_digits(
        format_currency(
            round(amount), currency, pattern, locale=_locale(), currency_digits=False, numbering_system="default"
        )
    )


def money_factor(currency: str) -> float:
    """What an amount in `currency` is multiplied by for display: a tenth for rials shown in tomans."""
    return TOMAN_PER_RIAL if _in_toman(currency) else 1.0


def format_change(amount: float, currency: str | None = None) -> str:
    """A gain or a loss with its sign ("+1.4", "−$2,300"; "+۱٫۴" kept whole right to left), in money
    when a currency is given."""
    sign = "+" if amount >= 0 else "\u2212"
    size = format_money(abs(amount), currency) if currency else format_number(abs(amount))
    mark = "\u200e" if _right_to_left() else ""
    return f"{mark}{sign}{size}"


def format_money_short(amount: float, currency: str) -> str:
    """An amount abbreviated for a chart's axis, in the reader's words: "$20M", "۲۰ میلیارد ریال"."""
    if _in_toman(currency):
        number = format_compact_decimal(
            amount * TOMAN_PER_RIAL, format_type="long", locale=_locale(), fraction_digits=1, numbering_system="default"
        )
        return _native_digits(_signed(f"{number}\u00a0{gettext('toman')}"))
    short = format_compact_currency(amount, currency, locale=_locale(), fraction_digits=1, numbering_system="default")
    return _native_digits(_signed(short))


def currency_label(currency: str) -> str:
    """A currency named for a caption: its code in English ("IRR"), its name in a right-to-left
    language ("ریال ایران"), where a Latin code would break the sentence."""
    if _in_toman(currency):
        return gettext("toman")
    return get_currency_name(currency, locale=_locale()) if _right_to_left() else currency


def svg_text(text: object, printing: object = False) -> str:
    """Text for an SVG chart. WeasyPrint draws SVG text a character at a time, neither joining
    Arabic-script letters nor reordering right-to-left runs (Kozea/WeasyPrint#2909), so for the PDF
    a text with right-to-left letters is given shaped (presentation forms) and in visual order;
    browsers shape and order it themselves and get it as written."""
    written = str(text)
    if printing and any(bidirectional(c) in ("R", "AL") for c in written):
        return str(get_display(arabic_reshaper.reshape(written)))
    return written


def jalali() -> bool:
    """Whether the reader counts days in the Solar Hijri calendar, as Persian readers in Iran do."""
    return _locale().language == "fa"


def format_day(day: date) -> str:
    """A day in the reader's calendar: "3 آذر 1405" in Persian digits, "Nov 24, 2026" in English."""
    if isinstance(day, datetime):
        day = as_utc(day).date()
    if jalali():
        solar = JalaliDate(day)
        return _native_digits(f"{solar.day} {solar.strftime('%B', locale='fa')} {solar.year}")
    return _native_digits(format_date(day))


def format_moment(moment: datetime) -> str:
    """A moment (UTC) in the reader's calendar, to the minute."""
    if jalali():
        utc = as_utc(moment)
        return f"{format_day(utc.date())}، {_native_digits(utc.strftime('%H:%M'))}"
    return _native_digits(format_datetime(as_utc(moment), "short"))


def parse_day(text: str) -> date:
    """A day as the reader types it: year/month/day in the Solar Hijri calendar for a Persian reader
    (Persian, Arabic-Indic or Latin digits; / - or . between), an ISO date otherwise. ValueError if not a day."""
    digits = text.strip().translate(_ANY_DIGITS)
    if not jalali():
        return date.fromisoformat(digits)
    parts = re.fullmatch(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})", digits)
    if parts is None:
        raise ValueError(digits)
    return JalaliDate(*(int(p) for p in parts.groups())).to_gregorian()


def input_day(day: date | None) -> str:
    """A day as a date field shows it to the reader: Solar Hijri year/month/day, or ISO."""
    if day is None:
        return ""
    if jalali():
        solar = JalaliDate(day)
        return _native_digits(f"{solar.year}/{solar.month:02d}/{solar.day:02d}")
    return day.isoformat()


_ANY_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


_COUNTER_STYLES = {"arab": "arabic-indic", "arabext": "persian"}
"""The CSS counter style that writes the reader's digits: page numbers in the PDF."""


def counter_style() -> str:
    return _COUNTER_STYLES.get(_locale().default_numbering_system, "decimal")


def direction() -> str:
    """'rtl' for Persian and other right-to-left languages, else 'ltr'."""
    return _locale().text_direction


def per_request(function: Callable[..., str]) -> Callable[..., str]:
    """A filter Jinja never evaluates while compiling: the reader's language is only known per
    request, and a folded `100|format_number` would keep the digits of the first reader for good."""

    @pass_context
    def filter_(_context: Context, *args: Any, **kwargs: Any) -> str:
        return function(*args, **kwargs)

    return filter_


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=_select_locale)
    for name, function in (
        ("tr", translate),
        ("format_number", format_number),
        ("format_date", format_day),
        ("format_share", format_share),
        ("format_datetime", format_moment),
        ("money", format_money),
        ("money_short", format_money_short),
        ("change", format_change),
        ("currency_label", currency_label),
        ("money_factor", money_factor),
        ("svg_text", svg_text),
    ):
        app.jinja_env.filters[name] = per_request(function)
    app.jinja_env.globals["text_direction"] = direction
    app.jinja_env.globals["counter_style"] = counter_style
    app.jinja_env.globals["language"] = lambda: str(get_locale() or "en").replace("_", "-")
