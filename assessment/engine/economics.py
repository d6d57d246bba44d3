"""Cash flows, present value, NPV, ROI, payback and IRR, brochure and risk-adjusted.

One vectorised model serves every use: the brochure is one draw at the most likely values,
the expectation one draw at the inputs' means, the Monte Carlo N draws, the tornado a batch with one input swung per
row. Conventions are Forrester TEI's (docs/MODEL.md section 4): an initial period t0 paid
undiscounted, then years discounted at their end; ROI = NPV / PV(costs); payback is the
month the cumulative net cash flow turns non-negative, interpolated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from assessment.engine.estimates import Estimates, Timing

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Adjustment:
    """How readiness bends the estimates; `none()` is what a vendor's calculator shows."""

    haircuts: Mapping[str, float]
    """Per benefit line: the share taken off for the estimator's confidence."""
    overrun: float
    """Extra share of project costs expected from weak scope readiness and a long project."""
    delay_months: float
    """Months benefits start late; fractional, so the figures move smoothly with readiness."""
    """Months by which benefits start late because process and scope readiness are weak."""

    @classmethod
    def none(cls) -> Adjustment:
        return cls({}, 0.0, 0)


@dataclass(frozen=True)
class Lines:
    """Every cost and benefit line: its amount per draw and its shape over the months.

    The model is linear: monthly flows are `amounts @ profiles`, so the simulation never
    builds one draws-by-months array per line.
    """

    amounts: Array
    """draws x lines: a line's monthly amount (at full adoption for a benefit) in each draw."""
    profiles: Array
    """lines x months: the share of that amount paid or earned in each month."""
    is_cost: NDArray[np.bool_]


@dataclass(frozen=True)
class Flows:
    """Monthly cash flows, one row per draw; column 0 is the initial period t0."""

    costs: Array
    benefits: Array

    @property
    def net(self) -> Array:
        return self.benefits - self.costs


def months(estimates: Estimates) -> int:
    """Columns of the timeline: t0 plus every month of the horizon."""
    return 1 + 12 * estimates.horizon_years


def lines(estimates: Estimates, values: Mapping[str, Array], adjustment: Adjustment, delivered: Array) -> Lines:
    """Each line's amount per draw and its monthly profile.

    `values` holds each input's value per draw (keys as `Estimates.inputs`); `delivered` the
    share of benefits each draw realises.
    """
    columns = months(estimates)
    once = np.zeros(columns)
    once[0] = 1.0
    recurring = np.zeros(columns)
    recurring[1:] = 1.0
    count = len(estimates.costs) + len(estimates.benefits)
    # Column-major, so each line's amounts are written in one contiguous stretch.
    amounts = np.empty((len(delivered), count), order="F")
    profiles = np.empty((count, columns))
    for column, cost in enumerate(estimates.costs):
        amount = values[f"costs.{cost.id}"] * (estimates.users if cost.per_user else 1)
        if cost.project:
            amount = amount * (1 + adjustment.overrun)
        amounts[:, column] = amount / 12 if cost.timing is Timing.YEARLY else amount
        profiles[column] = once if cost.timing is Timing.ONCE else recurring
    for column, benefit in enumerate(estimates.benefits, start=len(estimates.costs)):
        monthly = benefit.factor * (1 - adjustment.haircuts.get(benefit.id, 0.0)) * delivered
        for name, _ in benefit.drivers:
            monthly = monthly * values[f"benefits.{benefit.id}.{name}"]
        amounts[:, column] = monthly
        profiles[column] = _ramp(columns, adjustment.delay_months, benefit.ramp_months)
    return Lines(amounts, profiles, np.arange(count) < len(estimates.costs))


def flows(estimates: Estimates, values: Mapping[str, Array], adjustment: Adjustment, delivered: Array) -> Flows:
    """Monthly costs and benefits for each draw."""
    found = lines(estimates, values, adjustment, delivered)
    cost, benefit = found.is_cost, ~found.is_cost
    return Flows(found.amounts[:, cost] @ found.profiles[cost], found.amounts[:, benefit] @ found.profiles[benefit])


def _ramp(columns: int, delay: float, ramp_months: int) -> Array:
    """Adoption per month: nothing before the (delayed) start, then a straight rise to full
    (within a month when there is no ramp)."""
    month = np.arange(columns, dtype=float) - delay
    return np.clip(month / max(ramp_months, 1), 0.0, 1.0)


