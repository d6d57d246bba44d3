"""Estimates given as data (a YAML file, a JSON payload, the stored form), checked entry by entry.

    currency: USD
    users: 85                      # optional; the assessment's number of users in the app
    horizon_years: 3               # optional; the policy's default
    discount_rate: 0.10            # optional; the policy's default
    costs:
      - {id: subscription, amount: [55, 65, 80], timing: monthly, per_user: true}
      - {id: implementation, amount: 90000, timing: once, project: true}
    benefits:
      - id: revenue
        confidence: default        # very_confident | default | moderately_confident
        ramp_months: 6
        factor: 1                  # optional constant, e.g. 4.33 weeks a month
        drivers: {leads: [300, 400, 500], conversion_uplift: [0.01, 0.03, 0.05]}

A figure is one number or [low, most likely, high].
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from assessment.engine.estimates import (
    DEFAULT_RAMP_MONTHS,
    MAX_RAMP_MONTHS,
    BenefitLine,
    Confidence,
    CostLine,
    Estimates,
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


def read_estimates(data: Any, policy: EconomicsPolicy, users: int | None = None) -> Estimates:
    """Checked estimates; EstimatesError lists every bad entry and nothing is used."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise EstimatesError(["(document): expected a mapping with currency, costs and benefits"])
    _unknown(data, {"currency", "users", "horizon_years", "discount_rate", "costs", "benefits"}, "", problems)
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
    costs = _lines(data.get("costs"), "costs", problems, _cost)
    benefits = _lines(data.get("benefits"), "benefits", problems, _benefit)
    if not costs and not problems:
        problems.append("costs: at least one cost line is required")
    if not benefits and not problems:
        problems.append("benefits: at least one benefit line is required")
    if problems or not isinstance(currency, str):
        raise EstimatesError(problems)
    return Estimates(currency, tuple(costs), tuple(benefits), horizon, float(rate), users)


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


def _cost(entry: Mapping[str, Any], where: str, problems: list[str]) -> CostLine | None:
    _unknown(entry, {"id", "amount", "timing", "per_user", "project"}, f"{where}.", problems)
    amount = figure(entry.get("amount"), f"{where}.amount", problems)
    timing = entry.get("timing", "once")
    if timing not in {t.value for t in Timing}:
        problems.append(f"{where}.timing: {timing!r} is not one of: once, monthly, yearly")
        return None
    flags = {key: entry.get(key, False) for key in ("per_user", "project")}
    for key, value in flags.items():
        if not isinstance(value, bool):
            problems.append(f"{where}.{key}: expected true or false")
    return None if amount is None else CostLine(entry["id"], amount, Timing(timing), **flags)


def _benefit(entry: Mapping[str, Any], where: str, problems: list[str]) -> BenefitLine | None:
    _unknown(entry, {"id", "drivers", "factor", "confidence", "ramp_months"}, f"{where}.", problems)
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
    return BenefitLine(entry["id"], tuple(drivers), factor, Confidence(confidence), ramp)
