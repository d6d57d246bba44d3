"""A readiness result as plain JSON data: what the JSON view, the API and the command line print."""

from __future__ import annotations

from typing import Any

from assessment.engine.instruments import InstrumentReadings
from assessment.engine.questionnaire import Text
from assessment.engine.readiness import AreaScore, QuestionScore, ReadinessResult, RedFlag


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else dict(text.translations)


def result_as_json(result: ReadinessResult) -> dict[str, Any]:
    reasons = result.reasons
    return {
        "preset": result.preset,
        "weights": dict(result.weights),
        "readiness": _num(result.readiness),
        "readiness_by_preset": {name: _num(value) for name, value in result.readiness_by_preset.items()},
        "coverage": _num(result.coverage),
        "delivery_probability": _num(result.delivery_probability),
        "failure_probability": _num(result.failure_probability),
        "probability": None
        if reasons is None
        else {
            "readiness": _num(reasons.readiness),
            "delivery_from_readiness": _num(reasons.delivery_from_readiness),
            "cap": _num(reasons.cap),
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
        "value": _num(flag.value),
        "text": _text(flag.text),
        "mitigation": _text(flag.question.mitigation),
    }


def _question(score: QuestionScore) -> dict[str, Any]:
    return {
        "id": score.question.id,
        "weight": score.question.weight,
        "value": _num(score.value),
        "values": [_num(v) for v in score.values],
        "not_applicable": score.not_applicable,
        "spread": _num(score.spread),
        "iqr": _num(score.iqr),
        "share": _num(score.share),
        "lost_points": _num(score.lost_points),
        "critical": score.critical,
    }


def _area(area: AreaScore) -> dict[str, Any]:
    return {
        "area": area.area,
        "readiness": _num(area.readiness),
        "coverage": _num(area.coverage),
        "thin": area.thin,
        "disagreement": [s.question.id for s in area.disagreement],
        "disagreement_is_a_finding": area.shared_goals_finding,
        "questions": [_question(s) for s in area.questions],
    }


def _loss(score: QuestionScore) -> dict[str, Any]:
    return {
        "area": score.area,
        "question": score.question.id,
        "value": _num(score.value),
        "lost_points": _num(score.lost_points),
        "mitigation": _text(score.question.mitigation),
    }


def _instruments(readings: InstrumentReadings) -> dict[str, Any]:
    sponsorship, change = readings.sponsorship, readings.change
    return {
        "sponsorship": {
            "score": _num(sponsorship.score),
            "sponsor_exists": sponsorship.sponsor_exists,
            "values": {f"{area}.{q}": _num(v) for (area, q), v in sponsorship.values},
        },
        "change": {
            "change_size": _num(change.change_size),
            "resistance": _num(change.resistance),
            "quadrant": change.quadrant,
        },
        "adkar": [
            {
                "group": r.group,
                "respondents": r.respondents,
                "steps": {s: _num(v) for s, v in r.steps},
                "barrier": r.barrier,
                "complete": r.complete,
            }
            for r in readings.adkar
        ],
    }
