"""Answer forms built from definitions through a table from question type to field factory.

WTForms validates; the inputs themselves are rendered by Jinja macros, which is several
times faster than WTForms widgets on a long page (bench/pages.py measures it).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import Field, Form, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional, ValidationError

from assessment.engine.questionnaire import (
    Answer,
    Question,
    Questionnaire,
    QuestionType,
    Role,
    answer_from_data,
    answer_to_data,
)
from assessment.web import messages

PREFIX = "a-"
"""Input names are `a-<question id>`, so a question id can never shadow another input."""


def parse_number(raw: str) -> float:
    """A number typed with any script's digits (Persian ۱۲ as well as 12) and either decimal mark."""
    text = unicodedata.normalize("NFKC", raw.strip()).replace("٫", ".").replace(",", ".")
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(raw)
    return number


class _NumberWithin:
    """Checks the text is a number within the question's bounds."""

    def __init__(self, minimum: float | None, maximum: float | None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, _form: Form, field: Field) -> None:
        try:
            number = parse_number(field.data or "")
        except ValueError:
            raise ValidationError(messages.NOT_A_NUMBER) from None
        if self.minimum is not None and number < self.minimum:
            raise ValidationError(messages.NUMBER_TOO_SMALL % {"minimum": plain_number(self.minimum)})
        if self.maximum is not None and number > self.maximum:
            raise ValidationError(messages.NUMBER_TOO_LARGE % {"maximum": plain_number(self.maximum)})


class _Picks:
    """Checks every ticked box is one of the question's options."""

    def __init__(self, allowed: list[str]) -> None:
        self.allowed = set(allowed)

    def __call__(self, _form: Form, field: Field) -> None:
        if any(pick not in self.allowed for pick in field.data or []):
            raise ValidationError(messages.NOT_AN_OPTION)


def plain_number(number: float) -> str:
    """A number as a person types it: 12 rather than 12.0, and no float noise (0.3, not 0.30000000000000004)."""
    rounded = round(number, 6)
    return str(int(rounded)) if float(rounded).is_integer() else str(rounded)


def _one_of(question: Question) -> Field:
    ids = question.answer_ids
    return RadioField(
        choices=ids, validate_choice=False, validators=[Optional(), AnyOf(ids, message=messages.NOT_AN_OPTION)]
    )


def _many_of(question: Question) -> Field:
    ids = question.answer_ids
    return SelectMultipleField(choices=ids, validate_choice=False, validators=[_Picks(ids)])


def _number(question: Question) -> Field:
    return StringField(validators=[Optional(), _NumberWithin(question.minimum, question.maximum)])


def _free_text(question: Question) -> Field:
    limit = question.max_length
    return TextAreaField(validators=[Optional(), Length(max=limit, message=messages.TEXT_TOO_LONG % {"max": limit})])


FIELD_FACTORIES: dict[QuestionType, Callable[[Question], Field]] = {
    QuestionType.AGREEMENT: _one_of,
    QuestionType.SINGLE_CHOICE: _one_of,
    QuestionType.YES_NO: _one_of,
    QuestionType.MULTIPLE_CHOICE: _many_of,
    QuestionType.NUMBER: _number,
    QuestionType.FREE_TEXT: _free_text,
}


@lru_cache(maxsize=64)
def form_class(questionnaire: Questionnaire) -> type[Form]:
    """One form class per questionnaire version, built once."""
    fields = {question.id: FIELD_FACTORIES[question.type](question) for question in questionnaire.questions}
    return type(f"{questionnaire.id.title()}AnswersForm", (Form,), fields)


def to_answer(question: Question, data: Any) -> Answer | None:
    """A validated field's data as a stored answer; None when left empty."""
    if question.type is QuestionType.MULTIPLE_CHOICE:
        picks = set(data or [])
        return tuple(o.id for o in question.options if o.id in picks) or None
    if question.type is QuestionType.NUMBER:
        return parse_number(data) if data and data.strip() else None
    if question.type is QuestionType.FREE_TEXT:
        return (data or "").strip() or None
    return data or None


def to_input(question: Question, answer: Answer | None) -> Any:
    """A stored answer as the value an input shows."""
    if answer is None:
        return () if question.type is QuestionType.MULTIPLE_CHOICE else ""
    if question.type is QuestionType.NUMBER and isinstance(answer, float):
        return plain_number(answer)
    return answer


@dataclass(frozen=True)
class Submission:
    """What a page or an autosave sent, read against the questions it would leave shown."""

    questions: tuple[Question, ...]
    """The submitted questions that are shown once the submission is applied."""
    answers: Mapping[str, Answer]
    """The respondent's answers in this area as they would be after saving."""
    inputs: Mapping[str, Any]
    """What was typed or picked, as sent, to show again beside an error."""
    errors: Mapping[str, list[str]]
    changed: Mapping[str, Answer | None]
    """The answers to write: only those that differ from what the page was showing."""


def read_submission(
    questionnaire: Questionnaire, role: Role | None, stored: Mapping[str, Answer], formdata: MultiDict
) -> Submission:
    """Validate the questions a form says it carries (`_q`), against what would then be shown.

    Only questions whose value differs from what the page was showing (`_was-<id>`) count as
    changed, so a stale page never overwrites an answer saved meanwhile from elsewhere.
    """
    asked = {q.id: q for q in questionnaire.for_role(role)}
    questions = tuple(asked[q] for q in dict.fromkeys(formdata.getlist("_q")) if q in asked)
    form = form_class(questionnaire)(formdata=_unprefixed(formdata, questions))
    merged = dict(stored)
    for question in questions:
        value = _tolerant_answer(question, getattr(form, question.id).data)
        if value is None:
            merged.pop(question.id, None)
        else:
            merged[question.id] = value
    shown = [q for q in questions if questionnaire.is_visible(q, merged)]
    errors = {q.id: list(field.errors) for q in shown if not (field := getattr(form, q.id)).validate(form)}
    values = {q.id: to_answer(q, getattr(form, q.id).data) for q in shown if q.id not in errors}
    changed = {key: value for key, value in values.items() if value != _was(formdata, key, stored.get(key))}
    inputs = {q.id: getattr(form, q.id).data for q in questions}
    return Submission(tuple(shown), merged, inputs, errors, changed)


def _tolerant_answer(question: Question, data: Any) -> Answer | None:
    """The answer as far as it can be read before validation; it only decides what is shown."""
    try:
        return to_answer(question, data)
    except ValueError:
        return None


def _unprefixed(formdata: MultiDict, questions: tuple[Question, ...]) -> MultiDict:
    data: MultiDict = MultiDict()
    for question in questions:
        for value in formdata.getlist(PREFIX + question.id):
            data.add(question.id, value)
    return data


def _was(formdata: MultiDict, question_id: str, stored: Answer | None) -> Answer | None:
    """What the page showed for a question; the stored answer when the page did not say."""
    raw = formdata.get(f"_was-{question_id}")
    if raw is None:
        return stored
    try:
        value = json.loads(raw)
    except ValueError:
        return stored
    return answer_from_data(value)


def was_value(answer: Answer | None) -> str:
    """The `_was-<id>` value a page carries for a question."""
    return json.dumps(answer_to_data(answer), ensure_ascii=False)
