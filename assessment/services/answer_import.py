"""Answers collected offline, from a filled-in template: checked whole, then stored in one transaction.

Each row of the file is one answer of one respondent. Every value is read by its question's type
through `read_submission`, as the web form's are; a file with any problem stores nothing, and each
problem names its row (the header is row 1) and its column. Messages are English msgids (`N_`),
translated where they are shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from assessment.engine.answers import NOT_ASKED, read_submission
from assessment.engine.question_types import TEXT_TOO_LONG, Answer, Widget
from assessment.engine.questionnaire import Definitions, Question, Questionnaire, Role
from assessment.engine.readiness import RespondentAnswers, sized
from assessment.engine.text import N_
from assessment.services.answers import answers_of, project_of, role_of, write_answers
from assessment.services.assessments import add_respondent
from assessment.services.audit import Actor
from assessment.services.definitions import pinned
from assessment.storage.models import Assessment

COLUMNS = (
    "respondent_name",
    "respondent_role",
    "respondent_email",
    "area",
    "question_id",
    "question",
    "answer",
    "allowed_answers",
)
"""The template's columns, in order; `question` and `allowed_answers` are there to be read, never imported."""
REQUIRED = ("respondent_name", "respondent_role", "area", "question_id", "answer")
NAME_LENGTH, EMAIL_LENGTH = 120, 254
"""As the invitation form allows."""

MISSING_COLUMN = N_("This column is missing: the first row must name it as the template does.")
UNKNOWN_COLUMN = N_("This column is not one of the template's: remove it or give it the template's name.")
UNNAMED_COLUMN = N_("Column %(number)s holds values but has no name in the first row.")
REPEATED_COLUMN = N_("This column appears twice in the first row.")
NO_ANSWERS = N_("The file holds no answers: fill in the template's answer column, then upload it.")
NAME_MISSING = N_("Give the name of the respondent this answer is from.")
NAME_UNREADABLE = N_("Enter a name with letters or digits.")
UNKNOWN_ROLE = N_("This is not a role: write one of %(roles)s.")
BAD_EMAIL = N_("Enter an e-mail address such as name@example.com.")
OTHER_ROLE = N_("%(name)s has another role on row %(row)s: one person has one role.")
OTHER_EMAIL = N_("%(name)s has another e-mail address on row %(row)s.")
NAME_TAKEN = N_("%(name)s is already a respondent of this assessment: use another name.")
UNKNOWN_AREA = N_("This is not an area: write one of %(areas)s.")
UNKNOWN_QUESTION = N_("There is no question with this id in this area: copy it from the template.")
ANSWERED_TWICE = N_("%(name)s answers this question on row %(row)s already: keep one of the two rows.")
ROLE_NOT_ASKED = N_("This question is not asked of this respondent's role.")
NOT_AT_THIS_SIZE = N_("This question is not asked of a project of this size.")
FOLLOW_UP_HIDDEN = N_("This question follows another answer that this respondent did not give: leave it empty.")

WHOLE_FILE = 0
"""The row of a problem with the file as a whole."""
HEADER = 1


@dataclass(frozen=True)
class Problem:
    row: int
    """The sheet's row number, the header being row 1; WHOLE_FILE for the file as a whole."""
    column: str | None
    """A key of COLUMNS, or a header as the file writes it when it is not one."""
    message: str
    params: Mapping[str, object] = field(default_factory=dict)


