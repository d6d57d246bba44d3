"""Gathering a report from storage, and recording the steering committee's decisions."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.engine.readiness import score
from assessment.report.model import AnswerRow, Decision, Report, ScenarioView, logo_uri
from assessment.services import audit, webhooks
from assessment.services.audit import Actor
from assessment.services.definitions import pinned
from assessment.services.economics import appraise_assessment, scenarios
from assessment.services.scoring import project_of, respondents_of, waivers
from assessment.storage.models import Assessment, DecisionRecord, ReportCache


def build_report(session: Session, assessment: Assessment, show_respondents: bool) -> Report:
    """Everything the report shows; respondents' own answers only for those who may see them."""
    definitions = pinned(session, assessment.definitions_digest)
    people = respondents_of(session, assessment)
    lead = next(p for p in people if p.role is None)
    answered = [p for p in people if p.role is not None and any(p.answers.values())]
    invitees = answered if show_respondents else []
    appendix = tuple(
        (
            questionnaire,
            tuple(
                AnswerRow(
                    question,
                    lead.answers.get(questionnaire.id, {}).get(question.id),
                    tuple((p.name, p.answers.get(questionnaire.id, {}).get(question.id)) for p in invitees),
                )
                for question in questionnaire.questions
            ),
        )
        for questionnaire in definitions.questionnaires
    )
    views = []
    for found in scenarios(session, assessment):
        appraisal, estimates, _ = appraise_assessment(session, assessment, found, people=people)
        views.append(ScenarioView(found.name, estimates, appraisal))
    workspace = assessment.organisation.workspace
    return Report(
        assessment_id=str(assessment.id),
        organisation=assessment.organisation.name,
        workspace=workspace.name,
        crm_product=assessment.crm_product,
        logo_data_uri=logo_uri(workspace.logo, workspace.logo_type),
        generated_on=date.today(),
        definitions=definitions,
        readiness=score(
            definitions,
            people,
            waived=[w.knock_out for w in waivers(session, assessment)],
            project=project_of(assessment),
        ),
        scenarios=tuple(views),
        appendix=appendix,
        respondent_names=tuple(p.name for p in invitees),
        respondent_roles=tuple(p.role for p in invitees),
        lead_name=lead.name,
        answer_count=sum(len(given) for p in people for given in p.answers.values()),
        decisions=tuple(
            Decision(r.outcome, r.conditions, r.decided_by, r.decided_on, r.recorded_by, r.basis)
            for r in decisions_of(session, assessment)
        ),
    )


def decisions_of(session: Session, assessment: Assessment) -> list[DecisionRecord]:
    """The committee's recorded decisions, in the order they were recorded."""
    query = select(DecisionRecord).where(DecisionRecord.assessment_id == assessment.id)
    return list(session.scalars(query.order_by(DecisionRecord.recorded_at)))


def record_decision(
    session: Session,
    assessment: Assessment,
    report: Report,
    outcome: str,
    conditions: str,
    decided_by: str,
    decided_on: date,
    actor: Actor,
) -> None:
    """Keep the committee's decision with the figures it was taken on, and tell the workspace's webhooks."""
    session.add(
        DecisionRecord(
            assessment_id=assessment.id,
            outcome=outcome,
            conditions=conditions,
            decided_by=decided_by,
            decided_on=decided_on,
            recorded_by=actor.label,
            basis=report.basis(),
        )
    )
    audit.record(
        session,
        assessment.organisation.workspace_id,
        actor,
        "decision.recorded",
        outcome,
        None,
        f"{decided_by}, {decided_on.isoformat()}: {conditions}".strip(": "),
        assessment_id=assessment.id,
    )
    organisation = assessment.organisation
    webhooks.emit(
        session,
        organisation.workspace_id,
        webhooks.DECIDED.name,
        {
            "assessment_id": assessment.id,
            "organisation": {"id": organisation.id, "name": organisation.name},
            "outcome": outcome,
            "decided_on": decided_on,
            "decided_by": decided_by,
            "conditions": conditions,
        },
    )
    session.commit()


def inputs_digest(session: Session, assessment: Assessment, show_respondents: bool, *context: str) -> str:
    """A hash of everything a report is made from, read cheaply, so a cached PDF is found
    without computing the report: answers, estimates, waivers, decisions, names, logo, the
    pinned definitions, today's date (printed on it) and `context` (language, renderer)."""
    workspace = assessment.organisation.workspace
    people = respondents_of(session, assessment)
    content = [
        str(assessment.id),
        assessment.organisation.name,
        assessment.crm_product,
        assessment.crm_users,
        workspace.name,
        hashlib.sha256(workspace.logo or b"").hexdigest(),
        workspace.rial_in_toman,
        assessment.definitions_digest,
        show_respondents,
        date.today().isoformat(),
        context,
        [(p.name, p.role, p.answers) for p in people],
        [(s.name, s.data) for s in scenarios(session, assessment)],
        [(w.knock_out, w.decided_by, w.reason) for w in waivers(session, assessment)],
        [
            (d.outcome, d.conditions, d.decided_by, d.decided_on, d.recorded_at)
            for d in decisions_of(session, assessment)
        ],
    ]
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def cached_pdf(session: Session, digest: str) -> bytes | None:
    found = session.get(ReportCache, digest)
    return None if found is None else found.pdf


def cache_pdf(session: Session, digest: str, pdf: bytes) -> None:
    if session.get(ReportCache, digest) is None:
        session.add(ReportCache(digest=digest, pdf=pdf))
        session.commit()
