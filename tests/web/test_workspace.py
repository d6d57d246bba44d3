"""The workspace: its members and their roles, switching workspaces, and the audit trail with its restores."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask.testing import FlaskClient

from assessment.factory import create_app
from assessment.storage.database import session
from assessment.storage.models import User
from tests.conftest import Member, add_member, add_workspace, csrf_token, sign_in
from tests.web.helpers import answer, checked, create_assessment, invite, post
from tests.web.lists import add_assessments, link, statements


def test_the_last_owner_cannot_be_demoted_or_removed(app: Flask, client: FlaskClient, owner: Member) -> None:
    with app.app_context():
        owner_id = session().query(User).filter_by(email=owner.email).one().id
    response = post(client, f"/workspace/members/{owner_id}/role", {"role": "viewer"}, page="/workspace/members")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A workspace needs at least one owner" in page
    post(client, f"/workspace/members/{owner_id}/remove", {}, page="/workspace/members")
    assert client.get("/workspace/members").status_code == 200


LAST_OWNER = "A workspace needs at least one owner: make someone else owner first."
LAST_OWNER_FA = "فضای کاری دست‌کم یک مالک می‌خواهد: نخست کس دیگری را مالک کنید."


def test_a_refused_membership_change_is_shown_in_the_readers_language(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = Catalog(locale="fa")
    catalog.add(LAST_OWNER, LAST_OWNER_FA)
    messages = tmp_path / "translations" / "fa" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with (messages / "messages.mo").open("wb") as file:
        write_mo(file, catalog)
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "t",
            "LANGUAGES": ("en", "fa"),
            "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations"),
        }
    )
    owner = add_workspace(app, "Pars", "sara@pars.example", "long-password-1")
    client = sign_in(app.test_client(), owner)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fa"
    with app.app_context():
        owner_id = session().query(User).filter_by(email=owner.email).one().id
    response = post(client, f"/workspace/members/{owner_id}/role", {"role": "viewer"}, page="/workspace/members")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert LAST_OWNER_FA in page and LAST_OWNER not in page
    app.extensions["db_engine"].dispose()


def test_a_member_of_two_workspaces_switches_between_them(app: Flask, client: FlaskClient, owner: Member) -> None:
    rival = add_workspace(app, "Second office", "boss@second.example", "boss-password-1")
    add_member(app, rival, owner.email, "analyst", owner.password)  # joins with the existing account
    assert "Acme consultancy" in client.get("/").get_data(as_text=True)
    post(client, f"/workspace/switch/{rival.workspace_id}", {}, page="/")
    page = client.get("/").get_data(as_text=True)
    assert "Second office" in page
    assert client.get("/workspace/members").status_code == 403  # an analyst there


def audit_rows(client: FlaskClient) -> list[list[str]]:
    return rows_of(client.get("/workspace/audit").get_data(as_text=True))


def rows_of(page: str) -> list[list[str]]:
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
    rows = [row[1:6] for row in audit_rows(client) if row[2] == "An answer changed"]
    users = "Goals: The goals say what the people who will use the CRM every day gain from it, not only what management gains."
    dated = "Goals: Is there a date by which the first goals should be met, and a date to review them?"
    assert rows == [  # in words: the question and the answers as the page shows them, never their ids
        ["Neda (respondent)", "An answer changed", users, "–", "Agree"],
        ["analyst@acme.example", "An answer changed", dated, "Yes", "No"],
        ["owner@example.com", "An answer changed", dated, "–", "Yes"],
    ]


def test_saving_an_unchanged_page_adds_nothing_to_the_trail(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", {"goals_dated": "yes"})
    before = len(audit_rows(client))
    answer(client, f"{survey}/goals", {"goals_dated": "yes"}, shown={"goals_dated": '"yes"'})
    assert len(audit_rows(client)) == before


SPONSOR = "Strategy: Is there an executive sponsor with the authority to fund the project?"


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
        "An answer changed",
        "Strategy: On which criteria will the CRM product and partner be chosen?",
        "Mainly the purchase price",
        "Fit with our processes and requirements, Total cost of ownership: licences, training, maintenance, upgrades",
    ]


def test_membership_and_link_changes_are_in_the_trail(client: FlaskClient) -> None:
    survey = create_assessment(client)
    invite(client, survey, "Omid", "it")
    client.post(
        "/workspace/members",
        data={"email": "new@acme.example", "role": "viewer", "csrf_token": csrf_token(client, "/workspace/members")},
    )
    actions = [row[2] for row in audit_rows(client)]
    assert {"A member joined", "A respondent invited", "A member invited"} <= set(actions)


def test_an_old_answer_change_on_a_later_page_of_the_trail_is_restored_and_the_page_kept(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/strategy", {"executive_sponsor": "yes"})
    answer(client, f"{survey}/strategy", {"executive_sponsor": "no"})  # the mistake
    for value in ["yes", "no"] * 12:
        answer(client, f"{survey}/goals", {"goals_dated": value})
    url = "/workspace/audit?kind=answer.changed&per_page=10"
    while url:
        page = client.get(url).get_data(as_text=True)
        url = link(page, "next")
    assert "Page 3 of 3 · 26 changes" in page
    rows, restores = rows_of(page), re.findall(r'action="(/workspace/audit/[^"]+/restore)"', page)
    mistake = next(restores[n] for n, row in enumerate(rows) if row[3:6] == [SPONSOR, "Yes", "No"])
    kept = dict(re.findall(r'<input type="hidden" name="(kind|page|per_page)" value="([^"]+)">', page))
    assert kept == {"kind": "answer.changed", "page": "3", "per_page": "10"}
    response = client.post(mistake, data=kept | {"csrf_token": csrf_token(client, "/workspace/audit")})
    assert response.headers["Location"] == "/workspace/audit?kind=answer.changed&page=3&per_page=10"
    assert checked(client.get(f"{survey}/strategy").get_data(as_text=True), "executive_sponsor") == ["yes"]
    assert audit_rows(client)[0][2:6] == ["An answer changed", SPONSOR, "No", "Yes"]


def test_the_trail_narrows_to_a_person_an_organisation_and_a_kind_of_change(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    analyst = add_member(app, owner, "analyst@acme.example", "analyst")
    kaveh = create_assessment(client, organisation_name="Kaveh Foods")
    pars = create_assessment(client, organisation_name="Pars Tile")
    answer(client, f"{kaveh}/goals", {"goals_dated": "yes"})
    answer(sign_in(app.test_client(), analyst), f"{pars}/goals", {"goals_dated": "no"})
    invite(client, pars, "Omid", "it")

    def shown(query: str) -> list[tuple[str, str, str]]:
        page = client.get(f"/workspace/audit?{query}")
        assert page.status_code == 200
        return [(row[1], row[2], row[6]) for row in rows_of(page.get_data(as_text=True))]

    assert shown("who=ANALYST") == [
        ("analyst@acme.example", "An answer changed", "Pars Tile"),
        ("analyst@acme.example", "A member joined", "–"),
    ]
    assert shown("organisation=pars") == [
        ("owner@example.com", "A respondent invited", "Pars Tile"),
        ("analyst@acme.example", "An answer changed", "Pars Tile"),
    ]
    assert shown("kind=answer.changed&organisation=kaveh") == [
        ("owner@example.com", "An answer changed", "Kaveh Foods")
    ]
    assert shown("kind=member.added") == [
        ("analyst@acme.example", "A member joined", "–"),
        ("owner@example.com", "A member joined", "–"),
    ]
    assert shown("who=%25") == []  # a wildcard is matched as itself
    assert "No change matches." in client.get("/workspace/audit?who=nobody").get_data(as_text=True)
    refused = client.get("/workspace/audit?kind=everything")
    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)


def test_the_trail_keeps_its_filters_in_the_links_to_other_pages(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_assessments(app, owner, 12)
    page = client.get("/workspace/audit?kind=respondent.invited&per_page=5").get_data(as_text=True)
    assert "Page 1 of 3 · 12 changes" in page
    assert link(page, "next") == "/workspace/audit?kind=respondent.invited&per_page=5&page=2"
    assert '<option selected value="respondent.invited">' in page


def test_the_trail_runs_as_many_statements_for_200_entries_as_for_10(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_assessments(app, owner, 10)
    client.get("/workspace/audit")
    with statements(app) as at_10:
        assert client.get("/workspace/audit").status_code == 200
    add_assessments(app, owner, 190)
    with statements(app) as at_200:
        assert len(audit_rows(client)) == 50
    assert len(at_200) == len(at_10), "\n".join(at_200)


def test_every_kind_of_change_the_services_record_can_be_chosen_in_the_trail(client: FlaskClient) -> None:
    services = Path(__file__).resolve().parents[2] / "assessment" / "services"
    action = re.compile(r'(?<!Event\()"([a-z_]+\.[a-z_]+)"')  # webhook events are named by Event(...), not changes
    recorded = {kind for path in services.glob("*.py") for kind in action.findall(path.read_text())}
    page = client.get("/workspace/audit").get_data(as_text=True)
    offered = set(re.findall(r'<option(?: selected)? value="([^"]+)">', page))
    assert recorded == offered
