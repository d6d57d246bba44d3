"""A vendor's pipeline: every organisation of the workspace with its latest assessment's stored summary.

Filtering, searching, sorting and paging happen in the database over `AssessmentSummary`, so a page
costs the same few statements at ten or ten thousand prospects: the summaries missing, if any, the
count, the page (with its organisation, owner and assessment in the same statement), and the
page's percentiles.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, case, false, func, select
from sqlalchemy.orm import Session, contains_eager

from assessment.engine.gate import Outcome
from assessment.engine.policy import BenchmarkPolicy
from assessment.engine.qualification import QualificationClass
from assessment.services import audit, summaries
from assessment.services.audit import Actor
from assessment.services.benchmarks import Standing, overall_percentiles
from assessment.services.paging import FIRST_PAGE, Page, Window, page_of
from assessment.storage.models import AssessmentSummary, Membership, Organisation, Prospect, User


@dataclass(frozen=True)
class Filters:
    """What a vendor narrows the pipeline to; empty values do not narrow it."""

    stage: str = ""
    qualification: str = ""
    decision: str = ""
    """An outcome, or `none` for prospects without a recorded decision."""
    industry: str = ""
    business_type: str = ""
    size: str = ""
    owner: str = ""
    """A member's id, or `none` for prospects nobody looks after."""
    q: str = ""
    """Part of the organisation's name, in any case."""

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.stage:
            found.append(AssessmentSummary.stage == self.stage)
        if self.qualification:
            found.append(AssessmentSummary.qualification == self.qualification)
        if self.decision == "none":
            found.append(AssessmentSummary.decision.is_(None))
        elif self.decision:
            found.append(AssessmentSummary.decision == self.decision)
        if self.industry:
            found.append(Organisation.industry == self.industry)
        if self.business_type:
            found.append(Organisation.business_type == self.business_type)
        if self.size:
            found.append(AssessmentSummary.size_band == self.size)
        if self.owner == "none":
            found.append(Prospect.owner_id.is_(None))
        elif self.owner:
            owner = _uuid(self.owner)
            found.append(Prospect.owner_id == owner if owner else false())
        if self.q.strip():
            pattern = "%" + self.q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found.append(func.lower(Organisation.name).like(pattern, escape="\\"))
        return found


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _order(column: Any, values: Sequence[str]) -> ColumnElement[int]:
    """A column of codes sorted in the order given (stages as a prospect moves through them, classes and
    outcomes from the best), rather than alphabetically."""
    return case({value: index for index, value in enumerate(values)}, value=column)


def _percentile() -> ColumnElement[float]:
    """Readiness, where a percentile is shown: of a scored or decided assessment only."""
    return case((AssessmentSummary.stage.in_((summaries.SCORED, summaries.DECIDED)), AssessmentSummary.readiness))


def _progress() -> ColumnElement[float]:
    return AssessmentSummary.answered * 1.0 / func.nullif(AssessmentSummary.addressed, 0)


SORTS: dict[str, Callable[[], Sequence[ColumnElement[Any]]]] = {
    "organisation": lambda: (func.lower(Organisation.name),),
    "stage": lambda: (_order(AssessmentSummary.stage, summaries.STAGES),),
    "progress": lambda: (_progress(),),
    "readiness": lambda: (AssessmentSummary.readiness,),
    "percentile": lambda: (_percentile(),),
    "failure": lambda: (AssessmentSummary.failure_probability,),
    "recommendation": lambda: (_order(AssessmentSummary.recommendation, OUTCOMES),),
    "qualification": lambda: (_order(AssessmentSummary.qualification, CLASSES),),
    "owner": lambda: (func.lower(User.name),),
    "deal": lambda: (AssessmentSummary.deal_currency, AssessmentSummary.deal_value),
    "activity": lambda: (AssessmentSummary.last_activity,),
}
"""The columns the pipeline sorts by; `-name` sorts the other way; empty values always come last."""
OUTCOMES = tuple(outcome.value for outcome in Outcome)
CLASSES = tuple(found.value for found in QualificationClass)
DEFAULT_SORT = "-activity"


def ordering(sort: str) -> tuple[str, list[ColumnElement[Any]]]:
    """The sort asked for (the default when it is not one), and its ORDER BY, ending on a unique column."""
    name = sort.removeprefix("-")
    if name not in SORTS:
        return ordering(DEFAULT_SORT)
    descending = sort.startswith("-")
    columns = [(c.desc() if descending else c.asc()).nulls_last() for c in SORTS[name]()]
    return sort, [*columns, AssessmentSummary.assessment_id]


