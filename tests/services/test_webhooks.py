"""Webhooks as use cases: events kept in the change's own transaction, addresses refused before and at each
delivery, signatures, back-off, redirects never followed; against a real HTTP endpoint on this machine."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import func, select

from assessment.services import report, webhook_targets, webhooks
from assessment.services.webhook_targets import TargetError
from assessment.storage.database import session
from assessment.storage.models import AuditEntry, Webhook, WebhookDelivery, Workspace, as_utc, now
from assessment.web.webhooks import outbox
from tests.services.conftest import ANALYST, Setting

DECISION = "decision.recorded"


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that keeps what it is sent and answers each POST with the next of
    `replies` (the last one repeats): a status code, `"hang"` (until `release` is set), or a redirect."""

    def __init__(self, *replies: int | str | tuple[int, str]) -> None:
        self.replies = list(replies) or [200]
        self.received: list[Received] = []
        self.release = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.received.append(Received(self.path, dict(self.headers), body))
                reply = owner.replies.pop(0) if len(owner.replies) > 1 else owner.replies[0]
                if reply == "hang":
                    owner.release.wait(10)
                    reply = 200
                status, location = reply if isinstance(reply, tuple) else (reply, None)
                self.send_response(int(status))
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, *_args: Any) -> None:
                pass  # a client that gave up (a timeout) is expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/crm?source=crm-gate"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def handed_over(monkeypatch: pytest.MonkeyPatch) -> list[list[uuid.UUID]]:
    """Deliveries handed to the background senders after a commit, kept instead of sent, so that each test
    sends when it means to."""
    handed: list[list[uuid.UUID]] = []

    class Keeper:
        def submit(self, _send: Callable[..., None], _app: object, ids: list[uuid.UUID]) -> None:
            handed.append(ids)

    monkeypatch.setattr(outbox, "_SENDERS", Keeper())
    return handed


def workspace_of(setting: Setting) -> Workspace:
    return setting.assessment.organisation.workspace


def hook(setting: Setting, url: str, *events: str) -> Webhook:
    return webhooks.register(session(), workspace_of(setting), url, events or (DECISION,), ANALYST, allow_private=True)


def deliveries() -> list[WebhookDelivery]:
    return list(session().scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at)))


def decide(setting: Setting) -> None:
    gathered = report.build_report(session(), setting.assessment, show_respondents=True)
    report.record_decision(session(), setting.assessment, gathered, "no_go", "Not yet", "Board", now().date(), ANALYST)


def make_due(delivery: WebhookDelivery) -> None:
    """The back-off's wait passed: rather than sleep for minutes, move the next attempt to now."""
    delivery.next_attempt_at = now() - timedelta(seconds=1)
    session().commit()


def test_an_event_is_one_delivery_per_enabled_webhook_that_takes_it(
    setting: Setting, handed_over: list[list[uuid.UUID]]
) -> None:
    taker = hook(setting, "https://crm.example.com/a")
    hook(setting, "https://crm.example.com/b", "assessment.scored")
    webhooks.disable(session(), hook(setting, "https://crm.example.com/c"), ANALYST)
    decide(setting)
    [delivery] = deliveries()
    assert (delivery.webhook_id, delivery.event, delivery.attempts) == (taker.id, DECISION, 0)
    assert delivery.payload == {
        "assessment_id": str(setting.assessment.id),
        "organisation": {"id": str(setting.assessment.organisation_id), "name": "Parsian"},
        "outcome": "no_go",
        "decided_on": now().date().isoformat(),
        "decided_by": "Board",
        "conditions": "Not yet",
    }
    assert handed_over == [[delivery.id]]


def test_a_rolled_back_change_emits_nothing(setting: Setting, handed_over: list[list[uuid.UUID]]) -> None:
    hook(setting, "https://crm.example.com/a")
    webhooks.emit(session(), workspace_of(setting).id, DECISION, {"outcome": "go"})
    session().rollback()
    assert deliveries() == [] and handed_over == []
    session().get_one(Workspace, workspace_of(setting).id).name = "Renamed"
    session().commit()  # a later transaction hands over nothing of the one rolled back
    assert handed_over == []


