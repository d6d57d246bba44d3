"""The public quick scan over HTTP: a prospect's scan from the link to the result, every bad input
refused with nothing stored, links that are not open answering alike, rate limits, the honeypot,
results readable only by their secret, framing by the workspace's setting, conversion into a full
assessment, and Persian for a Persian browser."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Mapping
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from assessment.services import webhooks
from assessment.services.audit import SYSTEM
from assessment.storage.database import session
from assessment.storage.models import (
    Answer,
    Assessment,
    AuditEntry,
    Organisation,
    ProspectContact,
    Respondent,
    WebhookDelivery,
    Workspace,
)
from assessment.web.quick_scan import form_token
from tests.conftest import Member, add_member, add_workspace, sign_in
from tests.web.helpers import answer, checked, post

PRIVACY = (
    "Acme consultancy keeps your answers and contact details to offer you a full assessment.\n\n"
    "Write to privacy@acme.example to have them deleted."
)
DETAILS = {
    "organisation_name": "Parsian Trading",
    "industry": "Retail",
    "business_type": "b2c",
    "contact_name": "Sara Ahmadi",
    "email": "sara@parsian.example",
    "phone": "+98 21 1234 5678",
    "consent": "y",
}
ANSWERS = {
    "business_goals_written": "disagree",
    "measurable_kpis": "no_kpis",
    "executive_sponsor": "no",
    "digital_roadmap": "as_is_analysed",
    "data_migration_estimated": "sources_known",
    "change_management_budgeted": "training_only",
    "communication_plan": "planned",
    "training_plan": "role_based",
    "primary_group_desire": "neutral",
    "processes_mapped": "partly_mapped",
    "users_in_design": "agree",
    "second_data_sources": "some",
}
SPONSOR_FA = "آیا پروژه حامی ارشدی دارد که اختیار تأمین بودجه آن را داشته باشد؟"
MODELS = (Organisation, Assessment, Respondent, Answer, ProspectContact, AuditEntry)


@pytest.fixture(autouse=True)
def quick_hands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests send a form the moment it is shown; the test of that rule puts the wait back."""
    monkeypatch.setattr(form_token, "FASTEST_SECONDS", 0)


