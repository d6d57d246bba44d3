"""The public quick scan: a prospect answers the questions marked `quick_scan` through their vendor's
link, without an account, and becomes a new organisation in the vendor's workspace; the vendor
later converts it into a full assessment that keeps every answer.

The link's token names the workspace (never its id); a prospect reads their own result only through
the secret in their result link, of which only the hash is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.engine.policy import Policy
from assessment.engine.questionnaire import Definitions, Question, Questionnaire, Role
from assessment.engine.readiness import ReadinessResult, RespondentAnswers
from assessment.engine.readiness import score as score_readiness
from assessment.engine.size import ProjectProfile
from assessment.engine.text import Text
from assessment.services import audit, webhooks
from assessment.services.answers import AreaAnswers, answers_of, write_answers
from assessment.services.assessments import OrganisationDetails, lead_of, respondent_actor
from assessment.services.audit import Actor
from assessment.services.definitions import pin, pinned
from assessment.storage.models import (
    Assessment,
    Organisation,
    ProspectContact,
    Respondent,
    Workspace,
    new_token,
    token_hash,
)

QUICK_SCAN, FULL = "quick_scan", "full"
"""The kinds of assessment (`Assessment.kind`)."""
RISKS = 3
"""How many of the biggest risks a prospect's result names."""
PRIVACY_TEXT_MAX = 5000
"""Characters a workspace's privacy text may hold: a page of plain words, shown in full beside the form."""
UNKNOWN_USERS = 0
"""`Assessment.crm_users` of a quick scan: the column is required, the prospect is not asked, and 0
(which no form accepts) reads as not known."""


@dataclass(frozen=True)
class Contact:
    """Who sent a quick scan."""

    name: str
    email: str
    phone: str | None


@dataclass(frozen=True)
class Risk:
    """One of the biggest risks a quick scan found: a red flag, or an answer that costs much readiness."""

    area: str
    question: Question
    kind: str | None
    """The red flag's kind (knock_out, finding, critical); None for an answer that only costs readiness."""
    text: Text | None
    """The policy rule's own words for a knock-out or a finding."""
    lost_points: float
    """Points of overall readiness lost to this answer."""


@dataclass(frozen=True)
class ScanResult:
    """A prospect's result: readiness on the quick-scan questions only, and the biggest risks."""

    readiness: ReadinessResult
    risks: tuple[Risk, ...]
    answers: Mapping[str, AreaAnswers]
    """The lead's answers to the quick-scan questions, by area."""
    policy: Policy
    """The policy the assessment pinned: the lines its figures are read against."""


@dataclass(frozen=True)
class ScanSettings:
    """What a workspace owner sets of the quick scan."""

    open: bool
    privacy_text: str
    embedding: bool


class NoPrivacyTextError(ValueError):
    """The quick scan cannot open without a privacy text for prospects to consent to."""


def quick_scan_questions(definitions: Definitions) -> tuple[Questionnaire, ...]:
    """Each area with only its questions marked for the quick scan, in the order they are asked."""
    return tuple(
        replace(questionnaire, questions=tuple(q for q in questionnaire.questions if q.quick_scan))
        for questionnaire in definitions.questionnaires
    )


def find_open(session: Session, token: str) -> Workspace | None:
    """The workspace whose quick-scan link this is, while it is open; None for a closed, renewed or
    unknown link alike."""
    if not token or len(token) > 64:
        return None
    workspace = session.scalar(select(Workspace).where(Workspace.quick_scan_token == token))
    return workspace if workspace is not None and workspace.quick_scan_open else None


def _received_event(assessment: Assessment, contact: Contact) -> dict[str, object]:
    """What a vendor's CRM is told of a new quick scan: a lead to create, with who to contact."""
    organisation = assessment.organisation
    return {
        "assessment_id": assessment.id,
        "organisation_id": organisation.id,
        "organisation": organisation.name,
        "industry": organisation.industry,
        "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone or None},
    }


def receive(
    session: Session,
    definitions: Definitions,
    workspace: Workspace,
    contact: Contact,
    organisation: OrganisationDetails,
    answers: Mapping[str, AreaAnswers],
    language: str,
    privacy_text: str,
) -> tuple[Assessment, str]:
    """A prospect's quick scan, stored: a new organisation, its quick-scan assessment (pinned to
    `definitions`) whose lead is the contact, their answers, and their consent to `privacy_text` word for
    word. Returns the assessment and the secret of the result link, which is not kept."""
    found = Organisation(
        workspace=workspace,
        name=organisation.organisation_name,
        industry=organisation.industry,
        business_type=organisation.business_type,
    )
    # The product, its deployment and the users are not asked: the columns require a value, and an
    # empty one (0 users) says "not known" where a made-up one would mislead the vendor.
    assessment = Assessment(
        organisation=found,
        kind=QUICK_SCAN,
        crm_product="",
        deployment="",
        crm_users=UNKNOWN_USERS,
        go_live=None,
        definitions_digest=pin(session, definitions),
    )
    lead = Respondent(
        assessment=assessment, name=contact.name, role=Role.PROJECT_MANAGER, is_lead=True, language=language
    )
    session.add_all([found, assessment, lead])
    session.flush()
    secret = new_token()
    session.add(
        ProspectContact(
            assessment_id=assessment.id,
            name=contact.name,
            email=contact.email,
            phone=contact.phone or None,
            privacy_text=privacy_text,
            result_hash=token_hash(secret),
            language=language,
        )
    )
    actor = respondent_actor(lead)
    audit.record(session, workspace.id, actor, "quick_scan.received", found.name, assessment_id=assessment.id)
    for area, given in answers.items():
        if given:
            write_answers(session, lead, area, given, actor)
    webhooks.emit(session, workspace.id, webhooks.RECEIVED.name, _received_event(assessment, contact))
    session.commit()
    return assessment, secret


