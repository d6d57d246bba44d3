"""The webhooks page and deliveries end to end: a decision recorded in the browser reaches a real local
endpoint signed, failures are retried by the command, a hanging endpoint never holds up a page, and only
owners manage webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.services import webhooks
from assessment.storage.database import session
from assessment.storage.models import AuditEntry, WebhookDelivery, as_utc, now
from tests.conftest import Member, add_member, add_workspace, csrf_token, sign_in
from tests.services.test_webhooks import Receiver
from tests.web.helpers import create_assessment, post

PAGE = "/workspace/webhooks"


@pytest.fixture
def private_allowed(app: Flask) -> Iterator[None]:
    """Receivers here listen on 127.0.0.1, which production configuration never sends to; with it, nothing
    is resolved when a webhook is added, so example.com needs no DNS either."""
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    yield


def wait_for(condition: Callable[[], object], seconds: float = 5) -> None:
    """Deliveries leave in the background: wait for what they change."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def add_webhook(client: FlaskClient, url: str, events: tuple[str, ...] = ("decision.recorded",)):
    return client.post(PAGE, data={"url": url, "events": list(events), "csrf_token": csrf_token(client, PAGE)})


def decide(client: FlaskClient) -> float:
    """Record a decision on a new assessment through its report page; the seconds the request took."""
    assessment = create_assessment(client, organisation_name="Kaveh Foods").removesuffix("/answers")
    form = {"outcome": "go", "decided_by": "Steering committee", "decided_on": "2026-11-20", "conditions": ""}
    token = csrf_token(client, f"{assessment}/report")
    started = time.monotonic()
    response = client.post(f"{assessment}/decisions", data=form | {"csrf_token": token})
    took = time.monotonic() - started
    assert response.status_code == 302, response.get_data(as_text=True)
    return took


def stored(app: Flask) -> list[WebhookDelivery]:
    with app.app_context():
        found = list(session().scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at)))
        for delivery in found:
            session().expunge(delivery)
        return found


def test_a_decision_recorded_in_the_browser_reaches_the_endpoint_signed_with_the_secret_shown(
    app: Flask, client: FlaskClient, private_allowed: None
) -> None:
    with Receiver() as receiver:
        assert add_webhook(client, receiver.url).status_code == 302
        page = client.get(PAGE).get_data(as_text=True)
        secret = re.search(r'id="webhook-secret" type="text" readonly dir="ltr" value="([0-9a-f]{64})"', page).group(1)
        decide(client)
        wait_for(lambda: receiver.received)
        wait_for(lambda: stored(app)[0].delivered_at is not None)
    [got] = receiver.received
    timestamp, mac = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", got.headers["X-CRMGate-Signature"]).groups()
    assert mac == hmac.new(secret.encode(), f"{timestamp}.".encode() + got.body, hashlib.sha256).hexdigest()
    document = json.loads(got.body)
    assert document["event"] == got.headers["X-CRMGate-Event"] == "decision.recorded"
    assert document["data"]["organisation"]["name"] == "Kaveh Foods"
    assert (document["data"]["outcome"], document["data"]["decided_on"]) == ("go", "2026-11-20")
    log = client.get(PAGE).get_data(as_text=True)
    assert "decision is recorded" in log and "Delivered" in log and "HTTP status 200" in log


def test_a_failing_endpoint_is_retried_by_the_command_after_its_back_off(
    app: Flask, client: FlaskClient, private_allowed: None
) -> None:
    with Receiver(500, 200) as receiver:
        add_webhook(client, receiver.url)
        decide(client)
        wait_for(lambda: stored(app)[0].attempts == 1)
        [failed] = stored(app)
        assert failed.status_code == 500 and failed.delivered_at is None
        waited = as_utc(failed.next_attempt_at) - now()
        assert timedelta(seconds=30) < waited <= webhooks.RETRY_AFTER[0]
        runner = app.test_cli_runner()
        early = runner.invoke(args=["webhooks", "deliver"])
        assert early.exit_code == 0 and "0 webhook delivery(ies) delivered, 0 failed" in early.output
        with app.app_context():
            session().get_one(WebhookDelivery, failed.id).next_attempt_at = now() - timedelta(seconds=1)
            session().commit()
        due = runner.invoke(args=["webhooks", "deliver"])
        assert due.exit_code == 0 and "1 webhook delivery(ies) delivered, 0 failed" in due.output
    [delivered] = stored(app)
    assert (delivered.attempts, delivered.status_code, delivered.next_attempt_at) == (2, 200, None)
    assert [r.headers["X-CRMGate-Delivery"] for r in receiver.received] == [str(failed.id)] * 2


def test_a_hanging_endpoint_never_holds_up_the_users_request(
    app: Flask, client: FlaskClient, private_allowed: None
) -> None:
    with Receiver("hang") as receiver:
        add_webhook(client, receiver.url)
        took = decide(client)
        wait_for(lambda: receiver.received)
        assert stored(app)[0].attempts == 0  # the endpoint is still hanging ...
        assert took < 2  # ... and the page had answered, well within the delivery's five-second timeout
        receiver.release.set()
        wait_for(lambda: stored(app)[0].attempts == 1)


