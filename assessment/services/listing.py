"""The workspace's assessments as a project manager scans them: answers and respondents, readiness,
the recommendation and the committee's decision, and when each last moved.

A page of rows costs the same few queries whatever its length: respondents, answers, scenarios,
waivers and decisions are each read once for the whole page.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, contains_eager

from assessment.engine.appraisal import recommendation
from assessment.engine.estimates_data import EstimatesError
from assessment.engine.gate import Outcome
from assessment.engine.progress import Progress, respondent_progress
from assessment.engine.readiness import RespondentAnswers, score, sized
from assessment.engine.size import profile_of
from assessment.services.answers import answers_of, project_of, role_of
from assessment.services.definitions import pinned
from assessment.services.economics import estimates_of
from assessment.services.paging import FIRST_PAGE, Page, Window, page_of
from assessment.storage.models import (
    Answer,
    Assessment,
    DecisionRecord,
    Organisation,
    Respondent,
    Scenario,
    Waiver,
)


@dataclass(frozen=True)
class AssessmentRow:
    assessment: Assessment
    answered: int
    addressed: int
    """Answers given and questions asked, over the lead and every respondent."""
    finished: int
    invited: int
    readiness: float | None
    recommendation: Outcome | None
    """The gate's outcome on the first scenario; None without usable estimates."""
    decision: str | None
    """The committee's latest recorded outcome."""
    last_activity: datetime

    @property
    def percent(self) -> int:
        return int(100 * self.answered / self.addressed) if self.addressed else 0


def _last_answer() -> Any:
    return (
        select(func.max(Answer.updated_at))
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Respondent.assessment_id == Assessment.id)
        .scalar_subquery()
    )


SORTS: dict[str, Callable[[], Sequence[ColumnElement[Any]]]] = {
    "started": lambda: (Assessment.created_at.desc(), Assessment.id.desc()),
    "organisation": lambda: (func.lower(Organisation.name), Assessment.created_at.desc(), Assessment.id),
    "activity": lambda: (func.coalesce(_last_answer(), Assessment.created_at).desc(), Assessment.id.desc()),
}
"""How the list may be ordered, in the database so that paging holds: newest first by default."""


def assessment_rows(
    session: Session, workspace_id: uuid.UUID, window: Window = FIRST_PAGE, sort: str = "started"
) -> Page[AssessmentRow]:
    query = (
        select(Assessment)
        .join(Assessment.organisation)
        .where(Organisation.workspace_id == workspace_id)
        .options(contains_eager(Assessment.organisation))
        .order_by(*SORTS.get(sort, SORTS["started"])())
    )
    page = page_of(session, query, window)
    return Page(_rows(session, page.items), page.number, page.size, page.total)


def _rows(session: Session, found: Sequence[Assessment]) -> list[AssessmentRow]:
    ids = [a.id for a in found]
    if not ids:
        return []
    people: dict[uuid.UUID, list[Respondent]] = defaultdict(list)
    for respondent in session.scalars(
        select(Respondent).where(Respondent.assessment_id.in_(ids)).order_by(Respondent.created_at)
    ):
        people[respondent.assessment_id].append(respondent)
    answers = answers_of(session, [r.id for group in people.values() for r in group])
    last_answers = dict(
        session.execute(
            select(Respondent.assessment_id, func.max(Answer.updated_at))
            .join(Answer, Answer.respondent_id == Respondent.id)
            .where(Respondent.assessment_id.in_(ids))
            .group_by(Respondent.assessment_id)
        ).all()
    )
    first_scenarios: dict[uuid.UUID, Scenario] = {}
    for scenario in session.scalars(
        select(Scenario).where(Scenario.assessment_id.in_(ids)).order_by(Scenario.created_at, Scenario.id)
    ):
        first_scenarios.setdefault(scenario.assessment_id, scenario)
    waived: dict[uuid.UUID, dict[str, str]] = defaultdict(dict)
    for waiver in session.scalars(select(Waiver).where(Waiver.assessment_id.in_(ids))):
        waived[waiver.assessment_id][waiver.knock_out] = f"{waiver.decided_by}: {waiver.reason}"
    decisions: dict[uuid.UUID, str] = {}
    for record in session.scalars(
        select(DecisionRecord)
        .where(DecisionRecord.assessment_id.in_(ids))
        .order_by(DecisionRecord.decided_on, DecisionRecord.recorded_at)
    ):
        decisions[record.assessment_id] = record.outcome
    return [
        _row(
            session,
            a,
            people[a.id],
            answers,
            first_scenarios.get(a.id),
            waived[a.id],
            decisions.get(a.id),
            last_answers,
        )
        for a in found
    ]


def _row(
    session: Session,
    assessment: Assessment,
    respondents: list[Respondent],
    answers: dict[uuid.UUID, Any],
    scenario: Scenario | None,
    waivers: dict[str, str],
    decision: str | None,
    last_answers: dict[uuid.UUID, datetime],
) -> AssessmentRow:
    definitions = pinned(session, assessment.definitions_digest)
    everyone = [RespondentAnswers(r.name, role_of(r), answers[r.id]) for r in respondents]
    asked = sized(definitions, everyone, project_of(assessment))
    progress: list[Progress] = [
        respondent_progress(asked.questionnaires, answers[r.id], role_of(r))[1] for r in respondents
    ]
    invited = [r for r in respondents if not r.is_lead]
    readiness = score(definitions, everyone, waived=waivers, project=project_of(assessment)).readiness
    return AssessmentRow(
        assessment=assessment,
        answered=sum(len(p.answered) for p in progress),
        addressed=sum(p.total for p in progress),
        finished=sum(1 for r in invited if r.finished_at),
        invited=len(invited),
        readiness=readiness,
        recommendation=_recommendation(assessment, scenario, definitions, everyone, waivers),
        decision=decision,
        last_activity=last_answers.get(assessment.id) or assessment.created_at,
    )


def _recommendation(
    assessment: Assessment,
    scenario: Scenario | None,
    definitions: Any,
    everyone: list[RespondentAnswers],
    waivers: dict[str, str],
) -> Outcome | None:
    if scenario is None:
        return None
    try:
        estimates = estimates_of(assessment, scenario, definitions)
    except EstimatesError:
        return None
    sized_definitions = sized(definitions, everyone, profile_of(estimates))
    return recommendation(sized_definitions, everyone, estimates, waivers=waivers).outcome
