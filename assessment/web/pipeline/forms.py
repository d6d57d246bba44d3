"""The prospect form: who looks after an organisation, and the deal the vendor expects."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import NumberRange, Optional, Regexp

from assessment.web.fields import WholeNumberField


class ProspectForm(FlaskForm):
    owner = SelectField(_l("Looked after by"), choices=[])
    deal_value = WholeNumberField(
        _l("Expected deal value"),
        description=_l("Leave empty to take the licences in the estimates: per-user costs x users x horizon."),
        validators=[Optional(), NumberRange(min=0, max=10**15, message=_l("Enter a value from 0 up."))],
    )
    deal_currency = StringField(
        _l("Currency"),
        default="USD",
        validators=[Regexp(r"^[A-Z]{3}$", message=_l("Use a three-letter currency code such as USD, EUR or IRR."))],
    )
