"""An organisation assessed several times: readiness per area at each assessment, and what changed
from one scored assessment to the next.

Read from the stored summaries (`services/summaries.py`) in the same few statements however many
assessments there are: the assessments with their summaries, their respondents, their area readiness
and the leads' answers. Only scored assessments are compared: a half-answered one, compared answer by
answer, would count every question not reached yet as a change.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assessment.engine.question_types import Answer
from assessment.engine.questionnaire import AREAS, Definitions, Question
from assessment.services import summaries
from assessment.services.answers import AreaAnswers, answers_of
from assessment.services.assessments import lead_of
from assessment.services.definitions import pinned
from assessment.storage.models import AreaReadiness, Assessment, AssessmentSummary, Organisation

Value = TypeVar("Value")


@dataclass(frozen=True)
class Point:
    """One assessment of the organisation as its history shows it."""

    assessment: Assessment
    summary: AssessmentSummary
    readiness: dict[str, float]
    """Readiness by area and `overall`; empty until the assessment is scored."""

    @property
    def scored(self) -> bool:
        return bool(self.readiness)


@dataclass(frozen=True)
class Shift(Generic[Value]):
    """A figure at the earlier assessment and at the later one; None where it has none."""

    before: Value | None
    after: Value | None


@dataclass(frozen=True)
class Given:
    """An answer with its question as the definitions of its own assessment word it."""

    question: Question
    answer: Answer


@dataclass(frozen=True)
class AnswerChange:
    """A question the lead answered differently; a side is None where the lead left it unanswered."""

    area: str
    question: Question
    """As the later assessment words it, where it still asks it."""
    before: Given | None
    after: Given | None


@dataclass(frozen=True)
class Change:
    """From one scored assessment to the next. Readiness and failure probability are compared in
    whole points and whole percents, as every page shows them, so the figures and the change agree."""

    before: Point
    after: Point
    readiness: dict[str, Shift[int]]
    """By area scored in both, in the walk-through's order, then `overall`."""
    failure: Shift[int]
    """Failure probability in percent."""
    recommendation: Shift[str]
    decision: Shift[str]
    qualification: Shift[str]
    answers: list[AnswerChange]


@dataclass(frozen=True)
class History:
    points: list[Point]
    """Every assessment of the organisation, oldest first."""
    areas: list[str]
    """The areas any assessment is scored in, in the walk-through's order, then `overall`."""
    changes: list[Change]
    """Between each scored assessment and the scored one before it."""

    @property
    def scored(self) -> list[Point]:
        return [p for p in self.points if p.scored]


def history(session: Session, organisation: Organisation) -> History:
    """The organisation's assessments oldest first, with their summaries, readiness and changes."""
    summaries.ensure(session, organisation.workspace_id)
    rows = session.execute(
        select(Assessment, AssessmentSummary)
        .join(AssessmentSummary, AssessmentSummary.assessment_id == Assessment.id)
        .where(Assessment.organisation_id == organisation.id)
        .order_by(Assessment.created_at, Assessment.id)
        .options(selectinload(Assessment.respondents))
    ).all()
    readiness: dict[uuid.UUID, dict[str, float]] = defaultdict(dict)
    for assessment_id, area, value in session.execute(
        select(AreaReadiness.assessment_id, AreaReadiness.area, AreaReadiness.readiness).where(
            AreaReadiness.assessment_id.in_([a.id for a, _s in rows])
        )
    ):
        readiness[assessment_id][area] = value
    points = [Point(a, s, readiness[a.id]) for a, s in rows]
    scored = [p for p in points if p.scored]
    found = {area for p in scored for area in p.readiness}
    areas = [a for a in AREAS if a in found] + ([AreaReadiness.OVERALL] if scored else [])
    answers = answers_of(session, [lead_of(p.assessment).id for p in scored])
    changes = [_change(session, before, after, areas, answers) for before, after in pairwise(scored)]
    return History(points, areas, changes)


def _change(
    session: Session, before: Point, after: Point, areas: list[str], answers: dict[uuid.UUID, dict[str, AreaAnswers]]
) -> Change:
    def percent(point: Point) -> int | None:
        p = point.summary.failure_probability
        return None if p is None else round(100 * p)

    def stored(name: str) -> Shift[str]:
        return Shift(getattr(before.summary, name), getattr(after.summary, name))

    return Change(
        before,
        after,
        readiness={
            area: Shift(round(before.readiness[area]), round(after.readiness[area]))
            for area in areas
            if area in before.readiness and area in after.readiness
        },
        failure=Shift(percent(before), percent(after)),
        recommendation=stored("recommendation"),
        decision=stored("decision"),
        qualification=stored("qualification"),
        answers=_answer_changes(
            (pinned(session, before.assessment.definitions_digest), answers[lead_of(before.assessment).id]),
            (pinned(session, after.assessment.definitions_digest), answers[lead_of(after.assessment).id]),
        ),
    )


def _answer_changes(
    before: tuple[Definitions, dict[str, AreaAnswers]], after: tuple[Definitions, dict[str, AreaAnswers]]
) -> list[AnswerChange]:
    """The lead's answers that differ, in the later questionnaires' order (then any they no longer ask)."""
    (old_definitions, old_answers), (new_definitions, new_answers) = before, after
    old, new = _questions(old_definitions), _questions(new_definitions)
    changes = []
    for key in dict.fromkeys([*new, *old]):
        area, question_id = key
        was = old_answers.get(area, {}).get(question_id) if key in old else None
        now = new_answers.get(area, {}).get(question_id) if key in new else None
        if was != now:
            changes.append(
                AnswerChange(
                    area,
                    new.get(key) or old[key],
                    Given(old[key], was) if was is not None else None,
                    Given(new[key], now) if now is not None else None,
                )
            )
    return changes


def _questions(definitions: Definitions) -> dict[tuple[str, str], Question]:
    """Every question by area and id, in the walk-through's order."""
    return {(q.id, question.id): question for q in definitions.questionnaires for question in q.questions}
