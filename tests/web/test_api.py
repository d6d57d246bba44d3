"""The JSON API: tokens hashed at rest and revocable, answers validated as the form validates them."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from assessment.storage.database import session
from tests.conftest import csrf_token
from tests.web.api_helpers import bearer, new_token
from tests.web.helpers import answer, create_assessment, form_data


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
    unknown = api.patch(url, headers=bearer(token), json={"answers": {"colour": "red"}})
    assert unknown.status_code == 422 and "colour" in unknown.get_json()["errors"]
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
