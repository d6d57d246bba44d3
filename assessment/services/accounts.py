"""Workspaces, members, sign-in, one-time links and API tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from assessment.engine.text import N_
from assessment.services import audit
from assessment.services.audit import Actor
from assessment.storage.models import (
    ApiToken,
    MemberInvitation,
    MemberRole,
    Membership,
    PasswordReset,
    SignInSession,
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
SEEN_EVERY = timedelta(minutes=1)
"""How stale a session's last use may be before it is written again: one write a minute, not one a request."""
_UNUSABLE = generate_password_hash(new_token(), method=HASH_METHOD)
"""Checked against when no such user exists, so a wrong e-mail costs as long as a wrong password."""


class AccountError(Exception):
    """A request about accounts that cannot be granted; the message is safe to show, translated where shown."""


@dataclass(frozen=True)
class SessionTerms:
    """How long a signed-in session lasts."""

    idle: timedelta
    """Unused this long, a session has ended."""
    remembered: timedelta
    """A session kept on its device ("keep me signed in") ends this long after sign-in, used or not."""


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
        raise AccountError(N_("This e-mail already has an account: enter its password to join."))
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
        raise AccountError(N_("A workspace needs at least one owner: make someone else owner first."))


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
    reset.used_at = now()
    _forget_sessions(session, user)
    session.commit()
    return user


def change_password(session: Session, user: User, current: str, password: str) -> None:
    """Set a new password for someone who knows the current one; every session of theirs ends."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError(N_("That is not your current password."))
    user.password_hash = _hash(password)
    _forget_sessions(session, user)
    session.commit()


def start_session(session: Session, user: User, remembered: bool, terms: SessionTerms) -> str:
    """A new signed-in session; its token goes into the browser's cookies and only its hash is kept.

    The user's sessions that ended on their own are cleared out on the way.
    """
    session.execute(delete(SignInSession).where(SignInSession.user_id == user.id, _ended(terms)))
    token = new_token()
    session.add(SignInSession(token_hash=token_hash(token), user=user, remembered=remembered))
    session.commit()
    return token


def session_user(session: Session, token: str, terms: SessionTerms) -> User | None:
    """Whose live session `token` names, noting its use; None once it was ended or has run out."""
    live = (
        select(SignInSession)
        .options(joinedload(SignInSession.user))
        .where(SignInSession.token_hash == token_hash(token), ~_ended(terms))
    )
    found = session.scalar(live)
    if found is None:
        return None
    if now() - as_utc(found.last_seen_at) >= SEEN_EVERY:
        # A statement rather than a change to the loaded row, which a sign-out elsewhere may have just deleted.
        seen = update(SignInSession).where(SignInSession.token_hash == found.token_hash).values(last_seen_at=now())
        session.execute(seen)
        session.commit()
    return found.user


def end_session(session: Session, token: str) -> None:
    """Sign one browser out: its cookies, copied or not, name nothing any more."""
    session.execute(delete(SignInSession).where(SignInSession.token_hash == token_hash(token)))
    session.commit()


def end_every_session(session: Session, user: User) -> None:
    """Sign the user out on every device, this one included."""
    _forget_sessions(session, user)
    session.commit()


def _forget_sessions(session: Session, user: User) -> None:
    session.execute(delete(SignInSession).where(SignInSession.user_id == user.id))


def _ended(terms: SessionTerms) -> ColumnElement[bool]:
    """A session that has run out by now: the one rule, in SQL, for reading and for clearing out."""
    moment = now()
    return or_(
        and_(SignInSession.remembered, SignInSession.created_at <= moment - terms.remembered),
        and_(~SignInSession.remembered, SignInSession.last_seen_at <= moment - terms.idle),
    )


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


def set_rial_in_toman(session: Session, workspace: Workspace, toman: bool, actor: Actor) -> None:
    workspace.rial_in_toman = toman
    audit.record(session, workspace.id, actor, "workspace.money", workspace.name, new="toman" if toman else "rial")
    session.commit()


def set_logo(session: Session, workspace: Workspace, data: bytes | None, kind: str | None, actor: Actor) -> None:
    workspace.logo, workspace.logo_type = data, kind
    audit.record(session, workspace.id, actor, "workspace.logo", workspace.name, new=kind)
    session.commit()