def yearly(monthly: Array, horizon_years: int) -> Array:
    """t0 then each year's total: shape (draws, 1 + years)."""
    years = monthly[:, 1:].reshape(monthly.shape[0], horizon_years, 12).sum(axis=2)
    return np.concatenate([monthly[:, :1], years], axis=1)


def present_value(monthly: Array, horizon_years: int, rate: float) -> Array:
    """t0 undiscounted, each year discounted at its end."""
    factors = (1 + rate) ** -np.arange(horizon_years + 1, dtype=float)
    return yearly(monthly, horizon_years) @ factors


def payback_month(cumulative: Array) -> Array:
    """The interpolated month the cumulative net cash flow first turns non-negative; NaN if never."""
    paid = cumulative >= 0
    reached = paid.any(axis=1)
    first = np.argmax(paid, axis=1)
    result = np.full(cumulative.shape[0], np.nan)
    rows = np.nonzero(reached)[0]
    at = first[rows]
    before = np.where(at > 0, cumulative[rows, np.maximum(at - 1, 0)], 0.0)
    after = cumulative[rows, at]
    step = np.where(after > before, after - before, 1.0)
    result[rows] = np.where(at > 0, at - 1 + (-before) / step, 0.0)
    return result


def irr(yearly_net: Array, low: float = -0.99, high: float = 10.0, iterations: int = 52) -> Array:
    """IRR per row by bisection, all rows at once; NaN where NPV does not change sign in the range.

    NPV at a rate is evaluated by Horner's rule in the discount factor, so an iteration costs
    a few multiplications per row rather than a power per period.
    """

    def npv_at(rate: Array) -> Array:
        factor = 1 / (1 + rate)
        total = yearly_net[:, -1].copy()
        for column in range(yearly_net.shape[1] - 2, -1, -1):
            total = total * factor + yearly_net[:, column]
        return total

    lo = np.full(yearly_net.shape[0], low)
    hi = np.full(yearly_net.shape[0], high)
    f_lo = npv_at(lo)
    valid = np.sign(f_lo) != np.sign(npv_at(hi))
    for _ in range(iterations):
        mid = (lo + hi) / 2
        f_mid = npv_at(mid)
        left = np.sign(f_mid) == np.sign(f_lo)
        lo, f_lo = np.where(left, mid, lo), np.where(left, f_mid, f_lo)
        hi = np.where(left, hi, mid)
    return np.where(valid, (lo + hi) / 2, np.nan)


@dataclass(frozen=True)
class Metrics:
    """Per draw: present values, NPV, ROI, payback month, IRR and the yearly net flows."""

    pv_costs: Array
    pv_benefits: Array
    npv: Array
    roi: Array
    payback: Array
    irr: Array | None
    yearly_net: Array


def metrics(estimates: Estimates, found: Lines, with_irr: bool = True) -> Metrics:
    """NPV, ROI, payback and (optionally) IRR per draw, by matrix products over the lines."""
    by_year = yearly(found.profiles, estimates.horizon_years)
    discount = (1 + estimates.discount_rate) ** -np.arange(estimates.horizon_years + 1, dtype=float)
    pv_factor = by_year @ discount
    # Costs enter with a minus sign, so every figure is one matrix product over the lines.
    signed = found.amounts * np.where(found.is_cost, -1.0, 1.0)
    pv_costs = -(signed @ np.where(found.is_cost, pv_factor, 0.0))
    pv_benefits = signed @ np.where(found.is_cost, 0.0, pv_factor)
    npv = pv_benefits - pv_costs
    net_by_year = signed @ by_year
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(pv_costs > 0, npv / pv_costs, np.nan)
    # Cumulating the lines' profiles once gives every draw's cumulative cash flow in one product.
    cumulative = signed @ np.cumsum(found.profiles, axis=1)
    return Metrics(
        pv_costs,
        pv_benefits,
        npv,
        roi,
        payback_month(cumulative),
        irr(net_by_year) if with_irr else None,
        net_by_year,
    )


def likely_values(estimates: Estimates, draws: int = 1) -> dict[str, Array]:
    """Every input at its most likely value: the single figures a vendor's calculator uses."""
    return {key: np.full(draws, value.likely) for key, value in estimates.inputs()}


def mean_values(estimates: Estimates, draws: int = 1) -> dict[str, Array]:
    """Every input at the mean of its beta-PERT distribution, (O + 4M + P) / 6.

    The cash flows are a product of independent inputs, line by line, so the figures at these
    means are the expectation of the simulated ones.
    """
    return {key: np.full(draws, value.pert_mean) for key, value in estimates.inputs()}
