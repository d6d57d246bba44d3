"""Assessments: the list, creating one, and its overview with respondents and invitations."""

from __future__ import annotations

import uuid
from dataclasses import fields

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessment.engine.progress import area_progress, overall_progress
from assessment.engine.questionnaire import Role
from assessment.services import assessments as service
from assessment.services.definitions import current, pinned
from assessment.storage.database import session
from assessment.storage.models import Assessment
from assessment.web.labels import BUSINESS_TYPES, DEPLOYMENTS, ROLES
from assessment.web.setup_forms import AssessmentForm, InviteForm

bp = Blueprint("assessments", __name__)


@bp.get("/healthz")
def health() -> str:
    """Liveness for load balancers, and the baseline the page benchmark compares with."""
    return "ok"


@bp.get("/")
def index() -> str:
    return render_template("assessments/index.html", assessments=service.list_assessments(session()))


@bp.route("/assessments/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    form = AssessmentForm()
    if not form.validate_on_submit():
        return render_template("assessments/new.html", form=form), (422 if form.is_submitted() else 200)
    details = service.AssessmentDetails(**{f.name: form[f.name].data for f in fields(service.AssessmentDetails)})
    assessment = service.create_assessment(session(), current(), details)
    flash(_("Assessment created. Start with the first area, or invite colleagues first."), "success")
    return redirect(url_for(".show", assessment_id=assessment.id))


@bp.get("/assessments/<uuid:assessment_id>")
def show(assessment_id: uuid.UUID) -> str:
    assessment = _get(assessment_id)
    return _overview(assessment, InviteForm())


@bp.post("/assessments/<uuid:assessment_id>/respondents")
def invite(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = _get(assessment_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _overview(assessment, form), 422
    respondent = service.invite(session(), assessment, form.name.data, form.email.data, Role(form.role.data))
    flash(_("%(name)s is invited. Send them their private link below.", name=respondent.name), "success")
    return redirect(url_for(".show", assessment_id=assessment.id, _anchor=f"r-{respondent.id}"))


def _get(assessment_id: uuid.UUID) -> Assessment:
    assessment = service.find_assessment(session(), assessment_id)
    if assessment is None:
        abort(404)
    return assessment


def _overview(assessment: Assessment, form: InviteForm) -> str:
    """Who has answered what: every respondent's progress per area."""
    db = session()
    definitions = pinned(db, assessment.definitions_digest)
    answers = service.answers_of(db, [r.id for r in assessment.respondents])
    rows = []
    for respondent in assessment.respondents:
        role = None if respondent.is_lead else Role(respondent.role)
        by_area = {
            q.id: area_progress(q, answers[respondent.id].get(q.id, {}), role) for q in definitions.questionnaires
        }
        rows.append((respondent, by_area, overall_progress(by_area.values())))
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
