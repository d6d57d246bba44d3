"""A readiness result as plain JSON data: what the JSON view, the API and the command line print."""

from __future__ import annotations

from typing import Any

from assessment.engine.instruments import InstrumentReadings
from assessment.engine.readiness import AreaScore, QuestionScore, ReadinessResult, RedFlag
from assessment.engine.text import Text


def rounded(value: float | None, places: int = 4) -> float | None:
    """A figure for JSON: rounded, None kept."""
    return None if value is None else round(value, places)


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else dict(text.translations)


def result_as_json(result: ReadinessResult) -> dict[str, Any]:
    reasons = result.reasons
    return {
        "preset": result.preset,
        "weights": dict(result.weights),
        "readiness": rounded(result.readiness),
        "readiness_by_preset": {name: rounded(value) for name, value in result.readiness_by_preset.items()},
        "coverage": rounded(result.coverage),
        "delivery_probability": rounded(result.delivery_probability),
        "failure_probability": rounded(result.failure_probability),
        "probability": None
        if reasons is None
        else {
            "readiness": rounded(reasons.readiness),
            "delivery_from_readiness": rounded(reasons.delivery_from_readiness),
            "cap": rounded(reasons.cap),
            "cap_kind": reasons.cap_kind,
        },
        "red_flags": [_flag(flag) for flag in result.red_flags],
        "areas": [_area(area) for area in result.areas],
        "top_losses": [_loss(score) for score in result.top_losses],
        "instruments": _instruments(result.instruments),
        "respondents": result.respondents,
    }


def _flag(flag: RedFlag) -> dict[str, Any]:
    return {
        "kind": flag.kind,
        "id": flag.id,
        "area": flag.area,
        "question": flag.question.id,
        "value": rounded(flag.value),
        "text": _text(flag.text),
        "mitigation": _text(flag.question.mitigation),
    }


def _question(score: QuestionScore) -> dict[str, Any]:
    return {
        "id": score.question.id,
        "weight": score.question.weight,
        "value": rounded(score.value),
        "values": [rounded(v) for v in score.values],
        "not_applicable": score.not_applicable,
        "spread": rounded(score.spread),
        "iqr": rounded(score.iqr),
        "share": rounded(score.share),
        "lost_points": rounded(score.lost_points),
        "critical": score.critical,
    }


def _area(area: AreaScore) -> dict[str, Any]:
    return {
        "area": area.area,
        "readiness": rounded(area.readiness),
        "coverage": rounded(area.coverage),
        "thin": area.thin,
        "disagreement": [s.question.id for s in area.disagreement],
        "disagreement_is_a_finding": area.shared_goals_finding,
        "questions": [_question(s) for s in area.questions],
    }


def _loss(score: QuestionScore) -> dict[str, Any]:
    return {
        "area": score.area,
        "question": score.question.id,
        "value": rounded(score.value),
        "lost_points": rounded(score.lost_points),
        "mitigation": _text(score.question.mitigation),
    }


def _instruments(readings: InstrumentReadings) -> dict[str, Any]:
    sponsorship, change = readings.sponsorship, readings.change
    return {
        "sponsorship": {
            "score": rounded(sponsorship.score),
            "sponsor_exists": sponsorship.sponsor_exists,
            "values": {f"{area}.{q}": rounded(v) for (area, q), v in sponsorship.values},
        },
        "change": {
            "change_size": rounded(change.change_size),
            "resistance": rounded(change.resistance),
            "quadrant": change.quadrant,
        },
        "adkar": [
            {
                "group": r.group,
                "respondents": r.respondents,
                "steps": {s: rounded(v) for s, v in r.steps},
                "barrier": r.barrier,
                "complete": r.complete,
            }
            for r in readings.adkar
        ],
    }
