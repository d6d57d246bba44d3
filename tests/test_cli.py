"""The command line: set-up and demo, definitions checked, answers and estimates scored from files
(bad files refused whole, nothing printed), and the administrators' users and workspaces."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from assessment.cli import questionnaires
from assessment.demo import DEMO_LOGIN, DEMO_ORGANISATION
from assessment.factory import create_app
from assessment.storage.database import make_engine
from assessment.storage.migrate import upgrade
from tests.conftest import QUESTIONNAIRES, Member, sign_in
from tests.definitions.builders import SMALL, copy_questionnaires

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "estimates.yaml"


def demo_member() -> Member:
    return Member(*DEMO_LOGIN, uuid.uuid4())


def run(app: Flask, tmp_path: Path, text: str, *options: str):
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["assess", "score", str(path), *options])


def run_roi(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["assess", "roi", *args])


def test_the_validate_command_lists_every_questionnaire_when_all_are_valid() -> None:
    result = CliRunner().invoke(questionnaires, ["validate", str(QUESTIONNAIRES)])
    assert result.exit_code == 0, result.output
    assert "goals.yaml: version 1, 13 questions" in result.output
    assert "All 5 questionnaires are valid" in result.output


def test_the_validate_command_fails_naming_the_file_and_line(tmp_path: Path) -> None:
    folder = copy_questionnaires(tmp_path, SMALL.replace("type: number", "type: slider"))
    result = CliRunner().invoke(questionnaires, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "goals.yaml:11: questions[1].type: 'slider' is not one of" in result.output
    assert "nothing was loaded" in result.output


def test_the_validate_command_refuses_nesting_thousands_deep_naming_the_file_and_line(tmp_path: Path) -> None:
    folder = copy_questionnaires(tmp_path, SMALL + "x: " + "[" * 5000 + "]" * 5000 + "\n")
    result = CliRunner().invoke(questionnaires, ["validate", str(folder)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # not a RecursionError
    assert "goals.yaml:15: (document): lists and mappings are nested more than 20 deep" in result.output


def test_flask_questionnaires_validate_works_even_when_the_app_cannot_start(tmp_path: Path) -> None:
    folder = copy_questionnaires(tmp_path, SMALL.replace("question: has_goals", "question: ghost"))
    env = {**os.environ, "QUESTIONNAIRES_DIR": str(folder), "CRMGATE_INSTANCE": str(tmp_path / "instance")}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "questionnaires", "validate"],
        cwd=QUESTIONNAIRES.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "goals.yaml:13: questions[1].show_if.question: no question 'ghost'" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrating_and_seeding_twice_leaves_one_demo_with_half_its_answers(app: Flask) -> None:
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    first = runner.invoke(args=["demo", "seed"])
    second = runner.invoke(args=["demo", "seed"])
    assert first.output.startswith(f"Created demo assessment for {DEMO_ORGANISATION}")
    assert second.output.startswith(f"Already present: demo assessment for {DEMO_ORGANISATION}")
    assert f"Sign in as {DEMO_LOGIN[0]} with the password {DEMO_LOGIN[1]}" in second.output
    path = first.output.split(" at ")[-1].split()[0]
    assert path == second.output.split(" at ")[-1].split()[0]
    client = sign_in(app.test_client(), demo_member())
    assert client.get("/").get_data(as_text=True).count(DEMO_ORGANISATION) == 1
    summary = client.get(f"{path}/answers/summary").get_data(as_text=True)
    assert "Still missing" in summary and "13 of 13 answered" in summary


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


@pytest.mark.parametrize("command", ["score", "roi"])
def test_an_answers_or_estimates_file_nested_thousands_deep_is_refused_naming_the_line(
    app: Flask, tmp_path: Path, command: str
) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("currency: USD\nanswers:\n  goals: " + "[" * 5000 + "]" * 5000 + "\n")
    result = app.test_cli_runner().invoke(args=["assess", command, str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert "deep.yaml:3: (document): lists and mappings are nested more than 20 deep" in result.stderr


def test_a_file_that_is_not_text_is_refused_naming_it(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "estimates.yaml"
    path.write_bytes(b"\xff\xfe\x00binary")
    result = run_roi(app, str(path))
    assert result.exit_code == 1 and "estimates.yaml: cannot be read as UTF-8 text" in result.stderr


def test_an_unknown_preset_is_refused(app: Flask, tmp_path: Path) -> None:
    result = run(app, tmp_path, "answers: {}\n", "--preset", "favourite")
    assert result.exit_code == 2 and "expected one of: evidence, equal" in result.stderr


def test_roi_prints_brochure_and_risk_adjusted_figures_with_the_decision(app: Flask, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text('answers:\n  strategy:\n    executive_sponsor: "no"\n    phased_rollout: agree\n')
    result = run_roi(app, str(EXAMPLE), "--answers", str(answers))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["currency"] == "USD"
    assert document["brochure"]["npv"] > document["risk_adjusted"]["npv"]
    assert document["decision"]["outcome"] == "no_go"
    assert {
        "code": "knock_out",
        "id": "no_sponsor",
        "area": "strategy",
        "question": "executive_sponsor",
        "text": "Knock-out: No executive sponsor with the authority to fund the project.",
    } in document["decision"]["blocking"]
    assert all(entry["text"] for entry in document["path_to_go"]["steps"])
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
        {
            "code": "knock_out_waived",
            "id": "no_sponsor",
            "reason": "Board acts as sponsor",
            "text": "Knock-out waived by the committee (No executive sponsor with the authority to fund the project.), "
            "on the assumption: Board acts as sponsor",
        }
    ]
    finding = run_roi(app, str(EXAMPLE), "--answers", str(answers), "--waive", "processes_not_mapped=Later")
    assert finding.exit_code == 2 and "only a knock-out can be waived" in finding.stderr


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
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: 1.0e-320}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "costs[0].amount: 1e-320 is not a plausible amount",
        ),
        (
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: 1}]\nbenefits: [{id: b, drivers: {x: .nan}}]\n",
            "benefits[0].drivers.x: nan is not a plausible amount",
        ),
        (
            "currency: USD\nusers: 5\ncosts: [{id: a, amount: [1, 2, .inf]}]\nbenefits: [{id: b, drivers: {x: 1}}]\n",
            "costs[0].amount: [1, 2, inf] is not a plausible amount",
        ),
        (
            f"currency: USD\nusers: 5\ncosts: [{{id: a, amount: 1{'0' * 400}}}]\nbenefits: [{{id: b, drivers: {{x: 1}}}}]\n",
            "costs[0].amount: 1000",
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
        "subnormal",
        "nan",
        "infinity",
        "beyond-floats",
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


def test_a_reset_link_printed_for_a_member_lets_them_choose_a_new_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    printed = runner.invoke(args=["users", "reset-link", DEMO_LOGIN[0], "--base-url", "https://gate.example"])
    assert printed.exit_code == 0
    link = printed.output.strip()
    assert link.startswith("https://gate.example/password/reset/")
    client = app.test_client()
    path = link.removeprefix("https://gate.example")
    page = client.get(path).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(path, data={"password": "a-new-password", "confirm": "a-new-password", "csrf_token": token})
    assert response.status_code == 302
    sign_in(app.test_client(), Member(DEMO_LOGIN[0], "a-new-password", uuid.uuid4()))
    assert client.get(path).status_code == 404  # the link is spent


def test_a_reset_link_for_an_unknown_address_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["users", "reset-link", "nobody@example.com"])
    assert result.exit_code == 1
    assert "no account has the e-mail nobody@example.com" in result.output


def test_a_workspace_can_be_created_from_the_command_line(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["workspaces", "create", "Pars Consulting", "--owner", "ali@pars.example", "--password", "long-password-1"]
    )
    assert result.exit_code == 0, result.output
    assert "Workspace Pars Consulting created; ali@pars.example is its owner." in result.output
    client = sign_in(app.test_client(), Member("ali@pars.example", "long-password-1", uuid.uuid4()))
    assert "Pars Consulting" in client.get("/").get_data(as_text=True)


@pytest.fixture(params=["blank", "migrated"])
def spare_database_url(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A second database of the same kind to restore into: never used, or migrated and empty."""
    if database_url.startswith("sqlite"):
        target = tmp_path / "spare.sqlite3"
        if request.param == "migrated":
            shutil.copy(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    name = f"{make_url(database_url).database}_spare"
    admin = make_engine(os.environ["TEST_POSTGRES_URL"]).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    spare = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    if request.param == "migrated":
        engine = make_engine(spare)
        upgrade(engine)
        engine.dispose()
    yield spare
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def contents(app: Flask) -> dict[str, list[str]]:
    """Every row of every table, in a stable order."""
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        return {
            name: sorted(repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{name}"')))
            for name in inspect(engine).get_table_names()
        }


def test_a_backup_restored_into_another_database_loses_nothing(
    app: Flask, spare_database_url: str, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    saved = tmp_path / "crmgate.backup"
    backed_up = runner.invoke(args=["db", "backup", str(saved)])
    assert backed_up.exit_code == 0, backed_up.output
    assert runner.invoke(args=["db", "backup", str(saved)]).exit_code == 1  # never overwrites a backup
    spare = create_app({"DATABASE_URL": spare_database_url, "SECRET_KEY": "test-secret", "TESTING": True})
    try:
        restored = spare.test_cli_runner().invoke(args=["db", "restore", str(saved)])
        assert restored.exit_code == 0, restored.output
        original, copy = contents(app), contents(spare)
        assert {name: len(rows) for name, rows in copy.items()} == {name: len(rows) for name, rows in original.items()}
        assert len(copy["answers"]) >= 30 and len(copy["audit_entries"]) >= 30
        assert copy == original
        client = sign_in(spare.test_client(), demo_member())
        assert DEMO_ORGANISATION in client.get("/").get_data(as_text=True)
    finally:
        spare.extensions["db_engine"].dispose()


def test_restoring_refuses_to_replace_data_unless_forced(app: Flask, spare_database_url: str, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    saved = tmp_path / "crmgate.backup"
    runner.invoke(args=["db", "backup", str(saved)])
    spare = create_app({"DATABASE_URL": spare_database_url, "SECRET_KEY": "test-secret", "TESTING": True})
    try:
        spare_runner = spare.test_cli_runner()
        spare_runner.invoke(args=["db", "upgrade"])
        spare_runner.invoke(
            args=["workspaces", "create", "Kept", "--owner", "kept@example.com", "--password", "pw-123456789"]
        )
        before = contents(spare)
        refused = spare_runner.invoke(args=["db", "restore", str(saved)])
        assert refused.exit_code == 1
        assert "Nothing was restored: the database already holds" in refused.output
        assert "Add --force to replace it." in refused.output
        assert contents(spare) == before
        forced = spare_runner.invoke(args=["db", "restore", "--force", str(saved)])
        assert forced.exit_code == 0, forced.output
        assert contents(spare) == contents(app)
    finally:
        spare.extensions["db_engine"].dispose()


def test_a_file_that_is_not_a_backup_is_refused(app: Flask, tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup")
    result = app.test_cli_runner().invoke(args=["db", "restore", str(stray)])
    assert result.exit_code == 1 and "is not a" in result.output and "backup" in result.output


def test_the_tei_example_file_prints_the_published_npv_and_roi_in_the_brochure_column(app: Flask) -> None:
    """docs/examples/tei_case.yaml: the study's risk-adjusted cash-flow table entered as printed."""
    result = run_roi(app, str(EXAMPLE.parent / "tei_case.yaml"))
    assert result.exit_code == 0, result.stderr
    brochure = json.loads(result.stdout)["brochure"]
    assert round(brochure["npv"]) == 5_496_170 and round(100 * brochure["roi"]) == 329
    assert round(brochure["pv_costs"]) == 1_672_201 and round(brochure["pv_benefits"]) == 7_168_371
    assert brochure["yearly_net"] == [-53_150.0, 939_796.0, 2_424_559.0, 3_581_977.0]
    assert brochure["payback_month"] < 6
    # Already risk-adjusted by the study: no second confidence haircut.
    assert json.loads(result.stdout)["adjustment"]["haircuts"] == {"total_benefits": 0.0}
