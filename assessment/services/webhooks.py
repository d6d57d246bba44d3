"""Webhooks: endpoints a workspace owner registers, so that a vendor's own CRM hears at once of an
assessment scored, a decision recorded or a quick scan received.

An event becomes one delivery per subscribed webhook inside the transaction of the change it reports
(`emit`), so a change rolled back announces nothing. Once that transaction commits, the hook `install`
puts on the sessions hands the new deliveries to a sender in the background; `flask webhooks deliver`
(cron) sends whatever is due later: retries after their back-off, and any first attempt a sender missed.
Each delivery is signed with the workspace's secret (docs/WEBHOOKS.md says how a receiver checks it).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select, update
from sqlalchemy.orm import Session, SessionTransaction

from assessment.engine.text import N_
from assessment.services import audit
from assessment.services.audit import Actor
from assessment.services.paging import Page, Window, page_of
from assessment.services.webhook_targets import TargetError, address_of, check, parse, post
from assessment.storage.models import Webhook, WebhookDelivery, Workspace, as_utc, now


@dataclass(frozen=True)
class Event:
    """Something a webhook can be told of."""

    name: str
    label: str
    """What it means, an English msgid translated where it is shown."""


SCORED = Event("assessment.scored", N_("An assessment is scored"))
DECIDED = Event("decision.recorded", N_("The committee's decision is recorded"))
RECEIVED = Event("quick_scan.received", N_("A quick scan is received"))
EVENTS = (SCORED, DECIDED, RECEIVED)
TEST_EVENT = Event("webhook.test", N_("A test sent from this page"))
"""Sent to one webhook when its owner asks, whatever events it takes."""

RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
"""The wait after each failed attempt before the next: six attempts over about fifteen hours, then the
delivery is given up (it stays in the log). Long enough to ride out a receiver's outage or deployment,
short enough that a CRM is not told a day late; each wait grows so a struggling receiver is not flooded."""
HOLD = timedelta(minutes=2)
"""How long a sender holds a delivery it has claimed (longer than an attempt can take): nobody else sends
it meanwhile, and if the sender dies it is sent again after this."""
USER_AGENT = "CRM-Gate-Webhooks/1"
REDIRECTED = N_("The endpoint answered with a redirect, which is never followed.")
_PENDING = "webhook_deliveries"
"""The key in `Session.info` under which a transaction's new deliveries wait for its commit."""


def install(session_class: Any, send_soon: Callable[[list[uuid.UUID]], object]) -> None:
    """Hand the deliveries each transaction adds to `send_soon` once it has committed; a rollback drops them."""
    sqlalchemy_event.listen(session_class, "after_commit", lambda session: _hand_over(session, send_soon))
    sqlalchemy_event.listen(session_class, "after_transaction_end", _forget)


def _hand_over(session: Session, send_soon: Callable[[list[uuid.UUID]], object]) -> None:
    if pending := session.info.pop(_PENDING, None):
        send_soon(pending)


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def register(
    session: Session, workspace: Workspace, url: str, events: Collection[str], actor: Actor, allow_private: bool = False
) -> Webhook:
    """A new webhook for `events` at `url`, once the URL is found acceptable (else TargetError); the
    workspace gets its signing secret with its first webhook."""
    check(url, allow_private)
    chosen = [e.name for e in EVENTS if e.name in events]
    if not chosen or len(chosen) != len(set(events)):
        raise ValueError(f"events must be some of {[e.name for e in EVENTS]}, not {sorted(events)}")
    webhook = Webhook(workspace_id=workspace.id, url=url, events=chosen)
    session.add(webhook)
    _ensure_secret(workspace)
    audit.record(session, workspace.id, actor, "webhook.registered", url, new=", ".join(chosen))
    session.commit()
    return webhook


def disable(session: Session, webhook: Webhook, actor: Actor) -> None:
    """Stop sending to `webhook`; what is waiting to be sent waits until it is enabled again."""
    webhook.disabled_at = now()
    audit.record(session, webhook.workspace_id, actor, "webhook.disabled", webhook.url)
    session.commit()


def enable(session: Session, webhook: Webhook, actor: Actor) -> None:
    """Send to `webhook` again, beginning with whatever waited and is not given up."""
    webhook.disabled_at = None
    audit.record(session, webhook.workspace_id, actor, "webhook.enabled", webhook.url)
    session.commit()


def delete(session: Session, webhook: Webhook, actor: Actor) -> None:
    """Remove `webhook` and its deliveries (the database cascades)."""
    session.delete(webhook)
    audit.record(session, webhook.workspace_id, actor, "webhook.deleted", webhook.url)
    session.commit()


def secret_of(session: Session, workspace: Workspace) -> str:
    """The key the workspace's deliveries are signed with, created (and committed) on first use."""
    if workspace.webhook_secret is None:
        _ensure_secret(workspace)
        session.commit()
    return _ensure_secret(workspace)


def _ensure_secret(workspace: Workspace) -> str:
    if workspace.webhook_secret is None:
        workspace.webhook_secret = secrets.token_hex(32)
    return workspace.webhook_secret


def rotate_secret(session: Session, workspace: Workspace, actor: Actor) -> str:
    """A new signing secret; every delivery from now on, retries included, is signed with it."""
    workspace.webhook_secret = secrets.token_hex(32)
    audit.record(session, workspace.id, actor, "webhook.secret_rotated", workspace.name)
    session.commit()
    return workspace.webhook_secret


