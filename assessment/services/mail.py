"""Sending one-time links by e-mail, when an SMTP server is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any


def configured(config: dict[str, Any]) -> bool:
    return bool(config.get("MAIL_SERVER"))


def send(config: dict[str, Any], to: str, subject: str, body: str, html: str | None = None) -> None:
    """Send a message through the configured server (STARTTLS when asked): plain text, and an HTML
    alternative when given."""
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM", "CRM Gate <no-reply@localhost>")
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=10) as smtp:
        if config.get("MAIL_STARTTLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)
