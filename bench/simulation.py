"""Monte Carlo speed, against a floor measured in the same run: the most direct NumPy computation of the same figures.

The floor (`baseline`) draws as the code does (uniform draws through each input's tabulated
quantile function), multiplies the line amounts by the monthly profiles (summed by year,
discounted and cumulated) as one matrix product, and takes NPV, ROI, the payback month from
the cumulative cash flow, the percentiles, the chance of a positive NPV and the histogram;
nothing else (no checks, no names, no tornado, no result objects). It is what the code should
approach, not a straw man: the printed ratio says how far the code is from it. The two are
timed in turn, round after round.

Goal: 10,000 draws over 25 uncertain inputs and 37 monthly periods with NPV, ROI and
payback under 10 ms, with IRR per draw under 50 ms; 100,000 draws under 100 ms without
IRR; and without IRR at most 2x the floor.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from assessment.engine.adjustment import RiskAdjustment
from assessment.engine.economics import Adjustment, Array, lines
from assessment.engine.estimates import BenefitLine, CostLine, Estimates, ThreePoint, Timing
from assessment.engine.simulation import _beta_quantiles, _logit_centre, simulate

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
INPUTS = 25


def estimates() -> Estimates:
    """13 uncertain cost lines and 6 benefit lines with 12 uncertain drivers: 25 inputs."""
    costs = tuple(
        CostLine(
            f"cost_{i}",
            ThreePoint(800 + i, 1000 + i, 1500 + i),
            (Timing.ONCE, Timing.MONTHLY, Timing.YEARLY)[i % 3],
            per_user=i % 4 == 1,
            project=i % 3 == 0,
        )
        for i in range(13)
    )
    benefits = tuple(
        BenefitLine(
            f"benefit_{i}", (("volume", ThreePoint(80, 100, 130)), ("value", ThreePoint(20, 25, 35))), ramp_months=6
        )
        for i in range(6)
    )
    return Estimates("USD", costs, benefits, users=40)


@dataclass(frozen=True)
class Floor:
    """What the floor computes with, prepared once as the code's own tables are: each input's
    tabulated quantile function (the code's, scaled to its low..high), each line's scale per unit
    of its inputs and its monthly profile, and the discount factor of each year."""

    tables: Array
    """inputs x quantile points."""
    costs: list[int]
    """Per cost line, the row of its input."""
    drivers: list[list[int]]
    """Per benefit line, the rows of its drivers."""
    scale: Array
    profiles: Array
    is_cost: NDArray[np.bool_]
    discount: Array
    years: int
    centre: float
    spread: float


def floor_of(model: Estimates, risk: RiskAdjustment) -> Floor:
    inputs = sorted(model.inputs())
    rows = {key: row for row, (key, _) in enumerate(inputs)}
    tables = np.stack(
        [
            v.low + (v.high - v.low) * _beta_quantiles(*_shape(v))
            for _, v in inputs  # every input of this model is uncertain
        ]
    )
    # The lines at every input 1 and every share 1: each line's scale and profile, as the code lays them out.
    unit = lines(model, {key: np.ones(1) for key, _ in inputs}, risk.adjustment, np.ones(1))
    return Floor(
        tables=tables,
        costs=[rows[f"costs.{c.id}"] for c in model.costs],
        drivers=[[rows[f"benefits.{b.id}.{name}"] for name, _ in b.drivers] for b in model.benefits],
        scale=unit.amounts[0],
        profiles=unit.profiles,
        is_cost=unit.is_cost,
        discount=(1 + model.discount_rate) ** -np.arange(model.horizon_years + 1.0),
        years=model.horizon_years,
        centre=_logit_centre(risk.expected_delivered, risk.share_spread),
        spread=risk.share_spread,
    )


def _shape(v: ThreePoint) -> tuple[float, float]:
    alpha = 1 + 4 * (v.likely - v.low) / (v.high - v.low)
    return round(alpha, 6), round(6 - alpha, 6)


def baseline(draws: int, floor: Floor) -> None:
    """The floor: the most direct vectorised NumPy computation of the same figures from the same kind of draws.

    Uniform draws through each input's tabulated quantile function (all inputs in one call), the
    realised share per draw (logistic of a normal), then the line amounts (draws x lines, costs
    negative) times the monthly profiles as one matrix product. The model is linear, so the
    profiles are summed by year, discounted and cumulated first (lines x months, once per call)
    and that one product gives every draw's PV of costs and of benefits and its cumulative cash
    flow; then NPV, ROI, the payback month (interpolated), the percentiles, the chance of a
    positive NPV and the histogram. No checks, no names, no result objects.
    """
    rng = np.random.default_rng(1)
    points = floor.tables.shape[1]
    picks = (rng.random((floor.tables.shape[0], draws)) * (points - 1) + 0.5).astype(np.intp)
    values = np.take_along_axis(floor.tables, picks, axis=1)
    share = 1 / (1 + np.exp(-(floor.centre + floor.spread * rng.standard_normal(draws))))
    amounts = np.empty((draws, len(floor.scale)))
    amounts[:, : len(floor.costs)] = values[floor.costs].T
    for column, rows in enumerate(floor.drivers, start=len(floor.costs)):
        amounts[:, column] = np.prod(values[rows], axis=0) * share
    amounts *= np.where(floor.is_cost, -floor.scale, floor.scale)
    by_year = np.concatenate(
        [floor.profiles[:, :1], floor.profiles[:, 1:].reshape(len(floor.scale), floor.years, 12).sum(axis=2)], axis=1
    )
    present = by_year @ floor.discount
    product = amounts @ np.column_stack(
        [np.where(floor.is_cost, -present, 0.0), np.where(floor.is_cost, 0.0, present), np.cumsum(floor.profiles, 1)]
    )
    pv_costs, pv_benefits, cumulative = product[:, 0], product[:, 1], product[:, 2:]
    npv = pv_benefits - pv_costs
    roi = npv / pv_costs
    paid = cumulative >= 0
    first = np.argmax(paid, axis=1)
    at = np.take_along_axis(cumulative, first[:, None], axis=1)[:, 0]
    before = np.take_along_axis(cumulative, np.maximum(first - 1, 0)[:, None], axis=1)[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):  # rows that never pay back are set apart
        payback = np.where(paid.any(axis=1), np.where(first > 0, first - 1 - before / (at - before), 0.0), np.inf)
    np.percentile(npv, [10, 50, 90])
    np.percentile(roi, [10, 50, 90])
    np.percentile(payback, [10, 50, 90], method="inverted_cdf")
    float((npv > 0).mean())
    np.histogram(npv, bins=24)


def alternating_medians(first: Callable[[], object], second: Callable[[], object], rounds: int) -> tuple[float, float]:
    """The medians of `first` and `second` timed in turn, round after round, so that a machine whose
    load changes during the run slows both alike and their ratio holds (belongs in bench/timing.py)."""
    first(), second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for action, kept in zip((first, second), samples, strict=True):
            start = time.perf_counter()
            action()
            kept.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def main() -> int:
    model = estimates()
    assert len([v for _, v in model.inputs() if v.uncertain]) == INPUTS
    risk = RiskAdjustment(Adjustment({}, 0.2, 2), 0.6, 0.44, 0.8, 1.0, 60.0, 60.0)
    floor = floor_of(model, risk)
    rows = [
        ("10,000 draws, NPV/ROI/payback", 10_000, False, 10.0),
        ("10,000 draws, with IRR per draw", 10_000, True, 50.0),
        ("100,000 draws, NPV/ROI/payback", 100_000, False, 100.0),
    ]
    failed = False
    print(f"{INPUTS} uncertain inputs, 37 monthly periods, {ROUNDS} rounds; ratio to the floor (NumPy alone)")
    for label, draws, detailed, goal_ms in rows:
        bare, ours = alternating_medians(
            lambda draws=draws: baseline(draws, floor),
            lambda draws=draws, detailed=detailed: simulate(model, risk, draws, detailed),
            ROUNDS,
        )
        ratio = ours / bare
        over = ours * 1e3 > goal_ms or (not detailed and ratio > 2)
        failed |= over
        print(
            f"{label:<34} {ours * 1e3:8.2f} ms (goal < {goal_ms:.0f} ms)  floor {bare * 1e3:7.2f} ms  "
            f"ratio {ratio:4.2f}x{'' if detailed else ' (goal <= 2x)'}  {'OVER GOAL' if over else 'ok'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
