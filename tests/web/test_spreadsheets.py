"""Spreadsheet downloads: the workspace's assessments and an assessment's answers, estimates and decisions,
as CSV and XLSX read back, in the reader's language, with formulas defused; only inside the asker's workspace."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import gettext
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from assessment.web.labels import input_label
from tests.conftest import Member, add_member, add_workspace, csrf_token, sign_in
from tests.web.helpers import answer, create_assessment, decide, invite
from tests.web.test_report import assessment_with_everything

PERSIAN = {"Accept-Language": "fa"}
HYPERLINK = '=HYPERLINK("http://evil.example","x")'


def csv_rows(client: FlaskClient, url: str, **kwargs: object) -> list[list[str]]:
    response = client.get(url, **kwargs)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the byte order mark by which Excel reads UTF-8
    assert b"\r\n" in response.data  # RFC 4180's line ends
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def xlsx_sheet(client: FlaskClient, url: str, **kwargs: object) -> Worksheet:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data)).worksheets[0]


def values(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_assessment_list_downloads_with_its_columns_labels_numbers_and_days(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    decide(client, assessment)
    header = [
        "Organisation",
        "Planned CRM",
        "Started",
        "Answers given",
        "Questions asked",
        "Respondents finished",
        "Respondents invited",
        "Readiness",
        "Recommendation",
        "Decision",
        "Last activity",
    ]
    rows = csv_rows(client, "/assessments/export.csv")
    assert rows[0] == header and len(rows) == 2
    today = date.today().isoformat()
    organisation, product, started, answered, asked, finished, invited, readiness, *rest = rows[1]
    assert (organisation, product, started, answered, finished, invited) == (
        "Kaveh Foods",
        "Zoho CRM",
        today,
        "4",
        "0",
        "0",
    )
    assert int(asked) > 4 and 0 < float(readiness) <= 100
    assert rest == ["No-go", "Conditional go", today]
    sheet = xlsx_sheet(client, "/assessments/export.xlsx")
    [top, row] = values(sheet)
    assert top == header and row[0] == "Kaveh Foods"
    assert isinstance(row[2], datetime) and row[2].date() == date.today()
    assert row[3] == 4 and isinstance(row[7], float) and row[8:10] == ["No-go", "Conditional go"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and not sheet["A2"].font.b
    assert not sheet.sheet_view.rightToLeft
    assert 8 <= sheet.column_dimensions["A"].width <= 60


def test_a_persian_reader_gets_persian_headers_and_labels_a_right_to_left_sheet_and_numbers_as_numbers(
    app: Flask, client: FlaskClient
) -> None:
    assessment = assessment_with_everything(client)
    decide(client, assessment)
    with app.test_request_context(headers=PERSIAN):
        organisation, conditional, no_go = gettext("Organisation"), gettext("Conditional go"), gettext("No-go")
    assert organisation != "Organisation"
    rows = csv_rows(client, "/assessments/export.csv", headers=PERSIAN)
    assert rows[0][0] == organisation and rows[1][3] == "4" and rows[1][8:10] == [no_go, conditional]
    sheet = xlsx_sheet(client, "/assessments/export.xlsx", headers=PERSIAN)
    assert sheet.sheet_view.rightToLeft and sheet["A1"].value == organisation and sheet["D2"].value == 4


def test_formula_looking_text_is_defused_in_csv_and_stays_text_in_xlsx(client: FlaskClient) -> None:
    survey = create_assessment(client, organisation_name=HYPERLINK, crm_product="-2+3")
    assessment = survey.removesuffix("/answers")
    answer(client, f"{survey}/goals", {"goals_notes": "@SUM(A1:A9)"})
    rows = csv_rows(client, "/assessments/export.csv")
    assert rows[1][:2] == [f"'{HYPERLINK}", "'-2+3"]
    notes = csv_rows(client, f"{assessment}/export/answers.csv")[-1]
    assert notes[-1] == "'@SUM(A1:A9)"
    response = client.get("/assessments/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert (sheet["A2"].value, sheet["A2"].data_type) == (HYPERLINK, "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("-2+3", "s")
    with zipfile.ZipFile(io.BytesIO(response.data)) as packed:
        assert "<f>" not in packed.read("xl/worksheets/sheet1.xml").decode()
    answers = xlsx_sheet(client, f"{assessment}/export/answers.xlsx")
    assert answers.cell(answers.max_row, 5).value == "@SUM(A1:A9)"
    assert answers.cell(answers.max_row, 5).data_type == "s"


def test_answers_per_respondent_read_as_labels_with_numbers_as_numbers(client: FlaskClient) -> None:
    survey = create_assessment(client, organisation_name="Kaveh Foods")
    assessment = survey.removesuffix("/answers")
    answer(client, f"{survey}/strategy", {"executive_sponsor": "no"})
    answer(client, f"{survey}/scope", {"planned_duration_months": "9"})
    link = invite(client, survey, "Reza", "sponsor")
    answer(client, f"{link}/goals", {"business_goals_written": "strongly_agree", "measurable_kpis": "kpis_named"})
    answer(client, f"{link}/goals", {"tracked_kpis": ["lead_conversion", "sales_cycle"]})
    rows = csv_rows(client, f"{assessment}/export/answers.csv")
    assert rows[0] == ["Respondent", "Role", "Area", "Question", "Answer"]
    assert rows[1][:3] == ["Maryam", "Lead", "Strategy"] and rows[1][4] == "No"
    assert ["Maryam", "Lead", "Scope"] == rows[2][:3] and rows[2][4] == "9"
    reza = [row for row in rows if row[0] == "Reza"]
    assert {row[1] for row in reza} == {"Executive sponsor"} and reza[0][4] == "Strongly agree"
    assert reza[-1][4] == "Lead-conversion rate, Sales-cycle length"
    sheet = xlsx_sheet(client, f"{assessment}/export/answers.xlsx")
    assert sheet["E3"].value == 9 and sheet["E2"].value == "No"


def test_estimates_and_decisions_download_with_their_figures_and_labels(app: Flask, client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    decide(client, assessment)
    with app.test_request_context():
        implementation = input_label("costs.implementation")
    rows = csv_rows(client, f"{assessment}/export/estimates.csv")
    assert rows[0] == ["Scenario", "Costs or benefits", "Line", "Low", "Most likely", "High", "Currency"]
    assert ["Base case", "Costs", implementation, "60000.0", "90000.0", "150000.0", "USD"] in rows
    assert any(row[1] == "Benefits" and row[3:6] == ["3000.0", "5000.0", "8000.0"] for row in rows)
    sheet = xlsx_sheet(client, f"{assessment}/export/estimates.xlsx")
    found = next(row for row in values(sheet) if row[2] == implementation)
    assert found[3:] == [60000, 90000, 150000, "USD"]
    rows = csv_rows(client, f"{assessment}/export/decisions.csv")
    assert rows == [
        ["Decided on", "Decided by", "Decision", "Conditions and notes", "Recommendation at the time", "Recorded by"],
        [
            "2026-11-20",
            "Steering committee",
            "Conditional go",
            "Name a sponsor before kick-off",
            "No-go",
            "owner@example.com",
        ],
    ]
    sheet = xlsx_sheet(client, f"{assessment}/export/decisions.xlsx")
    assert sheet["A2"].value == datetime(2026, 11, 20) and sheet["A2"].number_format == "yyyy-mm-dd"


def test_a_download_is_an_attachment_named_after_the_organisation_and_an_unknown_format_is_not_found(
    client: FlaskClient,
) -> None:
    assessment = assessment_with_everything(client, "کاوه فودز")
    response = client.get(f"{assessment}/export/decisions.xlsx")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and "filename*=UTF-8''decisions-" in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    for url in ("/assessments/export.json", f"{assessment}/export/answers.pdf", f"{assessment}/import/template.ods"):
        assert client.get(url).status_code == 404, url


def test_the_overview_and_the_list_link_their_downloads(client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    overview = client.get(assessment).get_data(as_text=True)
    for kind in ("answers", "estimates", "decisions"):
        for fmt in ("csv", "xlsx"):
            assert f'href="{assessment}/export/{kind}.{fmt}"' in overview
    assert f'href="{assessment}/import"' in overview
    listing = client.get("/?sort=organisation").get_data(as_text=True)
    assert 'href="/assessments/export.csv?sort=organisation"' in listing
    assert 'href="/assessments/export.xlsx?sort=organisation"' in listing


def test_a_viewer_exports_the_leads_answers_only_and_may_not_import(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    survey = create_assessment(client)
    assessment = survey.removesuffix("/answers")
    answer(client, f"{survey}/strategy", {"executive_sponsor": "no"})
    link = invite(client, survey, "Reza", "sponsor")
    answer(client, f"{link}/goals", {"business_goals_written": "agree"})
    viewer = sign_in(app.test_client(), add_member(app, owner, "viewer@example.com", "viewer"))
    names = {row[0] for row in csv_rows(viewer, f"{assessment}/export/answers.csv")[1:]}
    assert names == {"Maryam"}
    assert {row[0] for row in csv_rows(client, f"{assessment}/export/answers.csv")[1:]} == {"Maryam", "Reza"}
    for kind in ("estimates", "decisions"):
        assert viewer.get(f"{assessment}/export/{kind}.xlsx").status_code == 200
    assert viewer.get("/assessments/export.csv").status_code == 200
    overview = viewer.get(assessment).get_data(as_text=True)
    assert f"{assessment}/import" not in overview
    for url in (f"{assessment}/import", f"{assessment}/import/template.csv", f"{assessment}/import/template.xlsx"):
        assert viewer.get(url).status_code == 403, url
    refused = viewer.post(f"{assessment}/import", data={"csrf_token": csrf_token(viewer, assessment)})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/export/answers.csv",
        "/export/answers.xlsx",
        "/export/estimates.csv",
        "/export/decisions.xlsx",
        "/import",
        "/import/template.csv",
        "/import/template.xlsx",
    ],
)
def test_another_workspaces_assessment_is_not_found(app: Flask, client: FlaskClient, path: str) -> None:
    assessment = assessment_with_everything(client, "Secret Prospect")
    stranger = sign_in(app.test_client(), add_workspace(app, "Rival", "rival@example.com", "rival-password-1"))
    assert stranger.get(assessment + path).status_code == 404
    rows = csv_rows(stranger, "/assessments/export.csv")
    assert rows[1:] == []


def test_a_visitor_is_sent_to_sign_in(app: Flask, client: FlaskClient) -> None:
    assessment = create_assessment(client).removesuffix("/answers")
    visitor = app.test_client()
    for url in ("/assessments/export.csv", f"{assessment}/export/answers.xlsx", f"{assessment}/import"):
        response = visitor.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
