"""The quick scan's forms: the prospect's details and consent, and the owner's settings."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, HiddenField, SelectField, StringField, TextAreaField
from wtforms.form import BaseForm
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation, ValidationError

from assessment.services.quick_scan import PRIVACY_TEXT_MAX
from assessment.web import messages
from assessment.web.assessments.forms import AssessmentForm
from assessment.web.auth.forms import EMAIL
from assessment.web.fields import TextField, clean_text
from assessment.web.labels import BUSINESS_TYPES, choices

_MARKUP = re.compile(r"[<>]")
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: typed by no keyboard, they reorder how a name reads to the vendor."""


def _no_markup(_form: BaseForm, field: Field) -> None:
    if field.data and _MARKUP.search(field.data):
        raise StopValidation(_l("Enter the name without < or >: markup is not accepted."))


def _no_direction_controls(_form: BaseForm, field: Field) -> None:
    if any(_DIRECTION_CONTROLS.search(raw) for raw in field.raw_data or () if isinstance(raw, str)):
        raise StopValidation(_l("Remove the invisible direction characters from the name; they can disguise it."))


def _name(label: Any, longest: int) -> TextField:
    """A name a stranger types: cleaned like every name, and refused with markup or direction controls."""
    return TextField(
        label,
        validators=[_no_direction_controls, DataRequired(messages.REQUIRED), Length(max=longest), _no_markup],
    )


def _latin_digits(value: str | None) -> str | None:
    """A phone number typed with Persian or Arabic-Indic digits, in the digits every dialler reads."""
    if value is None:
        return None
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value).strip()


class ScanForm(FlaskForm):
    """Who the prospect is, and their consent. No session CSRF: the page may be shown in another site's
    frame, where the browser sends no session cookie; a signed form token (`form_token.py`) stands in."""

    class Meta:
        csrf = False

    organisation_name = _name(_l("Company name"), 200)
    industry = _name(_l("Industry"), 120)
    business_type = SelectField(_l("Business type"), choices=choices(BUSINESS_TYPES))
    contact_name = _name(_l("Your name"), 120)
    email = EmailField(_l("E-mail"), validators=EMAIL, filters=(lambda value: value.strip() if value else value,))
    phone = StringField(
        _l("Phone (optional)"),
        filters=(clean_text, _latin_digits),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^\+?[0-9 ()./-]+$", message=_l("Enter a phone number with digits, and + ( ) - only.")),
        ],
    )
    consent = BooleanField(
        _l("I agree to the privacy text above."),
        validators=[DataRequired(_l("Tick the box to agree to the privacy text; without it nothing can be sent."))],
    )
    website = StringField(_l("Leave this field empty"))
    """The honeypot: hidden from people, filled in by programs that fill in every field."""
    form_token = HiddenField()


def _paragraphs(value: str | None) -> str | None:
    """A text of several paragraphs, each line cleaned like a name; blank lines kept between paragraphs."""
    if value is None:
        return None
    lines = [clean_text(line) or "" for line in value.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class SettingsForm(FlaskForm):
    open = BooleanField(_l("Open: anyone with the link can send a quick scan"))
    privacy_text = TextAreaField(
        _l("Privacy text"),
        description=_l(
            "Shown in full above the consent box: who receives the answers and contact details, what for, "
            "how long they are kept and how to have them deleted. Required to open the quick scan."
        ),
        filters=(_paragraphs,),
        validators=[Length(max=PRIVACY_TEXT_MAX)],
    )
    embedding = BooleanField(_l("Other sites may show the quick scan in a frame"))

    def validate_privacy_text(self, field: TextAreaField) -> None:
        if self.open.data and not field.data:
            raise ValidationError(_l("Write the privacy text that prospects agree to before opening the quick scan."))


class NewLinkForm(FlaskForm):
    """A fresh link: nothing but the CSRF token."""


class ConvertForm(AssessmentForm):
    """The planned project, which the prospect was not asked: what a full assessment needs."""

    lead_name = None
