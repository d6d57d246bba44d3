"""Monte Carlo, the gate and the path to go."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.demo import END_USER_ANSWERS, LEAD_ANSWERS, SPONSOR_ANSWERS
from assessment.engine.adjustment import RiskAdjustment
from assessment.engine.appraisal import appraise
from assessment.engine.economics import Adjustment
from assessment.engine.estimates import BenefitLine, CostLine, Estimates, ThreePoint, Timing
from assessment.engine.gate import Outcome
from assessment.engine.questionnaire import Definitions, Role
from assessment.engine.readiness import RespondentAnswers
from assessment.engine.simulation import expected, simulate

P = ThreePoint


COST, BENEFIT, LICENCES = P(80_000, 100_000, 150_000), P(8_000, 12_000, 15_000), P(1_000, 1_200, 1_500)


def estimates(cost: ThreePoint = COST, benefit: ThreePoint = BENEFIT, licences: ThreePoint = LICENCES) -> Estimates:
    return Estimates(
        "USD",
        (CostLine("implementation", cost, Timing.ONCE, project=True), CostLine("licences", licences, Timing.MONTHLY)),
        (BenefitLine("revenue", (("amount", benefit),), ramp_months=3),),
    )


def risk(delivery: float, overrun: float = 0.1, delay: int = 1) -> RiskAdjustment:
    return RiskAdjustment(Adjustment({"revenue": 0.2}, overrun, delay), delivery, 0.44, 1.0, 50.0, 50.0)


def test_the_same_inputs_always_give_the_same_draws() -> None:
    first, second = simulate(estimates(), risk(0.6), 5_000), simulate(estimates(), risk(0.6), 5_000)
    assert first == second
    assert simulate(estimates(), risk(0.61), 5_000).seed != first.seed


def test_with_all_three_points_equal_and_certain_delivery_the_spread_collapses_to_the_single_figure() -> None:
    fixed = estimates(P.single(100_000), P.single(12_000), P.single(1_200))
    result = simulate(fixed, risk(1.0), 2_000)
    single = expected(fixed, risk(1.0)).npv[0]
    assert result.npv.p10 == pytest.approx(single) and result.npv.p90 == pytest.approx(single)
    assert result.probability_npv_positive in (0.0, 1.0)
    assert result.tornado == ()


def test_the_delivery_draw_is_the_only_spread_left_when_estimates_are_certain() -> None:
    fixed = estimates(P.single(100_000), P.single(12_000), P.single(1_200))
    result = simulate(fixed, risk(0.5), 10_000)
    delivered = expected(fixed, dataclasses.replace(risk(0.5), delivery=1.0)).npv[0]
    disappointed = expected(fixed, dataclasses.replace(risk(0.5), delivery=0.0)).npv[0]
    assert result.npv.p10 == pytest.approx(disappointed) and result.npv.p90 == pytest.approx(delivered)


def test_the_tornado_ranks_inputs_by_their_swing() -> None:
    bars = simulate(estimates(), risk(0.6), 1_000).tornado
    assert [b.input for b in bars] == ["benefits.revenue.amount", "costs.implementation", "costs.licences"]
    assert bars[0].swing >= bars[1].swing >= bars[2].swing


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 200_000), st.floats(0, 1))
def test_higher_costs_never_raise_roi(extra: float, delivery: float) -> None:
    base = expected(estimates(), risk(delivery))
    dearer = expected(estimates(cost=P(80_000 + extra, 100_000 + extra, 150_000 + extra)), risk(delivery))
    assert dearer.roi[0] <= base.roi[0] + 1e-12


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_a_higher_chance_of_delivering_never_lowers_the_risk_adjusted_npv(low: float, high: float) -> None:
    low, high = sorted((low, high))
    assert expected(estimates(), risk(high)).npv[0] >= expected(estimates(), risk(low)).npv[0] - 1e-6


def demo_people() -> list[RespondentAnswers]:
    return [
        RespondentAnswers("lead", None, LEAD_ANSWERS),
        RespondentAnswers("s", Role.SPONSOR, SPONSOR_ANSWERS),
        RespondentAnswers("e", Role.END_USER, END_USER_ANSWERS),
    ]


def profitable() -> Estimates:
    return estimates(P(50_000, 60_000, 70_000), P(20_000, 25_000, 30_000))


def everything_answered_well(definitions: Definitions) -> list[RespondentAnswers]:
    best = {
        q.id: {
            x.id: max(x.options, key=lambda o: o.value).id
            for x in q.questions
            if x.options and x.type.value != "multiple_choice"
        }
        for q in definitions.questionnaires
    }
    return [RespondentAnswers("lead", None, best)]


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


@pytest.mark.parametrize("estimate", [P(10, 20, 60), P(0, 50, 60), P(100, 101, 300), P(0.01, 0.03, 0.05)])
def test_draws_follow_the_beta_pert_distribution(estimate: ThreePoint) -> None:
    """Mean (O + 4M + P) / 6; variance of a Beta(alpha, beta) scaled to the range."""
    from assessment.engine.simulation import sample

    draws = sample([("x", estimate)], np.random.default_rng(3), 200_000)["x"]
    width = estimate.high - estimate.low
    alpha = 1 + 4 * (estimate.likely - estimate.low) / width
    beta = 1 + 4 * (estimate.high - estimate.likely) / width
    sd = width * np.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    assert draws.min() >= estimate.low and draws.max() <= estimate.high
    assert draws.mean() == pytest.approx(estimate.pert_mean, abs=0.01 * sd)
    assert draws.std() == pytest.approx(sd, rel=0.01)
