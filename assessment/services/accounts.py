"""Workspaces, members, sign-in, one-time links and API tokens."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from assessment.services import audit
from assessment.services.audit import Actor
from assessment.storage.models import (
    ApiToken,
    MemberInvitation,
    MemberRole,
    Membership,
    PasswordReset,
    User,
    Workspace,
    as_utc,
    new_token,
    now,
    token_hash,
)

INVITATION_DAYS = 7
RESET_HOURS = 2
ROLE_RANK = {MemberRole.VIEWER: 0, MemberRole.ANALYST: 1, MemberRole.OWNER: 2}
HASH_METHOD = "scrypt:32768:8:1"
"""Werkzeug's scrypt at its default cost (about 0.1 s a hash here); tests lower it for speed."""
_UNUSABLE = generate_password_hash(new_token(), method=HASH_METHOD)
"""Checked against when no such user exists, so a wrong e-mail costs as long as a wrong password."""


class AccountError(Exception):
    """A request about accounts that cannot be granted; the message is safe to show."""


def _hash(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def at_least(role: str, needed: MemberRole) -> bool:
    return ROLE_RANK[MemberRole(role)] >= ROLE_RANK[needed]


def has_users(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User)) > 0


def create_workspace(session: Session, name: str, email: str, owner_name: str, password: str) -> tuple[Workspace, User]:
    """A workspace and its first owner (a new user, or an existing one by e-mail)."""
    workspace = Workspace(name=name)
    user = find_user(session, email) or User(
        email=normalise_email(email), name=owner_name, password_hash=_hash(password)
    )
    session.add_all([workspace, user, Membership(workspace=workspace, user=user, role=MemberRole.OWNER)])
    session.flush()
    audit.record(session, workspace.id, Actor("user", user.id, user.email), "member.added", user.email, new="owner")
    session.commit()
    return workspace, user


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    valid = check_password_hash(user.password_hash if user else _UNUSABLE, password)
    return user if user is not None and valid else None


def membership(session: Session, workspace_id: uuid.UUID, user_id: uuid.UUID) -> Membership | None:
    return session.get(Membership, (workspace_id, user_id))


def memberships_of(session: Session, user: User) -> list[Membership]:
    return list(
        session.scalars(select(Membership).where(Membership.user_id == user.id).order_by(Membership.created_at))
    )


def members(session: Session, workspace_id: uuid.UUID) -> list[Membership]:
    query = select(Membership).join(User).where(Membership.workspace_id == workspace_id)
    return list(session.scalars(query.order_by(User.name)))


def invite_member(session: Session, workspace: Workspace, email: str, role: MemberRole, actor: Actor) -> str:
    """A one-time link to join `workspace`; the token is returned once and only its hash is kept."""
    token = new_token()
    session.add(
        MemberInvitation(
            workspace=workspace,
            email=normalise_email(email),
            role=role,
            token_hash=token_hash(token),
            expires_at=now() + timedelta(days=INVITATION_DAYS),
        )
    )
    audit.record(session, workspace.id, actor, "member.invited", normalise_email(email), new=role.value)
    session.commit()
    return token


def pending_invitations(session: Session, workspace_id: uuid.UUID) -> list[MemberInvitation]:
    """Invitations not yet used and not expired, newest first."""
    query = select(MemberInvitation).where(
        MemberInvitation.workspace_id == workspace_id,
        MemberInvitation.accepted_at.is_(None),
        MemberInvitation.expires_at > now(),
    )
    return list(session.scalars(query.order_by(MemberInvitation.created_at.desc())))


def open_invitation(session: Session, token: str) -> MemberInvitation | None:
    """The unused, unexpired invitation behind `token`, if any."""
    invitation = session.scalar(select(MemberInvitation).where(MemberInvitation.token_hash == token_hash(token)))
    if invitation is None or invitation.accepted_at is not None or as_utc(invitation.expires_at) <= now():
        return None
    return invitation


