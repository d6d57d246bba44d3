"""The JSON API: tokens hashed at rest and revocable, answers validated as the form validates them."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from assessment.storage.database import session
from tests.conftest import Member, csrf_token
from tests.web.api_helpers import bearer, new_token
from tests.web.helpers import answer, create_assessment, form_data
from tests.web.lists import add_assessments, statements


def test_a_token_reads_the_workspace_assessments_and_their_progress(app: Flask, client: FlaskClient) -> None:
    survey = create_assessment(client, organisation_name="Kaveh Foods")
    answer(client, f"{survey}/goals", {"goals_dated": "yes", "benefit_owners": "no"})
    token = new_token(client, "viewer")
    api = app.test_client()
    listed = api.get("/api/v1/assessments", headers=bearer(token)).get_json()["assessments"]
    assert [a["organisation"]["name"] for a in listed] == ["Kaveh Foods"]
    detail = api.get(f"/api/v1/assessments/{listed[0]['id']}", headers=bearer(token)).get_json()
    assert detail["progress"]["goals"] == {"answered": 2, "total": 11}
    answers = api.get(f"/api/v1/assessments/{listed[0]['id']}/answers", headers=bearer(token)).get_json()
    assert answers == {"answers": {"goals": {"goals_dated": "yes", "benefit_owners": "no"}}}


def test_an_analyst_token_writes_answers_validated_like_the_form(app: Flask, client: FlaskClient) -> None:
    survey = create_assessment(client)
    assessment_id = survey.split("/")[2]
    token, api = new_token(client), app.test_client()
    url = f"/api/v1/assessments/{assessment_id}/answers/strategy"
    good = api.patch(
        url,
        headers=bearer(token),
        json={"answers": {"executive_sponsor": "yes", "selection_criteria": ["functional_fit", "security_durability"]}},
    )
    assert good.status_code == 200
    assert good.get_json()["saved"] == ["executive_sponsor", "selection_criteria"]
    bad = api.patch(
        url, headers=bearer(token), json={"answers": {"executive_sponsor": "no", "digital_maturity": "galactic"}}
    )
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {"digital_maturity": ["Choose one of the options shown."]}
    unknown = api.patch(url, headers=bearer(token), json={"answers": {"executive_sponsor": "no", "colour": "red"}})
    assert unknown.status_code == 422 and unknown.get_json()["refused"] == ["colour"]
    assert unknown.get_json()["errors"] == {"colour": ["There is no such question in this area."]}
    shapeless = api.patch(url, headers=bearer(token), data="not json", content_type="application/json")
    assert shapeless.status_code == 400
    stored = api.get(f"/api/v1/assessments/{assessment_id}/answers", headers=bearer(token)).get_json()
    assert stored["answers"]["strategy"] == {
        "executive_sponsor": "yes",
        "selection_criteria": ["functional_fit", "security_durability"],
    }
    trail = client.get("/workspace/audit").get_data(as_text=True)
    assert "API token CRM sync" in trail


def test_a_revoked_token_stops_working_at_once(app: Flask, client: FlaskClient) -> None:
    token, api = new_token(client), app.test_client()
    assert api.get("/api/v1/assessments", headers=bearer(token)).status_code == 200
    page = client.get("/workspace/tokens").get_data(as_text=True)
    revoke = re.search(r'action="(/workspace/tokens/[^"]+/revoke)"', page).group(1)
    client.post(revoke, data={"csrf_token": csrf_token(client, "/workspace/tokens")})
    response = api.get("/api/v1/assessments", headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_are_stored_only_as_hashes_and_shown_once(app: Flask, client: FlaskClient) -> None:
    token = new_token(client)
    with app.app_context():
        stored = session().execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
    assert token not in stored and all(len(h) == 64 for h in stored)
    assert token not in client.get("/workspace/tokens").get_data(as_text=True)


def test_the_api_needs_no_csrf_token_but_a_cookie_alone_gets_nothing(app: Flask, client: FlaskClient) -> None:
    survey = create_assessment(client)
    assessment_id = survey.split("/")[2]
    response = client.patch(
        f"/api/v1/assessments/{assessment_id}/answers/goals", json={"answers": {"goals_dated": "yes"}}
    )
    assert response.status_code == 401  # a signed-in browser's cookie is not an API credential
    assert app.test_client().get("/api/v1/assessments", headers=bearer("crmg_made-up")).status_code == 401


def test_the_api_the_page_and_the_autosave_accept_and_refuse_the_same_values_alike(
    app: Flask, client: FlaskClient
) -> None:
    survey = create_assessment(client)
    assessment_id = survey.split("/")[2]
    token, api = new_token(client), app.test_client()
    url = f"/api/v1/assessments/{assessment_id}/answers/scope"
    typed = {"planned_duration_months": "۱۸", "change_control": "yes"}
    refused = {"planned_duration_months": "500"}
    through_api = api.patch(url, headers=bearer(token), json={"answers": typed})
    api_error = api.patch(url, headers=bearer(token), json={"answers": refused}).get_json()["errors"]
    from_api = api.get(f"/api/v1/assessments/{assessment_id}/answers", headers=bearer(token)).get_json()["answers"]
    api.patch(url, headers=bearer(token), json={"answers": {key: None for key in typed}})
    assert through_api.status_code == 200 and from_api["scope"] == {
        "planned_duration_months": 18.0,
        "change_control": "yes",
    }

    page = answer(client, f"{survey}/scope", typed)
    from_page = api.get(f"/api/v1/assessments/{assessment_id}/answers", headers=bearer(token)).get_json()["answers"]
    assert page.status_code == 302 and from_page == from_api

    autosave = client.post(
        f"{survey}/scope/autosave",
        data=MultiDict(form_data(refused) + [("csrf_token", csrf_token(client, f"{survey}/scope"))]),
    )
    assert autosave.status_code == 422 and autosave.get_json()["errors"] == api_error
    assert api_error == {"planned_duration_months": ["Enter a number of at most 120."]}


def test_the_api_lists_assessments_a_page_at_a_time_with_the_total_and_links(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_assessments(app, owner, 7)
    token, api = new_token(client, "viewer"), app.test_client()
    first = api.get("/api/v1/assessments?per_page=3", headers=bearer(token)).get_json()
    assert (first["page"], first["per_page"], first["pages"], first["total"]) == (1, 3, 3, 7)
    assert first["links"]["prev"] is None
    assert first["links"]["last"] == "http://localhost/api/v1/assessments?per_page=3&page=3"
    listed, url = [], "/api/v1/assessments?per_page=3"
    while url:
        page = api.get(url, headers=bearer(token)).get_json()
        listed += [a["organisation"]["name"] for a in page["assessments"]]
        url = page["links"]["next"]
    assert listed == [f"Organisation {n:04d}" for n in reversed(range(7))]
    assert api.get("/api/v1/assessments?per_page=5000", headers=bearer(token)).get_json()["per_page"] == 200
    beyond = api.get("/api/v1/assessments?per_page=3&page=4", headers=bearer(token))
    assert beyond.status_code == 404 and beyond.is_json


def test_the_api_list_runs_as_many_statements_for_200_assessments_as_for_10(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    token, api = new_token(client, "viewer"), app.test_client()
    add_assessments(app, owner, 10)
    api.get("/api/v1/assessments", headers=bearer(token))
    with statements(app) as at_10:
        assert api.get("/api/v1/assessments", headers=bearer(token)).status_code == 200
    add_assessments(app, owner, 190)
    with statements(app) as at_200:
        assert len(api.get("/api/v1/assessments", headers=bearer(token)).get_json()["assessments"]) == 50
    assert len(at_200) == len(at_10), "\n".join(at_200)


def test_every_api_error_is_json_with_a_message(app: Flask, client: FlaskClient) -> None:
    survey = create_assessment(client)
    assessment_id = survey.split("/")[2]
    token, api = new_token(client), app.test_client()
    answers = f"/api/v1/assessments/{assessment_id}/answers/strategy"
    cases = [
        (api.get("/api/v1/no-such-thing", headers=bearer(token)), 404),
        (api.get(f"/api/v1/assessments/{assessment_id}/results?preset=favourite", headers=bearer(token)), 404),
        (api.delete(answers, headers=bearer(token)), 405),
        (api.patch(answers, headers=bearer(token), data="[" * 100_000, content_type="application/json"), 400),
        (api.patch(answers, headers=bearer(token), json={"answers": {"note": "x" * 2_000_000}}), 413),
        (api.patch(answers, headers=bearer(token), json={"answers": {"executive_sponsor": "maybe"}}), 422),
    ]
    for response, status in cases:
        assert response.status_code == status, response.get_data(as_text=True)[:200]
        assert response.is_json and response.get_json()["error"], status
    assert cases[1][0].get_json()["error"] == "no such preset"
