"""The structure (tier one) and meaning (tier two) of the scoring policy file."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path as FilePath
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from assessment.definitions.problems import Path
from assessment.definitions.schema import SNAKE_ID, TEXT, errors_of
from assessment.engine.qualification import DIRECT_CAUSES
from assessment.engine.questionnaire import AREAS, Questionnaire

_REF = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"}
_SHARE = {"type": "number", "minimum": 0, "maximum": 1}
_WEIGHTS = {
    "type": "object",
    "required": list(AREAS),
    "additionalProperties": False,
    "properties": {area: {"type": "number", "minimum": 0} for area in AREAS},
}

_STEP = {"type": "string", "pattern": SNAKE_ID}
_READINESS_LINE = {"type": "number", "minimum": 0, "maximum": 100}
_QUALIFICATION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["readiness", "deal", "timeline", "budget_question", "next_steps", "step_for"],
    "properties": {
        "readiness": {
            "type": "object",
            "additionalProperties": False,
            "required": ["disqualify_below", "qualified_from", "area_floor", "source"],
            "properties": {
                "disqualify_below": _READINESS_LINE,
                "qualified_from": _READINESS_LINE,
                "area_floor": _READINESS_LINE,
                "source": {"$ref": "#/$defs/text"},
            },
        },
        "deal": {
            "type": "object",
            "additionalProperties": False,
            "required": ["min_value", "source"],
            "properties": {
                "min_value": {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": "^[A-Z]{3}$"},
                    "additionalProperties": {"type": "number", "minimum": 0},
                },
                "source": {"$ref": "#/$defs/text"},
            },
        },
        "timeline": {
            "type": "object",
            "additionalProperties": False,
            "required": ["min_months", "source"],
            "properties": {
                "min_months": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["months"],
                        "properties": {
                            "users_at_most": {"type": "integer", "minimum": 1},
                            "months": {"type": "number", "minimum": 0, "maximum": 60},
                        },
                    },
                },
                "source": {"$ref": "#/$defs/text"},
            },
        },
        "budget_question": _REF,
        "next_steps": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "text"],
                "properties": {"id": _STEP, "text": {"$ref": "#/$defs/text"}},
            },
        },
        "step_for": {
            "type": "object",
            "additionalProperties": False,
            "required": ["areas"],
            "properties": {
                "areas": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(AREAS),
                    "properties": dict.fromkeys(AREAS, _STEP),
                },
                "rules": {"type": "object", "propertyNames": {"pattern": SNAKE_ID}, "additionalProperties": _STEP},
                **dict.fromkeys(DIRECT_CAUSES, _STEP),
            },
        },
    },
}

_FLAG_RULES = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "question", "at_most", "text"],
        "properties": {
            "id": {"type": "string", "pattern": SNAKE_ID},
            "question": _REF,
            "at_most": _SHARE,
            "text": {"$ref": "#/$defs/text"},
        },
    },
}

ADDED_IN_VERSION_2 = {
    "gate": {"go_probability": 0.8, "no_go_probability": 0.5},
    "economics": {
        "share_spread": 0.8,
        "share_source": {"en": "Design choice of policy version 2, applied to an assessment that pinned version 1."},
    },
}
"""What version 2 of the policy added, as it ships: an assessment pinned to a version 1 policy
is still decided, by today's rules with these values (a version 2 file must state them)."""


SHIPPED_PROJECT_SIZE: dict[str, Any] = {
    "bands": [
        {"id": "small", "users_at_most": 10, "months_at_most": 3, "budget_at_most": 25000},
        {"id": "medium", "users_at_most": 250, "months_at_most": 12, "budget_at_most": 500000},
        {"id": "large"},
    ],
    "source": {"en": "The bands as shipped, applied to a policy pinned before it declared project_size."},
}
"""The size bands as shipped (policy.yaml's `project_size`, docs/MODEL.md section 1.7), for a policy
that predates them (version 1, or version 2 before they were added): the questionnaires pinned with
it declare no size, so nothing it scores changes; today's questionnaires beside it still load."""


SHIPPED_POLICY = FilePath(__file__).resolve().parents[2] / "questionnaires" / "policy.yaml"


SHIPPED_SECTIONS = ("qualification", "benchmarks")
"""Sections a pinned policy may predate; it gets them as this release ships them."""