def test_an_error_an_endpoint_caused_is_shown_as_text(app: Flask, client: FlaskClient, private_allowed: None) -> None:
    with Receiver(500) as receiver:
        add_webhook(client, receiver.url)
        decide(client)
        wait_for(lambda: stored(app)[0].attempts == 1)
    with app.app_context():
        delivery = session().scalars(select(WebhookDelivery)).one()
        delivery.error = "certificate for '<script>alert(1)</script>' is 100% wrong"
        session().commit()
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.get_data(as_text=True)
    assert "<script>alert" not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://crm.example.com/hook", "Enter an address that starts with https:// or http:// and names a host."),
        ("file:///etc/passwd", "Enter an address that starts with https:// or http:// and names a host."),
        ("http://user:pw@crm.example.com/hook", "Leave any user name and password out of the address."),
        ("http://127.0.0.1:8000/hook", "This address leads into a private or local network"),
        ("http://10.0.0.1/hook", "This address leads into a private or local network"),
        ("http://[::1]/hook", "This address leads into a private or local network"),
        ("http://169.254.169.254/latest/meta-data/", "This address leads into a private or local network"),
        ("http://localhost/hook", "This address leads into a private or local network"),
        ("https://crm.example.com/" + "a" * 2000, "Enter an address of at most 2,000 characters."),
        ("", "This is required."),
    ],
)
def test_addresses_are_refused_with_a_clear_message_in_production(
    app: Flask, client: FlaskClient, url: str, message: str
) -> None:
    response = add_webhook(client, url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page.replace("&#39;", "'")
    assert stored(app) == [] and "<bdi" not in page.split('id="new-webhook-heading"')[0]


def test_the_form_needs_an_event(client: FlaskClient) -> None:
    response = add_webhook(client, "https://vendor-crm.example.net/hook", events=())
    assert response.status_code == 422 and "Choose at least one event." in response.get_data(as_text=True)


def test_a_test_event_reaches_the_endpoint_and_the_log_pages_latest_first(
    app: Flask, client: FlaskClient, private_allowed: None
) -> None:
    with Receiver() as receiver:
        add_webhook(client, receiver.url)
        action = re.search(r'action="(/workspace/webhooks/[^"]+/test)"', client.get(PAGE).get_data(as_text=True))
        for expected in (1, 2):
            assert post(client, action.group(1), {}, PAGE).status_code == 302
            wait_for(lambda n=expected: len(receiver.received) == n)
        wait_for(lambda: all(d.delivered_at for d in stored(app)))
    assert json.loads(receiver.received[0].body)["event"] == "webhook.test"
    first = client.get(f"{PAGE}?per_page=1").get_data(as_text=True)
    assert "A test sent from this page" in first and "Page 1 of 2" in first and "2 deliveries" in first
    assert client.get(f"{PAGE}?page=3&per_page=1").status_code == 404


def test_an_owner_disables_enables_and_deletes_a_webhook_and_makes_a_new_secret(
    app: Flask, client: FlaskClient, private_allowed: None
) -> None:
    url = "https://vendor-crm.example.net/hook"
    add_webhook(client, url, ("decision.recorded", "assessment.scored"))
    page = client.get(PAGE).get_data(as_text=True)
    assert url in page and "An assessment is scored" in page
    webhook = re.search(r"/workspace/webhooks/([0-9a-f-]{36})/disable", page).group(1)
    secret = re.search(r'id="webhook-secret"[^>]*value="(\w+)"', page).group(1)
    post(client, f"{PAGE}/{webhook}/disable", {}, PAGE)
    assert ">disabled<" in client.get(PAGE).get_data(as_text=True)
    post(client, f"{PAGE}/{webhook}/enable", {}, PAGE)
    assert ">enabled<" in client.get(PAGE).get_data(as_text=True)
    post(client, f"{PAGE}/secret", {}, PAGE)
    assert secret not in client.get(PAGE).get_data(as_text=True)
    post(client, f"{PAGE}/{webhook}/delete", {}, PAGE)
    assert url not in client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        actions = list(session().scalars(select(AuditEntry.action).order_by(AuditEntry.at)))
    assert [a for a in actions if a.startswith("webhook.")] == [
        "webhook.registered",
        "webhook.disabled",
        "webhook.enabled",
        "webhook.secret_rotated",
        "webhook.deleted",
    ]


def test_only_owners_reach_the_webhook_pages(
    app: Flask, client: FlaskClient, owner: Member, private_allowed: None
) -> None:
    add_webhook(client, "https://vendor-crm.example.net/hook")
    webhook = re.search(r"/workspace/webhooks/([0-9a-f-]{36})/disable", client.get(PAGE).get_data(as_text=True))
    routes = [f"{PAGE}/{webhook.group(1)}/{action}" for action in ("disable", "enable", "delete", "test")]
    for role in ("analyst", "viewer"):
        member = sign_in(app.test_client(), add_member(app, owner, f"{role}@example.com", role))
        assert member.get(PAGE).status_code == 403
        for route in [PAGE, f"{PAGE}/secret", *routes]:
            assert member.post(route, data={"csrf_token": csrf_token(member)}).status_code == 403
    stranger = sign_in(app.test_client(), add_workspace(app, "Other vendor", "other@example.com", "other-password-1"))
    assert stranger.get(PAGE).status_code == 200
    assert "vendor-crm.example.net" not in stranger.get(PAGE).get_data(as_text=True)
    for route in routes:
        assert stranger.post(route, data={"csrf_token": csrf_token(stranger)}).status_code == 404
    assert "https://vendor-crm.example.net/hook" in client.get(PAGE).get_data(as_text=True)
    assert "/workspace/webhooks" in client.get("/").get_data(as_text=True)
    assert app.test_client().get(PAGE).status_code == 302  # sign in first
