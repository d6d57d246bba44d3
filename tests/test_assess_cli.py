"""`flask assess score`: an answers file in, the result as JSON out; bad files refused whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask


def run(app: Flask, tmp_path: Path, text: str, *options: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["assess", "score", str(path), *options])


def test_a_single_respondent_file_is_scored(app: Flask, tmp_path: Path) -> None:
    result = run(
        app,
        tmp_path,
        'answers:\n  strategy:\n    executive_sponsor: "no"\n    phased_rollout: agree\n',
        "--preset",
        "equal",
    )
    assert result.exit_code == 0, result.stderr
    scored = json.loads(result.stdout)
    assert scored["preset"] == "equal"
    assert [f["id"] for f in scored["red_flags"]] == ["no_sponsor"]
    assert scored["respondents"] == 1 and len(scored["definitions_digest"]) == 64


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("answers:\n  goals:\n    colour: red\n", ["answers.goals.colour: no such question in goals"]),
        ("answers:\n  finance:\n    budget: 3\n", ["answers.finance: no such area"]),
        (
            "answers:\n  goals:\n    goals_dated: perhaps\n",
            ["answers.goals.goals_dated: 'perhaps' is not one of: yes, no"],
        ),
        ("answers:\n  goals:\n    goals_dated: yes\n", ['answers.goals.goals_dated: write "yes" or "no" in quotes']),
        (
            "answers:\n  scope:\n    planned_duration_months: 500\n",
            ["answers.scope.planned_duration_months: 500 is outside 1..120"],
        ),
        ("answers:\n  scope:\n    planned_duration_months: soon\n", ["expected a number, got 'soon'"]),
        ("answers:\n  goals:\n    tracked_kpis: retention\n", ["expected a list of option ids, got 'retention'"]),
        (
            "respondents:\n  - name: A\n    role: janitor\n    answers: {}\n",
            ["respondents[0].role: 'janitor' is not one of"],
        ),
        ("respondents: []\n", ["respondents: expected a non-empty list"]),
        ("hello: world\n", ["expected `answers:` or `respondents:` at the top"]),
        (
            "respondents:\n  - name: A\n    answers:\n      goals: {goals_dated: maybe}\n"
            "  - name: B\n    answers:\n      goals: {colour: red}\n",
            ["respondents[0].answers.goals.goals_dated", "respondents[1].answers.goals.colour"],
        ),
    ],
    ids=[
        "unknown-question",
        "unknown-area",
        "unknown-option",
        "unquoted-yes",
        "out-of-bounds",
        "not-a-number",
        "not-a-list",
        "unknown-role",
        "no-respondents",
        "no-answers",
        "every-bad-entry",
    ],
)
def test_a_bad_answers_file_is_refused_naming_each_bad_entry_and_nothing_is_scored(
    app: Flask, tmp_path: Path, text: str, messages: list[str]
) -> None:
    result = run(app, tmp_path, text)
    assert result.exit_code == 1
    assert result.stdout == ""
    for message in messages:
        assert message in result.stderr


def test_a_file_that_is_not_safe_yaml_is_refused(app: Flask, tmp_path: Path) -> None:
    result = run(app, tmp_path, "answers: &a [*a]\n")
    assert result.exit_code == 1 and "anchors and aliases" in result.stderr


def test_an_unknown_preset_is_refused(app: Flask, tmp_path: Path) -> None:
    result = run(app, tmp_path, "answers: {}\n", "--preset", "favourite")
    assert result.exit_code == 2 and "expected one of: evidence, equal" in result.stderr


EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "estimates.yaml"


def run_roi(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["assess", "roi", *args])


def test_roi_prints_brochure_and_risk_adjusted_figures_with_the_decision(app: Flask, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text('answers:\n  strategy:\n    executive_sponsor: "no"\n    phased_rollout: agree\n')
    result = run_roi(app, str(EXAMPLE), "--answers", str(answers))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["currency"] == "USD"
    assert document["brochure"]["npv"] > document["risk_adjusted"]["npv"]
    assert document["decision"]["outcome"] == "no_go"
    assert {"code": "knock_out", "id": "no_sponsor", "area": "strategy", "question": "executive_sponsor"} in document[
        "decision"
    ]["blocking"]
    assert document["simulation"]["draws"] == 10_000
    assert document["path_to_go"]["steps"][0]["question"] == "executive_sponsor"
    again = json.loads(run_roi(app, str(EXAMPLE), "--answers", str(answers)).stdout)
    assert again == document  # seeded: the same inputs give the same report


def test_roi_records_a_waiver_only_with_a_reason(app: Flask, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text('answers:\n  strategy:\n    executive_sponsor: "no"\n')
    assert run_roi(app, str(EXAMPLE), "--answers", str(answers), "--waive", "no_sponsor=").exit_code == 2
    waived = json.loads(
        run_roi(app, str(EXAMPLE), "--answers", str(answers), "--waive", "no_sponsor=Board acts as sponsor").stdout
    )
    assert waived["decision"]["waived"] == [
        {"code": "knock_out_waived", "id": "no_sponsor", "reason": "Board acts as sponsor"}
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: -5}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "costs[0].amount: -5 is negative",
        ),
        (
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: [9, 5, 7]}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "low, most likely and high must rise",
        ),
        (
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: 100000000000000000000}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "is not a plausible amount",
        ),
        (
            "currency: USD\nusers: 5\ndiscount_rate: 10\ncosts: [{id: a, amount: 1}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "discount_rate: expected a share between 0 and 1",
        ),
        (
            "currency: dollars\nusers: 5\ncosts: [{id: a, amount: 1}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "currency: expected a three-letter code",
        ),
        (
            "currency: USD\nusers: 5\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "costs: at least one cost line is required",
        ),
        (
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: 1, timing: weekly}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "timing: 'weekly' is not one of",
        ),
        (
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: 1}, {id: a, amount: 2}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "costs[1].id: duplicate id 'a'",
        ),
        (
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: 1}]\nbenefits: [{id: b, drivers: {x: 1}, confidence: sure}]\n",
            "confidence: 'sure' is not one of",
        ),
        (
            "currency: USD\nusers: 0\ncosts: [{id: a, amount: 1}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "users: expected a whole number",
        ),
    ],
    ids=[
        "negative",
        "not-rising",
        "absurd",
        "rate-as-percent",
        "currency",
        "no-costs",
        "timing",
        "duplicate",
        "confidence",
        "users",
    ],
)
def test_bad_estimates_are_refused_naming_the_entry_and_nothing_is_computed(
    app: Flask, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "estimates.yaml"
    path.write_text(text)
    result = run_roi(app, str(path))
    assert result.exit_code == 1 and result.stdout == ""
    assert message in result.stderr
