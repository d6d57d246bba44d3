"""Accounts as use cases: workspaces, invitations, roles, passwords, sessions and API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask

from assessment.services import accounts
from assessment.storage.database import session
from assessment.storage.models import MemberRole, Workspace
from tests.conftest import Member
from tests.services.conftest import ANALYST

TERMS = accounts.SessionTerms(idle=timedelta(hours=12), remembered=timedelta(days=14))


@pytest.fixture
def workspace(app: Flask, owner: Member) -> Iterator[Workspace]:
    with app.app_context():
        found = session().get(Workspace, owner.workspace_id)
        assert found is not None
        yield found


def test_an_invitation_is_accepted_once_and_makes_a_member_with_the_role_given(workspace: Workspace) -> None:
    db = session()
    token = accounts.invite_member(db, workspace, "Nina@Example.com", MemberRole.ANALYST, ANALYST)
    invitation = accounts.open_invitation(db, token)
    assert invitation is not None
    user = accounts.accept_invitation(db, invitation, "Nina", "a long password 1")
    assert accounts.membership(db, workspace.id, user.id).role == MemberRole.ANALYST
    assert accounts.open_invitation(db, token) is None
    assert accounts.authenticate(db, "nina@example.com", "a long password 1") == user


def test_the_last_owner_cannot_be_demoted(workspace: Workspace) -> None:
    db = session()
    (only_owner,) = [m for m in accounts.members(db, workspace.id) if m.role == MemberRole.OWNER]
    with pytest.raises(accounts.AccountError):
        accounts.change_role(db, only_owner, MemberRole.VIEWER, ANALYST)
    assert accounts.members(db, workspace.id)[0].role == MemberRole.OWNER


def test_a_session_ends_when_signed_out_and_every_session_ends_with_a_new_password(
    workspace: Workspace, owner: Member
) -> None:
    db = session()
    user = accounts.find_user(db, owner.email)
    first = accounts.start_session(db, user, remembered=False, terms=TERMS)
    second = accounts.start_session(db, user, remembered=True, terms=TERMS)
    assert accounts.session_user(db, first, TERMS) == user == accounts.session_user(db, second, TERMS)
    accounts.end_session(db, first)
    assert accounts.session_user(db, first, TERMS) is None and accounts.session_user(db, second, TERMS) == user
    accounts.change_password(db, user, owner.password, "another long password")
    assert accounts.session_user(db, second, TERMS) is None
    with pytest.raises(accounts.AccountError):
        accounts.change_password(db, user, "wrong", "yet another password")


def test_an_api_token_is_stored_as_a_hash_and_stops_working_when_revoked(workspace: Workspace) -> None:
    db = session()
    secret = accounts.create_api_token(db, workspace, "CRM sync", MemberRole.VIEWER, ANALYST)
    token = accounts.api_token_for(db, secret)
    assert token is not None and secret not in {t.token_hash for t in accounts.api_tokens(db, workspace.id)}
    accounts.revoke_api_token(db, token, ANALYST)
    assert accounts.api_token_for(db, secret) is None
