"""The JSON API for integrations, authenticated by a workspace's API token.

`Authorization: Bearer <token>`; the token acts with its role (viewer reads, analyst also
writes answers), exactly as a member would. No cookies, so no CSRF token either.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, g, jsonify, request
from werkzeug.wrappers import Response

from assessment.engine.question_types import answer_to_data
from assessment.services import accounts
from assessment.services import answers as answering
from assessment.services import assessments as service
from assessment.services.definitions import pinned
from assessment.services.scoring import UnknownPresetError, score_assessment
from assessment.storage.database import session
from assessment.storage.models import Assessment, MemberRole
from assessment.web import pages
from assessment.web.access import assessment_for, csrf, current_actor
from assessment.web.api.openapi import description as openapi_description
from assessment.web.limits import API, limiter
from assessment.web.results.views import results_document
from assessment.web.survey.posted import error_messages

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit(API)(bp)


@bp.before_request
def _authenticate() -> None:
    if request.endpoint == "api.openapi":  # documentation, no data: the one route open without a token
        return
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = accounts.api_token_for(session(), secret.strip()) if scheme.lower() == "bearer" and secret else None
    if token is None:
        response = jsonify(error="a valid API token is required: 'Authorization: Bearer <token>'")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="CRM Gate"'
        abort(response)
    g.api_token = token


@bp.get("/openapi.json")
def openapi() -> Response:
    """The API's OpenAPI 3.1 description (`openapi.yaml`), checked against real responses by the tests."""
    return jsonify(openapi_description())


@bp.get("/assessments")
def assessments() -> Response:
    """A page of the workspace's assessments, newest first (`?page=`, `?per_page=`), with the total and links."""
    page = service.list_assessments(session(), g.api_token.workspace_id, pages.window())
    return jsonify(
        assessments=[_summary(a) for a in page.items],
        page=page.number,
        per_page=page.size,
        pages=page.pages,
        total=page.total,
        links=pages.navigation(page, external=True).links(),
    )


@bp.get("/assessments/<uuid:assessment_id>")
def assessment(assessment_id: uuid.UUID) -> Response:
    found = assessment_for(assessment_id, MemberRole.VIEWER)
    return jsonify(_summary(found) | {"progress": _progress(found)})


@bp.get("/assessments/<uuid:assessment_id>/answers")
def answers(assessment_id: uuid.UUID) -> Response:
    found = assessment_for(assessment_id, MemberRole.VIEWER)
    lead = service.lead_of(found)
    return jsonify(answers=answering.answers_of(session(), [lead.id])[lead.id])


@bp.get("/assessments/<uuid:assessment_id>/results")
def results(assessment_id: uuid.UUID) -> Response:
    """The readiness result, the same document as the results page's JSON view."""
    found = assessment_for(assessment_id, MemberRole.VIEWER)
    try:
        result, definitions = score_assessment(session(), found, request.args.get("preset"))
    except UnknownPresetError:
        abort(404, "no such preset")
    return jsonify(results_document(found, result, definitions))


@bp.patch("/assessments/<uuid:assessment_id>/answers/<area>")
def update_answers(assessment_id: uuid.UUID, area: str) -> tuple[Response, int]:
    """Set the assessment's own answers in one area: `{"answers": {"question_id": value or null}}`.

    Validated exactly as the web form is; nothing is saved unless every answer is valid and every
    id is a question of the area (422 names each one that is not).
    """
    found = assessment_for(assessment_id, MemberRole.ANALYST)
    definitions = pinned(session(), found.definitions_digest)
    questionnaire = next((q for q in definitions.questionnaires if q.id == area), None)
    payload = _payload()
    if questionnaire is None:
        abort(404, f"no area {area!r}")
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        return jsonify(error='send a JSON object: {"answers": {"question_id": value}}'), 400
    submission = answering.submit_answers(
        session(), service.lead_of(found), questionnaire, payload["answers"], {}, current_actor()
    )
    if not submission.accepted:
        refused = sorted(submission.refused)
        return jsonify(error="invalid answers", errors=error_messages(submission), refused=refused), 422
    answers = {key: answer_to_data(value) for key, value in submission.answers.items()}
    return jsonify(saved=sorted(submission.changed), answers=answers), 200


def _payload() -> Any:
    """The request's JSON; None when it is not JSON, or nested deeper than the parser goes."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def _summary(assessment: Assessment) -> dict[str, Any]:
    organisation = assessment.organisation
    return {
        "id": str(assessment.id),
        "organisation": {
            "id": str(organisation.id),
            "name": organisation.name,
            "industry": organisation.industry,
            "business_type": organisation.business_type,
        },
        "crm_product": assessment.crm_product,
        "deployment": assessment.deployment,
        "crm_users": assessment.crm_users,
        "go_live": assessment.go_live.isoformat() if assessment.go_live else None,
        "created_at": assessment.created_at.isoformat(),
        "definitions_digest": assessment.definitions_digest,
    }


def _progress(assessment: Assessment) -> dict[str, Any]:
    lead = service.lead_of(assessment)
    definitions = pinned(session(), assessment.definitions_digest)
    by_area, overall = answering.progress_of(session(), definitions, [lead])[lead]
    return {key: {"answered": len(p.answered), "total": p.total} for key, p in (by_area | {"overall": overall}).items()}
