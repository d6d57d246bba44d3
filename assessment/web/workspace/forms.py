"""Forms for inviting members, changing their role and creating API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Length

from assessment.web import messages
from assessment.web.auth.forms import EMAIL
from assessment.web.fields import TextField
from assessment.web.labels import MEMBER_ROLES, choices


class MoneyForm(FlaskForm):
    rial = SelectField(
        _l("Iranian rial amounts"),
        choices=choices({"rial": _l("in rials"), "toman": _l("in tomans (one toman is ten rials)")}),
        description=_l("Estimates are entered and kept in rials; this changes only how amounts are shown."),
    )


class MemberInviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=EMAIL)
    role = SelectField(_l("Role"), choices=choices(MEMBER_ROLES), default="analyst")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(MEMBER_ROLES))


class TokenForm(FlaskForm):
    name = TextField(
        _l("Name"),
        description=_l('What uses it, e.g. "our CRM\'s lead scoring".'),
        validators=[DataRequired(messages.REQUIRED), Length(max=120)],
    )
    role = SelectField(_l("Acts as"), choices=choices(MEMBER_ROLES, exclude=("owner",)))
