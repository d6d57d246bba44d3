"""Scenarios and waivers as use cases: saved with their audit trail, appraised with the committee's waivers."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date

import pytest
import yaml
from sqlalchemy import select

from assessment.engine.gate import Outcome
from assessment.services import answers, appraisals, economics, report, scoring
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


def test_a_new_scenario_never_takes_the_name_of_another(setting: Setting) -> None:
    economics.create_scenario(session(), setting.assessment, "Cloud", ESTIMATES, ANALYST)
    with pytest.raises(economics.ScenarioError):
        economics.create_scenario(session(), setting.assessment, "Cloud", {}, ANALYST)
    assert [(s.name, s.data) for s in economics.scenarios(session(), setting.assessment)] == [("Cloud", ESTIMATES)]
    assert [subject for subject, _old, _new in changes("scenario.created")] == ["Cloud"]


def test_a_renamed_scenario_keeps_its_id_and_figures_and_the_rename_is_audited(setting: Setting) -> None:
    found = economics.create_scenario(session(), setting.assessment, "Cloud", ESTIMATES, ANALYST)
    economics.create_scenario(session(), setting.assessment, "On-premise", ESTIMATES, ANALYST)
    with pytest.raises(economics.ScenarioError):
        economics.rename_scenario(session(), setting.assessment, found, "On-premise", ANALYST)
    renamed = economics.rename_scenario(session(), setting.assessment, found, "Cloud, 40 users", ANALYST)
    assert renamed.id == found.id and renamed.data == ESTIMATES
    assert [s.name for s in economics.scenarios(session(), setting.assessment)] == ["Cloud, 40 users", "On-premise"]
    assert changes("scenario.renamed") == [("Cloud, 40 users", "Cloud", "Cloud, 40 users")]


def test_a_deleted_scenario_is_kept_whole_in_its_audit_entry_and_restored_with_its_id_and_place(
    setting: Setting,
) -> None:
    first = economics.create_scenario(session(), setting.assessment, "Cloud", ESTIMATES, ANALYST)
    economics.create_scenario(session(), setting.assessment, "On-premise", {}, ANALYST)
    first_id = first.id
    economics.delete_scenario(session(), setting.assessment, first, ANALYST)
    assert [s.name for s in economics.scenarios(session(), setting.assessment)] == ["On-premise"]
    [entry] = economics.deleted_scenarios(session(), setting.assessment)
    assert entry.subject == "Cloud" and entry.new is None
    assert entry.old["id"] == str(first_id) and entry.old["data"] == ESTIMATES
    assert economics.deleted_entry(session(), setting.assessment, entry.id) is entry

    restored = economics.restore_scenario(session(), setting.assessment, entry, ANALYST)
    assert restored.id == first_id and restored.data == ESTIMATES
    assert [s.name for s in economics.scenarios(session(), setting.assessment)] == ["Cloud", "On-premise"]
    assert economics.deleted_scenarios(session(), setting.assessment) == []
    assert [subject for subject, _old, _new in changes("scenario.restored")] == ["Cloud"]


def test_a_restore_is_refused_while_another_scenario_has_its_name(setting: Setting) -> None:
    found = economics.create_scenario(session(), setting.assessment, "Cloud", ESTIMATES, ANALYST)
    economics.delete_scenario(session(), setting.assessment, found, ANALYST)
    economics.create_scenario(session(), setting.assessment, "Cloud", {}, ANALYST)
    [entry] = economics.deleted_scenarios(session(), setting.assessment)
    with pytest.raises(economics.ScenarioError):
        economics.restore_scenario(session(), setting.assessment, entry, ANALYST)
    assert [(s.name, s.data) for s in economics.scenarios(session(), setting.assessment)] == [("Cloud", {})]


def test_the_scenario_a_decision_was_taken_on_stays_undeletable_when_renamed_while_its_old_name_frees(
    setting: Setting,
) -> None:
    decided = economics.create_scenario(session(), setting.assessment, "Cloud", ESTIMATES, ANALYST)
    report.record_decision(
        session(),
        setting.assessment,
        report.build_report(session(), setting.assessment, True),
        "go",
        "",
        "Board",
        date(2026, 11, 20),
        ANALYST,
    )
    economics.rename_scenario(session(), setting.assessment, decided, "Cloud, as decided", ANALYST)
    newcomer = economics.create_scenario(session(), setting.assessment, "Cloud", ESTIMATES, ANALYST)
    assert economics.decided_names(session(), setting.assessment) == {"Cloud, as decided"}
    with pytest.raises(economics.ScenarioError):
        economics.delete_scenario(session(), setting.assessment, decided, ANALYST)
    economics.delete_scenario(session(), setting.assessment, newcomer, ANALYST)
    assert [s.name for s in economics.scenarios(session(), setting.assessment)] == ["Cloud, as decided"]


def test_the_form_totals_are_each_lines_most_likely_figures_by_year_before_any_risk_adjustment(
    setting: Setting,
) -> None:
    data = {
        "currency": "USD",
        "horizon_years": 2,
        "go_live_month": 0,
        "costs": [{"id": "implementation", "amount": [50000, 60000, 90000], "timing": "once", "project": True}],
        "benefits": [{"id": "marketing", "drivers": {"saving_per_month": [1000, 2000, 5000]}, "ramp_months": 0}],
    }
    found = economics.create_scenario(session(), setting.assessment, "Cloud", data, ANALYST)
    lines = {line.key: line for line in economics.brochure_lines(session(), setting.assessment, found)}
    assert lines["costs.implementation"].by_year == (60000, 0, 0)
    assert lines["benefits.marketing"].by_year == (0, 24000, 24000)
    assert lines["benefits.marketing"].total == 48000
