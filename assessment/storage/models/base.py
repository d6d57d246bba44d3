"""The declarative base and the small helpers every model uses."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their time zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_token() -> str:
    """An unguessable token for a link (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a secret token: enough to recognise it, useless to anyone who reads it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON, uuid.UUID: Uuid}


def uuid_key() -> Mapped[uuid.UUID]:
    """A random primary key: identifiers in URLs are never a guessable sequence."""
    return mapped_column(primary_key=True, default=uuid.uuid4)
