"""The gate: go, conditional go or no-go, with every reason (docs/MODEL.md section 6).

Reasons are codes with their figures; the interface puts them into words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assessment.engine.policy import GatePolicy
from assessment.engine.readiness import ReadinessResult


class Outcome(StrEnum):
    GO = "go"
    CONDITIONAL_GO = "conditional_go"
    NO_GO = "no_go"


@dataclass(frozen=True)
class Reason:
    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    blocking: tuple[Reason, ...]
    """What makes it a no-go."""
    conditions: tuple[Reason, ...]
    """What stands between a conditional go and a go: to meet, then re-assess before kick-off."""
    met: tuple[Reason, ...]
    """The go criteria already met."""
    waived: tuple[Reason, ...]


def decide(
    readiness: ReadinessResult,
    chance_positive: float,
    gate: GatePolicy,
    waivers: Mapping[str, str] | None = None,
) -> Decision:
    """Ask what a steering committee asks: is there a blocker that no money fixes, and is the
    chance of a positive return high enough for what is known?

    A knock-out is a no-go unless `waivers` names it with a reason; a serious finding, a weak
    area, goals the respondents dispute or an uncertain return make at best a conditional go.
    """
    waivers = waivers or {}
    blocking: list[Reason] = []
    conditions: list[Reason] = []
    met: list[Reason] = []
    waived: list[Reason] = []
    for flag in readiness.red_flags:
        where = {"id": flag.id, "area": flag.area, "question": flag.question.id}
        if flag.kind == "knock_out" and flag.id in waivers:
            waived.append(Reason("knock_out_waived", {"id": flag.id, "reason": waivers[flag.id]}))
        elif flag.kind == "knock_out":
            blocking.append(Reason("knock_out", where))
        elif flag.kind == "finding":
            conditions.append(Reason("finding", where))
    _readiness_reasons(readiness, gate, blocking, conditions, met)
    conditions += _disputes(readiness)
    if chance_positive < gate.no_go_probability:
        blocking.append(Reason("return_unlikely", {"chance": chance_positive, "threshold": gate.no_go_probability}))
    elif chance_positive < gate.go_probability:
        conditions.append(Reason("return_uncertain", {"chance": chance_positive, "threshold": gate.go_probability}))
    else:
        met.append(Reason("return_likely", {"chance": chance_positive, "threshold": gate.go_probability}))
    conditions += waived
    outcome = Outcome.NO_GO if blocking else (Outcome.CONDITIONAL_GO if conditions else Outcome.GO)
    return Decision(outcome, tuple(blocking), tuple(conditions), tuple(met), tuple(waived))


def _readiness_reasons(
    readiness: ReadinessResult,
    gate: GatePolicy,
    blocking: list[Reason],
    conditions: list[Reason],
    met: list[Reason],
) -> None:
    """Overall readiness and each area against the gate's lines."""
    overall = readiness.readiness
    if overall is None:
        blocking.append(Reason("not_assessed"))
    elif overall < gate.no_go_readiness:
        blocking.append(Reason("readiness_too_low", {"readiness": overall, "threshold": gate.no_go_readiness}))
    elif overall < gate.go_readiness:
        conditions.append(Reason("readiness_short", {"readiness": overall, "threshold": gate.go_readiness}))
    else:
        met.append(Reason("readiness_ok", {"readiness": overall, "threshold": gate.go_readiness}))
    weak = False
    for area in readiness.areas:
        figures = {"area": area.area, "readiness": area.readiness}
        if area.readiness is None:
            conditions.append(Reason("area_not_assessed", {"area": area.area}))
        elif area.readiness < gate.no_go_area_floor:
            blocking.append(Reason("area_too_low", figures | {"threshold": gate.no_go_area_floor}))
        elif area.readiness < gate.go_area_floor:
            conditions.append(Reason("area_short", figures | {"threshold": gate.go_area_floor}))
        else:
            continue
        weak = True
    if not weak:
        met.append(Reason("areas_ok", {"threshold": gate.go_area_floor}))


def _disputes(readiness: ReadinessResult) -> list[Reason]:
    """One condition per area where respondents far apart are a failure cause in themselves (goals,
    strategy), naming the questions and who stands at each end."""
    reasons = []
    for area in readiness.areas:
        if not area.shared_goals_finding:
            continue
        low: dict[str, str | None] = {}
        high: dict[str, str | None] = {}
        for disputed in area.disagreement:
            low |= _sides(disputed.given_by, disputed.values[0])
            high |= _sides(disputed.given_by, disputed.values[-1])
        figures = {
            "area": area.area,
            "questions": [disputed.question.id for disputed in area.disagreement],
            "low": [[name, low[name]] for name in sorted(low)],
            "high": [[name, high[name]] for name in sorted(high) if name not in low],
        }
        reasons.append(Reason("goals_disputed", figures))
    return reasons


def _sides(given_by: tuple[tuple[str, str | None, float], ...], value: float) -> dict[str, str | None]:
    """Who gave `value`: each respondent's name and role (None for the assessment's lead)."""
    return {name: role for name, role, given in given_by if given == value}
