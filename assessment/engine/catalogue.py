"""The cost lines and benefit lines the estimate form offers: their shape, drivers and labels.

A `CostKind` is what every `CostLine` with its id is, less the amount; a `BenefitKind` what
every `BenefitLine` is, less the figures and the estimator's confidence. The form is built
from these, and `kind.entry(...)` writes the data `read_estimates` reads back as lines.
Estimates from a file may use other ids; the catalogue only names the common ones.

Labels are English msgids. The engine cannot translate, so `N_` only marks them for
extraction (babel.cfg); the web layer translates them when it renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assessment.engine.estimates import DEFAULT_RAMP_MONTHS, Confidence, Timing
from assessment.engine.estimates_data import FigureData
from assessment.engine.text import N_

DEFAULT_CURRENCY = "USD"
HORIZONS = (1, 2, 3, 4, 5)
"""The horizons, in years, the form offers."""


@dataclass(frozen=True)
class Driver:
    """One factor of a benefit, typed in the form as low / most likely / high."""

    id: str
    label: str
    percent: bool = False
    """Typed as a percentage, stored as a share."""
    hint: str | None = None


@dataclass(frozen=True)
class CostKind:
    """A cost line the form offers: when it is paid, and whether it scales with users or overruns."""

    id: str
    label: str
    timing: Timing
    per_user: bool = False
    project: bool = False

    def entry(self, amount: FigureData) -> dict[str, Any]:
        """A cost line of this kind as estimates data."""
        return {
            "id": self.id,
            "amount": amount,
            "timing": self.timing.value,
            "per_user": self.per_user,
            "project": self.project,
        }


@dataclass(frozen=True)
class BenefitKind:
    """A benefit line the form offers: its drivers, and the factor making their product a monthly amount."""

    id: str
    label: str
    drivers: tuple[Driver, ...]
    factor: float = 1.0
    """Turns the product of the drivers into an amount a month (52 / 12 weeks, 1 / 12 of a year)."""
    ramp_months: int = DEFAULT_RAMP_MONTHS
    """The ramp the form assumes when the estimator leaves it blank."""

    def entry(
        self, drivers: dict[str, FigureData], confidence: str, ramp_months: int, risk_adjusted: bool = False
    ) -> dict[str, Any]:
        """A benefit line of this kind as estimates data; `risk_adjusted` only when set, so lines
        saved before the flag existed read the same."""
        entry: dict[str, Any] = {
            "id": self.id,
            "drivers": drivers,
            "factor": self.factor,
            "confidence": confidence,
            "ramp_months": ramp_months,
        }
        return entry | {"risk_adjusted": True} if risk_adjusted else entry


COSTS = (
    CostKind("subscription", N_("Subscription, per user per month"), Timing.MONTHLY, per_user=True),
    CostKind("licences", N_("Licences bought outright"), Timing.ONCE),
    CostKind("implementation", N_("Implementation and customisation"), Timing.ONCE, project=True),
    CostKind("data_migration", N_("Data migration"), Timing.ONCE, project=True),
    CostKind("integration", N_("Integration with other systems"), Timing.ONCE, project=True),
    CostKind("training", N_("Training"), Timing.ONCE, project=True),
    CostKind("change_management", N_("Change management"), Timing.ONCE, project=True),
    CostKind("internal_staff", N_("Internal staff time"), Timing.ONCE, project=True),
    CostKind("infrastructure", N_("Infrastructure (on-premise)"), Timing.ONCE, project=True),
    CostKind("hosting", N_("Hosting, per year"), Timing.YEARLY),
    CostKind("support", N_("Support and maintenance, per year"), Timing.YEARLY),
)

BENEFITS = (
    BenefitKind(
        "revenue",
        N_("Revenue uplift"),
        (
            Driver("leads_per_month", N_("Leads per month")),
            Driver(
                "conversion_uplift",
                N_("Conversion gain, percentage points"),
                percent=True,
                hint=N_(
                    "Vendors claim 20-40 % better conversion (relative, and optimistic): "
                    "12 % becoming 15 % means 3 points."
                ),
            ),
            Driver("deal_value", N_("Average deal value")),
            Driver("margin", N_("Gross margin"), percent=True),
        ),
    ),
    BenefitKind(
        "retention",
        N_("Customer retention"),
        (
            Driver("customers", N_("Active customers")),
            Driver(
                "churn_reduction",
                N_("Fewer customers lost a year, percentage points"),
                percent=True,
                hint=N_(
                    "Vendors cite a retention gain of 5 % that raises profit by 25-95 % (Harvard Business School); "
                    "be conservative."
                ),
            ),
            Driver("customer_margin_per_year", N_("Margin per customer per year")),
        ),
        factor=1 / 12,
        ramp_months=9,
    ),
    BenefitKind(
        "time_saved",
        N_("Time saved"),
        (
            Driver("hours_per_user_week", N_("Hours saved per user per week")),
            Driver("users", N_("Users who save it")),
            Driver("loaded_hourly_cost", N_("Loaded cost of an hour")),
        ),
        factor=52 / 12,
        ramp_months=4,
    ),
    BenefitKind("errors_rework", N_("Less error and rework"), (Driver("saving_per_month", N_("Saving per month")),)),
    BenefitKind(
        "marketing", N_("Cheaper, better-targeted marketing"), (Driver("saving_per_month", N_("Saving per month")),)
    ),
)

CONFIDENCE = {
    Confidence.VERY: N_("Very confident"),
    Confidence.DEFAULT: N_("Default"),
    Confidence.MODERATE: N_("Moderately confident"),
}
"""How sure an estimator may be; the haircut each one takes is the policy's."""
