"""The scoring policy as frozen data: weights, the delivery mapping, caps, knock-outs and findings, instruments,
the gate and the qualification of prospects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.engine.text import Text

QuestionRef = tuple[str, str]
"""(area, question id)."""


@dataclass(frozen=True)
class FlagRule:
    """An answer at or below `at_most` raises this flag: a knock-out (no start without a recorded
    waiver) or a serious finding (a go only once it is dealt with)."""

    id: str
    question: QuestionRef
    at_most: float
    text: Text


@dataclass(frozen=True)
class Instruments:
    """Where the change-management readings find their answers."""

    sponsorship: tuple[QuestionRef, ...]
    change_size: QuestionRef
    resistance: QuestionRef
    adkar: tuple[tuple[str, QuestionRef], ...]
    large_change_at_most: float
    resistant_at_most: float
    barrier_at_most: float
    source: Text


@dataclass(frozen=True)
class EconomicsPolicy:
    """Horizon, discounting and the readiness adjustment of docs/MODEL.md section 4."""

    horizon_years: int
    discount_rate: float
    horizon_source: Text
    haircuts: Mapping[str, float]
    haircuts_source: Text
    disappointment_share: float
    disappointment_source: Text
    share_spread: float
    """How far a run's realised share of benefits strays from its mean (a logit-normal's sigma)."""
    share_source: Text
    overrun_per_weak_scope: float
    overrun_per_extra_year: float
    overrun_source: Text
    duration_question: QuestionRef
    max_delay_months: int
    delay_source: Text
    draws: int
    draws_source: Text


@dataclass(frozen=True)
class GatePolicy:
    """The go / conditional go / no-go thresholds of docs/MODEL.md section 6."""

    go_readiness: float
    go_area_floor: float
    no_go_readiness: float
    no_go_area_floor: float
    go_probability: float
    """The chance of a positive net present value a go needs."""
    no_go_probability: float
    """Below this chance of a positive net present value, a no-go."""
    source: Text


@dataclass(frozen=True)
class TimelineMinimum:
    """The fewest months to go-live a project of at most `users_at_most` users (None: any number) needs."""

    users_at_most: int | None
    months: float


@dataclass(frozen=True)
class BenchmarkPolicy:
    """How many peers a percentile needs before it is shown (docs/MODEL.md section 12)."""

    min_peers: int
    source: Text


@dataclass(frozen=True)
class QualificationPolicy:
    """How a vendor or consultant classes a prospect (docs/MODEL.md section 11)."""

    disqualify_below: float
    """Overall readiness under which the prospect is disqualified."""
    qualified_from: float
    """Overall readiness from which the prospect may be qualified."""
    area_floor: float
    """Every area at or above this for a qualified prospect."""
    readiness_source: Text
    min_deal_value: Mapping[str, float]
    """By currency code: the smallest deal worth a tailored proposal."""
    deal_source: Text
    min_months: tuple[TimelineMinimum, ...]
    """Smallest project first; the last states no limit on users."""
    timeline_source: Text
    budget_question: QuestionRef
    """The question that says whether the sponsor holds the budget."""
    next_steps: Mapping[str, Text]
    """Each next step the policy recommends, by id."""
    area_steps: Mapping[str, str]
    """The step a weakness in each area calls for."""
    rule_steps: Mapping[str, str]
    """The step a knock-out or finding calls for, when not its area's."""
    cause_steps: Mapping[str, str]
    """The step each other cause calls for (a reason code), where it calls for one."""

    def minimum_months(self, users: int | None) -> float:
        """The months to go-live a project of `users` needs; with users unknown, the smallest minimum."""
        if users is None:
            return self.min_months[0].months
        return next(m.months for m in self.min_months if m.users_at_most is None or users <= m.users_at_most)


@dataclass(frozen=True)
class Policy:
    version: int
    presets: Mapping[str, Mapping[str, float]]
    preset_sources: Mapping[str, Text]
    default_preset: str
    delivery_at_0: float
    delivery_at_100: float
    delivery_source: Text
    cap_knock_out: float
    cap_red_flag: float
    caps_source: Text
    thin_below: float
    thin_source: Text
    disagreement_range: float
    finding_areas: frozenset[str]
    disagreement_source: Text
    knock_outs: tuple[FlagRule, ...]
    knock_outs_source: Text
    findings: tuple[FlagRule, ...]
    findings_source: Text | None
    instruments: Instruments
    economics: EconomicsPolicy
    gate: GatePolicy
    qualification: QualificationPolicy
    benchmarks: BenchmarkPolicy

    def delivery(self, readiness: float) -> float:
        """The chance the project delivers its objectives at a readiness of 0-100 (linear)."""
        return self.delivery_at_0 + (self.delivery_at_100 - self.delivery_at_0) * readiness / 100
