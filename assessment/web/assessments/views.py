"""Assessments: the workspace's list, creating one, and its overview with respondents."""

from __future__ import annotations

import uuid
from dataclasses import fields
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessment.engine.questionnaire import Role
from assessment.services import accounts
from assessment.services import answers as answering
from assessment.services import assessments as service
from assessment.services.definitions import current, pinned
from assessment.storage.database import session
from assessment.storage.models import Assessment, MemberRole, Organisation, Respondent
from assessment.web import pages
from assessment.web.access import assessment_for, current_actor, organisation_for, require_workspace
from assessment.web.assessments.forms import AssessmentForm, InviteForm, NewAssessmentForm
from assessment.web.i18n import format_number
from assessment.web.labels import BUSINESS_TYPES, DEPLOYMENTS, ROLES

bp = Blueprint("assessments", __name__)


@bp.get("/")
def index() -> str | Response:
    if not accounts.has_users(session()):
        return redirect(url_for("auth.setup"))
    workspace = require_workspace(MemberRole.VIEWER).workspace
    page = service.list_assessments(session(), workspace.id, pages.window())
    return render_template("assessments/index.html", assessments=pages.navigation(page))


@bp.route("/assessments/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    """A new organisation with its first assessment."""
    workspace = require_workspace(MemberRole.ANALYST).workspace
    form = NewAssessmentForm()
    if not form.validate_on_submit():
        return render_template("assessments/new.html", form=form), (422 if form.is_submitted() else 200)
    organisation = service.create_organisation(session(), workspace, _details(service.OrganisationDetails, form))
    return _created(organisation, form)


@bp.route("/organisations/<uuid:organisation_id>/assessments/new", methods=["GET", "POST"])
def new_for(organisation_id: uuid.UUID) -> str | Response | tuple[str, int]:
    """Another assessment of a known organisation, e.g. a re-assessment before kick-off."""
    organisation = organisation_for(organisation_id, MemberRole.ANALYST)
    form = AssessmentForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("assessments/new.html", form=form, organisation=organisation), status
    return _created(organisation, form)


@bp.get("/assessments/<uuid:assessment_id>")
def show(assessment_id: uuid.UUID) -> str:
    return _overview(assessment_for(assessment_id, MemberRole.VIEWER), InviteForm())


@bp.post("/assessments/<uuid:assessment_id>/respondents")
def invite(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    form = InviteForm()
    if not form.validate_on_submit():
        return _overview(assessment, form), 422
    respondent = service.invite(
        session(), assessment, form.name.data, form.email.data, Role(form.role.data), current_actor()
    )
    flash(_("%(name)s is invited. Send them their private link below.", name=respondent.name), "success")
    return redirect(url_for(".show", assessment_id=assessment.id, _anchor=f"r-{respondent.id}"))


@bp.post("/assessments/<uuid:assessment_id>/respondents/<uuid:respondent_id>/revoke")
def revoke(assessment_id: uuid.UUID, respondent_id: uuid.UUID) -> Response:
    assessment, respondent = _respondent(assessment_id, respondent_id)
    service.revoke(session(), respondent, current_actor())
    flash(_("The link of %(name)s is withdrawn; their answers are kept.", name=respondent.name), "success")
    return redirect(url_for(".show", assessment_id=assessment.id, _anchor=f"r-{respondent.id}"))


@bp.post("/assessments/<uuid:assessment_id>/respondents/<uuid:respondent_id>/extend")
def extend(assessment_id: uuid.UUID, respondent_id: uuid.UUID) -> Response:
    assessment, respondent = _respondent(assessment_id, respondent_id)
    service.extend(session(), respondent, current_actor())
    flash(
        _(
            "The link of %(name)s is open for another %(days)s days.",
            name=respondent.name,
            days=format_number(service.LINK_DAYS),
        ),
        "success",
    )
    return redirect(url_for(".show", assessment_id=assessment.id, _anchor=f"r-{respondent.id}"))


Details = TypeVar("Details", service.OrganisationDetails, service.AssessmentDetails)


def _details(kind: type[Details], form: AssessmentForm) -> Details:
    """The service's details, read from the form fields of the same names."""
    return kind(**{f.name: form[f.name].data for f in fields(kind)})


def _created(organisation: Organisation, form: AssessmentForm) -> Response:
    details = _details(service.AssessmentDetails, form)
    assessment = service.create_assessment(session(), current(), organisation, details)
    flash(_("Assessment created. Start with the first area, or invite colleagues first."), "success")
    return redirect(url_for(".show", assessment_id=assessment.id))


def _respondent(assessment_id: uuid.UUID, respondent_id: uuid.UUID) -> tuple[Assessment, Respondent]:
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    respondent = service.find_respondent(session(), assessment, respondent_id)
    if respondent is None or respondent.is_lead:
        abort(404)
    return assessment, respondent


def _overview(assessment: Assessment, form: InviteForm) -> str:
    """Who has answered what: every respondent's progress per area."""
    db = session()
    definitions = pinned(db, assessment.definitions_digest)
    progress = answering.progress_of(db, definitions, list(assessment.respondents))
    rows = [(r, *progress[r], service.link_is_open(r)) for r in assessment.respondents]
    return render_template(
        "assessments/show.html",
        assessment=assessment,
        definitions=definitions,
        rows=rows,
        form=form,
        roles=ROLES,
        business_types=BUSINESS_TYPES,
        deployments=DEPLOYMENTS,
    )
