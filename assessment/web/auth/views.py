"""Signing in and out, the first-run set-up, joining a workspace, and setting a password.

Messages never say whether an e-mail address has an account.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from assessment.services import accounts, mail
from assessment.storage.database import session
from assessment.storage.models import User
from assessment.web.access import SignedIn, session_terms
from assessment.web.auth.forms import ChangePasswordForm, ForgotForm, JoinForm, NewPasswordForm, SetupForm, SignInForm
from assessment.web.labels import MEMBER_ROLES
from assessment.web.limits import LINKS, RESET, SIGN_IN, guessed_link, per_account, per_link
from assessment.web.security import same_site_path

bp = Blueprint("auth", __name__)


def _failed(response: Response) -> bool:
    """A sign-in or password form sent back with its errors."""
    return response.status_code == 422


def _not_refused(response: Response) -> bool:
    """A reset request that was handled, whether or not the address has an account."""
    return response.status_code != 429


def _sign_in(user: User, remember: bool = False) -> Response:
    """Start a fresh session for `user`, nothing of the anonymous one carried over, and go where `next` says
    if that is a page of this site."""
    cookie.clear()
    token = accounts.start_session(session(), user, remember, session_terms())
    login_user(SignedIn(user, token), remember=remember)
    return redirect(same_site_path(request.args.get("next")) or url_for("assessments.index"))


def _signed_in_anew(user: User) -> Response:
    """After a new password, which ended every session of the user: this browser carries on in a new one."""
    response = _sign_in(user)
    flash(_("Your password is changed, and every other session is signed out."), "success")
    return response


def _sign_out() -> None:
    """End this browser's session on the server too, so a copy of its cookies opens nothing."""
    if current_user.is_authenticated:
        accounts.end_session(session(), current_user.get_id())
    logout_user()
    cookie.clear()


@bp.route("/login", methods=["GET", "POST"])
@per_account(SIGN_IN, failed=_failed)
def login() -> str | Response | tuple[str, int]:
    if not accounts.has_users(session()):
        return redirect(url_for(".setup"))
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(session(), form.email.data, form.password.data)
        if user is not None:
            return _sign_in(user, form.remember.data)
        form.password.errors.append(_("That e-mail and password do not match an account."))
    return render_template("auth/login.html", form=form), (422 if form.is_submitted() else 200)


@bp.post("/logout")
def logout() -> Response:
    _sign_out()
    flash(_("You are signed out."), "success")
    return redirect(url_for(".login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
@per_account(SIGN_IN, failed=_failed)
def account() -> str | Response | tuple[str, int]:
    """Change the password (every other session ends), or sign out everywhere."""
    form = ChangePasswordForm()
    user = current_user.user
    if form.validate_on_submit():
        try:
            accounts.change_password(session(), user, form.current.data, form.password.data)
        except accounts.AccountError as error:
            form.current.errors.append(_(str(error)))
        else:
            return _signed_in_anew(user)
    return render_template("auth/account.html", form=form), (422 if form.is_submitted() else 200)


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere() -> Response:
    accounts.end_every_session(session(), current_user.user)
    _sign_out()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for(".login"))


@bp.route("/setup", methods=["GET", "POST"])
@per_account(SIGN_IN, failed=_failed)
def setup() -> str | Response | tuple[str, int]:
    """The first run: create the first workspace and its owner. Closed once anyone has an account."""
    if accounts.has_users(session()):
        abort(404)
    form = SetupForm()
    if not form.validate_on_submit():
        return render_template("auth/setup.html", form=form), (422 if form.is_submitted() else 200)
    _, user = accounts.create_workspace(
        session(), form.workspace.data, form.email.data, form.name.data, form.password.data
    )
    return _sign_in(user)


@bp.route("/join/<token>", methods=["GET", "POST"])
@per_link(LINKS)
def join(token: str) -> str | Response | tuple[str, int]:
    invitation = accounts.open_invitation(session(), token)
    if invitation is None:
        guessed_link()
        return render_template("auth/link_closed.html"), 404
    form = JoinForm()
    existing = accounts.find_user(session(), invitation.email)
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(session(), invitation, form.name.data, form.password.data)
        except accounts.AccountError as error:
            form.password.errors.append(_(str(error)))
        else:
            response = _sign_in(user)
            cookie["workspace_id"] = str(invitation.workspace_id)
            return response
    status = 422 if form.is_submitted() else 200
    return render_template(
        "auth/join.html", form=form, invitation=invitation, existing=existing, role_labels=MEMBER_ROLES
    ), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@per_account(RESET, failed=_not_refused)
def forgot() -> str | Response | tuple[str, int]:
    form = ForgotForm()
    can_mail = mail.configured(current_app.config)
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form, can_mail=can_mail), (422 if form.is_submitted() else 200)
    if can_mail:
        token = accounts.request_password_reset(session(), form.email.data)
        if token is not None:
            link = url_for(".reset", token=token, _external=True)
            mail.send(
                current_app.config,
                form.email.data,
                _("Reset your CRM Gate password"),
                _(
                    "Open this link within two hours to choose a new password:\n\n%(link)s\n\n"
                    "If you did not ask for it, ignore this message.",
                    link=link,
                ),
            )
    flash(
        _("If that address has an account, a reset link is on its way.")
        if can_mail
        else _('No mail server is configured here: ask the administrator to run "flask users reset-link" for you.'),
        "info",
    )
    return redirect(url_for(".login"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@per_link(LINKS)
def reset(token: str) -> str | Response | tuple[str, int]:
    found = accounts.open_reset(session(), token)
    if found is None:
        guessed_link()
        return render_template("auth/link_closed.html"), 404
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/reset.html", form=form), (422 if form.is_submitted() else 200)
    return _signed_in_anew(accounts.reset_password(session(), found, form.password.data))
