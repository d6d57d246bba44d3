"""The pipeline page, its downloads and its JSON, and the prospect form."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessment.engine.policy import BenchmarkPolicy
from assessment.services import pipeline as service
from assessment.storage.database import session
from assessment.storage.models import MemberRole, Prospect
from assessment.web import pages
from assessment.web.access import current_actor, organisation_for, require_workspace
from assessment.web.api.views import bp as api
from assessment.web.labels import BUSINESS_TYPES, OUTCOMES, SIZE_BANDS
from assessment.web.pipeline.forms import ProspectForm
from assessment.web.pipeline.rows import HEADER, prospect_document, spreadsheet_row
from assessment.web.spreadsheets import spreadsheet_response

bp = Blueprint("pipeline", __name__)

FILTERS = ("stage", "qualification", "decision", "industry", "business_type", "size", "owner", "q")


def _filters() -> service.Filters:
    """The filters the request asks for; values longer than a name could be are ignored."""
    return service.Filters(**{name: request.args.get(name, "")[:200] for name in FILTERS})


def _policy() -> BenchmarkPolicy:
    return current_app.extensions["definitions"].policy.benchmarks


@bp.get("/pipeline")
def index() -> str:
    membership = require_workspace(MemberRole.VIEWER)
    g.rial_in_toman = membership.workspace.rial_in_toman
    filters = _filters()
    sort, page = service.pipeline(
        session(), membership.workspace_id, _policy(), filters, request.args.get("sort", ""), pages.window()
    )
    bands = current_app.extensions["definitions"].sizes.bands
    choices = service.choices(session(), membership.workspace_id)
    return render_template(
        "pipeline/index.html",
        prospects=pages.navigation(page),
        filters=filters,
        sort=sort,
        choices=choices,
        size_options=[(band.id, SIZE_BANDS.get(band.id, band.id)) for band in bands],
        owner_options=[(str(user.id), user.name) for user in choices.owners],
        outcomes=OUTCOMES,
        business_types=BUSINESS_TYPES,
        min_peers=_policy().min_peers,
    )


@bp.get("/pipeline.<fmt>")
def download(fmt: str) -> Response:
    """Every prospect the filters keep, as CSV or XLSX."""
    membership = require_workspace(MemberRole.VIEWER)
    rows = service.everything(session(), membership.workspace_id, _policy(), _filters(), request.args.get("sort", ""))
    return spreadsheet_response(_("pipeline"), [str(h) for h in HEADER], map(spreadsheet_row, rows), fmt)


@api.get("/pipeline")
def api_pipeline() -> Response:
    """The pipeline as JSON, with the same filters, sorts and pages as the page (docs in openapi.yaml)."""
    sort, page = service.pipeline(
        session(), g.api_token.workspace_id, _policy(), _filters(), request.args.get("sort", ""), pages.window()
    )
    return jsonify(
        prospects=[prospect_document(row) for row in page.items],
        sort=sort,
        page=page.number,
        per_page=page.size,
        pages=page.pages,
        total=page.total,
        links=pages.navigation(page, external=True).links(),
    )


@bp.route("/organisations/<uuid:organisation_id>/prospect", methods=["GET", "POST"])
def prospect(organisation_id: uuid.UUID) -> str | Response:
    organisation = organisation_for(organisation_id, MemberRole.ANALYST)
    current = session().get(Prospect, organisation.id)
    form = ProspectForm(data=_form_data(current))
    owners = service.members(session(), organisation.workspace_id)
    form.owner.choices = [("", _("Nobody yet"))] + [(str(u.id), u.name) for u in owners]
    if form.validate_on_submit():
        owner = next((u for u in owners if str(u.id) == form.owner.data), None)
        deal = (float(form.deal_value.data), form.deal_currency.data) if form.deal_value.data is not None else None
        service.set_prospect(session(), organisation, owner, deal, current_actor())
        flash(_("Saved who looks after %(name)s and the deal expected.", name=organisation.name), "success")
        return redirect(request.args.get("next") if _safe(request.args.get("next")) else url_for("pipeline.index"))
    return render_template("pipeline/prospect.html", organisation=organisation, form=form)


def _form_data(current: Prospect | None) -> dict[str, Any]:
    """The form as the prospect stands; a posted form overrides it."""
    if current is None:
        return {"owner": "", "deal_value": None, "deal_currency": "USD"}
    owner = str(current.owner_id) if current.owner_id else ""
    return {"owner": owner, "deal_value": current.deal_value, "deal_currency": current.deal_currency or "USD"}


def _safe(target: str | None) -> bool:
    """Only a path on this site may be gone back to."""
    return bool(target) and target.startswith("/") and not target.startswith("//")
