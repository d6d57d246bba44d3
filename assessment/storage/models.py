"""The stored state: organisations, assessments, respondents, answers and pinned definitions."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def _now() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    """An unguessable invitation token (256 bits)."""
    return secrets.token_urlsafe(32)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class DefinitionSnapshot(Base):
    """The questionnaire texts an assessment was started with, so later edits never change it."""

    __tablename__ = "definition_snapshots"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    sources: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=_now)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(120))
    business_type: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=_now)

    assessments: Mapped[list[Assessment]] = relationship(back_populates="organisation")


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    crm_product: Mapped[str] = mapped_column(String(120))
    deployment: Mapped[str] = mapped_column(String(20))
    crm_users: Mapped[int] = mapped_column(Integer)
    go_live: Mapped[date | None] = mapped_column(Date)
    definitions_digest: Mapped[str] = mapped_column(ForeignKey("definition_snapshots.digest"))
    created_at: Mapped[datetime] = mapped_column(default=_now)

    organisation: Mapped[Organisation] = relationship(back_populates="assessments")
    respondents: Mapped[list[Respondent]] = relationship(back_populates="assessment", order_by="Respondent.created_at")


class Respondent(Base):
    """Someone who answers: the assessment's lead (all questions) or an invitee (their role's)."""

    __tablename__ = "respondents"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(40))
    is_lead: Mapped[bool] = mapped_column(default=False)
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=_now)

    assessment: Mapped[Assessment] = relationship(back_populates="respondents")


class Answer(Base):
    """One respondent's answer to one question; each respondent writes only their own rows."""

    __tablename__ = "answers"

    respondent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    question: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)
