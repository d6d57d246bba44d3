"""Estimates in, the risk-adjusted economics and the gate out: the form, the page, the JSON."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from pathlib import Path

import yaml
from flask import Flask
from flask.testing import FlaskClient

from assessment.services.assessments import find_assessment
from assessment.services.economics import scenario
from assessment.storage.database import session
from assessment.web.economics.estimates_form import new_form
from tests.conftest import Member, add_member, csrf_token, sign_in
from tests.web.helpers import answer, create_assessment

FORM = {
    "scenario": "Cloud, 40 users",
    "currency": "EUR",
    "horizon_years": "3",
    "discount_rate": "10",
    "c-subscription-low": "40",
    "c-subscription-likely": "50",
    "c-subscription-high": "65",
    "c-implementation-likely": "60000",
    "c-training-low": "5000",
    "c-training-likely": "8000",
    "c-training-high": "12000",
    "b-time_saved-hours_per_user_week-low": "1",
    "b-time_saved-hours_per_user_week-likely": "2",
    "b-time_saved-hours_per_user_week-high": "3",
    "b-time_saved-users-likely": "40",
    "b-time_saved-loaded_hourly_cost-likely": "30",
    "b-time_saved-confidence": "moderately_confident",
    "b-revenue-leads_per_month-likely": "200",
    "b-revenue-conversion_uplift-likely": "3",
    "b-revenue-deal_value-likely": "3000",
    "b-revenue-margin-likely": "30",
    "b-revenue-confidence": "default",
}
STRATEGY = {"executive_sponsor": "no", "phased_rollout": "agree", "crm_strategy_written": "agree"}


def post_estimates(client: FlaskClient, assessment: str, form: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(
        f"{assessment}/estimates", data=form | {"csrf_token": csrf_token(client, f"{assessment}/estimates")}
    )


def test_estimates_entered_in_the_form_give_the_economics_and_the_decision(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    survey = create_assessment(client)
    assessment = survey.removesuffix("/answers")
    answer(client, f"{survey}/strategy", STRATEGY)
    saved = post_estimates(client, assessment, FORM)
    assert saved.status_code == 302 and "scenario=Cloud" in saved.headers["Location"]
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "No-go" in page
    assert "Knock-out: No executive sponsor with the authority to fund the project." in page
    document = client.get(f"{assessment}/decision.json").get_json()
    assert document["decision"]["outcome"] == "no_go" and document["currency"] == "EUR"
    assert document["decision"]["blocking"][0]["text"].startswith("Knock-out: No executive sponsor")
    assert document["risk_adjusted"]["npv"] < document["brochure"]["npv"]
    npv = re.sub(r"[^\d-]", "", f"{round(document['brochure']['npv']):,}")
    assert npv in re.sub(r"[^\d-]", "", page)

    # The command line agrees when given the same estimates and answers.
    estimates = client.get(f"{assessment}/decision.json").get_json()
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump({"answers": {"strategy": STRATEGY}}))
    with app.app_context():
        found = find_assessment(session(), uuid.UUID(assessment.split("/")[-1]))
        stored = scenario(session(), found, "Cloud, 40 users")
        (tmp_path / "estimates.yaml").write_text(yaml.safe_dump(stored.data | {"users": 40}))
    printed = app.test_cli_runner().invoke(
        args=["assess", "roi", str(tmp_path / "estimates.yaml"), "--answers", str(tmp_path / "answers.yaml")]
    )
    from_cli = json.loads(printed.stdout)
    for key in ("brochure", "risk_adjusted", "simulation"):
        assert from_cli[key] == estimates[key]


def test_a_bad_figure_is_reported_at_its_line_and_nothing_is_saved(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    cases = [
        ({"c-training-low": "9000", "c-training-likely": "8000"}, "Low, most likely and high must rise in that order."),
        ({"b-revenue-margin-likely": "130"}, "Enter a percentage from 0 to 100."),
        ({"c-implementation-likely": "-5"}, "Enter a positive amount."),
        ({"c-implementation-likely": "lots"}, "Enter a number, for example 12 or 7.5."),
        ({"b-revenue-deal_value-likely": ""}, "Fill every figure of this benefit, or none of them."),
        ({"currency": "euros"}, "Use a three-letter currency code"),
    ]
    for change, message in cases:
        response = post_estimates(client, assessment, FORM | change)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in page, change
        assert 'value="60000"' in page or "c-implementation-likely" in change  # the rest stays as typed
    assert "No cost and benefit estimates yet" in client.get(f"{assessment}/economics").get_data(as_text=True)


def test_scenarios_are_compared_side_by_side_and_every_change_is_audited(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    post_estimates(client, assessment, FORM)
    post_estimates(client, assessment, FORM | {"scenario": "On-premise, 30 users", "c-infrastructure-likely": "40000"})
    post_estimates(client, assessment, FORM | {"c-implementation-likely": "65000"})
    compare = client.get(f"{assessment}/scenarios").get_data(as_text=True)
    assert "Cloud, 40 users" in compare and "On-premise, 30 users" in compare
    trail = client.get("/workspace/audit").get_data(as_text=True)
    assert "Cloud, 40 users: costs.implementation.amount" in trail
    assert "60000" in trail and "65000" in trail


def test_a_steering_viewer_records_a_waiver_that_lifts_the_knock_out(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    survey = create_assessment(client)
    assessment = survey.removesuffix("/answers")
    answer(client, f"{survey}/strategy", STRATEGY)
    post_estimates(client, assessment, FORM)
    viewer = sign_in(app.test_client(), add_member(app, owner, "board@acme.example", "viewer"))
    assert post_estimates(viewer, assessment, FORM).status_code == 403
    response = viewer.post(
        f"{assessment}/waivers",
        data={
            "knock_out": "no_sponsor",
            "decided_by": "Steering committee, 12 Nov",
            "reason": "The CFO sponsors until hiring",
            "csrf_token": csrf_token(viewer, f"{assessment}/economics"),
        },
    )
    assert response.status_code == 302
    document = viewer.get(f"{assessment}/decision.json").get_json()
    assert all(r["code"] != "knock_out" for r in document["decision"]["blocking"])
    assert document["decision"]["waived"][0]["reason"] == "Steering committee, 12 Nov: The CFO sponsors until hiring"
    assert "waiver.recorded" in client.get("/workspace/audit").get_data(as_text=True)


def test_the_confidence_options_name_the_haircuts_of_the_policy_they_are_given(app: Flask) -> None:
    economics = app.extensions["definitions"].policy.economics
    policy = replace(economics, haircuts={"very_confident": 0.05, "default": 0.25, "moderately_confident": 0})
    with app.test_request_context():
        options = new_form(policy)["b-revenue-confidence"].choices
    assert [option.label for option in options] == [
        "Very confident (5 % haircut)",
        "Default (25 % haircut)",
        "Moderately confident (no haircut)",
    ]
