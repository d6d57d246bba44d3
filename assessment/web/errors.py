"""Error pages in one place; a failed request's session is rolled back."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not do this"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("What you sent is too large"),
    500: _l("Something went wrong on our side"),
    503: _l("Please try again in a moment"),
}


def _page(code: int, detail: str | None = None) -> tuple[str, int]:
    return render_template("error.html", code=code, title=TITLES.get(code, TITLES[500]), detail=detail), code


def _http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
    if request.accept_mimetypes.best == "application/json":
        return error
    detail = error.description if error.code == 503 else None
    return _page(error.code or 500, detail)


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return _page(
        400,
        str(
            _l(
                "Your form had expired or did not come from this site. "
                "Go back, reload the page and try again; answers you saved earlier are kept."
            )
        ),
    )


def _server_error(_error: Exception) -> tuple[str, int]:
    """Undo whatever the failed request half-did; the session stays open for the error page."""
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()
    return _page(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, _server_error)
