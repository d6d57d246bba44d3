"""Rate limits on the endpoints that guess at secrets: sign-in, password reset, one-time links.

Counters live in `RATELIMIT_STORAGE_URI` (memory by default; point several app processes at
one Redis or Memcached so that they share them).
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)

SIGN_IN = "10 per minute;50 per hour"
RESET = "5 per minute;20 per hour"
LINKS = "60 per minute"
"""Respondent and invitation links: generous for a person, far too slow to guess a token."""
API = "300 per minute"


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
