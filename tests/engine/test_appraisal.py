"""The whole appraisal: brochure against risk-adjusted figures, and the path to go."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

from assessment.demo import END_USER_ANSWERS, LEAD_ANSWERS, SPONSOR_ANSWERS
from assessment.engine.appraisal import appraise, sign_changes
from assessment.engine.economics import irr
from assessment.engine.gate import Outcome
from assessment.engine.path import MAX_STEPS
from assessment.engine.questionnaire import Definitions, Role
from assessment.engine.readiness import RespondentAnswers
from tests.engine.builders import P, estimates, everything_answered_well, profitable


def demo_people() -> list[RespondentAnswers]:
    return [
        RespondentAnswers("lead", None, LEAD_ANSWERS),
        RespondentAnswers("s", Role.SPONSOR, SPONSOR_ANSWERS),
        RespondentAnswers("e", Role.END_USER, END_USER_ANSWERS),
    ]


def test_the_path_to_go_is_a_short_plan_of_actions_with_owners(definitions: Definitions) -> None:
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
    proposed = {s.question.id for s in result.path.steps if s.question}
    assert proposed <= set(weakened) - {"change_size", "past_changes_adopted"}  # situations are not actions
    assert len(result.path.steps) <= MAX_STEPS
    assert all(s.owner is not None and s.chance_after >= s.chance_before - 0.02 for s in result.path.steps)


def test_when_the_return_falls_short_the_path_proposes_economic_levers_first(definitions: Definitions) -> None:
    losing = estimates(P(250_000, 300_000, 350_000), P(3_000, 4_000, 5_000))
    result = appraise(definitions, everything_answered_well(definitions), losing, draws=2_000)
    assert "return_unlikely" in {r.code for r in result.decision.blocking}
    levers = [s.lever.id for s in result.path.steps if s.lever]
    assert levers and result.path.steps[0].lever is not None
    assert all(s.npv_gain > 0 for s in result.path.steps if s.lever)


def test_when_no_answer_can_reach_go_the_path_says_so(definitions: Definitions) -> None:
    losing = estimates(P(900_000, 1_000_000, 1_100_000), P(1_000, 2_000, 3_000))
    result = appraise(definitions, demo_people(), losing, draws=2_000)
    assert result.decision.outcome is Outcome.NO_GO
    assert not result.path.reaches_go
    assert "process" in result.path.blocked_by


def test_the_path_to_go_search_never_evaluates_more_than_its_budget(
    definitions: Definitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assessment.engine import path

    states: list[object] = []
    original = path._state
    monkeypatch.setattr(path, "_state", lambda *args: states.append(args) or original(*args))
    losing = estimates(P(250_000, 300_000, 350_000), P(3_000, 4_000, 5_000))
    unbounded = path.path_to_go(definitions, demo_people(), losing)
    assert len(states) > 12
    monkeypatch.setattr(path, "BUDGET", 12)
    states.clear()
    bounded = path.path_to_go(definitions, demo_people(), losing)
    assert len(states) == 12
    assert 1 <= len(bounded.steps) <= len(unbounded.steps)  # a plan still, from the steps it measured


def test_each_lines_years_and_present_values_add_up_to_the_appraisals_figures(definitions: Definitions) -> None:
    estimated = profitable()
    result = appraise(definitions, demo_people(), estimated, draws=500)
    keys = [f"costs.{c.id}" for c in estimated.costs] + [f"benefits.{b.id}" for b in estimated.benefits]
    for figures in (result.brochure, result.adjusted):
        assert [line.key for line in figures.lines] == keys
        costs = [line for line in figures.lines if line.cost]
        benefits = [line for line in figures.lines if not line.cost]
        assert sum(line.present_value for line in costs) == pytest.approx(figures.pv_costs)
        assert sum(line.present_value for line in benefits) == pytest.approx(figures.pv_benefits)
        by_year = [
            sum(b.by_year[year] for b in benefits) - sum(c.by_year[year] for c in costs)
            for year in range(len(figures.yearly_net))
        ]
        assert by_year == pytest.approx(figures.yearly_net)
        assert all(line.total == pytest.approx(sum(line.by_year)) and line.total >= 0 for line in figures.lines)


def test_the_brochure_ignores_readiness_and_the_adjusted_case_does_not(definitions: Definitions) -> None:
    result = appraise(definitions, demo_people(), profitable(), draws=2_000)
    assert result.brochure.npv > result.adjusted.npv
    assert result.risk.delivery == result.readiness.delivery_probability
    assert np.isclose(result.risk.expected_delivered, result.risk.delivery + (1 - result.risk.delivery) * 0.44)


def test_with_nothing_answered_the_chance_of_delivering_is_the_policys_floor(definitions: Definitions) -> None:
    result = appraise(definitions, [RespondentAnswers("lead", None, {})], profitable(), draws=1_000)
    assert result.risk.delivery == definitions.policy.delivery_at_0 == 0.15
    assert [r.code for r in result.decision.blocking][:1] == ["not_assessed"]


def test_an_irr_is_found_up_to_100000_percent() -> None:
    flows = np.array([[-1.0, 900.0, 0.0, 0.0]])
    assert irr(flows)[0] == pytest.approx(899.0, rel=1e-9)


def test_the_mirr_is_numpy_financials_at_the_discount_rate(definitions: Definitions) -> None:
    figures = appraise(definitions, everything_answered_well(definitions), profitable(), draws=500).brochure
    flows = np.array(figures.yearly_net)
    assert figures.irr_unique and figures.mirr == pytest.approx(npf.mirr(flows, 0.10, 0.10))


@pytest.mark.parametrize(
    ("flows", "changes"), [([-5, 3, 3, 3], 1), ([-5, 3, 0, -1], 2), ([-5, 3, -1, 4], 3), ([2, 3, 4, 5], 0)]
)
def test_flows_that_change_sign_more_than_once_are_told_apart(flows: list[float], changes: int) -> None:
    assert sign_changes(np.array(flows, dtype=float)) == changes


@pytest.mark.parametrize("losing", [False, True])
def test_the_lists_recommendation_is_the_appraisals_decision(definitions: Definitions, losing: bool) -> None:
    from assessment.engine.appraisal import recommendation

    figures = estimates(P(250_000, 300_000, 350_000), P(3_000, 4_000, 5_000)) if losing else profitable()
    for people in (demo_people(), everything_answered_well(definitions)):
        full = appraise(definitions, people, figures, draws=3_000)
        assert recommendation(definitions, people, figures, draws=3_000) == full.decision
