"""The whole appraisal: readiness, brochure and risk-adjusted economics, the simulation, the gate
and the path to go, from plain data (docs/MODEL.md sections 4 to 7)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assessment.engine.adjustment import RiskAdjustment, risk_adjustment
from assessment.engine.economics import Adjustment, flows, likely_values, lines, metrics
from assessment.engine.estimates import Estimates
from assessment.engine.gate import Decision, Outcome, decide
from assessment.engine.question_types import Answer
from assessment.engine.questionnaire import Definitions, Question
from assessment.engine.readiness import QuestionScore, ReadinessResult, RespondentAnswers, score
from assessment.engine.simulation import SimulationResult, expected, simulate

PATH_DRAWS = 2000
"""Draws per step of the path-to-go search: enough for a stable P10, fast enough for a page."""
MAX_STEPS = 30


@dataclass(frozen=True)
class Figures:
    """One scenario at the most likely values."""

    pv_costs: float
    pv_benefits: float
    npv: float
    roi: float | None
    payback_month: float | None
    irr: float | None
    yearly_net: tuple[float, ...]
    cumulative_net: tuple[float, ...]
    """By month, t0 first: the cash-flow curve and its payback point."""


@dataclass(frozen=True)
class Improvement:
    area: str
    question: Question
    value_before: float
    answer_after: Answer
    readiness_gain: float
    npv_gain: float
    """Gain in the risk-adjusted NPV at the most likely values."""


@dataclass(frozen=True)
class PathToGo:
    steps: tuple[Improvement, ...]
    """Ranked by their effect on the risk-adjusted NPV."""
    reaches_go: bool
    outcome_after: Outcome
    blocked_by: tuple[str, ...]
    """Areas nobody has answered: no improvement of answers can replace assessing them."""


@dataclass(frozen=True)
class Appraisal:
    readiness: ReadinessResult
    brochure: Figures
    adjusted: Figures
    risk: RiskAdjustment
    simulation: SimulationResult
    decision: Decision
    path: PathToGo | None


def appraise(
    definitions: Definitions,
    respondents: Sequence[RespondentAnswers],
    estimates: Estimates,
    preset: str | None = None,
    waivers: Mapping[str, str] | None = None,
    draws: int | None = None,
) -> Appraisal:
    policy = definitions.policy
    readiness = score(definitions, respondents, preset)
    risk = risk_adjustment(readiness, respondents, estimates, policy.economics)
    simulation = simulate(estimates, risk, draws or policy.economics.draws)
    decision = decide(readiness, simulation.npv.p10, simulation.npv.p50, policy.gate, waivers)
    path = None if decision.outcome is Outcome.GO else path_to_go(definitions, respondents, estimates, preset, waivers)
    return Appraisal(
        readiness=readiness,
        brochure=_figures(estimates, Adjustment.none(), 1.0),
        adjusted=_figures(estimates, risk.adjustment, risk.expected_delivered),
        risk=risk,
        simulation=simulation,
        decision=decision,
        path=path,
    )


def _figures(estimates: Estimates, adjustment: Adjustment, delivered: float) -> Figures:
    values, share = likely_values(estimates), np.array([delivered])
    cash = flows(estimates, values, adjustment, share)
    result = metrics(estimates, lines(estimates, values, adjustment, share))
    return Figures(
        pv_costs=float(result.pv_costs[0]),
        pv_benefits=float(result.pv_benefits[0]),
        npv=float(result.npv[0]),
        roi=_number(result.roi[0]),
        payback_month=_number(result.payback[0]),
        irr=_number(result.irr[0]) if result.irr is not None else None,
        yearly_net=tuple(float(v) for v in result.yearly_net[0]),
        cumulative_net=tuple(float(v) for v in np.cumsum(cash.net[0])),
    )


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def path_to_go(
    definitions: Definitions,
    respondents: Sequence[RespondentAnswers],
    estimates: Estimates,
    preset: str | None = None,
    waivers: Mapping[str, str] | None = None,
) -> PathToGo:
    """The fewest answer improvements that turn the decision into a go, found greedily.

    Each step raises the one answer that does most for the criterion still unmet (a
    knock-out first, then the weakest area, then overall readiness and the economics); for
    a single threshold on readiness, taking the largest gains first is the fewest steps.
    """
    people = list(respondents)
    steps: list[Improvement] = []
    state = _evaluate(definitions, people, estimates, preset, waivers)
    for _ in range(MAX_STEPS):
        readiness, decision, npv = state
        if decision.outcome is Outcome.GO or not _fixable(decision):
            break
        found = _next(readiness, decision)
        if found is None:
            break
        candidate, answer = found
        people = _with_everyone_answering(people, candidate, answer)
        state = _evaluate(definitions, people, estimates, preset, waivers)
        steps.append(
            Improvement(
                candidate.area,
                candidate.question,
                candidate.value or 0.0,
                answer,
                (state[0].readiness or 0) - (readiness.readiness or 0),
                state[2] - npv,
            )
        )
    final = state[1]
    unassessed = tuple(r.values["area"] for r in final.conditions if r.code == "area_not_assessed")
    return PathToGo(
        tuple(sorted(steps, key=lambda s: -s.npv_gain)), final.outcome is Outcome.GO, final.outcome, unassessed
    )


def _evaluate(
    definitions: Definitions,
    people: list[RespondentAnswers],
    estimates: Estimates,
    preset: str | None,
    waivers: Mapping[str, str] | None,
) -> tuple[ReadinessResult, Decision, float]:
    readiness = score(definitions, people, preset)
    risk = risk_adjustment(readiness, people, estimates, definitions.policy.economics)
    simulation = simulate(estimates, risk, PATH_DRAWS, detailed=False)
    decision = decide(readiness, simulation.npv.p10, simulation.npv.p50, definitions.policy.gate, waivers)
    return readiness, decision, float(expected(estimates, risk).npv[0])


UNFIXABLE = {"area_not_assessed", "knock_out_waived", "not_assessed"}
"""Unmet criteria that better answers cannot meet: only answering, or the committee, can."""


def _fixable(decision: Decision) -> bool:
    return any(r.code not in UNFIXABLE for r in (*decision.blocking, *decision.conditions))


def _next(readiness: ReadinessResult, decision: Decision) -> tuple[QuestionScore, Answer] | None:
    """The improvable answer that does most for the first unmet criterion, and the answer to raise it to."""
    improvable: list[tuple[QuestionScore, Answer, float]] = []
    for area in readiness.areas:
        for score_ in area.questions:
            best = score_.question.kind.best(score_.question)
            if score_.value is not None and best is not None and best[1] > score_.value:
                improvable.append((score_, *best))
    knocked = {(r.values["area"], r.values["question"]) for r in decision.blocking if r.code == "knock_out"}
    for score_, answer, _value in improvable:
        if (score_.area, score_.question.id) in knocked:
            return score_, answer
    weak_areas = sorted(
        (r.values["readiness"], r.values["area"])
        for r in (*decision.blocking, *decision.conditions)
        if r.code in ("area_too_low", "area_short")
    )
    for _, area_id in weak_areas:
        in_area = [step for step in improvable if step[0].area == area_id]
        if in_area:
            score_, answer, _value = max(
                in_area, key=lambda c: (c[0].share * (c[2] - (c[0].value or 0.0)), c[0].lost_points)
            )
            return score_, answer
    most = max(improvable, key=lambda c: c[0].lost_points, default=None)
    return None if most is None else (most[0], most[1])


def _with_everyone_answering(
    people: list[RespondentAnswers], target: QuestionScore, answer: Answer
) -> list[RespondentAnswers]:
    """Everyone who answered the question now gives the best answer, so the median is the best."""
    changed = []
    for person in people:
        answers = person.answers.get(target.area, {})
        if target.question.id in answers:
            area = {**answers, target.question.id: answer}
            person = dataclasses.replace(person, answers={**person.answers, target.area: area})
        changed.append(person)
    return changed
