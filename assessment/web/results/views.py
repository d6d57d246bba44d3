"""Readiness results of an assessment: the page, and the same result as JSON."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from werkzeug.wrappers import Response

from assessment.engine.questionnaire import Definitions
from assessment.engine.readiness import ReadinessResult
from assessment.engine.readiness_json import result_as_json
from assessment.services.benchmarks import benchmark
from assessment.services.scoring import UnknownPresetError, score_assessment
from assessment.storage.database import session
from assessment.storage.models import Assessment, MemberRole
from assessment.web.access import assessment_for
from assessment.web.labels import ADKAR_STEPS, AREAS, FLAG_KINDS, QUADRANTS, ROLES
from assessment.web.survey.questions import display_answer

bp = Blueprint("results", __name__)


def _scored(assessment_id: uuid.UUID) -> tuple[Assessment, ReadinessResult, Definitions]:
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    try:
        result, definitions = score_assessment(session(), assessment, request.args.get("preset"))
    except UnknownPresetError:
        abort(404)
    return assessment, result, definitions


@bp.get("/assessments/<uuid:assessment_id>/results")
def page(assessment_id: uuid.UUID) -> str:
    assessment, result, definitions = _scored(assessment_id)
    return render_template(
        "results/page.html",
        assessment=assessment,
        result=result,
        definitions=definitions,
        policy=definitions.policy,
        area_labels=AREAS,
        flag_labels=FLAG_KINDS,
        role_labels=ROLES,
        quadrants=QUADRANTS,
        adkar_steps=ADKAR_STEPS,
        display=display_answer,
        benchmark=benchmark(session(), assessment.id, current_app.extensions["definitions"].policy.benchmarks),
    )


@bp.get("/assessments/<uuid:assessment_id>/results.json")
def as_json(assessment_id: uuid.UUID) -> Response:
    assessment, result, definitions = _scored(assessment_id)
    return jsonify(results_document(assessment, result, definitions))


def results_document(assessment: Assessment, result: ReadinessResult, definitions: Definitions) -> dict:
    """The JSON of a result, with what it was scored against; the API serves the same."""
    return result_as_json(result) | {
        "assessment": str(assessment.id),
        "definitions_digest": definitions.digest,
        "policy_version": definitions.policy.version,
    }
