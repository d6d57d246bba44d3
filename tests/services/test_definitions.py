"""An assessment keeps the questionnaire version it started with, whatever the YAML says later."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.factory import create_app
from assessment.services.definitions import _pinned, current, pin, pinned
from assessment.storage.database import session
from assessment.storage.models import DefinitionSnapshot
from tests.conftest import QUESTIONNAIRES, Member, sign_in
from tests.web.helpers import answer, checked, create_assessment

OLD = "Is a named manager accountable for realising each expected benefit after go-live?"
NEW = "Does every expected benefit have an owner in the business?"


def test_editing_a_questionnaire_later_never_changes_a_started_assessment(
    client: FlaskClient, owner: Member, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", {"benefit_owners": "yes"})

    edited = tmp_path / "edited"
    shutil.copytree(QUESTIONNAIRES, edited)
    goals = edited / "goals.yaml"
    goals.write_text(goals.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance2"))
    later = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "QUESTIONNAIRES_DIR": str(edited)})
    try:
        browser = sign_in(later.test_client(), owner)
        page = browser.get(f"{survey}/goals").get_data(as_text=True)
        assert OLD in page and NEW not in page
        assert checked(page, "benefit_owners") == ["yes"]
        fresh = create_assessment(browser, organisation_name="Started later")
        assert NEW in browser.get(f"{fresh}/goals").get_data(as_text=True)
    finally:
        later.extensions["db_engine"].dispose()


def test_editing_the_policy_later_never_changes_a_started_assessments_scores(
    client: FlaskClient, owner: Member, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey = create_assessment(client)
    answer(
        client,
        f"{survey}/strategy",
        {"executive_sponsor": "no", "phased_rollout": "strongly_agree", "crm_strategy_written": "strongly_agree"},
    )
    results = f"{survey.removesuffix('/answers')}/results.json"
    before = client.get(results).get_json()

    edited = tmp_path / "edited"
    shutil.copytree(QUESTIONNAIRES, edited)
    policy = edited / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8")
        .replace("knock_out: 0.35", "knock_out: 0.05")
        .replace("version: 2", "version: 3"),
        encoding="utf-8",
    )
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance2"))
    later = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "QUESTIONNAIRES_DIR": str(edited)})
    try:
        browser = sign_in(later.test_client(), owner)
        assert browser.get(results).get_json() == before
        assert before["delivery_probability"] == 0.35 and before["policy_version"] == 2
        fresh = create_assessment(browser, organisation_name="Started later")
        answer(
            browser,
            f"{fresh}/strategy",
            {"executive_sponsor": "no", "phased_rollout": "strongly_agree", "crm_strategy_written": "strongly_agree"},
        )
        scored = browser.get(f"{fresh.removesuffix('/answers')}/results.json").get_json()
        assert (scored["delivery_probability"], scored["policy_version"]) == (0.05, 3)
    finally:
        later.extensions["db_engine"].dispose()


def test_definitions_are_pinned_once_and_read_back_from_storage_alone(app: Flask) -> None:
    with app.app_context():
        db = session()
        definitions = current()
        assert pin(db, definitions) == pin(db, definitions) == definitions.digest
        db.commit()
        assert len(db.scalars(select(DefinitionSnapshot)).all()) == 1
        _pinned.clear()
        again = pinned(db, definitions.digest)
        assert again is not definitions and again.digest == definitions.digest
        assert [q.id for q in again.questionnaires] == [q.id for q in definitions.questionnaires]
        with pytest.raises(LookupError):
            pinned(db, "0" * 64)