@cache
def shipped_section(name: str) -> dict[str, Any]:
    """A section of the policy this release ships (qualification: docs/MODEL.md section 11;
    benchmarks: section 12), for a policy pinned before it existed: its prospects are qualified and
    compared by today's rules, in both languages. Read from the file, so the two never differ."""
    section: dict[str, Any] = yaml.safe_load(SHIPPED_POLICY.read_text(encoding="utf-8"))[name]
    return section


def completed(data: dict[str, Any]) -> dict[str, Any]:
    """A policy with the keys its version predates filled in from ADDED_IN_VERSION_2, the size bands
    from SHIPPED_PROJECT_SIZE when it declares none, and SHIPPED_SECTIONS as shipped when it has none."""
    if "project_size" not in data:
        data = data | {"project_size": SHIPPED_PROJECT_SIZE}
    data = data | {name: shipped_section(name) for name in SHIPPED_SECTIONS if name not in data}
    if data.get("version", 2) >= 2:
        return data
    return data | {section: values | data[section] for section, values in ADDED_IN_VERSION_2.items()}


POLICY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "if": {"properties": {"version": {"minimum": 2}}},
    "then": {
        "required": ["findings", "findings_source"],
        "properties": {section: {"required": list(keys)} for section, keys in ADDED_IN_VERSION_2.items()},
    },
    "required": [
        "version",
        "area_weights",
        "delivery",
        "caps",
        "thin_coverage",
        "disagreement",
        "knock_outs",
        "knock_outs_source",
        "instruments",
        "economics",
        "gate",
    ],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "area_weights": {
            "type": "object",
            "additionalProperties": False,
            "required": ["default", "presets"],
            "properties": {
                "default": {"type": "string"},
                "presets": {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": SNAKE_ID},
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["weights", "source"],
                        "properties": {"weights": _WEIGHTS, "source": {"$ref": "#/$defs/text"}},
                    },
                },
            },
        },
        "delivery": {
            "type": "object",
            "additionalProperties": False,
            "required": ["at_readiness_0", "at_readiness_100", "source"],
            "properties": {"at_readiness_0": _SHARE, "at_readiness_100": _SHARE, "source": {"$ref": "#/$defs/text"}},
        },
        "caps": {
            "type": "object",
            "additionalProperties": False,
            "required": ["knock_out", "red_flag", "source"],
            "properties": {"knock_out": _SHARE, "red_flag": _SHARE, "source": {"$ref": "#/$defs/text"}},
        },
        "thin_coverage": {
            "type": "object",
            "additionalProperties": False,
            "required": ["below", "source"],
            "properties": {"below": _SHARE, "source": {"$ref": "#/$defs/text"}},
        },
        "disagreement": {
            "type": "object",
            "additionalProperties": False,
            "required": ["range_at_least", "finding_areas", "source"],
            "properties": {
                "range_at_least": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "finding_areas": {"type": "array", "items": {"enum": list(AREAS)}},
                "source": {"$ref": "#/$defs/text"},
            },
        },
        "project_size": {
            "type": "object",
            "additionalProperties": False,
            "required": ["bands", "source"],
            "properties": {
                "bands": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["id"],
                        "properties": {
                            "id": {"type": "string", "pattern": SNAKE_ID},
                            "users_at_most": {"type": "integer", "minimum": 1},
                            "months_at_most": {"type": "number", "exclusiveMinimum": 0},
                            "budget_at_most": {"type": "number", "minimum": 0},
                        },
                    },
                },
                "source": {"$ref": "#/$defs/text"},
            },
        },
        "knock_outs": _FLAG_RULES,
        "findings": _FLAG_RULES,
        "qualification": _QUALIFICATION,
        "benchmarks": {
            "type": "object",
            "additionalProperties": False,
            "required": ["min_peers", "source"],
            "properties": {"min_peers": {"type": "integer", "minimum": 1}, "source": {"$ref": "#/$defs/text"}},
        },
        "knock_outs_source": {"$ref": "#/$defs/text"},
        "findings_source": {"$ref": "#/$defs/text"},
        "economics": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "horizon_years",
                "discount_rate",
                "horizon_source",
                "haircuts",
                "haircuts_source",
                "disappointment_share",
                "disappointment_source",
                "overrun_per_weak_scope",
                "overrun_per_extra_year",
                "overrun_source",
                "duration_question",
                "max_delay_months",
                "delay_source",
                "draws",
                "draws_source",
            ],
            "properties": {
                "horizon_years": {"type": "integer", "minimum": 1, "maximum": 10},
                "discount_rate": {"type": "number", "minimum": 0, "maximum": 1},
                "haircuts": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["very_confident", "default", "moderately_confident"],
                    "properties": {key: _SHARE for key in ("very_confident", "default", "moderately_confident")},
                },
                "disappointment_share": _SHARE,
                "share_spread": {"type": "number", "exclusiveMinimum": 0, "maximum": 5},
                "overrun_per_weak_scope": {"type": "number", "minimum": 0, "maximum": 5},
                "overrun_per_extra_year": {"type": "number", "minimum": 0, "maximum": 5},
                "duration_question": _REF,
                "max_delay_months": {"type": "integer", "minimum": 0, "maximum": 36},
                "draws": {"type": "integer", "minimum": 100, "maximum": 1000000},
                **{
                    key: {"$ref": "#/$defs/text"}
                    for key in (
                        "horizon_source",
                        "haircuts_source",
                        "disappointment_source",
                        "share_source",
                        "overrun_source",
                        "delay_source",
                        "draws_source",
                    )
                },
            },
        },
        "gate": {
            "type": "object",
            "additionalProperties": False,
            "required": ["go_readiness", "go_area_floor", "no_go_readiness", "no_go_area_floor", "source"],
            "properties": {
                **{
                    key: {"type": "number", "minimum": 0, "maximum": 100}
                    for key in ("go_readiness", "go_area_floor", "no_go_readiness", "no_go_area_floor")
                },
                "go_probability": _SHARE,
                "no_go_probability": _SHARE,
                "source": {"$ref": "#/$defs/text"},
            },
        },
        "instruments": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "sponsorship",
                "change_size",
                "resistance",
                "adkar",
                "large_change_at_most",
                "resistant_at_most",
                "barrier_at_most",
                "source",
            ],
            "properties": {
                "sponsorship": {"type": "array", "minItems": 1, "items": _REF},
                "change_size": _REF,
                "resistance": _REF,
                "adkar": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["awareness", "desire", "knowledge", "ability", "reinforcement"],
                    "properties": {
                        step: _REF for step in ("awareness", "desire", "knowledge", "ability", "reinforcement")
                    },
                },
                "large_change_at_most": _SHARE,
                "resistant_at_most": _SHARE,
                "barrier_at_most": _SHARE,
                "source": {"$ref": "#/$defs/text"},
            },
        },
    },
    "$defs": {"text": TEXT},
}
_VALIDATOR = Draft202012Validator(POLICY_SCHEMA)


