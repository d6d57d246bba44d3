"""Stored summaries of assessments: what the pipeline, the assessment list and the benchmarks read.

Scoring an assessment takes milliseconds; scoring ten thousand per request would take minutes. So
each assessment's summary (stage, progress, readiness by area, failure probability, the gate's
recommendation, the committee's decision, the qualification, the deal) is stored, and refreshed in
the same transaction as any change that moves it:

- changes made through the ORM (respondents, scenarios, waivers, decisions, assessments,
  organisations, prospects) are noticed after each flush;
- answers, written in bulk, are named with `changes.touch` by the code that writes them;
- just before the transaction commits, every assessment touched is summarised again.

`flask summaries refresh` recomputes every summary, for when the code or the policy behind them
changes; an assessment found without a summary (`missing`) is summarised on first read.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, event, func, inspect, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from assessment.engine.appraisal import recommendation
from assessment.engine.estimates import Estimates, Timing
from assessment.engine.estimates_data import DAYS_A_MONTH, EstimatesError
from assessment.engine.progress import respondent_progress
from assessment.engine.qualification import Deal, Fit, Qualification, qualify, sponsor_holds_budget
from assessment.engine.questionnaire import Definitions
from assessment.engine.readiness import ReadinessResult, RespondentAnswers, score, sized
from assessment.engine.size import profile_of
from assessment.services import webhooks
from assessment.services.answers import answers_of, project_of, role_of
from assessment.services.changes import take, touch
from assessment.services.definitions import pinned
from assessment.services.economics import estimates_of
from assessment.storage.models import (
    Answer,
    AreaReadiness,
    Assessment,
    AssessmentSummary,
    DecisionRecord,
    Organisation,
    Prospect,
    Respondent,
    Scenario,
    Waiver,
    as_utc,
    now,
)

QUICK_SCAN, COLLECTING, SCORED, DECIDED = "quick_scan", "collecting", "scored", "decided"
STAGES = (QUICK_SCAN, COLLECTING, SCORED, DECIDED)
"""A prospect's stages, in the order it moves through them."""

BATCH = 200
"""Assessments summarised per round of queries when many are."""


def install(session_class: Any) -> None:
    """Listen on a sessionmaker (or Session class) so that every commit keeps the summaries current."""
    event.listen(session_class, "after_flush", _noticed)
    event.listen(session_class, "before_commit", _refresh_pending)
    event.listen(session_class, "after_rollback", take)


def _noticed(session: Session, _context: Any) -> None:
    ids: set[uuid.UUID] = set()
    organisations: set[uuid.UUID] = set()
    for thing in (*session.new, *session.dirty, *session.deleted):
        if isinstance(thing, Assessment):
            if thing not in session.deleted:
                ids.add(thing.id)
        elif isinstance(thing, Respondent) and thing in session.dirty and not _summarised_change(thing):
            continue
        elif isinstance(thing, Respondent | Scenario | Waiver | DecisionRecord):
            ids.add(thing.assessment_id)
        elif isinstance(thing, Organisation) and thing not in session.deleted:
            organisations.add(thing.id)
        elif isinstance(thing, Prospect):
            organisations.add(thing.organisation_id)
    if organisations:
        with session.no_autoflush:
            found = session.scalars(select(Assessment.id).where(Assessment.organisation_id.in_(organisations)))
            ids.update(found)
    if ids:
        touch(session, *ids)


RESPONDENT_STATUS = frozenset({"opened_at", "last_active_at", "emailed_at", "email_error", "reminded_at", "language"})
"""What changes of a respondent as they open pages and get e-mails: nothing a summary shows."""


def _summarised_change(respondent: Respondent) -> bool:
    """Whether a change of a respondent moves its assessment's summary (a role, a name, finishing), not
    only their status as they browse their link."""
    state = inspect(respondent)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    return bool(changed - RESPONDENT_STATUS)


def _refresh_pending(session: Session) -> None:
    while True:
        session.flush()
        pending = take(session)
        if not pending:
            return
        refresh(session, pending)


