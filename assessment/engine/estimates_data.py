"""Estimates given as data (a YAML file, a JSON payload, the stored form), checked entry by entry.

    currency: USD
    users: 85                      # optional; the assessment's number of users in the app
    horizon_years: 3               # optional; the policy's default: years of benefits after go-live
    discount_rate: 0.10            # optional; the policy's default
    go_live_month: 9               # optional; the assessment's planned go-live in the app, else 0
    project_costs: spread          # optional; spread (over the months to go-live) | upfront (at t0)
    costs:
      - {id: subscription, amount: [55, 65, 80], timing: monthly, per_user: true}
      - {id: implementation, amount: 90000, timing: once, project: true}
      - {id: migration, amount: 12000, months: [3, 4]}         # paid in these months (0 is t0)
      - {id: licences, amounts_by_year: [100000, [90000, 100000, 120000], 100000], initial: 20000}
    benefits:
      - id: revenue
        confidence: default        # very_confident | default | moderately_confident
        ramp_months: 6
        factor: 1                  # optional constant, e.g. 4.33 weeks a month
        drivers: {leads: [300, 400, 500], conversion_uplift: [0.01, 0.03, 0.05]}
      - {id: tei_benefits, amounts_by_year: [1606511, 3061331, 4229760], risk_adjusted: true}

A figure is one number or [low, most likely, high]. `amounts_by_year` (or `timing:
yearly_amounts`) holds one figure per year after go-live, as many as `horizon_years`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

from assessment.engine.estimates import (
    DEFAULT_RAMP_MONTHS,
    MAX_GO_LIVE_MONTHS,
    MAX_RAMP_MONTHS,
    BenefitLine,
    Confidence,
    CostLine,
    Estimates,
    ProjectCosts,
    ThreePoint,
    Timing,
)
from assessment.engine.policy import EconomicsPolicy

FigureData = float | list[float]
"""A figure as data: one number, or [low, most likely, high]."""
Line = TypeVar("Line", CostLine, BenefitLine)

ID = re.compile(r"^[a-z][a-z0-9_]*$")


class Fault(StrEnum):
    """Why a number is not a plausible value of its kind; the form words each its own way."""

    NOT_FINITE = "not_finite"
    BELOW = "below"
    ABOVE = "above"
    NEAR_ZERO = "near_zero"
    NOT_WHOLE = "not_whole"


@dataclass(frozen=True)
class Bounds:
    """The plausible values of one kind of number: finite, from `least` to `most`, whole when `whole`,
    and 0 or at least `smallest` away from it.

    The one place the limits of estimates are set: files, the stored form data and the form's
    boxes are all checked against these, so no infinity or NaN can come out of the arithmetic.
    """

    least: float
    most: float
    smallest: float = 0.0
    """A non-zero figure nearer 0 is a typing slip (1e-320), and dividing by it gives infinity."""
    whole: bool = False

    def fault(self, number: float) -> Fault | None:
        """What is wrong with `number`; None when it is plausible."""
        if not math.isfinite(number):
            return Fault.NOT_FINITE
        if number < self.least:
            return Fault.BELOW
        if number > self.most:
            return Fault.ABOVE
        if number and abs(number) < self.smallest:
            return Fault.NEAR_ZERO
        if self.whole and not number.is_integer():
            return Fault.NOT_WHOLE
        return None


FIGURE = Bounds(0.0, 1e13, smallest=1e-6)
"""An amount or a benefit driver. 1e13 is more than any CRM budget in any currency, rials
included; a millionth is less than any amount or share anyone means."""
SHARE = Bounds(0.0, 1.0, smallest=FIGURE.smallest)
"""A share, typed in the form as a percentage: the discount rate a year, or a driver such as a margin."""
FACTOR = Bounds(FIGURE.smallest, 1000.0)
"""The constant that turns a benefit's drivers into an amount a month (52 / 12 weeks, 1 / 12 of a year)."""
USERS = Bounds(1, 1_000_000, whole=True)
HORIZON = Bounds(1, 10, whole=True)
"""Years appraised."""
RAMP = Bounds(0, MAX_RAMP_MONTHS, whole=True)
"""Months to full adoption."""
GO_LIVE = Bounds(0, MAX_GO_LIVE_MONTHS, whole=True)
"""Months from kick-off to the planned go-live."""
MONTH = Bounds(0, MAX_GO_LIVE_MONTHS + 12 * HORIZON.most, whole=True)
"""A month of the timeline (0 is t0) a one-off cost is paid in; also no later than the horizon's end."""

