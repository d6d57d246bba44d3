"""Answers as they arrive (a page, an autosave, a JSON payload, a YAML file), read against the definitions.

Each value is read by its question's type (`question_types`); every bad entry is named, and
nothing is accepted from a partly valid input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.engine.question_types import Answer, AnswerError
from assessment.engine.questionnaire import Definitions, Question, Questionnaire, Role
from assessment.engine.readiness import RespondentAnswers


class AnswersError(ValueError):
    """The answers cannot be used; `problems` names each bad entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Submission:
    """Answers sent for some questions of one area, read against the questions they would leave shown."""

    questions: tuple[Question, ...]
    """The submitted questions that are shown once the submission is applied."""
    answers: Mapping[str, Answer]
    """The respondent's answers in this area as they would be after saving."""
    inputs: Mapping[str, Any]
    """What was sent, as sent, to show again beside an error."""
    errors: Mapping[str, AnswerError]
    changed: Mapping[str, Answer | None]
    """The answers to write (None clears one): only those that differ from what the sender last saw."""


def read_submission(
    questionnaire: Questionnaire,
    role: Role | None,
    stored: Mapping[str, Answer],
    sent: Mapping[str, Any],
    seen: Mapping[str, Answer | None] | None = None,
) -> Submission:
    """Read `sent` (question id to raw value) for the questions `role` is asked.

    A hidden question's value is ignored, whatever it is. Only a value that differs from what
    the sender last saw (`seen`; the stored answer when it does not say) counts as changed, so a
    stale page never overwrites an answer saved meanwhile from elsewhere.
    """
    asked = {q.id: q for q in questionnaire.for_role(role)}
    questions = tuple(asked[q] for q in sent if q in asked)
    merged, read, refused = dict(stored), {}, {}
    for question in questions:
        try:
            read[question.id] = question.kind.read(question, sent[question.id])
        except AnswerError as error:
            refused[question.id] = error
        value = read.get(question.id)
        if value is None:
            merged.pop(question.id, None)
        else:
            merged[question.id] = value
    shown = tuple(q for q in questions if questionnaire.is_visible(q, merged))
    errors = {q.id: refused[q.id] for q in shown if q.id in refused}
    seen = seen or {}
    changed = {q.id: read[q.id] for q in shown if q.id in read and read[q.id] != seen.get(q.id, stored.get(q.id))}
    return Submission(shown, merged, {q.id: sent[q.id] for q in questions}, errors, changed)


def check_area_answers(
    definitions: Definitions, raw: Any, where: str = "answers"
) -> tuple[dict[str, dict[str, Answer]], list[str]]:
    """A mapping of area -> question -> answer, checked; with a problem line per bad entry."""
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        return {}, [f"{where}: expected a mapping of area to answers"]
    checked: dict[str, dict[str, Answer]] = {}
    areas = {q.id: q for q in definitions.questionnaires}
    for area, answers in raw.items():
        if area not in areas:
            problems.append(f"{where}.{area}: no such area (expected one of: {', '.join(areas)})")
            continue
        if not isinstance(answers, Mapping):
            problems.append(f"{where}.{area}: expected a mapping of question id to answer")
            continue
        known = {q.id: q for q in areas[area].questions}
        for question_id, value in answers.items():
            place = f"{where}.{area}.{question_id}"
            if question_id not in known:
                problems.append(f"{place}: no such question in {area}")
                continue
            question = known[question_id]
            try:
                answer = question.kind.read(question, value)
            except AnswerError as error:
                problems.append(f"{place}: {error.detail}")
                continue
            if answer is not None:
                checked.setdefault(area, {})[question_id] = answer
    return checked, problems


def read_respondents(definitions: Definitions, data: Any) -> list[RespondentAnswers]:
    """An answers file: either `answers:` for one respondent, or `respondents:` with a list.

    Each respondent has `name`, an optional `role` (omitted for the assessment's lead, who
    is asked every question) and `answers` by area. Raises AnswersError naming each bad entry.
    """
    if not isinstance(data, Mapping) or not ({"answers", "respondents"} & set(data)):
        raise AnswersError(["(document): expected `answers:` or `respondents:` at the top"])
    entries = [{"name": "lead", "answers": data["answers"]}] if "answers" in data else data["respondents"]
    if not isinstance(entries, list) or not entries:
        raise AnswersError(["respondents: expected a non-empty list"])
    problems: list[str] = []
    found: list[RespondentAnswers] = []
    for index, entry in enumerate(entries):
        where = f"respondents[{index}]" if "respondents" in data else "answers"
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: expected a mapping with name, role and answers")
            continue
        unknown = sorted(set(entry) - {"name", "role", "answers"})
        problems += [f"{where}.{key}: unknown key" for key in unknown]
        role = entry.get("role")
        if role is not None and role not in {r.value for r in Role}:
            problems.append(f"{where}.role: {role!r} is not one of: {', '.join(r.value for r in Role)}")
            role = None
        answers, bad = check_area_answers(
            definitions, entry.get("answers", {}), f"{where}.answers" if "respondents" in data else "answers"
        )
        problems += bad
        found.append(
            RespondentAnswers(str(entry.get("name", f"respondent {index + 1}")), Role(role) if role else None, answers)
        )
    if problems:
        raise AnswersError(problems)
    return found
