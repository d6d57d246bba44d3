"""Cost and benefit estimates as frozen data; any figure may be a three-point estimate."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_RAMP_MONTHS = 6
MAX_RAMP_MONTHS = 60
"""Five years: a longer ramp is a typing slip."""


@dataclass(frozen=True)
class ThreePoint:
    """Low, most likely and high; a single figure has all three equal."""

    low: float
    likely: float
    high: float

    @classmethod
    def single(cls, value: float) -> ThreePoint:
        return cls(value, value, value)

    @property
    def uncertain(self) -> bool:
        return self.low != self.high

    @property
    def pert_mean(self) -> float:
        """(O + 4M + P) / 6 (docs/MODEL.md section 4)."""
        return (self.low + 4 * self.likely + self.high) / 6


class Timing(StrEnum):
    ONCE = "once"
    """Paid in the initial period (t0)."""
    MONTHLY = "monthly"
    YEARLY = "yearly"
    """An amount a year, paid in twelve monthly parts."""


class Confidence(StrEnum):
    """How sure the estimator is of a benefit; sets its haircut (policy)."""

    VERY = "very_confident"
    DEFAULT = "default"
    MODERATE = "moderately_confident"


@dataclass(frozen=True)
class CostLine:
    id: str
    amount: ThreePoint
    timing: Timing
    per_user: bool = False
    project: bool = False
    """A project cost (implementation and the like): the one that overruns when scope is weak."""


@dataclass(frozen=True)
class BenefitLine:
    """A benefit at full adoption, per month: `factor` times the product of its drivers."""

    id: str
    drivers: tuple[tuple[str, ThreePoint], ...]
    factor: float = 1.0
    confidence: Confidence = Confidence.DEFAULT
    ramp_months: int = DEFAULT_RAMP_MONTHS
    """Months from the start of benefits to full adoption, rising in a straight line."""


@dataclass(frozen=True)
class Estimates:
    """Every line of one scenario. Horizon and rate default to Forrester TEI's conventions only for
    estimates built in code; `read_estimates` fills them from the assessment's pinned policy."""

    currency: str
    costs: tuple[CostLine, ...]
    benefits: tuple[BenefitLine, ...]
    horizon_years: int = 3
    discount_rate: float = 0.10
    users: int = 1

    def inputs(self) -> list[tuple[str, ThreePoint]]:
        """Every estimated figure, by a key stable across runs: costs.<id> and benefits.<id>.<driver>."""
        return [(f"costs.{c.id}", c.amount) for c in self.costs] + [
            (f"benefits.{b.id}.{name}", value) for b in self.benefits for name, value in b.drivers
        ]