def open_scan(client: FlaskClient, privacy: str = PRIVACY, embedding: bool = False) -> str:
    """Open the workspace's quick scan through its settings page; return the link's path."""
    data = {"open": "y", "privacy_text": privacy} | ({"embedding": "y"} if embedding else {})
    response = post(client, "/workspace/quick-scan", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return link_of(client)


def link_of(client: FlaskClient) -> str:
    page = client.get("/workspace/quick-scan").get_data(as_text=True)
    return re.search(r'href="http://localhost(/scan/[\w-]+)"', page)[1]


def token_of(page: str) -> str:
    return re.search(r'name="form_token" type="hidden" value="([^"]*)"', page)[1]


def send(
    browser: FlaskClient,
    link: str,
    changes: Mapping[str, str | None] | None = None,
    address: str = "192.0.2.1",
    headers: Mapping[str, str] | None = None,
    token: str | None = None,
) -> TestResponse:
    """Fill in the scan as a prospect would (`changes` replaces or, with None, leaves out a field) and send it."""
    if token is None:
        token = token_of(browser.get(link, headers=headers).get_data(as_text=True))
    fields: dict[str, Any] = {"form_token": token, **DETAILS, **{f"a-{q}": v for q, v in ANSWERS.items()}}
    for name, value in (changes or {}).items():
        fields.pop(name, None) if value is None else fields.__setitem__(name, value)
    return browser.post(link, data=MultiDict(fields), headers=headers, environ_base={"REMOTE_ADDR": address})


def stored(app: Flask) -> tuple[int, ...]:
    with app.app_context():
        return tuple(session().scalar(select(func.count()).select_from(model)) for model in MODELS)


def text_of(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def the_scan(app: Flask) -> Assessment:
    with app.app_context():
        return session().scalars(select(Assessment).where(Assessment.kind == "quick_scan")).one()


def test_a_prospect_s_scan_becomes_an_organisation_with_its_answers_and_contact(
    app: Flask, client: FlaskClient
) -> None:
    link = open_scan(client)
    before = stored(app)
    response = send(app.test_client(), link)
    assert response.status_code == 303
    assert re.fullmatch(rf"{link}/result/[\w-]{{40,}}", response.headers["Location"].removeprefix("http://localhost"))
    assert [after - was for after, was in zip(stored(app), before, strict=True)] == [1, 1, 1, 12, 1, 13]
    with app.app_context():
        scan = session().scalars(select(Assessment)).one()
        assert scan.kind == "quick_scan" and scan.organisation.name == "Parsian Trading"
        assert scan.organisation.business_type == "b2c" and scan.respondents[0].name == "Sara Ahmadi"
        contact = session().get(ProspectContact, scan.id)
        assert contact.email == "sara@parsian.example" and contact.privacy_text == PRIVACY
    listed = client.get("/").get_data(as_text=True)
    assert "Parsian Trading" in listed


def test_the_result_shows_every_area_in_words_and_the_three_biggest_risks_with_what_to_do(
    app: Flask, client: FlaskClient
) -> None:
    link = open_scan(client)
    prospect = app.test_client()
    result = prospect.get(send(prospect, link).headers["Location"])
    page = text_of(result)
    assert result.status_code == 200
    assert result.headers["Cache-Control"] == "no-store" and result.headers["Referrer-Policy"] == "no-referrer"
    for area in ("Goals", "Strategy", "Scope", "Adoption", "Process design"):
        assert f'<th scope="row">{area}<span class="hint">' in page
    assert page.count(" of 100</td>") == 5 and "a serious gap: on its own it can stop the project" in page
    risks = re.search(r'<ol class="losses">(.*?)</ol>', page, re.S)[1]
    assert risks.count("<li>") == 3 and risks.count("What to do:") == 3
    assert risks.index("No executive sponsor") < risks.index("No measurable objectives") < risks.index("main user")
    assert "Your answer: No." in risks and "Do not start without an executive sponsor" in risks
    assert "Next: a full assessment with Acme consultancy" in page
    assert "Sara" not in page.replace("Sara Ahmadi", "") and "sara@parsian.example" not in page


REFUSALS = [
    pytest.param({"consent": None}, "Tick the box to agree to the privacy text", id="no-consent"),
    pytest.param({"organisation_name": ""}, "This is required.", id="no-company"),
    pytest.param({"organisation_name": "A" * 201}, "200 characters", id="company-too-long"),
    pytest.param({"contact_name": "<script>alert(1)</script>"}, "markup is not accepted", id="script-in-name"),
    pytest.param({"contact_name": "Sara \u202eidamhA"}, "invisible direction characters", id="bidi-override"),
    pytest.param({"organisation_name": "\u2067\u2069"}, "invisible direction characters", id="bidi-only"),
    pytest.param({"industry": "\u200b\u200b"}, "This is required.", id="zero-width-only"),
    pytest.param({"a-executive_sponsor": "maybe"}, "Choose one of the options shown.", id="wrong-option"),
    pytest.param({"a-training_plan": None}, "This is required.", id="unanswered"),
    pytest.param({"email": "sara at parsian"}, "Enter an e-mail address such as", id="bad-email"),
    pytest.param({"phone": "call <me>"}, "Enter a phone number with digits", id="bad-phone"),
    pytest.param({"form_token": "forged"}, "The form could not be checked.", id="forged-token"),
]


@pytest.mark.parametrize(("changes", "message"), REFUSALS)
def test_every_bad_input_is_refused_with_its_message_and_stores_nothing(
    app: Flask, client: FlaskClient, changes: dict[str, str | None], message: str
) -> None:
    link = open_scan(client)
    before = stored(app)
    response = send(app.test_client(), link, changes)
    page = text_of(response)
    assert response.status_code == (400 if "form_token" in changes else 422)
    assert message in page
    assert stored(app) == before
    if "form_token" not in changes:
        assert "Nothing was sent yet: please correct what is marked below." in page
    if "organisation_name" not in changes:
        assert 'value="Parsian Trading"' in page  # what was typed is kept
    if "a-executive_sponsor" not in changes:
        assert checked(response.get_data(as_text=True), "executive_sponsor") == ["no"]


def test_a_refused_form_shows_each_message_beside_its_field(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    page = text_of(send(app.test_client(), link, {"contact_name": "<b>Sara</b>", "a-executive_sponsor": None}))
    assert re.search(r'<p class="error" id="contact_name-error">Enter the name without < or >', page)
    assert re.search(r'id="e-executive_sponsor"[^>]*>\s*<p>This is required.</p>', page)
    assert 'href="#q-executive_sponsor"' in page and 'href="#contact_name"' in page


def test_a_body_larger_than_the_form_takes_is_refused_unread(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    before = stored(app)
    response = send(app.test_client(), link, {"phone": "1" * 70_000})
    assert response.status_code == 413 and "larger than this form takes (64 KB)" in text_of(response)
    assert stored(app) == before


def test_a_form_sent_too_fast_too_late_or_after_the_privacy_text_changed_is_refused(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = open_scan(client)
    prospect = app.test_client()
    before = stored(app)
    monkeypatch.setattr(form_token, "FASTEST_SECONDS", 3)
    fast = send(prospect, link)
    assert fast.status_code == 422 and "sent a moment after it was shown" in text_of(fast)
    assert '<input id="consent" name="consent"' in fast.get_data(as_text=True)  # not ticked: to be ticked again
    monkeypatch.setattr(form_token, "FASTEST_SECONDS", 0)

    shown = token_of(prospect.get(link).get_data(as_text=True))
    serializer = URLSafeTimedSerializer(app.secret_key, salt=form_token.SALT)

    class FiveHoursAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return super().get_timestamp() - 5 * 3600

    old = URLSafeTimedSerializer(app.secret_key, salt=form_token.SALT, signer=FiveHoursAgo).dumps(
        serializer.loads(shown)
    )
    late = send(prospect, link, token=old)
    assert late.status_code == 422 and "open for more than 4 hours" in text_of(late)

    post(client, "/workspace/quick-scan", {"open": "y", "privacy_text": PRIVACY + "\n\nWe also call you."})
    changed = send(prospect, link, token=shown)
    assert changed.status_code == 422 and "The privacy text changed" in text_of(changed)
    assert "We also call you." in text_of(changed)
    assert stored(app)[:5] == before[:5]


def test_a_form_shown_for_another_workspace_s_link_is_refused(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    rival = sign_in(app.test_client(), add_workspace(app, "Rival CRM", "rival@example.com", "rival-password-1"))
    other = open_scan(rival)
    prospect = app.test_client()
    before = stored(app)
    token = token_of(prospect.get(other).get_data(as_text=True))
    response = send(prospect, link, token=token)
    assert response.status_code == 400 and stored(app) == before


def test_a_filled_honeypot_is_thanked_as_if_accepted_and_stores_nothing(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    before = stored(app)
    response = send(app.test_client(), link, {"website": "https://cheap-pills.example"})
    assert response.status_code == 200 and "Thank you" in text_of(response)
    assert "/result/" not in text_of(response)
    assert stored(app) == before


def test_the_honeypot_is_out_of_sight_and_out_of_the_tab_order(app: Flask, client: FlaskClient) -> None:
    page = app.test_client().get(open_scan(client)).get_data(as_text=True)
    trap = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', page, re.S)[1]
    assert 'name="website"' in trap and 'tabindex="-1"' in trap and 'autocomplete="off"' in trap


def test_closed_renewed_and_unknown_links_answer_alike_and_name_no_workspace(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    renewed = open_scan(client)
    post(client, "/workspace/quick-scan/new-link", {}, page="/workspace/quick-scan")
    closed = link_of(client)
    assert closed != renewed
    post(client, "/workspace/quick-scan", {"privacy_text": PRIVACY})
    before = stored(app)
    stranger = app.test_client()
    answers = [stranger.get(link) for link in (renewed, closed, "/scan/" + "x" * 43)]
    answers += [send(stranger, link, token="anything") for link in (renewed, closed, "/scan/nothing")]
    assert [a.status_code for a in answers] == [404] * 6
    assert len({a.get_data() for a in answers}) == 1
    page = text_of(answers[0])
    assert "This link is not open" in page
    assert str(owner.workspace_id) not in page and "Acme" not in page
    assert stored(app) == before


def test_scans_from_one_address_are_limited_but_corrections_do_not_count(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    prospect = app.test_client()
    assert send(prospect, link, {"consent": None}).status_code == 422
    assert [send(prospect, link).status_code for _ in range(5)] == [303] * 5
    before = stored(app)
    refused = send(prospect, link)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many quick scans were sent from your network" in text_of(refused)
    assert stored(app) == before
    assert send(prospect, link, address="192.0.2.99").status_code == 303


def test_scans_through_one_link_are_limited_whatever_their_addresses(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    trap = {"website": "x"}
    codes = [send(app.test_client(), link, trap, address=f"198.51.100.{n}").status_code for n in range(60)]
    assert codes == [200] * 60
    assert send(app.test_client(), link, address="203.0.113.1").status_code == 429


def test_a_result_is_readable_only_with_its_own_secret(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    first = send(app.test_client(), link).headers["Location"]
    second = send(app.test_client(), link, {"organisation_name": "Kaveh Tiles"}, address="192.0.2.2")
    second_page = text_of(app.test_client().get(second.headers["Location"]))
    assert "Kaveh Tiles" in second_page and "Parsian Trading" not in second_page
    assert "Parsian Trading" in text_of(app.test_client().get(first))
    guessed = app.test_client().get(f"{link}/result/{uuid.uuid4().hex}")
    assert guessed.status_code == 404 and "Parsian" not in text_of(guessed)


def test_framing_follows_the_workspace_s_setting(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    prospect = app.test_client()
    result = send(prospect, link).headers["Location"]
    for response in (prospect.get(link), prospect.get(result)):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]

    open_scan(client, embedding=True)
    refused = send(prospect, link, {"consent": None})
    for response in (prospect.get(link), prospect.get(result), refused):
        assert "X-Frame-Options" not in response.headers
        assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert client.get("/workspace/quick-scan").headers["X-Frame-Options"] == "DENY"
    assert prospect.get("/scan/unknown").headers["X-Frame-Options"] == "DENY"


def test_the_owner_s_settings_need_a_privacy_text_to_open_and_show_the_link_and_snippet(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    refused = post(client, "/workspace/quick-scan", {"open": "y", "privacy_text": "  "})
    assert refused.status_code == 422 and "Write the privacy text" in text_of(refused)
    assert "/scan/" not in text_of(client.get("/workspace/quick-scan"))
    too_long = post(client, "/workspace/quick-scan", {"open": "y", "privacy_text": "x" * 5001})
    assert too_long.status_code == 422
    link = open_scan(client, embedding=True)
    page = text_of(client.get("/workspace/quick-scan"))
    assert f'<iframe src="http://localhost{link}" title="CRM readiness quick scan"' in page
    assert 'href="/workspace/quick-scan">Quick scan</a>' in client.get("/").get_data(as_text=True)
    analyst = sign_in(app.test_client(), add_member(app, owner, "analyst@example.com", "analyst"))
    assert analyst.get("/workspace/quick-scan").status_code == 403
    assert post(analyst, "/workspace/quick-scan/new-link", {}, page="/").status_code == 403
    assert link_of(client) == link


def test_the_overview_shows_the_contact_and_converting_keeps_the_answers_and_opens_every_question(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    link = open_scan(client)
    send(app.test_client(), link)
    scan = the_scan(app)
    overview = f"/assessments/{scan.id}"
    page = text_of(client.get(overview))
    assert "Sara Ahmadi" in page and "sara@parsian.example" in page and "+98 21 1234 5678" in page
    assert "Write to privacy@acme.example to have them deleted." in page
    assert "Convert into a full assessment" in page

    viewer = sign_in(app.test_client(), add_member(app, owner, "viewer@example.com", "viewer"))
    assert "Convert into a full assessment" not in text_of(viewer.get(overview))
    assert post(viewer, f"{overview}/convert", {}, page=overview).status_code == 403
    stranger = sign_in(app.test_client(), add_workspace(app, "Rival CRM", "rival@example.com", "rival-password-1"))
    assert post(stranger, f"{overview}/convert", {}, page="/").status_code == 404

    refused = post(client, f"{overview}/convert", {"crm_product": "Didar CRM", "deployment": "cloud"})
    assert refused.status_code == 200 and "Enter a whole number of users" in text_of(refused)
    plan = {"crm_product": "Didar CRM", "deployment": "cloud", "crm_users": "45", "go_live": "2027-09-01"}
    response = post(client, f"{overview}/convert", plan)
    assert response.status_code == 302 and response.headers["Location"] == overview
    with app.app_context():
        converted = session().get(Assessment, scan.id)
        assert (converted.kind, converted.crm_product, converted.crm_users) == ("full", "Didar CRM", 45)
    page = text_of(client.get(overview))
    assert "Convert into a full assessment" not in page and "Sara Ahmadi" in page

    goals = client.get(f"{overview}/answers/goals").get_data(as_text=True)
    assert checked(goals, "business_goals_written") == ["disagree"] and checked(goals, "measurable_kpis") == ["no_kpis"]
    assert 'name="a-goals_dated"' in goals
    assert answer(client, f"{overview}/answers/goals", {"goals_dated": "yes"}).status_code == 302
    goals = client.get(f"{overview}/answers/goals").get_data(as_text=True)
    assert checked(goals, "goals_dated") == ["yes"] and checked(goals, "business_goals_written") == ["disagree"]


def test_a_persian_browser_sees_the_scan_and_its_result_in_persian(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    persian = {"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"}
    prospect = app.test_client()
    page = prospect.get(link, headers=persian).get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page
    assert SPONSOR_FA in page and "Is there an executive sponsor" not in page
    assert "۱." in page and "۱۲." in page
    response = send(prospect, link, {"contact_name": "سارا احمدي"}, headers=persian)
    assert response.status_code == 303
    result = text_of(prospect.get(response.headers["Location"], headers=persian))
    assert '<html lang="fa" dir="rtl">' in result
    assert "هیچ حامی ارشدی با اختیار تأمین بودجه پروژه وجود ندارد." in result
    with app.app_context():
        contact = session().scalars(select(ProspectContact)).one()
        assert contact.name == "سارا احمدی" and contact.language == "fa"  # Persian yeh, as everywhere


def test_too_many_requests_are_answered_in_the_reader_s_language(app: Flask, client: FlaskClient) -> None:
    link = open_scan(client)
    persian = {"Accept-Language": "fa"}
    prospect = app.test_client()
    for _ in range(5):
        send(prospect, link, headers=persian)
    refused = send(prospect, link, headers=persian)
    assert refused.status_code == 429 and '<html lang="fa" dir="rtl">' in refused.get_data(as_text=True)


def test_a_received_scan_is_told_to_the_workspaces_webhooks_with_whom_to_contact(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    with app.app_context():
        workspace = session().get(Workspace, owner.workspace_id)
        webhooks.register(session(), workspace, "http://127.0.0.1:9/hook", ["quick_scan.received"], SYSTEM, True)
    send(app.test_client(), open_scan(client))
    scan = the_scan(app)
    with app.app_context():
        [delivery] = session().scalars(select(WebhookDelivery)).all()
    assert delivery.event == "quick_scan.received" and delivery.payload["assessment_id"] == str(scan.id)
    assert delivery.payload["contact"]["email"] == "sara@parsian.example"
