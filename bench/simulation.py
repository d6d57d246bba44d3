"""Monte Carlo speed, against a bare NumPy baseline of the same array shapes in the same run.

Goal: 10,000 draws over 25 uncertain inputs and 37 monthly periods with NPV, ROI and
payback under 10 ms, with IRR per draw under 50 ms; 100,000 draws under 100 ms without
IRR; and at most 2x the bare baseline.
"""

from __future__ import annotations

import os
import sys

import numpy as np

from assessment.engine.adjustment import RiskAdjustment
from assessment.engine.economics import Adjustment
from assessment.engine.estimates import BenefitLine, CostLine, Estimates, ThreePoint, Timing
from assessment.engine.simulation import simulate
from bench.timing import median_seconds

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


def baseline(draws: int) -> None:
    """The same shapes with nothing but NumPy: 25 beta draws, flows, yearly sums, PV, NPV, cumulative sums."""
    rng = np.random.default_rng(1)
    inputs = [rng.beta(2.0, 3.0, draws) for _ in range(INPUTS)]
    profile = np.linspace(0, 1, 37)
    costs = sum(np.outer(x, profile) for x in inputs[:13])
    benefits = sum(np.outer(x, profile) for x in inputs[13:])
    net = benefits - costs
    years = np.concatenate([net[:, :1], net[:, 1:].reshape(draws, 3, 12).sum(axis=2)], axis=1)
    npv = years @ (1.1 ** -np.arange(4.0))
    np.cumsum(net, axis=1)
    np.percentile(npv, [10, 50, 90])


def main() -> int:
    model = estimates()
    assert len([v for _, v in model.inputs() if v.uncertain]) == INPUTS
    risk = RiskAdjustment(Adjustment({}, 0.2, 2), 0.6, 0.44, 0.8, 1.0, 60.0, 60.0)
    rows = [
        ("10,000 draws, NPV/ROI/payback", 10_000, False, 10.0),
        ("10,000 draws, with IRR per draw", 10_000, True, 50.0),
        ("100,000 draws, NPV/ROI/payback", 100_000, False, 100.0),
    ]
    failed = False
    print(f"{INPUTS} uncertain inputs, 37 monthly periods, {ROUNDS} rounds; ratio to bare NumPy of the same shapes")
    for label, draws, detailed, goal_ms in rows:
        bare = median_seconds(lambda draws=draws: baseline(draws), ROUNDS, warm_up=1)
        ours = median_seconds(
            lambda draws=draws, detailed=detailed: simulate(model, risk, draws, detailed), ROUNDS, warm_up=1
        )
        ratio = ours / bare
        over = ours * 1e3 > goal_ms or (not detailed and ratio > 2)
        failed |= over
        print(
            f"{label:<34} {ours * 1e3:8.2f} ms (goal < {goal_ms:.0f} ms)  bare {bare * 1e3:7.2f} ms  "
            f"ratio {ratio:4.2f}x{'' if detailed else ' (goal <= 2x)'}  {'OVER GOAL' if over else 'ok'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