class AnswerImportError(ValueError):
    """The file cannot be imported; `problems` lists every one, by row."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.row)
        super().__init__(f"{len(problems)} problems")


@dataclass(frozen=True)
class Vocabulary:
    """The words a file may use for its columns, roles and areas, folded (`fold`): their ids and their
    labels in every language offered, so a template filled in one language imports in another."""

    columns: Mapping[str, str]
    roles: Mapping[str, Role]
    areas: Mapping[str, str]
    clean: Callable[[str], str] = str.strip
    """How a typed name is cleaned (invisible controls, spacing), as the forms clean it."""


def fold(word: object) -> str:
    """A word as it is looked up: NFKC, single spaces, any case."""
    return " ".join(unicodedata.normalize("NFKC", str(word)).split()).casefold()


@dataclass
class Person:
    """A respondent the file names, with the answers to store, by area then question."""

    name: str
    role: Role | None
    email: str | None
    row: int
    """The first row naming them."""
    answers: dict[str, dict[str, Answer]] = field(default_factory=dict)

    @property
    def answer_count(self) -> int:
        return sum(len(given) for given in self.answers.values())


@dataclass(frozen=True)
class _Given:
    """One answered row."""

    row: int
    person: str
    """The folded name of who gave it."""
    question: Question
    area: Questionnaire
    raw: Any


def check_file(
    session: Session, assessment: Assessment, rows: Sequence[Sequence[object]], words: Vocabulary
) -> list[Person]:
    """The respondents and answers of a filled-in template (`rows`, its header first), every value
    checked as the web form checks it; AnswerImportError lists every problem and nothing is kept."""
    definitions = pinned(session, assessment.definitions_digest)
    problems: list[Problem] = []
    columns = _columns(rows, words, problems)
    if problems:
        raise AnswerImportError(problems)
    taken = {fold(r.name) for r in assessment.respondents}
    people: dict[str, Person] = {}
    given: list[_Given] = []
    for number, row in enumerate(rows[1:], start=HEADER + 1):
        cells = {key: _cell(row, index) for key, index in columns.items()}
        entry = _row(definitions, number, cells, words, people, taken, problems)
        if entry is not None:
            given.append(entry)
    _answers(_sized(session, assessment, definitions, people, given), people, given, problems)
    if not problems and not any(p.answer_count for p in people.values()):
        problems.append(Problem(WHOLE_FILE, None, NO_ANSWERS))
    if problems:
        raise AnswerImportError(problems)
    return list(people.values())


def _columns(rows: Sequence[Sequence[object]], words: Vocabulary, problems: list[Problem]) -> dict[str, int]:
    """Where each known column is, by key; problems for unknown, unnamed, repeated and missing ones."""
    found: dict[str, int] = {}
    header = rows[0] if rows else ()
    for index in range(max((len(row) for row in rows), default=0)):  # a value past the header's end too
        title = _cell(header, index)
        if _blank(title):
            if any(not _blank(_cell(row, index)) for row in rows[1:]):
                problems.append(Problem(HEADER, None, UNNAMED_COLUMN, {"number": index + 1}))
            continue
        key = words.columns.get(fold(title))
        if key is None:
            problems.append(Problem(HEADER, str(title).strip(), UNKNOWN_COLUMN))
        elif key in found:
            problems.append(Problem(HEADER, key, REPEATED_COLUMN))
        else:
            found[key] = index
    problems += [Problem(HEADER, key, MISSING_COLUMN) for key in REQUIRED if key not in found]
    return found


def _row(
    definitions: Definitions,
    number: int,
    cells: Mapping[str, object],
    words: Vocabulary,
    people: dict[str, Person],
    taken: set[str],
    problems: list[Problem],
) -> _Given | None:
    """Who a row names and what it answers; None for a row that answers nothing."""
    name = words.clean(_text(cells.get("respondent_name")))
    answered = not _blank(cells.get("answer"))
    if not name:
        if answered:
            problems.append(Problem(number, "respondent_name", NAME_MISSING))
        return None
    person = _person(number, name, cells, words, people, taken, problems)
    if not answered:
        return None
    area = next(
        (a for a in definitions.questionnaires if a.id == words.areas.get(fold(_text(cells.get("area"))))), None
    )
    if area is None:
        problems.append(Problem(number, "area", UNKNOWN_AREA))
        return None
    question_id = _text(cells.get("question_id")).strip()
    question = next((q for q in area.questions if q.id == question_id), None)
    if question is None:
        problems.append(Problem(number, "question_id", UNKNOWN_QUESTION))
        return None
    return _Given(number, fold(person.name), question, area, _raw(question, cells["answer"]))


def _person(
    number: int,
    name: str,
    cells: Mapping[str, object],
    words: Vocabulary,
    people: dict[str, Person],
    taken: set[str],
    problems: list[Problem],
) -> Person:
    """The respondent a row names: new at their first row, held to the same role and address after it."""
    role = words.roles.get(fold(_text(cells.get("respondent_role"))))
    email = _text(cells.get("respondent_email")).strip() or None
    if role is None:
        problems.append(Problem(number, "respondent_role", UNKNOWN_ROLE))
    if email is not None and not _valid_email(email):
        problems.append(Problem(number, "respondent_email", BAD_EMAIL))
    known = people.get(fold(name))
    if known is None:
        if not any(unicodedata.category(c)[0] in "LN" for c in name):
            problems.append(Problem(number, "respondent_name", NAME_UNREADABLE))
        elif len(name) > NAME_LENGTH:
            problems.append(Problem(number, "respondent_name", TEXT_TOO_LONG, {"max": NAME_LENGTH}))
        elif fold(name) in taken:
            problems.append(Problem(number, "respondent_name", NAME_TAKEN, {"name": name}))
        known = people[fold(name)] = Person(name, role, email, number)
        return known
    if role is not None and known.role is not None and role != known.role:
        problems.append(Problem(number, "respondent_role", OTHER_ROLE, {"name": known.name, "row": known.row}))
    if email is not None and known.email is not None and fold(email) != fold(known.email):
        problems.append(Problem(number, "respondent_email", OTHER_EMAIL, {"name": known.name, "row": known.row}))
    known.email = known.email or email
    return known


def _valid_email(email: str) -> bool:
    from email_validator import EmailNotValidError, validate_email  # on first use, like openpyxl's

    if len(email) > EMAIL_LENGTH:
        return False
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _sized(
    session: Session,
    assessment: Assessment,
    definitions: Definitions,
    people: Mapping[str, Person],
    given: list[_Given],
) -> Definitions:
    """The definitions at the project's size, as its respondents' answers and the file's set it
    (the planned months are their median answer), read leniently: a bad value is reported later."""
    stored = answers_of(session, [r.id for r in assessment.respondents])
    everyone = [RespondentAnswers(r.name, role_of(r), stored[r.id]) for r in assessment.respondents]
    area, question_id = definitions.policy.economics.duration_question
    for entry in given:
        if entry.area.id == area and entry.question.id == question_id:
            try:
                value = entry.question.kind.read(entry.question, entry.raw)
            except ValueError:
                continue
            if value is not None:
                everyone.append(
                    RespondentAnswers(entry.person, people[entry.person].role, {area: {question_id: value}})
                )
    return sized(definitions, everyone, project_of(assessment))


def _answers(
    definitions: Definitions, people: Mapping[str, Person], given: list[_Given], problems: list[Problem]
) -> None:
    """Each person's answers, area by area; a question answered twice by one person is refused."""
    seen: dict[tuple[str, str, str], int] = {}
    grouped: dict[tuple[str, str], list[_Given]] = {}
    for entry in given:
        key = (entry.person, entry.area.id, entry.question.id)
        if key in seen:
            params = {"name": people[entry.person].name, "row": seen[key]}
            problems.append(Problem(entry.row, "question_id", ANSWERED_TWICE, params))
            continue
        seen[key] = entry.row
        grouped.setdefault((entry.person, entry.area.id), []).append(entry)
    for (person_key, area_id), entries in grouped.items():
        person = people[person_key]
        if person.role is not None:  # else its role is reported, and what it is asked cannot be told
            _area_answers(definitions.area(area_id), person, person.role, entries, problems)


