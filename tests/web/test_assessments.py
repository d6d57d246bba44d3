"""Assessments: creating one, its overview with who has answered what, and inviting respondents."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import csrf_token
from tests.web.helpers import answer, create_assessment, invite


def test_creating_an_assessment_opens_its_overview_with_the_lead_answering_everything(client: FlaskClient) -> None:
    survey = create_assessment(client, organisation_name="Kaveh Foods")
    overview = client.get(survey.removesuffix("/answers")).get_data(as_text=True)
    assert "Kaveh Foods" in overview
    assert "every question" in overview
    assert "Kaveh Foods" in client.get("/").get_data(as_text=True)


def test_a_set_up_form_with_errors_keeps_what_was_typed_and_creates_nothing(client: FlaskClient) -> None:
    response = client.post(
        "/assessments/new",
        data={
            "organisation_name": "",
            "industry": "Retail",
            "crm_users": "many",
            "business_type": "b2c",
            "deployment": "cloud",
            "crm_product": "HubSpot",
            "lead_name": "Ali",
            "csrf_token": csrf_token(client, "/assessments/new"),
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This is required." in page
    assert "Enter a whole number of users, such as 40." in page
    assert 'value="Retail"' in page
    assert "No assessment yet" in client.get("/").get_data(as_text=True)


def test_an_invitation_link_carries_an_unguessable_token(client: FlaskClient) -> None:
    survey = create_assessment(client)
    first = invite(client, survey, "Reza", "sponsor")
    second = invite(client, survey, "Neda", "end_user")
    assert first != second
    assert len(first.removeprefix("/r/")) >= 43  # 256 random bits


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
