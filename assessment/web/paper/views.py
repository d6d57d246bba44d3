"""A questionnaire on paper: the assessment's pinned definitions as they apply to one role, as a PDF.

Answers written on paper are typed in afterwards through the respondent's own questionnaire (their
private link, or the lead's questionnaire), so nothing here saves anything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from babel.lists import format_list
from flask import Blueprint, abort, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessment.engine.question_types import NOT_APPLICABLE
from assessment.engine.questionnaire import (
    AllOf,
    AnswerIn,
    AnyOf,
    Condition,
    Definitions,
    Not,
    NumberBetween,
    Question,
    Questionnaire,
    Role,
)
from assessment.report.pdf import render_pdf
from assessment.services import answers as answering
from assessment.services import assessments
from assessment.services.definitions import pinned
from assessment.storage.database import session
from assessment.storage.models import Assessment, MemberRole
from assessment.web.access import assessment_for
from assessment.web.downloads import content_disposition
from assessment.web.i18n import format_number
from assessment.web.labels import ROLES
from assessment.web.survey.questions import option_label

bp = Blueprint("paper", __name__)

LEAD = "lead"
"""The questionnaire's name in the URL for the assessment's lead, who answers every question."""


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    """Its number in its area, counting every question printed."""
    question: Question
    options: list[tuple[str, str]]
    """Each option's id and label, without "not applicable", which is printed apart."""
    not_applicable: str | None
    """The label of "not applicable" where the question allows it."""
    asked_if: str
    """When to answer a follow-up, in words; empty for a question everyone answers."""


@dataclass(frozen=True)
class PaperArea:
    questionnaire: Questionnaire
    questions: list[PaperQuestion]


@bp.get("/paper/<role>.pdf")
def questionnaire(assessment_id: uuid.UUID, role: str) -> Response:
    """The blank questionnaire of a role, or of the lead ("lead"): every question."""
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    if role != LEAD and role not in ROLES:
        abort(404)
    return _pdf(assessment, None if role == LEAD else Role(role), "", role)


@bp.get("/respondents/<uuid:respondent_id>/paper.pdf")
def respondent_questionnaire(assessment_id: uuid.UUID, respondent_id: uuid.UUID) -> Response:
    """The questionnaire of one respondent's role, with their name written in."""
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    respondent = assessments.find_respondent(session(), assessment, respondent_id)
    if respondent is None:
        abort(404)
    return _pdf(assessment, answering.role_of(respondent), respondent.name, respondent.name)


def _pdf(assessment: Assessment, role: Role | None, name: str, file_name: str) -> Response:
    """Rendered on every request, uncached: printing is rare, and the paper holds no answers that change."""
    html = render_template(
        "paper/questionnaire.html",
        organisation=assessment.organisation.name,
        role_label=_("Lead") if role is None else ROLES[role],
        lead=role is None,
        name=name,
        areas=paper_areas(_definitions(assessment), role),
    )
    response = Response(render_pdf(html, current_app.static_folder or "static"), mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(
        "inline", f"{file_name}-{assessment.organisation.name}", ".pdf", "crm-gate-questionnaire"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _definitions(assessment: Assessment) -> Definitions:
    """The pinned definitions at the project's size, as the walk-through asks them (`sitting.resolve`)."""
    db = session()
    everyone = answering.answers_of(db, [r.id for r in assessment.respondents])
    return answering.sized_for(pinned(db, assessment.definitions_digest), assessment, everyone)


def paper_areas(definitions: Definitions, role: Role | None) -> list[PaperArea]:
    """The areas with questions for `role` (None: every question), each numbered from 1."""
    areas = []
    for area in definitions.questionnaires:
        printed = _printable(area, area.for_role(role))
        if not printed:
            continue
        numbers = {q.id: number for number, q in enumerate(printed, start=1)}
        areas.append(PaperArea(area, [_paper_question(area, q, numbers) for q in printed]))
    return areas


def _printable(area: Questionnaire, asked: tuple[Question, ...]) -> list[Question]:
    """`asked` without the follow-ups that can never apply, as they read only questions not printed
    (asked of larger projects, say), which count as unanswered; dropping one may drop those reading it."""
    printed = list(asked)
    while True:
        ids = dict.fromkeys((q.id for q in printed), 0)
        kept = [q for q in printed if q.show_if is None or _in_words(q.show_if, area, ids) is not False]
        if len(kept) == len(printed):
            return kept
        printed = kept


def _paper_question(area: Questionnaire, question: Question, numbers: dict[str, int]) -> PaperQuestion:
    condition = None if question.show_if is None else _in_words(question.show_if, area, numbers)
    na = NOT_APPLICABLE if question.allow_na else None
    return PaperQuestion(
        number=numbers[question.id],
        question=question,
        options=[(o.id, option_label(question, o.id)) for o in question.options],
        not_applicable=option_label(question, na) if na else None,
        asked_if=_("Answer only if %(condition)s.", condition=condition) if isinstance(condition, str) else "",
    )


def _in_words(condition: Condition, area: Questionnaire, numbers: dict[str, int], negated: bool = False) -> str | bool:
    """A show-if condition as the respondent reads it ("you answered “Yes” to question 3"), or True or
    False when it holds whatever is answered, as a question it reads is not printed (so unanswered)."""
    if isinstance(condition, Not):
        return _in_words(condition.condition, area, numbers, not negated)
    if isinstance(condition, AllOf | AnyOf):
        every = isinstance(condition, AllOf) != negated  # not all of them is any one not, and the reverse
        parts = [_in_words(c, area, numbers, negated) for c in condition.conditions]
        if any(part is (not every) for part in parts):
            return not every
        words = [part for part in parts if isinstance(part, str)]
        return format_list(words, "standard" if every else "or", locale=get_locale()) if words else every
    if not isinstance(condition, AnswerIn | NumberBetween):
        raise TypeError(f"unknown condition {condition!r}")
    if condition.question not in numbers:
        return negated
    number = format_number(numbers[condition.question])
    if isinstance(condition, AnswerIn):
        read = area.question(condition.question)
        picks = [_("“%(answer)s”", answer=option_label(read, o)) for o in read.answer_ids if o in condition.options]
        answers = format_list(picks, "or", locale=get_locale())
        if negated:
            return _("you did not answer %(answers)s to question %(number)s", answers=answers, number=number)
        return _("you answered %(answers)s to question %(number)s", answers=answers, number=number)
    return _between(condition, number, negated)


def _between(condition: NumberBetween, number: str, negated: bool) -> str:
    """A number condition in words; negated, its bounds turned around ("at least 12" becomes "less than 12")."""
    low, high = condition.at_least, condition.at_most
    bounds = {
        "number": number,
        "minimum": "" if low is None else format_number(low),
        "maximum": "" if high is None else format_number(high),
    }
    if low is not None and high is not None:
        if negated:
            return _("your answer to question %(number)s is not between %(minimum)s and %(maximum)s", **bounds)
        return _("your answer to question %(number)s is between %(minimum)s and %(maximum)s", **bounds)
    if low is not None:
        if negated:
            return _("your answer to question %(number)s is less than %(minimum)s", **bounds)
        return _("your answer to question %(number)s is at least %(minimum)s", **bounds)
    if negated:
        return _("your answer to question %(number)s is more than %(maximum)s", **bounds)
    return _("your answer to question %(number)s is at most %(maximum)s", **bounds)
