"""Estimates as data: every figure, rate and count within the bounds set in one place, each bad
entry named, and nothing accepted that could come out of the arithmetic as NaN or infinity."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine.appraisal import appraise
from assessment.engine.appraisal_json import appraisal_as_json
from assessment.engine.estimates_data import FIGURE, EstimatesError, Fault, read_estimates
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