def result_for(session: Session, secret: str) -> Assessment | None:
    """The quick scan whose result link carries `secret`; None for any other string."""
    if not secret or len(secret) > 64:
        return None
    found = session.scalar(select(ProspectContact).where(ProspectContact.result_hash == token_hash(secret)))
    return session.get(Assessment, found.assessment_id) if found is not None else None


def contact_of(session: Session, assessment: Assessment) -> ProspectContact | None:
    """Who sent the quick scan an assessment began as; None for one begun in the app."""
    return session.get(ProspectContact, assessment.id)


def score(session: Session, assessment: Assessment) -> ScanResult:
    """The prospect's result: the engine's readiness on the lead's answers to the quick-scan questions
    only (whatever was answered since, by anyone), and its biggest risks, red flags first."""
    definitions = pinned(session, assessment.definitions_digest)
    lead = lead_of(assessment)
    given = answers_of(session, [lead.id])[lead.id]
    asked = {q.id: {question.id for question in q.questions} for q in quick_scan_questions(definitions)}
    answers = {
        area: {question: answer for question, answer in by_question.items() if question in asked.get(area, ())}
        for area, by_question in given.items()
    }
    project = ProjectProfile(users=assessment.crm_users or None)
    result = score_readiness(definitions, [RespondentAnswers(lead.name, None, answers)], project=project)
    return ScanResult(result, _risks(result), answers, definitions.policy)


def _risks(result: ReadinessResult) -> tuple[Risk, ...]:
    """Red flags (knock-outs, findings, critical answers), then the answers that cost the most
    readiness; each question once, the first RISKS of them."""
    scores = {(area.area, s.question.id): s for area in result.areas for s in area.questions}
    candidates = [(f.area, f.question, f.kind, f.text) for f in result.red_flags] + [
        (loss.area, loss.question, None, None) for loss in result.top_losses
    ]
    risks: dict[tuple[str, str], Risk] = {}
    for area, question, kind, text in candidates:
        key = (area, question.id)
        if key not in risks:
            risks[key] = Risk(area, question, kind, text, scores[key].lost_points)
    return tuple(risks.values())[:RISKS]


@dataclass(frozen=True)
class Plan:
    """What the prospect was not asked and a full assessment needs: the CRM project they plan."""

    crm_product: str
    deployment: str
    crm_users: int
    go_live: date | None


def convert(session: Session, assessment: Assessment, plan: Plan, actor: Actor) -> bool:
    """Turn a quick scan into a full assessment of the planned project that keeps every answer: its
    lead may now answer every question, and colleagues may be invited. False when it is a full
    assessment already."""
    if assessment.kind != QUICK_SCAN:
        return False
    assessment.kind = FULL
    assessment.crm_product, assessment.deployment = plan.crm_product, plan.deployment
    assessment.crm_users, assessment.go_live = plan.crm_users, plan.go_live
    audit.record(
        session,
        assessment.organisation.workspace_id,
        actor,
        "assessment.converted",
        assessment.organisation.name,
        old=QUICK_SCAN,
        new=FULL,
        assessment_id=assessment.id,
    )
    session.commit()
    return True


def settings_of(workspace: Workspace) -> ScanSettings:
    return ScanSettings(workspace.quick_scan_open, workspace.privacy_text or "", workspace.quick_scan_embedding)


def configure(session: Session, workspace: Workspace, settings: ScanSettings, actor: Actor) -> None:
    """Open or close the link, set the privacy text and whether other sites may frame the scan; the
    first opening makes the link. Opening needs a privacy text (NoPrivacyTextError otherwise)."""
    if settings.open and not settings.privacy_text.strip():
        raise NoPrivacyTextError
    old = settings_of(workspace)
    workspace.quick_scan_open = settings.open
    workspace.privacy_text = settings.privacy_text or None
    workspace.quick_scan_embedding = settings.embedding
    if settings.open and workspace.quick_scan_token is None:
        workspace.quick_scan_token = new_token()
    audit.record(session, workspace.id, actor, "workspace.quick_scan", workspace.name, asdict(old), asdict(settings))
    session.commit()


def new_link(session: Session, workspace: Workspace, actor: Actor) -> None:
    """A fresh link for the quick scan: the old one stops working at once, and answers like any unknown link."""
    workspace.quick_scan_token = new_token()
    audit.record(session, workspace.id, actor, "workspace.quick_scan_link", workspace.name)
    session.commit()
