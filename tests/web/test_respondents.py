"""Several respondents: private links, role-filtered questions, nobody else's answers."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import csrf_token
from tests.web.helpers import answer, checked, create_assessment


def invite(client: FlaskClient, survey: str, name: str, role: str, email: str = "") -> str:
    """Invite through the overview's form; return the respondent's private link path."""
    overview = survey.removesuffix("/answers")
    response = client.post(
        f"{overview}/respondents",
        data={"name": name, "email": email, "role": role, "csrf_token": csrf_token(client, overview)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(overview).get_data(as_text=True)
    links = re.findall(r'value="http://localhost(/r/[^"]+)/"', page)
    row = page[page.index(f">{name}<") :]
    return next(link for link in links if link in row)


def test_an_invitation_link_carries_an_unguessable_token(client: FlaskClient) -> None:
    survey = create_assessment(client)
    first = invite(client, survey, "Reza", "sponsor")
    second = invite(client, survey, "Neda", "end_user")
    assert first != second
    assert len(first.removeprefix("/r/")) >= 43  # 256 random bits


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


def test_a_respondent_cannot_answer_a_question_not_addressed_to_them(client: FlaskClient) -> None:
    survey = create_assessment(client)
    link = invite(client, survey, "Neda", "end_user")
    answer(client, f"{link}/goals", {"measurable_kpis": "kpis_baseline_targets", "goals_serve_users": "agree"})
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "measurable_kpis") == []
    assert checked(client.get(f"{link}/goals").get_data(as_text=True), "goals_serve_users") == ["agree"]


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


def test_the_overview_shows_who_has_answered_what(app, client: FlaskClient) -> None:
    survey = create_assessment(client)
    neda = invite(client, survey, "Neda", "end_user")
    answer(app.test_client(), f"{neda}/goals", {"goals_serve_users": "agree", "goals_shared_by_managers": "agree"})
    page = client.get(survey.removesuffix("/answers")).get_data(as_text=True)
    row = page[page.index(">Neda<") : page.index("</tr>", page.index(">Neda<"))]
    assert "End user" in row
    cells = re.findall(r'<td class="num">\s*(.*?)\s*</td>', row, re.S)
    assert cells[0] == "2 / 2"  # goals: both end-user questions
    assert "–" in cells[2]  # scope: nothing for this role


def test_an_invitation_without_a_name_is_refused_at_the_field(client: FlaskClient) -> None:
    survey = create_assessment(client)
    overview = survey.removesuffix("/answers")
    response = client.post(
        f"{overview}/respondents",
        data={"name": "", "email": "not-an-address", "role": "it", "csrf_token": csrf_token(client, overview)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This is required." in page
    assert "Enter an e-mail address such as name@example.com." in page
    assert "/r/" not in page


def test_an_unknown_or_malformed_token_is_not_found(client: FlaskClient) -> None:
    create_assessment(client)
    for token in ("nope", "x" * 43, "x" * 300):
        assert client.get(f"/r/{token}/goals").status_code == 404
