"""Answers collected offline: the template downloaded, filled in and uploaded over HTTP as CSV or XLSX;
every bad row refused with its row and column, and nothing stored unless the whole file is right."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from assessment.engine.questionnaire import Role
from assessment.services import answer_import, audit
from assessment.storage.database import session
from assessment.storage.models import Answer, AuditEntry, Respondent
from tests.conftest import csrf_token
from tests.services.conftest import ANALYST, Setting
from tests.web.helpers import create_assessment

HEADER = ["Respondent", "Role", "E-mail (optional)", "Area", "Question id", "Question", "Answer", "Allowed answers"]
NAME, ROLE, EMAIL, AREA, QUESTION, TEXT, ANSWER, ALLOWED = range(8)
SPONSOR = "Executive sponsor"
REZA = {
    "business_goals_written": "agree",
    "measurable_kpis": "kpis_named",
    "tracked_kpis": "lead_conversion, sales_cycle",
    "executive_sponsor": "yes",
    "planned_duration_months": "9",
}

Rows = list[list[str]]


@pytest.fixture
def assessment(client: FlaskClient) -> str:
    """A small project (5 users), which is not asked what only medium and larger ones are, until its
    answers plan more than three months."""
    return create_assessment(client, organisation_name="Kaveh Foods", crm_users="5").removesuffix("/answers")


def template(client: FlaskClient, assessment: str, **kwargs: object) -> Rows:
    response = client.get(f"{assessment}/import/template.csv", **kwargs)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def fill(rows: Rows, role: str, name: str, answers: dict[str, str], email: str = "") -> Rows:
    """The template with `name` written on each row of `role` whose question `answers` gives, and the answer."""
    for row in rows[1:]:
        if row[ROLE] == role and row[QUESTION] in answers:
            row[NAME], row[EMAIL], row[ANSWER] = name, email, answers[row[QUESTION]]
    return rows


def as_csv(rows: Rows, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def upload(client: FlaskClient, assessment: str, content: bytes, filename: str = "answers.csv") -> TestResponse:
    return client.post(
        f"{assessment}/import",
        data={"answers": (io.BytesIO(content), filename), "csrf_token": csrf_token(client, f"{assessment}/import")},
        content_type="multipart/form-data",
    )


def problems(response: TestResponse) -> list[tuple[str, str, str]]:
    """The page's problems: row, column and message."""
    page = response.get_data(as_text=True)
    found = re.findall(r'<tr><td class="num">([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', page)
    return [tuple(html.unescape(cell) for cell in row) for row in found]


def stored(app: Flask) -> tuple[int, int, int]:
    """Respondents, answers and audit entries in the database."""
    with app.app_context():
        db = session()
        return tuple(db.scalar(select(func.count()).select_from(kind)) for kind in (Respondent, Answer, AuditEntry))


def row_of(rows: Rows, role: str, question: str) -> int:
    """The sheet's row number (the header is 1) of a role's question."""
    return next(i for i, row in enumerate(rows, start=1) if row[ROLE] == role and row[QUESTION] == question)


def test_the_template_holds_each_roles_questions_at_the_projects_size_with_their_allowed_answers(
    client: FlaskClient, assessment: str
) -> None:
    rows = template(client, assessment)
    assert rows[0] == HEADER
    sponsor = [row for row in rows[1:] if row[ROLE] == SPONSOR]
    asked = [row[QUESTION] for row in sponsor]
    assert "business_goals_written" in asked and "phased_rollout" not in asked  # IT and project managers only
    assert "crm_strategy_written" not in asked  # asked of medium projects and larger; this one has 5 users
    assert {row[NAME] for row in rows[1:]} == {""} and {row[ANSWER] for row in rows[1:]} == {""}
    goals = next(row for row in sponsor if row[QUESTION] == "business_goals_written")
    assert goals[AREA] == "Goals" and goals[TEXT].startswith("1. ")
    assert "agree = Agree" in goals[ALLOWED] and goals[ALLOWED].startswith("One of: ")
    months = next(row for row in sponsor if row[QUESTION] == "planned_duration_months")
    assert months[ALLOWED].startswith("A number from 1 to 120")
    kpis = next(row for row in sponsor if row[QUESTION] == "tracked_kpis")
    assert kpis[ALLOWED].startswith("One or more, separated by commas: lead_conversion = Lead-conversion rate")
    assert "Answer only if" in kpis[TEXT]
    assert {row[ROLE] for row in rows[1:]} == {SPONSOR, "Project manager", "IT", "Sales or service lead", "End user"}


