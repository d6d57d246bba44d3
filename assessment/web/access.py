"""Who is asking, and what they may reach: the one tenancy guard every route goes through.

Outside your workspaces everything is "not found", with no hint that it exists; inside,
a role too low for the action is "forbidden".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, Protocol, TypeVar, cast

from flask import Flask, abort, current_app, g, jsonify, request
from flask import session as cookie
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Mapped

from assessment.services import accounts
from assessment.services.assessments import find_assessment
from assessment.services.audit import Actor
from assessment.storage.database import session
from assessment.storage.models import ApiToken, Assessment, MemberRole, Membership, Organisation, User
from assessment.web.labels import AREAS, OUTCOMES, PRESETS, QUALIFICATION_CLASSES, SIZE_BANDS, STAGES

login_manager = LoginManager()
csrf = CSRFProtect()
View = TypeVar("View", bound=Callable[..., Any])


class SignedIn(UserMixin):
    """The signed-in user; the id the cookies carry is their session's token, so ending the session
    on the server (sign-out, a new password, "sign out everywhere", disuse) refuses every copy of them."""

    def __init__(self, user: User, token: str) -> None:
        self.user = user
        self.token = token

    def get_id(self) -> str:
        return self.token


def session_terms() -> accounts.SessionTerms:
    """How long sign-ins last here: the idle limit, and the term of "keep me signed in"."""
    config = current_app.config
    return accounts.SessionTerms(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        remembered=timedelta(seconds=config["REMEMBER_COOKIE_DURATION"]),
    )


@login_manager.user_loader
def _load_user(token: str) -> SignedIn | None:
    user = accounts.session_user(session(), token, session_terms())
    return SignedIn(user, token) if user is not None else None


def signed_in_user() -> User | None:
    return current_user.user if current_user.is_authenticated else None


def current_membership() -> Membership | None:
    """The membership of the workspace the user is working in (the first one unless they switched)."""
    if "membership" not in g:
        user = signed_in_user()
        memberships = accounts.memberships_of(session(), user) if user else []
        chosen = cookie.get("workspace_id")
        g.membership = next((m for m in memberships if str(m.workspace_id) == chosen), None) or (
            memberships[0] if memberships else None
        )
    return g.membership


def current_actor() -> Actor:
    token: ApiToken | None = g.get("api_token")
    if token is not None:
        return Actor("token", token.id, token.name)
    user = signed_in_user()
    return Actor("user", user.id, user.email) if user else Actor("anonymous", None, "anonymous")


def _unauthorised() -> None:
    if request.blueprint == "api":
        response = jsonify(error="authentication required: send 'Authorization: Bearer <token>'")
        response.status_code = 401
        abort(response)
    abort(login_manager.unauthorized())


def require_workspace(needed: MemberRole) -> Membership:
    """The current workspace's membership, with at least the `needed` role."""
    if not current_user.is_authenticated:
        _unauthorised()
    membership = current_membership()
    if membership is None or not accounts.at_least(membership.role, needed):
        abort(403)
    return membership


def member_required(needed: MemberRole) -> Callable[[View], View]:
    """Decorate a workspace-level view: sign-in required, and a role of at least `needed`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            require_workspace(needed)
            return view(*args, **kwargs)

        return cast(View, guarded)

    return decorate


def membership_in(workspace_id: uuid.UUID) -> Membership:
    """The signed-in user's membership of a workspace; "not found" outside it, as for any record."""
    user = signed_in_user()
    found = accounts.membership(session(), workspace_id, user.id) if user else None
    if found is None:
        abort(404)
    return found


def role_in(workspace_id: uuid.UUID) -> str | None:
    """The asker's role in a workspace: through an API token or a membership; None when outside it."""
    token: ApiToken | None = g.get("api_token")
    if token is not None:
        return token.role if token.workspace_id == workspace_id else None
    user = signed_in_user()
    if user is None:
        _unauthorised()
    member = accounts.membership(session(), workspace_id, user.id)
    return member.role if member else None


def assessment_for(assessment_id: uuid.UUID, needed: MemberRole) -> Assessment:
    """The assessment, if the asker's workspace holds it (else 404) and their role allows (else 403)."""
    _require_asker()
    found = find_assessment(session(), assessment_id)
    guarded = _guarded(found, found.organisation.workspace_id if found else None, needed)
    # How its workspace shows rial amounts, for the money filters (web/i18n.py) of this request.
    g.rial_in_toman = guarded.organisation.workspace.rial_in_toman
    return guarded


def organisation_for(organisation_id: uuid.UUID, needed: MemberRole) -> Organisation:
    """The organisation, under the same rule as an assessment."""
    return workspace_record(Organisation, organisation_id, needed)


class _InWorkspace(Protocol):
    workspace_id: Mapped[uuid.UUID]


Record = TypeVar("Record", bound=_InWorkspace)


def workspace_record(kind: type[Record], record_id: uuid.UUID, needed: MemberRole) -> Record:
    """A record that names its workspace (an organisation, an API token, an audit entry), under the same rule."""
    _require_asker()
    found = session().get(kind, record_id)
    return _guarded(found, found.workspace_id if found else None, needed)


def _require_asker() -> None:
    """Someone signed in, or an API token: anyone else is sent to sign in."""
    if g.get("api_token") is None and not current_user.is_authenticated:
        _unauthorised()


Guarded = TypeVar("Guarded")


def _guarded(found: Guarded | None, workspace_id: uuid.UUID | None, needed: MemberRole) -> Guarded:
    """404 unless the asker belongs to the record's workspace (no hint it exists); 403 when their role is too low."""
    role = role_in(workspace_id) if workspace_id is not None else None
    if found is None or role is None:
        abort(404)
    if not accounts.at_least(role, needed):
        abort(403)
    return found


def may(needed: MemberRole, workspace_id: uuid.UUID | None = None) -> bool:
    """For templates: whether to offer an action the asker may take."""
    if workspace_id is None:
        membership = current_membership()
        return membership is not None and accounts.at_least(membership.role, needed)
    role = role_in(workspace_id) if current_user.is_authenticated else None
    return role is not None and accounts.at_least(role, needed)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    app.jinja_env.globals.update(
        may=may,
        current_membership=current_membership,
        Role=MemberRole,
        outcome_labels=OUTCOMES,
        preset_labels=PRESETS,
        area_names=AREAS,
        stage_labels=STAGES,
        qualification_labels=QUALIFICATION_CLASSES,
        size_labels=SIZE_BANDS,
    )
