"""Answers given as data (a YAML file, a JSON payload), checked against the definitions.

Every bad entry is named with its place; nothing is accepted from a partly valid input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessment.engine.questionnaire import Answer, Definitions, Question, QuestionType, Role
from assessment.engine.readiness import RespondentAnswers


class AnswersError(ValueError):
    """The answers cannot be used; `problems` names each bad entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def check_answer(question: Question, raw: Any) -> Answer:
    """`raw` as a stored answer, or ValueError saying what the question accepts."""
    kind = question.type
    allowed = question.answer_ids
    if kind in (QuestionType.AGREEMENT, QuestionType.SINGLE_CHOICE, QuestionType.YES_NO):
        if isinstance(raw, bool) and kind is QuestionType.YES_NO:
            raise ValueError('write "yes" or "no" in quotes: YAML reads a bare yes or no as true or false')
        if not isinstance(raw, str) or raw not in allowed:
            raise ValueError(f"{raw!r} is not one of: {', '.join(allowed)}")
        return raw
    if kind is QuestionType.MULTIPLE_CHOICE:
        picks = raw if isinstance(raw, list) else None
        if picks is None or not all(isinstance(p, str) for p in picks):
            raise ValueError(f"expected a list of option ids, got {raw!r}")
        unknown = [p for p in picks if p not in allowed]
        if unknown:
            raise ValueError(f"{', '.join(map(repr, unknown))} not among: {', '.join(allowed)}")
        return tuple(o for o in allowed if o in picks)
    if kind is QuestionType.NUMBER:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ValueError(f"expected a number, got {raw!r}")
        if (question.minimum is not None and raw < question.minimum) or (
            question.maximum is not None and raw > question.maximum
        ):
            raise ValueError(f"{raw} is outside {question.minimum}..{question.maximum}")
        return float(raw)
    if not isinstance(raw, str):
        raise ValueError(f"expected text, got {raw!r}")
    if len(raw) > question.max_length:
        raise ValueError(f"longer than {question.max_length} characters")
    return raw


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
            try:
                checked.setdefault(area, {})[question_id] = check_answer(known[question_id], value)
            except ValueError as error:
                problems.append(f"{place}: {error}")
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
