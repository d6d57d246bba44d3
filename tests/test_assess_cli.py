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
