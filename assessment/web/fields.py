"""Fields a person types into, read the same way everywhere: one-line names (cleaned, refused when
nothing readable is left) and days (in the reader's calendar)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, IntegerField, StringField
from wtforms.form import BaseForm
from wtforms.validators import StopValidation
from wtforms.widgets import DateInput, TextInput

from assessment.web.i18n import format_number, input_day, jalali, parse_day
from assessment.web.numbers_input import read_number

_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""Zero-width spaces, direction marks, embeddings, overrides and isolates: they carry no text of
their own and can reorder what is shown around them. The zero-width non-joiner (U+200C), part
of Persian spelling, stays."""
_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
"""Arabic yeh and kaf typed on an Arabic keyboard, so the same name is always spelt the same way."""


def clean_text(value: str | None) -> str | None:
    """NFC, Persian yeh and kaf, no invisible controls, single spaces, trimmed (ZWNJ at the ends too)."""
    if value is None:
        return None
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", value)).translate(_ARABIC_TO_PERSIAN)
    return " ".join(text.split()).strip("\u200c ")


def _readable(_form: BaseForm, field: Field) -> None:
    if field.data and not any(unicodedata.category(c)[0] in "LN" for c in field.data):
        raise StopValidation(_l("Enter a name with letters or digits."))


class TextField(StringField):
    """A `StringField` whose value is cleaned by `clean_text` and must hold a letter or a digit when given."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("filters", ())
        kwargs["filters"] = (clean_text, *kwargs["filters"])
        super().__init__(label, [*(validators or []), _readable], **kwargs)


class _DayInput(DateInput):
    """The browser's date picker in English; for a Solar Hijri reader, a text box for year/month/day,
    since browsers' pickers count only Gregorian days."""

    def __call__(self, field: Field, **kwargs: Any) -> Any:
        if jalali():
            kwargs.update(type="text", inputmode="numeric", dir="ltr", placeholder=input_day(date(2026, 3, 21)))
        return super().__call__(field, **kwargs)


class DayField(DateField):
    """A day typed in the reader's calendar (Solar Hijri for Persian, with any digits), stored as a date."""

    widget = _DayInput()

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else input_day(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            self.data = parse_day(str(valuelist[0]))
        except ValueError as error:
            raise ValueError(
                _l("Enter a day as year/month/day, such as 1405/01/01.")
                if jalali()
                else _l("Enter a day such as 2026-03-21.")
            ) from error


class WholeNumberField(IntegerField):
    """A whole number typed in the reader's locale, with any digits (Persian ۶۰ as well as 60): a text
    box with a numeric keyboard, since a browser's number box takes Latin digits only."""

    widget = TextInput()

    def __call__(self, **kwargs: Any) -> Any:
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("dir", "ltr")
        return super().__call__(**kwargs)

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else "" if self.data is None else format_number(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            number = read_number(str(valuelist[0]))
        except ValueError as error:
            raise ValueError(_l("Enter a whole number, such as 40.")) from error
        if not number.is_integer():
            raise ValueError(_l("Enter a whole number, such as 40."))
        self.data = int(number)
