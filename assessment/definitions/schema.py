"""The structure of a questionnaire file (tier one), as a JSON Schema, with plain-words messages."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from assessment.engine.question_types import QuestionType
from assessment.engine.questionnaire import Role

SNAKE_ID = r"^[a-z][a-z0-9_]*$"

TEXT = {
    "type": "object",
    "required": ["en"],
    "propertyNames": {"pattern": r"^[a-z]{2,3}(_[A-Z]{2})?$"},
    "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 4000},
}
_UNIT = {"type": "number", "minimum": 0, "maximum": 1}
_ROLE = {"enum": [r.value for r in Role]}

QUESTIONNAIRE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "version", "title", "questions"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": SNAKE_ID},
        "version": {"type": "integer", "minimum": 1},
        "title": {"$ref": "#/$defs/text"},
        "intro": {"$ref": "#/$defs/text"},
        "owner": _ROLE,
        "questions": {"type": "array", "minItems": 1, "maxItems": 200, "items": {"$ref": "#/$defs/question"}},
    },
    "$defs": {
        "text": TEXT,
        "question": {
            "type": "object",
            "required": ["id", "type", "text", "roles"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": SNAKE_ID, "maxLength": 64},
                "type": {"enum": [t.value for t in QuestionType]},
                "text": {"$ref": "#/$defs/text"},
                "help": {"$ref": "#/$defs/text"},
                "roles": {"type": "array", "minItems": 1, "items": _ROLE},
                "weight": {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
                "critical": _UNIT,
                "mitigation": {"$ref": "#/$defs/text"},
                "not_applicable": {"type": "boolean"},
                "show_if": {"$ref": "#/$defs/condition"},
                "options": {"type": "array", "items": {"$ref": "#/$defs/option"}},
                "scores": {
                    "type": "object",
                    "required": ["yes", "no"],
                    "additionalProperties": False,
                    "properties": {"yes": _UNIT, "no": _UNIT},
                },
                "unit": {"$ref": "#/$defs/text"},
                "min": {"type": "number"},
                "max": {"type": "number"},
                "bands": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/band"}},
                "max_length": {"type": "integer", "minimum": 1, "maximum": 10000},
                "situation": {"type": "boolean"},
                "owner": _ROLE,
                "from_size": {"type": "string", "pattern": SNAKE_ID},
                "red_flags_from_size": {"type": "string", "pattern": SNAKE_ID},
                "quick_scan": {"type": "boolean"},
            },
        },
        "option": {
            "type": "object",
            "required": ["id", "value", "text"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": SNAKE_ID, "maxLength": 64},
                "value": _UNIT,
                "text": {"$ref": "#/$defs/text"},
            },
        },
        "band": {
            "type": "object",
            "required": ["value"],
            "additionalProperties": False,
            "properties": {"up_to": {"type": "number"}, "value": _UNIT},
        },
        "condition": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {
                "question": {"type": "string", "pattern": SNAKE_ID},
                "equals": {"type": "string"},
                "in": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                "at_least": {"type": "number"},
                "at_most": {"type": "number"},
                "all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
                "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
                "not": {"$ref": "#/$defs/condition"},
            },
        },
    },
}

_VALIDATOR = Draft202012Validator(QUESTIONNAIRE_SCHEMA)
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
}


def structural_errors(data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Every structural error in a questionnaire, as (path, message)."""
    return errors_of(_VALIDATOR, data)


def errors_of(validator: Draft202012Validator, data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Every error `validator` finds in `data`, as (path, message), unknown keys one by one."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for error in validator.iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = error.schema.get("properties", {})
            found.extend(((*path, key), f"unknown key '{key}'") for key in error.instance if key not in allowed)
        else:
            found.append((path, _message(error)))
    return found


def _message(error: ValidationError) -> str:
    """Plain words for the common schema keywords; jsonschema's own text otherwise."""
    kind, expected, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        return error.message.replace(" is a required property", " is required")
    if kind == "type" and isinstance(instance, bool) and expected == "string":
        return f"must be text, not {instance!r}: quote it, since YAML reads yes, no, on and off as true or false"
    if kind == "type":
        return f"must be {_TYPE_NAMES.get(str(expected), expected)}, not {instance!r}"[:200]
    if kind == "enum":
        return f"{instance!r} is not one of: {', '.join(map(str, expected))}"
    if kind == "pattern" and "propertyNames" in error.schema_path:
        return f"'{instance}' is not a language code such as en or fa"
    if kind == "pattern":
        return f"{instance!r} must be snake_case: lower-case letters, digits and _"
    if kind in ("minimum", "exclusiveMinimum", "maximum"):
        word = {"minimum": "at least", "exclusiveMinimum": "above", "maximum": "at most"}[kind]
        return f"{instance!r} must be {word} {expected}"
    if kind == "minItems":
        return f"must list at least {expected} item{'s' if expected != 1 else ''}"
    if kind == "minLength":
        return "must not be empty"
    return error.message[:200]
