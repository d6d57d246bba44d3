"""The audit trail: every change to answers and membership, with who, when, old and new value."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.services.paging import FIRST_PAGE, Page, Window, page_of
from assessment.storage.models import Assessment, AuditEntry, Organisation


@dataclass(frozen=True)
class Actor:
    """Who made a change: a signed-in member, a respondent through their link, or an API token."""

    kind: str
    id: uuid.UUID | None
    label: str


SYSTEM = Actor("system", None, "CRM Gate")


def record(
    session: Session,
    workspace_id: uuid.UUID,
    actor: Actor,
    action: str,
    subject: str,
    old: Any = None,
    new: Any = None,
    assessment_id: uuid.UUID | None = None,
    respondent_id: uuid.UUID | None = None,
    area: str | None = None,
    question: str | None = None,
) -> None:
    """Add an entry to the caller's transaction; it commits or rolls back with the change itself.

    An answer's change names its `area` and `question`, so the answer can be restored from it.
    """
    session.add(
        AuditEntry(
            workspace_id=workspace_id,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label[:254],
            action=action,
            subject=subject[:254],
            area=area,
            question=question,
            old=old,
            new=new,
        )
    )


@dataclass(frozen=True)
class TrailFilter:
    """What an owner narrows the trail to: any part of who made the change and of the organisation's name,
    whatever its case, and one kind of change (an entry's `action`); an empty field narrows nothing."""

    who: str = ""
    organisation: str = ""
    kind: str = ""


EVERYTHING = TrailFilter()


def trail(
    session: Session, workspace_id: uuid.UUID, narrowed: TrailFilter = EVERYTHING, window: Window = FIRST_PAGE
) -> Page[AuditEntry]:
    """A page of a workspace's entries, newest first, so that every entry can be reached however old it is."""
    query = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if narrowed.who:
        query = query.where(AuditEntry.actor_label.icontains(narrowed.who, autoescape=True))
    if narrowed.kind:
        query = query.where(AuditEntry.action == narrowed.kind)
    if narrowed.organisation:
        query = (
            query.join(Assessment, Assessment.id == AuditEntry.assessment_id)
            .join(Assessment.organisation)
            .where(Organisation.name.icontains(narrowed.organisation, autoescape=True))
        )
    return page_of(session, query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), window)


def organisation_names(session: Session, entries: list[AuditEntry]) -> dict[uuid.UUID, str]:
    """The name of the organisation of each entry's assessment, by assessment id, in one query."""
    ids = {entry.assessment_id for entry in entries if entry.assessment_id is not None}
    if not ids:
        return {}
    query = select(Assessment.id, Organisation.name).join(Assessment.organisation).where(Assessment.id.in_(ids))
    return {assessment_id: name for assessment_id, name in session.execute(query)}