def test_a_filled_in_csv_template_imports_respondents_and_answers_that_show_in_the_overview(
    app: Flask, client: FlaskClient, assessment: str
) -> None:
    rows = fill(template(client, assessment), SPONSOR, "Reza", REZA, "reza@example.com")
    rows = fill(rows, "End user", "Neda", {"goals_serve_users": "strongly_agree"})
    before = stored(app)
    response = upload(client, assessment, as_csv(rows))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{assessment}#respondents")
    overview = client.get(assessment).get_data(as_text=True)
    assert "Imported 2 respondents with 6 answers." in overview
    reza = overview[overview.index(">Reza<") :]
    assert re.search(r"5 of \d+", reza) and "/r/" in reza  # their answers, and a private link to change them
    respondents, answers, entries = stored(app)
    assert (respondents, answers) == (before[0] + 2, before[1] + 6)
    assert entries == before[2] + 2 + 6  # an invitation and an answer's change each, as the survey writes
    exported = list(csv.reader(io.StringIO(client.get(f"{assessment}/export/answers.csv").data.decode("utf-8-sig"))))
    assert ["Reza", SPONSOR, "Goals"] == exported[1][:3]
    assert any(row[0] == "Reza" and row[4] == "Lead-conversion rate, Sales-cycle length" for row in exported)
    assert any(row[0] == "Neda" and row[4] == "Strongly agree" for row in exported)