def emit(session: Session, workspace_id: uuid.UUID, event: str, data: Mapping[str, Any]) -> None:
    """Add a delivery of `event` with `data` for each enabled webhook of the workspace that takes it, to the
    caller's transaction: it commits, and is then sent, only with the change it reports. Dates and ids in
    `data` are written as ISO strings."""
    if event not in {e.name for e in EVENTS}:
        raise ValueError(f"unknown webhook event {event!r}")
    enabled = select(Webhook).where(Webhook.workspace_id == workspace_id, Webhook.disabled_at.is_(None))
    for webhook in [w for w in session.scalars(enabled) if event in w.events]:
        _queue(session, webhook, event, data)


def send_test(session: Session, webhook: Webhook) -> None:
    """Queue a test delivery to `webhook`, sent like any other once committed (while the webhook is enabled)."""
    _queue(session, webhook, TEST_EVENT.name, {"webhook_id": webhook.id, "url": webhook.url})
    session.commit()


def _queue(session: Session, webhook: Webhook, event: str, data: Mapping[str, Any]) -> None:
    delivery = WebhookDelivery(
        id=uuid.uuid4(), webhook_id=webhook.id, event=event, payload=_plain(data), next_attempt_at=now()
    )
    session.add(delivery)
    session.info.setdefault(_PENDING, []).append(delivery.id)


def _plain(data: Mapping[str, Any]) -> Any:
    """`data` as JSON holds it: dates and datetimes in ISO 8601, ids as strings."""

    def written(value: Any) -> str:
        return value.isoformat() if isinstance(value, date | datetime) else str(value)

    return json.loads(json.dumps(data, default=written))


def webhooks_of(session: Session, workspace_id: uuid.UUID) -> list[Webhook]:
    """The workspace's webhooks, oldest first."""
    query = select(Webhook).where(Webhook.workspace_id == workspace_id)
    return list(session.scalars(query.order_by(Webhook.created_at, Webhook.id)))


def delivery_log(session: Session, workspace_id: uuid.UUID, window: Window) -> Page[WebhookDelivery]:
    """A page of the deliveries to the workspace's webhooks, latest first."""
    query = (
        select(WebhookDelivery)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(Webhook.workspace_id == workspace_id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    )
    return page_of(session, query, window)


def due(session: Session) -> list[uuid.UUID]:
    """Deliveries to enabled webhooks whose next attempt has come, oldest first."""
    query = (
        select(WebhookDelivery.id)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            Webhook.disabled_at.is_(None),
            WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.next_attempt_at <= now(),
        )
        .order_by(WebhookDelivery.next_attempt_at)
    )
    return list(session.scalars(query))


def deliver_due(session: Session, allow_private: bool) -> tuple[int, int]:
    """Send every delivery that is due; how many were delivered and how many failed."""
    outcomes = [deliver(session, delivery_id, allow_private) for delivery_id in due(session)]
    return outcomes.count(True), outcomes.count(False)


def deliver(session: Session, delivery_id: uuid.UUID, allow_private: bool) -> bool | None:
    """One attempt at a delivery that is due: whether the endpoint took it (any 2xx), or None when it was
    not ours to send (delivered, not due, its webhook disabled or deleted, or claimed by another sender).

    The claim is committed before the request, so no transaction stays open while the endpoint answers;
    as it commits, call it outside any other change.
    """
    claimed = _claim(session, delivery_id)
    if claimed is None:
        return None
    delivery, url, secret, workspace_id = claimed
    status: int | None = None
    error: str | None = None
    try:
        endpoint = parse(url)
        body = body_of(delivery, workspace_id)
        status = post(endpoint, address_of(endpoint, allow_private), body, headers(delivery, body, secret))
    except TargetError as refused:
        error = refused.message
    except (OSError, http.client.HTTPException) as failed:
        error = (str(failed) or failed.__class__.__name__)[:200]
    if status is not None and 300 <= status < 400:
        error = REDIRECTED
    return _record(session, delivery, status, error)


def _claim(session: Session, delivery_id: uuid.UUID) -> tuple[WebhookDelivery, str, str, uuid.UUID] | None:
    found = session.execute(
        select(WebhookDelivery, Webhook)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.id == delivery_id, Webhook.disabled_at.is_(None))
        .execution_options(populate_existing=True)
    ).first()
    if found is None:
        session.rollback()
        return None
    delivery, webhook = found
    moment = now()
    claimed = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.next_attempt_at <= moment,
        )
        .values(next_attempt_at=moment + HOLD)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        session.rollback()
        return None
    secret = _ensure_secret(session.get_one(Workspace, webhook.workspace_id))
    session.commit()
    return delivery, webhook.url, secret, webhook.workspace_id


def _record(session: Session, delivery: WebhookDelivery, status: int | None, error: str | None) -> bool:
    delivery.attempts += 1
    delivery.status_code, delivery.error = status, error
    delivered = status is not None and 200 <= status < 300
    if delivered:
        delivery.delivered_at, delivery.next_attempt_at = now(), None
    elif delivery.attempts <= len(RETRY_AFTER):
        delivery.next_attempt_at = now() + RETRY_AFTER[delivery.attempts - 1]
    else:
        delivery.next_attempt_at = None
    session.commit()
    return delivered


def body_of(delivery: WebhookDelivery, workspace_id: uuid.UUID) -> bytes:
    """What is posted: the same bytes at every attempt, so a receiver can tell a retry by its id."""
    document = {
        "id": str(delivery.id),
        "event": delivery.event,
        "created_at": as_utc(delivery.created_at).isoformat(),
        "workspace_id": str(workspace_id),
        "data": delivery.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def headers(delivery: WebhookDelivery, body: bytes, secret: str) -> dict[str, str]:
    """The request's headers, with a signature of `body` made now (each attempt is signed anew)."""
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-CRMGate-Event": delivery.event,
        "X-CRMGate-Delivery": str(delivery.id),
        "X-CRMGate-Signature": signature(secret, int(time.time()), body),
    }


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`, keyed with the secret's own characters."""
    mac = hmac.new(secret.encode("ascii"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
