"""The whole appraisal: brochure against risk-adjusted figures, and the path to go."""

from __future__ import annotations

import numpy as np

from assessment.demo import END_USER_ANSWERS, LEAD_ANSWERS, SPONSOR_ANSWERS
from assessment.engine.appraisal import appraise
from assessment.engine.gate import Outcome
from assessment.engine.questionnaire import Definitions, Role
from assessment.engine.readiness import RespondentAnswers
from tests.engine.builders import P, estimates, everything_answered_well, profitable


def demo_people() -> list[RespondentAnswers]:
    return [
        RespondentAnswers("lead", None, LEAD_ANSWERS),
        RespondentAnswers("s", Role.SPONSOR, SPONSOR_ANSWERS),
        RespondentAnswers("e", Role.END_USER, END_USER_ANSWERS),
    ]


def test_the_path_to_go_lists_improvements_ranked_by_their_effect(definitions: Definitions) -> None:
    people = everything_answered_well(definitions)
    weakened = (
        "training_plan",
        "communication_plan",
        "change_champions",
        "impact_analysed",
        "change_size",
        "past_changes_adopted",
        "primary_group_ability",
        "primary_group_reinforcement",
    )
    for question in weakened:
        options = definitions.area("adoption").question(question).options
        people[0].answers["adoption"][question] = min(options, key=lambda o: o.value).id
    result = appraise(definitions, people, profitable(), draws=4_000)
    assert result.decision.outcome is not Outcome.GO
    assert any(
        r.code in ("area_short", "area_too_low") for r in (*result.decision.blocking, *result.decision.conditions)
    )
    assert result.path.reaches_go and result.path.outcome_after is Outcome.GO
    gains = [s.npv_gain for s in result.path.steps]
    assert gains == sorted(gains, reverse=True)
    assert {s.question.id for s in result.path.steps} <= set(weakened)
    assert len(result.path.steps) < len(weakened)  # the fewest, not all of them


def test_when_no_answer_can_reach_go_the_path_says_so(definitions: Definitions) -> None:
    losing = estimates(P(900_000, 1_000_000, 1_100_000), P(1_000, 2_000, 3_000))
    result = appraise(definitions, demo_people(), losing, draws=2_000)
    assert result.decision.outcome is Outcome.NO_GO
    assert not result.path.reaches_go
    assert "process" in result.path.blocked_by


def test_the_brochure_ignores_readiness_and_the_adjusted_case_does_not(definitions: Definitions) -> None:
    result = appraise(definitions, demo_people(), profitable(), draws=2_000)
    assert result.brochure.npv > result.adjusted.npv
    assert result.risk.delivery == result.readiness.delivery_probability
    assert np.isclose(result.risk.expected_delivered, result.risk.delivery + (1 - result.risk.delivery) * 0.44)
