"""The gate: go, conditional go or no-go, and a knock-out waived only with a reason."""

from __future__ import annotations

from assessment.engine.appraisal import appraise
from assessment.engine.gate import Outcome
from assessment.engine.questionnaire import Definitions
from tests.engine.builders import everything_answered_well, profitable


def test_a_ready_organisation_with_a_sound_case_gets_a_go(definitions: Definitions) -> None:
    result = appraise(definitions, everything_answered_well(definitions), profitable(), draws=4_000)
    assert result.decision.outcome is Outcome.GO
    assert {r.code for r in result.decision.met} == {"readiness_ok", "areas_ok", "npv_p10_positive"}
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
