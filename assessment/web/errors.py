"""Errors in one place: a page for people, JSON for programs; a failed request's session is rolled back.

The API, the survey's autosave and the `.json` documents are read by programs (the page's script
among them), so their errors are always `{"error": message}` in the reader's language, whatever
the status; so are the errors of anyone who asks for JSON. Documents refuse NaN and infinity: a
figure that is not a number is a bug to report, never JSON that no parser reads.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, g, jsonify, render_template, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, TooManyRequests
from werkzeug.wrappers import Response

from assessment.services.economics import UnusableScenario
from assessment.web.limits import limiter

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not do this"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("What you sent is too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
    503: _l("Please try again in a moment"),
}

Reply = tuple[str | Response, int]


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing NaN and infinity (Python writes them as `NaN`, which is not JSON)."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)


def wants_json() -> bool:
    """Whether the asker is a program: the API, the autosave, a `.json` document, or a client preferring JSON."""
    # By address rather than endpoint, so that an address no route matches (404, 405) is answered alike.
    return (
        request.path.startswith("/api/")
        or request.path.endswith(("/autosave", ".json"))
        or request.accept_mimetypes.best == "application/json"
    )


def _reply(
    code: int, detail: str | None = None, action: tuple[str, str] | None = None, title: str | None = None, **extra: Any
) -> Reply:
    """The error as JSON for a program, or as a page; `action` is a link (address, label) the page offers."""
    title = title or str(TITLES.get(code, TITLES[500]))
    if wants_json():
        return jsonify(error=detail or title, **extra), code
    return render_template("error.html", code=code, title=title, detail=detail, action=action), code


def _http_error(error: HTTPException) -> Reply:
    code = error.code or 500
    # A view's own description says more than the title to a program; Werkzeug's stock ones are boilerplate.
    own = error.description if error.description != type(error).description else None
    return _reply(code, own if wants_json() or code == 503 else None)


def _too_many(error: TooManyRequests) -> tuple[str | Response, int, dict[str, str]]:
    """Say what happened and when to try again, to people in words and to programs in Retry-After."""
    seconds = _seconds_to_wait(error)
    detail = _(
        "There were too many attempts in a short time, so this one was refused to keep guessers out. "
        "Try again in %(wait)s; nothing you saved is affected.",
        wait=format_timedelta(timedelta(seconds=seconds)),
    )
    body, code = _reply(429, detail, retry_after=seconds)
    return body, code, {"Retry-After": str(seconds)}


def _seconds_to_wait(error: TooManyRequests) -> int:
    """Until the limit that refused the request lets it through: the limiter's own, or what the refusal says."""
    if isinstance(error, RateLimitExceeded):
        limit = limiter.current_limit
        return max(1, int(limit.reset_at - time.time())) if limit else error.limit.limit.get_expiry()
    wait = error.retry_after
    if isinstance(wait, datetime):
        return max(1, int(wait.timestamp() - time.time()))
    return max(1, wait or 60)


def _csrf_error(error: CSRFError) -> Reply:
    if wants_json():
        return _reply(400, _("Your session expired: reload the page; your other answers are saved."))
    return _reply(
        400,
        _(
            "Your form had expired or did not come from this site. "
            "Go back, reload the page and try again; answers you saved earlier are kept."
        ),
    )


def _unusable_scenario(error: UnusableScenario) -> Reply:
    """Estimates stored before today's checks (a figure such as 1e-320): say so, and lead to the form,
    which marks the figures to correct."""
    assessment_id = (request.view_args or {}).get("assessment_id")
    address = url_for("economics.estimates", assessment_id=assessment_id, scenario=error.name)
    detail = _(
        "A figure of the scenario %(name)s is outside what is accepted now (it was probably saved before "
        "figures were checked), so nothing can be computed from it. The estimates form marks it.",
        name=error.name,
    )
    title = _("These estimates cannot be used as they are")
    return _reply(409, detail, (address, _("Correct the estimates")), title, problems=error.problems)


def _server_error(_error: Exception) -> Reply:
    """Undo whatever the failed request half-did; the session stays open for the error page."""
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()
    return _reply(500)


def init_app(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(429, _too_many)
    app.register_error_handler(UnusableScenario, _unusable_scenario)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, _server_error)
