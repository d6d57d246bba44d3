"""An organisation assessed twice shows its readiness over time: a chart, a table with the figures
each results page shows, and what changed between the assessments, in the reader's language and
calendar, to its own workspace only."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from assessment.storage.database import session
from assessment.storage.models import Assessment
from tests.conftest import add_workspace, sign_in
from tests.web.helpers import DETAILS, answer, create_assessment, invite, post
from tests.web.lists import statements

FIRST = {
    "goals": {"business_goals_written": "disagree", "revenue_effect_measurable": "neutral"},
    "strategy": {"executive_sponsor": "no", "crm_strategy_written": "disagree"},
    "scope": {"scope_documented": "feature_list", "customisation_estimated": "disagree"},
    "adoption": {"change_readiness_assessed": "no", "past_changes_adopted": "neutral"},
    "process": {"processes_mapped": "not_mapped", "improve_before_automating": "disagree"},
}
SECOND = {
    "goals": {"business_goals_written": "strongly_agree", "revenue_effect_measurable": "agree"},
    "strategy": {"executive_sponsor": "yes", "sponsor_active_visible": "agree", "crm_strategy_written": "agree"},
    "scope": {"scope_documented": "signed_baseline", "customisation_estimated": "agree"},
    "adoption": {"change_readiness_assessed": "yes", "past_changes_adopted": "agree"},
    "process": {"processes_mapped": "as_is_and_to_be", "improve_before_automating": "disagree"},
}
AREAS = {
    "goals": "Goals",
    "strategy": "Strategy",
    "scope": "Scope",
    "adoption": "Adoption",
    "process": "Process design",
}
STARTED = (datetime(2025, 3, 21, 9, tzinfo=UTC), datetime(2025, 11, 25, 9, tzinfo=UTC))
"""Nowruz 1404 and 4 Azar 1404 in the Solar Hijri calendar."""


def scored(client: FlaskClient, survey: str, answers: dict, decision: str) -> str:
    """The lead answers, an invited colleague finishes (so the assessment is scored), the committee
    decides; returns the assessment's path."""
    for area, values in answers.items():
        assert answer(client, f"{survey}/{area}", values).status_code == 302
    colleague = invite(client, survey, "Neda", "end_user")
    assert post(client, f"{colleague}/finish", {}, page=f"{colleague}/summary").status_code == 302
    assessment = survey.removesuffix("/answers")
    decided = {"outcome": decision, "conditions": "As the committee minuted.", "decided_by": "Steering committee"}
    response = post(client, f"{assessment}/decisions", decided | {"decided_on": "2025-11-30"}, f"{assessment}/report")
    assert response.status_code == 302, response.get_data(as_text=True)
    return assessment


def started_on(app: Flask, assessment: str, moment: datetime) -> None:
    """Date an assessment back: the app stamps it when it is created, and these were months apart."""
    with app.app_context():
        session().get(Assessment, uuid.UUID(assessment.rsplit("/", 1)[1])).created_at = moment
        session().commit()


def organisation_of(client: FlaskClient, assessment: str) -> str:
    """The organisation's page, as the assessment's overview links to it."""
    return re.search(r'href="(/organisations/[^"]+)"', client.get(assessment).get_data(as_text=True)).group(1)


def reassess(client: FlaskClient, organisation: str) -> str:
    """Another assessment of the organisation through its page's form; returns its survey path."""
    details = {k: v for k, v in DETAILS.items() if k not in ("organisation_name", "industry", "business_type")}
    response = post(client, f"{organisation}/assessments/new", details)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"] + "/answers"


def organisation_assessed_twice(app: Flask, client: FlaskClient) -> tuple[str, list[str]]:
    """The organisation's page and its two assessments' paths, the first started on Nowruz."""
    first = scored(client, create_assessment(client, organisation_name="Kaveh Foods"), FIRST, "no_go")
    organisation = organisation_of(client, first)
    second = scored(client, reassess(client, organisation), SECOND, "conditional_go")
    for path, moment in zip((first, second), STARTED, strict=True):
        started_on(app, path, moment)
    return organisation, [first, second]


def results_figures(client: FlaskClient, assessment: str, **headers: str) -> list[str]:
    """Readiness by area, then overall, as the assessment's results page shows them."""
    page = client.get(f"{assessment}/results", headers=headers).get_data(as_text=True)
    areas = re.findall(r'<a href="#why-\w+" title="[^"]*">([^<]+)</a>', page)
    overall = re.search(r'<span class="figure-value">([^<]+)<small>', page).group(1)
    return [*areas, overall]