DAYS_A_MONTH = 365.25 / 12


def months_to_go_live(start: date, go_live: date | None) -> int | None:
    """Whole months (nearest) from `start` to `go_live`: the estimates' go-live from an
    assessment's dates. A go-live before the start counts as 0, one beyond GO_LIVE as its most;
    None when no go-live is planned."""
    if go_live is None:
        return None
    months = round((go_live - start).days / DAYS_A_MONTH)
    return int(min(max(months, GO_LIVE.least), GO_LIVE.most))


def benefit_too_large(highs: Iterable[float], factor: float) -> bool:
    """Whether a benefit line at its drivers' high figures comes to more than FIGURE.most a month.

    Each driver may be plausible alone while their product is not (or, with enough drivers,
    overflows to infinity): it is checked as one more figure.
    """
    return factor * math.prod(highs) > FIGURE.most


class EstimatesError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _number(raw: Any) -> float | None:
    """`raw` as a float when it is a number (an integer too large for a float is infinite); else None."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None
    try:
        return float(raw)
    except OverflowError:
        return math.inf


def _whole(raw: Any, bounds: Bounds) -> bool:
    """Whether `raw` is a whole number (written as one, not 3.0) within `bounds`."""
    number = _number(raw) if isinstance(raw, int) else None
    return number is not None and bounds.fault(number) is None


def figure(raw: Any, where: str, problems: list[str]) -> ThreePoint | None:
    """One number or [low, likely, high]: each within FIGURE, and in rising order."""
    values = raw if isinstance(raw, list) else [raw]
    numbers = [_number(v) for v in values]
    if len(values) not in (1, 3) or None in numbers:
        problems.append(f"{where}: expected a number or [low, most likely, high], got {raw!r}")
        return None
    checked = [n for n in numbers if n is not None]
    faults = {FIGURE.fault(n) for n in checked} - {None}
    if Fault.BELOW in faults:
        problems.append(f"{where}: {raw!r} is negative; enter costs and benefits as positive amounts")
    elif faults:
        problems.append(
            f"{where}: {raw!r} is not a plausible amount: expected 0, or from {FIGURE.smallest:g} to {FIGURE.most:g}"
        )
    elif len(checked) == 3 and not checked[0] <= checked[1] <= checked[2]:
        problems.append(f"{where}: low, most likely and high must rise: {raw!r}")
    else:
        return ThreePoint(*checked) if len(checked) == 3 else ThreePoint.single(checked[0])
    return None


def read_estimates(
    data: Any, policy: EconomicsPolicy, users: int | None = None, go_live_month: int | None = None
) -> Estimates:
    """Checked estimates; EstimatesError lists every bad entry and nothing is used.

    `users` and `go_live_month` are the assessment's, used when the data gives none.
    """
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise EstimatesError(["(document): expected a mapping with currency, costs and benefits"])
    known = {"currency", "users", "horizon_years", "discount_rate", "go_live_month", "project_costs", "costs"}
    _unknown(data, known | {"benefits"}, "", problems)
    currency = data.get("currency")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        problems.append(f"currency: expected a three-letter code such as USD, EUR or IRR, got {currency!r}")
    users = data.get("users", users)
    if not _whole(users, USERS):
        problems.append(f"users: expected a whole number of users from 1 to {USERS.most:,.0f}, got {users!r}")
    horizon = data.get("horizon_years", policy.horizon_years)
    if not _whole(horizon, HORIZON):
        problems.append(f"horizon_years: expected {HORIZON.least:.0f} to {HORIZON.most:.0f} years, got {horizon!r}")
    rate = data.get("discount_rate", policy.discount_rate)
    rate_number = _number(rate)
    if rate_number is None or SHARE.fault(rate_number):
        problems.append(f"discount_rate: expected a share between 0 and 1 (0.10 for 10 %), got {rate!r}")
    go_live = data.get("go_live_month", go_live_month)
    go_live = 0 if go_live is None else go_live
    if not _whole(go_live, GO_LIVE):
        problems.append(
            f"go_live_month: expected {GO_LIVE.least:.0f} to {GO_LIVE.most:.0f} months after kick-off, got {go_live!r}"
        )
    project_costs = data.get("project_costs", ProjectCosts.SPREAD.value)
    if project_costs not in {p.value for p in ProjectCosts}:
        problems.append(f"project_costs: {project_costs!r} is not one of: spread, upfront")
    # Per-year amounts and the months a cost is paid in are checked against the timeline, once it is known.
    years = horizon if _whole(horizon, HORIZON) else None
    end = go_live + 12 * horizon if years is not None and _whole(go_live, GO_LIVE) else None
    costs = _lines(data.get("costs"), "costs", problems, partial(_cost, years=years, end=end))
    benefits = _lines(data.get("benefits"), "benefits", problems, partial(_benefit, years=years))
    if not costs and not problems:
        problems.append("costs: at least one cost line is required")
    if not benefits and not problems:
        problems.append("benefits: at least one benefit line is required")
    if problems or not isinstance(currency, str):
        raise EstimatesError(problems)
    return Estimates(
        currency, tuple(costs), tuple(benefits), horizon, float(rate), users, go_live, ProjectCosts(project_costs)
    )


def _unknown(entry: Mapping[str, Any], known: set[str], where: str, problems: list[str]) -> None:
    problems += [f"{where}{key}: unknown key" for key in sorted(set(entry) - known)]


def _lines(
    raw: Any, where: str, problems: list[str], read: Callable[[Mapping[str, Any], str, list[str]], Line | None]
) -> list[Line]:
    """Each entry of a list of lines, read by `read`; ids snake_case and unique."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{where}: expected a list")
        return []
    lines: list[Line] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        place = f"{where}[{index}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str) or not ID.match(entry["id"]):
            problems.append(f"{place}: expected a mapping with a snake_case id")
            continue
        if entry["id"] in seen:
            problems.append(f"{place}.id: duplicate id {entry['id']!r}")
            continue
        seen.add(entry["id"])
        line = read(entry, place, problems)
        if line is not None:
            lines.append(line)
    return lines