def _area_answers(
    area: Questionnaire, person: Person, role: Role, entries: list[_Given], problems: list[Problem]
) -> None:
    """One person's answers in one area, read as the web form reads a page of it: each by its type,
    asked of their role at the project's size, and shown after their other answers."""
    asked = {q.id for q in area.questions}
    rows = {e.question.id: e.row for e in entries if e.question.id in asked}
    problems += [Problem(e.row, "question_id", NOT_AT_THIS_SIZE) for e in entries if e.question.id not in asked]
    submission = read_submission(area, role, {}, {e.question.id: e.raw for e in entries if e.question.id in rows})
    shown = {q.id for q in submission.questions}
    for question_id, row in rows.items():
        if question_id in submission.refused:
            why = ROLE_NOT_ASKED if submission.refused[question_id] == NOT_ASKED else UNKNOWN_QUESTION
            problems.append(Problem(row, "question_id", why))
        elif question_id in submission.errors:
            error = submission.errors[question_id]
            problems.append(Problem(row, "answer", error.message, error.params))
        elif question_id not in shown:
            problems.append(Problem(row, "answer", FOLLOW_UP_HIDDEN))
    kept = {question_id: value for question_id, value in submission.changed.items() if value is not None}
    if kept:
        person.answers[area.id] = kept


def _cell(row: Sequence[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text: a number as it is typed (12, not 12.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


PICKS = re.compile(r"[\s,;،]+")
"""What separates the picks of a multiple choice: commas (Latin or Arabic), semicolons or spaces."""


def _raw(question: Question, value: object) -> Any:
    """A cell as the web form would send it: picks as a list, a number as it is, anything else as text."""
    widget = question.kind.widget
    if widget is Widget.MANY_OF:
        return [pick for pick in PICKS.split(_text(value)) if pick]
    if widget is Widget.NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _text(value) if widget is Widget.TEXT else _text(value).strip()


@dataclass(frozen=True)
class Imported:
    respondents: int
    answers: int


def store(session: Session, assessment: Assessment, people: Sequence[Person], actor: Actor) -> Imported:
    """Create the respondents (each with a private link, as if invited) and their answers, with the audit
    entries an invitation and the survey write, in one transaction: all of it is stored, or none."""
    for person in people:
        if person.role is None:
            raise ValueError(f"{person.name} has no role: store only what check_file returned")
        respondent = add_respondent(session, assessment, person.name, person.email, Role(person.role), actor)
        for area, given in person.answers.items():
            write_answers(session, respondent, area, given, actor)
    session.commit()
    return Imported(len(people), sum(person.answer_count for person in people))
