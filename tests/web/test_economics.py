"""Estimates in, the risk-adjusted economics and the gate out: the form, the page, the JSON."""

from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from assessment.engine.estimates_data import months_to_go_live
from assessment.services import appraisals
from assessment.services.assessments import find_assessment
from assessment.services.audit import Actor
from assessment.services.economics import save_scenario, scenario
from assessment.storage.database import session
from assessment.web.economics.estimates_form import new_form
from tests.conftest import Member, add_member, count_simulations, csrf_token, sign_in
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


def post_estimates(client: FlaskClient, assessment: str, form: dict[str, str]):
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
        # What the assessment adds to the stored estimates: its users and its planned go-live.
        go_live = months_to_go_live(found.created_at.date(), found.go_live)
        (tmp_path / "estimates.yaml").write_text(yaml.safe_dump(stored.data | {"users": 40, "go_live_month": go_live}))
    printed = app.test_cli_runner().invoke(
        args=["assess", "roi", str(tmp_path / "estimates.yaml"), "--answers", str(tmp_path / "answers.yaml")]
    )
    from_cli = json.loads(printed.stdout)
    for key in ("brochure", "risk_adjusted", "simulation"):
        assert from_cli[key] == estimates[key]


def errors_at(page: str, field: str) -> list[str]:
    """The messages a page shows at a field, or at any box of a figure's row."""
    return re.findall(rf'<p class="error" id="{field}(?:-low|-likely|-high)?-error">([^<]*)</p>', page)


def strict_json(text: str) -> object:
    """JSON as the standard defines it: no NaN, no Infinity."""
    return json.loads(text, parse_constant=lambda constant: pytest.fail(f"{constant} in a JSON document"))


AMOUNT = "Enter an amount from 0 to 10,000,000,000,000."
NEAR_ZERO = "This is too close to 0 to be meant: enter 0 or a larger figure."
NOT_A_NUMBER = "Enter a number, for example 12 or 7.5."


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"c-training-low": "9000", "c-training-likely": "8000"}, "c-training", "Low, most likely and high must rise"),
        ({"b-revenue-margin-likely": "130"}, "b-revenue-margin", "Enter a percentage from 0 to 100."),
        ({"b-revenue-margin-likely": "0.00000001"}, "b-revenue-margin", NEAR_ZERO),
        ({"c-implementation-likely": "-5"}, "c-implementation", AMOUNT),
        ({"c-implementation-likely": "1e308"}, "c-implementation", AMOUNT),
        ({"c-implementation-likely": "1e-320"}, "c-implementation", NEAR_ZERO),
        ({"c-training-high": "1e400"}, "c-training", NOT_A_NUMBER),
        ({"c-implementation-likely": "inf"}, "c-implementation", NOT_A_NUMBER),
        ({"c-implementation-likely": "nan"}, "c-implementation", NOT_A_NUMBER),
        ({"c-implementation-likely": "lots"}, "c-implementation", NOT_A_NUMBER),
        ({"b-revenue-deal_value-likely": ""}, "b-revenue-deal_value", "Fill every figure of this benefit"),
        (
            {"b-revenue-leads_per_month-likely": "10000000000000", "b-revenue-deal_value-likely": "10000000000000"},
            "b-revenue-leads_per_month",
            "At their high figures these drivers come to more than 10,000,000,000,000 a month",
        ),
        ({"discount_rate": "250"}, "discount_rate", "Enter a rate from 0 to 100 %."),
        ({"discount_rate": "NaN"}, "discount_rate", NOT_A_NUMBER),
        ({"discount_rate": "1e-320"}, "discount_rate", NEAR_ZERO),
        ({"b-revenue-ramp": "2.5"}, "b-revenue-ramp", "Enter 0 to 60 months."),
        ({"currency": "euros"}, "currency", "Use a three-letter currency code"),
    ],
    ids=[
        "not-rising",
        "percentage-above-100",
        "percentage-near-zero",
        "negative",
        "1e308",
        "1e-320",
        "beyond-floats",
        "infinity",
        "nan",
        "words",
        "benefit-half-filled",
        "benefit-product",
        "rate-above-100",
        "rate-nan",
        "rate-1e-320",
        "ramp-fraction",
        "currency",
    ],
)
def test_a_bad_figure_is_reported_at_its_field_and_nothing_is_saved(
    client: FlaskClient, change: dict[str, str], field: str, message: str
) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    response = post_estimates(client, assessment, FORM | change)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert any(shown.startswith(message) for shown in errors_at(page, field)), errors_at(page, field)
    assert "costs[" not in page and "benefits[" not in page  # the engine's file paths never reach the form
    assert 'value="60000"' in page or "c-implementation-likely" in change  # the rest stays as typed
    assert "No cost and benefit estimates yet" in client.get(f"{assessment}/economics").get_data(as_text=True)


