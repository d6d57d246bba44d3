"""Organisations, assessments and respondents."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, contains_eager

from assessment.engine.questionnaire import Definitions, Role
from assessment.services import audit
from assessment.services.audit import Actor
from assessment.services.definitions import pin
from assessment.services.paging import FIRST_PAGE, Page, Window, page_of
from assessment.storage.models import Assessment, Organisation, Respondent, Workspace, as_utc, new_token, now

LINK_DAYS = 30
"""How long a respondent's link stays open unless the project manager extends it."""


@dataclass(frozen=True)
class OrganisationDetails:
    organisation_name: str
    industry: str
    business_type: str


@dataclass(frozen=True)
class AssessmentDetails:
    crm_product: str
    deployment: str
    crm_users: int
    go_live: date | None
    lead_name: str


def create_organisation(session: Session, workspace: Workspace, details: OrganisationDetails) -> Organisation:
    """A new organisation in `workspace`, saved."""
    organisation = Organisation(
        workspace=workspace,
        name=details.organisation_name,
        industry=details.industry,
        business_type=details.business_type,
    )
    session.add(organisation)
    session.commit()
    return organisation


def create_assessment(
    session: Session, definitions: Definitions, organisation: Organisation, details: AssessmentDetails
) -> Assessment:
    """A new assessment, pinned to `definitions`, with its lead respondent who answers everything."""
    assessment = Assessment(
        organisation=organisation,
        crm_product=details.crm_product,
        deployment=details.deployment,
        crm_users=details.crm_users,
        go_live=details.go_live,
        definitions_digest=pin(session, definitions),
    )
    session.add(Respondent(assessment=assessment, name=details.lead_name, role=Role.PROJECT_MANAGER, is_lead=True))
    session.add(assessment)
    session.commit()
    return assessment


def invite(
    session: Session,
    assessment: Assessment,
    name: str,
    email: str | None,
    role: Role,
    actor: Actor,
    language: str | None = None,
) -> Respondent:
    """A respondent with a private link, open for LINK_DAYS, showing only the questions for `role`;
    e-mails to them are written in `language`."""
    respondent = add_respondent(session, assessment, name, email, role, actor, language)
    session.commit()
    return respondent


def add_respondent(
    session: Session,
    assessment: Assessment,
    name: str,
    email: str | None,
    role: Role,
    actor: Actor,
    language: str | None = None,
) -> Respondent:
    """`invite` in the caller's transaction, for changes that add several respondents at once."""
    respondent = Respondent(
        assessment=assessment,
        name=name,
        email=email or None,
        language=language,
        role=role,
        token=new_token(),
        expires_at=now() + timedelta(days=LINK_DAYS),
    )
    session.add(respondent)
    session.flush()  # its answers name it by a foreign key alone
    _audit(session, assessment, actor, "respondent.invited", name, new=role.value)
    return respondent


def revoke(session: Session, respondent: Respondent, actor: Actor) -> None:
    """Close a respondent's link at once; their answers stay."""
    respondent.revoked_at = now()
    _audit(session, respondent.assessment, actor, "respondent.revoked", respondent.name)
    session.commit()


def extend(session: Session, respondent: Respondent, actor: Actor) -> None:
    """Reopen a link for another LINK_DAYS from today."""
    old = respondent.expires_at
    respondent.expires_at = now() + timedelta(days=LINK_DAYS)
    respondent.revoked_at = None
    _audit(
        session,
        respondent.assessment,
        actor,
        "respondent.extended",
        respondent.name,
        old=old.isoformat() if old else None,
        new=respondent.expires_at.isoformat(),
    )
    session.commit()


def seen(session: Session, respondent: Respondent) -> None:
    """The respondent opened a page of their link: first opened, last active."""
    moment = now()
    respondent.opened_at = respondent.opened_at or moment
    respondent.last_active_at = moment
    session.commit()


def finish(session: Session, respondent: Respondent) -> None:
    """The respondent submits their answers as finished; they may still change them while the link is open."""
    if respondent.finished_at is None:
        respondent.finished_at = now()
        _audit(session, respondent.assessment, respondent_actor(respondent), "respondent.finished", respondent.name)
    session.commit()


def reopen(session: Session, respondent: Respondent, actor: Actor) -> None:
    """The project manager asks for more: the respondent counts as not finished again (and can be reminded)."""
    respondent.finished_at = None
    _audit(session, respondent.assessment, actor, "respondent.reopened", respondent.name)
    session.commit()


def record_sent(session: Session, respondent: Respondent) -> None:
    respondent.emailed_at, respondent.email_error = now(), None
    session.commit()


