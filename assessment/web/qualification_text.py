"""A stored qualification (`services/summaries.qualification_document`) in sentences in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from assessment.engine.policy import FlagRule
from assessment.engine.qualification import MESSAGES
from assessment.engine.questionnaire import Definitions
from assessment.web.i18n import format_money, format_number, translate
from assessment.web.labels import AREAS


@dataclass(frozen=True)
class QualificationText:
    disqualifying: list[str]
    nurturing: list[str]
    met: list[str]
    next_steps: list[str]

    @property
    def reasons(self) -> list[str]:
        """What stands against a qualified prospect, the gravest first."""
        return [*self.disqualifying, *self.nurturing]


def _rule(definitions: Definitions, rule_id: str) -> str:
    rules: tuple[FlagRule, ...] = (*definitions.policy.knock_outs, *definitions.policy.findings)
    found = next((r for r in rules if r.id == rule_id), None)
    return translate(found.text) if found else rule_id


def sentence(code: str, values: dict[str, Any], definitions: Definitions) -> str:
    """One reason as its sentence, every figure formatted for the reader."""
    filled: dict[str, str] = {}
    for key, value in values.items():
        if key == "rule" or key == "id":
            filled["rule"] = _rule(definitions, value)
        elif key == "area":
            filled["area"] = str(AREAS.get(value, value))
        elif key in ("value", "threshold") and "currency" in values:
            filled[key] = format_money(value, values["currency"])
        elif isinstance(value, int | float):
            filled[key] = format_number(round(value) if key != "months" else value)
        else:
            filled[key] = str(value)
    return gettext(MESSAGES[code], **filled)


def qualification_text(document: dict[str, Any], definitions: Definitions) -> QualificationText:
    steps = definitions.policy.qualification.next_steps

    def group(name: str) -> list[str]:
        return [sentence(r["code"], r["values"], definitions) for r in document.get(name, [])]

    return QualificationText(
        disqualifying=group("disqualifying"),
        nurturing=group("nurturing"),
        met=group("met"),
        next_steps=[translate(steps[step]) for step in document.get("next_steps", []) if step in steps],
    )