def history_rows(page: str) -> list[tuple[str, list[str]]]:
    """The history table's rows, oldest first: the assessment's date, and its cells."""
    table = re.search(r'<table class="table history-table">.*?</table>', page, re.S).group(0)
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>(.*?)</tr>', table, re.S)
    return [
        (day, [html.unescape(c.strip()) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)])
        for day, cells in rows
    ]


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_organisation_page_charts_and_tabulates_readiness_as_each_results_page_shows_it(
    app: Flask, client: FlaskClient
) -> None:
    organisation, assessments = organisation_assessed_twice(app, client)
    page = client.get(organisation).get_data(as_text=True)
    assert "Readiness over time" in page
    chart = re.search(r"<svg[^>]*aria-label=\"Readiness by area at each assessment\".*?</svg>", page, re.S).group(0)
    assert ">Mar 21, 2025</text>" in chart and ">Nov 25, 2025</text>" in chart
    assert "Readiness (0-100)" in chart
    assert len(re.findall(r'<polyline class="series series-overall"', chart)) == 1
    legend = re.search(r'<ul class="chart-legend">.*?</ul>', page, re.S).group(0)
    assert [*AREAS.values(), "Overall"] == re.findall(r"</span>([^<]+)</li>", legend)

    rows = history_rows(page)
    assert [day for day, _cells in rows] == ["Mar 21, 2025", "Nov 25, 2025"]
    for (_day, cells), assessment in zip(rows, assessments, strict=True):
        assert cells == results_figures(client, assessment)


def test_what_changed_is_said_in_sentences_with_the_answers_that_changed(app: Flask, client: FlaskClient) -> None:
    organisation, assessments = organisation_assessed_twice(app, client)
    text = text_of(client.get(organisation).get_data(as_text=True))
    before, after = (results_figures(client, a) for a in assessments)
    assert "From Mar 21, 2025 to Nov 25, 2025" in text
    for name, old, new in zip([*AREAS.values(), "Overall"], before, after, strict=True):
        moved = int(new) - int(old)
        assert moved > 0, "the second assessment's answers are better in every area"
        points = "point" if moved == 1 else "points"
        assert f"{name} readiness rose from {old} to {new} (+{moved} {points})." in text
    assert "The failure probability fell from " in text
    assert "The committee's decision changed from No-go to Conditional go." in text
    assert "The qualification " in text
    assert "10 of the lead's answers changed." in text
    assert "Is there an executive sponsor with the authority to fund the project? Strategy From No to Yes" in text
    assert "From no answer to Agree" in text  # asked only once there is a sponsor
    assert "From Disagree to Strongly agree" in text


def test_a_persian_reader_gets_persian_digits_and_solar_hijri_dates(app: Flask, client: FlaskClient) -> None:
    organisation, assessments = organisation_assessed_twice(app, client)
    persian = {"Accept-Language": "fa-IR,fa;q=0.9"}
    page = client.get(organisation, headers=persian).get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page
    chart = re.search(r'<figure class="chart readiness-chart">.*?</svg>', page, re.S).group(0)
    assert 'direction="rtl">۱ فروردین ۱۴۰۴</text>' in chart and 'direction="rtl">۴ آذر ۱۴۰۴</text>' in chart
    rows = history_rows(page)
    assert [day for day, _cells in rows] == ["۱ فروردین ۱۴۰۴", "۴ آذر ۱۴۰۴"]
    for (_day, cells), assessment in zip(rows, assessments, strict=True):
        assert cells == results_figures(client, assessment, **persian)
        assert all(re.fullmatch("[۰-۹]+", figure) for figure in cells)
    assert not re.search(r"[0-9]", text_of(re.search(r"<section class=\"history\".*?</section>", page, re.S).group(0)))


def test_one_scored_assessment_shows_its_figures_and_says_history_comes_with_the_next(
    app: Flask, client: FlaskClient
) -> None:
    first = scored(client, create_assessment(client, organisation_name="Kaveh Foods"), FIRST, "no_go")
    organisation = organisation_of(client, first)
    reassess(client, organisation)
    page = client.get(organisation).get_data(as_text=True)
    assert "History appears here after the next assessment is scored." in page
    assert "<svg" not in page and "What changed" not in page
    [(_first, figures), (_second, waiting)] = history_rows(page)
    assert figures == results_figures(client, first)
    assert text_of(waiting[0]).strip() == "not scored yet Collecting answers"


def test_an_organisation_never_scored_shows_no_history(client: FlaskClient) -> None:
    survey = create_assessment(client, organisation_name="Kaveh Foods")
    answer(client, f"{survey}/goals", FIRST["goals"])  # answers, but nobody is done answering
    organisation = organisation_of(client, survey.removesuffix("/answers"))
    assert "Readiness over time" not in client.get(organisation).get_data(as_text=True)


def test_the_history_costs_the_same_statements_for_two_assessments_as_for_three(
    app: Flask, client: FlaskClient
) -> None:
    organisation, _assessments = organisation_assessed_twice(app, client)
    client.get(organisation)
    with statements(app) as two:
        client.get(organisation)
    scored(client, reassess(client, organisation), SECOND, "go")
    client.get(organisation)
    with statements(app) as three:
        page = client.get(organisation).get_data(as_text=True)
    assert len(history_rows(page)) == 3
    assert len(three) == len(two)


def test_another_workspaces_organisation_is_not_found(app: Flask, client: FlaskClient) -> None:
    organisation, _assessments = organisation_assessed_twice(app, client)
    stranger = sign_in(
        app.test_client(), add_workspace(app, "Rival consultancy", "rival@example.com", "rival-password-1")
    )
    assert stranger.get(organisation).status_code == 404
    assert "Kaveh Foods" not in stranger.get(organisation).get_data(as_text=True)
