"""The OpenAPI description: valid, served without a token, naming exactly the API's routes, and true to
the responses those routes really give."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from werkzeug.test import TestResponse

from tests.conftest import csrf_token
from tests.web.api_helpers import bearer, new_token
from tests.web.helpers import ESTIMATES_FORM, answer, create_assessment, invite


def documented_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in document["paths"].items() for method in item}


def app_routes(app: Flask) -> set[tuple[str, str]]:
    """The API blueprint's routes as OpenAPI writes them: `/assessments/{assessment_id}`, relative to /api/v1."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, method) for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    return routes


def conforms(document: dict[str, Any], path: str, method: str, response: TestResponse) -> None:
    """`response` is one the description documents for this route, and its body validates against its schema."""
    documented = document["paths"][path][method.lower()]["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {path} answered {response.status_code}, which is not documented"
    if "$ref" in documented:
        documented = document["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
    schema = documented["content"]["application/json"]["schema"] | {"components": document["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(response.get_json()), key=str)
    assert not errors, f"{method} {path} ({response.status_code}): " + "\n".join(
        f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]
    )


def test_the_description_is_valid_openapi_and_needs_no_token(app: Flask) -> None:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearer"]["description"],
    }
    assert document["security"] == [{"bearer": []}]


def test_only_the_description_is_open_without_a_token(app: Flask) -> None:
    api = app.test_client()
    assert api.get("/api/v1/assessments").status_code == 401
    assert api.get("/api/v1/openapi.yaml").status_code == 404  # no file beside it is served
    assert api.get("/api/v1/pipeline", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_every_api_route_is_documented_and_every_documented_route_exists(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    routes = app_routes(app)
    assert routes - documented_routes(document) == set(), "routes of the API without a description"
    assert documented_routes(document) - routes == set(), "described routes the API does not have"


def test_real_responses_validate_against_their_documented_schemas(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    survey = create_assessment(client, organisation_name="Kaveh Foods")
    assessment = survey.removesuffix("/answers")
    answer(client, f"{survey}/strategy", {"executive_sponsor": "no", "phased_rollout": "agree"})
    answer(client, f"{survey}/goals", {"business_goals_written": "agree", "goals_dated": "yes"})
    link = invite(client, survey, "Reza", "end_user")
    answer(
        app.test_client(), f"{link}/adoption", {"primary_group_awareness": "agree", "primary_group_desire": "disagree"}
    )
    client.post(
        f"{assessment}/estimates", data=ESTIMATES_FORM | {"csrf_token": csrf_token(client, f"{assessment}/estimates")}
    )
    create_assessment(client, organisation_name="Empty Ltd")
    assessment_id = assessment.rsplit("/", 1)[1]
    analyst, viewer = new_token(client, "analyst"), new_token(client, "viewer", "Reports")
    api = app.test_client()
    tried: set[tuple[str, str]] = set()

    def check(method: str, path: str, url: str, token: str | None = analyst, **kwargs: Any) -> TestResponse:
        headers = bearer(token) if token else {}
        response = api.open(f"/api/v1{url}", method=method, headers=headers, **kwargs)
        conforms(document, path, method, response)
        if response.status_code < 300:
            tried.add((path, method))
        return response

    one = "/assessments/{assessment_id}"
    check("GET", "/openapi.json", "/openapi.json", token=None)
    assert len(check("GET", "/assessments", "/assessments?per_page=1").get_json()["assessments"]) == 1
    check("GET", "/assessments", "/assessments", token=None)
    check("GET", "/assessments", "/assessments?page=9")
    check("GET", one, f"/assessments/{assessment_id}")
    check("GET", one, "/assessments/00000000-0000-0000-0000-000000000000")
    check("GET", f"{one}/answers", f"/assessments/{assessment_id}/answers")
    check("GET", f"{one}/results", f"/assessments/{assessment_id}/results")
    check("GET", f"{one}/results", f"/assessments/{assessment_id}/results?preset=equal")
    check("GET", f"{one}/results", f"/assessments/{assessment_id}/results?preset=galactic")
    area = f"{one}/answers/{{area}}"
    saved = check(
        "PATCH", area, f"/assessments/{assessment_id}/answers/strategy", json={"answers": {"executive_sponsor": "yes"}}
    )
    assert saved.get_json()["saved"] == ["executive_sponsor"]
    check("PATCH", area, f"/assessments/{assessment_id}/answers/strategy", json={"answers": {"colour": "red"}})
    check("PATCH", area, f"/assessments/{assessment_id}/answers/strategy", data="[", content_type="application/json")
    check("PATCH", area, f"/assessments/{assessment_id}/answers/nowhere", json={"answers": {}})
    check("PATCH", area, f"/assessments/{assessment_id}/answers/strategy", token=viewer, json={"answers": {}})
    prospects = check("GET", "/pipeline", "/pipeline?sort=-readiness").get_json()["prospects"]
    assert {p["organisation"]["name"] for p in prospects} == {"Kaveh Foods", "Empty Ltd"}
    assert any(p["readiness"] is not None for p in prospects) and any(p["readiness"] is None for p in prospects)
    check("GET", "/pipeline", "/pipeline?stage=collecting&q=kaveh&decision=none&sort=organisation")
    check("GET", "/pipeline", "/pipeline?sort=nonsense&page=1&per_page=1")
    assert tried == app_routes(app), "a route without a successful response checked"
