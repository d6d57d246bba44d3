"""What a vendor or consultant keeps beside the assessments: stored readiness summaries for the
pipeline and benchmarks, quick-scan contacts, and webhooks with their delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessment.storage.models.accounts import User
from assessment.storage.models.assessments import Assessment, Organisation
from assessment.storage.models.base import Base, now, uuid_key


class Prospect(Base):
    """The vendor's side of an organisation: who looks after it and the deal they expect."""

    __tablename__ = "prospects"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    """The workspace member who looks after this prospect."""
    deal_value: Mapped[float | None] = mapped_column(Float)
    """What the vendor expects to sell, when they know better than the estimates' licences."""
    deal_currency: Mapped[str | None] = mapped_column(String(3))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    owner: Mapped[User | None] = relationship()


class AssessmentSummary(Base):
    """What the pipeline lists of an assessment, stored when anything it depends on changes
    (`services/summaries.py`) so that a page of thousands is one query, never a scoring per row."""

    __tablename__ = "assessment_summaries"
    __table_args__ = (
        Index("ix_assessment_summaries_pipeline", "workspace_id", "latest", "readiness"),
        Index("ix_assessment_summaries_activity", "workspace_id", "latest", "last_activity"),
    )

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    latest: Mapped[bool]
    """The organisation's most recent assessment: the one the pipeline shows."""
    stage: Mapped[str] = mapped_column(String(20))
    """quick_scan, collecting, scored or decided."""
    answered: Mapped[int] = mapped_column(Integer)
    addressed: Mapped[int] = mapped_column(Integer)
    readiness: Mapped[float | None] = mapped_column(Float)
    weakest_area: Mapped[str | None] = mapped_column(String(20))
    failure_probability: Mapped[float | None] = mapped_column(Float)
    recommendation: Mapped[str | None] = mapped_column(String(20))
    decision: Mapped[str | None] = mapped_column(String(20))
    qualification: Mapped[str | None] = mapped_column(String(20))
    qualification_reasons: Mapped[Any] = mapped_column(JSON, default=dict)
    """The qualification's reasons and next steps as codes with their figures, translated when shown."""
    deal_value: Mapped[float | None] = mapped_column(Float)
    deal_currency: Mapped[str | None] = mapped_column(String(3))
    size_band: Mapped[str | None] = mapped_column(String(20))
    last_activity: Mapped[datetime]
    policy_version: Mapped[int | None] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(default=now)

    assessment: Mapped[Assessment] = relationship(viewonly=True)
    organisation: Mapped[Organisation] = relationship(viewonly=True)
    prospect: Mapped[Prospect | None] = relationship(
        primaryjoin="foreign(AssessmentSummary.organisation_id) == Prospect.organisation_id", viewonly=True
    )


class AreaReadiness(Base):
    """One scored full assessment's readiness in one area, or `overall`, with the peer groups it is
    compared within: the rows the benchmark percentiles are counted from in SQL."""

    __tablename__ = "area_readiness"
    __table_args__ = (
        Index("ix_area_readiness_peers", "workspace_id", "area", "readiness"),
        Index("ix_area_readiness_industry", "workspace_id", "area", "industry", "readiness"),
        Index("ix_area_readiness_size", "workspace_id", "area", "size_band", "readiness"),
    )

    OVERALL = "overall"

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    readiness: Mapped[float] = mapped_column(Float)
    industry: Mapped[str] = mapped_column(String(120))
    size_band: Mapped[str | None] = mapped_column(String(20))


class ProspectContact(Base):
    """Who sent a quick scan, and the privacy text they consented to, word for word."""

    __tablename__ = "prospect_contacts"

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    privacy_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(default=now)
    result_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """The hash of the secret in the prospect's result link; only its holder can read the result."""
    language: Mapped[str | None] = mapped_column(String(10))


class Webhook(Base):
    """An endpoint a workspace owner registered for some events."""

    __tablename__ = "webhooks"

    id: Mapped[uuid.UUID] = uuid_key()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=now)
    disabled_at: Mapped[datetime | None]


class WebhookDelivery(Base):
    """One event for one webhook: its payload, each attempt's outcome, and when to try again."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid.UUID] = uuid_key()
    webhook_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[Any] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
