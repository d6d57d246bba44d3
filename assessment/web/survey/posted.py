"""A posted answers page or autosave, read into what the engine reads, and its errors in the reader's language.

Input names are `a-<question id>`, so a question id can never shadow another input; `_q` lists
the questions a page carries, `_was-<id>` the answer it showed for each, and `_keep-<id>`
(offered beside a conflict) `saved` when the respondent keeps the answer saved elsewhere rather
than theirs. The values are read and checked by the question types (`engine/question_types.py`),
as for the JSON API.
"""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from assessment.engine.answers import Submission
from assessment.engine.question_types import Answer, Widget, answer_from_data, answer_to_data
from assessment.engine.questionnaire import Questionnaire
from assessment.web.i18n import format_number

PREFIX = "a-"
KEEP_SAVED = "saved"
"""The `_keep-<id>` value that settles a conflict for the answer saved elsewhere."""


def posted_answers(
    questionnaire: Questionnaire, formdata: MultiDict[str, str]
) -> tuple[dict[str, Any], dict[str, Answer | None]]:
    """What the form sent for each question it names, and what it showed for each before.

    An id the area does not have is passed on as sent, for the engine to refuse by name; a
    question whose conflict was settled for the saved answer is left out, so nothing is written.
    """
    questions = {q.id: q for q in questionnaire.questions}
    sent: dict[str, Any] = {}
    seen: dict[str, Answer | None] = {}
    for question_id in dict.fromkeys(formdata.getlist("_q")):
        if formdata.get(f"_keep-{question_id}") == KEEP_SAVED:
            continue
        question = questions.get(question_id)
        values = formdata.getlist(PREFIX + question_id)
        many = question is not None and question.kind.widget is Widget.MANY_OF
        sent[question_id] = values if many else (values[0] if values else None)
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
    except (ValueError, RecursionError):  # a forged value nested thousands deep as well
        return _UNSAID


def was_value(answer: Answer | None) -> str:
    """The `_was-<id>` value a page carries for a question."""
    return json.dumps(answer_to_data(answer), ensure_ascii=False)


def error_messages(submission: Submission) -> dict[str, list[str]]:
    """Each refused answer's message, translated, by question id: bad values and ids not asked alike."""
    messages = {
        question_id: [gettext(error.message, **_in_words(error.params))]
        for question_id, error in submission.errors.items()
    }
    return messages | {question_id: [gettext(message)] for question_id, message in submission.refused.items()}


def _in_words(params: dict[str, object]) -> dict[str, object]:
    """A message's numbers in the reader's digits and separators."""
    return {
        key: format_number(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        for key, value in params.items()
    }