def test_an_unknown_event_is_a_programming_error(setting: Setting) -> None:
    with pytest.raises(ValueError, match="unknown webhook event"):
        webhooks.emit(session(), workspace_of(setting).id, "assessment.deleted", {})
    with pytest.raises(ValueError):
        hook(setting, "https://crm.example.com/a", "assessment.deleted")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://crm.example.com/hook", webhook_targets.NOT_WEB),
        ("file:///etc/passwd", webhook_targets.NOT_WEB),
        ("javascript:alert(1)", webhook_targets.NOT_WEB),
        ("https://", webhook_targets.NOT_WEB),
        ("https://crm.example.com:99999/", webhook_targets.NOT_WEB),
        ("https://crm.example.com/a b", webhook_targets.NOT_WEB),
        ("http://user:pw@crm.example.com/hook", webhook_targets.CREDENTIALS),
        ("http://user@crm.example.com/hook", webhook_targets.CREDENTIALS),
        ("https://crm.example.com/" + "a" * 2000, webhook_targets.TOO_LONG),
        ("http://127.0.0.1/hook", webhook_targets.INTERNAL),
        ("http://10.0.0.1/hook", webhook_targets.INTERNAL),
        ("http://192.168.1.20:8080/hook", webhook_targets.INTERNAL),
        ("http://[::1]/hook", webhook_targets.INTERNAL),
        ("http://[::ffff:127.0.0.1]/hook", webhook_targets.INTERNAL),
        ("http://169.254.169.254/latest/meta-data/", webhook_targets.INTERNAL),
        ("http://0.0.0.0/hook", webhook_targets.INTERNAL),
        ("http://224.0.0.1/hook", webhook_targets.INTERNAL),
        ("http://localhost:8000/hook", webhook_targets.INTERNAL),
    ],
)
def test_registering_refuses_anything_but_a_public_http_address(setting: Setting, url: str, message: str) -> None:
    with pytest.raises(TargetError) as refused:
        webhooks.register(session(), workspace_of(setting), url, [DECISION], ANALYST)
    assert refused.value.message == message
    session().rollback()
    assert session().scalar(select(func.count()).select_from(Webhook)) == 0
    assert session().scalar(select(func.count()).where(AuditEntry.action == "webhook.registered")) == 0


def test_a_url_is_read_into_what_a_request_line_can_carry() -> None:
    endpoint = webhook_targets.parse("HTTPS://Bücher.example:8443/hooks/ünï?q=ü&x=1")
    assert endpoint == webhook_targets.Endpoint(
        True, "xn--bcher-kva.example", 8443, "/hooks/%C3%BCn%C3%AF?q=%C3%BC&x=1"
    )
    assert webhook_targets.parse("http://crm.example.com").path == "/"
    assert webhook_targets.parse("http://[2606:4700::1111]/h").host == "2606:4700::1111"


def test_allowing_private_addresses_lifts_only_the_address_check(setting: Setting) -> None:
    assert hook(setting, "http://127.0.0.1:8000/hook").url == "http://127.0.0.1:8000/hook"
    for refused in ("ftp://127.0.0.1/hook", "http://user:pw@127.0.0.1/hook"):
        with pytest.raises(TargetError):
            hook(setting, refused)


@pytest.mark.parametrize(
    ("address", "inside"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.0.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("0.0.0.0", True),  # noqa: S104 - an address to refuse, not one to listen on
        ("224.0.0.251", True),
        ("240.0.0.1", True),
        ("255.255.255.255", True),
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("ff02::1", True),
        ("::ffff:10.0.0.1", True),
        ("2002:7f00:1::", True),
        ("93.184.215.14", False),
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
    ],
)
def test_internal_addresses_are_told_apart_from_public_ones(address: str, inside: bool) -> None:
    assert webhook_targets.internal(ipaddress.ip_address(address)) is inside


def test_a_delivery_is_posted_signed_and_recorded(setting: Setting, handed_over: list[list[uuid.UUID]]) -> None:
    with Receiver(204) as receiver:
        hook(setting, receiver.url)
        decide(setting)
        [delivery] = deliveries()
        assert webhooks.deliver(session(), delivery.id, allow_private=True) is True
        assert webhooks.deliver(session(), delivery.id, allow_private=True) is None  # delivered: never again
    [got] = receiver.received
    assert got.path == "/hooks/crm?source=crm-gate"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["User-Agent"] == "CRM-Gate-Webhooks/1"
    assert (got.headers["X-CRMGate-Event"], got.headers["X-CRMGate-Delivery"]) == (DECISION, str(delivery.id))
    document = json.loads(got.body)
    assert document["id"] == str(delivery.id) and document["event"] == DECISION
    assert document["workspace_id"] == str(workspace_of(setting).id)
    assert document["data"]["outcome"] == "no_go"
    timestamp, mac = (part.split("=", 1)[1] for part in got.headers["X-CRMGate-Signature"].split(","))
    secret = webhooks.secret_of(session(), workspace_of(setting)).encode()
    assert mac == hmac.new(secret, timestamp.encode() + b"." + got.body, hashlib.sha256).hexdigest()
    assert abs(int(timestamp) - now().timestamp()) < 60
    session().refresh(delivery)
    assert (delivery.attempts, delivery.status_code, delivery.error, delivery.next_attempt_at) == (1, 204, None, None)
    assert delivery.delivered_at is not None


