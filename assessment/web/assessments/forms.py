"""Forms for creating an assessment and inviting respondents."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from assessment.web import messages
from assessment.web.fields import DayField, TextField, WholeNumberField
from assessment.web.labels import BUSINESS_TYPES, DEPLOYMENTS, ROLES, choices


class AssessmentForm(FlaskForm):
    """The planned CRM project being assessed."""

    crm_product = TextField(
        _l("Planned CRM product"),
        description=_l(
            "For example Microsoft Dynamics 365, Salesforce, Zoho, HubSpot, Didar or Pars Vtiger; "
            '"not chosen yet" is a fine answer.'
        ),
        validators=[DataRequired(messages.REQUIRED), Length(max=120)],
    )
    deployment = SelectField(_l("Deployment"), choices=choices(DEPLOYMENTS))
    crm_users = WholeNumberField(
        _l("Number of CRM users"),
        validators=[
            DataRequired(_l("Enter a whole number of users, such as 40.")),
            NumberRange(1, 1_000_000, _l("Enter between 1 and 1,000,000 users.")),
        ],
    )
    go_live = DayField(_l("Planned go-live"), validators=[Optional()])
    lead_name = TextField(
        _l("Your name"),
        description=_l("You answer every question; invite colleagues to answer the ones addressed to their role."),
        validators=[DataRequired(messages.REQUIRED), Length(max=120)],
    )


class NewAssessmentForm(AssessmentForm):
    """An assessment of an organisation not yet in the workspace."""

    organisation_name = TextField(_l("Organisation"), validators=[DataRequired(messages.REQUIRED), Length(max=200)])
    industry = TextField(_l("Industry"), validators=[DataRequired(messages.REQUIRED), Length(max=120)])
    business_type = SelectField(_l("Business type"), choices=choices(BUSINESS_TYPES))


class InviteForm(FlaskForm):
    name = TextField(_l("Name"), validators=[DataRequired(messages.REQUIRED), Length(max=120)])
    email = EmailField(
        _l("E-mail (optional)"),
        validators=[Optional(), Email(_l("Enter an e-mail address such as name@example.com.")), Length(max=254)],
    )
    role = SelectField(_l("Role"), choices=choices(ROLES))
    language = SelectField(_l("Language of the e-mails"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The languages the app offers, each named in itself; the inviter's own first."""
        super().__init__(*args, **kwargs)
        offered = current_app.config["LANGUAGES"]
        self.language.choices = [(code, Locale.parse(code).get_display_name(code).capitalize()) for code in offered]
        if not self.language.data or self.language.data not in offered:
            self.language.data = str(get_locale() or offered[0])
