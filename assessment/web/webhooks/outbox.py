"""Webhook deliveries sent in the background once the change they report has committed, so that a slow
or failing endpoint never holds up or breaks the request that made the change.

What a sender misses (a full queue at shutdown, a crash) is still due in the database, and the next
`flask webhooks deliver` sends it.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from assessment.services import webhooks
from assessment.storage.database import session

_SENDERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="crmgate-webhooks")
"""Two senders per process: an endpoint that hangs holds one of them for seconds, never a request."""


def init_app(app: Flask) -> None:
    """After each commit of this app's sessions, send the deliveries the transaction added."""
    webhooks.install(app.extensions["db_sessions"], lambda ids: _send_soon(app, ids))


def _send_soon(app: Flask, delivery_ids: list[uuid.UUID]) -> None:
    try:
        _SENDERS.submit(_send_in, app, delivery_ids)
    except RuntimeError:  # the process is stopping: the deliveries stay due for `flask webhooks deliver`
        app.logger.warning("webhook deliveries left for `flask webhooks deliver`: %s", delivery_ids)


def _send_in(app: Flask, delivery_ids: list[uuid.UUID]) -> None:
    with app.app_context():
        for delivery_id in delivery_ids:
            try:
                webhooks.deliver(session(), delivery_id, app.config["WEBHOOKS_ALLOW_PRIVATE"])
            except Exception:  # noqa: BLE001 - logged; the delivery stays due for `flask webhooks deliver`
                session().rollback()
                app.logger.exception("webhook delivery %s failed", delivery_id)