def test_a_cost_of_1e_320_is_refused_and_every_page_and_document_still_answers(client: FlaskClient) -> None:
    """Issue 12: 1e-320 was accepted, then the economics page, scenarios, report and PDF answered 500
    (an ROI of infinity) and decision.json and report.json held Infinity and NaN."""
    survey = create_assessment(client)
    assessment = survey.removesuffix("/answers")
    answer(client, f"{survey}/strategy", STRATEGY)
    response = post_estimates(client, assessment, FORM | {"c-implementation-likely": "1e-320"})
    assert response.status_code == 422 and errors_at(response.get_data(as_text=True), "c-implementation") == [NEAR_ZERO]
    for page in ("economics", "scenarios", "report", "report.pdf"):
        assert client.get(f"{assessment}/{page}").status_code == 200, page
    assert client.get(f"{assessment}/decision.json").status_code == 404
    strict_json(client.get(f"{assessment}/report.json").get_data(as_text=True))


def test_the_most_extreme_figures_accepted_still_give_finite_pages_and_documents(client: FlaskClient) -> None:
    """The smallest cost against the largest benefit: an ROI near 1e20, large but a number everywhere."""
    assessment = create_assessment(client).removesuffix("/answers")
    extreme = {
        "scenario": "Extreme",
        "currency": "IRR",
        "horizon_years": "5",
        "discount_rate": "0",
        "c-implementation-likely": "0.000001",
        "b-marketing-saving_per_month-low": "0",
        "b-marketing-saving_per_month-likely": "10000000000000",
        "b-marketing-saving_per_month-high": "10000000000000",
    }
    assert post_estimates(client, assessment, extreme).status_code == 302
    for page in ("economics", "scenarios", "report", "report.pdf"):
        assert client.get(f"{assessment}/{page}").status_code == 200, page
    decision = strict_json(client.get(f"{assessment}/decision.json").get_data(as_text=True))
    assert decision["brochure"]["roi"] > 1e15
    strict_json(client.get(f"{assessment}/report.json").get_data(as_text=True))


def test_estimates_stored_before_figures_were_checked_are_marked_for_correction_and_break_no_page(
    app: Flask, client: FlaskClient
) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    post_estimates(client, assessment, FORM)
    with app.app_context():
        found = find_assessment(session(), uuid.UUID(assessment.split("/")[-1]))
        data = copy.deepcopy(scenario(session(), found, FORM["scenario"]).data)
        next(line for line in data["costs"] if line["id"] == "implementation")["amount"] = 1e-320
        save_scenario(session(), found, FORM["scenario"], data, Actor("user", None, "before the fix"))
    for page in ("economics", "scenarios", "report", "report.pdf"):
        response = client.get(f"{assessment}/{page}")
        assert response.status_code == 409, page
        assert re.search(
            r'href="[^"]+/estimates\?scenario=Cloud[^"]*">Correct the estimates', response.get_data(as_text=True)
        )
    for document in ("decision.json", "report.json"):
        response = client.get(f"{assessment}/{document}")
        assert response.status_code == 409 and "costs[" in " ".join(
            strict_json(response.get_data(as_text=True))["problems"]
        )
    form = client.get(f"{assessment}/estimates")
    assert form.status_code == 200
    assert errors_at(form.get_data(as_text=True), "c-implementation") == [NEAR_ZERO]
    assert post_estimates(client, assessment, FORM).status_code == 302
    assert client.get(f"{assessment}/economics").status_code == 200


