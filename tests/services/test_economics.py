"""Scenarios and waivers as use cases: saved with their audit trail, appraised with the committee's waivers."""

from __future__ import annotations

import copy
import dataclasses

import pytest
import yaml
from sqlalchemy import select

from assessment.engine.gate import Outcome
from assessment.services import answers, appraisals, economics, scoring
from assessment.storage.database import session
from assessment.storage.models import AuditEntry
from tests.conftest import QUESTIONNAIRES, count_simulations
from tests.services.conftest import ANALYST, Setting

ESTIMATES = yaml.safe_load((QUESTIONNAIRES.parent / "docs" / "examples" / "estimates.yaml").read_text())


def changes(action: str) -> list[tuple[str, object, object]]:
    entries = session().scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.subject))
    return [(e.subject, e.old, e.new) for e in entries]


def test_saving_a_scenario_again_replaces_it_and_audits_only_the_figures_that_changed(setting: Setting) -> None:
    economics.save_scenario(session(), setting.assessment, "Cloud", ESTIMATES, ANALYST)
    first = len(changes("estimate.changed"))
    cheaper = copy.deepcopy(ESTIMATES)
    cheaper["costs"][1]["amount"] = [50000, 80000, 120000]
    economics.save_scenario(session(), setting.assessment, "Cloud", cheaper, ANALYST)
    assert [s.name for s in economics.scenarios(session(), setting.assessment)] == ["Cloud"]
    assert len(changes("estimate.changed")) == first + 1
    assert ("Cloud: costs.implementation.amount", [60000, 90000, 150000], [50000, 80000, 120000]) in changes(
        "estimate.changed"
    )


def test_a_waiver_is_recorded_with_who_and_why_and_withdrawn_with_a_trace(setting: Setting) -> None:
    economics.record_waiver(session(), setting.assessment, "no_sponsor", "Board", "CFO acts as sponsor", ANALYST)
    assert [(w.knock_out, w.decided_by) for w in scoring.waivers(session(), setting.assessment)] == [
        ("no_sponsor", "Board")
    ]
    economics.withdraw_waiver(session(), setting.assessment, "no_sponsor", ANALYST)
    assert scoring.waivers(session(), setting.assessment) == []
    assert [subject for subject, _old, _new in changes("waiver.recorded") + changes("waiver.withdrawn")] == [
        "no_sponsor",
        "no_sponsor",
    ]


def test_an_appraisal_reads_the_answers_and_applies_the_recorded_waivers(setting: Setting) -> None:
    strategy = setting.definitions.area("strategy")
    answers.submit_answers(session(), setting.lead, strategy, {"executive_sponsor": "no"}, {}, ANALYST)
    found = economics.save_scenario(session(), setting.assessment, economics.BASE_CASE, ESTIMATES, ANALYST)
    before, _estimates, _definitions = economics.appraise_assessment(session(), setting.assessment, found)
    assert before.decision.outcome is Outcome.NO_GO
    assert "no_sponsor" in {r.values.get("id") for r in before.decision.blocking}
    economics.record_waiver(session(), setting.assessment, "no_sponsor", "Board", "CFO acts as sponsor", ANALYST)
    after, _estimates, _definitions = economics.appraise_assessment(session(), setting.assessment, found)
    assert "no_sponsor" not in {r.values.get("id") for r in after.decision.blocking}
    assert [r.values for r in after.decision.waived] == [{"id": "no_sponsor", "reason": "Board: CFO acts as sponsor"}]


def test_an_appraisal_is_computed_once_per_set_of_inputs_and_any_change_is_seen_at_once(
    setting: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    simulated = count_simulations(monkeypatch)
    appraisals.clear()
    found = economics.save_scenario(session(), setting.assessment, economics.BASE_CASE, ESTIMATES, ANALYST)
    first, _estimates, _definitions = economics.appraise_assessment(session(), setting.assessment, found)
    assert simulated
    simulated.clear()
    again, _estimates, _definitions = economics.appraise_assessment(session(), setting.assessment, found)
    assert again is first and not simulated

    strategy = setting.definitions.area("strategy")
    answers.submit_answers(session(), setting.lead, strategy, {"executive_sponsor": "no"}, {}, ANALYST)
    answered, _estimates, _definitions = economics.appraise_assessment(session(), setting.assessment, found)
    assert simulated and answered is not first
    assert "no_sponsor" in {r.values.get("id") for r in answered.decision.blocking}
    assert "no_sponsor" not in {r.values.get("id") for r in first.decision.blocking}

    simulated.clear()
    economics.record_waiver(session(), setting.assessment, "no_sponsor", "Board", "CFO acts as sponsor", ANALYST)
    waived, _estimates, _definitions = economics.appraise_assessment(session(), setting.assessment, found)
    assert simulated and [r.values["id"] for r in waived.decision.waived] == ["no_sponsor"]

    simulated.clear()
    cheaper = copy.deepcopy(ESTIMATES)
    cheaper["costs"][1]["amount"] = [50000, 80000, 120000]
    found = economics.save_scenario(session(), setting.assessment, economics.BASE_CASE, cheaper, ANALYST)
    estimated, _estimates, _definitions = economics.appraise_assessment(session(), setting.assessment, found)
    assert simulated and estimated.brochure.npv > waived.brochure.npv


def test_a_changed_policy_pin_or_preset_gives_a_fresh_appraisal(
    setting: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = economics.save_scenario(session(), setting.assessment, economics.BASE_CASE, ESTIMATES, ANALYST)
    definitions = setting.definitions
    people = scoring.respondents_of(session(), setting.assessment)
    estimates = economics.estimates_of(setting.assessment, found, definitions)
    digest = appraisals.inputs_digest(definitions, people, found.data, estimates, None, {}, None)
    repinned = dataclasses.replace(definitions, digest="0" * 64)
    assert appraisals.inputs_digest(repinned, people, found.data, estimates, None, {}, None) != digest
    preset = next(iter(definitions.policy.presets))
    assert appraisals.inputs_digest(definitions, people, found.data, estimates, preset, {}, None) != digest
    assert appraisals.inputs_digest(definitions, people, found.data, estimates, None, {}, 2_000) != digest
    assert appraisals.inputs_digest(definitions, people, found.data, estimates, None, {}, None) == digest
