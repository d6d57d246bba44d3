"""The walk-through over real HTTP: answer, leave, come back, change, autosave, summarise."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from tests.conftest import Member, csrf_token, sign_in
from tests.web.helpers import answer, checked, create_assessment, field_value, form_data, is_hidden

GOALS_COMPLETE = {
    "business_goals_written": "agree",
    "measurable_kpis": "no_kpis",
    "revenue_effect_measurable": "neutral",
    "goals_serve_customers": "agree",
    "goals_serve_users": "disagree",
    "features_traced_to_goals": "agree",
    "goals_shared_by_managers": "neutral",
    "goals_prioritised": "ranked",
    "goals_dated": "yes",
    "benefit_owners": "no",
    "goals_reviewed_monthly": "agree",
}


def test_answers_are_where_they_were_left_after_closing_the_browser(app, client: FlaskClient, owner: Member) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", {"business_goals_written": "agree", "goals_dated": "no"})
    later = sign_in(app.test_client(), owner)  # a new browser: no cookies, nothing in memory
    page = later.get(f"{survey}/goals").get_data(as_text=True)
    assert checked(page, "business_goals_written") == ["agree"]
    assert checked(page, "goals_dated") == ["no"]
    assert checked(page, "goals_serve_users") == []


def test_an_answer_can_be_changed_later(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/scope", {"contingency": "no_contingency"})
    answer(client, f"{survey}/scope", {"contingency": "above_20_percent"})
    assert checked(client.get(f"{survey}/scope").get_data(as_text=True), "contingency") == ["above_20_percent"]


def test_save_and_continue_walks_the_areas_in_order_then_to_the_summary(client: FlaskClient) -> None:
    survey = create_assessment(client)
    steps = [
        answer(client, f"{survey}/{area}", {}, go="next").headers["Location"]
        for area in ("goals", "strategy", "scope", "adoption", "process")
    ]
    assert steps == [
        f"{survey}/strategy",
        f"{survey}/scope",
        f"{survey}/adoption",
        f"{survey}/process",
        f"{survey}/summary",
    ]
    assert answer(client, f"{survey}/strategy", {}, go="previous").headers["Location"] == f"{survey}/goals"


def test_progress_shows_per_area_and_overall(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", GOALS_COMPLETE)
    page = client.get(f"{survey}/strategy").get_data(as_text=True)
    assert 'data-progress-area="goals">100%' in page
    assert 'data-progress-area="strategy">0%' in page
    overall = int(re.search(r'data-progress-area="overall">(\d+)%', page).group(1))
    assert 0 < overall < 100


def test_a_question_appears_only_when_its_condition_holds_and_the_user_is_told(client: FlaskClient) -> None:
    survey = create_assessment(client)
    goals = f"{survey}/goals"
    assert is_hidden(client.get(goals).get_data(as_text=True), "tracked_kpis")
    response = answer(client, goals, {"measurable_kpis": "kpis_named", "tracked_kpis": []}, go="next")
    assert response.headers["Location"] == f"{goals}#q-tracked_kpis"
    page = client.get(goals).get_data(as_text=True)
    assert "Your answers opened 1 more question on this page." in page
    assert not is_hidden(page, "tracked_kpis")


def test_an_answer_to_a_hidden_question_is_not_saved(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", {"measurable_kpis": "no_kpis", "tracked_kpis": ["retention"]})
    answer(client, f"{survey}/goals", {"measurable_kpis": "kpis_named"})
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "tracked_kpis") == []


def test_a_hidden_question_keeps_its_saved_answer_for_when_it_returns(client: FlaskClient) -> None:
    survey = create_assessment(client)
    goals = f"{survey}/goals"
    answer(client, goals, {"measurable_kpis": "kpis_named", "tracked_kpis": ["retention", "sales_cycle"]})
    answer(client, goals, {"measurable_kpis": "no_kpis"})
    page = client.get(goals).get_data(as_text=True)
    assert is_hidden(page, "tracked_kpis")
    answer(client, goals, {"measurable_kpis": "kpis_with_targets"})
    assert checked(client.get(goals).get_data(as_text=True), "tracked_kpis") == ["sales_cycle", "retention"]


def test_an_invalid_number_is_reported_at_its_field_and_nothing_on_the_page_is_saved(client: FlaskClient) -> None:
    survey = create_assessment(client)
    scope = f"{survey}/scope"
    response = answer(client, scope, {"contingency": "below_10_percent", "planned_duration_months": "500"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="e-planned_duration_months"[^>]*>\s*<p>Enter a number of at most 120.</p>', page)
    assert checked(page, "contingency") == ["below_10_percent"]
    assert field_value(page, "planned_duration_months") == "500"
    saved = client.get(scope).get_data(as_text=True)
    assert checked(saved, "contingency") == []
    assert field_value(saved, "planned_duration_months") == ""


def test_a_number_may_be_typed_in_persian_digits(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/scope", {"planned_duration_months": "۱۸"})
    assert field_value(client.get(f"{survey}/scope").get_data(as_text=True), "planned_duration_months") == "18"


def test_text_is_refused_where_a_number_is_asked(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = answer(client, f"{survey}/scope", {"planned_duration_months": "soon"})
    assert response.status_code == 422
    assert "Enter a number, for example 12 or 7.5." in response.get_data(as_text=True)


def test_an_option_that_does_not_exist_is_refused(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = answer(client, f"{survey}/goals", {"goals_dated": "perhaps", "tracked_kpis": ["retention", "bribes"]})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("Choose one of the options shown.") >= 1


def test_free_text_longer_than_allowed_is_refused_and_kept_for_editing(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = answer(client, f"{survey}/goals", {"goals_notes": "x" * 2001})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Keep this to at most 2,000 characters." in page
    assert field_value(page, "goals_notes") == "x" * 2001


def test_not_applicable_is_offered_where_it_makes_sense_and_shown_in_the_summary(client: FlaskClient) -> None:
    survey = create_assessment(client)
    page = client.get(f"{survey}/scope").get_data(as_text=True)
    assert 'name="a-data_migration_estimated" value="not_applicable"' in page
    assert 'name="a-contingency" value="not_applicable"' not in page
    answer(client, f"{survey}/scope", {"data_migration_estimated": "not_applicable"})
    summary = client.get(f"{survey}/summary").get_data(as_text=True)
    assert re.search(r"How well is the data migration understood\?</dt>\s*<dd>Not applicable</dd>", summary)


def test_the_summary_lists_answers_in_words_and_links_every_missing_question(client: FlaskClient) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", GOALS_COMPLETE)
    answer(client, f"{survey}/scope", {"planned_duration_months": "9"})
    summary = client.get(f"{survey}/summary").get_data(as_text=True)
    assert re.search(r"Is there a date by which the first goals should be met.*?</dt>\s*<dd>Yes</dd>", summary, re.S)
    assert re.search(r"How many months from kick-off to the last go-live\?</dt>\s*<dd>9 months</dd>", summary)
    assert "12 of 12 answered" not in summary  # tracked_kpis stays hidden: 11 of 11
    assert "11 of 11 answered" in summary
    assert f'href="{survey}/strategy#q-executive_sponsor"' in summary
    assert f'href="{survey}/goals#q-' not in summary


def test_a_page_left_open_does_not_overwrite_an_answer_saved_meanwhile(client: FlaskClient) -> None:
    survey = create_assessment(client)
    goals = f"{survey}/goals"
    # Both tabs showed goals_dated unanswered; the second tab saved "yes" first.
    answer(client, goals, {"goals_dated": "yes"})
    answer(client, goals, {"goals_dated": None, "benefit_owners": "yes"}, shown={"goals_dated": "null"})
    page = client.get(goals).get_data(as_text=True)
    assert checked(page, "goals_dated") == ["yes"]
    assert checked(page, "benefit_owners") == ["yes"]


def test_autosave_saves_one_answer_and_returns_fresh_progress(client: FlaskClient) -> None:
    survey = create_assessment(client)
    token = csrf_token(client, f"{survey}/goals")
    response = client.post(
        f"{survey}/goals/autosave",
        data={"_q": "goals_dated", "a-goals_dated": "yes", "_was-goals_dated": "null"},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] is True
    assert body["values"] == {"goals_dated": "yes"}
    assert body["progress"]["goals"]["answered"] == 1
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "goals_dated") == ["yes"]


def test_autosave_reports_an_invalid_answer_without_saving_it(client: FlaskClient) -> None:
    survey = create_assessment(client)
    token = csrf_token(client, f"{survey}/scope")
    response = client.post(
        f"{survey}/scope/autosave",
        data={"_q": "planned_duration_months", "a-planned_duration_months": "0"},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"planned_duration_months": ["Enter a number of at least 1."]}
    assert field_value(client.get(f"{survey}/scope").get_data(as_text=True), "planned_duration_months") == ""


def stale_post(client: FlaskClient, area_url: str, answers: dict, shown: dict, *keep: tuple[str, str]):
    """A full page posted from a tab opened earlier: `shown` is what it showed, `keep` the choices it carries."""
    data = form_data(answers, shown) + [(f"_keep-{q}", choice) for q, choice in keep]
    return client.post(area_url, data=MultiDict(data + [("go", "save"), ("csrf_token", csrf_token(client, area_url))]))


def test_a_stale_page_changing_an_answer_saved_since_shows_both_and_saves_nothing_until_one_is_chosen(
    client: FlaskClient,
) -> None:
    survey = create_assessment(client)
    goals = f"{survey}/goals"
    answer(client, goals, {"goals_dated": "yes"})  # another tab, after this page was opened
    response = stale_post(
        client, goals, {"goals_dated": "no", "benefit_owners": "yes"}, {"goals_dated": "null", "benefit_owners": "null"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "some answers were changed elsewhere since you opened it" in page
    box = page[page.index('data-conflict-for="goals_dated"') : page.index('data-conflict-for="goals_dated"') + 900]
    assert re.search(r'value="mine" checked>\s*<span>Keep yours: <strong data-slot="yours">No</strong>', box)
    assert 'Keep the one saved elsewhere: <strong data-slot="saved">Yes</strong>' in box
    assert checked(page, "goals_dated") == ["no"] and checked(page, "benefit_owners") == [
        "yes"
    ]  # nothing typed is lost
    assert 'name="_was-goals_dated" value="&#34;yes&#34;"' in page  # the page is now based on the newer answer
    saved = client.get(goals).get_data(as_text=True)
    assert checked(saved, "goals_dated") == ["yes"] and checked(saved, "benefit_owners") == []


def test_choosing_which_answer_to_keep_saves_the_page_with_it(client: FlaskClient) -> None:
    survey = create_assessment(client)
    goals = f"{survey}/goals"
    answer(client, goals, {"goals_dated": "yes", "benefit_owners": "no"})
    # The page shown beside the conflict said "yes"; the respondent keeps theirs for one question, the saved one for the other.
    shown = {"goals_dated": '"yes"', "benefit_owners": '"no"'}
    chosen = {"goals_dated": "no", "benefit_owners": "yes"}
    response = stale_post(client, goals, chosen, shown, ("goals_dated", "mine"), ("benefit_owners", "saved"))
    assert response.status_code == 302
    page = client.get(goals).get_data(as_text=True)
    assert checked(page, "goals_dated") == ["no"] and checked(page, "benefit_owners") == ["no"]


def test_an_autosave_from_a_stale_page_reports_the_conflict_with_the_newer_answer_and_saves_nothing(
    client: FlaskClient,
) -> None:
    survey = create_assessment(client)
    answer(client, f"{survey}/goals", {"goals_dated": "yes"})
    response = client.post(
        f"{survey}/goals/autosave",
        data={"_q": "goals_dated", "a-goals_dated": "no", "_was-goals_dated": "null"},
        headers={"X-CSRFToken": csrf_token(client, f"{survey}/goals"), "Accept": "application/json"},
    )
    body = response.get_json()
    assert response.status_code == 409 and body["saved"] is False
    assert body["conflicts"] == {"goals_dated": {"saved": "yes", "saved_text": "Yes", "yours_text": "No"}}
    assert body["error"].startswith("Not saved: this answer was changed elsewhere")
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "goals_dated") == ["yes"]


def test_the_walk_through_of_a_small_project_leaves_out_what_only_larger_projects_are_asked(
    client: FlaskClient,
) -> None:
    small = create_assessment(client, crm_users="8")
    answer(client, f"{small}/scope", {"planned_duration_months": "2"})
    scope = client.get(f"{small}/scope").get_data(as_text=True)
    assert 'id="q-scope_documented"' not in scope and 'id="q-change_control"' not in scope
    assert 'id="q-trade_off_agreed"' not in scope and 'id="q-contingency"' in scope
    assert 'id="q-crm_strategy_written"' not in client.get(f"{small}/strategy").get_data(as_text=True)
    summary = client.get(f"{small}/summary").get_data(as_text=True)
    assert "#q-scope_documented" not in summary and "#q-contingency" in summary
    larger = create_assessment(client)  # 40 users: medium, asked everything
    assert 'id="q-scope_documented"' in client.get(f"{larger}/scope").get_data(as_text=True)


def test_an_autosave_says_when_its_progress_was_read_so_the_page_keeps_the_latest(client: FlaskClient) -> None:
    survey = create_assessment(client)
    token = csrf_token(client, f"{survey}/goals")
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    first = client.post(f"{survey}/goals/autosave", data={"_q": "goals_dated", "a-goals_dated": "yes"}, headers=headers)
    second = client.post(
        f"{survey}/goals/autosave", data={"_q": "benefit_owners", "a-benefit_owners": "no"}, headers=headers
    )
    assert second.get_json()["progress_as_of"] > first.get_json()["progress_as_of"]
    assert second.get_json()["progress"]["goals"]["answered"] == 2
