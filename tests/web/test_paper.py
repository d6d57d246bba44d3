"""Questionnaires on paper: a PDF per role, or per respondent with their name, read back; in Persian too;
only for those who may see the assessment."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from assessment.engine.question_types import QuestionType
from assessment.engine.questionnaire import (
    AllOf,
    AnswerIn,
    Definitions,
    Not,
    NumberBetween,
    Question,
    Questionnaire,
    Role,
)
from assessment.engine.text import Text
from assessment.web.paper.views import paper_areas
from tests.conftest import Member, add_member, add_workspace, sign_in
from tests.engine.builders import question as built
from tests.web.helpers import create_assessment, invite
from tests.web.test_report import logical_text


def words(pdf: bytes) -> str:
    """The PDF's text with every run of spaces and line breaks as one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def question(definitions: Definitions, question_id: str) -> Question:
    return next(q for area in definitions.questionnaires for q in area.questions if q.id == question_id)


def new_assessment(client: FlaskClient, organisation: str = "Kaveh Foods") -> str:
    return create_assessment(client, organisation_name=organisation).removesuffix("/answers")


def respondent_id(client: FlaskClient, assessment: str, name: str) -> str:
    """A respondent's id, from their row on the overview."""
    page = client.get(assessment).get_data(as_text=True)
    found = re.search(rf'<tr id="r-([0-9a-f-]+)">\s*<th scope="row">{name}', page)
    assert found, f"no row for {name}"
    return found.group(1)


