"""The commands `make run` and administrators rely on."""

from __future__ import annotations

import uuid

from flask import Flask

from assessment.demo import DEMO_LOGIN, DEMO_ORGANISATION
from tests.conftest import Member, sign_in


def demo_member() -> Member:
    return Member(*DEMO_LOGIN, uuid.uuid4())


def test_migrating_and_seeding_twice_leaves_one_demo_with_half_its_answers(app: Flask) -> None:
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    first = runner.invoke(args=["demo", "seed"])
    second = runner.invoke(args=["demo", "seed"])
    assert first.output.startswith(f"Created demo assessment for {DEMO_ORGANISATION}")
    assert second.output.startswith(f"Already present: demo assessment for {DEMO_ORGANISATION}")
    assert f"Sign in as {DEMO_LOGIN[0]} with the password {DEMO_LOGIN[1]}" in second.output
    path = first.output.split(" at ")[-1].split()[0]
    assert path == second.output.split(" at ")[-1].split()[0]
    client = sign_in(app.test_client(), demo_member())
    assert client.get("/").get_data(as_text=True).count(DEMO_ORGANISATION) == 1
    summary = client.get(f"{path}/answers/summary").get_data(as_text=True)
    assert "Still missing" in summary and "13 of 13 answered" in summary


def test_a_reset_link_printed_for_a_member_lets_them_choose_a_new_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    printed = runner.invoke(args=["users", "reset-link", DEMO_LOGIN[0], "--base-url", "https://gate.example"])
    assert printed.exit_code == 0
    link = printed.output.strip()
    assert link.startswith("https://gate.example/password/reset/")
    client = app.test_client()
    path = link.removeprefix("https://gate.example")
    page = client.get(path).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(path, data={"password": "a-new-password", "confirm": "a-new-password", "csrf_token": token})
    assert response.status_code == 302
    sign_in(app.test_client(), Member(DEMO_LOGIN[0], "a-new-password", uuid.uuid4()))
    assert client.get(path).status_code == 404  # the link is spent


def test_a_reset_link_for_an_unknown_address_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["users", "reset-link", "nobody@example.com"])
    assert result.exit_code == 1
    assert "no account has the e-mail nobody@example.com" in result.output


def test_a_workspace_can_be_created_from_the_command_line(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["workspaces", "create", "Pars Consulting", "--owner", "ali@pars.example", "--password", "long-password-1"]
    )
    assert result.exit_code == 0, result.output
    assert "Workspace Pars Consulting created; ali@pars.example is its owner." in result.output
    client = sign_in(app.test_client(), Member("ali@pars.example", "long-password-1", uuid.uuid4()))
    assert "Pars Consulting" in client.get("/").get_data(as_text=True)
