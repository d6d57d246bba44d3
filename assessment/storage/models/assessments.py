"""The assessed: organisations, their assessments, respondents, answers and pinned definitions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessment.storage.models.accounts import Workspace
from assessment.storage.models.base import Base, now, uuid_key


class DefinitionSnapshot(Base):
    """The questionnaire texts an assessment was started with, so later edits never change it."""

    __tablename__ = "definition_snapshots"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    sources: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=now)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = uuid_key()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(120))
    business_type: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=now)

    workspace: Mapped[Workspace] = relationship()
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="organisation", order_by="Assessment.created_at.desc()"
    )


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[uuid.UUID] = uuid_key()
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    crm_product: Mapped[str] = mapped_column(String(120))
    deployment: Mapped[str] = mapped_column(String(20))
    crm_users: Mapped[int] = mapped_column(Integer)
    go_live: Mapped[date | None] = mapped_column(Date)
    definitions_digest: Mapped[str] = mapped_column(ForeignKey("definition_snapshots.digest"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    kind: Mapped[str] = mapped_column(String(20), default="full", server_default="full")
    """`full`, or `quick_scan`: a prospect's public self-assessment, until the vendor converts it."""

    organisation: Mapped[Organisation] = relationship(back_populates="assessments")
    respondents: Mapped[list[Respondent]] = relationship(back_populates="assessment", order_by="Respondent.created_at")


class Respondent(Base):
    """Someone who answers: the assessment's lead (all questions) or an invitee (their role's)."""

    __tablename__ = "respondents"

    id: Mapped[uuid.UUID] = uuid_key()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(40))
    is_lead: Mapped[bool] = mapped_column(default=False)
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    language: Mapped[str | None] = mapped_column(String(10))
    """The language their e-mails are written in (their pages follow their browser)."""
    emailed_at: Mapped[datetime | None]
    """When the invitation or the last reminder was accepted by the mail server."""
    email_error: Mapped[str | None] = mapped_column(String(254))
    """Why the last e-mail could not be sent; None once one is."""
    reminded_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    last_active_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    """When they submitted their answers as finished; cleared when the project manager reopens them."""

    assessment: Mapped[Assessment] = relationship(back_populates="respondents")


class Answer(Base):
    """One respondent's answer to one question; each respondent writes only their own rows."""

    __tablename__ = "answers"

    respondent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    question: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
