"""Who is answering: the lead, or an invitee by a private link that works while it is open.

Each sees only the questions addressed to them and only their own answers, even when both save at once.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from assessment.storage.database import session
from assessment.storage.models import Respondent, now
from tests.conftest import csrf_token
from tests.web.helpers import answer, checked, create_assessment, form_data, invite


def test_a_respondent_sees_only_the_questions_addressed_to_their_role(client: FlaskClient) -> None:
    survey = create_assessment(client)
    link = invite(client, survey, "Neda", "end_user")
    page = client.get(f"{link}/goals").get_data(as_text=True)
    assert 'name="a-goals_serve_users"' in page
    assert 'name="a-measurable_kpis"' not in page
    assert client.get(f"{link}/scope").status_code == 404  # no scope question is for end users
    start = client.get(f"{link}/").get_data(as_text=True)
    assert "Hello Neda" in start
    assert f'href="{link}/scope"' not in start


def test_an_answer_to_a_question_not_addressed_to_the_respondent_is_refused_by_name_and_nothing_is_saved(
    client: FlaskClient,
) -> None:
    """The page carries every question asked of the respondent, so any other id is a forged or broken
    page: refused on the page as on the autosave, rather than reported saved and silently dropped."""
    survey = create_assessment(client)
    link = invite(client, survey, "Neda", "end_user")
    sent = {"measurable_kpis": "kpis_baseline_targets", "goals_serve_users": "agree"}
    page = answer(client, f"{link}/goals", sent)
    assert page.status_code == 422
    assert "measurable_kpis: This question is not asked of you." in page.get_data(as_text=True)
    autosave = client.post(
        f"{link}/goals/autosave",
        data=MultiDict(form_data(sent)),
        headers={"X-CSRFToken": csrf_token(client, f"{link}/goals"), "Accept": "application/json"},
    )
    body = autosave.get_json()
    assert autosave.status_code == 422 and body["saved"] is False and body["refused"] == ["measurable_kpis"]
    assert body["errors"] == {"measurable_kpis": ["This question is not asked of you."]}
    assert "measurable_kpis" in body["error"]
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "measurable_kpis") == []
    assert checked(client.get(f"{link}/goals").get_data(as_text=True), "goals_serve_users") == []


def test_an_answer_to_a_question_the_area_does_not_have_is_refused_by_name(client: FlaskClient) -> None:
    survey = create_assessment(client)
    page = answer(client, f"{survey}/goals", {"goals_dated": "yes", "colour": "red"})
    assert page.status_code == 422
    assert "colour: There is no such question in this area." in page.get_data(as_text=True)
    autosave = client.post(
        f"{survey}/goals/autosave",
        data=MultiDict(form_data({"colour": "red"})),
        headers={"X-CSRFToken": csrf_token(client, f"{survey}/goals"), "Accept": "application/json"},
    )
    assert autosave.status_code == 422 and autosave.get_json()["refused"] == ["colour"]
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "goals_dated") == []


def test_respondents_never_see_each_others_answers(app, client: FlaskClient) -> None:
    survey = create_assessment(client)
    neda = invite(client, survey, "Neda", "end_user")
    omid = invite(client, survey, "Omid", "end_user")
    answer(client, f"{survey}/goals", {"goals_serve_users": "strongly_agree"})
    answer(app.test_client(), f"{neda}/goals", {"goals_serve_users": "disagree"})
    omid_page = app.test_client().get(f"{omid}/goals").get_data(as_text=True)
    assert checked(omid_page, "goals_serve_users") == []
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "goals_serve_users") == ["strongly_agree"]


def test_answering_at_the_same_time_overwrites_nobody(app, client: FlaskClient) -> None:
    survey = create_assessment(client)
    neda = invite(client, survey, "Neda", "end_user")
    lead_page, neda_client = f"{survey}/goals", app.test_client()
    # Both pages are open at once; both save the same question.
    lead_token, neda_token = csrf_token(client, lead_page), csrf_token(neda_client, f"{neda}/goals")
    for who, url, token, value in (
        (client, lead_page, lead_token, "agree"),
        (neda_client, f"{neda}/goals", neda_token, "disagree"),
    ):
        who.post(url, data={"_q": "goals_shared_by_managers", "a-goals_shared_by_managers": value, "csrf_token": token})
    assert checked(client.get(lead_page).get_data(as_text=True), "goals_shared_by_managers") == ["agree"]
    assert checked(neda_client.get(f"{neda}/goals").get_data(as_text=True), "goals_shared_by_managers") == ["disagree"]


OPTIONS = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]


ROUNDS = 25


def test_the_lead_and_a_respondent_saving_the_same_question_at_once_each_keep_their_own(
    app: Flask, client: FlaskClient
) -> None:
    survey = create_assessment(client)
    pages = [f"{survey}/goals", f"{invite(client, survey, 'Neda', 'end_user')}/goals"]
    clients = [client, app.test_client()]
    tokens = [csrf_token(c, page) for c, page in zip(clients, pages, strict=True)]
    start = threading.Barrier(2)
    statuses: list[list[int]] = [[], []]

    def writer(who: int) -> None:
        start.wait()
        for round_ in range(ROUNDS):
            value = OPTIONS[(round_ + who) % len(OPTIONS)]
            response = clients[who].post(
                pages[who],
                data={"_q": "goals_shared_by_managers", "a-goals_shared_by_managers": value, "csrf_token": tokens[who]},
            )
            statuses[who].append(response.status_code)

    threads = [threading.Thread(target=writer, args=(who,)) for who in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [[302] * ROUNDS, [302] * ROUNDS]
    for who in (0, 1):
        last = OPTIONS[(ROUNDS - 1 + who) % len(OPTIONS)]
        assert checked(clients[who].get(pages[who]).get_data(as_text=True), "goals_shared_by_managers") == [last]


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
    autosave = respondent.post(
        f"{link}/goals/autosave",
        data={"_q": "goals_serve_users", "a-goals_serve_users": "no"},
        headers={"X-CSRFToken": csrf_token(respondent, f"{link}/goals")},
    )
    assert autosave.status_code == 410 and "this link is closed" in autosave.get_json()["error"]
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


def test_an_unknown_or_malformed_token_is_not_found(client: FlaskClient) -> None:
    create_assessment(client)
    for token in ("nope", "x" * 43, "x" * 300):
        assert client.get(f"/r/{token}/goals").status_code == 404


def test_unknown_assessments_and_areas_are_not_found(client: FlaskClient) -> None:
    survey = create_assessment(client)
    assert client.get(f"{survey}/finance").status_code == 404
    assert client.get("/assessments/00000000-0000-4000-8000-000000000000/answers/goals").status_code == 404
    assert client.get("/assessments/1/answers/goals").status_code == 404
