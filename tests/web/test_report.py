"""The steering-committee report: the page, the PDF read back, the cache, and the decision record."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader

from assessment.demo import DEMO_LOGIN
from assessment.factory import create_app
from tests.conftest import QUESTIONNAIRES, Member, add_workspace, csrf_token, sign_in
from tests.web.helpers import ESTIMATES_FORM, answer, create_assessment, decide, invite

SECTIONS = [
    "Executive summary",
    "Readiness",
    "Risk register",
    "Economics",
    "Assumptions",
    "Appendix: every answer",
    "Decision record",
]
ESTIMATES = yaml.safe_load((QUESTIONNAIRES.parent / "docs" / "examples" / "estimates.yaml").read_text())


def assessment_with_everything(client: FlaskClient, organisation: str = "Kaveh Foods") -> str:
    survey = create_assessment(client, organisation_name=organisation)
    answer(client, f"{survey}/strategy", {"executive_sponsor": "no", "phased_rollout": "agree"})
    answer(client, f"{survey}/goals", {"business_goals_written": "agree", "goals_dated": "yes"})
    assessment = survey.removesuffix("/answers")
    form = ESTIMATES_FORM
    response = client.post(
        f"{assessment}/estimates", data=form | {"csrf_token": csrf_token(client, f"{assessment}/estimates")}
    )
    assert response.status_code == 302
    return assessment


def text_of(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def test_the_pdf_holds_the_decision_the_figures_every_section_and_numbered_pages(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    response = client.get(f"{assessment}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader, pages = text_of(response.data)
    document = client.get(f"{assessment}/report.json").get_json()
    first = " ".join(pages[0].replace("-\n", "-").split())
    assert "Kaveh Foods" in first and "Recommendation No-go" in first
    assert "What blocks a go" in first and "Knock-out: No executive sponsor" in first
    for figure in ("Overall readiness", "Failure probability", "Expected NPV, risk-adjusted"):
        assert figure in first, figure
    assert re.search(r"brochure -?\$[0-9]", first), "the brochure NPV beside the risk-adjusted one"
    assert "Chance of a positive return" in first and "Payback, risk-adjusted" in first
    assert "The path to go" in first and "Executive sponsor" in first and "kick-off − 2 weeks" in first
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
    contents = pages[1]
    for section in SECTIONS:
        assert section in contents
        assert any(page.lstrip().startswith(section) or f"\n{section}\n" in page for page in pages), section
    titles = [item.title for item in reader.outline if hasattr(item, "title")]
    assert set(SECTIONS) <= set(titles)
    readiness = round(document["readiness"]["readiness"])
    assert f"{readiness} / 100" in "\n".join(pages)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is installed by `make test`")
def test_no_page_is_blank_and_the_first_shows_the_decision(client: FlaskClient, tmp_path: Path) -> None:
    assessment = assessment_with_everything(client)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(f"{assessment}/report.pdf").data)
    subprocess.run([shutil.which("pdftoppm"), "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)  # noqa: S603
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(PdfReader(str(pdf)).pages)
    for path in images:
        with Image.open(path) as image:
            assert image.convert("L").getextrema()[0] < 128, f"{path.name} is blank"
    with Image.open(images[0]) as cover:
        red = sum(1 for r, g, b in cover.convert("RGB").get_flattened_data() if r > 150 and g < 80 and b < 80)
    assert red > 20  # the no-go badge


def test_an_unchanged_report_is_served_from_the_cache(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = assessment_with_everything(client)
    first = client.get(f"{assessment}/report.pdf").data
    renders = []
    from assessment.web.report import views as report_view

    monkeypatch.setattr(report_view, "render_pdf", lambda *args: renders.append(1) or b"%PDF-fresh")
    assert client.get(f"{assessment}/report.pdf").data == first and renders == []
    answer(client, f"{assessment}/answers/goals", {"goals_dated": "no"})
    assert client.get(f"{assessment}/report.pdf").data == b"%PDF-fresh" and renders == [1]


def test_hostile_text_is_escaped_and_rendering_fetches_nothing(client: FlaskClient) -> None:
    hostile = '<img src="file:///etc/passwd"><style>*{background:url(file:///etc/passwd)}</style>شرکت ' + "x" * 150
    assessment = assessment_with_everything(client, organisation=hostile[:200])
    page = client.get(f"{assessment}/report").get_data(as_text=True)
    assert '<img src="file:///etc/passwd">' not in page and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page
    _, pages = text_of(client.get(f"{assessment}/report.pdf").data)
    assert '<img src="file:///etc/passwd">' in pages[0].replace("\n", "")  # shown as text, not obeyed
    assert "root:" not in "\n".join(pages)


def test_a_recorded_decision_round_trips_and_a_later_change_shows(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    decide(client, assessment)
    document = client.get(f"{assessment}/report.json").get_json()
    [decision] = document["decisions"]
    assert (decision["outcome"], decision["decided_by"], decision["decided_on"]) == (
        "conditional_go",
        "Steering committee",
        "2026-11-20",
    )
    assert decision["basis"]["recommendation"] == "no_go"
    answer(client, f"{assessment}/answers/strategy", {"executive_sponsor": "yes"})
    page = client.get(f"{assessment}/report").get_data(as_text=True)
    assert "What changed since the last decision" in page
    _, pages = text_of(client.get(f"{assessment}/report.pdf").data)
    assert "Name a sponsor before kick-off" in " ".join(" ".join(pages).replace("-\n", "-").split())
    incomplete = client.post(
        f"{assessment}/decisions",
        data={
            "outcome": "go",
            "decided_by": "",
            "decided_on": "",
            "csrf_token": csrf_token(client, f"{assessment}/report"),
        },
    )
    assert incomplete.status_code == 422 and "Name who decided." in incomplete.get_data(as_text=True)


def test_the_figures_download_as_csv_and_formulas_never_run(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    form = {
        "scenario": '=HYPERLINK("http://evil")',
        "currency": "USD",
        "horizon_years": "3",
        "discount_rate": "10",
        "c-implementation-likely": "50000",
        "b-marketing-saving_per_month-likely": "4000",
    }
    client.post(f"{assessment}/estimates", data=form | {"csrf_token": csrf_token(client, f"{assessment}/estimates")})
    response = client.get(f"{assessment}/report.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "scenario", "figure", "value"]
    assert ["decision", "Base case", "recommendation", "no_go"] in rows
    assert any(row[1] == '\'=HYPERLINK("http://evil")' for row in rows)
    assert not any(row[1].startswith("=") for row in rows)


def test_a_scenario_name_and_free_text_answers_are_shown_as_text_in_the_pdf(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    note = '<script>alert(1)</script><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
    answer(client, f"{assessment}/answers/goals", {"goals_notes": note})
    page = client.get(f"{assessment}/report").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    _, pages = text_of(client.get(f"{assessment}/report.pdf").data)
    assert "<script>alert(1)</script>" in "".join(" ".join(pages).split())


BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def logical_text(pdf: bytes, tmp_path: Path) -> list[str]:
    """Each page's text in logical (reading) order (poppler's pdftotext applies the bidi algorithm),
    without spaces or joiners."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    pages = []
    for number in range(1, len(PdfReader(io.BytesIO(pdf)).pages) + 1):
        done = subprocess.run(  # noqa: S603 - poppler's pdftotext, fixed arguments
            [shutil.which("pdftotext"), "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        # pdftotext moves spaces at direction changes and splits words at ZWNJ: compare without either.
        pages.append("".join(done.stdout.translate(BIDI_CONTROLS).replace("\u200c", "").split()))
    return pages


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is installed by `make test`")
def test_a_persian_report_reads_in_persian_with_solar_hijri_dates_and_persian_page_numbers(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from persiantools.jdatetime import JalaliDate

    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "t", "LANGUAGES": ("en", "fa")})
    try:
        client = sign_in(app.test_client(), add_workspace(app, "دفتر پروژه", "fa@example.com", "long-password-1"))
        assessment = assessment_with_everything(client, organisation="شرکت نمونه")
        persian = {"Accept-Language": "fa"}
        assert '<html lang="fa" dir="rtl">' in client.get(f"{assessment}/report", headers=persian).get_data(
            as_text=True
        )
        pdf = client.get(f"{assessment}/report.pdf", headers=persian).data
        pages = logical_text(pdf, tmp_path)
        today = JalaliDate.today()
        digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
        assert "شرکتنمونه" in pages[0] and "توصیه" in pages[0]
        month = f"{str(today.day).translate(digits)}{today.strftime('%B', locale='fa')}"
        assert re.search(f"{month}.?{str(today.year).translate(digits)}", pages[0]), "the Solar Hijri date"
        total = str(len(pages)).translate(digits)
        for number, page in enumerate(pages[1:], start=2):
            assert f"صفحه{str(number).translate(digits)}از{total}" in page
        everything = "".join(pages)
        for heading in ("فهرست ریسکها", "تحلیل اقتصادی", "هزینهها به تفکیک قلم و سال", "پیوست: همه پاسخها"):
            assert heading.replace(" ", "") in everything, heading
        assert not re.search(r"Page|Riskregister|Economics|Brochure|Yearly", everything)
    finally:
        app.extensions["db_engine"].dispose()


def test_a_workspace_logo_is_on_the_cover(client: FlaskClient) -> None:
    logo = io.BytesIO()
    Image.new("RGB", (200, 60), (31, 78, 140)).save(logo, format="PNG")
    client.post(
        "/workspace/settings",
        data={
            "logo": (io.BytesIO(logo.getvalue()), "logo.png"),
            "csrf_token": csrf_token(client, "/workspace/settings"),
        },
        content_type="multipart/form-data",
    )
    assessment = assessment_with_everything(client)
    reader, _ = text_of(client.get(f"{assessment}/report.pdf").data)
    assert reader.pages[0].images, "the cover carries the logo"


INTERNAL_KEY = re.compile(r"\b(?:costs|benefits)\.[a-z_.]+|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def visible_text(page: str) -> str:
    """What a reader sees of a page: no tags, attributes, scripts or styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def tornado_table(page: str) -> str:
    start = page.index("What moves the result most")
    return page[start : page.index("</table>", start)]


def test_no_internal_key_appears_in_the_demo_report_its_pdf_or_its_economics(app: Flask) -> None:
    """The demo's estimates file invents ids the form does not offer (revenue_uplift): they read as words too."""
    seeded = app.test_cli_runner().invoke(args=["demo", "seed"])
    assessment = re.search(r"/assessments/[0-9a-f-]+", seeded.output).group(0)
    client = sign_in(app.test_client(), Member(*DEMO_LOGIN, uuid.uuid4()))
    texts = {
        "page": visible_text(client.get(f"{assessment}/report").get_data(as_text=True)),
        "economics": visible_text(tornado_table(client.get(f"{assessment}/economics").get_data(as_text=True))),
        "pdf": " ".join(text_of(client.get(f"{assessment}/report.pdf").data)[1]),
    }
    assert "payback, brochure: month" in texts["page"] and "payback, risk-adjusted: month" in texts["pdf"]
    for where, text in texts.items():
        assert "Revenue uplift: leads per month" in text, where
        assert not INTERNAL_KEY.findall(text), (where, sorted(set(INTERNAL_KEY.findall(text))))


def test_the_pdfs_economics_read_as_a_tei_study_by_line_and_year(app: Flask) -> None:
    seeded = app.test_cli_runner().invoke(args=["demo", "seed"])
    assessment = re.search(r"/assessments/[0-9a-f-]+", seeded.output).group(0)
    client = sign_in(app.test_client(), Member(*DEMO_LOGIN, uuid.uuid4()))
    figures = client.get(f"{assessment}/decision.json").get_json()
    text = " ".join(" ".join(text_of(client.get(f"{assessment}/report.pdf").data)[1]).split())
    for heading in ("Costs by line and year", "Benefits by line and year", "From the brochure to the risk-adjusted"):
        assert heading in text
    for words in ("Implementation and customisation", "Present value", "Total, risk-adjusted", "Total, brochure"):
        assert words in text
    for explained in ("Haircut for the confidence", "Share of the benefits realised", "Cost overrun", "Benefit delay"):
        assert explained in text
    assert "(USD; each line risk-adjusted" in text  # the unit once, in the title; bare amounts in the cells
    assert f" {round(figures['risk_adjusted']['pv_costs']):,}" in text
    assert f" {round(figures['brochure']['pv_benefits']):,}" in text


def test_an_input_the_catalogue_does_not_know_reads_as_words(app: Flask) -> None:
    from assessment.web.labels import input_label

    with app.test_request_context():
        assert input_label("costs.implementation") == "Implementation and customisation"
        assert input_label("costs.data_centre_move") == "Data centre move"
        assert input_label("benefits.time_saved.users") == "Time saved: users who save it"
        assert input_label("benefits.revenue_uplift.leads_per_month") == "Revenue uplift: leads per month"
        assert input_label("benefits.churn.fewer_calls") == "Churn: fewer calls"


def test_the_risk_register_rates_every_knock_out_high_and_names_owners_by_role(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    answer(client, f"{assessment}/answers/scope", {"scope_documented": "not_documented", "change_control": "no"})
    page = client.get(f"{assessment}/report").get_data(as_text=True)
    register = page[page.index('id="risks"') : page.index('id="economics"')]
    rows = re.findall(r'<tr class="risk-(\w+)"><th scope="row">(.*?)</tr>', register, flags=re.DOTALL)
    knock_outs = [impact for impact, row in rows if "Knock-out:" in row]
    assert knock_outs and set(knock_outs) == {"high"}
    assert "No executive sponsor with the authority to fund the project." in register
    owners = {visible_text(cells[-2]) for _, row in rows for cells in [re.findall(r"<td[^>]*>(.*?)</td>", row)]}
    assert len(owners) > 1 and "Executive sponsor" in owners, owners
    assert "kick-off − 4 weeks" in register or "kick-off − 2 weeks" in register
    risks = client.get(f"{assessment}/report.json").get_json()["risk_register"]
    assert {r["impact"] for r in risks if r["flag"] == "knock_out"} == {"high"}
    assert len({r["owner"] for r in risks}) > 1


def test_what_changed_names_flags_areas_and_answers(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    client.post(
        f"{assessment}/decisions",
        data={
            "outcome": "no_go",
            "decided_by": "Board",
            "decided_on": "2026-11-20",
            "csrf_token": csrf_token(client, f"{assessment}/report"),
        },
    )
    answer(client, f"{assessment}/answers/strategy", {"executive_sponsor": "yes"})
    answer(client, f"{assessment}/answers/goals", {"goals_notes": "Agreed at the board."})
    page = visible_text(client.get(f"{assessment}/report").get_data(as_text=True))
    changed = page[page.index("What changed since the last decision") :]
    assert "Gone: No executive sponsor with the authority to fund the project." in changed
    assert "Readiness: Strategy" in changed and "Answers given" in changed
    first = " ".join(text_of(client.get(f"{assessment}/report.pdf").data)[1][0].split())
    assert "Committee's decision, Nov 20, 2026" in first and "By Board" in first


def test_respondents_are_named_with_their_role_and_one_who_answered_nothing_has_no_column(
    client: FlaskClient,
) -> None:
    assessment = assessment_with_everything(client)
    link = invite(client, f"{assessment}/answers", "Reza Karimi", "sponsor")
    invite(client, f"{assessment}/answers", "Neda Silent", "end_user")
    answer(client, f"{link}/strategy", {"executive_sponsor": "yes"})
    page = client.get(f"{assessment}/report").get_data(as_text=True)
    appendix = visible_text(page[page.index('id="appendix"') : page.index('id="decision-record"')])
    assert "Reza Karimi (Executive sponsor)" in appendix and "(lead)" in appendix
    assert "Neda Silent" not in appendix and "The assessment" not in appendix


def test_the_charts_carry_axes_currency_payback_and_input_labels(client: FlaskClient) -> None:
    assessment = assessment_with_everything(client)
    page = client.get(f"{assessment}/report").get_data(as_text=True)
    economics = page[page.index('id="economics"') : page.index('id="assumptions"')]
    svgs = re.findall(r"<svg.*?</svg>", economics, flags=re.DOTALL)
    cash, tornado = svgs[0], svgs[-1]
    assert "Months from the start" in cash and re.search(r">-?\$[0-9,]+</text>", cash)
    assert "Implementation and customisation" in tornado and re.search(r">-?\$[0-9,]+</text>", tornado)
    assert "Risk-adjusted net present value" in svgs[1]