@dataclass(frozen=True)
class PipelineRow:
    summary: AssessmentSummary
    percentile: Standing | None

    @property
    def organisation(self) -> Organisation:
        return self.summary.organisation

    @property
    def owner(self) -> User | None:
        return self.summary.prospect.owner if self.summary.prospect else None

    @property
    def percent(self) -> int:
        s = self.summary
        return int(100 * s.answered / s.addressed) if s.addressed else 0


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the workspace's industries and members (stages, classes, decisions and
    size bands are fixed by the code and the policy)."""

    industries: list[str] = field(default_factory=list)
    owners: list[User] = field(default_factory=list)


def _query(workspace_id: uuid.UUID, filters: Filters, order: list[ColumnElement[Any]]) -> Select[Any]:
    return (
        select(AssessmentSummary)
        .join(AssessmentSummary.organisation)
        .join(AssessmentSummary.assessment)
        .outerjoin(AssessmentSummary.prospect)
        .outerjoin(User, User.id == Prospect.owner_id)
        .where(AssessmentSummary.workspace_id == workspace_id, AssessmentSummary.latest.is_(True))
        .where(*filters.conditions())
        .options(
            contains_eager(AssessmentSummary.organisation),
            contains_eager(AssessmentSummary.assessment),
            contains_eager(AssessmentSummary.prospect).contains_eager(Prospect.owner),
        )
        .order_by(*order)
    )


def pipeline(
    session: Session,
    workspace_id: uuid.UUID,
    policy: BenchmarkPolicy,
    filters: Filters = Filters(),
    sort: str = DEFAULT_SORT,
    window: Window = FIRST_PAGE,
) -> tuple[str, Page[PipelineRow]]:
    """The sort applied, and a page of the workspace's prospects with their overall percentile."""
    summaries.ensure(session, workspace_id)
    sort, order = ordering(sort)
    page = page_of(session, _query(workspace_id, filters, order), window)
    return sort, Page(_ranked(session, workspace_id, page.items, policy), page.number, page.size, page.total)


def everything(
    session: Session, workspace_id: uuid.UUID, policy: BenchmarkPolicy, filters: Filters, sort: str
) -> list[PipelineRow]:
    """Every prospect the filters keep, in order: what a download holds."""
    summaries.ensure(session, workspace_id)
    _, order = ordering(sort)
    found = list(session.scalars(_query(workspace_id, filters, order)).unique())
    return _ranked(session, workspace_id, found, policy)


def _ranked(
    session: Session, workspace_id: uuid.UUID, found: Sequence[AssessmentSummary], policy: BenchmarkPolicy
) -> list[PipelineRow]:
    """The summaries as rows, each with its overall percentile in the workspace (one statement for all)."""
    standings = overall_percentiles(session, workspace_id, [s.assessment_id for s in found], policy)
    return [PipelineRow(s, standings.get(s.assessment_id)) for s in found]


def choices(session: Session, workspace_id: uuid.UUID) -> Choices:
    industries = session.scalars(
        select(Organisation.industry).where(Organisation.workspace_id == workspace_id).distinct()
    )
    return Choices(sorted(industries, key=str.lower), members(session, workspace_id))


def members(session: Session, workspace_id: uuid.UUID) -> list[User]:
    """Who may look after a prospect: the workspace's members, by name."""
    query = select(User).join(Membership).where(Membership.workspace_id == workspace_id)
    return list(session.scalars(query.order_by(func.lower(User.name))))


def set_prospect(
    session: Session,
    organisation: Organisation,
    owner: User | None,
    deal: tuple[float, str] | None,
    actor: Actor,
) -> None:
    """Who looks after an organisation and the deal the vendor expects (None: from the estimates), audited."""
    prospect = session.get(Prospect, organisation.id) or Prospect(organisation_id=organisation.id)
    before = _described(prospect.owner, prospect.deal_value, prospect.deal_currency)
    prospect.owner = owner
    prospect.deal_value, prospect.deal_currency = deal if deal else (None, None)
    after = _described(owner, prospect.deal_value, prospect.deal_currency)
    session.add(prospect)
    if before != after:
        audit.record(session, organisation.workspace_id, actor, "prospect.changed", organisation.name, before, after)
    session.commit()


def _described(owner: User | None, value: float | None, currency: str | None) -> str:
    """As the audit trail shows it: the owner's name and the deal, a dash for what is not set."""
    return f"{owner.name if owner else '-'} · {f'{value:.0f} {currency}' if value is not None else '-'}"
