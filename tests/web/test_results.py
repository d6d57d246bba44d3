"""The results page, its JSON view, the API and `flask assess score` agree on one assessment."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from tests.web.api_helpers import bearer, new_token
from tests.web.helpers import answer, create_assessment, invite

LEAD = {
    "goals": {
        "business_goals_written": "agree",
        "measurable_kpis": "kpis_named",
        "tracked_kpis": ["retention"],
        "goals_shared_by_managers": "strongly_disagree",
        "goals_dated": "no",
    },
    "strategy": {"executive_sponsor": "yes", "sponsor_active_visible": "disagree", "digital_maturity": "digitised"},
    "scope": {"planned_duration_months": 20, "contingency": "below_10_percent"},
    "adoption": {"change_size": "large", "past_changes_adopted": "disagree"},
}
NEDA = {
    "goals": {"goals_shared_by_managers": "strongly_agree", "goals_serve_users": "disagree"},
    "adoption": {"primary_group_awareness": "agree", "primary_group_desire": "neutral"},
}


def answer_all(client: FlaskClient, prefix: str, answers: dict) -> None:
    for area, values in answers.items():
        assert answer(client, f"{prefix}/{area}", values).status_code == 302


def test_the_page_the_json_view_the_api_and_the_command_line_agree(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    survey = create_assessment(client)
    answer_all(client, survey, LEAD)
    answer_all(app.test_client(), invite(client, survey, "Neda", "end_user"), NEDA)
    assessment = survey.removesuffix("/answers")

    from_json = client.get(f"{assessment}/results.json").get_json()
    from_api = (
        app.test_client()
        .get(
            f"/api{assessment.replace('/assessments', '/v1/assessments')}/results",
            headers=bearer(new_token(client, "viewer")),
        )
        .get_json()
    )
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(
        yaml.safe_dump(
            {
                "respondents": [
                    {"name": "Maryam", "answers": LEAD},
                    {"name": "Neda", "role": "end_user", "answers": NEDA},
                ]
            }
        )
    )
    printed = app.test_cli_runner().invoke(args=["assess", "score", str(answers_file)])
    assert printed.exit_code == 0, printed.output
    from_cli = json.loads(printed.output)

    assert from_api == from_json
    shared = {key: from_json[key] for key in from_cli if key not in ("assessment",)}
    assert {key: from_cli[key] for key in shared} == shared

    page = client.get(f"{assessment}/results").get_data(as_text=True)
    assert f"{round(from_json['readiness'])}<small>" in page
    assert f"{round(100 * from_json['failure_probability'])}%</span>" in page
    assert from_json["red_flags"], "the answers above raise red flags"
    for flag in from_json["red_flags"]:
        assert str(escape(flag["text"]["en"] if flag["text"] else flag["mitigation"]["en"])) in page


def test_every_score_on_the_page_leads_to_the_answers_that_produced_it(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer_all(client, survey, LEAD)
    page = client.get(f"{survey.removesuffix('/answers')}/results").get_data(as_text=True)
    for area in ("goals", "strategy", "scope", "adoption", "process"):
        assert f'href="#why-{area}"' in page and f'id="why-{area}"' in page
    why_scope = page[page.index('id="why-scope"') : page.index('id="why-adoption"')]
    assert "How many months from kick-off to the last go-live?" in why_scope
    assert re.search(r"Scope: \d+", why_scope)


def test_the_page_shows_the_assumptions_and_their_sources(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer_all(client, survey, LEAD)
    page = client.get(f"{survey.removesuffix('/answers')}/results").get_data(as_text=True)
    assert "PMI Pulse of the" in page and "Prosci benchmarking" in page and "Design choice" in page
    assert "policy 2" in page


def test_an_unknown_preset_is_not_found_and_equal_weights_are_offered(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer_all(client, survey, LEAD)
    assessment = survey.removesuffix("/answers")
    assert client.get(f"{assessment}/results?preset=secret").status_code == 404
    equal = client.get(f"{assessment}/results.json?preset=equal").get_json()
    assert equal["preset"] == "equal" and set(equal["weights"].values()) == {20}


def test_an_assessment_with_no_answers_says_so_instead_of_scoring_zero(client: FlaskClient) -> None:
    survey = create_assessment(client)
    page = client.get(f"{survey.removesuffix('/answers')}/results").get_data(as_text=True)
    assert "Nothing is answered yet" in page
    assert client.get(f"{survey.removesuffix('/answers')}/results.json").get_json()["readiness"] is None
