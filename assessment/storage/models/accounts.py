"""Workspaces, their members, and the one-time links that let people in."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessment.storage.models.base import Base, now, uuid_key


class MemberRole(StrEnum):
    """What a member may do in a workspace."""

    OWNER = "owner"
    ANALYST = "analyst"
    VIEWER = "viewer"


class Workspace(Base):
    """A CRM vendor, a consultancy or a company's project office: everything belongs to one."""

    __tablename__ = "workspaces"

    id: Mapped[uuid.UUID] = uuid_key()
    name: Mapped[str] = mapped_column(String(200))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(20))
    rial_in_toman: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Show Iranian rial (IRR) amounts in tomans (one toman is ten rials); stored figures stay in rials."""
    quick_scan_token: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    """The random name of the workspace's public quick-scan link (never its id, so none can be guessed)."""
    quick_scan_open: Mapped[bool] = mapped_column(default=False, server_default=false())
    quick_scan_embedding: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Whether other sites may show the quick scan in a frame."""
    privacy_text: Mapped[str | None] = mapped_column(Text)
    """What a prospect consents to before sending a quick scan."""
    webhook_secret: Mapped[str | None] = mapped_column(String(64))
    """The key webhook deliveries are signed with (HMAC-SHA256)."""
    created_at: Mapped[datetime] = mapped_column(default=now)

    memberships: Mapped[list[Membership]] = relationship(back_populates="workspace", cascade="all, delete-orphan")


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = uuid_key()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=now)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")


class SignInSession(Base):
    """One signed-in browser: its cookies name it, so deleting the row signs that browser out.

    Only the hash of the session's token is kept, like every other secret here.
    """

    __tablename__ = "sign_in_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    remembered: Mapped[bool]
    """Kept on this device ("keep me signed in"): lasts its full term however long unused."""
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)

    user: Mapped[User] = relationship()


class Membership(Base):
    __tablename__ = "memberships"

    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=now)

    workspace: Mapped[Workspace] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")


class MemberInvitation(Base):
    """A one-time link to join a workspace with a role; only its hash is kept."""

    __tablename__ = "member_invitations"

    id: Mapped[uuid.UUID] = uuid_key()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    workspace: Mapped[Workspace] = relationship()


class PasswordReset(Base):
    """A one-time link to set a new password; only its hash is kept."""

    __tablename__ = "password_resets"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A workspace's key for integrations, acting with a role; only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = uuid_key()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    workspace: Mapped[Workspace] = relationship()
