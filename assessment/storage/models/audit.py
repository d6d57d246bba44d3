"""The audit trail: who changed what, when, from which value to which."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from assessment.storage.models.base import Base, now, uuid_key


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[uuid.UUID] = uuid_key()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    respondent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[uuid.UUID | None]
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(254))
    area: Mapped[str | None] = mapped_column(String(20))
    """For an answer's change: its area and question, so the answer can be found again."""
    question: Mapped[str | None] = mapped_column(String(64))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
