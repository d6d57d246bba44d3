"""The audit trail: every change to answers and membership, with who, when, old and new value."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.storage.models import AuditEntry


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


def trail(session: Session, workspace_id: uuid.UUID, limit: int = 200) -> list[AuditEntry]:
    """The newest entries of a workspace first."""
    query = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    return list(session.scalars(query.order_by(AuditEntry.at.desc()).limit(limit)))
