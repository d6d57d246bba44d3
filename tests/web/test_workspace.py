"""The workspace: its members and their roles, switching workspaces, and the audit trail with its restores."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from assessment.storage.database import session
from assessment.storage.models import User
from tests.conftest import Member, add_member, add_workspace, csrf_token, sign_in
from tests.web.helpers import answer, checked, create_assessment, invite, post


def test_the_last_owner_cannot_be_demoted_or_removed(app: Flask, client: FlaskClient, owner: Member) -> None:
    with app.app_context():
        owner_id = session().query(User).filter_by(email=owner.email).one().id
    response = post(client, f"/workspace/members/{owner_id}/role", {"role": "viewer"}, page="/workspace/members")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A workspace needs at least one owner" in page
    post(client, f"/workspace/members/{owner_id}/remove", {}, page="/workspace/members")
    assert client.get("/workspace/members").status_code == 200


def test_a_member_of_two_workspaces_switches_between_them(app: Flask, client: FlaskClient, owner: Member) -> None:
    rival = add_workspace(app, "Second office", "boss@second.example", "boss-password-1")
    add_member(app, rival, owner.email, "analyst", owner.password)  # joins with the existing account
    assert "Acme consultancy" in client.get("/").get_data(as_text=True)
    post(client, f"/workspace/switch/{rival.workspace_id}", {}, page="/")
    page = client.get("/").get_data(as_text=True)
    assert "Second office" in page
    assert client.get("/workspace/members").status_code == 403  # an analyst there


def audit_rows(client: FlaskClient) -> list[list[str]]:
    page = client.get("/workspace/audit").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def test_each_answer_change_is_kept_with_who_old_and_new(app: Flask, client: FlaskClient, owner: Member) -> None:
    analyst = add_member(app, owner, "analyst@acme.example", "analyst")
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", {"goals_dated": "yes"})
    answer(sign_in(app.test_client(), analyst), f"{survey}/goals", {"goals_dated": "no"})
    neda = invite(client, survey, "Neda", "end_user")
    answer(app.test_client(), f"{neda}/goals", {"goals_serve_users": "agree"})
    rows = [row[1:6] for row in audit_rows(client) if row[2] == "answer.changed"]
    assert rows == [
        ["Neda (respondent)", "answer.changed", "goals.goals_serve_users", "–", "agree"],
        ["analyst@acme.example", "answer.changed", "goals.goals_dated", "yes", "no"],
        ["owner@example.com", "answer.changed", "goals.goals_dated", "–", "yes"],
    ]


def test_saving_an_unchanged_page_adds_nothing_to_the_trail(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", {"goals_dated": "yes"})
    before = len(audit_rows(client))
    answer(client, f"{survey}/goals", {"goals_dated": "yes"}, shown={"goals_dated": '"yes"'})
    assert len(audit_rows(client)) == before


def test_an_owner_restores_an_answer_overwritten_by_mistake(app: Flask, client: FlaskClient, owner: Member) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/strategy", {"selection_criteria": ["functional_fit", "total_cost_of_ownership"]})
    answer(client, f"{survey}/strategy", {"selection_criteria": ["price_only"]})
    page = client.get("/workspace/audit").get_data(as_text=True)
    mistake = re.findall(r'action="(/workspace/audit/[^"]+/restore)"', page)[0]  # newest first
    response = client.post(mistake, data={"csrf_token": csrf_token(client, "/workspace/audit")})
    assert response.status_code == 302
    assert checked(client.get(f"{survey}/strategy").get_data(as_text=True), "selection_criteria") == [
        "functional_fit",
        "total_cost_of_ownership",
    ]
    newest = audit_rows(client)[0]
    assert newest[2:6] == [
        "answer.changed",
        "strategy.selection_criteria",
        "price_only",
        "functional_fit, total_cost_of_ownership",
    ]


def test_membership_and_link_changes_are_in_the_trail(client: FlaskClient) -> None:
    survey = create_assessment(client)
    invite(client, survey, "Omid", "it")
    client.post(
        "/workspace/members",
        data={"email": "new@acme.example", "role": "viewer", "csrf_token": csrf_token(client, "/workspace/members")},
    )
    actions = [row[2] for row in audit_rows(client)]
    assert {"member.added", "respondent.invited", "member.invited"} <= set(actions)