def _flag(entry: Mapping[str, Any], key: str, where: str, problems: list[str]) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        problems.append(f"{where}.{key}: expected true or false")
        return False
    return value


def _by_year(raw: Any, where: str, years: int | None, problems: list[str]) -> tuple[ThreePoint, ...] | None:
    """One figure per year after go-live, as many as the horizon's years."""
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: expected a list with a figure for each year after go-live")
        return None
    if years is not None and len(raw) != years:
        problems.append(f"{where}: {len(raw)} years given, but the horizon has {years}; give one figure per year")
        return None
    figures = [figure(value, f"{where}[{k}]", problems) for k, value in enumerate(raw)]
    found = [f for f in figures if f is not None]
    return tuple(found) if len(found) == len(raw) else None


def _months(raw: Any, where: str, end: int | None, problems: list[str]) -> tuple[int, ...] | None:
    """The distinct months, 0 (t0) to the horizon's end, a one-off cost is paid in."""
    last = MONTH.most if end is None else end
    if (
        not isinstance(raw, list)
        or not raw
        or not all(_whole(month, MONTH) and month <= last for month in raw)
        or len(set(raw)) != len(raw)
    ):
        problems.append(f"{where}: expected a list of distinct months from 0 (t0) to {last:.0f}, got {raw!r}")
        return None
    return tuple(sorted(raw))


