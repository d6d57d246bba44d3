"""The quick scan's anti-forgery token, carried in the form itself: the form may be shown in another
site's frame, where the browser sends no session cookie, so Flask-WTF's session-bound token cannot
work. The token is signed with the app's secret and timestamped, and names the link and the privacy
text it was shown with: a form sent to another workspace's link, sent long after it was shown, sent
sooner than a person could read it, or sent after the privacy text changed is refused."""

from __future__ import annotations

import hashlib
import time

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from assessment.storage.models import token_hash
from assessment.web.i18n import format_number

SALT = "quick-scan-form"
OLDEST_HOURS = 4
"""How long a shown form may be sent: a person who pauses for lunch is fine, a token harvested yesterday is not."""
FASTEST_SECONDS = 3
"""Sooner than this after the form was shown, no person has read a question: a program sent it."""


def issue(link: str, privacy_text: str) -> str:
    """The token a form shown for `link`, beside `privacy_text`, carries."""
    return _serializer().dumps([token_hash(link), _digest(privacy_text)])


def problem(value: str | None, link: str, privacy_text: str) -> tuple[int, str] | None:
    """Why a form carrying `value` cannot be accepted, as an HTTP status and a message in the reader's
    language; None when it can."""
    try:
        (bound, shown), signed = _serializer().loads(value or "", max_age=OLDEST_HOURS * 3600, return_timestamp=True)
    except SignatureExpired:
        return 422, _(
            "The form was open for more than %(hours)s hours. Check your answers below and send them again.",
            hours=format_number(OLDEST_HOURS),
        )
    except (BadData, ValueError, TypeError):
        bound, shown, signed = None, None, None
    if signed is None or bound != token_hash(link):
        return 400, _("The form could not be checked. Check your answers below and send them again.")
    if time.time() - signed.timestamp() < FASTEST_SECONDS:
        return 422, _("The form was sent a moment after it was shown. Check your answers below and send them again.")
    if shown != _digest(privacy_text):
        return 422, _("The privacy text changed while the form was open. Read it again, and tick the box if you agree.")
    return None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
