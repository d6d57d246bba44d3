"""Rate limits on what guesses at secrets: passwords, and the tokens of one-time and respondent links.

A guess counts against what it guesses at (the account, the link) and against where it comes
from (the client's address, as the trusted proxies report it, see `CRMGATE_TRUSTED_PROXIES`), so
guessing at one account from many addresses, or at many accounts or links from one address, is
slowed; yet nobody is locked out by someone else's guessing:

- an address counts the sign-ins that failed, not the ones refused because their account had had
  too many tries, so guessing on one account leaves the others behind that address free;
- an address counts links that opened nothing, and only a link that opens nothing is refused for
  them, so a respondent's own link works whoever guesses beside them. (A link's token has 256
  random bits: the limit makes guessing slow and visible, it is not what keeps a link secret.)

Counters live in `RATELIMIT_STORAGE_URI` (memory by default; point several app processes at one
Redis so that they share them) under keys that name an address, or the hash of an e-mail or a token.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse
from werkzeug.exceptions import TooManyRequests

from assessment.storage.models import token_hash

View = TypeVar("View", bound=Callable[..., Any])

SIGN_IN = "10 per minute;50 per hour"
"""Sign-in attempts on one account, from anywhere."""
RESET = "5 per minute;20 per hour"
"""Reset links asked for one account, from anywhere."""
FROM_ONE_ADDRESS = "30 per minute;300 per hour"
"""Attempts at any accounts from one address that count against it (failed sign-ins, reset requests)."""
LINKS = "60 per minute"
"""Uses of one invitation or reset link: generous for a person."""
ANSWERING = "600 per minute"
"""Uses of one respondent's link: every answer may autosave, and no person comes near it."""
LINK_GUESSES = "60 per minute"
"""Links that opened nothing, from one address: far too slow to find a token."""
API = "300 per minute"
QUICK_SCANS_FROM_ONE_ADDRESS = "5 per hour"
"""Quick scans one address may send (each one a new organisation in a vendor's pipeline): a person
sends one, an office a few. A refused form, sent again after a correction, does not count."""
QUICK_SCANS_PER_LINK = "60 per hour"
"""Quick scans one workspace's public link may take from everywhere: far above a vendor's real
prospects, so that a flood cannot fill the pipeline."""


def client_address() -> str:
    """The client's address: after ProxyFix, the one the trusted proxies report."""
    return f"address:{get_remote_address()}"


def _account() -> str:
    """The account an attempt is at: the e-mail posted (however capitalised), else the signed-in one's."""
    email = request.form.get("email") or (current_user.user.email if current_user.is_authenticated else "")
    return f"account:{token_hash(email.strip().lower())}"


def _link() -> str:
    return f"link:{token_hash(g.link)}"


def _no_link() -> bool:
    return g.get("link") is None


limiter = Limiter(key_func=client_address)


def per_account(limit: str, failed: Callable[[Any], bool]) -> Callable[[View], View]:
    """Limit posts to `limit` per account tried, and those that `failed` to `FROM_ONE_ADDRESS` per address.

    The account's count is taken at once, so concurrent guesses cannot overrun it; the address's
    after the answer, so it never counts an attempt its account refused.
    """

    def decorate(view: View) -> View:
        by_account = limiter.limit(limit, key_func=_account, methods=["POST"])
        by_address = limiter.limit(FROM_ONE_ADDRESS, methods=["POST"], deduct_when=failed)
        return by_address(by_account(view))

    return decorate


def per_link(limit: str) -> Callable[[View], View]:
    """Limit a view or blueprint to `limit` per link its URL names (`<token>`); a URL naming none is not limited."""
    return limiter.limit(limit, key_func=_link, exempt_when=_no_link)


def guessed_link() -> None:
    """Count a link that opened nothing against the client's address: 429 when it guessed too often."""
    guesses, address = parse(LINK_GUESSES), client_address()
    if not limiter.limiter.hit(guesses, "link-guesses", address):
        reset = limiter.limiter.get_window_stats(guesses, "link-guesses", address).reset_time
        raise TooManyRequests(retry_after=max(1, int(reset - time.time())))


def _note_link(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """The link a URL names, noted before a blueprint takes it out of the URL's values."""
    g.link = (values or {}).get("token")


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    app.url_value_preprocessor(_note_link)