def record_failed(session: Session, respondent: Respondent, error: str) -> None:
    respondent.email_error = error[:254]
    session.commit()


def claim_reminder(session: Session, respondent: Respondent, interval: timedelta) -> bool:
    """Whether `respondent` may be reminded now, claimed at once so that two requests (or a request and
    the scheduled command) never both remind them within `interval`: a conditional update, not a read."""
    if respondent.is_lead or not respondent.email or respondent.finished_at or not link_is_open(respondent):
        return False
    moment, cutoff = now(), now() - interval
    claimed = session.execute(
        update(Respondent)
        .where(
            Respondent.id == respondent.id,
            or_(Respondent.reminded_at.is_(None), Respondent.reminded_at <= cutoff),
            or_(Respondent.emailed_at.is_(None), Respondent.emailed_at <= cutoff),
        )
        .values(reminded_at=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    session.refresh(respondent)
    return bool(claimed)


def not_finished(session: Session, assessment: Assessment | None = None) -> list[Respondent]:
    """Invited respondents with an e-mail address and an open link who have not finished, of one
    assessment or of all: whom a reminder is for."""
    query = select(Respondent).where(
        Respondent.is_lead.is_(False),
        Respondent.email.is_not(None),
        Respondent.finished_at.is_(None),
        Respondent.revoked_at.is_(None),
    )
    if assessment is not None:
        query = query.where(Respondent.assessment_id == assessment.id)
    return [r for r in session.scalars(query.order_by(Respondent.created_at)) if link_is_open(r)]


def link_is_open(respondent: Respondent) -> bool:
    expires = respondent.expires_at
    return respondent.revoked_at is None and (expires is None or as_utc(expires) > now())


def respondent_actor(respondent: Respondent) -> Actor:
    """How a respondent answering through their link appears in the audit trail."""
    return Actor("respondent", respondent.id, respondent.name)


def lead_of(assessment: Assessment) -> Respondent:
    return next(r for r in assessment.respondents if r.is_lead)


def find_assessment(session: Session, assessment_id: uuid.UUID) -> Assessment | None:
    return session.get(Assessment, assessment_id)


def find_respondent(session: Session, assessment: Assessment, respondent_id: uuid.UUID) -> Respondent | None:
    found = session.get(Respondent, respondent_id)
    return found if found is not None and found.assessment_id == assessment.id else None


def find_by_token(session: Session, token: str) -> Respondent | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(select(Respondent).where(Respondent.token == token))


def list_assessments(
    session: Session, workspace_id: uuid.UUID, window: Window = FIRST_PAGE, organisation_id: uuid.UUID | None = None
) -> Page[Assessment]:
    """A page of the workspace's assessments (or one organisation's), newest first, loaded with their organisations."""
    query = (
        select(Assessment)
        .join(Assessment.organisation)
        .where(Organisation.workspace_id == workspace_id)
        .options(contains_eager(Assessment.organisation))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    )
    if organisation_id is not None:
        query = query.where(Assessment.organisation_id == organisation_id)
    return page_of(session, query, window)


@dataclass(frozen=True)
class OrganisationRow:
    """An organisation as the list shows it."""

    organisation: Organisation
    assessments: int
    latest: datetime | None
    """When its newest assessment started."""


def list_organisations(session: Session, workspace_id: uuid.UUID, window: Window = FIRST_PAGE) -> Page[OrganisationRow]:
    """A page of the workspace's organisations by name, with their assessments counted in one aggregate query."""
    query = select(Organisation).where(Organisation.workspace_id == workspace_id)
    page = page_of(session, query.order_by(Organisation.name, Organisation.id), window)
    ids = [organisation.id for organisation in page.items]
    counted = (
        select(Assessment.organisation_id, func.count(), func.max(Assessment.created_at))
        .where(Assessment.organisation_id.in_(ids))
        .group_by(Assessment.organisation_id)
    )
    found = {key: (count, latest) for key, count, latest in session.execute(counted)} if ids else {}
    rows = [OrganisationRow(o, *found.get(o.id, (0, None))) for o in page.items]
    return Page(rows, page.number, page.size, page.total)


def _audit(
    session: Session,
    assessment: Assessment,
    actor: Actor,
    action: str,
    subject: str,
    old: Any = None,
    new: Any = None,
    respondent: Respondent | None = None,
) -> None:
    audit.record(
        session,
        assessment.organisation.workspace_id,
        actor,
        action,
        subject,
        old,
        new,
        assessment_id=assessment.id,
        respondent_id=respondent.id if respondent else None,
    )
