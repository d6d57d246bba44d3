"""The gate: go, conditional go or no-go; a knock-out waived only with a reason; the verdicts on realistic organisations."""

from __future__ import annotations

import pytest
import yaml

from assessment.engine.answers import read_respondents
from assessment.engine.appraisal import Appraisal, appraise
from assessment.engine.estimates_data import read_estimates
from assessment.engine.gate import Outcome
from assessment.engine.questionnaire import Definitions
from tests.conftest import ROOT
from tests.engine.builders import everything_answered_well, profitable


def test_a_ready_organisation_with_a_sound_case_gets_a_go(definitions: Definitions) -> None:
    result = appraise(definitions, everything_answered_well(definitions), profitable(), draws=4_000)
    assert result.decision.outcome is Outcome.GO
    assert {r.code for r in result.decision.met} == {"readiness_ok", "areas_ok", "return_likely"}
    assert result.path is None


def test_a_knock_out_is_a_no_go_until_the_committee_waives_it_with_a_reason(definitions: Definitions) -> None:
    people = everything_answered_well(definitions)
    people[0].answers["strategy"]["executive_sponsor"] = "no"
    blocked = appraise(definitions, people, profitable(), draws=4_000)
    assert blocked.decision.outcome is Outcome.NO_GO
    assert [r.code for r in blocked.decision.blocking] == ["knock_out"]
    assert blocked.path.reaches_go and [s.question.id for s in blocked.path.steps] == ["executive_sponsor"]
    waived = appraise(
        definitions, people, profitable(), waivers={"no_sponsor": "Interim sponsor named by the board"}, draws=4_000
    )
    assert waived.decision.outcome is not Outcome.NO_GO
    assert [r.values["reason"] for r in waived.decision.waived] == ["Interim sponsor named by the board"]


def test_a_waiver_lifts_the_cap_its_knock_out_put_on_the_chance_of_delivering(definitions: Definitions) -> None:
    people = everything_answered_well(definitions)
    people[0].answers["strategy"]["executive_sponsor"] = "no"
    capped = appraise(definitions, people, profitable(), draws=2_000)
    waived = appraise(definitions, people, profitable(), waivers={"no_sponsor": "CFO acts as sponsor"}, draws=2_000)
    assert capped.risk.delivery == definitions.policy.cap_knock_out
    assert waived.risk.delivery > capped.risk.delivery and waived.readiness.reasons.cap_kind != "knock_out"
    assert waived.simulation.probability_npv_positive > capped.simulation.probability_npv_positive


ORGANISATIONS = ROOT / "tests" / "fixtures" / "organisations"


def organisation(definitions: Definitions, case: str) -> Appraisal:
    """A realistic organisation of tests/fixtures/organisations, appraised as the app would."""
    folder = ORGANISATIONS / case
    people = read_respondents(definitions, yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8")))
    data = yaml.safe_load((folder / "estimates.yaml").read_text(encoding="utf-8"))
    return appraise(definitions, people, read_estimates(data, definitions.policy.economics), draws=4_000)


@pytest.mark.parametrize(
    ("case", "outcome", "blocking", "conditions"),
    [
        ("well_prepared", Outcome.GO, set(), set()),
        ("no_sponsor", Outcome.NO_GO, {"knock_out"}, set()),
        ("no_sponsor/no_objectives", Outcome.NO_GO, {"knock_out"}, set()),
        ("costs_exceed_benefits", Outcome.NO_GO, {"return_unlikely"}, set()),
        ("weak_adoption", Outcome.CONDITIONAL_GO, set(), {"finding", "area_short"}),
        ("disagreeing_respondents", Outcome.CONDITIONAL_GO, set(), {"goals_disputed"}),
        ("tiny_saas", Outcome.GO, set(), set()),
    ],
)
def test_realistic_organisations_get_the_verdict_an_expert_gives(
    definitions: Definitions, case: str, outcome: Outcome, blocking: set[str], conditions: set[str]
) -> None:
    result = organisation(definitions, case)
    assert result.decision.outcome is outcome
    assert blocking <= {r.code for r in result.decision.blocking}
    assert conditions <= {r.code for r in result.decision.conditions}


def test_a_knock_out_verdict_names_what_no_money_fixes(definitions: Definitions) -> None:
    assert [
        r.values["id"] for r in organisation(definitions, "no_sponsor").decision.blocking if r.code == "knock_out"
    ] == ["no_sponsor"]
    no_objectives = organisation(definitions, "no_sponsor/no_objectives").decision.blocking
    assert [r.values["id"] for r in no_objectives if r.code == "knock_out"] == ["no_measurable_objectives"]


def test_weak_adoption_is_a_conditional_go_with_the_adoption_work_named(definitions: Definitions) -> None:
    decision = organisation(definitions, "weak_adoption").decision
    assert {r.values["id"] for r in decision.conditions if r.code == "finding"} >= {"adoption_barrier_desire"}
    assert {r.values["area"] for r in decision.conditions if r.code == "area_short"} == {"adoption"}


def test_disputed_goals_name_who_stands_at_each_end(definitions: Definitions) -> None:
    disputes = [
        r
        for r in organisation(definitions, "disagreeing_respondents").decision.conditions
        if r.code == "goals_disputed"
    ]
    goals = next(r for r in disputes if r.values["area"] == "goals")
    assert "measurable_kpis" in goals.values["questions"]
    low_roles = {role for _name, role in goals.values["low"]}
    assert "sales_service_lead" in low_roles and not {n for n, _ in goals.values["low"]} & {
        n for n, _ in goals.values["high"]
    }
