"""The quick scan's blueprint, with what members do: the owner's settings (open or close the link,
the privacy text, embedding, a new link) and converting a prospect's scan into a full assessment."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.wrappers import Response

from assessment.services import quick_scan as service
from assessment.storage.database import session
from assessment.storage.models import MemberRole
from assessment.web.access import assessment_for, current_actor, member_required, require_workspace
from assessment.web.quick_scan.forms import ConvertForm, NewLinkForm, SettingsForm

bp = Blueprint("quick_scan", __name__)

FRAME_HEIGHT = 1600
"""Pixels the embedding snippet gives the frame: the whole form without a second scroll bar on a laptop."""


@bp.route("/workspace/quick-scan", methods=["GET", "POST"])
@member_required(MemberRole.OWNER)
def settings() -> str | Response | tuple[str, int]:
    workspace = require_workspace(MemberRole.OWNER).workspace
    form = SettingsForm(data=asdict(service.settings_of(workspace)))
    if form.validate_on_submit():
        chosen = service.ScanSettings(form.open.data, form.privacy_text.data or "", form.embedding.data)
        service.configure(session(), workspace, chosen, current_actor())
        flash(_("The quick scan is open.") if chosen.open else _("The quick scan is closed."), "success")
        return redirect(url_for(".settings"))
    token = workspace.quick_scan_token
    link = url_for("quick_scan.scan", token=token, _external=True) if token else None
    page = render_template(
        "quick_scan/settings.html",
        workspace=workspace,
        form=form,
        new_link_form=NewLinkForm(formdata=None),
        link=link,
        snippet=_snippet(link) if link else None,
    )
    return page, (422 if form.is_submitted() else 200)


def _snippet(link: str) -> str:
    """The HTML a vendor pastes into their own page to show the quick scan in a frame."""
    title = escape(_("CRM readiness quick scan"))
    return f'<iframe src="{escape(link)}" title="{title}" width="100%" height="{FRAME_HEIGHT}" loading="lazy"></iframe>'


@bp.post("/workspace/quick-scan/new-link")
@member_required(MemberRole.OWNER)
def new_link() -> Response:
    """A fresh link; whoever holds the old one now meets a link that is not open."""
    workspace = require_workspace(MemberRole.OWNER).workspace
    if NewLinkForm().validate_on_submit():
        service.new_link(session(), workspace, current_actor())
        flash(_("The quick scan has a new link; the old one no longer works."), "success")
    return redirect(url_for(".settings"))


@bp.route("/assessments/<uuid:assessment_id>/convert", methods=["GET", "POST"])
def convert(assessment_id: uuid.UUID) -> str | Response:
    """A prospect's quick scan becomes a full assessment of the project they plan, keeping every answer."""
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    if assessment.kind != service.QUICK_SCAN:
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    form = ConvertForm(data={"deployment": "cloud"})
    if form.validate_on_submit():
        plan = service.Plan(form.crm_product.data, form.deployment.data, form.crm_users.data, form.go_live.data)
        service.convert(session(), assessment, plan, current_actor())
        flash(
            _("This is a full assessment now: every answer of the quick scan is kept; invite colleagues to answer."),
            "success",
        )
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    return render_template("quick_scan/convert.html", assessment=assessment, form=form)