def test_failures_are_retried_after_growing_waits_then_given_up(
    setting: Setting, handed_over: list[list[uuid.UUID]]
) -> None:
    with Receiver(500) as receiver:
        hook(setting, receiver.url)
        decide(setting)
        [delivery] = deliveries()
        assert webhooks.deliver_due(session(), allow_private=True) == (0, 1)
        for attempt, wait in enumerate(webhooks.RETRY_AFTER, start=1):
            session().refresh(delivery)
            assert (delivery.attempts, delivery.status_code) == (attempt, 500)
            assert abs(as_utc(delivery.next_attempt_at) - (now() + wait)) < timedelta(seconds=30)
            assert webhooks.deliver_due(session(), allow_private=True) == (0, 0)  # not due before its time
            make_due(delivery)
            assert webhooks.deliver_due(session(), allow_private=True) == (0, 1)
        session().refresh(delivery)
        assert delivery.attempts == len(webhooks.RETRY_AFTER) + 1
        assert delivery.next_attempt_at is None and delivery.delivered_at is None  # given up
    assert len(receiver.received) == len(webhooks.RETRY_AFTER) + 1
    assert len({r.headers["X-CRMGate-Delivery"] for r in receiver.received}) == 1  # the same delivery each time


def test_a_redirect_is_never_followed(setting: Setting, handed_over: list[list[uuid.UUID]]) -> None:
    with Receiver() as elsewhere, Receiver((302, elsewhere.url)) as receiver:
        hook(setting, receiver.url)
        decide(setting)
        [delivery] = deliveries()
        assert webhooks.deliver(session(), delivery.id, allow_private=True) is False
    assert len(receiver.received) == 1 and elsewhere.received == []
    session().refresh(delivery)
    assert (delivery.status_code, delivery.error) == (302, webhooks.REDIRECTED)
    assert delivery.next_attempt_at is not None


def test_an_endpoint_that_hangs_fails_after_the_timeout(
    setting: Setting, handed_over: list[list[uuid.UUID]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook_targets, "TIMEOUT", 0.3)
    with Receiver("hang") as receiver:
        hook(setting, receiver.url)
        decide(setting)
        [delivery] = deliveries()
        assert webhooks.deliver(session(), delivery.id, allow_private=True) is False
    session().refresh(delivery)
    assert delivery.status_code is None and "timed out" in delivery.error
    assert delivery.next_attempt_at is not None


def test_the_address_is_checked_again_at_each_delivery(setting: Setting, handed_over: list[list[uuid.UUID]]) -> None:
    with Receiver() as receiver:
        hook(setting, receiver.url)  # allowed when registered (a test setting) ...
        decide(setting)
        [delivery] = deliveries()
        assert webhooks.deliver(session(), delivery.id, allow_private=False) is False  # ... not in production
    assert receiver.received == []
    session().refresh(delivery)
    assert delivery.error == webhook_targets.INTERNAL


def test_a_disabled_webhook_is_sent_nothing_until_enabled(setting: Setting, handed_over: list[list[uuid.UUID]]) -> None:
    with Receiver() as receiver:
        webhook = hook(setting, receiver.url)
        decide(setting)
        webhooks.disable(session(), webhook, ANALYST)
        assert webhooks.deliver_due(session(), allow_private=True) == (0, 0)
        webhooks.enable(session(), webhook, ANALYST)
        assert webhooks.deliver_due(session(), allow_private=True) == (1, 0)
    assert len(receiver.received) == 1


def test_the_secret_is_made_once_and_a_rotation_replaces_it_in_the_audit_trail(setting: Setting) -> None:
    workspace = workspace_of(setting)
    first = webhooks.secret_of(session(), workspace)
    assert len(first) == 64 and webhooks.secret_of(session(), workspace) == first
    second = webhooks.rotate_secret(session(), workspace, ANALYST)
    assert second != first and session().get_one(Workspace, workspace.id).webhook_secret == second
    actions = session().scalars(select(AuditEntry.action).where(AuditEntry.workspace_id == workspace.id))
    assert "webhook.secret_rotated" in set(actions)


def test_deleting_a_webhook_deletes_its_deliveries(setting: Setting, handed_over: list[list[uuid.UUID]]) -> None:
    webhook = hook(setting, "https://crm.example.com/a")
    decide(setting)
    webhooks.delete(session(), webhook, ANALYST)
    assert deliveries() == []
    actions = set(session().scalars(select(AuditEntry.action)))
    assert {"webhook.registered", "webhook.deleted"} <= actions
