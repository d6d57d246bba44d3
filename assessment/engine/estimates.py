"""Cost and benefit estimates as frozen data; any figure may be a three-point estimate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_RAMP_MONTHS = 6
MAX_RAMP_MONTHS = 60
"""Five years: a longer ramp is a typing slip."""
MAX_GO_LIVE_MONTHS = 60
"""Five years from kick-off to go-live: the longest CRM programme anyone plans as one project."""


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
    BY_YEAR = "yearly_amounts"
    """An amount for each year after go-live, as a TEI table prints it (`CostLine.by_year`)."""


class ProjectCosts(StrEnum):
    """Where one-off project costs fall when the project has an implementation period (go-live > 0)."""

    SPREAD = "spread"
    """In equal parts over the months from kick-off to go-live."""
    UPFRONT = "upfront"
    """All at t0, the kick-off."""


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
    months: tuple[int, ...] = ()
    """A one-off cost paid in equal parts in these months (0 is t0), rather than where `timing` puts it."""
    by_year: tuple[ThreePoint, ...] = ()
    """Timing.BY_YEAR: the amount of each year after go-live (year 1 first). `amount` is then a
    scale on every year, 1 as read (the path to go's levers scale it)."""
    initial: ThreePoint | None = None
    """Timing.BY_YEAR: the amount of TEI's initial period, placed as a one-off cost."""
    risk_adjusted: bool = False
    """The figures are a study's risk-adjusted ones. Costs take no confidence haircut, so this
    records where the figures come from; the readiness adjustment applies as to any cost."""


@dataclass(frozen=True)
class BenefitLine:
    """A benefit at full adoption, per month: `factor` times the product of its drivers."""

    id: str
    drivers: tuple[tuple[str, ThreePoint], ...]
    factor: float = 1.0
    confidence: Confidence = Confidence.DEFAULT
    ramp_months: int = DEFAULT_RAMP_MONTHS
    """Months from the start of benefits to full adoption, rising in a straight line."""
    by_year: tuple[ThreePoint, ...] = ()
    """Instead of drivers: the amount of each year after go-live (year 1 first), times `factor`;
    a yearly table already holds its ramp, so `ramp_months` is not used."""
    risk_adjusted: bool = False
    """The figures are already risk-adjusted (a TEI study's): no confidence haircut is taken
    again. The readiness adjustment (share realised, delay) still applies."""


@dataclass(frozen=True)
class Estimates:
    """Every line of one scenario. Horizon and rate default to Forrester TEI's conventions only for
    estimates built in code; `read_estimates` fills them from the assessment's pinned policy."""

    currency: str
    costs: tuple[CostLine, ...]
    benefits: tuple[BenefitLine, ...]
    horizon_years: int = 3
    """Years of benefits appraised after go-live (TEI's three years after the initial period)."""
    discount_rate: float = 0.10
    users: int = 1
    go_live_month: int = 0
    """Months from kick-off (t0) to the planned go-live: benefits start after it. 0 is today's
    convention, every benefit from the first month."""
    project_costs: ProjectCosts = ProjectCosts.SPREAD

    @property
    def months(self) -> int:
        """Months appraised after t0: to go-live, then `horizon_years` of benefits."""
        return self.go_live_month + 12 * self.horizon_years

    @property
    def years(self) -> int:
        """Years of the timeline after t0, each discounted at its end; the last may be part-used."""
        return math.ceil(self.months / 12)

    def inputs(self) -> list[tuple[str, ThreePoint]]:
        """Every estimated figure, by a key stable across runs: costs.<id>, costs.<id>.initial,
        costs.<id>.year<k>, benefits.<id>.<driver> and benefits.<id>.year<k>."""
        found: list[tuple[str, ThreePoint]] = []
        for cost in self.costs:
            found.append((f"costs.{cost.id}", cost.amount))
            if cost.initial is not None:
                found.append((f"costs.{cost.id}.initial", cost.initial))
            found += [(f"costs.{cost.id}.year{k}", value) for k, value in enumerate(cost.by_year, start=1)]
        for benefit in self.benefits:
            found += [(f"benefits.{benefit.id}.{name}", value) for name, value in benefit.drivers]
            found += [(f"benefits.{benefit.id}.year{k}", value) for k, value in enumerate(benefit.by_year, start=1)]
        return found