def structural_errors(data: Any) -> list[tuple[Path, str]]:
    return errors_of(_VALIDATOR, data)


def meaning_errors(data: dict[str, Any], questionnaires: dict[str, Questionnaire]) -> list[tuple[Path, str]]:
    """Every reference resolves to a scored question; weights and probabilities make sense."""
    return list(_meaning(data, questionnaires))


def _meaning(data: dict[str, Any], questionnaires: dict[str, Questionnaire]) -> Iterator[tuple[Path, str]]:
    weights = data["area_weights"]
    if weights["default"] not in weights["presets"]:
        yield ("area_weights", "default"), f"no preset named '{weights['default']}'"
    for name, preset in weights["presets"].items():
        if sum(preset["weights"].values()) <= 0:
            yield ("area_weights", "presets", name, "weights"), "weights must not all be zero"
    delivery = data["delivery"]
    if delivery["at_readiness_0"] > delivery["at_readiness_100"]:
        yield ("delivery",), "the chance of delivering must not fall as readiness rises"
    seen: set[str] = set()
    for key in ("knock_outs", "findings"):
        for index, rule in enumerate(data.get(key, [])):
            if rule["id"] in seen:
                yield (key, index, "id"), f"duplicate rule id '{rule['id']}' among knock-outs and findings"
            seen.add(rule["id"])
            yield from _reference((key, index, "question"), rule["question"], questionnaires)
    gate = completed(data)["gate"]
    if (
        gate["no_go_readiness"] > gate["go_readiness"]
        or gate["no_go_area_floor"] > gate["go_area_floor"]
        or gate["no_go_probability"] > gate["go_probability"]
    ):
        yield ("gate",), "a no-go threshold must not be above the go threshold"
    yield from _reference(("economics", "duration_question"), data["economics"]["duration_question"], questionnaires)
    yield from _size_bands(data.get("project_size", {}).get("bands", []))
    instruments = data["instruments"]
    for index, ref in enumerate(instruments["sponsorship"]):
        yield from _reference(("instruments", "sponsorship", index), ref, questionnaires)
    for key in ("change_size", "resistance"):
        yield from _reference(("instruments", key), instruments[key], questionnaires)
    for step, ref in instruments["adkar"].items():
        yield from _reference(("instruments", "adkar", step), ref, questionnaires)
    if "qualification" in data:
        yield from _qualification(data, questionnaires)


