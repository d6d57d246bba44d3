"""What the economics and the gate read: named estimate scenarios, and recorded knock-out waivers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assessment.storage.models.base import Base, now, uuid_key


class Scenario(Base):
    """A named set of cost and benefit estimates, e.g. "cloud, 120 users"; data as `read_estimates` takes it."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("assessment_id", "name", name="uq_scenarios_assessment_name"),)

    id: Mapped[uuid.UUID] = uuid_key()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    data: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class Waiver(Base):
    """The steering committee's decision to proceed despite a knock-out, by name and with a reason."""

    __tablename__ = "waivers"

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    knock_out: Mapped[str] = mapped_column(String(64), primary_key=True)
    decided_by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=now)


class DecisionRecord(Base):
    """What the steering committee decided, with the recommendation and figures it decided on."""

    __tablename__ = "decision_records"

    id: Mapped[uuid.UUID] = uuid_key()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    conditions: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    basis: Mapped[Any] = mapped_column(JSON)
    """The recommendation and key figures at the time, so a later re-run shows what changed."""


class ReportCache(Base):
    """Rendered PDFs by a hash of everything they show: an unchanged report is never rendered twice."""

    __tablename__ = "report_cache"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=now)
