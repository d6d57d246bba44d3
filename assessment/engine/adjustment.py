"""From readiness to the economic adjustment: haircuts, the delivery chance, overrun and delay."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from assessment.engine.economics import Adjustment
from assessment.engine.estimates import Estimates
from assessment.engine.policy import Policy, QuestionRef
from assessment.engine.readiness import ReadinessResult, RespondentAnswers


@dataclass(frozen=True)
class RiskAdjustment:
    """Every multiplier behind the risk-adjusted figures, so each can be shown with its source."""

    adjustment: Adjustment
    delivery: float
    """p: the chance the project delivers its objectives."""
    disappointment_share: float
    """f: the share of benefits a disappointing project still delivers."""
    share_spread: float
    """sigma: how far a run's realised share of benefits strays from its mean (logit-normal)."""
    duration_years: float
    scope_readiness: float
    process_readiness: float

    @property
    def expected_delivered(self) -> float:
        """p + (1 - p) f: the expected share of benefits realised."""
        return self.delivery + (1 - self.delivery) * self.disappointment_share


def answered_number(respondents: Sequence[RespondentAnswers], ref: QuestionRef) -> float | None:
    """The median number given for a question, across respondents."""
    area, question = ref
    numbers = [
        float(value)
        for person in respondents
        if isinstance(value := person.answers.get(area, {}).get(question), (int, float))
    ]
    return statistics.median(numbers) if numbers else None


def risk_adjustment(
    readiness: ReadinessResult,
    respondents: Sequence[RespondentAnswers],
    estimates: Estimates,
    scoring: Policy,
) -> RiskAdjustment:
    """docs/MODEL.md section 4: unanswered readiness counts as zero, so missing answers never flatter;
    with nothing answered the chance of delivering is the policy's at readiness 0."""
    policy = scoring.economics
    overall = readiness.readiness or 0.0
    scope = readiness.area("scope").readiness
    process = readiness.area("process").readiness
    scope = overall if scope is None else scope
    process = overall if process is None else process
    months = answered_number(respondents, policy.duration_question) or 12.0
    years = months / 12
    overrun = policy.overrun_per_weak_scope * (100 - scope) / 100 + policy.overrun_per_extra_year * max(0.0, years - 1)
    # Months benefits start after the planned go-live (estimates.go_live_month): the delay adds to it.
    delay = policy.max_delay_months * (1 - (process + scope) / 200)
    # A figure a study has already risk-adjusted takes no second haircut.
    haircuts = {
        line.id: 0.0 if line.risk_adjusted else policy.haircuts[line.confidence.value] for line in estimates.benefits
    }
    delivery = readiness.delivery_probability if readiness.delivery_probability is not None else scoring.delivery(0)
    return RiskAdjustment(
        Adjustment(haircuts, overrun, delay),
        delivery,
        policy.disappointment_share,
        policy.share_spread,
        years,
        scope,
        process,
    )
