"""The walk-through: one area per page, saved on every submit, autosaved with JavaScript.

Mounted twice (see the factory): under the assessment for its lead, and under an
invitation token for a respondent, who sees only the questions addressed to their role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from assessment.engine.question_types import Answer
from assessment.engine.questionnaire import Questionnaire
from assessment.storage.models import MemberRole
from assessment.web.i18n import format_number, format_share
from assessment.web.labels import ROLES
from assessment.web.limits import LINKS, limiter
from assessment.web.survey.posted import error_messages
from assessment.web.survey.questions import display_answer, question_views
from assessment.web.survey.sitting import Sitting, resolve

bp = Blueprint("survey", __name__)
READ_ONLY = {"survey.start", "survey.summary"}
"""Lead pages a steering viewer may read; every other lead page changes answers."""
# Checked before the link is looked up; only failed look-ups count, so answering fast is never slowed.
limiter.limit(LINKS, deduct_when=lambda response: response.status_code == 404)(bp)


@bp.url_value_preprocessor
def _take_sitting_key(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    values = values if values is not None else {}
    g.sitting_key = (values.pop("assessment_id", None), values.pop("token", None))


@bp.before_request
def _resolve_sitting() -> None:
    """After the rate limiter has seen the request, so guessed links count against it."""
    assessment_id, token = g.pop("sitting_key")
    needed = MemberRole.VIEWER if request.endpoint in READ_ONLY else MemberRole.ANALYST
    g.sitting = resolve(assessment_id, token, needed)


@bp.url_defaults
def _sitting_in_urls(endpoint: str, values: dict[str, Any]) -> None:
    sitting: Sitting | None = g.get("sitting")
    if sitting is None or "assessment_id" in values or "token" in values:
        return
    if endpoint.startswith("respond."):
        values["token"] = sitting.respondent.token
    else:
        values["assessment_id"] = sitting.assessment.id


@bp.get("/")
def start() -> str:
    by_area, overall = g.sitting.progress()
    unfinished = [area for area, p in by_area.items() if p.missing]
    resume = unfinished[0] if unfinished else next(iter(by_area), None)
    return render_template(
        "survey/start.html", sitting=g.sitting, progress=by_area, overall=overall, resume=resume, role_labels=ROLES
    )


@bp.get("/<area>")
def area(area: str) -> str:
    questionnaire = g.sitting.area(area)
    stored = g.sitting.answers.get(area, {})
    return _area_page(questionnaire, stored, stored)


@bp.post("/<area>")
def save(area: str) -> Response | tuple[str, int]:
    sitting: Sitting = g.sitting
    before = sitting.answers.get(area, {})
    submission = sitting.submit(area, request.form)
    if submission.errors:
        errors = error_messages(submission.errors)
        page = _area_page(sitting.area(area), before, submission.answers, submission.inputs, errors)
        return page, 422
    opened = sitting.opened(area, before)
    if opened:
        flash(
            ngettext(
                "Your answers opened %(num)d more question on this page.",
                "Your answers opened %(num)d more questions on this page.",
                len(opened),
            ),
            "info",
        )
        return redirect(url_for(".area", area=area, _anchor=f"q-{opened[0].id}"))
    flash(_("Your answers are saved."), "success")
    return redirect(_after_save(area, request.form.get("go")))


@bp.post("/<area>/autosave")
def autosave(area: str) -> tuple[Response, int]:
    """Save the questions the script sends; answer with errors and fresh progress as JSON."""
    sitting: Sitting = g.sitting
    submission = sitting.submit(area, request.form)
    by_area, overall = sitting.progress()
    body = {
        "saved": not submission.errors,
        "errors": error_messages(submission.errors),
        "values": {} if submission.errors else {q.id: submission.answers.get(q.id) for q in submission.questions},
        "progress": {
            key: {
                "answered": len(p.answered),
                "total": p.total,
                "shown": [format_number(len(p.answered)), format_number(p.total), format_share(p.percent)],
            }
            for key, p in (by_area | {"overall": overall}).items()
        },
    }
    return jsonify(body), (422 if submission.errors else 200)


@bp.get("/summary")
def summary() -> str:
    sitting: Sitting = g.sitting
    by_area, overall = sitting.progress()
    return render_template(
        "survey/summary.html", sitting=sitting, progress=by_area, overall=overall, display=display_answer
    )


def _area_page(
    questionnaire: Questionnaire,
    stored: Mapping[str, Answer],
    shown_answers: Mapping[str, Answer],
    inputs: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> str:
    sitting: Sitting = g.sitting
    areas = [q.id for q in sitting.areas]
    position = areas.index(questionnaire.id)
    by_area, overall = sitting.progress()
    return render_template(
        "survey/area.html",
        sitting=sitting,
        questionnaire=questionnaire,
        questions=question_views(
            questionnaire, questionnaire.for_role(sitting.role), stored, shown_answers, inputs, errors
        ),
        errors=errors or {},
        progress=by_area,
        overall=overall,
        previous_area=areas[position - 1] if position else None,
        next_area=areas[position + 1] if position + 1 < len(areas) else None,
    )


def _after_save(area: str, go: str | None) -> str:
    areas = [q.id for q in g.sitting.areas]
    position = areas.index(area)
    if go == "next":
        return url_for(".area", area=areas[position + 1]) if position + 1 < len(areas) else url_for(".summary")
    if go == "previous" and position:
        return url_for(".area", area=areas[position - 1])
    return url_for(".area", area=area)
