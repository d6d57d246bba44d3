"""Figures typed in a form, read in the reader's locale and shown back as they would type them.

English reads "8,500.5", Persian "۸٬۵۰۰٫۵" (Persian or Arabic-Indic digits, or the Latin ones
with the locale's Latin marks); every locale reads a plain "8500.5". Marks that do not fit the
locale ("8.500,00" or "8,50" in English) are refused as unclear rather than guessed at. The
engine's `parse_number` stays the reader of files and the API, where no locale applies.
"""

from __future__ import annotations

import math
import unicodedata

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale

from assessment.engine.numbers import plain_number
from assessment.web.i18n import format_number

_MARKS = str.maketrans({"\u2212": "-", "\u200e": None, "\u200f": None, "\u061c": None})
"""A true minus as Persian writes it, and the direction marks shown around it."""
NUMBERING_SYSTEMS = ("default", "latn")
"""The locale's own digits' marks first (٫ and ٬ in Persian), then its marks with Latin digits."""


class UnclearNumberError(ValueError):
    """A number whose marks do not fit the reader's locale: a decimal mark where a group mark belongs,
    or a group mark in the wrong place."""


def read_number(typed: str) -> float:
    """The number typed, in the reader's locale; UnclearNumberError for marks that do not fit it,
    ValueError for anything else that is not a finite number."""
    text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in typed.strip()).translate(_MARKS)
    unclear = False
    for system in NUMBERING_SYSTEMS:
        try:
            number = float(parse_decimal(text, locale=get_locale(), strict=True, numbering_system=system))
        except NumberFormatError as error:
            unclear = unclear or bool(error.suggestions)
            continue
        if not math.isfinite(number):
            break
        return number
    raise (UnclearNumberError if unclear else ValueError)(typed)


def shown_as_typed(number: float) -> str:
    """A stored figure as the reader types it: "8,500" in English, "۸٬۵۰۰" in Persian. One with more
    decimals than the reader's pattern shows is written plain, and one too small to write out
    (1e-320, stored before figures were checked) in exponent form, so nothing is lost."""
    plain = plain_number(number)
    if number and float(plain) == 0:
        return f"{number:g}"
    return format_number(float(plain)) if round(number, 3) == float(plain) else plain
