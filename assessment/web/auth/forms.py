"""Forms for signing in, joining a workspace, and setting or changing a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from assessment.web import messages
from assessment.web.fields import TextField

EMAIL = [
    DataRequired(messages.REQUIRED),
    Email(_l("Enter an e-mail address such as name@example.com.")),
    Length(max=254),
]
_NEW_PASSWORD = [
    DataRequired(messages.REQUIRED),
    Length(min=10, max=200, message=_l("Use at least 10 characters.")),
]


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=EMAIL)
    password = PasswordField(_l("Password"), validators=[DataRequired(messages.REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=_NEW_PASSWORD)
    confirm = PasswordField(
        _l("Repeat the password"), validators=[EqualTo("password", _l("The two passwords differ."))]
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(messages.REQUIRED), Length(max=200)])


class JoinForm(NewPasswordForm):
    name = TextField(_l("Your name"), validators=[DataRequired(messages.REQUIRED), Length(max=120)])


class SetupForm(JoinForm):
    workspace = TextField(
        _l("Workspace"),
        description=_l("Your company's project office, your consultancy or your CRM business."),
        validators=[DataRequired(messages.REQUIRED), Length(max=200)],
    )
    email = EmailField(_l("E-mail"), validators=EMAIL)


class ForgotForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=EMAIL)
