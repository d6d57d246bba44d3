"""Change-management readings inside the answers: sponsorship, the change/resistance quadrant, ADKAR.

Each is reported only as far as the answers allow (docs/MODEL.md section 2).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessment.engine.policy import Instruments, QuestionRef
from assessment.engine.questionnaire import Definitions

if TYPE_CHECKING:
    from assessment.engine.readiness import RespondentAnswers

LEAD_GROUP = "assessment"
"""The group name of the lead's answers, given on behalf of the organisation."""


@dataclass(frozen=True)
class SponsorshipReading:
    values: tuple[tuple[QuestionRef, float | None], ...]
    score: float | None
    """0-100, the mean of what is answered; None when nothing is."""
    sponsor_exists: bool | None


@dataclass(frozen=True)
class ChangeQuadrant:
    change_size: float | None
    resistance: float | None
    quadrant: str | None
    """"high_risk" (large change, resistant organisation), "large_change", "resistant", "low_risk"."""


@dataclass(frozen=True)
class AdkarReading:
    group: str
    respondents: int
    steps: tuple[tuple[str, float | None], ...]
    barrier: str | None
    """The first step at or below the threshold: where this group's change stalls."""
    complete: bool
    """Every step up to the barrier (or all of them) is answered, so the reading can be trusted."""


@dataclass(frozen=True)
class InstrumentReadings:
    sponsorship: SponsorshipReading
    change: ChangeQuadrant
    adkar: tuple[AdkarReading, ...]


def read_instruments(
    definitions: Definitions,
    respondents: Sequence[RespondentAnswers],
    consensus: Mapping[QuestionRef, float | None],
) -> InstrumentReadings:
    instruments = definitions.policy.instruments
    return InstrumentReadings(
        sponsorship=_sponsorship(instruments, consensus),
        change=_quadrant(instruments, consensus),
        adkar=tuple(
            reading
            for reading in (_adkar(instruments, definitions, group, members) for group, members in _groups(respondents))
            if any(value is not None for _, value in reading.steps)
        ),
    )


def _sponsorship(instruments: Instruments, consensus: Mapping[QuestionRef, float | None]) -> SponsorshipReading:
    values = tuple((ref, consensus.get(ref)) for ref in instruments.sponsorship)
    answered = [v for _, v in values if v is not None]
    first = values[0][1]
    return SponsorshipReading(
        values=values,
        score=100 * statistics.fmean(answered) if answered else None,
        sponsor_exists=None if first is None else first > 0,
    )


def _quadrant(instruments: Instruments, consensus: Mapping[QuestionRef, float | None]) -> ChangeQuadrant:
    size, resistance = consensus.get(instruments.change_size), consensus.get(instruments.resistance)
    if size is None or resistance is None:
        return ChangeQuadrant(size, resistance, None)
    large = size <= instruments.large_change_at_most
    resistant = resistance <= instruments.resistant_at_most
    quadrant = {
        (True, True): "high_risk",
        (True, False): "large_change",
        (False, True): "resistant",
        (False, False): "low_risk",
    }[(large, resistant)]
    return ChangeQuadrant(size, resistance, quadrant)


def _groups(respondents: Sequence[RespondentAnswers]) -> list[tuple[str, list[RespondentAnswers]]]:
    groups: dict[str, list[RespondentAnswers]] = {}
    for respondent in respondents:
        groups.setdefault(respondent.role.value if respondent.role else LEAD_GROUP, []).append(respondent)
    return sorted(groups.items())


def _adkar(
    instruments: Instruments, definitions: Definitions, group: str, members: list[RespondentAnswers]
) -> AdkarReading:
    steps = []
    for step, (area, question_id) in instruments.adkar:
        question = definitions.area(area).question(question_id)
        values = [
            value
            for member in members
            if question_id in member.answers.get(area, {})
            and (value := question.value_of(member.answers[area][question_id])) is not None
        ]
        steps.append((step, statistics.median(values) if values else None))
    barrier = next((step for step, value in steps if value is not None and value <= instruments.barrier_at_most), None)
    checked = steps if barrier is None else steps[: [s for s, _ in steps].index(barrier) + 1]
    return AdkarReading(group, len(members), tuple(steps), barrier, all(v is not None for _, v in checked))
