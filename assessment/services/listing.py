"""The workspace's assessments as a project manager scans them: answers and respondents, readiness,
the recommendation and the committee's decision, and when each last moved.

A page of rows costs the same few queries whatever its length: the figures come from the stored
summaries (`services/summaries.py`), the respondents are read once for the whole page.
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

from assessment.engine.gate import Outcome
from assessment.services import summaries
from assessment.services.paging import FIRST_PAGE, Page, Window, page_of
from assessment.storage.models import Assessment, AssessmentSummary, Organisation, Respondent


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


SORTS: dict[str, Callable[[], Sequence[ColumnElement[Any]]]] = {
    "started": lambda: (Assessment.created_at.desc(), Assessment.id.desc()),
    "organisation": lambda: (func.lower(Organisation.name), Assessment.created_at.desc(), Assessment.id),
    "activity": lambda: (AssessmentSummary.last_activity.desc(), Assessment.id.desc()),
}
"""How the list may be ordered, in the database so that paging holds: newest first by default."""


def assessment_rows(
    session: Session, workspace_id: uuid.UUID, window: Window = FIRST_PAGE, sort: str = "started"
) -> Page[AssessmentRow]:
    summaries.ensure(session, workspace_id)
    query = (
        select(Assessment)
        .join(Assessment.organisation)
        .join(AssessmentSummary, AssessmentSummary.assessment_id == Assessment.id)
        .where(Organisation.workspace_id == workspace_id)
        .options(contains_eager(Assessment.organisation))
        .order_by(*SORTS.get(sort, SORTS["started"])())
    )
    page = page_of(session, query, window)
    return Page(_rows(session, page.items), page.number, page.size, page.total)


def _rows(session: Session, found: Sequence[Assessment]) -> list[AssessmentRow]:
    """Each assessment's stored summary, and its invited respondents: two statements for any page."""
    ids = [a.id for a in found]
    if not ids:
        return []
    stored = {
        s.assessment_id: s
        for s in session.scalars(select(AssessmentSummary).where(AssessmentSummary.assessment_id.in_(ids)))
    }
    invited: dict[uuid.UUID, list[Respondent]] = defaultdict(list)
    for respondent in session.scalars(
        select(Respondent).where(Respondent.assessment_id.in_(ids), Respondent.is_lead.is_(False))
    ):
        invited[respondent.assessment_id].append(respondent)
    return [
        AssessmentRow(
            assessment=a,
            answered=stored[a.id].answered,
            addressed=stored[a.id].addressed,
            finished=sum(1 for r in invited[a.id] if r.finished_at),
            invited=len(invited[a.id]),
            readiness=stored[a.id].readiness,
            recommendation=Outcome(stored[a.id].recommendation) if stored[a.id].recommendation else None,
            decision=stored[a.id].decision,
            last_activity=stored[a.id].last_activity,
        )
        for a in found
    ]