def test_scenarios_are_compared_side_by_side_and_every_change_is_audited(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    post_estimates(client, assessment, FORM)
    post_estimates(client, assessment, FORM | {"scenario": "On-premise, 30 users", "c-infrastructure-likely": "40000"})
    post_estimates(client, assessment, FORM | {"c-implementation-likely": "65000"})
    compare = client.get(f"{assessment}/scenarios").get_data(as_text=True)
    assert "Cloud, 40 users" in compare and "On-premise, 30 users" in compare
    trail = client.get("/workspace/audit").get_data(as_text=True)
    assert "Cloud, 40 users: Implementation and customisation" in trail
    assert "60,000" in trail and "65,000" in trail  # in the reader's digits and separators


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


def test_the_pages_of_one_scenario_share_one_appraisal_until_an_answer_changes(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey = create_assessment(client)
    assessment = survey.removesuffix("/answers")
    answer(client, f"{survey}/strategy", STRATEGY)
    post_estimates(client, assessment, FORM)
    appraisals.clear()
    simulated = count_simulations(monkeypatch)
    assert client.get(f"{assessment}/economics").status_code == 200
    assert simulated
    simulated.clear()
    for page in ("economics", "decision.json", "report", "report.json", "scenarios"):
        assert client.get(f"{assessment}/{page}").status_code == 200, page
    assert simulated == []
    assert client.get(f"{assessment}/decision.json").get_json()["decision"]["outcome"] == "no_go"

    answer(client, f"{survey}/strategy", STRATEGY | {"executive_sponsor": "yes"})
    document = client.get(f"{assessment}/decision.json").get_json()
    assert simulated
    assert "no_sponsor" not in {r["values"].get("id") for r in document["decision"]["blocking"]}


def test_the_form_round_trips_the_go_live_the_spreading_of_project_costs_and_already_risk_adjusted_benefits(
    app: Flask, client: FlaskClient
) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    blank = client.get(f"{assessment}/estimates").get_data(as_text=True)
    with app.app_context():
        found = find_assessment(session(), uuid.UUID(assessment.split("/")[-1]))
        planned = months_to_go_live(found.created_at.date(), found.go_live)
    # Left blank, the go-live is the assessment's: the page says which it is.
    assert f"{planned} months after its start" in blank and f'placeholder="{planned}"' in blank
    form = FORM | {"go_live_month": "9", "project_costs": "upfront", "b-revenue-risk_adjusted": "y"}
    assert post_estimates(client, assessment, form).status_code == 302
    with app.app_context():
        stored = scenario(session(), find_assessment(session(), uuid.UUID(assessment.split("/")[-1])), FORM["scenario"])
        assert stored is not None
        assert stored.data["go_live_month"] == 9 and stored.data["project_costs"] == "upfront"
        revenue = next(line for line in stored.data["benefits"] if line["id"] == "revenue")
        time_saved = next(line for line in stored.data["benefits"] if line["id"] == "time_saved")
        assert revenue["risk_adjusted"] is True and "risk_adjusted" not in time_saved
    shown = client.get(f"{assessment}/estimates").get_data(as_text=True)
    assert re.search(r'id="go_live_month"[^>]*value="9"|value="9"[^>]*id="go_live_month"', shown)
    assert re.search(r'<option selected value="upfront"|<option value="upfront" selected', shown)
    assert re.search(r'id="b-revenue-risk_adjusted"[^>]*checked|checked[^>]*id="b-revenue-risk_adjusted"', shown)
    assert not re.search(
        r'checked[^>]*id="b-time_saved-risk_adjusted"|id="b-time_saved-risk_adjusted"[^>]*checked', shown
    )
    document = client.get(f"{assessment}/decision.json").get_json()
    assert document["adjustment"]["haircuts"]["revenue"] == 0 and document["adjustment"]["haircuts"]["time_saved"] > 0
    # Nine months to go-live, then three years of benefits: t0 and four years, nothing earned in the first nine months.
    assert len(document["brochure"]["yearly_net"]) == 5


@pytest.mark.parametrize("typed", ["61", "-1", "2.5", "soon"])
def test_a_go_live_outside_its_bounds_is_refused_at_its_field(client: FlaskClient, typed: str) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    response = post_estimates(client, assessment, FORM | {"go_live_month": typed})
    assert response.status_code == 422
    assert errors_at(response.get_data(as_text=True), "go_live_month")
