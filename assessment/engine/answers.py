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
from assessment.engine.size import ProjectProfile
from assessment.engine.text import N_

NO_SUCH_QUESTION = N_("There is no such question in this area.")
NOT_ASKED = N_("This question is not asked of you.")


class AnswersError(ValueError):
    """The answers cannot be used; `problems` names each bad entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Conflict:
    """An answer saved elsewhere since the sender's page showed it, which the sender changed too."""

    shown: Answer | None
    """What the sender's page showed."""
    stored: Answer | None
    """What was saved since, from another tab or device."""
    sent: Answer | None
    """What the sender wants instead."""


@dataclass(frozen=True)
class Submission:
    """Answers sent for some questions of one area, read against the questions they would leave shown."""

    questions: tuple[Question, ...]
    """The submitted questions that are shown once the submission is applied."""
    answers: Mapping[str, Answer]
    """The respondent's answers in this area as they would be after saving."""
    inputs: Mapping[str, Any]
    """What was sent for the questions the sender changed, as sent, to show again beside an error."""
    errors: Mapping[str, AnswerError]
    changed: Mapping[str, Answer | None]
    """The answers to write (None clears one): those the sender changed that differ from the stored ones."""
    refused: Mapping[str, str]
    """Ids sent that are not questions asked of the sender in this area, with why (a message id)."""
    conflicts: Mapping[str, Conflict]

    @property
    def accepted(self) -> bool:
        """Whether it may be saved: every value valid, every id asked, and no newer answer overwritten unseen."""
        return not (self.errors or self.refused or self.conflicts)


def read_submission(
    questionnaire: Questionnaire,
    role: Role | None,
    stored: Mapping[str, Answer],
    sent: Mapping[str, Any],
    seen: Mapping[str, Answer | None] | None = None,
) -> Submission:
    """Read `sent` (question id to raw value) for the questions `role` is asked.

    An id that is not a question asked of `role` in this area is refused, never skipped: the
    sender would believe it saved. A hidden question's value is ignored, whatever it is. Each
    value is compared with what the sender's page showed (`seen`; the stored answer when it
    does not say): a value left as shown is not written, so a page left open never undoes an
    answer saved meanwhile; and a value the sender changed, where the stored answer too changed
    since the page showed it, is a conflict for the sender to settle, never applied silently.
    """
    seen = seen or {}
    asked = {q.id: q for q in questionnaire.for_role(role)}
    known = {q.id for q in questionnaire.questions}
    refused = {qid: NOT_ASKED if qid in known else NO_SUCH_QUESTION for qid in sent if qid not in asked}
    questions = tuple(asked[qid] for qid in sent if qid in asked)
    merged, edits, failed = dict(stored), {}, {}
    for question in questions:
        try:
            value = question.kind.read(question, sent[question.id])
        except AnswerError as error:
            failed[question.id], value = error, None
        else:
            if value == seen.get(question.id, stored.get(question.id)):
                continue
            edits[question.id] = value
        if value is None:
            merged.pop(question.id, None)
        else:
            merged[question.id] = value
    shown = tuple(q for q in questions if questionnaire.is_visible(q, merged))
    errors = {q.id: failed[q.id] for q in shown if q.id in failed}
    conflicts, changed = {}, {}
    for qid, value in ((q.id, edits[q.id]) for q in shown if q.id in edits):
        now = stored.get(qid)
        if value == now:
            continue
        if qid in seen and seen[qid] != now:
            conflicts[qid] = Conflict(seen[qid], now, value)
        else:
            changed[qid] = value
    inputs = {qid: sent[qid] for qid in (*edits, *failed)}
    return Submission(shown, merged, inputs, errors, changed, refused, conflicts)


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


PROJECT_KEYS = ("users", "months", "budget")


def read_project(data: Any) -> ProjectProfile | None:
    """An answers file's optional `project:` section: what is known of the project's size
    (`users`, a whole number of at least 1; `months`, above 0; `budget`, one-off costs, at least 0),
    for the size bands of docs/MODEL.md section 1.7. None when the file has none. Raises
    AnswersError naming each bad entry."""
    if not isinstance(data, Mapping) or "project" not in data:
        return None
    raw = data["project"]
    if not isinstance(raw, Mapping):
        raise AnswersError(["project: expected a mapping of users, months and budget"])
    problems = [
        f"project.{key}: unknown key (expected one of: {', '.join(PROJECT_KEYS)})"
        for key in raw
        if key not in PROJECT_KEYS
    ]
    figures: dict[str, float | None] = dict.fromkeys(PROJECT_KEYS)
    for key in PROJECT_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        whole = key == "users"
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or value != value:
            problems.append(f"project.{key}: expected {'a whole number' if whole else 'a number'}, not {value!r}")
        elif (whole and value < 1) or (key == "months" and value <= 0) or value < 0 or value == float("inf"):
            problems.append(f"project.{key}: {value!r} is out of range")
        else:
            figures[key] = float(value)
    if problems:
        raise AnswersError(problems)
    users = figures["users"]
    return ProjectProfile(None if users is None else int(users), figures["months"], figures["budget"])
