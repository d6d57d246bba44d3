"""What only an invited respondent has: submitting their answers as finished, and the thanks.

Mounted under the respondent's link only (the lead answers every question and finishes nothing);
the link is resolved as the questionnaire pages resolve it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from assessment.services import assessments
from assessment.storage.database import session
from assessment.storage.models import MemberRole
from assessment.web.limits import ANSWERING, per_link
from assessment.web.survey.sitting import Sitting, resolve

bp = Blueprint("finish", __name__)
per_link(ANSWERING)(bp)


@bp.url_value_preprocessor
def _take_token(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.finish_token = (values or {}).pop("token", None)


@bp.url_defaults
def _token_in_urls(_endpoint: str, values: dict[str, Any]) -> None:
    sitting: Sitting | None = g.get("sitting")
    if sitting is not None and "token" not in values:
        values["token"] = sitting.respondent.token


@bp.before_request
def _resolve_sitting() -> None:
    g.sitting = resolve(None, g.pop("finish_token"), MemberRole.ANALYST)
    assessments.seen(session(), g.sitting.respondent)


@bp.post("/finish")
def finish() -> Response:
    """The respondent submits their answers as finished, whatever is still unanswered, and is thanked."""
    assessments.finish(session(), g.sitting.respondent)
    return redirect(url_for(".thanks"))


@bp.get("/thanks")
def thanks() -> str:
    return render_template("survey/thanks.html", sitting=g.sitting)
