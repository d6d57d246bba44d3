"""Monte Carlo over the three-point estimates: seeded draws, their spread, the tornado."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine.adjustment import RiskAdjustment
from assessment.engine.economics import Adjustment
from assessment.engine.estimates import ThreePoint
from assessment.engine.simulation import (
    SimulationInputError,
    chance_positive,
    expected,
    expected_npv,
    realised_shares,
    simulate,
)
from tests.engine.builders import P, estimates


def risk(delivery: float, overrun: float = 0.1, delay: int = 1) -> RiskAdjustment:
    return RiskAdjustment(Adjustment({"revenue": 0.2}, overrun, delay), delivery, 0.44, 0.8, 1.0, 50.0, 50.0)


def test_the_same_inputs_always_give_the_same_draws() -> None:
    first, second = simulate(estimates(), risk(0.6), 5_000), simulate(estimates(), risk(0.6), 5_000)
    assert first == second
    assert simulate(estimates(cost=P(80_000, 100_000, 160_000)), risk(0.6), 5_000).seed != first.seed


def test_every_run_realises_at_least_as_much_at_a_higher_chance_of_delivering() -> None:
    luck = np.random.default_rng(3).standard_normal(5_000)
    lower, higher = realised_shares(risk(0.4), luck), realised_shares(risk(0.7), luck)
    assert np.all(higher >= lower) and higher.mean() > lower.mean()
    assert simulate(estimates(), risk(0.4), 5_000).seed == simulate(estimates(), risk(0.7), 5_000).seed


def test_with_all_three_points_equal_and_certain_delivery_the_spread_collapses_to_the_single_figure() -> None:
    fixed = estimates(P.single(100_000), P.single(12_000), P.single(1_200))
    result = simulate(fixed, risk(1.0), 2_000)
    single = expected(fixed, risk(1.0)).npv[0]
    assert result.npv.p10 == pytest.approx(single) and result.npv.p90 == pytest.approx(single)
    assert result.probability_npv_positive in (0.0, 1.0)
    assert result.tornado == ()


def test_the_realised_share_is_the_only_spread_left_when_estimates_are_certain() -> None:
    fixed = estimates(P.single(100_000), P.single(12_000), P.single(1_200))
    result = simulate(fixed, risk(0.5), 10_000)
    nothing = expected(fixed, dataclasses.replace(risk(0.5), delivery=0.0, disappointment_share=0.0)).npv[0]
    everything = expected(fixed, dataclasses.replace(risk(0.5), delivery=1.0)).npv[0]
    assert nothing < result.npv.p10 < result.npv.p50 < result.npv.p90 < everything
    assert abs(result.npv.mean - expected(fixed, risk(0.5)).npv[0]) < 0.05 * (result.npv.p90 - result.npv.p10)


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 1), st.floats(0, 300_000))
def test_the_path_to_gos_lean_figures_are_the_full_simulations(delivery: float, extra: float) -> None:
    uncertain = estimates(cost=P(80_000 + extra, 100_000 + extra, 150_000 + extra))
    full = simulate(uncertain, risk(delivery), 1_000)
    assert chance_positive(uncertain, risk(delivery), 1_000) == full.probability_npv_positive
    assert expected_npv(uncertain, risk(delivery)) == pytest.approx(expected(uncertain, risk(delivery)).npv[0])


def test_the_realised_share_is_continuous_so_no_percentile_falls_between_two_clusters() -> None:
    shares = realised_shares(risk(0.8), np.random.default_rng(7).standard_normal(20_000))
    assert shares.mean() == pytest.approx(0.8 + 0.2 * 0.44, abs=0.005)
    deciles = np.percentile(shares, np.arange(10, 100, 10))
    assert np.all(np.diff(deciles) < 0.2) and len(np.unique(shares)) == shares.size


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 1), st.floats(0, 150_000))
def test_the_expected_npv_is_the_mean_of_the_simulated_distribution(delivery: float, extra: float) -> None:
    uncertain = estimates(cost=P(80_000 + extra, 100_000 + extra, 150_000 + extra))
    result = simulate(uncertain, risk(delivery), 20_000, detailed=False)
    mean = expected(uncertain, risk(delivery)).npv[0]
    spread = max(result.npv.p90 - result.npv.p10, 1.0)
    assert abs(result.npv.mean - mean) < 0.05 * spread


def test_the_tornado_ranks_inputs_by_their_swing() -> None:
    bars = simulate(estimates(), risk(0.6), 1_000).tornado
    assert [b.input for b in bars] == ["benefits.revenue.amount", "costs.implementation", "costs.licences"]
    assert bars[0].swing >= bars[1].swing >= bars[2].swing


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 200_000), st.floats(0, 1))
def test_higher_costs_never_raise_roi(extra: float, delivery: float) -> None:
    base = expected(estimates(), risk(delivery))
    dearer = expected(estimates(cost=P(80_000 + extra, 100_000 + extra, 150_000 + extra)), risk(delivery))
    assert dearer.roi[0] <= base.roi[0] + 1e-12


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_a_higher_chance_of_delivering_never_lowers_the_risk_adjusted_npv(low: float, high: float) -> None:
    low, high = sorted((low, high))
    assert expected(estimates(), risk(high)).npv[0] >= expected(estimates(), risk(low)).npv[0] - 1e-6


@pytest.mark.parametrize("estimate", [P(10, 20, 60), P(0, 50, 60), P(100, 101, 300), P(0.01, 0.03, 0.05)])
def test_draws_follow_the_beta_pert_distribution(estimate: ThreePoint) -> None:
    """Mean (O + 4M + P) / 6; variance of a Beta(alpha, beta) scaled to the range."""
    from assessment.engine.simulation import sample

    draws = sample([("x", estimate)], np.random.default_rng(3), 200_000)["x"]
    width = estimate.high - estimate.low
    alpha = 1 + 4 * (estimate.likely - estimate.low) / width
    beta = 1 + 4 * (estimate.high - estimate.likely) / width
    sd = width * np.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    assert draws.min() >= estimate.low and draws.max() <= estimate.high
    assert draws.mean() == pytest.approx(estimate.pert_mean, abs=0.01 * sd)
    assert draws.std() == pytest.approx(sd, rel=0.01)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_an_input_that_is_not_a_finite_number_is_refused_by_name_rather_than_simulated_into_nan(bad: float) -> None:
    with pytest.raises(SimulationInputError, match=r"costs.implementation \(low\) is"):
        simulate(estimates(P(bad, 100_000, 150_000)), risk(0.6), 100)
    with pytest.raises(SimulationInputError, match="delivery probability is"):
        expected(estimates(), risk(bad))


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_finite_inputs_too_large_for_the_arithmetic_are_refused_rather_than_overflow() -> None:
    with pytest.raises(SimulationInputError, match="net present value overflows"):
        simulate(estimates(P.single(1e308), P.single(1e308), P.single(1e308)), risk(0.6), 100)


def test_figures_too_large_for_numpys_default_histogram_still_draw_one() -> None:
    """Every figure certain, the NPV about -3e14 in every run: ±0.5 around it cannot be cut in 24 bins."""
    result = simulate(estimates(P.single(3e14), P.single(0), P.single(0)), risk(1.0), 100)
    assert len(result.histogram_counts) == 24 and sum(result.histogram_counts) == 100
