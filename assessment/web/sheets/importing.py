"""The answers template a person fills in offline, and what the upload needs: its form, the words a
file may use (in any language offered), and its problems in the reader's words.

The template holds one row per question for one respondent of each role, in the order and with the
questions of that role's paper questionnaire (`web/paper/`); a person copies a role's rows for each
further respondent. Answers are option ids, which the last column lists with their labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired

from assessment.engine.numbers import plain_number
from assessment.engine.question_types import NOT_A_NUMBER, NOT_AN_OPTION, Widget
from assessment.engine.questionnaire import Definitions
from assessment.services import answers as answering
from assessment.services.answer_import import COLUMNS, Problem, Vocabulary, fold
from assessment.services.definitions import pinned
from assessment.storage.database import session
from assessment.storage.models import Assessment
from assessment.web.fields import clean_text
from assessment.web.i18n import format_number, translate
from assessment.web.labels import AREAS, ROLES
from assessment.web.paper.views import PaperQuestion, paper_areas
from assessment.web.sheets.reading import MAX_BYTES
from assessment.web.spreadsheets import Cell, csv_bytes, workbook, xlsx_bytes

HEADERS = {
    "respondent_name": _l("Respondent"),
    "respondent_role": _l("Role"),
    "respondent_email": _l("E-mail (optional)"),
    "area": _l("Area"),
    "question_id": _l("Question id"),
    "question": _l("Question"),
    "answer": _l("Answer"),
    "allowed_answers": _l("Allowed answers"),
}
"""Each column's heading, in the order of COLUMNS."""
ANSWER = COLUMNS.index("answer")
LIST_LIMIT = 255
"""The longest list of choices a data-validation list may hold in its formula."""


class ImportForm(FlaskForm):
    answers = FileField(
        _l("Filled-in template"),
        description=_l("The CSV or XLSX template of this assessment, with names and answers filled in."),
        validators=[
            FileRequired(_l("Choose the filled-in template.")),
            FileAllowed(["csv", "xlsx"], _l("Upload a CSV or XLSX file.")),
        ],
    )