SIZE_LIMITS = ("users_at_most", "months_at_most", "budget_at_most")


def _size_bands(bands: list[dict[str, Any]]) -> Iterator[tuple[Path, str]]:
    """Ids unique; smallest first, so no limit falls from one band to the next; the last takes the rest."""
    seen: set[str] = set()
    for index, band in enumerate(bands):
        if band["id"] in seen:
            yield ("project_size", "bands", index, "id"), f"duplicate size band '{band['id']}'"
        seen.add(band["id"])
        for key in SIZE_LIMITS:
            earlier = [b[key] for b in bands[:index] if key in b]
            if key in band and earlier and band[key] < max(earlier):
                yield ("project_size", "bands", index, key), "bands go from the smallest up: a limit must not fall"
    if bands and set(bands[-1]) & set(SIZE_LIMITS):
        yield ("project_size", "bands", len(bands) - 1), "the last band states no limit: it takes every larger project"


def _qualification(data: dict[str, Any], questionnaires: dict[str, Questionnaire]) -> Iterator[tuple[Path, str]]:
    """Readiness lines in order; timeline minimums smallest project first; every step named exists and
    is called for; every rule named is a knock-out or a finding; the budget question is scored."""
    section = data["qualification"]
    readiness = section["readiness"]
    if readiness["disqualify_below"] > readiness["qualified_from"]:
        yield ("qualification", "readiness", "disqualify_below"), "must not be above qualified_from"
    yield from _timeline(section["timeline"]["min_months"])
    yield from _reference(("qualification", "budget_question"), section["budget_question"], questionnaires)
    steps: set[str] = set()
    for index, step in enumerate(section["next_steps"]):
        if step["id"] in steps:
            yield ("qualification", "next_steps", index, "id"), f"duplicate next step '{step['id']}'"
        steps.add(step["id"])
    named: list[tuple[Path, str]] = []
    for key, value in section["step_for"].items():
        if isinstance(value, dict):
            named += [(("qualification", "step_for", key, cause), step) for cause, step in value.items()]
        else:
            named.append((("qualification", "step_for", key), value))
    for path, step in named:
        if step not in steps:
            yield path, f"no next step '{step}' in qualification.next_steps"
    rules = {rule["id"] for key in ("knock_outs", "findings") for rule in data.get(key, [])}
    for rule in section["step_for"].get("rules", {}):
        if rule not in rules:
            yield ("qualification", "step_for", "rules", rule), f"no knock-out or finding '{rule}' in this policy"
    called = {step for _, step in named}
    for index, step in enumerate(section["next_steps"]):
        if step["id"] not in called:
            yield ("qualification", "next_steps", index, "id"), f"no cause in step_for calls for '{step['id']}'"


def _timeline(minimums: list[dict[str, Any]]) -> Iterator[tuple[Path, str]]:
    """Smallest project first: users and months never fall; only the last takes any number of users."""
    for index, minimum in enumerate(minimums):
        path: Path = ("qualification", "timeline", "min_months", index)
        earlier = minimums[:index]
        last = index == len(minimums) - 1
        if "users_at_most" in minimum and last:
            yield path, "the last minimum states no users_at_most: it takes every larger project"
        elif "users_at_most" not in minimum and not last:
            yield path, "only the last minimum may leave out users_at_most"
        elif earlier and "users_at_most" in minimum and minimum["users_at_most"] <= earlier[-1].get("users_at_most", 0):
            yield (*path, "users_at_most"), "minimums go from the smallest project up: users_at_most must rise"
        if earlier and minimum["months"] < max(m["months"] for m in earlier):
            yield (*path, "months"), "a larger project must not need fewer months"


def _reference(path: Path, ref: str, questionnaires: dict[str, Questionnaire]) -> Iterator[tuple[Path, str]]:
    area, _, question = ref.partition(".")
    found = questionnaires.get(area)
    if found is None or question not in {q.id for q in found.questions}:
        yield path, f"no question '{ref}' in the questionnaires"
    elif not found.question(question).scored:
        yield path, f"'{ref}' carries no score, so it cannot be read as a value"
