"""The workspace: members and their roles, the audit trail, API tokens, name and logo."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessment.services import accounts, audit
from assessment.services.answers import restore_answer
from assessment.storage.database import session
from assessment.storage.models import ApiToken, AuditEntry, MemberRole, Membership
from assessment.web import pages
from assessment.web.access import (
    current_actor,
    member_required,
    membership_in,
    require_workspace,
    workspace_record,
)
from assessment.web.labels import MEMBER_ROLES
from assessment.web.workspace.entry_text import describe
from assessment.web.workspace.forms import MemberInviteForm, MoneyForm, RoleForm, TokenForm
from assessment.web.workspace.logo import LogoForm, read_logo
from assessment.web.workspace.trail import KINDS, TrailFilterForm, kept

bp = Blueprint("workspace", __name__, url_prefix="/workspace")


@bp.get("/members")
@member_required(MemberRole.OWNER)
def members() -> str:
    return _members_page(MemberInviteForm())


@bp.post("/members")
@member_required(MemberRole.OWNER)
def invite() -> str | Response | tuple[str, int]:
    form = MemberInviteForm()
    if not form.validate_on_submit():
        return _members_page(form), 422
    workspace = require_workspace(MemberRole.OWNER).workspace
    token = accounts.invite_member(session(), workspace, form.email.data, MemberRole(form.role.data), current_actor())
    link = url_for("auth.join", token=token, _external=True)
    flash(
        _("Send this one-time link to %(email)s; it works for 7 days: %(link)s", email=form.email.data, link=link),
        "success",
    )
    return redirect(url_for(".members"))


@bp.post("/members/<uuid:user_id>/role")
@member_required(MemberRole.OWNER)
def change_role(user_id: uuid.UUID) -> Response:
    member, form = _member(user_id), RoleForm()
    if form.validate_on_submit():
        _try(lambda: accounts.change_role(session(), member, MemberRole(form.role.data), current_actor()))
    return redirect(url_for(".members"))


@bp.post("/members/<uuid:user_id>/remove")
@member_required(MemberRole.OWNER)
def remove(user_id: uuid.UUID) -> Response:
    member = _member(user_id)
    _try(lambda: accounts.remove_member(session(), member, current_actor()))
    return redirect(url_for(".members"))


@bp.get("/audit")
@member_required(MemberRole.OWNER)
def trail() -> tuple[str, int]:
    """The trail a page at a time, narrowed by who, organisation and kind, so any answer change can be restored."""
    workspace = require_workspace(MemberRole.OWNER).workspace
    form = TrailFilterForm(request.args)
    valid = form.validate()
    page = audit.trail(session(), workspace.id, form.narrowed() if valid else audit.EVERYTHING, pages.window())
    return render_template(
        "workspace/audit.html",
        form=form,
        entries=pages.navigation(page),
        organisations=audit.organisation_names(session(), page.items),
        described={entry.id: describe(entry, current_app.extensions["definitions"]) for entry in page.items},
        kinds=KINDS,
        kept=kept(request.args),
    ), (200 if valid else 422)


@bp.post("/audit/<uuid:entry_id>/restore")
@member_required(MemberRole.OWNER)
def restore(entry_id: uuid.UUID) -> Response:
    """Put an answer back to the value it had before the change this entry records; back to the same page."""
    entry = workspace_record(AuditEntry, entry_id, MemberRole.OWNER)
    if not restore_answer(session(), entry, current_actor()):
        abort(404)
    flash(_("The answer to %(question)s is restored.", question=entry.subject), "success")
    return redirect(url_for(".trail", **kept(request.form)))


@bp.get("/tokens")
@member_required(MemberRole.OWNER)
def tokens() -> str:
    return _tokens_page(TokenForm())


@bp.post("/tokens")
@member_required(MemberRole.OWNER)
def create_token() -> str | tuple[str, int]:
    form = TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form), 422
    workspace = require_workspace(MemberRole.OWNER).workspace
    secret = accounts.create_api_token(
        session(), workspace, form.name.data, MemberRole(form.role.data), current_actor()
    )
    return _tokens_page(TokenForm(formdata=None), secret=secret)


@bp.post("/tokens/<uuid:token_id>/revoke")
@member_required(MemberRole.OWNER)
def revoke_token(token_id: uuid.UUID) -> Response:
    token = workspace_record(ApiToken, token_id, MemberRole.OWNER)
    accounts.revoke_api_token(session(), token, current_actor())
    flash(_("The token %(name)s is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for(".tokens"))


@bp.route("/settings", methods=["GET", "POST"])
@member_required(MemberRole.OWNER)
def settings() -> str | Response | tuple[str, int]:
    workspace = require_workspace(MemberRole.OWNER).workspace
    form = LogoForm()
    money = MoneyForm(rial="toman" if workspace.rial_in_toman else "rial")
    if form.validate_on_submit():
        logo = read_logo(form)
        if logo is not None:
            accounts.set_logo(session(), workspace, logo.data, logo.kind, current_actor())
            flash(_("The logo is saved."), "success")
            return redirect(url_for(".settings"))
    return render_template("workspace/settings.html", form=form, money=money, workspace=workspace), (
        422 if form.is_submitted() else 200
    )


@bp.post("/settings/money")
@member_required(MemberRole.OWNER)
def money_display() -> Response:
    workspace = require_workspace(MemberRole.OWNER).workspace
    form = MoneyForm()
    if form.validate_on_submit():
        accounts.set_rial_in_toman(session(), workspace, form.rial.data == "toman", current_actor())
        flash(_("Rial amounts are now shown as chosen."), "success")
    return redirect(url_for(".settings"))


@bp.get("/logo")
@member_required(MemberRole.VIEWER)
def logo() -> Response:
    workspace = require_workspace(MemberRole.VIEWER).workspace
    if workspace.logo is None:
        abort(404)
    response = Response(workspace.logo, mimetype=workspace.logo_type)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.post("/switch/<uuid:workspace_id>")
@member_required(MemberRole.VIEWER)
def switch(workspace_id: uuid.UUID) -> Response:
    membership_in(workspace_id)
    cookie["workspace_id"] = str(workspace_id)
    return redirect(url_for("assessments.index"))


def _member(user_id: uuid.UUID) -> Membership:
    workspace = require_workspace(MemberRole.OWNER).workspace
    member = accounts.membership(session(), workspace.id, user_id)
    if member is None:
        abort(404)
    return member


def _try(action: Callable[[], None]) -> None:
    try:
        action()
    except accounts.AccountError as error:
        flash(_(str(error)), "error")
    else:
        flash(_("Membership updated."), "success")


def _members_page(form: MemberInviteForm) -> str:
    workspace = require_workspace(MemberRole.OWNER).workspace
    return render_template(
        "workspace/members.html",
        members=accounts.members(session(), workspace.id),
        pending=accounts.pending_invitations(session(), workspace.id),
        form=form,
        role_form=RoleForm,
        role_labels=MEMBER_ROLES,
    )


def _tokens_page(form: TokenForm, secret: str | None = None) -> str:
    workspace = require_workspace(MemberRole.OWNER).workspace
    return render_template(
        "workspace/tokens.html", tokens=accounts.api_tokens(session(), workspace.id), form=form, secret=secret
    )
