"""Security headers on every response, and the one check of a redirect target a request names."""

from __future__ import annotations

import re

from flask import Flask, Response, g

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Invitation and respondent links carry their token in the path: never send it on to another
    # site. Our own pages do get it, which the CSRF check over HTTPS needs (WTF_CSRF_SSL_STRICT).
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

FRAMEABLE = {"Content-Security-Policy": CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")}
"""What changes for a response any site may frame: no X-Frame-Options, any ancestor in the CSP."""


def allow_framing() -> None:
    """Let any site show this request's response in a frame: the public quick scan, where its workspace
    allows embedding. Every other response denies framing."""
    g.frameable = True


_SAME_SITE_PATH = re.compile(r"/(?![/\\])[!-\[\]-~]*")
"""A path of this site: one leading slash, then printable ASCII without a backslash. Browsers drop
tabs and newlines from a URL and read a backslash as a slash, so `/<tab>/evil.example` and
`/\\evil.example` would lead off the site; spaces, control characters and non-ASCII letters have no
place in a path `url_for` wrote, so nothing of the kind is let through."""


def same_site_path(target: str | None) -> str | None:
    """`target` when it is a path on this site (a safe place to redirect to), else None."""
    return target if target is not None and _SAME_SITE_PATH.fullmatch(target) else None


def init_app(app: Flask) -> None:
    headers = dict(HEADERS)
    if app.config["SESSION_COOKIE_SECURE"]:
        # Served over HTTPS: browsers must never fall back to plain HTTP.
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    def add_headers(response: Response) -> Response:
        frameable = g.get("frameable", False)
        for name, value in headers.items():
            if frameable and name == "X-Frame-Options":
                continue
            response.headers.setdefault(name, FRAMEABLE.get(name, value) if frameable else value)
        # Pages hold what a signed-in person or a respondent may see: no copy in any cache, nor in the
        # browser's history after signing out. A response that says how it may be cached (a static
        # file, the logo) keeps its say.
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.after_request(add_headers)