def _cost(
    entry: Mapping[str, Any], where: str, problems: list[str], years: int | None = None, end: int | None = None
) -> CostLine | None:
    keys = {"id", "amount", "timing", "per_user", "project", "months", "amounts_by_year", "initial", "risk_adjusted"}
    _unknown(entry, keys, f"{where}.", problems)
    per_user, project = _flag(entry, "per_user", where, problems), _flag(entry, "project", where, problems)
    risk_adjusted = _flag(entry, "risk_adjusted", where, problems)
    by_year_raw = entry.get("amounts_by_year")
    timing = entry.get("timing", Timing.BY_YEAR.value if by_year_raw is not None else Timing.ONCE.value)
    if timing not in {t.value for t in Timing}:
        problems.append(f"{where}.timing: {timing!r} is not one of: once, monthly, yearly, yearly_amounts")
        return None
    if timing == Timing.BY_YEAR:
        if "amount" in entry or "months" in entry:
            problems.append(f"{where}: give amounts_by_year (and initial) or amount, not both")
            return None
        by_year = _by_year(by_year_raw, f"{where}.amounts_by_year", years, problems)
        initial = figure(entry["initial"], f"{where}.initial", problems) if "initial" in entry else None
        if by_year is None or ("initial" in entry and initial is None):
            return None
        return CostLine(
            entry["id"],
            ThreePoint.single(1.0),
            Timing.BY_YEAR,
            per_user,
            project,
            by_year=by_year,
            initial=initial,
            risk_adjusted=risk_adjusted,
        )
    if by_year_raw is not None or "initial" in entry:
        problems.append(f"{where}: amounts_by_year and initial go with timing yearly_amounts, not {timing}")
        return None
    months: tuple[int, ...] | None = ()
    if "months" in entry:
        if timing != Timing.ONCE:
            problems.append(f"{where}.months: only a one-off cost (timing once) is placed in given months")
            return None
        months = _months(entry["months"], f"{where}.months", end, problems)
    amount = figure(entry.get("amount"), f"{where}.amount", problems)
    if amount is None or months is None:
        return None
    return CostLine(entry["id"], amount, Timing(timing), per_user, project, months, risk_adjusted=risk_adjusted)


def _benefit(entry: Mapping[str, Any], where: str, problems: list[str], years: int | None = None) -> BenefitLine | None:
    keys = {"id", "drivers", "factor", "confidence", "ramp_months", "amounts_by_year", "risk_adjusted"}
    _unknown(entry, keys, f"{where}.", problems)
    risk_adjusted = _flag(entry, "risk_adjusted", where, problems)
    if "amounts_by_year" in entry:
        return _benefit_by_year(entry, where, problems, years, risk_adjusted)
    drivers_raw = entry.get("drivers")
    if not isinstance(drivers_raw, Mapping) or not drivers_raw:
        problems.append(f"{where}.drivers: expected a mapping of driver name to figure")
        return None
    drivers = []
    for name, raw in drivers_raw.items():
        value = figure(raw, f"{where}.drivers.{name}", problems)
        if value is not None:
            drivers.append((str(name), value))
    factor = _number(entry.get("factor", 1.0))
    if factor is None or FACTOR.fault(factor):
        problems.append(
            f"{where}.factor: expected a number from {FACTOR.least:g} to {FACTOR.most:g}, got {entry.get('factor')!r}"
        )
    confidence = entry.get("confidence", Confidence.DEFAULT.value)
    if confidence not in {c.value for c in Confidence}:
        problems.append(
            f"{where}.confidence: {confidence!r} is not one of: very_confident, default, moderately_confident"
        )
        return None
    ramp = entry.get("ramp_months", DEFAULT_RAMP_MONTHS)
    if not _whole(ramp, RAMP):
        problems.append(f"{where}.ramp_months: expected 0 to {MAX_RAMP_MONTHS} months, got {ramp!r}")
        return None
    if factor is None or FACTOR.fault(factor) or len(drivers) != len(drivers_raw):
        return None
    if benefit_too_large((value.high for _, value in drivers), factor):
        problems.append(
            f"{where}.drivers: at their high figures these come to more than {FIGURE.most:g} a month; "
            "check for a slip of the keyboard"
        )
        return None
    return BenefitLine(entry["id"], tuple(drivers), factor, Confidence(confidence), ramp, risk_adjusted=risk_adjusted)


def _benefit_by_year(
    entry: Mapping[str, Any], where: str, problems: list[str], years: int | None, risk_adjusted: bool
) -> BenefitLine | None:
    """A benefit given as an amount per year after go-live: its ramp is in the figures."""
    if extra := sorted({"drivers", "factor", "ramp_months"} & set(entry)):
        problems.append(f"{where}: amounts_by_year replaces {', '.join(extra)}; give one or the other")
        return None
    confidence = entry.get("confidence", Confidence.DEFAULT.value)
    if confidence not in {c.value for c in Confidence}:
        problems.append(
            f"{where}.confidence: {confidence!r} is not one of: very_confident, default, moderately_confident"
        )
        return None
    by_year = _by_year(entry["amounts_by_year"], f"{where}.amounts_by_year", years, problems)
    if by_year is None:
        return None
    return BenefitLine(
        entry["id"], (), confidence=Confidence(confidence), ramp_months=0, by_year=by_year, risk_adjusted=risk_adjusted
    )
