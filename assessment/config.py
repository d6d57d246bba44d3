"""Configuration from the environment, in one place, with a test override."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'crmgate.sqlite3'}"
    # psycopg 3 is the PostgreSQL driver this project installs.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance: Path, production: bool) -> str:
    """From SECRET_KEY; generated once into the instance folder for the embedded default."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set in the environment when CRMGATE_ENV=production")
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def count(name: str, default: int, least: int) -> int:
    """A whole number from the environment (unset or empty: `default`), refused at start-up rather than misread."""
    raw = os.environ.get(name, "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = least - 1
    if value < least:
        raise ConfigError(f"{name} must be a whole number of at least {least}, not {raw!r}")
    return value


def languages() -> tuple[str, ...]:
    """The languages offered (CRMGATE_LANGUAGES, English and Persian by default): every definition
    text must exist in each of them."""
    return tuple(code.strip() for code in os.environ.get("CRMGATE_LANGUAGES", "en,fa").split(",") if code.strip())


def load(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The app's settings: environment first, then `overrides` (tests)."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    overrides = overrides or {}
    production = os.environ.get("CRMGATE_ENV") == "production"
    settings: dict[str, Any] = {
        "DATABASE_URL": _database_url(instance),
        "QUESTIONNAIRES_DIR": os.environ.get("QUESTIONNAIRES_DIR", str(ROOT / "questionnaires")),
        "LANGUAGES": languages(),
        "BABEL_DEFAULT_LOCALE": "en",
        # Compiled from translations/<language>/LC_MESSAGES/messages.po by the install step (`make`).
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        # A long questionnaire page must not expire under a slow respondent.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        # Over HTTPS a form must also name this very origin as its Referer (the same-origin
        # Referrer-Policy sends it to us and to nobody else).
        "WTF_CSRF_SSL_STRICT": True,
        "TRUSTED_PROXIES": count("CRMGATE_TRUSTED_PROXIES", 0, least=0),
        # A signed-in session unused this long ends; as long as a form's CSRF token lasts.
        "SESSION_IDLE_MINUTES": count("CRMGATE_SESSION_IDLE_MINUTES", 12 * 60, least=1),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # A respondent is reminded at most once in this many days (the overview's button, `flask respondents remind`).
        "REMIND_DAYS": count("CRMGATE_REMIND_DAYS", 3, least=1),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "CRM Gate <no-reply@localhost>"),
        "MAIL_STARTTLS": os.environ.get("MAIL_STARTTLS", "") == "1",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Webhooks go only to public addresses unless this is 1 (a receiver on this machine, in tests or
        # development): it lifts the address check alone, never the http(s)-only and other URL rules.
        "WEBHOOKS_ALLOW_PRIVATE": os.environ.get("CRMGATE_WEBHOOKS_ALLOW_PRIVATE", "") == "1",
    }
    settings.update(overrides)
    if "SECRET_KEY" not in settings:
        settings["SECRET_KEY"] = _secret_key(instance, production)
    return settings