def test_a_role_questionnaire_holds_the_organisation_the_role_its_questions_only_and_page_numbers(
    client: FlaskClient, definitions: Definitions
) -> None:
    response = client.get(f"{new_assessment(client)}/paper/end_user.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    first = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Kaveh Foods" in first and "End user" in first and "Page 1 of" in first
    text = words(response.data)
    assert question(definitions, "goals_serve_users").text.in_("en") in text  # asked of end users
    assert question(definitions, "measurable_kpis").text.in_("en") not in text  # not asked of them
    assert "Strongly disagree Disagree Neither agree nor disagree Agree Strongly agree" in text


def test_a_follow_up_says_in_words_which_answer_to_which_question_it_follows(
    client: FlaskClient, definitions: Definitions
) -> None:
    text = words(client.get(f"{new_assessment(client)}/paper/it.pdf").data)
    follow_up = question(definitions, "sponsor_resolves_conflicts").text.in_("en")
    assert re.search(rf"2\. {re.escape(follow_up)} Answer only if you answered “Yes” to question 1\.", text)


def test_a_follow_up_on_a_question_not_printed_reads_it_as_unanswered(app: Flask, definitions: Definitions) -> None:
    """A question asked of someone else (or of larger projects only) is not on the paper: a follow-up that
    needs an answer to it is left out, and one that holds without that answer is asked of everyone."""
    yes = frozenset({"yes"})
    area = Questionnaire(
        "goals",
        1,
        Text({"en": "Goals"}),
        (
            built("sponsor_named", QuestionType.YES_NO, options=question(definitions, "goals_dated").options),
            built("months", QuestionType.NUMBER),
            built("short_and_named", show_if=AllOf((AnswerIn("sponsor_named", yes), Not(NumberBetween("months", 12))))),
            built("sponsors_own", QuestionType.YES_NO, roles=frozenset({Role.SPONSOR})),
            built("needs_sponsors_own", show_if=AnswerIn("sponsors_own", yes)),
            built("unless_sponsors_own", show_if=Not(AnswerIn("sponsors_own", yes))),
        ),
    )
    with app.test_request_context():
        (printed,) = paper_areas(replace(definitions, questionnaires=(area,)), Role.IT)
    assert [(q.number, q.question.id, q.asked_if) for q in printed.questions] == [
        (1, "sponsor_named", ""),
        (2, "months", ""),
        (
            3,
            "short_and_named",
            "Answer only if you answered “Yes” to question 1 and your answer to question 2 is less than 12.",
        ),
        (4, "unless_sponsors_own", ""),
    ]


def test_the_lead_questionnaire_asks_every_question_with_a_box_for_each_kind_of_answer(
    client: FlaskClient, definitions: Definitions
) -> None:
    text = words(client.get(f"{new_assessment(client)}/paper/lead.pdf").data)
    assert "Lead · every question" in text
    for question_id in ("measurable_kpis", "goals_serve_users", "executive_sponsor", "goals_notes"):
        assert question(definitions, question_id).text.in_("en") in text, question_id
    assert "Tick all that apply." in text and "months" in text and "Not applicable" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is installed by `make test`")
def test_a_persian_questionnaire_reads_in_persian_with_persian_page_numbers(
    client: FlaskClient, definitions: Definitions, tmp_path: Path
) -> None:
    assessment = new_assessment(client, "شرکت نمونه")
    pdf = client.get(f"{assessment}/paper/sponsor.pdf", headers={"Accept-Language": "fa"}).data
    pages = logical_text(pdf, tmp_path)
    persian = question(definitions, "business_goals_written").text.in_("fa")
    assert "شرکتنمونه" in pages[0] and "صفحه۱از" in pages[0]
    assert "".join(persian.replace("\u200c", "").split()) in pages[0]
    assert "Page" not in "".join(pages)


def test_a_respondent_questionnaire_has_their_name_and_their_role_and_the_lead_has_every_question(
    client: FlaskClient, definitions: Definitions
) -> None:
    assessment = new_assessment(client)
    invite(client, f"{assessment}/answers", "Neda", "it")
    text = words(client.get(f"{assessment}/respondents/{respondent_id(client, assessment, 'Neda')}/paper.pdf").data)
    assert "Name Neda" in text and "Role IT" in text
    assert question(definitions, "features_traced_to_goals").text.in_("en") in text  # asked of IT
    assert question(definitions, "goals_serve_users").text.in_("en") not in text
    lead = words(client.get(f"{assessment}/respondents/{respondent_id(client, assessment, 'Maryam')}/paper.pdf").data)
    assert "Name Maryam" in lead and "Lead · every question" in lead
    assert question(definitions, "goals_serve_users").text.in_("en") in lead


def test_an_unknown_role_or_another_assessments_respondent_is_not_found(client: FlaskClient) -> None:
    first, second = new_assessment(client, "First Co"), new_assessment(client, "Second Co")
    assert client.get(f"{first}/paper/ceo.pdf").status_code == 404
    assert client.get(f"{first}/paper/.pdf").status_code == 404
    invite(client, f"{first}/answers", "Neda", "end_user")
    neda = respondent_id(client, first, "Neda")
    assert client.get(f"{second}/respondents/{neda}/paper.pdf").status_code == 404
    assert client.get(f"{second}/respondents/00000000-0000-0000-0000-000000000000/paper.pdf").status_code == 404


def test_a_viewer_may_print_the_questionnaires_and_an_outsider_finds_nothing(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    assessment = new_assessment(client)
    lead = respondent_id(client, assessment, "Maryam")
    viewer = sign_in(app.test_client(), add_member(app, owner, "viewer@example.com", "viewer"))
    assert viewer.get(f"{assessment}/paper/sponsor.pdf").status_code == 200
    assert viewer.get(f"{assessment}/respondents/{lead}/paper.pdf").status_code == 200
    outsider = sign_in(app.test_client(), add_workspace(app, "Rival", "rival@example.com", "rival-password-1"))
    assert outsider.get(f"{assessment}/paper/sponsor.pdf").status_code == 404
    assert outsider.get(f"{assessment}/respondents/{lead}/paper.pdf").status_code == 404
    assert app.test_client().get(f"{assessment}/paper/sponsor.pdf").status_code == 302  # sent to sign in
