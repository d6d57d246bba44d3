"""A posted answers page or autosave, read into what the engine reads, and its errors in the reader's language.

Input names are `a-<question id>`, so a question id can never shadow another input; `_q` lists
the questions a page carries, and `_was-<id>` the answer it showed for each. The values are
read and checked by the question types (`engine/question_types.py`), as for the JSON API.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from assessment.engine.question_types import Answer, AnswerError, Widget, answer_from_data, answer_to_data
from assessment.engine.questionnaire import Questionnaire

PREFIX = "a-"


def posted_answers(
    questionnaire: Questionnaire, formdata: MultiDict[str, str]
) -> tuple[dict[str, Any], dict[str, Answer | None]]:
    """What the form sent for each question it carries, and what it showed for each before."""
    questions = {q.id: q for q in questionnaire.questions}
    sent: dict[str, Any] = {}
    seen: dict[str, Answer | None] = {}
    for question_id in dict.fromkeys(formdata.getlist("_q")):
        question = questions.get(question_id)
        if question is None:
            continue
        values = formdata.getlist(PREFIX + question_id)
        sent[question_id] = values if question.kind.widget is Widget.MANY_OF else (values[0] if values else None)
        was = _was(formdata.get(f"_was-{question_id}"))
        if was is not _UNSAID:
            seen[question_id] = was
    return sent, seen


_UNSAID = object()


def _was(raw: str | None) -> Any:
    """The answer a page showed, or _UNSAID when it did not say (or said it unreadably)."""
    if raw is None:
        return _UNSAID
    try:
        return answer_from_data(json.loads(raw))
    except ValueError:
        return _UNSAID


def was_value(answer: Answer | None) -> str:
    """The `_was-<id>` value a page carries for a question."""
    return json.dumps(answer_to_data(answer), ensure_ascii=False)


def error_messages(errors: Mapping[str, AnswerError]) -> dict[str, list[str]]:
    """Each refused answer's message, translated, by question id."""
    return {question_id: [gettext(error.message, **error.params)] for question_id, error in errors.items()}
