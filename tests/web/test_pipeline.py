"""The vendor's pipeline: every prospect's latest assessment with its stage, readiness, qualification and
percentile, filtered, sorted and paged from stored summaries; its JSON and the prospect form."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.services import summaries, webhooks
from assessment.services.audit import SYSTEM
from assessment.storage.database import session
from assessment.storage.models import AssessmentSummary, WebhookDelivery, Workspace
from tests.conftest import Member, add_workspace, csrf_token, sign_in
from tests.web.api_helpers import bearer, new_token
from tests.web.helpers import answer, create_assessment
from tests.web.lists import row_headers, statements
from tests.web.vendors import add_prospect


def names(page: str) -> list[str]:
    """The organisations a pipeline page lists, in order."""
    return [header.split("\n")[0].strip() for header in row_headers(page)]


def cells(page: str, name: str) -> str:
    start = page.index(f">{name}<")
    return page[start : page.index("</tr>", start)]


def test_the_pipeline_shows_each_prospects_stage_readiness_weakest_area_and_qualification(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_prospect(app, owner.workspace_id, "Arad Steel", 1.0)
    add_prospect(app, owner.workspace_id, "Bahar Retail", 0.0)
    create_assessment(client, organisation_name="Caspian Foods")
    page = client.get("/pipeline").get_data(as_text=True)
    arad, bahar, caspian = cells(page, "Arad Steel"), cells(page, "Bahar Retail"), cells(page, "Caspian Foods")
    assert "Scored" in arad and "Scored" in bahar and "Collecting answers" in caspian
    assert re.search(r'class="num">(9\d|100)<span class="hint">weakest: ', arad)
    assert "qualification-disqualify" in bahar and "Disqualify" in bahar
    assert "qualification-qualified" in arad or "qualification-nurture" in arad
    assert "no estimates yet" in caspian


def test_the_pipeline_filters_searches_and_sorts_by_readiness(app: Flask, client: FlaskClient, owner: Member) -> None:
    for name, quality in (("Arad Steel", 0.2), ("Bahar Retail", 1.0), ("Caspian Foods", 0.6)):
        add_prospect(app, owner.workspace_id, name, quality, industry="Food" if name == "Caspian Foods" else "Retail")
    create_assessment(client, organisation_name="Dena Oil")
    by_readiness = names(client.get("/pipeline?sort=-readiness").get_data(as_text=True))
    assert by_readiness[:3] == ["Bahar Retail", "Caspian Foods", "Arad Steel"]
    ascending = names(client.get("/pipeline?sort=readiness").get_data(as_text=True))
    assert ascending[0] == "Arad Steel" and ascending[-1] == "Dena Oil"  # no readiness: last either way
    scored = row_headers(client.get("/pipeline?stage=scored&sort=-readiness").get_data(as_text=True))
    assert len(scored) == 3
    assert len(row_headers(client.get("/pipeline?industry=Food").get_data(as_text=True))) == 1
    assert len(row_headers(client.get("/pipeline?q=bahar").get_data(as_text=True))) == 1
    assert "No prospect matches these filters." in client.get("/pipeline?q=%25_").get_data(as_text=True)


def test_a_page_of_the_pipeline_runs_as_many_statements_for_40_prospects_as_for_4(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    for number in range(4):
        add_prospect(app, owner.workspace_id, f"Prospect {number:02d}", number / 4)
    client.get("/pipeline")
    with statements(app) as at_4:
        assert client.get("/pipeline?sort=-readiness&stage=scored").status_code == 200
    for number in range(4, 40):
        add_prospect(app, owner.workspace_id, f"Prospect {number:02d}", (number % 5) / 4)
    with statements(app) as at_40:
        page = client.get("/pipeline?sort=-readiness&stage=scored&per_page=25").get_data(as_text=True)
    assert len(row_headers(page)) == 25
    assert len(at_40) == len(at_4), "\n".join(at_40)


def test_summaries_follow_the_answers_and_the_refresh_command_rebuilds_them(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    survey = create_assessment(client, organisation_name="Arad Steel")
    before = cells(client.get("/pipeline").get_data(as_text=True), "Arad Steel")
    answer(client, f"{survey}/goals", {"business_goals_written": "strongly_agree"})
    after = cells(client.get("/pipeline").get_data(as_text=True), "Arad Steel")
    assert before != after and re.search(r'class="num">\d+<span class="hint">weakest: ', after)
    with app.app_context():
        session().execute(AssessmentSummary.__table__.delete())
        session().commit()
    result = app.test_cli_runner().invoke(args=["summaries", "refresh"])
    assert result.exit_code == 0 and "1 assessment(s) summarised" in result.output
    with app.app_context():
        stored = session().scalars(select(AssessmentSummary)).one()
        assert stored.readiness is not None and stored.latest


def test_only_each_organisations_latest_assessment_is_in_the_pipeline(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_prospect(app, owner.workspace_id, "Arad Steel", 0.2)
    page = client.get("/organisations/").get_data(as_text=True)
    organisation = re.search(r'href="/organisations/([0-9a-f-]+)"', page).group(1)
    new = f"/organisations/{organisation}/assessments/new"
    details = {"crm_product": "Didar CRM", "deployment": "cloud", "crm_users": "40", "lead_name": "Maryam"}
    assert client.post(new, data=details | {"csrf_token": csrf_token(client, new)}).status_code == 302
    page = client.get("/pipeline").get_data(as_text=True)
    assert len(row_headers(page)) == 1 and "Collecting answers" in cells(page, "Arad Steel")


def test_percentiles_need_the_policys_minimum_of_peers(app: Flask, client: FlaskClient, owner: Member) -> None:
    for number in range(5):
        add_prospect(app, owner.workspace_id, f"Prospect {number:02d}", number / 10)
    page = client.get("/pipeline?q=Prospect 04").get_data(as_text=True)
    assert "4 peers, too few" in page
    for number in range(5, 12):
        add_prospect(app, owner.workspace_id, f"Prospect {number:02d}", 0.1)
    page = client.get("/pipeline?q=Prospect 04").get_data(as_text=True)
    # Prospect 04 (quality 0.4) is above all 11 others; Prospect 00 (0.0) below all of them.
    assert '>100<span class="hint">of 11 peers<' in cells(page, "Prospect 04")
    page = client.get("/pipeline?q=Prospect 00").get_data(as_text=True)
    assert '>0<span class="hint">of 11 peers<' in cells(page, "Prospect 00")


def test_the_prospect_form_sets_the_owner_and_the_deal_that_qualification_weighs(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_prospect(app, owner.workspace_id, "Arad Steel", 1.0)
    page = client.get("/organisations/").get_data(as_text=True)
    organisation = re.search(r'href="/organisations/([0-9a-f-]+)"', page).group(1)
    form = f"/organisations/{organisation}/prospect"
    bad = {"owner": "", "deal_value": "-5", "deal_currency": "usd", "csrf_token": csrf_token(client, form)}
    refused = client.post(form, data=bad)
    assert refused.status_code == 200 and "Enter a value from 0 up." in refused.get_data(as_text=True)
    owner_id = re.search(r'<option value="([0-9a-f-]{36})">', client.get(form).get_data(as_text=True)).group(1)
    data = {"owner": owner_id, "deal_value": "5000", "deal_currency": "USD", "csrf_token": csrf_token(client, form)}
    assert client.post(form, data=data).status_code == 302
    row = cells(client.get("/pipeline").get_data(as_text=True), "Arad Steel")
    assert "$5,000" in row and "Looked after by owner" in row and "Nurture" in row  # a deal below USD 15,000


def test_the_pipeline_json_gives_the_same_rows_with_reasons_in_words_and_no_other_workspaces(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_prospect(app, owner.workspace_id, "Arad Steel", 0.0)
    other = add_workspace(app, "Rival consultancy", "rival@example.com", "rival-password-1")
    add_prospect(app, other.workspace_id, "Rival's prospect", 1.0)
    token = new_token(client, "viewer")
    body = client.get("/api/v1/pipeline?sort=-readiness", headers=bearer(token)).get_json()
    assert body["total"] == 1 and body["sort"] == "-readiness"
    prospect = body["prospects"][0]
    assert prospect["organisation"]["name"] == "Arad Steel" and prospect["stage"] == "scored"
    assert prospect["qualification"]["class"] == "disqualify"
    assert any("below the 50" in reason for reason in prospect["qualification"]["reasons"])
    assert prospect["qualification"]["next_steps"] and prospect["weakest_area"]["name"]
    rival = sign_in(app.test_client(), other)
    assert "Arad Steel" not in rival.get("/pipeline").get_data(as_text=True)
    assert "Arad Steel" not in rival.get("/pipeline.csv").get_data(as_text=True)


def test_summaries_are_left_out_of_a_rolled_back_change(app: Flask, owner: Member) -> None:
    assessment_id = add_prospect(app, owner.workspace_id, "Arad Steel", 0.5)
    with app.app_context():
        before = session().get(AssessmentSummary, assessment_id).readiness
        summaries.refresh(session(), [assessment_id])
        session().rollback()
        assert session().get(AssessmentSummary, assessment_id).readiness == before


def test_an_assessment_becoming_scored_is_told_to_the_workspaces_webhooks_once(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    with app.app_context():
        workspace = session().get(Workspace, owner.workspace_id)
        webhooks.register(session(), workspace, "http://127.0.0.1:9/hook", ["assessment.scored"], SYSTEM, True)
    assessment_id = add_prospect(app, owner.workspace_id, "Arad Steel", 0.8)
    add_prospect(app, owner.workspace_id, "Bahar Retail", 0.8)
    with app.app_context():
        summaries.refresh(session(), [assessment_id])  # scored already: nothing new to tell
        session().commit()
        sent = session().scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at)).all()
    assert [d.event for d in sent] == ["assessment.scored", "assessment.scored"]
    assert {d.payload["organisation"] for d in sent} == {"Arad Steel", "Bahar Retail"}
    assert sent[0].payload["qualification"] in ("qualified", "nurture", "disqualify")


def test_the_pipeline_downloads_as_csv_and_xlsx_with_the_filters_applied(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_prospect(app, owner.workspace_id, "Arad Steel", 0.9)
    add_prospect(app, owner.workspace_id, "Bahar Retail", 0.1, industry="Food")
    rows = list(csv.reader(io.StringIO(client.get("/pipeline.csv?industry=Retail").get_data(as_text=True))))
    assert rows[0][:3] == ["\ufeffOrganisation", "Industry", "Stage"] and len(rows) == 2
    assert rows[1][:3] == ["Arad Steel", "Retail", "Scored"]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/pipeline.xlsx?sort=readiness").data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Bahar Retail", "Arad Steel"]
    readiness = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(value, float) for value in readiness) and readiness[0] < readiness[1]


def test_every_column_sorts_both_ways_with_empty_values_last(app: Flask, client: FlaskClient, owner: Member) -> None:
    add_prospect(app, owner.workspace_id, "Arad Steel", 0.1)
    add_prospect(app, owner.workspace_id, "Bahar Retail", 0.9)
    create_assessment(client, organisation_name="Caspian Foods")
    for column in ("organisation", "stage", "progress", "readiness", "percentile", "failure", "recommendation"):
        for sort in (column, f"-{column}"):
            page = client.get(f"/pipeline?sort={sort}").get_data(as_text=True)
            assert sorted(names(page)) == ["Arad Steel", "Bahar Retail", "Caspian Foods"], sort
    assert names(client.get("/pipeline?sort=-percentile").get_data(as_text=True))[-1] == "Caspian Foods"
    by_class = names(client.get("/pipeline?sort=qualification").get_data(as_text=True))
    assert by_class.index("Bahar Retail") < by_class.index("Arad Steel")  # nurture or better before disqualify
    for sort in ("qualification", "-qualification", "deal", "-deal", "activity", "-activity", "owner", "nonsense"):
        assert client.get(f"/pipeline?sort={sort}").status_code == 200


def test_refreshing_only_the_missing_summaries_leaves_the_others_alone(app: Flask, owner: Member) -> None:
    kept = add_prospect(app, owner.workspace_id, "Arad Steel", 0.5)
    lost = add_prospect(app, owner.workspace_id, "Bahar Retail", 0.5)
    with app.app_context():
        stamp = session().get(AssessmentSummary, kept).computed_at
        session().execute(AssessmentSummary.__table__.delete().where(AssessmentSummary.assessment_id == lost))
        session().commit()
    result = app.test_cli_runner().invoke(args=["summaries", "refresh", "--missing"])
    assert result.exit_code == 0 and "1 assessment(s) summarised" in result.output
    with app.app_context():
        assert session().get(AssessmentSummary, lost) is not None
        assert session().get(AssessmentSummary, kept).computed_at == stamp


def test_a_persian_reader_gets_the_pipeline_in_persian_with_persian_digits(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    add_prospect(app, owner.workspace_id, "پخش نوید", 1.0)
    persian = {"Accept-Language": "fa"}
    page = client.get("/pipeline", headers=persian).get_data(as_text=True)
    row = cells(page, "پخش نوید")
    assert 'dir="rtl"' in page and "قیف فروش" in page
    assert "امتیازدهی‌شده" in row and re.search(r'class="num">[۰-۹]+<span class="hint">ضعیف‌ترین: ', row)
    assert not re.search(r">[0-9]+<", row)  # no Latin digits in the figures
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/pipeline.xlsx", headers=persian).data)).active
    assert sheet.sheet_view.rightToLeft and sheet["A1"].value == "سازمان" and sheet["C2"].value == "امتیازدهی‌شده"
