"""Respondent links: they expire, can be withdrawn and reopened, and answers always stay."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from assessment.storage.database import session
from assessment.storage.models import Respondent, now
from tests.conftest import csrf_token
from tests.web.helpers import answer, checked, create_assessment
from tests.web.test_respondents import invite


def act(client: FlaskClient, survey: str, action: str) -> None:
    overview = survey.removesuffix("/answers")
    page = client.get(overview).get_data(as_text=True)
    url = re.search(rf'action="(/assessments/[^"]+/respondents/[^"]+/{action})"', page).group(1)
    assert client.post(url, data={"csrf_token": csrf_token(client, overview)}).status_code == 302


def test_a_withdrawn_link_closes_and_a_reopened_one_finds_its_answers(app: Flask, client: FlaskClient) -> None:
    survey = create_assessment(client)
    link = invite(client, survey, "Neda", "end_user")
    respondent = app.test_client()
    answer(respondent, f"{link}/goals", {"goals_serve_users": "agree"})
    act(client, survey, "revoke")
    closed = respondent.get(f"{link}/goals")
    assert closed.status_code == 410
    assert "This link is closed" in closed.get_data(as_text=True)
    act(client, survey, "extend")
    assert checked(respondent.get(f"{link}/goals").get_data(as_text=True), "goals_serve_users") == ["agree"]


def test_an_expired_link_closes_until_it_is_extended(app: Flask, client: FlaskClient) -> None:
    survey = create_assessment(client)
    link = invite(client, survey, "Neda", "end_user")
    with app.app_context():
        db = session()
        db.query(Respondent).filter(Respondent.token.isnot(None)).update({"expires_at": now() - timedelta(minutes=1)})
        db.commit()
    assert app.test_client().get(f"{link}/").status_code == 410
    assert "closed" in client.get(survey.removesuffix("/answers")).get_data(as_text=True)
    act(client, survey, "extend")
    assert app.test_client().get(f"{link}/").status_code == 200
