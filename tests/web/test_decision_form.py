"""Recording the committee's decision: the form starts from the recommendation, and a decision
against it is refused without a reason and recorded with one."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import csrf_token
from tests.web.helpers import create_assessment
from tests.web.test_report import assessment_with_everything

REASON_NEEDED = "The decision differs from the recommendation (No-go): give the committee's reason here."


def decide(client: FlaskClient, assessment: str, outcome: str, conditions: str = "") -> TestResponse:
    return client.post(
        f"{assessment}/decisions",
        data={
            "outcome": outcome,
            "conditions": conditions,
            "decided_by": "Steering committee",
            "decided_on": "2026-11-20",
            "csrf_token": csrf_token(client, f"{assessment}/report"),
        },
    )


def selected_outcome(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="outcome".*?</select>', page, re.S)
    assert select, "no decision select on the page"
    return re.findall(r'<option selected value="([^"]*)"', select.group(0))


def field_of(page: str, name: str) -> str:
    """The field's block: its label, hint, messages and input."""
    match = re.search(rf'<div class="field[^"]*">\s*<label for="{name}".*?</div>', page, re.S)
    assert match, f"no field {name}"
    return html.unescape(match.group(0))


def recorded(client: FlaskClient, assessment: str) -> list[dict]:
    return client.get(f"{assessment}/report.json").get_json()["decisions"]


def test_the_form_starts_from_the_recommendation_and_says_when_a_reason_is_needed(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    page = client.get(f"{assessment}/report").get_data(as_text=True)
    assert selected_outcome(page) == ["no_go"]
    conditions = field_of(page, "conditions")
    assert "Required when the decision differs from the recommendation (No-go): say why." in conditions
    assert 'aria-describedby="conditions-hint"' in conditions


def test_a_decision_against_the_recommendation_without_a_reason_is_refused_at_the_field(
    client: FlaskClient,
) -> None:
    assessment = assessment_with_everything(client)
    for blank in ("", "   \n "):
        response = decide(client, assessment, "go", blank)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        conditions = field_of(page, "conditions")
        assert REASON_NEEDED in conditions and 'aria-invalid="true"' in conditions
        assert selected_outcome(page) == ["go"]  # what the committee chose stays chosen
        assert 'action="' + f"{assessment}/decisions#record-decision" + '"' in page
    assert recorded(client, assessment) == []


def test_a_decision_against_the_recommendation_is_recorded_with_its_reason(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    response = decide(client, assessment, "go", "  The sponsor is named at the board on 1 December.  ")
    assert response.status_code == 302
    [decision] = recorded(client, assessment)
    assert decision["outcome"] == "go" and decision["basis"]["recommendation"] == "no_go"
    assert decision["conditions"] == "The sponsor is named at the board on 1 December."


def test_following_the_recommendation_needs_no_reason(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    assert decide(client, assessment, "no_go").status_code == 302
    assert [d["outcome"] for d in recorded(client, assessment)] == ["no_go"]


def test_without_a_recommendation_nothing_is_chosen_for_the_committee(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")  # no estimates: no recommendation
    page = client.get(f"{assessment}/report").get_data(as_text=True)
    assert selected_outcome(page) == [""]
    assert "Required when the decision differs" not in page
    refused = decide(client, assessment, "")
    assert refused.status_code == 422
    assert "Choose the committee's decision." in field_of(refused.get_data(as_text=True), "outcome")
    assert decide(client, assessment, "go").status_code == 302
    assert [d["outcome"] for d in recorded(client, assessment)] == ["go"]
