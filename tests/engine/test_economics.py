"""Cash flows and returns: the published cases reproduced exactly, and numpy_financial agreeing."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine.adjustment import risk_adjustment
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
from assessment.engine.estimates import BenefitLine, Confidence, CostLine, Estimates, ProjectCosts, ThreePoint, Timing
from assessment.engine.questionnaire import Definitions
from assessment.engine.readiness import score

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


def deterministic(estimates: Estimates, adjustment: Adjustment | None = None):
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
    if np.isnan(expected) or expected < -0.99 or expected > 1000:
        assert np.isnan(got) or -0.99 <= got <= 1000
    else:
        assert got == pytest.approx(expected, abs=1e-6)


def tei_table(go_live_month: int = 0) -> Estimates:
    """The published TEI cash-flow table (docs/examples/tei_case.yaml) as per-year lines."""
    return Estimates(
        "USD",
        (
            CostLine(
                "total_costs",
                ONE(1),
                Timing.BY_YEAR,
                by_year=(ONE(666_715), ONE(636_772), ONE(647_783)),
                initial=ONE(53_150),
                risk_adjusted=True,
            ),
        ),
        (
            BenefitLine(
                "total_benefits", (), by_year=(ONE(1_606_511), ONE(3_061_331), ONE(4_229_760)), risk_adjusted=True
            ),
        ),
        go_live_month=go_live_month,
    )


def test_a_tei_table_entered_by_year_gives_the_published_npv_and_roi() -> None:
    cash, result = deterministic(tei_table())
    assert round(result.npv[0]) == 5_496_170 and round(100 * result.roi[0]) == 329
    assert round(result.pv_costs[0]) == 1_672_201 and round(result.pv_benefits[0]) == 7_168_371
    assert list(result.yearly_net[0]) == pytest.approx([-53_150, 939_796, 2_424_559, 3_581_977])
    # Each year's amount falls in equal twelfths over its months.
    assert cash.benefits[0, 13] == pytest.approx(3_061_331 / 12) and cash.costs[0, 0] == 53_150
    assert result.payback[0] < 6  # "Payback period < 6 months"


def test_estimates_with_no_go_live_give_exactly_the_figures_they_gave_before() -> None:
    """Go-live 0 is the convention every published case uses: the timeline and every figure unchanged."""
    _, before = deterministic(monthly_case())
    _, same = deterministic(dataclasses.replace(monthly_case(), project_costs=ProjectCosts.UPFRONT))
    assert before.npv[0] == same.npv[0] and before.yearly_net.shape == (1, 4)
    assert before.roi[0] == pytest.approx((70 - 30) / 30)


def go_live_case(go_live: int, spread: ProjectCosts = ProjectCosts.SPREAD) -> Estimates:
    return Estimates(
        "USD",
        (
            CostLine("implementation", ONE(900), Timing.ONCE, project=True),
            CostLine("licences_bought", ONE(100), Timing.ONCE),
            CostLine("subscription", ONE(10), Timing.MONTHLY),
        ),
        (BenefitLine("revenue", (("amount", ONE(120)),), ramp_months=2),),
        go_live_month=go_live,
        project_costs=spread,
    )


def test_project_costs_are_spread_over_the_months_to_go_live_and_benefits_start_after_it() -> None:
    cash, result = deterministic(go_live_case(9))
    # Kick-off at t0, go-live after month 9, then three years of benefits: months 1..45, four years.
    assert cash.costs.shape == (1, 49) and result.yearly_net.shape == (1, 5)
    assert cash.costs[0, 0] == 100  # a one-off cost that is not a project cost stays at t0
    assert list(cash.costs[0, 1:10]) == pytest.approx([100 + 10] * 9) and cash.costs[0, 10] == 10
    assert list(cash.benefits[0, 9:13]) == pytest.approx([0, 60, 120, 120])
    # The horizon ends 36 months after go-live: the rest of the last year is empty.
    assert cash.benefits[0, 45] == 120 and cash.benefits[0, 46:].sum() == 0 and cash.costs[0, 46:].sum() == 0
    assert cash.benefits[0].sum() == pytest.approx(120 * 36 - 120 / 2)


def test_project_costs_can_be_paid_at_kick_off_or_in_the_months_given() -> None:
    upfront, _ = deterministic(go_live_case(9, ProjectCosts.UPFRONT))
    assert upfront.costs[0, 0] == 1000 and upfront.costs[0, 1] == 10
    placed = dataclasses.replace(
        go_live_case(9),
        costs=(CostLine("implementation", ONE(900), Timing.ONCE, project=True, months=(0, 3, 6)),),
    )
    cash, _ = deterministic(placed)
    assert [cash.costs[0, m] for m in range(8)] == pytest.approx([300, 0, 0, 300, 0, 0, 300, 0])


def test_the_readiness_delay_adds_to_the_go_live_for_ramps_and_yearly_amounts() -> None:
    adjustment = Adjustment({}, overrun=0.0, delay_months=1.5)
    cash, _ = deterministic(go_live_case(9), adjustment)
    # Start at 10.5, a 2-month ramp: month 11 is a quarter of the way, month 12 three quarters.
    assert list(cash.benefits[0, 9:14]) == pytest.approx([0, 0, 30, 90, 120])
    yearly_, _ = deterministic(tei_table(go_live_month=6), adjustment)
    # Year 1 of the table starts at 7.5: half of month 8, then whole twelfths.
    assert yearly_.benefits[0, 7] == 0 and yearly_.benefits[0, 8] == pytest.approx(1_606_511 / 24)
    assert yearly_.benefits[0, 9] == pytest.approx(1_606_511 / 12)
    # Costs by year follow the planned go-live, not the delay.
    assert yearly_.costs[0, 7] == pytest.approx(666_715 / 12) and yearly_.costs[0, 6] == 0


def test_an_already_risk_adjusted_benefit_takes_no_second_haircut_but_the_readiness_adjustment(
    definitions: Definitions,
) -> None:
    estimates = Estimates(
        "USD",
        (CostLine("implementation", ONE(1000), Timing.ONCE, project=True),),
        (
            BenefitLine("study", (("amount", ONE(100)),), confidence=Confidence.MODERATE, risk_adjusted=True),
            BenefitLine("own", (("amount", ONE(100)),), confidence=Confidence.MODERATE),
        ),
    )
    risk = risk_adjustment(score(definitions, []), [], estimates, definitions.policy)
    assert risk.adjustment.haircuts == {"study": 0.0, "own": 0.3}
    found = lines(estimates, likely_values(estimates), risk.adjustment, np.array([risk.expected_delivered]))
    study, own = found.amounts[0, 1], found.amounts[0, 2]
    assert study == pytest.approx(100 * risk.expected_delivered) and own == pytest.approx(0.7 * study)
    assert found.amounts[0, 0] == pytest.approx(1000 * (1 + risk.adjustment.overrun))


def test_payback_counts_from_the_first_month_money_is_spent_not_from_an_empty_t0() -> None:
    """Project costs spread from month 1 leave t0 at 0: that is not a payback."""
    net = np.array([[0.0, -50.0, -50.0, 40.0, 40.0, 40.0]])
    assert payback_month(np.cumsum(net, axis=1))[0] == pytest.approx(4 + 20 / 40)
    _, result = deterministic(go_live_case(9))
    assert result.payback[0] > 9
