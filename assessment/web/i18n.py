"""Languages: which one a request gets, its writing direction, and translated definition texts."""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, request
from flask_babel import Babel, format_date, format_decimal, get_locale

from assessment.engine.questionnaire import Text


def _select_locale() -> str | None:
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def translate(text: Text | None) -> str:
    """A definition text in the request's language (English when it has no translation)."""
    return "" if text is None else text.in_(str(get_locale()))


def direction() -> str:
    """'rtl' for Persian and other right-to-left languages, else 'ltr'."""
    return (get_locale() or Locale("en")).text_direction


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=_select_locale)
    app.jinja_env.filters["tr"] = translate
    app.jinja_env.filters["format_number"] = format_decimal
    app.jinja_env.filters["format_date"] = format_date
    app.jinja_env.globals["text_direction"] = direction
    app.jinja_env.globals["language"] = lambda: str(get_locale() or "en").replace("_", "-")
