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
from collections.abc import Callable, Mapping
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

LIMIT = 1e13
"""Larger than any CRM budget in any currency, rials included: a bigger figure is a typing slip."""
ID = re.compile(r"^[a-z][a-z0-9_]*$")


class EstimatesError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def figure(raw: Any, where: str, problems: list[str]) -> ThreePoint | None:
    """One number or [low, likely, high]: non-negative, finite, plausible and in rising order."""
    values = raw if isinstance(raw, list) else [raw]
    if len(values) not in (1, 3) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        problems.append(f"{where}: expected a number or [low, most likely, high], got {raw!r}")
        return None
    numbers = [float(v) for v in values]
    if any(not math.isfinite(v) or abs(v) > LIMIT for v in numbers):
        problems.append(f"{where}: {raw!r} is not a plausible amount")
    elif any(v < 0 for v in numbers):
        problems.append(f"{where}: {raw!r} is negative; enter costs and benefits as positive amounts")
    elif len(numbers) == 3 and not numbers[0] <= numbers[1] <= numbers[2]:
        problems.append(f"{where}: low, most likely and high must rise: {raw!r}")
    else:
        return ThreePoint(*numbers) if len(numbers) == 3 else ThreePoint.single(numbers[0])
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
    if not isinstance(users, int) or isinstance(users, bool) or not 1 <= users <= 1_000_000:
        problems.append(f"users: expected a whole number of users from 1 to 1,000,000, got {users!r}")
    horizon = data.get("horizon_years", policy.horizon_years)
    if not isinstance(horizon, int) or isinstance(horizon, bool) or not 1 <= horizon <= 10:
        problems.append(f"horizon_years: expected 1 to 10 years, got {horizon!r}")
    rate = data.get("discount_rate", policy.discount_rate)
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
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
    factor = entry.get("factor", 1.0)
    if not isinstance(factor, (int, float)) or isinstance(factor, bool) or not 0 < factor <= 1000:
        problems.append(f"{where}.factor: expected a positive number, got {factor!r}")
    confidence = entry.get("confidence", Confidence.DEFAULT.value)
    if confidence not in {c.value for c in Confidence}:
        problems.append(
            f"{where}.confidence: {confidence!r} is not one of: very_confident, default, moderately_confident"
        )
        return None
    ramp = entry.get("ramp_months", DEFAULT_RAMP_MONTHS)
    if not isinstance(ramp, int) or isinstance(ramp, bool) or not 0 <= ramp <= MAX_RAMP_MONTHS:
        problems.append(f"{where}.ramp_months: expected 0 to {MAX_RAMP_MONTHS} months, got {ramp!r}")
        return None
    if len(drivers) != len(drivers_raw):
        return None
    return BenefitLine(entry["id"], tuple(drivers), float(factor), Confidence(confidence), ramp)
