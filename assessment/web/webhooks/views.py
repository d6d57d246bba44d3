"""The webhooks page for workspace owners: endpoints and their events, the signing secret, the delivery log."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessment.services import webhooks
from assessment.services.webhook_targets import TargetError
from assessment.storage.database import session
from assessment.storage.models import MemberRole, Webhook
from assessment.web import pages
from assessment.web.access import current_actor, member_required, require_workspace, workspace_record
from assessment.web.i18n import format_number
from assessment.web.webhooks.forms import EVENT_LABELS, WebhookForm

bp = Blueprint("webhooks", __name__, url_prefix="/workspace/webhooks")


@bp.get("")
@member_required(MemberRole.OWNER)
def index() -> str:
    return _page(WebhookForm())


@bp.post("")
@member_required(MemberRole.OWNER)
def add() -> Response | tuple[str, int]:
    form = WebhookForm()
    if form.validate_on_submit():
        workspace = require_workspace(MemberRole.OWNER).workspace
        try:
            webhooks.register(
                session(),
                workspace,
                form.url.data,
                form.events.data,
                current_actor(),
                allow_private=current_app.config["WEBHOOKS_ALLOW_PRIVATE"],
            )
        except TargetError as refused:
            figures = {name: format_number(value) for name, value in refused.figures.items()}
            form.url.errors = [_(refused.message, **figures)]
        else:
            flash(_("The webhook is added: its events are sent to %(url)s.", url=form.url.data), "success")
            return redirect(url_for(".index"))
    return _page(form), 422


@bp.post("/<uuid:webhook_id>/disable")
@member_required(MemberRole.OWNER)
def disable(webhook_id: uuid.UUID) -> Response:
    webhooks.disable(session(), _webhook(webhook_id), current_actor())
    flash(_("The webhook is disabled: nothing is sent to it until it is enabled again."), "success")
    return redirect(url_for(".index"))


@bp.post("/<uuid:webhook_id>/enable")
@member_required(MemberRole.OWNER)
def enable(webhook_id: uuid.UUID) -> Response:
    webhooks.enable(session(), _webhook(webhook_id), current_actor())
    flash(_("The webhook is enabled: what waited is sent at its next attempt."), "success")
    return redirect(url_for(".index"))


@bp.post("/<uuid:webhook_id>/delete")
@member_required(MemberRole.OWNER)
def delete(webhook_id: uuid.UUID) -> Response:
    webhooks.delete(session(), _webhook(webhook_id), current_actor())
    flash(_("The webhook and its deliveries are deleted."), "success")
    return redirect(url_for(".index"))


@bp.post("/<uuid:webhook_id>/test")
@member_required(MemberRole.OWNER)
def test(webhook_id: uuid.UUID) -> Response:
    """Send a test event; it leaves in the background, and its outcome shows in the log."""
    webhooks.send_test(session(), _webhook(webhook_id))
    flash(_("A test event is on its way: reload in a moment to see its delivery in the log."), "success")
    return redirect(url_for(".index", _anchor="deliveries"))


@bp.post("/secret")
@member_required(MemberRole.OWNER)
def rotate_secret() -> Response:
    webhooks.rotate_secret(session(), require_workspace(MemberRole.OWNER).workspace, current_actor())
    flash(_("A new signing secret is made: every delivery from now on is signed with it."), "success")
    return redirect(url_for(".index", _anchor="secret"))


def _webhook(webhook_id: uuid.UUID) -> Webhook:
    return workspace_record(Webhook, webhook_id, MemberRole.OWNER)


def _page(form: WebhookForm) -> str:
    workspace = require_workspace(MemberRole.OWNER).workspace
    registered = webhooks.webhooks_of(session(), workspace.id)
    log = webhooks.delivery_log(session(), workspace.id, pages.window())
    return render_template(
        "webhooks/index.html",
        form=form,
        webhooks=registered,
        urls={webhook.id: webhook.url for webhook in registered},
        deliveries=pages.navigation(log),
        # Translated here, not in the template: Jinja's `_` would take a stored error for markup and format it.
        errors={delivery.id: _(delivery.error) for delivery in log.items if delivery.error},
        secret=webhooks.secret_of(session(), workspace),
        event_labels=EVENT_LABELS,
    )
