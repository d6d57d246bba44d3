"""The scoring policy as frozen data: weights, the delivery mapping, caps, knock-outs and findings, instruments."""

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

    def delivery(self, readiness: float) -> float:
        """The chance the project delivers its objectives at a readiness of 0-100 (linear)."""
        return self.delivery_at_0 + (self.delivery_at_100 - self.delivery_at_0) * readiness / 100
