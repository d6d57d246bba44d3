"""Assessments: the workspace's list, creating one, and its overview with respondents."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from assessment.engine.progress import Progress
from assessment.engine.questionnaire import Definitions, Role
from assessment.services import accounts, listing, mail, quick_scan
from assessment.services import answers as answering
from assessment.services import assessments as service
from assessment.services.definitions import current, pinned
from assessment.storage.database import session
from assessment.storage.models import Assessment, AssessmentSummary, MemberRole, Organisation, Respondent, as_utc
from assessment.web import pages
from assessment.web.access import assessment_for, current_actor, organisation_for, require_workspace, signed_in_user
from assessment.web.assessments.forms import AssessmentForm, InviteForm, NewAssessmentForm
from assessment.web.i18n import format_number
from assessment.web.invitations import INVITATION, REMINDER, Letter, send_later
from assessment.web.labels import BUSINESS_TYPES, DEPLOYMENTS, ROLES
from assessment.web.qualification_text import QualificationText, qualification_text

bp = Blueprint("assessments", __name__)


@bp.get("/")
def index() -> str | Response:
    if not accounts.has_users(session()):
        return redirect(url_for("auth.setup"))
    workspace = require_workspace(MemberRole.VIEWER).workspace
    sort = request.args.get("sort", "started")
    page = listing.assessment_rows(session(), workspace.id, pages.window(), sort)
    return render_template("assessments/index.html", assessments=pages.navigation(page), sort=sort)


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
        session(),
        assessment,
        form.name.data,
        form.email.data,
        Role(form.role.data),
        current_actor(),
        form.language.data,
    )
    if respondent.email and mail.configured(current_app.config):
        send_later(respondent, _letter(INVITATION, respondent))
        flash(
            _(
                "%(name)s is invited: the invitation is on its way to %(email)s.",
                name=respondent.name,
                email=respondent.email,
            ),
            "success",
        )
    else:
        flash(_("%(name)s is invited. Send them their private link below.", name=respondent.name), "success")
    return redirect(url_for(".show", assessment_id=assessment.id, _anchor=f"r-{respondent.id}"))


@bp.post("/assessments/<uuid:assessment_id>/respondents/<uuid:respondent_id>/email")
def email_again(assessment_id: uuid.UUID, respondent_id: uuid.UUID) -> Response:
    """The invitation once more, after a failure or for someone who lost it."""
    assessment, respondent = _respondent(assessment_id, respondent_id)
    if respondent.email and mail.configured(current_app.config) and service.link_is_open(respondent):
        send_later(respondent, _letter(INVITATION, respondent))
        flash(_("The invitation is on its way to %(email)s again.", email=respondent.email), "success")
    else:
        flash(
            _(
                "No e-mail can be sent to %(name)s: an open link, an address and a mail server are needed.",
                name=respondent.name,
            ),
            "error",
        )
    return redirect(url_for(".show", assessment_id=assessment.id, _anchor=f"r-{respondent.id}"))


@bp.post("/assessments/<uuid:assessment_id>/remind")
def remind(assessment_id: uuid.UUID) -> Response:
    """A reminder to everyone with an address and an open link who has not finished, at most once per
    REMIND_DAYS each (a second press the same day reminds nobody twice)."""
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    reminded = 0
    if mail.configured(current_app.config):
        interval = timedelta(days=current_app.config["REMIND_DAYS"])
        for respondent in service.not_finished(session(), assessment):
            if service.claim_reminder(session(), respondent, interval):
                send_later(respondent, _letter(REMINDER, respondent))
                reminded += 1
    flash(
        ngettext(
            "A reminder is on its way to %(count)s respondent.",
            "Reminders are on their way to %(count)s respondents.",
            reminded,
            count=format_number(reminded),
        )
        if reminded
        else _(
            "Nobody to remind: everyone with an address has finished, was reminded lately, or no mail server is set up."
        ),
        "success" if reminded else "info",
    )
    return redirect(url_for(".show", assessment_id=assessment.id, _anchor="respondents"))


@bp.post("/assessments/<uuid:assessment_id>/respondents/<uuid:respondent_id>/reopen")
def reopen(assessment_id: uuid.UUID, respondent_id: uuid.UUID) -> Response:
    """Ask a respondent who finished for more: they count as not finished again."""
    assessment, respondent = _respondent(assessment_id, respondent_id)
    service.reopen(session(), respondent, current_actor())
    flash(_("%(name)s is asked for more: no longer counted as finished.", name=respondent.name), "success")
    return redirect(url_for(".show", assessment_id=assessment.id, _anchor=f"r-{respondent.id}"))


def _letter(kind: str, respondent: Respondent) -> Letter:
    """What the e-mail says: the private link and who asks."""
    user = signed_in_user()
    return Letter(kind, url_for("respond.start", token=respondent.token, _external=True), user.name if user else "")


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


@dataclass(frozen=True)
class RespondentRow:
    respondent: Respondent
    overall: Progress
    open: bool

    @property
    def status(self) -> str:
        """Where they are: finished, in progress (something answered), opened, or invited only."""
        if self.respondent.finished_at:
            return "finished"
        if self.overall.answered:
            return "in_progress"
        return "opened" if self.respondent.opened_at else "invited"


STATUS_ORDER = ("invited", "opened", "in_progress", "finished")
SORTS: dict[str, Callable[[RespondentRow], Any]] = {
    "name": lambda row: row.respondent.name.casefold(),
    "status": lambda row: STATUS_ORDER.index(row.status),
    "progress": lambda row: row.overall.percent,
    "active": lambda row: as_utc(row.respondent.last_active_at) if row.respondent.last_active_at else NEVER,
}
NEVER = datetime.min.replace(tzinfo=UTC)


def _overview(assessment: Assessment, form: InviteForm) -> str:
    """Who has answered what: every respondent's status and progress, the lead first, sorted as asked."""
    db = session()
    definitions = pinned(db, assessment.definitions_digest)
    progress = answering.progress_of(db, definitions, list(assessment.respondents))
    rows = [RespondentRow(r, progress[r][1], service.link_is_open(r)) for r in assessment.respondents]
    sort = request.args.get("sort", "")
    rows.sort(key=lambda row: (not row.respondent.is_lead, SORTS[sort](row) if sort in SORTS else 0))
    return render_template(
        "assessments/show.html",
        assessment=assessment,
        definitions=definitions,
        rows=rows,
        sort=sort,
        mail_ready=mail.configured(current_app.config),
        form=form,
        roles=ROLES,
        business_types=BUSINESS_TYPES,
        deployments=DEPLOYMENTS,
        qualification=_qualification(assessment, definitions),
        contact=quick_scan.contact_of(db, assessment),
    )


@dataclass(frozen=True)
class _Qualified:
    outcome: str
    text: QualificationText


def _qualification(assessment: Assessment, definitions: Definitions) -> _Qualified | None:
    """The stored qualification in words, or None before it is computed."""
    stored = session().get(AssessmentSummary, assessment.id)
    if stored is None or stored.qualification is None:
        return None
    return _Qualified(stored.qualification, qualification_text(stored.qualification_reasons, definitions))
