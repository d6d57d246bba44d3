"""One-line text a person types (names of organisations, people, workspaces, scenarios): cleaned
the same way everywhere, and refused when nothing readable is left."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.form import BaseForm
from wtforms.validators import StopValidation

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
