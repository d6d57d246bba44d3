"""Estimates as data: every figure, rate and count within the bounds set in one place, each bad
entry named, and nothing accepted that could come out of the arithmetic as NaN or infinity."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine.appraisal import appraise
from assessment.engine.appraisal_json import appraisal_as_json
from assessment.engine.estimates_data import FIGURE, EstimatesError, Fault, months_to_go_live, read_estimates
from assessment.engine.questionnaire import Definitions


def data(amount: Any = 1000, drivers: Any = None, **changes: Any) -> dict[str, Any]:
    return {
        "currency": "USD",
        "users": 10,
        "costs": [{"id": "a", "amount": amount}],
        "benefits": [{"id": "b", "drivers": drivers or {"x": 10}}],
    } | changes


def problems(definitions: Definitions, raw: dict[str, Any]) -> list[str]:
    with pytest.raises(EstimatesError) as caught:
        read_estimates(raw, definitions.policy.economics)
    return caught.value.problems


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (data(1e-320), "costs[0].amount: 1e-320 is not a plausible amount: expected 0, or from 1e-06 to 1e+13"),
        (data(math.nan), "costs[0].amount: nan is not a plausible amount"),
        (data(math.inf), "costs[0].amount: inf is not a plausible amount"),
        (data(10**400), "costs[0].amount: 1000"),
        (data([1, 2, 1e14]), "costs[0].amount: [1, 2, 100000000000000.0] is not a plausible amount"),
        (data(drivers={"x": -1}), "benefits[0].drivers.x: -1 is negative"),
        (data(drivers={"x": 1e13, "y": 1e13}), "benefits[0].drivers: at their high figures these come to more than"),
        (data(drivers={f"d{i}": 1e12 for i in range(40)}), "benefits[0].drivers: at their high figures"),
        (data(discount_rate=math.nan), "discount_rate: expected a share between 0 and 1"),
        (data(discount_rate=1e-320), "discount_rate: expected a share between 0 and 1"),
        (data(users=10**400), "users: expected a whole number of users from 1 to 1,000,000"),
        (data(users=2.5), "users: expected a whole number"),
    ],
    ids=[
        "subnormal",
        "nan",
        "infinity",
        "integer-beyond-floats",
        "implausible-high",
        "negative",
        "product-too-large",
        "product-overflowing",
        "rate-nan",
        "rate-subnormal",
        "users-beyond-floats",
        "users-fraction",
    ],
)
def test_a_number_outside_its_bounds_is_refused_naming_its_entry(
    definitions: Definitions, raw: dict[str, Any], expected: str
) -> None:
    found = problems(definitions, raw)
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"factor": math.nan}, "benefits[0].factor: expected a number from 1e-06 to 1000, got nan"),
        ({"factor": 0}, "benefits[0].factor: expected a number from 1e-06 to 1000"),
        ({"factor": "x"}, "benefits[0].factor: expected a number from 1e-06 to 1000, got 'x'"),
        ({"ramp_months": 2.5}, "benefits[0].ramp_months: expected 0 to 60 months, got 2.5"),
    ],
    ids=["nan", "zero", "text", "fraction"],
)
def test_a_benefit_factor_or_ramp_outside_its_bounds_is_refused(
    definitions: Definitions, change: dict[str, Any], expected: str
) -> None:
    raw = data()
    raw["benefits"][0] |= change
    found = problems(definitions, raw)
    assert any(expected in problem for problem in found), found


def test_the_bounds_themselves_are_plausible(definitions: Definitions) -> None:
    raw = data([0, FIGURE.smallest, FIGURE.most], discount_rate=1)
    raw["benefits"][0] |= {"factor": 1000, "ramp_months": 60}
    estimates = read_estimates(raw, definitions.policy.economics)
    assert estimates.costs[0].amount.high == 1e13 and estimates.discount_rate == 1.0


def test_a_fault_says_which_side_of_the_bounds_a_number_is() -> None:
    assert [FIGURE.fault(n) for n in (math.nan, -1, 2e13, 1e-9, 0, 5)] == [
        Fault.NOT_FINITE,
        Fault.BELOW,
        Fault.ABOVE,
        Fault.NEAR_ZERO,
        None,
        None,
    ]


EDGES = [0.0, FIGURE.smallest, FIGURE.most, 5e-324, 1e-320, 1e308, math.nan, math.inf, -1.0]
PLAUSIBLE = st.one_of(st.just(0.0), st.floats(FIGURE.smallest, 1e3), st.floats(FIGURE.smallest, FIGURE.most))
NUMBERS = st.one_of(PLAUSIBLE, PLAUSIBLE, st.floats(0, 2e13), st.sampled_from(EDGES))
"""Mostly figures within the bounds, so that many examples are accepted, and the edges around them."""


@settings(max_examples=300, deadline=None)
@given(
    costs=st.lists(NUMBERS, min_size=1, max_size=3),
    drivers=st.lists(NUMBERS, min_size=1, max_size=4),
    factor=st.one_of(st.sampled_from([1.0, 1 / 12, 52 / 12]), st.floats(0, 1000), st.sampled_from(EDGES)),
    rate=st.one_of(st.sampled_from([0.0, 0.1]), st.floats(0, 1), st.sampled_from(EDGES)),
)
def test_whatever_is_accepted_appraises_to_a_document_without_nan_or_infinity(
    definitions: Definitions, costs: list[float], drivers: list[float], factor: float, rate: float
) -> None:
    raw = {
        "currency": "USD",
        "users": 1_000_000,
        "discount_rate": rate,
        "costs": [{"id": f"c{i}", "amount": v, "timing": "monthly", "per_user": True} for i, v in enumerate(costs)],
        "benefits": [
            {"id": "b", "factor": factor, "ramp_months": 0, "drivers": {f"d{i}": v for i, v in enumerate(drivers)}}
        ],
    }
    try:
        estimates = read_estimates(raw, definitions.policy.economics)
    except EstimatesError:
        return
    document = appraisal_as_json(appraise(definitions, [], estimates, draws=200), estimates.currency)
    json.dumps(document, allow_nan=False)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"go_live_month": 61}, "go_live_month: expected 0 to 60 months after kick-off, got 61"),
        ({"go_live_month": -1}, "go_live_month: expected 0 to 60"),
        ({"go_live_month": 2.5}, "go_live_month: expected 0 to 60"),
        ({"go_live_month": math.nan}, "go_live_month: expected 0 to 60"),
        ({"project_costs": "later"}, "project_costs: 'later' is not one of: spread, upfront"),
        (
            {"costs": [{"id": "a", "amount": 1, "months": [0, 37]}]},
            "costs[0].months: expected a list of distinct months from 0 (t0) to 36, got [0, 37]",
        ),
        ({"costs": [{"id": "a", "amount": 1, "months": [2, 2]}]}, "costs[0].months: expected a list of distinct"),
        ({"costs": [{"id": "a", "amount": 1, "months": [1.5]}]}, "costs[0].months: expected a list of distinct"),
        (
            {"costs": [{"id": "a", "amount": 1, "timing": "monthly", "months": [1]}]},
            "costs[0].months: only a one-off cost (timing once) is placed in given months",
        ),
        (
            {"costs": [{"id": "a", "amounts_by_year": [1, 2]}]},
            "costs[0].amounts_by_year: 2 years given, but the horizon has 3; give one figure per year",
        ),
        ({"costs": [{"id": "a", "amounts_by_year": [1, -2, 3]}]}, "costs[0].amounts_by_year[1]: -2 is negative"),
        ({"costs": [{"id": "a", "amounts_by_year": [1, 2, math.inf]}]}, "costs[0].amounts_by_year[2]: inf is not"),
        ({"costs": [{"id": "a", "timing": "yearly_amounts"}]}, "costs[0].amounts_by_year: expected a list"),
        ({"costs": [{"id": "a", "amount": 1, "amounts_by_year": [1, 2, 3]}]}, "costs[0]: give amounts_by_year"),
        ({"costs": [{"id": "a", "amount": 1, "initial": 5}]}, "costs[0]: amounts_by_year and initial go with"),
        (
            {"costs": [{"id": "a", "amount": 1, "risk_adjusted": "yes"}]},
            "costs[0].risk_adjusted: expected true or false",
        ),
        (
            {"benefits": [{"id": "b", "amounts_by_year": [1, 2, 3], "ramp_months": 4}]},
            "benefits[0]: amounts_by_year replaces ramp_months; give one or the other",
        ),
        ({"benefits": [{"id": "b", "amounts_by_year": [[3, 2, 1], 2, 3]}]}, "benefits[0].amounts_by_year[0]: low"),
    ],
    ids=[
        "go-live-beyond",
        "go-live-negative",
        "go-live-fraction",
        "go-live-nan",
        "project-costs",
        "month-beyond-horizon",
        "month-twice",
        "month-fraction",
        "months-on-monthly",
        "years-short",
        "year-negative",
        "year-infinite",
        "years-missing",
        "amount-and-years",
        "initial-without-years",
        "flag-not-boolean",
        "years-and-ramp",
        "years-not-rising",
    ],
)
def test_timing_and_per_year_amounts_outside_their_bounds_are_refused_naming_their_entry(
    definitions: Definitions, changes: dict[str, Any], expected: str
) -> None:
    found = problems(definitions, data() | changes)
    assert any(p.startswith(expected) for p in found), found


def test_per_year_amounts_timing_and_the_flag_are_read_as_given(definitions: Definitions) -> None:
    raw = data(
        go_live_month=9,
        project_costs="upfront",
        costs=[
            {"id": "licences", "initial": 5, "amounts_by_year": [1, [2, 3, 4], 5], "risk_adjusted": True},
            {"id": "migration", "amount": 6, "months": [45, 0]},
        ],
        benefits=[{"id": "study", "amounts_by_year": [7, 8, 9], "risk_adjusted": True}],
    )
    estimates = read_estimates(raw, definitions.policy.economics)
    assert (estimates.go_live_month, estimates.months, estimates.years) == (9, 45, 4)
    assert estimates.project_costs.value == "upfront"
    licences, migration = estimates.costs
    assert licences.timing.value == "yearly_amounts" and licences.risk_adjusted
    assert [p.likely for p in licences.by_year] == [1, 3, 5] and licences.initial is not None
    assert migration.months == (0, 45)
    assert [key for key, _ in estimates.inputs()][:5] == [
        "costs.licences",
        "costs.licences.initial",
        "costs.licences.year1",
        "costs.licences.year2",
        "costs.licences.year3",
    ]
    assert estimates.benefits[0].risk_adjusted and len(estimates.benefits[0].by_year) == 3


def test_the_assessment_s_go_live_is_used_unless_the_estimates_give_their_own(definitions: Definitions) -> None:
    policy = definitions.policy.economics
    assert read_estimates(data(), policy).go_live_month == 0
    assert read_estimates(data(), policy, go_live_month=9).go_live_month == 9
    assert read_estimates(data(go_live_month=3), policy, go_live_month=9).go_live_month == 3


def test_months_to_go_live_round_to_the_nearest_month_within_bounds() -> None:
    start = date(2026, 1, 15)
    assert months_to_go_live(start, None) is None
    assert months_to_go_live(start, date(2026, 9, 20)) == 8  # 248 days
    assert months_to_go_live(start, date(2025, 1, 1)) == 0
    assert months_to_go_live(start, date(2040, 1, 1)) == 60
