"""Promises of the decision, over any answers and estimates hypothesis can think of."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessment.engine.adjustment import risk_adjustment
from assessment.engine.estimates import CostLine, Estimates, ThreePoint
from assessment.engine.gate import Decision, Outcome, decide
from assessment.engine.question_types import Widget
from assessment.engine.readiness import RespondentAnswers, score
from assessment.engine.simulation import expected, simulate
from tests.engine.test_readiness_properties import CONTROLLERS, DEFINITIONS, ESTIMATES, assessments

RANK = {Outcome.NO_GO: 0, Outcome.CONDITIONAL_GO: 1, Outcome.GO: 2}
DRAWS = 500
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def decided(
    people: list[RespondentAnswers], estimates: Estimates = ESTIMATES, waivers: Mapping[str, str] | None = None
) -> tuple[Decision, float, float, float]:
    """The decision as the appraisal takes it, with the expected NPV and the simulated range."""
    readiness = score(DEFINITIONS, people, waived=waivers or {})
    risk = risk_adjustment(readiness, people, estimates, DEFINITIONS.policy)
    simulation = simulate(estimates, risk, DRAWS, detailed=False)
    decision = decide(readiness, simulation.probability_npv_positive, DEFINITIONS.policy.gate, waivers)
    edges = simulation.histogram_edges
    return decision, float(expected(estimates, risk).npv[0]), edges[0], edges[-1]


def everyone_answering_better(people: list[RespondentAnswers], data: st.DataObject) -> list[RespondentAnswers]:
    """Everyone who answered one actionable question, that opens no follow-up, gives the same better answer."""
    answered = {
        (area, question_id)
        for person in people
        for area, answers in person.answers.items()
        for question_id in answers
        if (area, question_id) not in CONTROLLERS
        and not DEFINITIONS.area(area).question(question_id).situation
        and DEFINITIONS.area(area).question(question_id).kind.widget is Widget.ONE_OF
    }
    assume(answered)
    area, question_id = data.draw(st.sampled_from(sorted(answered)))
    question = DEFINITIONS.area(area).question(question_id)
    given_values = [
        value
        for person in people
        if (value := question.value_of(person.answers.get(area, {}).get(question_id, ""))) is not None
    ]
    assume(given_values)  # "not applicable" everywhere: no answer to better, and any answer adds a weakness
    better = [o for o in question.options if o.value >= max(given_values)]
    assume(better)
    choice = data.draw(st.sampled_from(better)).id
    return [
        dataclasses.replace(p, answers={**p.answers, area: {**p.answers[area], question_id: choice}})
        if question_id in p.answers.get(area, {})
        else p
        for p in people
    ]


@SETTINGS
@given(assessments(), st.data())
def test_a_better_answer_everyone_gives_never_worsens_the_decision_or_the_expected_npv(
    people: list[RespondentAnswers], data: st.DataObject
) -> None:
    improved = everyone_answering_better(people, data)
    before, npv_before, _low, _high = decided(people)
    after, npv_after, _low, _high = decided(improved)
    assert RANK[after.outcome] >= RANK[before.outcome]
    assert npv_after >= npv_before - 1e-6


@SETTINGS
@given(assessments(), st.floats(0, 200_000))
def test_lower_costs_never_worsen_the_decision_or_the_expected_npv(
    people: list[RespondentAnswers], saving: float
) -> None:
    dearer = dataclasses.replace(
        ESTIMATES,
        costs=(
            CostLine("implementation", ThreePoint(50_000, 80_000, 120_000), ESTIMATES.costs[0].timing, project=True),
        )
        + ESTIMATES.costs[1:],
    )
    cheaper = dataclasses.replace(
        dearer,
        costs=(
            dataclasses.replace(
                dearer.costs[0],
                amount=ThreePoint(*(max(0.0, v - saving) for v in (50_000.0, 80_000.0, 120_000.0))),
            ),
        )
        + dearer.costs[1:],
    )
    before, npv_before, _low, _high = decided(people, dearer)
    after, npv_after, _low, _high = decided(people, cheaper)
    assert npv_after >= npv_before - 1e-6
    assert RANK[after.outcome] >= RANK[before.outcome]


@SETTINGS
@given(assessments())
def test_the_expected_npv_lies_within_the_simulated_range(people: list[RespondentAnswers]) -> None:
    _decision, npv, low, high = decided(people)
    assert low - 1e-6 <= npv <= high + 1e-6


@SETTINGS
@given(assessments(), st.randoms(use_true_random=False))
def test_the_same_inputs_in_any_order_give_the_same_decision(
    people: list[RespondentAnswers], shuffle: random.Random
) -> None:
    reordered = people[:]
    shuffle.shuffle(reordered)
    lines = dataclasses.replace(ESTIMATES, costs=tuple(reversed(ESTIMATES.costs)))
    assert decided(reordered, lines)[0] == decided(people)[0]


@SETTINGS
@given(assessments(), st.sampled_from([k.id for k in DEFINITIONS.policy.knock_outs]))
def test_a_waiver_never_worsens_a_decision(people: list[RespondentAnswers], knock_out: str) -> None:
    before = decided(people)[0]
    after = decided(people, waivers={knock_out: "The board accepts the risk"})[0]
    assert RANK[after.outcome] >= RANK[before.outcome]
