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

from assessment.engine.estimates import CostLine, Estimates, ProjectCosts, Timing

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Adjustment:
    """How readiness bends the estimates; `none()` is what a vendor's calculator shows."""

    haircuts: Mapping[str, float]
    """Per benefit line: the share taken off for the estimator's confidence."""
    overrun: float
    """Extra share of project costs expected from weak scope readiness and a long project."""
    delay_months: float
    """Months benefits start after the planned go-live because process and scope readiness are
    weak; fractional, so the figures move smoothly with readiness."""

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
    keys: tuple[str, ...] = ()
    """The estimate line (costs.<id>, benefits.<id>) each column belongs to: a line with an amount
    for each year is several columns."""


@dataclass(frozen=True)
class Flows:
    """Monthly cash flows, one row per draw; column 0 is the initial period t0."""

    costs: Array
    benefits: Array

    @property
    def net(self) -> Array:
        return self.benefits - self.costs


def months(estimates: Estimates) -> int:
    """Columns of the timeline: t0 plus every month of its years (go-live, then the benefit years)."""
    return 1 + 12 * estimates.years


class _Timeline:
    """The shapes a line can take over the months (docs/MODEL.md section 4.2).

    Month m is the m-th month after kick-off, the interval (m - 1, m]; column 0 is t0. Every
    shape ends with the horizon, `estimates.months`; months after it (the rest of a part-used
    last year) stay empty.
    """

    def __init__(self, estimates: Estimates) -> None:
        self.month: Array = np.arange(months(estimates), dtype=float)
        self.active: Array = ((self.month >= 1) & (self.month <= estimates.months)).astype(np.float64)
        self.go_live = estimates.go_live_month
        self.spread = estimates.project_costs is ProjectCosts.SPREAD and self.go_live > 0

    def once(self, cost: CostLine) -> Array:
        """A one-off cost: in the months given, else spread over the implementation when it is a
        project cost and the estimates say so, else at t0."""
        profile = np.zeros(self.month.size)
        if cost.months:
            for month in cost.months:
                profile[month] += 1 / len(cost.months)
        elif cost.project and self.spread:
            profile[1 : self.go_live + 1] = 1 / self.go_live
        else:
            profile[0] = 1.0
        return profile

    def recurring(self) -> Array:
        """Every month from the first after kick-off to the end of the horizon."""
        return self.active

    def year(self, start: float, year: int) -> Array:
        """One twelfth in each month of the `year`-th year after `start`, by overlap, so a
        fractional start moves the year smoothly."""
        low, high = start + 12 * (year - 1), start + 12 * year
        overlap: Array = np.minimum(self.month, high) - np.maximum(self.month - 1, low)
        shares: Array = np.clip(overlap, 0.0, 1.0) / 12
        return shares * self.active

    def ramp(self, start: float, ramp_months: int) -> Array:
        """Adoption per month: nothing before `start`, then a straight rise to full (within a
        month when there is no ramp)."""
        return np.clip((self.month - start) / max(ramp_months, 1), 0.0, 1.0) * self.active


def lines(estimates: Estimates, values: Mapping[str, Array], adjustment: Adjustment, delivered: Array) -> Lines:
    """Each line's amount per draw and its monthly profile; a line with an amount for each year
    (and an initial one) is one column per year.

    `values` holds each input's value per draw (keys as `Estimates.inputs`); `delivered` the
    share of benefits each draw realises.
    """
    timeline = _Timeline(estimates)
    go_live = float(estimates.go_live_month)
    start = go_live + adjustment.delay_months
    parts: list[tuple[str, Array, Array]] = []
    for cost in estimates.costs:
        key = f"costs.{cost.id}"
        amount = values[key] * (estimates.users if cost.per_user else 1)
        if cost.project:
            amount = amount * (1 + adjustment.overrun)
        if cost.timing is Timing.BY_YEAR:
            if cost.initial is not None:
                parts.append((key, amount * values[f"{key}.initial"], timeline.once(cost)))
            parts += [
                (key, amount * values[f"{key}.year{k}"], timeline.year(go_live, k))
                for k in range(1, len(cost.by_year) + 1)
            ]
        elif cost.timing is Timing.ONCE:
            parts.append((key, amount, timeline.once(cost)))
        else:
            parts.append((key, amount / 12 if cost.timing is Timing.YEARLY else amount, timeline.recurring()))
    costs = len(parts)
    for benefit in estimates.benefits:
        key = f"benefits.{benefit.id}"
        monthly = benefit.factor * (1 - adjustment.haircuts.get(benefit.id, 0.0)) * delivered
        for name, _ in benefit.drivers:
            monthly = monthly * values[f"{key}.{name}"]
        if benefit.by_year:
            parts += [
                (key, monthly * values[f"{key}.year{k}"], timeline.year(start, k))
                for k in range(1, len(benefit.by_year) + 1)
            ]
        else:
            parts.append((key, monthly, timeline.ramp(start, benefit.ramp_months)))
    # Column-major, so each line's amounts are written in one contiguous stretch.
    amounts = np.empty((len(delivered), len(parts)), order="F")
    profiles = np.empty((len(parts), timeline.month.size))
    for column, (_key, amount, profile) in enumerate(parts):
        amounts[:, column] = amount
        profiles[column] = profile
    return Lines(amounts, profiles, np.arange(len(parts)) < costs, tuple(key for key, _, _ in parts))


