"""Cash flows and returns: the published cases reproduced exactly, and numpy_financial agreeing."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine.economics import (
    Adjustment,
    Lines,
    flows,
    irr,
    likely_values,
    lines,
    metrics,
    payback_month,
    present_value,
)
from assessment.engine.estimates import BenefitLine, CostLine, Estimates, ThreePoint, Timing

ONE = ThreePoint.single


def monthly_case(rate: float = 0.10) -> Estimates:
    """The worked example of docs/MODEL.md section 8.1: +50 revenue and +20 savings a month against 30 of cost a month."""
    return Estimates(
        currency="IRR",
        costs=(CostLine("crm_total", ONE(30), Timing.MONTHLY),),
        benefits=(
            BenefitLine("revenue", (("amount", ONE(50)),), ramp_months=0),
            BenefitLine("savings", (("amount", ONE(20)),), ramp_months=0),
        ),
        discount_rate=rate,
    )


def deterministic(estimates: Estimates, adjustment: Adjustment | None = None):  # type: ignore[no-untyped-def]
    values, adjustment = likely_values(estimates), adjustment or Adjustment.none()
    return flows(estimates, values, adjustment, np.ones(1)), metrics(
        estimates, lines(estimates, values, adjustment, np.ones(1))
    )


@pytest.mark.parametrize("rate", [0.0, 0.10])
def test_the_worked_example_gives_an_roi_of_133_percent(rate: float) -> None:
    _, result = deterministic(monthly_case(rate))
    assert result.roi[0] == pytest.approx((70 - 30) / 30)
    assert result.payback[0] == 0 or math.isclose(result.payback[0], 0.0)


def test_the_published_tei_arithmetic_gives_npv_5496170_and_roi_329_percent() -> None:
    """Risk-adjusted PV costs 1,672,201 and PV benefits 7,168,371, as present values at t0."""
    estimates = Estimates(
        "USD", (CostLine("costs", ONE(1_672_201), Timing.ONCE),), (BenefitLine("benefits", (("pv", ONE(1)),)),)
    )
    once = np.zeros((2, 37))
    once[:, 0] = 1.0
    tei = Lines(np.array([[1_672_201.0, 7_168_371.0]]), once, np.array([True, False]))
    result = metrics(estimates, tei)
    assert result.npv[0] == 5_496_170
    assert round(100 * result.roi[0]) == 329


def test_t0_is_undiscounted_and_each_year_is_discounted_at_its_end() -> None:
    estimates = Estimates(
        "USD",
        (CostLine("implementation", ONE(1000), Timing.ONCE), CostLine("support", ONE(1200), Timing.YEARLY)),
        (),
        discount_rate=0.10,
    )
    cash, result = deterministic(estimates)
    assert cash.costs[0, 0] == 1000 and cash.costs[0, 1] == pytest.approx(100)
    assert result.pv_costs[0] == pytest.approx(1000 + 1200 / 1.1 + 1200 / 1.1**2 + 1200 / 1.1**3)


def test_payback_is_interpolated_within_the_month_it_happens() -> None:
    net = np.array([[-100.0, 30.0, 30.0, 30.0, 30.0, 30.0]])
    assert payback_month(np.cumsum(net, axis=1))[0] == pytest.approx(3 + 10 / 30)
    assert math.isnan(payback_month(np.cumsum([[-100.0, 1.0, 1.0]], axis=1))[0])


def test_per_user_subscriptions_and_adoption_ramps_shape_the_months() -> None:
    estimates = Estimates(
        "EUR",
        (CostLine("subscription", ONE(10), Timing.MONTHLY, per_user=True),),
        (BenefitLine("time", (("hours", ONE(2)), ("cost", ONE(30))), factor=52 / 12, ramp_months=4),),
        users=40,
    )
    cash, _ = deterministic(estimates)
    assert cash.costs[0, 1] == 400
    full = 2 * 30 * 52 / 12
    assert list(cash.benefits[0, :6]) == pytest.approx([0, full / 4, full / 2, 3 * full / 4, full, full])


def test_the_readiness_adjustment_cuts_benefits_raises_project_costs_and_delays_the_start() -> None:
    estimates = Estimates(
        "USD",
        (
            CostLine("implementation", ONE(1000), Timing.ONCE, project=True),
            CostLine("licences", ONE(50), Timing.MONTHLY),
        ),
        (BenefitLine("revenue", (("amount", ONE(100)),), ramp_months=0),),
    )
    adjustment = Adjustment({"revenue": 0.2}, overrun=0.3, delay_months=2)
    adjusted, _ = deterministic(estimates, adjustment)
    delivered = 0.6 + 0.4 * 0.44  # p = 0.6, and a disappointing project still delivers f = 0.44
    cash = flows(estimates, likely_values(estimates), adjustment, np.array([delivered]))
    assert adjusted.costs[0, 0] == pytest.approx(1300) and adjusted.costs[0, 1] == 50
    assert list(adjusted.benefits[0, :4]) == [0, 0, 0, 80]
    assert cash.benefits[0, 3] == pytest.approx(80 * delivered)


cash_flows = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=4, max_size=4)


@settings(max_examples=200, deadline=None)
@given(cash_flows, st.floats(0.0, 0.5))
def test_present_value_agrees_with_numpy_financial(values: list[float], rate: float) -> None:
    monthly = np.zeros((1, 37))
    monthly[0, 0] = values[0]
    for year in range(3):
        monthly[0, 1 + 12 * year : 13 + 12 * year] = values[year + 1] / 12
    assert present_value(monthly, 3, rate)[0] == pytest.approx(npf.npv(rate, values), rel=1e-9, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.integers(1_000, 1_000_000), st.lists(st.integers(0, 1_000_000), min_size=3, max_size=3))
def test_irr_agrees_with_numpy_financial(outlay: int, returns: list[int]) -> None:
    flows_ = [-outlay, *returns]
    expected = npf.irr(flows_)
    got = irr(np.array([flows_]))[0]
    if np.isnan(expected) or expected < -0.99 or expected > 10:
        assert np.isnan(got) or -0.99 <= got <= 10
    else:
        assert got == pytest.approx(expected, abs=1e-6)