def max_size() -> str:
    return format_number(MAX_BYTES // (1024 * 1024))


def _definitions(assessment: Assessment) -> Definitions:
    """The pinned definitions at the project's size, as the paper questionnaires and the walk-through ask them."""
    db = session()
    everyone = answering.answers_of(db, [r.id for r in assessment.respondents])
    return answering.sized_for(pinned(db, assessment.definitions_digest), assessment, everyone)


@dataclass(frozen=True)
class TemplateRow:
    cells: list[Cell]
    question: PaperQuestion


def template(assessment: Assessment) -> tuple[list[str], list[TemplateRow]]:
    """The header and, for each role, a row per question of its paper questionnaire, to fill in."""
    definitions, rows = _definitions(assessment), []
    for role, label in ROLES.items():
        for area in paper_areas(definitions, role):
            title = translate(area.questionnaire.title)
            for printed in area.questions:
                text = f"{format_number(printed.number)}. {translate(printed.question.text)} {printed.asked_if}"
                cells: list[Cell] = ["", str(label), "", title, printed.question.id, text.strip(), "", allowed(printed)]
                rows.append(TemplateRow(cells, printed))
    return [str(HEADERS[key]) for key in COLUMNS], rows


def allowed(printed: PaperQuestion) -> str:
    """What the answer cell may hold, in words."""
    question = printed.question
    options = [*printed.options, *([("not_applicable", printed.not_applicable)] if printed.not_applicable else [])]
    listed = "; ".join(f"{option_id} = {label}" for option_id, label in options)
    widget = question.kind.widget
    if widget is Widget.ONE_OF:
        return _("One of: %(options)s", options=listed)
    if widget is Widget.MANY_OF:
        return _("One or more, separated by commas: %(options)s", options=listed)
    if widget is Widget.TEXT:
        return _("Any text of at most %(max)s characters", max=format_number(question.max_length))
    low, high = (None if n is None else plain_number(n) for n in (question.minimum, question.maximum))
    unit = translate(question.unit)
    if low is not None and high is not None:
        words = _("A number from %(minimum)s to %(maximum)s", minimum=low, maximum=high)
    elif low is not None:
        words = _("A number of at least %(minimum)s", minimum=low)
    elif high is not None:
        words = _("A number of at most %(maximum)s", maximum=high)
    else:
        words = _("A number")
    return f"{words} ({unit})" if unit else words


def template_csv(header: list[str], rows: list[TemplateRow]) -> bytes:
    return csv_bytes(header, [row.cells for row in rows])


def template_workbook(header: list[str], rows: list[TemplateRow]) -> bytes:
    """The template as XLSX, with drop-down lists of the roles and each question's answers, and
    number answers held to their bounds, where the spreadsheet can check them."""
    from openpyxl.utils import get_column_letter  # on first use: see web/spreadsheets.py
    from openpyxl.worksheet.datavalidation import DataValidation

    book = workbook(header, [row.cells for row in rows])
    sheet = book.worksheets[0]
    column = get_column_letter(ANSWER + 1)
    checks: dict[tuple[str, str | None, str | None], DataValidation] = {}

    def check(kind: str, first: str, second: str | None = None, operator: str | None = None) -> DataValidation:
        key = (kind, first, second)
        if key not in checks:
            message = _(NOT_AN_OPTION) if kind == "list" else _(NOT_A_NUMBER)
            checks[key] = DataValidation(
                type=kind,
                operator=operator,
                formula1=first,
                formula2=second,
                allow_blank=True,
                showErrorMessage=True,
                error=message,
            )
        return checks[key]

    roles = [str(label) for label in ROLES.values()]
    role_list = _list(roles)
    if role_list is not None and rows:
        role_column = get_column_letter(COLUMNS.index("respondent_role") + 1)
        check("list", role_list).add(f"{role_column}2:{role_column}{len(rows) + 1}")
    for number, row in enumerate(rows, start=2):
        question = row.question.question
        widget = question.kind.widget
        if widget is Widget.ONE_OF:
            options = [option_id for option_id, _label in row.question.options]
            choices = _list([*options, *(["not_applicable"] if row.question.not_applicable else [])])
            if choices is not None:
                check("list", choices).add(f"{column}{number}")
        elif widget is Widget.NUMBER and question.minimum is not None and question.maximum is not None:
            low, high = plain_number(question.minimum), plain_number(question.maximum)
            check("decimal", low, high, "between").add(f"{column}{number}")
    for validation in checks.values():
        sheet.data_validations.append(validation)
    return xlsx_bytes(book)


def _list(choices: list[str]) -> str | None:
    """A data-validation list's formula; None when a choice holds a comma or a quote, or it is too long."""
    if any("," in choice or '"' in choice for choice in choices):
        return None
    joined = ",".join(choices)
    return f'"{joined}"' if len(joined) <= LIST_LIMIT else None


def vocabulary(definitions: Definitions) -> Vocabulary:
    """Each column, role and area by its id and by its label in every language the app offers."""
    columns = {fold(key): key for key in COLUMNS}
    roles = {fold(role.value): role for role in ROLES}
    areas = {fold(area.id): area.id for area in definitions.questionnaires}
    for area in definitions.questionnaires:
        areas.update({fold(title): area.id for title in area.title.translations.values()})
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            columns.update({fold(label): key for key, label in HEADERS.items()})
            roles.update({fold(label): role for role, label in ROLES.items()})
            areas.update({fold(label): area for area, label in AREAS.items() if fold(area) in areas})
    return Vocabulary(columns, roles, areas, lambda text: clean_text(text) or "")


@dataclass(frozen=True)
class ProblemText:
    row: str
    column: str
    message: str


def problem_texts(problems: list[Problem]) -> list[ProblemText]:
    """Each problem in the reader's words: its row, its column's heading, and what is wrong."""
    roles = format_list([str(label) for label in ROLES.values()], "or", locale=get_locale())
    areas = format_list([str(label) for label in AREAS.values()], "or", locale=get_locale())
    found = []
    for problem in problems:
        params = {
            key: format_number(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
            for key, value in problem.params.items()
        }
        column = str(HEADERS[problem.column]) if problem.column in HEADERS else (problem.column or "–")
        found.append(
            ProblemText(
                format_number(problem.row) if problem.row else "–",
                column,
                _(problem.message, **{"roles": roles, "areas": areas, **params}),
            )
        )
    return found
