"""What the templates need to show a question: labels, current input, errors, show-if rule."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from assessment.engine.answers import Conflict
from assessment.engine.question_types import NOT_APPLICABLE, Answer
from assessment.engine.questionnaire import (
    AllOf,
    AnswerIn,
    AnyOf,
    Condition,
    Not,
    NumberBetween,
    Question,
    Questionnaire,
)
from assessment.web.i18n import format_number, translate
from assessment.web.labels import BUILT_IN_OPTIONS
from assessment.web.survey.posted import was_value


@dataclass(frozen=True)
class ConflictView:
    """Both answers in words, for the respondent to choose between."""

    saved: str
    yours: str


@dataclass(frozen=True)
class QuestionView:
    question: Question
    options: list[tuple[str, str]]
    value: Any
    was: str
    errors: list[str]
    visible: bool
    show_if: str
    conflict: ConflictView | None = None


def option_label(question: Question, option_id: str) -> str:
    option = question.option(option_id)
    if option is not None and option.text is not None:
        return translate(option.text)
    return str(BUILT_IN_OPTIONS.get(option_id, option_id))


def condition_json(condition: Condition | None) -> str:
    """The show-if rule for the page's script; the server applies the same rule on save."""
    return "" if condition is None else json.dumps(_condition(condition), separators=(",", ":"))


def _condition(condition: Condition) -> dict[str, Any]:
    if isinstance(condition, AnswerIn):
        return {"q": condition.question, "in": sorted(condition.options)}
    if isinstance(condition, NumberBetween):
        return {"q": condition.question, "min": condition.at_least, "max": condition.at_most}
    if isinstance(condition, AllOf):
        return {"all": [_condition(c) for c in condition.conditions]}
    if isinstance(condition, AnyOf):
        return {"any": [_condition(c) for c in condition.conditions]}
    if isinstance(condition, Not):
        return {"not": _condition(condition.condition)}
    raise TypeError(f"unknown condition {condition!r}")


def question_views(
    questionnaire: Questionnaire,
    questions: tuple[Question, ...],
    stored: Mapping[str, Answer],
    shown_answers: Mapping[str, Answer],
    inputs: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    conflicts: Mapping[str, Conflict] | None = None,
) -> list[QuestionView]:
    """Views of `questions`; after a refused submit, `inputs`, `errors` and `conflicts` show what was sent.

    Each question carries the stored answer as the one its page showed (`_was-<id>`), so a
    page shown beside a conflict is based on the newer answer the respondent has now seen.
    """
    inputs, errors, conflicts = inputs or {}, errors or {}, conflicts or {}
    return [
        QuestionView(
            question=q,
            options=[(option_id, option_label(q, option_id)) for option_id in q.answer_ids],
            value=q.kind.as_input(q, stored.get(q.id)) if q.id not in inputs else _as_sent(q, inputs[q.id]),
            was=was_value(stored.get(q.id)),
            errors=errors.get(q.id, []),
            visible=questionnaire.is_visible(q, shown_answers),
            show_if=condition_json(q.show_if),
            conflict=conflict_view(q, conflicts[q.id]) if q.id in conflicts else None,
        )
        for q in questions
    ]


def _as_sent(question: Question, raw: Any) -> Any:
    """A sent value as its input shows it again; nothing sent is an empty input, not the stored answer."""
    return question.kind.as_input(question, None) if raw is None else raw


def conflict_view(question: Question, conflict: Conflict) -> ConflictView:
    return ConflictView(_in_words(question, conflict.stored), _in_words(question, conflict.sent))


def _in_words(question: Question, answer: Answer | None) -> str:
    """An answer in words, or that there is none (an answer cleared elsewhere)."""
    return gettext("no answer") if answer is None else display_answer(question, answer)


def display_answer(question: Question, answer: Answer) -> str:
    """An answer in words, for summaries."""
    if isinstance(answer, tuple):
        return ", ".join(option_label(question, pick) for pick in answer)
    if isinstance(answer, (int, float)):
        unit = translate(question.unit)
        return f"{format_number(answer)} {unit}".strip()
    if question.options or answer == NOT_APPLICABLE:
        return option_label(question, answer)
    return answer
