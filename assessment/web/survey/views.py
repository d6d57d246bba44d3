"""The walk-through: one area per page, saved on every submit, autosaved with JavaScript.

Mounted twice (see the factory): under the assessment for its lead, and under an
invitation token for a respondent, who sees only the questions addressed to their role.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from assessment.engine.answers import Conflict, Submission
from assessment.engine.question_types import Answer, answer_to_data
from assessment.engine.questionnaire import Question, Questionnaire
from assessment.services import assessments
from assessment.storage.database import session
from assessment.storage.models import MemberRole
from assessment.web.i18n import format_number, format_share
from assessment.web.labels import ROLES
from assessment.web.limits import ANSWERING, per_link
from assessment.web.survey.posted import error_messages
from assessment.web.survey.questions import conflict_view, display_answer, question_views
from assessment.web.survey.sitting import Sitting, resolve

bp = Blueprint("survey", __name__)
READ_ONLY = {"survey.start", "survey.summary"}
"""Lead pages a steering viewer may read; every other lead page changes answers."""
# A respondent's link is limited on its own, generously; a link that opens nothing counts against
# the guesser's address instead (`sitting.resolve`), so nobody's guessing slows a respondent down.
per_link(ANSWERING)(bp)


@bp.url_value_preprocessor
def _take_sitting_key(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    values = values if values is not None else {}
    g.sitting_key = (values.pop("assessment_id", None), values.pop("token", None))


@bp.before_request
def _resolve_sitting() -> None:
    """After the rate limiter has seen the request, so a link used too often is refused before it is looked up."""
    assessment_id, token = g.pop("sitting_key")
    needed = MemberRole.VIEWER if request.endpoint in READ_ONLY else MemberRole.ANALYST
    g.sitting = resolve(assessment_id, token, needed)
    if token is not None:  # a respondent's link: when they opened it, and were last active, for the overview
        assessments.seen(session(), g.sitting.respondent)


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
    """Save the page; refused whole (422), or shown again with both answers where another tab saved
    since the page was shown (409), so the respondent chooses which to keep."""
    sitting: Sitting = g.sitting
    before = sitting.answers.get(area, {})
    submission = sitting.submit(area, request.form)
    if not submission.accepted:
        page = _area_page(
            sitting.area(area),
            before,
            submission.answers,
            submission.inputs,
            error_messages(submission),
            submission.conflicts,
        )
        return page, _refusal_status(submission)
    opened = sitting.opened(area, before)
    if opened:
        flash(
            ngettext(
                "Your answers opened %(count)s more question on this page.",
                "Your answers opened %(count)s more questions on this page.",
                len(opened),
                count=format_number(len(opened)),
            ),
            "info",
        )
        return redirect(url_for(".area", area=area, _anchor=f"q-{opened[0].id}"))
    flash(_("Your answers are saved."), "success")
    return redirect(_after_save(area, request.form.get("go")))


@bp.post("/<area>/autosave")
def autosave(area: str) -> tuple[Response, int]:
    """Save the questions the script sends; answer with what happened and fresh progress as JSON.

    Refused (422) for a bad value or an id the page does not ask; a conflict (409) when another
    tab saved the question since the page showed it, with that answer for the page to offer.
    `progress_as_of` says when the progress was read (microseconds): two saves in flight at once
    may answer in either order, and the page keeps the progress read last, which saw both.
    """
    sitting: Sitting = g.sitting
    questionnaire = sitting.area(area)
    submission = sitting.submit(area, request.form)
    read_at = time.time_ns() // 1000
    by_area, overall = sitting.progress()
    questions = {q.id: q for q in questionnaire.questions}
    body: dict[str, Any] = {
        "saved": submission.accepted,
        "errors": error_messages(submission),
        "refused": sorted(submission.refused),
        "conflicts": {
            question_id: _conflict_data(questions[question_id], conflict)
            for question_id, conflict in submission.conflicts.items()
        },
        "values": {q.id: submission.answers.get(q.id) for q in submission.questions} if submission.accepted else {},
        "progress": {
            key: {
                "answered": len(p.answered),
                "total": p.total,
                "shown": [format_number(len(p.answered)), format_number(p.total), format_share(p.percent)],
            }
            for key, p in (by_area | {"overall": overall}).items()
        },
        "progress_as_of": read_at,
    }
    if not submission.accepted:
        body["error"] = _refusal_message(submission)
    return jsonify(body), 200 if submission.accepted else _refusal_status(submission)


def _conflict_data(question: Question, conflict: Conflict) -> dict[str, Any]:
    """A conflict for the page's script: the saved answer (to put in the inputs) and both in words."""
    view = conflict_view(question, conflict)
    return {"saved": answer_to_data(conflict.stored), "saved_text": view.saved, "yours_text": view.yours}


def _refusal_status(submission: Submission) -> int:
    """422 for what cannot be saved as sent; 409 when only a choice between two answers stands in the way."""
    return 422 if submission.errors or submission.refused else 409


def _refusal_message(submission: Submission) -> str:
    """What the page's status line says when nothing was saved."""
    if submission.refused:
        return _(
            "Not saved: the page sent answers to questions it does not ask you (%(ids)s). Reload the page.",
            ids=", ".join(sorted(submission.refused)),
        )
    if submission.errors:
        return _("Not saved: see the message at the question.")
    return _("Not saved: this answer was changed elsewhere since the page was opened. Choose which to keep.")


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
    conflicts: Mapping[str, Conflict] | None = None,
) -> str:
    sitting: Sitting = g.sitting
    areas = [q.id for q in sitting.areas]
    position = areas.index(questionnaire.id)
    by_area, overall = sitting.progress()
    asked = questionnaire.for_role(sitting.role)
    return render_template(
        "survey/area.html",
        sitting=sitting,
        questionnaire=questionnaire,
        questions=question_views(questionnaire, asked, stored, shown_answers, inputs, errors, conflicts),
        errors=errors or {},
        not_on_page=sorted(set(errors or {}) - {q.id for q in asked}),
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
