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
    npv_p10: float,
    npv_p50: float,
    gate: GatePolicy,
    waivers: Mapping[str, str] | None = None,
) -> Decision:
    """Apply the policy's thresholds; a knock-out is a no-go unless `waivers` names it with a reason."""
    waivers = waivers or {}
    blocking: list[Reason] = []
    conditions: list[Reason] = []
    met: list[Reason] = []
    waived: list[Reason] = []
    for flag in readiness.red_flags:
        if flag.kind != "knock_out":
            continue
        if flag.id in waivers:
            waived.append(Reason("knock_out_waived", {"id": flag.id, "reason": waivers[flag.id]}))
        else:
            blocking.append(Reason("knock_out", {"id": flag.id, "area": flag.area, "question": flag.question.id}))
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
        if area.readiness is None:
            conditions.append(Reason("area_not_assessed", {"area": area.area}))
            weak = True
        elif area.readiness < gate.no_go_area_floor:
            blocking.append(
                Reason(
                    "area_too_low", {"area": area.area, "readiness": area.readiness, "threshold": gate.no_go_area_floor}
                )
            )
            weak = True
        elif area.readiness < gate.go_area_floor:
            conditions.append(
                Reason("area_short", {"area": area.area, "readiness": area.readiness, "threshold": gate.go_area_floor})
            )
            weak = True
    if not weak:
        met.append(Reason("areas_ok", {"threshold": gate.go_area_floor}))
    if npv_p50 <= 0:
        blocking.append(Reason("npv_median_not_positive", {"p50": npv_p50}))
    elif npv_p10 <= 0:
        conditions.append(Reason("npv_p10_not_positive", {"p10": npv_p10, "p50": npv_p50}))
    else:
        met.append(Reason("npv_p10_positive", {"p10": npv_p10}))
    conditions += waived
    outcome = Outcome.NO_GO if blocking else (Outcome.CONDITIONAL_GO if conditions else Outcome.GO)
    return Decision(outcome, tuple(blocking), tuple(conditions), tuple(met), tuple(waived))
