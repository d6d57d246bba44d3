"""Assessments: creating one, its overview with who has answered what, and inviting respondents."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Member, csrf_token
from tests.web.helpers import answer, create_assessment, invite
from tests.web.lists import add_assessments, link, row_headers, statements


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
    assert cells[0].startswith("2 of 14")  # of the questions addressed to an end user
    assert "in progress" in row and "no address" in row


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


@pytest.mark.parametrize("url", ["/", "/organisations/"])
def test_a_list_page_runs_as_many_statements_for_200_assessments_as_for_10(
    app: Flask, client: FlaskClient, owner: Member, url: str
) -> None:
    add_assessments(app, owner, 10)
    client.get(url)
    with statements(app) as at_10:
        assert client.get(url).status_code == 200
    add_assessments(app, owner, 190)
    with statements(app) as at_200:
        page = client.get(url).get_data(as_text=True)
    assert len(row_headers(page)) == 50
    assert len(at_200) == len(at_10), "\n".join(at_200)


def test_the_assessment_list_is_shown_a_page_at_a_time_newest_first(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_assessments(app, owner, 120)
    first = client.get("/").get_data(as_text=True)
    assert "Page 1 of 3 · 120 assessments" in first
    assert link(first, "prev") is None
    seen, url = [], "/"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += row_headers(page)
        url = link(page, "next")
    assert "Page 3 of 3 · 120 assessments" in page and link(page, "prev") == "/?page=2"
    assert seen == [f"Organisation {n:04d}" for n in reversed(range(120))]


def test_a_page_size_is_capped_and_a_page_that_does_not_exist_is_not_found(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_assessments(app, owner, 210)
    assert len(row_headers(client.get("/?per_page=10").get_data(as_text=True))) == 10
    assert len(row_headers(client.get("/?per_page=100000").get_data(as_text=True))) == 200
    assert len(row_headers(client.get("/organisations/?page=2&per_page=200").get_data(as_text=True))) == 10
    for query in ("page=0", "page=-1", "page=two", "page=6", "per_page=0", "page=99999999999999999999999"):
        assert client.get(f"/?{query}").status_code == 404, query


def test_the_organisation_list_counts_each_ones_assessments_and_shows_the_latest(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_assessments(app, owner, 3, organisation_name="Kaveh Foods")
    add_assessments(app, owner, 1, organisation_name="Pars Tile")
    page = client.get("/organisations/").get_data(as_text=True)
    rows = {
        row_headers(row)[0]: re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    }
    assert rows["Kaveh Foods"][2:] == ["3", format_date(datetime.now(UTC).date(), locale="en")]
    assert rows["Pars Tile"][2] == "1"
    assert "Page 1 of 1 · 2 organisations" in page


def test_an_organisation_shows_its_assessments_a_page_at_a_time(app: Flask, client: FlaskClient, owner: Member) -> None:
    add_assessments(app, owner, 60, organisation_name="Kaveh Foods")
    add_assessments(app, owner, 5)
    organisations = client.get("/organisations/").get_data(as_text=True)
    show = re.search(r'href="(/organisations/[^"]+)">Kaveh Foods<', organisations).group(1)
    first = client.get(show).get_data(as_text=True)
    assert "Page 1 of 2 · 60 assessments" in first
    second = client.get(link(first, "next")).get_data(as_text=True)
    assert len(re.findall(r"<tr>", first)) + len(re.findall(r"<tr>", second)) == 2 + 60


def test_the_list_shows_answers_respondents_readiness_recommendation_and_decision(client: FlaskClient) -> None:
    survey = create_assessment(client, organisation_name="Bahar Retail")
    answer(client, f"{survey}/goals", {"business_goals_written": "agree", "goals_dated": "yes"})
    neda = invite(client, survey, "Neda", "end_user")
    invite(client, survey, "Omid", "it")
    client.post(f"{neda}/finish", data={"csrf_token": csrf_token(client, f"{neda}/summary")})
    assessment = survey.removesuffix("/answers")
    estimates = {
        "scenario": "Base case",
        "currency": "USD",
        "horizon_years": "3",
        "discount_rate": "10",
        "c-implementation-likely": "90000",
        "b-marketing-saving_per_month-likely": "5000",
    }
    client.post(
        f"{assessment}/estimates", data=estimates | {"csrf_token": csrf_token(client, f"{assessment}/estimates")}
    )
    create_assessment(client, organisation_name="Arad Steel")
    page = client.get("/").get_data(as_text=True)
    row = page[page.index(">Bahar Retail<") : page.index("</tr>", page.index(">Bahar Retail<"))]
    assert "2 of " in row  # the lead's two answers, of every question asked of the lead and the two invited
    assert "1 of 2" in row  # respondents finished of invited
    assert re.search(r'class="decision decision-(go|conditional_go|no_go)"', row)
    assert row_headers(client.get("/?sort=organisation").get_data(as_text=True))[:2] == ["Arad Steel", "Bahar Retail"]
    assert row_headers(client.get("/").get_data(as_text=True))[:2] == ["Arad Steel", "Bahar Retail"]  # newest first
    other = page[page.index(">Arad Steel<") : page.index("</tr>", page.index(">Arad Steel<"))]
    assert "no estimates yet" in other
