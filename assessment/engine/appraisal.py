"""The whole appraisal: readiness, brochure and risk-adjusted economics, the simulation, the gate
and the path to go, from plain data (docs/MODEL.md sections 4 to 7)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy_financial as npf

from assessment.engine.adjustment import RiskAdjustment, risk_adjustment
from assessment.engine.economics import (
    Adjustment,
    Array,
    LineYears,
    flows,
    likely_values,
    line_years,
    lines,
    mean_values,
    metrics,
)
from assessment.engine.estimates import Estimates
from assessment.engine.gate import Decision, Outcome, decide
from assessment.engine.path import PathToGo, path_to_go
from assessment.engine.questionnaire import Definitions
from assessment.engine.readiness import ReadinessResult, RespondentAnswers, score
from assessment.engine.simulation import SimulationResult, chance_positive, simulate


@dataclass(frozen=True)
class Figures:
    """One deterministic run of a scenario: the brochure's, or the expectation's."""

    pv_costs: float
    pv_benefits: float
    npv: float
    roi: float | None
    payback_month: float | None
    irr: float | None
    irr_unique: bool
    """False when the yearly flows change sign more than once: then several rates may zero the NPV,
    and the IRR is shown with a caveat beside the MIRR."""
    mirr: float | None
    """Modified IRR, financing and reinvesting at the discount rate; None without both gains and costs."""
    yearly_net: tuple[float, ...]
    cumulative_net: tuple[float, ...]
    """By month, t0 first: the cash-flow curve and its payback point."""
    lines: tuple[LineYears, ...] = ()
    """Each cost and benefit line by year and its present value: the TEI tables."""


@dataclass(frozen=True)
class Appraisal:
    readiness: ReadinessResult
    brochure: Figures
    """At the most likely figures, as a vendor's calculator shows them: no readiness, no uncertainty."""
    adjusted: Figures
    """The expectation of the simulated distribution: the inputs' means, with the expected share realised."""
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
    readiness = score(definitions, respondents, preset, waived=waivers or {})
    risk = risk_adjustment(readiness, respondents, estimates, policy)
    simulation = simulate(estimates, risk, draws or policy.economics.draws)
    decision = decide(readiness, simulation.probability_npv_positive, policy.gate, waivers)
    path = None if decision.outcome is Outcome.GO else path_to_go(definitions, respondents, estimates, preset, waivers)
    return Appraisal(
        readiness=readiness,
        brochure=_figures(estimates, likely_values(estimates), Adjustment.none(), 1.0),
        adjusted=_figures(estimates, mean_values(estimates), risk.adjustment, risk.expected_delivered),
        risk=risk,
        simulation=simulation,
        decision=decision,
        path=path,
    )


def recommendation(
    definitions: Definitions,
    respondents: Sequence[RespondentAnswers],
    estimates: Estimates,
    preset: str | None = None,
    waivers: Mapping[str, str] | None = None,
    draws: int | None = None,
    readiness: ReadinessResult | None = None,
) -> Decision:
    """The decision `appraise` reaches, from the same runs, without its figures or the path to go:
    what a list of assessments shows. `readiness`, when given, is these respondents' already scored on
    the same questions, preset and waivers, and is not scored again."""
    readiness = readiness or score(definitions, respondents, preset, waived=waivers or {})
    risk = risk_adjustment(readiness, respondents, estimates, definitions.policy)
    chance = chance_positive(estimates, risk, draws or definitions.policy.economics.draws)
    return decide(readiness, chance, definitions.policy.gate, waivers)


def _figures(estimates: Estimates, values: dict[str, Array], adjustment: Adjustment, delivered: float) -> Figures:
    """One deterministic run: the brochure at the most likely figures, or the expectation at the means."""
    share = np.array([delivered])
    cash = flows(estimates, values, adjustment, share)
    found = lines(estimates, values, adjustment, share)
    result = metrics(estimates, found)
    return Figures(
        pv_costs=float(result.pv_costs[0]),
        pv_benefits=float(result.pv_benefits[0]),
        npv=float(result.npv[0]),
        roi=_number(result.roi[0]),
        payback_month=_number(result.payback[0]),
        irr=_number(result.irr[0]) if result.irr is not None else None,
        irr_unique=sign_changes(result.yearly_net[0]) <= 1,
        mirr=_mirr(result.yearly_net[0], estimates.discount_rate),
        yearly_net=tuple(float(v) for v in result.yearly_net[0]),
        cumulative_net=tuple(float(v) for v in np.cumsum(cash.net[0])),
        lines=line_years(estimates, found),
    )


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def sign_changes(flows: Array) -> int:
    """How often a series of flows changes sign: more than once, several rates may zero its NPV."""
    signs = np.sign(flows[flows != 0])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def _mirr(flows: Array, rate: float) -> float | None:
    """numpy-financial's MIRR at the discount rate; None when the flows have no gain or no cost."""
    if not (flows > 0).any() or not (flows < 0).any():
        return None
    return _number(float(npf.mirr(flows, rate, rate)))
