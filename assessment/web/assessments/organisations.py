"""Organisations of the workspace (a vendor's prospects, or a company's business units)."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template

from assessment.services import assessments as service
from assessment.services.history import history
from assessment.storage.database import session
from assessment.storage.models import MemberRole
from assessment.web import charts, pages
from assessment.web.access import organisation_for, require_workspace
from assessment.web.labels import BUSINESS_TYPES
from assessment.web.survey.questions import display_answer

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/")
def index() -> str:
    workspace = require_workspace(MemberRole.VIEWER).workspace
    page = service.list_organisations(session(), workspace.id, pages.window())
    return render_template(
        "organisations/index.html", organisations=pages.navigation(page), business_types=BUSINESS_TYPES
    )


@bp.get("/<uuid:organisation_id>")
def show(organisation_id: uuid.UUID) -> str:
    """An organisation, its readiness over time, and its assessments a page at a time."""
    organisation = organisation_for(organisation_id, MemberRole.VIEWER)
    page = service.list_assessments(session(), organisation.workspace_id, pages.window(), organisation.id)
    past = history(session(), organisation)
    series = {area: [p.readiness.get(area) for p in past.scored] for area in past.areas}
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        assessments=pages.navigation(page),
        business_types=BUSINESS_TYPES,
        history=past,
        chart=charts.readiness_chart(series) if past.changes else None,
        display=display_answer,
    )