def refresh(session: Session, assessment_ids: Iterable[uuid.UUID]) -> int:
    """Summarise these assessments again (those that still exist), in batches; how many were.

    Each assessment's row is locked first (on PostgreSQL; SQLite writes one transaction at a time), in
    the order of their ids: two transactions that change one assessment at once summarise it one
    after the other, the second reading what the first committed, so neither summary misses a change.
    FOR NO KEY UPDATE, which the key-share locks of rows that point at the assessment (answers' audit
    entries, scenarios) do not block: otherwise two such writers would each wait for the other.
    """
    ids = sorted(set(assessment_ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        found = list(
            session.scalars(
                select(Assessment)
                .where(Assessment.id.in_(batch))
                .order_by(Assessment.id)
                .with_for_update(of=Assessment, key_share=True)
                .options(joinedload(Assessment.organisation), selectinload(Assessment.respondents))
                .execution_options(populate_existing=True)
            )
        )
        _store(session, [_summarise(session, a, facts) for a, facts in _facts(session, found)], batch)
        done += len(found)
    return done


def refresh_all(session: Session, workspace_id: uuid.UUID | None = None) -> int:
    """Every assessment summarised again (of one workspace, or all): after a change of policy or code."""
    query = select(Assessment.id).order_by(Assessment.created_at)
    if workspace_id is not None:
        query = query.join(Assessment.organisation).where(Organisation.workspace_id == workspace_id)
    count = refresh(session, list(session.scalars(query)))
    session.commit()
    return count


def missing(session: Session, workspace_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    """The assessments (of one workspace, or all) without a summary yet: none once `flask summaries
    refresh --missing` has run after an upgrade."""
    query = (
        select(Assessment.id)
        .outerjoin(AssessmentSummary, AssessmentSummary.assessment_id == Assessment.id)
        .where(AssessmentSummary.assessment_id.is_(None))
    )
    if workspace_id is not None:
        query = query.join(Assessment.organisation).where(Organisation.workspace_id == workspace_id)
    return list(session.scalars(query))


def ensure(session: Session, workspace_id: uuid.UUID) -> None:
    """Summarise any of the workspace's assessments that have none, before a list reads them."""
    if ids := missing(session, workspace_id):
        refresh(session, ids)
        session.commit()


@dataclass
class _Facts:
    """What one assessment's summary is computed from, read for a whole batch in a few queries."""

    respondents: list[Respondent]
    answers: dict[uuid.UUID, Any]
    scenario: Scenario | None
    waivers: dict[str, str]
    decision: str | None
    prospect: Prospect | None
    last_moves: list[datetime]


def _facts(session: Session, found: Sequence[Assessment]) -> list[tuple[Assessment, _Facts]]:
    ids = [a.id for a in found]
    if not ids:
        return []
    people = {a.id: list(a.respondents) for a in found}
    answers = answers_of(session, [r.id for group in people.values() for r in group])
    last_answers = dict(
        session.execute(
            select(Respondent.assessment_id, func.max(Answer.updated_at))
            .join(Answer, Answer.respondent_id == Respondent.id)
            .where(Respondent.assessment_id.in_(ids))
            .group_by(Respondent.assessment_id)
        ).all()
    )
    scenarios: dict[uuid.UUID, Scenario] = {}
    last_scenarios: dict[uuid.UUID, datetime] = {}
    for scenario in session.scalars(
        select(Scenario).where(Scenario.assessment_id.in_(ids)).order_by(Scenario.created_at, Scenario.id)
    ):
        scenarios.setdefault(scenario.assessment_id, scenario)
        last_scenarios[scenario.assessment_id] = max(
            as_utc(scenario.updated_at), last_scenarios.get(scenario.assessment_id, as_utc(scenario.updated_at))
        )
    waived: dict[uuid.UUID, dict[str, str]] = defaultdict(dict)
    for waiver in session.scalars(select(Waiver).where(Waiver.assessment_id.in_(ids))):
        waived[waiver.assessment_id][waiver.knock_out] = f"{waiver.decided_by}: {waiver.reason}"
    decisions: dict[uuid.UUID, DecisionRecord] = {}
    for record in session.scalars(
        select(DecisionRecord)
        .where(DecisionRecord.assessment_id.in_(ids))
        .order_by(DecisionRecord.decided_on, DecisionRecord.recorded_at)
    ):
        decisions[record.assessment_id] = record
    prospects = {
        p.organisation_id: p
        for p in session.scalars(
            select(Prospect).where(Prospect.organisation_id.in_({a.organisation_id for a in found}))
        )
    }
    result = []
    for a in found:
        record = decisions.get(a.id)
        moves = [a.created_at, last_answers.get(a.id), last_scenarios.get(a.id), record and record.recorded_at]
        result.append(
            (
                a,
                _Facts(
                    respondents=people[a.id],
                    answers=answers,
                    scenario=scenarios.get(a.id),
                    waivers=waived[a.id],
                    decision=record.outcome if record else None,
                    prospect=prospects.get(a.organisation_id),
                    last_moves=[as_utc(m) for m in moves if m is not None],
                ),
            )
        )
    return result


@dataclass(frozen=True)
class _Summary:
    row: dict[str, Any]
    areas: dict[str, float]
    """Readiness by area, and `overall`, of a scored full assessment: what benchmarks compare."""
    organisation: Organisation


def _summarise(session: Session, assessment: Assessment, facts: _Facts) -> _Summary:
    definitions = pinned(session, assessment.definitions_digest)
    everyone = [RespondentAnswers(r.name, role_of(r), facts.answers[r.id]) for r in facts.respondents]
    asked = sized(definitions, everyone, project_of(assessment))
    progress = [
        respondent_progress(asked.questionnaires, facts.answers[r.id], role_of(r))[1] for r in facts.respondents
    ]
    answered, addressed = sum(len(p.answered) for p in progress), sum(p.total for p in progress)
    readiness = score(asked, everyone, waived=facts.waivers)
    estimates = _estimates(assessment, facts.scenario, definitions)
    outcome = None
    if estimates is not None:
        gated = sized(definitions, everyone, profile_of(estimates))
        same_questions = gated.questionnaires is asked.questionnaires  # one size band: scored once
        scored = readiness if same_questions else None
        outcome = recommendation(gated, everyone, estimates, waivers=facts.waivers, readiness=scored).outcome
    deal = _deal(facts.prospect, estimates)
    fit = _fit(assessment, readiness, definitions, deal)
    qualification = qualify(readiness, fit, definitions.policy.qualification, facts.waivers)
    stage = _stage(assessment, facts, readiness, answered, addressed)
    scored_areas = {a.area: a.readiness for a in readiness.areas if a.readiness is not None}
    row = {
        "assessment_id": assessment.id,
        "workspace_id": assessment.organisation.workspace_id,
        "organisation_id": assessment.organisation_id,
        "latest": False,
        "stage": stage,
        "answered": answered,
        "addressed": addressed,
        "readiness": readiness.readiness,
        "weakest_area": min(scored_areas, key=lambda a: scored_areas[a]) if scored_areas else None,
        "failure_probability": readiness.failure_probability,
        "recommendation": outcome.value if outcome else None,
        "decision": facts.decision,
        "qualification": qualification.outcome.value,
        "qualification_reasons": qualification_document(qualification),
        "deal_value": deal.value if deal else None,
        "deal_currency": deal.currency if deal else None,
        "size_band": readiness.size,
        "last_activity": max(facts.last_moves),
        "policy_version": definitions.policy.version,
        "computed_at": now(),
    }
    comparable = stage in (SCORED, DECIDED) and readiness.readiness is not None
    areas = {**scored_areas, AreaReadiness.OVERALL: readiness.readiness} if comparable else {}
    return _Summary(row, areas, assessment.organisation)


def _estimates(assessment: Assessment, scenario: Scenario | None, definitions: Definitions) -> Estimates | None:
    if scenario is None:
        return None
    try:
        return estimates_of(assessment, scenario, definitions)
    except EstimatesError:
        return None


def _stage(assessment: Assessment, facts: _Facts, readiness: ReadinessResult, answered: int, addressed: int) -> str:
    """Decided once the committee has; a quick scan until converted; scored once readiness is known and
    nobody is still answering (every question answered, or every invited respondent finished)."""
    if facts.decision is not None:
        return DECIDED
    if assessment.kind == QUICK_SCAN:
        return QUICK_SCAN
    invited = [r for r in facts.respondents if not r.is_lead]
    everyone_done = answered >= addressed or (invited and all(r.finished_at for r in invited))
    return SCORED if readiness.readiness is not None and everyone_done else COLLECTING


def _deal(prospect: Prospect | None, estimates: Estimates | None) -> Deal | None:
    """The value the vendor entered, else the licences the estimates expect to be sold."""
    if prospect is not None and prospect.deal_value is not None and prospect.deal_currency:
        return Deal(prospect.deal_value, prospect.deal_currency)
    return licence_value(estimates) if estimates is not None else None


def licence_value(estimates: Estimates) -> Deal | None:
    """Licences x users x horizon: the most likely per-user costs over the estimates' horizon;
    None when no cost is per user."""
    months = 12 * estimates.horizon_years
    total, found = 0.0, False
    for line in estimates.costs:
        if not line.per_user:
            continue
        found = True
        if line.timing == Timing.MONTHLY:
            total += line.amount.likely * months
        elif line.timing == Timing.YEARLY:
            total += line.amount.likely * estimates.horizon_years
        elif line.timing == Timing.BY_YEAR:
            total += sum(year.likely for year in line.by_year)
        else:
            total += line.amount.likely
    return Deal(total * estimates.users, estimates.currency) if found else None


def _fit(assessment: Assessment, readiness: ReadinessResult, definitions: Definitions, deal: Deal | None) -> Fit:
    months = None
    if assessment.go_live is not None:
        months = max(0.0, round((assessment.go_live - date.today()).days / DAYS_A_MONTH, 1))
    return Fit(
        deal=deal,
        users=assessment.crm_users or None,
        months_to_go_live=months,
        sponsor_holds_budget=sponsor_holds_budget(readiness, definitions.policy.qualification),
    )


def qualification_document(found: Qualification) -> dict[str, Any]:
    """The qualification as stored: reasons and steps as codes with their figures, translated when shown."""

    def reasons(group: Sequence[Any]) -> list[dict[str, Any]]:
        return [{"code": r.code, "values": dict(r.values)} for r in group]

    return {
        "disqualifying": reasons(found.disqualifying),
        "nurturing": reasons(found.nurturing),
        "met": reasons(found.met),
        "next_steps": [step.id for step in found.next_steps],
    }


def _store(session: Session, summaries: list[_Summary], ids: list[uuid.UUID]) -> None:
    """Replace the summaries and area readiness of `ids`, mark each organisation's latest assessment, and
    tell the workspace's webhooks of each assessment that has just become scored."""
    session.execute(delete(AreaReadiness).where(AreaReadiness.assessment_id.in_(ids)))
    removed = delete(AssessmentSummary).where(AssessmentSummary.assessment_id.in_(ids))
    before = dict(session.execute(removed.returning(AssessmentSummary.assessment_id, AssessmentSummary.stage)).all())
    if not summaries:
        return
    session.execute(AssessmentSummary.__table__.insert(), [s.row for s in summaries])
    organisations = {s.organisation.id: s.organisation for s in summaries}
    areas = [
        {
            "assessment_id": s.row["assessment_id"],
            "area": area,
            "workspace_id": s.row["workspace_id"],
            "readiness": value,
            "industry": organisations[s.row["organisation_id"]].industry,
            "size_band": s.row["size_band"],
        }
        for s in summaries
        for area, value in s.areas.items()
    ]
    if areas:
        session.execute(AreaReadiness.__table__.insert(), areas)
    _mark_latest(session, {s.row["organisation_id"] for s in summaries})
    for summary in summaries:
        row = summary.row
        if row["stage"] == SCORED and before.get(row["assessment_id"]) not in (SCORED, DECIDED):
            event = _scored_event(row, organisations[row["organisation_id"]].name)
            webhooks.emit(session, row["workspace_id"], webhooks.SCORED.name, event)


def _scored_event(row: dict[str, Any], organisation: str) -> dict[str, Any]:
    """What a vendor's CRM is told of a newly scored assessment: enough to update its opportunity."""
    keys = ("assessment_id", "organisation_id", "readiness", "weakest_area", "failure_probability")
    return {key: row[key] for key in keys} | {
        "organisation": organisation,
        "qualification": row["qualification"],
        "recommendation": row["recommendation"],
        "deal": {"value": row["deal_value"], "currency": row["deal_currency"]} if row["deal_value"] else None,
    }


def _mark_latest(session: Session, organisation_ids: set[uuid.UUID]) -> None:
    """Each organisation's most recent assessment is the one the pipeline shows."""
    newest = (
        select(Assessment.id)
        .where(Assessment.organisation_id == AssessmentSummary.organisation_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    session.execute(
        update(AssessmentSummary)
        .where(AssessmentSummary.organisation_id.in_(organisation_ids))
        .values(latest=AssessmentSummary.assessment_id == newest)
        .execution_options(synchronize_session=False)
    )