def flows(estimates: Estimates, values: Mapping[str, Array], adjustment: Adjustment, delivered: Array) -> Flows:
    """Monthly costs and benefits for each draw."""
    found = lines(estimates, values, adjustment, delivered)
    cost, benefit = found.is_cost, ~found.is_cost
    return Flows(found.amounts[:, cost] @ found.profiles[cost], found.amounts[:, benefit] @ found.profiles[benefit])


def yearly(monthly: Array, horizon_years: int) -> Array:
    """t0 then each year's total: shape (draws, 1 + years)."""
    years = monthly[:, 1:].reshape(monthly.shape[0], horizon_years, 12).sum(axis=2)
    return np.concatenate([monthly[:, :1], years], axis=1)


def present_value(monthly: Array, horizon_years: int, rate: float) -> Array:
    """t0 undiscounted, each year discounted at its end."""
    factors = (1 + rate) ** -np.arange(horizon_years + 1, dtype=float)
    return yearly(monthly, horizon_years) @ factors


def payback_month(cumulative: Array) -> Array:
    """The interpolated month the cumulative net cash flow turns non-negative, after it first went
    below 0 (months before anything is spent, as before costs spread from month 1, are not a
    payback); 0 when it never goes below 0; NaN if it never recovers."""
    spent = cumulative < 0
    first_spent = np.where(spent.any(axis=1), np.argmax(spent, axis=1), 0)
    paid = (cumulative >= 0) & (np.arange(cumulative.shape[1]) >= first_spent[:, None])
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


def irr(yearly_net: Array, low: float = -0.99, high: float = 1000.0, iterations: int = 64) -> Array:
    """IRR per row by bisection, all rows at once, up to 100,000 %; NaN where NPV does not change
    sign in the range.

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


def _discounted(estimates: Estimates, found: Lines) -> tuple[Array, Array, Array]:
    """Each line's yearly profile, its present-value factor, and the amounts signed (costs negative),
    so every figure is one matrix product over the lines."""
    by_year = yearly(found.profiles, estimates.years)
    discount = (1 + estimates.discount_rate) ** -np.arange(estimates.years + 1, dtype=float)
    return by_year, by_year @ discount, found.amounts * np.where(found.is_cost, -1.0, 1.0)


@dataclass(frozen=True)
class LineYears:
    """One estimate line in one run, as a TEI study tabulates it: t0 (initial), then each year,
    and its present value; amounts positive for costs and benefits alike."""

    key: str
    cost: bool
    by_year: tuple[float, ...]
    present_value: float

    @property
    def total(self) -> float:
        return sum(self.by_year)


def line_years(estimates: Estimates, found: Lines, draw: int = 0) -> tuple[LineYears, ...]:
    """Each line's amounts by year and present value in one draw, in the estimates' order."""
    by_year, pv_factor, _ = _discounted(estimates, found)
    amounts = found.amounts[draw]
    result: dict[str, tuple[bool, Array, float]] = {}
    for column, key in enumerate(found.keys):
        cost, years, pv = result.get(key, (bool(found.is_cost[column]), np.zeros(by_year.shape[1]), 0.0))
        result[key] = cost, years + amounts[column] * by_year[column], pv + amounts[column] * pv_factor[column]
    return tuple(
        LineYears(key, cost, tuple(float(v) for v in years), float(pv)) for key, (cost, years, pv) in result.items()
    )


def net_present_values(estimates: Estimates, found: Lines) -> Array:
    """The NPV per draw alone: all the path-to-go search weighs."""
    _, pv_factor, signed = _discounted(estimates, found)
    return np.asarray(signed @ pv_factor)


def metrics(estimates: Estimates, found: Lines, with_irr: bool = True) -> Metrics:
    """NPV, ROI, payback and (optionally) IRR per draw, by matrix products over the lines."""
    by_year, pv_factor, signed = _discounted(estimates, found)
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