def accept_invitation(session: Session, invitation: MemberInvitation, name: str, password: str) -> User:
    """Join the workspace: a new account, or an existing one proven by its password."""
    user = find_user(session, invitation.email)
    if user is None:
        user = User(email=invitation.email, name=name, password_hash=_hash(password))
        session.add(user)
    elif not check_password_hash(user.password_hash, password):
        raise AccountError("This e-mail already has an account: enter its password to join.")
    session.flush()
    existing = membership(session, invitation.workspace_id, user.id)
    if existing is None:
        session.add(Membership(workspace_id=invitation.workspace_id, user_id=user.id, role=invitation.role))
    invitation.accepted_at = now()
    audit.record(
        session,
        invitation.workspace_id,
        Actor("user", user.id, user.email),
        "member.added",
        user.email,
        new=invitation.role,
    )
    session.commit()
    return user


def change_role(session: Session, member: Membership, role: MemberRole, actor: Actor) -> None:
    if member.role == MemberRole.OWNER and role != MemberRole.OWNER:
        _keep_an_owner(session, member)
    old, member.role = member.role, role
    audit.record(session, member.workspace_id, actor, "member.role_changed", member.user.email, old=old, new=role.value)
    session.commit()


def remove_member(session: Session, member: Membership, actor: Actor) -> None:
    if member.role == MemberRole.OWNER:
        _keep_an_owner(session, member)
    audit.record(session, member.workspace_id, actor, "member.removed", member.user.email, old=member.role)
    session.delete(member)
    session.commit()


def _keep_an_owner(session: Session, member: Membership) -> None:
    owners = session.scalar(
        select(func.count()).where(Membership.workspace_id == member.workspace_id, Membership.role == MemberRole.OWNER)
    )
    if owners <= 1:
        raise AccountError("A workspace needs at least one owner: make someone else owner first.")


def request_password_reset(session: Session, email: str) -> str | None:
    """A one-time reset link's token for `email`, or None when there is no such user."""
    user = find_user(session, email)
    if user is None:
        return None
    token = new_token()
    session.add(PasswordReset(token_hash=token_hash(token), user=user, expires_at=now() + timedelta(hours=RESET_HOURS)))
    session.commit()
    return token


def open_reset(session: Session, token: str) -> PasswordReset | None:
    reset = session.get(PasswordReset, token_hash(token))
    if reset is None or reset.used_at is not None or as_utc(reset.expires_at) <= now():
        return None
    return reset


def reset_password(session: Session, reset: PasswordReset, password: str) -> User:
    """Set the new password, spend the link, and sign out every session of the user."""
    user = reset.user
    user.password_hash = _hash(password)
    user.session_epoch += 1
    reset.used_at = now()
    session.commit()
    return user


def create_api_token(session: Session, workspace: Workspace, name: str, role: MemberRole, actor: Actor) -> str:
    """A token for integrations, shown once; only its hash is kept."""
    token = "crmg_" + new_token()
    session.add(ApiToken(workspace=workspace, name=name, role=role, token_hash=token_hash(token)))
    audit.record(session, workspace.id, actor, "token.created", name, new=role.value)
    session.commit()
    return token


def api_tokens(session: Session, workspace_id: uuid.UUID) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.workspace_id == workspace_id)
    return list(session.scalars(query.order_by(ApiToken.created_at.desc())))


def revoke_api_token(session: Session, token: ApiToken, actor: Actor) -> None:
    token.revoked_at = now()
    audit.record(session, token.workspace_id, actor, "token.revoked", token.name)
    session.commit()


def api_token_for(session: Session, secret: str) -> ApiToken | None:
    """The live token behind `secret`; its last use is recorded."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if token is None or token.revoked_at is not None:
        return None
    token.last_used_at = now()
    session.commit()
    return token


def set_logo(session: Session, workspace: Workspace, data: bytes | None, kind: str | None, actor: Actor) -> None:
    workspace.logo, workspace.logo_type = data, kind
    audit.record(session, workspace.id, actor, "workspace.logo", workspace.name, new=kind)
    session.commit()
