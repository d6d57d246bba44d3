"""E-mails to respondents: the invitation and reminders, written in the respondent's language, sent
after the page has answered so that a slow or failing mail server never holds up or breaks it.

What became of each e-mail is kept on the respondent (`emailed_at`, `email_error`) and shown on the
assessment's overview, where a failed one can be sent again.
"""

from __future__ import annotations

import smtplib
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from assessment.services import assessments, mail
from assessment.storage.database import session
from assessment.storage.models import Respondent
from assessment.web.labels import ROLES

_OUTBOX = ThreadPoolExecutor(max_workers=2, thread_name_prefix="crmgate-mail")
"""Two senders per process: e-mails leave in the background, a few at a time."""
INVITATION, REMINDER = "invitation", "reminder"


@dataclass(frozen=True)
class Letter:
    """Who asks whom to do what, by when: what an invitation or a reminder says."""

    kind: str
    link: str
    inviter: str


def send_later(respondent: Respondent, letter: Letter) -> Future[None]:
    """Queue `letter` to `respondent`; the page goes on at once."""
    app = current_app._get_current_object()  # the app itself, not the proxy: the thread has no context
    return _OUTBOX.submit(_deliver_in, app, respondent.id, letter)


def _deliver_in(app: Flask, respondent_id: uuid.UUID, letter: Letter) -> None:
    with app.app_context():
        respondent = session().get(Respondent, respondent_id)
        if respondent is not None:
            deliver(respondent, letter)


def deliver(respondent: Respondent, letter: Letter) -> bool:
    """Send `letter` now, in the respondent's language, and record whether the server took it."""
    if not respondent.email:
        return False
    with force_locale(respondent.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, text, html = compose(respondent, letter)
    try:
        mail.send(current_app.config, respondent.email, subject, text, html)
    except (OSError, smtplib.SMTPException) as error:
        assessments.record_failed(session(), respondent, str(error) or error.__class__.__name__)
        return False
    assessments.record_sent(session(), respondent)
    return True


def compose(respondent: Respondent, letter: Letter) -> tuple[str, str, str]:
    """Subject, plain text and HTML of `letter`, in the current locale."""
    assessment = respondent.assessment
    names = {"inviter": letter.inviter, "organisation": assessment.organisation.name}
    if letter.kind == REMINDER:
        subject = _("Reminder from %(inviter)s: your view on the CRM project of %(organisation)s", **names)
    else:
        subject = _("%(inviter)s asks for your view on the CRM project of %(organisation)s", **names)
    context = {
        "respondent": respondent,
        "assessment": assessment,
        "role": ROLES.get(respondent.role, respondent.role),
        "letter": letter,
        "reminder": letter.kind == REMINDER,
    }
    return subject, render_template("mail/letter.txt", **context), render_template("mail/letter.html", **context)