def test_a_filled_in_xlsx_template_imports_with_numbers_typed_as_numbers(
    app: Flask, client: FlaskClient, assessment: str
) -> None:
    response = client.get(f"{assessment}/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER and sheet["A1"].font.b and sheet.freeze_panes == "A2"
    lists = {v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert '"strongly_disagree,disagree,neutral,agree,strongly_agree"' in lists
    assert '"Executive sponsor,Project manager,IT,Sales or service lead,End user"' in lists
    assert any(
        v.type == "decimal" and (v.formula1, v.formula2) == ("1", "120") for v in sheet.data_validations.dataValidation
    )
    for row in sheet.iter_rows(min_row=2):
        if row[ROLE].value == SPONSOR and row[QUESTION].value in REZA:
            row[NAME].value = "Reza"
            row[ANSWER].value = 9 if row[QUESTION].value == "planned_duration_months" else REZA[row[QUESTION].value]
    filled = io.BytesIO()
    book.save(filled)
    before = stored(app)
    response = upload(client, assessment, filled.getvalue(), "answers.xlsx")
    assert response.status_code == 302, problems(response)
    assert stored(app)[:2] == (before[0] + 1, before[1] + 5)


def test_a_question_of_larger_projects_is_asked_once_the_files_own_answers_make_the_project_larger(
    app: Flask, client: FlaskClient, assessment: str
) -> None:
    rows = fill(template(client, assessment), SPONSOR, "Reza", REZA)  # planning nine months: a medium project
    rows.append(["Reza", SPONSOR, "", "Strategy", "crm_strategy_written", "", "agree", ""])
    before = stored(app)
    response = upload(client, assessment, as_csv(rows))
    assert response.status_code == 302, problems(response)
    assert stored(app)[1] == before[1] + 6


def test_a_template_in_persian_imports_for_a_reader_in_english(
    app: Flask, client: FlaskClient, assessment: str
) -> None:
    persian = template(client, assessment, headers={"Accept-Language": "fa"})
    assert persian[0] != HEADER
    english = template(client, assessment)
    sponsor = english[row_of(english, SPONSOR, "business_goals_written") - 1]
    persian_sponsor = persian[row_of(english, SPONSOR, "business_goals_written") - 1]
    assert persian_sponsor[ROLE] != sponsor[ROLE] and persian_sponsor[AREA] != sponsor[AREA]
    persian_sponsor[NAME], persian_sponsor[ANSWER] = "رضا", "agree"
    before = stored(app)
    response = upload(client, assessment, as_csv(persian, delimiter=";"))
    assert response.status_code == 302, problems(response)
    assert stored(app)[1] == before[1] + 1


Case = Callable[[Rows], tuple[str, str, str]]


def renamed_column(rows: Rows) -> tuple[str, str, str]:
    rows[0][ANSWER] = "Reply"
    return "1", "Reply", "This column is not one of the template's: remove it or give it the template's name."


def missing_column(rows: Rows) -> tuple[str, str, str]:
    for row in rows:
        del row[AREA]
    return "1", "Area", "This column is missing: the first row must name it as the template does."


def repeated_column(rows: Rows) -> tuple[str, str, str]:
    rows[0][ALLOWED] = "answer"
    return "1", "Answer", "This column appears twice in the first row."


def unnamed_column(rows: Rows) -> tuple[str, str, str]:
    rows[0][ALLOWED] = ""
    return "1", "–", "Column 8 holds values but has no name in the first row."


def unknown_area(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "business_goals_written")
    rows[row - 1][AREA] = "Finance"
    return str(row), "Area", "This is not an area: write one of Goals, Strategy, Scope, Adoption, or Process design."


def unknown_question(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "business_goals_written")
    rows[row - 1][QUESTION] = "business_goals_spoken"
    return str(row), "Question id", "There is no question with this id in this area: copy it from the template."


def wrong_option(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "business_goals_written")
    rows[row - 1][ANSWER] = "maybe"
    return str(row), "Answer", "Choose one of the options shown."


def wrong_pick(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "tracked_kpis")
    rows[row - 1][ANSWER] = "lead_conversion, astrology"
    return str(row), "Answer", "Choose one of the options shown."


def out_of_range(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "planned_duration_months")
    rows[row - 1][ANSWER] = "500"
    return str(row), "Answer", "Enter a number of at most 120."


def not_a_number(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "planned_duration_months")
    rows[row - 1][ANSWER] = "soon"
    return str(row), "Answer", "Enter a number, for example 12 or 7.5."


def unknown_role(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "business_goals_written")
    rows[row - 1][ROLE] = "Chief dreamer"
    roles = "Executive sponsor, Project manager, IT, Sales or service lead, or End user"
    return str(row), "Role", f"This is not a role: write one of {roles}."


def another_role(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, "IT", "executive_sponsor")
    rows[row - 1][NAME], rows[row - 1][ANSWER] = "Reza", "no"
    return (
        str(row),
        "Role",
        f"Reza has another role on row {row_of(rows, SPONSOR, 'business_goals_written')}: one person has one role.",
    )


def another_email(rows: Rows) -> tuple[str, str, str]:
    first, second = row_of(rows, SPONSOR, "business_goals_written"), row_of(rows, SPONSOR, "measurable_kpis")
    rows[first - 1][EMAIL], rows[second - 1][EMAIL] = "reza@example.com", "reza@example.org"
    return str(second), "E-mail (optional)", f"Reza has another e-mail address on row {first}."


def bad_email(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "business_goals_written")
    rows[row - 1][EMAIL] = "reza at example"
    return str(row), "E-mail (optional)", "Enter an e-mail address such as name@example.com."


def name_taken(rows: Rows) -> tuple[str, str, str]:
    for row in rows[1:]:
        row[NAME] = "maryam" if row[NAME] == "Reza" else row[NAME]
    row = row_of(rows, SPONSOR, "business_goals_written")
    return str(row), "Respondent", "maryam is already a respondent of this assessment: use another name."


def no_name(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "executive_sponsor")
    rows[row - 1][NAME] = ""
    return str(row), "Respondent", "Give the name of the respondent this answer is from."


def answered_twice(rows: Rows) -> tuple[str, str, str]:
    first = row_of(rows, SPONSOR, "business_goals_written")
    rows.append(list(rows[first - 1]))
    return (
        str(len(rows)),
        "Question id",
        f"Reza answers this question on row {first} already: keep one of the two rows.",
    )


def not_asked_of_the_role(rows: Rows) -> tuple[str, str, str]:
    it = rows[row_of(rows, "IT", "phased_rollout") - 1]
    rows.append(["Reza", SPONSOR, "", it[AREA], "phased_rollout", "", "agree", ""])
    return str(len(rows)), "Question id", "This question is not asked of this respondent's role."


def not_at_this_size(rows: Rows) -> tuple[str, str, str]:
    rows[row_of(rows, SPONSOR, "planned_duration_months") - 1][ANSWER] = "2"  # still a small project
    rows.append(["Reza", SPONSOR, "", "strategy", "crm_strategy_written", "", "agree", ""])
    return str(len(rows)), "Question id", "This question is not asked of a project of this size."


def hidden_follow_up(rows: Rows) -> tuple[str, str, str]:
    rows[row_of(rows, SPONSOR, "executive_sponsor") - 1][ANSWER] = "no"
    row = row_of(rows, SPONSOR, "sponsor_active_visible")
    rows[row - 1][NAME], rows[row - 1][ANSWER] = "Reza", "agree"
    return str(row), "Answer", "This question follows another answer that this respondent did not give: leave it empty."


def too_long(rows: Rows) -> tuple[str, str, str]:
    row = row_of(rows, SPONSOR, "goals_notes")
    rows[row - 1][NAME], rows[row - 1][ANSWER] = "Reza", "x" * 2001
    return str(row), "Answer", "Keep this to at most 2,000 characters."


def nothing_answered(rows: Rows) -> tuple[str, str, str]:
    for row in rows[1:]:
        row[NAME] = row[ANSWER] = ""
    return "–", "–", "The file holds no answers: fill in the template's answer column, then upload it."


CASES: list[Case] = [
    renamed_column,
    missing_column,
    repeated_column,
    unnamed_column,
    unknown_area,
    unknown_question,
    wrong_option,
    wrong_pick,
    out_of_range,
    not_a_number,
    unknown_role,
    another_role,
    another_email,
    bad_email,
    name_taken,
    no_name,
    answered_twice,
    not_asked_of_the_role,
    not_at_this_size,
    hidden_follow_up,
    too_long,
    nothing_answered,
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_stored(
    app: Flask, client: FlaskClient, assessment: str, case: Case
) -> None:
    rows = fill(template(client, assessment), SPONSOR, "Reza", REZA)
    expected = case(rows)
    before = stored(app)
    response = upload(client, assessment, as_csv(rows))
    assert response.status_code == 422
    assert expected in problems(response)
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert stored(app) == before


def test_every_problem_of_a_file_is_listed_in_row_order(app: Flask, client: FlaskClient, assessment: str) -> None:
    rows = fill(template(client, assessment), SPONSOR, "Reza", REZA)
    expected = sorted([out_of_range(rows), wrong_option(rows), no_name(rows)], key=lambda p: int(p[0]))
    response = upload(client, assessment, as_csv(rows))
    assert problems(response) == expected
    assert "the file has 3 problems" in response.get_data(as_text=True)


def xlsx_bomb() -> bytes:
    """A small zip whose one part unpacks to more than any template holds."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (41 * 1024 * 1024))
    return packed.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "answers.xlsx", "This file cannot be read as a spreadsheet"),
        (b"a,b\0c\r\n", "answers.csv", "This file cannot be read as a spreadsheet"),
        ("نام,نقش\r\n".encode("cp1256"), "answers.csv", "Save the CSV file as UTF-8"),
        (b"Respondent,Answer\r\n" + b"x,y\r\n" * 10_001, "answers.csv", "The sheet has more than 10,000 rows"),
        (b"x," * 51, "answers.csv", "The sheet has more than 50 columns"),
        (xlsx_bomb(), "answers.xlsx", "The file is larger than 1 MB"),
        (b"Respondent,Answer\r\n", "answers.txt", "Upload a CSV or XLSX file."),
    ],
    ids=["not-xlsx", "nul-in-csv", "not-utf8", "too-many-rows", "too-many-columns", "zip-bomb", "wrong-suffix"],
)
def test_a_file_that_is_no_readable_spreadsheet_gets_a_clear_message_and_stores_nothing(
    app: Flask, client: FlaskClient, assessment: str, content: bytes, filename: str, message: str
) -> None:
    before = stored(app)
    response = upload(client, assessment, content, filename)
    assert response.status_code == 422 and message in html.unescape(response.get_data(as_text=True))
    assert stored(app) == before


def test_an_upload_larger_than_a_request_may_be_is_refused(app: Flask, client: FlaskClient, assessment: str) -> None:
    before = stored(app)
    assert upload(client, assessment, b"x" * (1024 * 1024 + 1)).status_code == 413
    assert stored(app) == before


def test_the_upload_needs_its_csrf_token_and_a_file(client: FlaskClient, assessment: str) -> None:
    forged = client.post(f"{assessment}/import", data={"answers": (io.BytesIO(b"x"), "a.csv")})
    assert forged.status_code == 400
    empty = client.post(f"{assessment}/import", data={"csrf_token": csrf_token(client, f"{assessment}/import")})
    assert empty.status_code == 422 and "Choose the filled-in template." in empty.get_data(as_text=True)


def test_storing_is_one_transaction_that_a_failure_leaves_with_nothing_stored(
    setting: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [answer_import.Person("Neda", Role.SPONSOR, None, 2, {"goals": {"goals_dated": "yes"}})]
    before = session().scalar(select(func.count()).select_from(Respondent))

    def failing(*args: object, **kwargs: object) -> None:
        if args[3] == "answer.changed":
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        answer_import.store(session(), setting.assessment, people, ANALYST)
    session().rollback()
    assert session().scalar(select(func.count()).select_from(Respondent)) == before
