"""A right-to-left language is a matter of configuration and translations, not of templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from assessment.factory import create_app
from tests.conftest import QUESTIONNAIRES, add_workspace, csrf_token, sign_in
from tests.web.helpers import DETAILS, answer, create_assessment

SPONSOR_EN = "Is there an executive sponsor with the authority to fund the project?"
SPONSOR_FA = "آیا پروژه حامی ارشدی دارد که اختیار تأمین بودجه آن را داشته باشد؟"


@pytest.fixture
def bilingual(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "t", "LANGUAGES": ("en", "fa")})
    yield sign_in(app.test_client(), add_workspace(app, "Pars", "sara@pars.example", "long-password-1"))
    app.extensions["db_engine"].dispose()


def test_a_persian_reader_gets_a_right_to_left_page_in_persian(bilingual: FlaskClient) -> None:
    survey = create_assessment(bilingual)
    answer(bilingual, f"{survey}/scope", {"planned_duration_months": "18"})
    persian = {"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"}
    page = bilingual.get(f"{survey}/strategy", headers=persian).get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page
    assert SPONSOR_FA in page and SPONSOR_EN not in page
    assert "<h1>استراتژی</h1>" in page
    assert "کاملاً موافقم" in page and "Strongly agree" not in page
    summary = bilingual.get(f"{survey}/summary", headers=persian).get_data(as_text=True)
    assert re.search(r"<dd>۱۸ ماه</dd>", summary)  # numbers in the reader's digits, units in their words
    assert 'data-progress-area="scope">۷' in summary  # 1 of 13, in Persian digits


def test_an_english_reader_of_the_same_assessment_gets_english_left_to_right(bilingual: FlaskClient) -> None:
    survey = create_assessment(bilingual)
    page = bilingual.get(f"{survey}/strategy", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert SPONSOR_EN in page and SPONSOR_FA not in page


@pytest.mark.parametrize(
    "sheet", sorted((QUESTIONNAIRES.parent / "static" / "css").glob("*.css")), ids=lambda p: p.name
)
def test_every_stylesheet_uses_logical_directions_only(sheet: Path) -> None:
    css = sheet.read_text(encoding="utf-8")
    assert not re.search(r"(margin|padding|border)-(left|right)|\b(left|right)\s*:|text-align:\s*(left|right)", css)


def test_digits_never_leak_from_one_readers_language_into_the_next(bilingual: FlaskClient) -> None:
    survey = create_assessment(bilingual)
    answer(bilingual, f"{survey}/goals", {"business_goals_written": "agree"})
    results = survey.removesuffix("/answers") + "/results"
    for _ in range(2):
        persian = bilingual.get(results, headers={"Accept-Language": "fa"}).get_data(as_text=True)
        english = bilingual.get(results, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "<small> / ۱۰۰</small>" in persian
        assert "<small> / 100</small>" in english and not re.search("[۰-۹]", english)


def test_a_persian_named_organisations_pdf_downloads_with_its_name(bilingual: FlaskClient) -> None:
    survey = create_assessment(bilingual, organisation_name="شرکت پارسیان")
    response = bilingual.get(survey.removesuffix("/answers") + "/report.pdf")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what a WSGI server accepts in a header
    assert "filename*=UTF-8''crm-gate-%D8%B4%D8%B1%DA%A9%D8%AA-%D9%BE%D8%A7%D8%B1%D8%B3%DB%8C%D8%A7%D9%86.pdf" in header


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e\u2066\u200f", "\u200c", "!!!"])
def test_a_name_with_nothing_readable_is_refused_where_it_was_typed(bilingual: FlaskClient, name: str) -> None:
    form = DETAILS | {"organisation_name": name}
    page = bilingual.post("/assessments/new", data=form | {"csrf_token": csrf_token(bilingual, "/assessments/new")})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "This is required." in text or "Enter a name with letters or digits." in text


def test_names_are_stored_as_persian_spells_them() -> None:
    from assessment.web.fields import clean_text

    assert clean_text(" شركت  علي\u202e ") == "شرکت علی"
    assert clean_text("نیم\u200cفاصله") == "نیم\u200cفاصله"


def test_a_workspace_can_show_rial_amounts_in_tomans(bilingual: FlaskClient) -> None:
    survey = create_assessment(bilingual)
    assessment = survey.removesuffix("/answers")
    form = {
        "scenario": "پایه",
        "currency": "IRR",
        "horizon_years": "3",
        "discount_rate": "35",
        "c-implementation-likely": "4500000000",
        "c-subscription-likely": "2000000",
        "b-marketing-saving_per_month-likely": "250000000",
    }
    token = csrf_token(bilingual, f"{assessment}/estimates")
    assert bilingual.post(f"{assessment}/estimates", data=form | {"csrf_token": token}).status_code == 302
    persian = {"Accept-Language": "fa"}
    rials = bilingual.get(f"{assessment}/economics", headers=persian).get_data(as_text=True)
    assert "(میلیون ریال ایران؛" in rials and "تومان" not in rials
    assert ">۶٬۵۲۵<" in rials  # 4,500,000,000 rials and a 45 % overrun, in millions of rials
    token = csrf_token(bilingual, "/workspace/settings")
    saved = bilingual.post("/workspace/settings/money", data={"rial": "toman", "csrf_token": token})
    assert saved.status_code == 302
    tomans = bilingual.get(f"{assessment}/economics", headers=persian).get_data(as_text=True)
    assert "(تومان؛" in tomans and ">۶۵۲٬۵۰۰٬۰۰۰<" in tomans  # the same amount, a tenth, in tomans
    assert "ریال" not in re.sub(r"<select.*?</select>|ریالی", "", tomans, flags=re.S)
    english = bilingual.get(f"{assessment}/economics", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "toman" in english and "تومان" not in english
