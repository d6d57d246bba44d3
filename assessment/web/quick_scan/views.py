"""The public quick scan: a workspace's link (`/scan/<token>`) asks a prospect the questions marked
`quick_scan`, with no account, and shows their result at once through a secret link of their own.

Nothing on these pages names a workspace's id. A closed, renewed or unknown link answers alike (a
page saying the link is not open, 404) and counts as a guess against the client's address. A form
is checked whole (the prospect's details, consent, every answer by its question's type, the signed
form token) and a refusal stores nothing. Pages may be framed by any site where the workspace allows
embedding.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from flask import g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests
from werkzeug.wrappers import Response

from assessment.engine.answers import read_submission
from assessment.engine.question_types import Widget
from assessment.engine.questionnaire import Questionnaire
from assessment.services import quick_scan as service
from assessment.services.answers import AreaAnswers
from assessment.services.assessments import OrganisationDetails
from assessment.services.definitions import current
from assessment.storage.database import session
from assessment.storage.models import Workspace, token_hash
from assessment.web import messages
from assessment.web.access import csrf
from assessment.web.i18n import format_number, translate
from assessment.web.labels import FLAG_KINDS
from assessment.web.limits import QUICK_SCANS_FROM_ONE_ADDRESS, QUICK_SCANS_PER_LINK, guessed_link, limiter
from assessment.web.quick_scan import form_token
from assessment.web.quick_scan.forms import ScanForm
from assessment.web.quick_scan.owners import bp
from assessment.web.security import allow_framing
from assessment.web.survey.posted import PREFIX, error_messages
from assessment.web.survey.questions import QuestionView, display_answer, question_views

__all__ = ["bp"]

LARGEST_FORM = 64 * 1024
"""Bytes a quick scan's form may take: its names, a dozen answers and the token fit many times over."""

Reply = str | Response | tuple[str, int]


@bp.before_request
def _find_link() -> None:
    """The open workspace a scan's link names, found before the rate limits run, so that even their
    refusal may be framed where the workspace allows it."""
    if request.endpoint == "quick_scan.scan":
        g.scan_workspace = service.find_open(session(), (request.view_args or {}).get("token", ""))
        if g.scan_workspace is not None and g.scan_workspace.quick_scan_embedding:
            allow_framing()


def _counted(_response: Response) -> bool:
    """Whether a post counts against the limits: a scan stored (or a program's, taken as if stored),
    never a form refused for a person to correct."""
    return bool(g.get("scan_counted"))


def _link_key() -> str:
    return f"quick-scan:{token_hash(g.link)}"


@bp.route("/scan/<token>", methods=["GET", "POST"])
@limiter.limit(QUICK_SCANS_FROM_ONE_ADDRESS, methods=["POST"], deduct_when=_counted)
@limiter.limit(QUICK_SCANS_PER_LINK, key_func=_link_key, methods=["POST"], deduct_when=_counted)
def scan(token: str) -> Reply:
    workspace: Workspace | None = g.get("scan_workspace")
    if workspace is None:
        return _not_open()
    areas = tuple(q for q in service.quick_scan_questions(current()) if q.questions)
    if request.method == "GET":
        return _form_page(workspace, token, areas, ScanForm(formdata=None))
    request.max_content_length = LARGEST_FORM
    try:
        formdata = request.form
    except RequestEntityTooLarge:
        problem = _(
            "What you sent is larger than this form takes (%(size)s KB), so nothing was kept. "
            "Shorten what you typed and send it again.",
            size=format_number(LARGEST_FORM // 1024),
        )
        return _form_page(workspace, token, areas, ScanForm(formdata=None), problem=problem, status=413)
    form = ScanForm(formdata=formdata)
    if form.website.data:
        g.scan_counted = True
        return render_template("quick_scan/received.html", workspace=workspace)
    privacy_text = workspace.privacy_text or ""
    refused = form_token.problem(form.form_token.data, token, privacy_text)
    valid = form.validate()
    answers, inputs, errors = _read_answers(areas, formdata)
    if refused or not valid or errors:
        if refused and refused[0] == 422 and form.consent.data:
            form.consent.data = False  # a new privacy text, or a form sent too fast or too late: consent again
        status, problem = refused or (422, None)
        return _form_page(workspace, token, areas, form, inputs, errors, problem, status)
    assessment, secret = service.receive(
        session(),
        current(),
        workspace,
        service.Contact(form.contact_name.data, form.email.data, form.phone.data or None),
        OrganisationDetails(form.organisation_name.data, form.industry.data, form.business_type.data),
        answers,
        str(get_locale() or "en"),
        privacy_text,
    )
    g.scan_counted = True
    return redirect(url_for(".result", token=token, secret=secret), 303)


csrf.exempt(scan)


def _read_answers(
    areas: tuple[Questionnaire, ...], formdata: MultiDict[str, str]
) -> tuple[dict[str, AreaAnswers], dict[str, Any], dict[str, list[str]]]:
    """Every area's answers, read by their questions' types as the survey reads them; what was sent for
    each question, to show again; and each question's problems, an unanswered one among them."""
    answers: dict[str, AreaAnswers] = {}
    inputs: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for questionnaire in areas:
        sent: dict[str, Any] = {}
        for question in questionnaire.questions:
            values = formdata.getlist(PREFIX + question.id)
            sent[question.id] = values if question.kind.widget is Widget.MANY_OF else (values[0] if values else None)
        submission = read_submission(questionnaire, None, {}, sent)
        errors |= error_messages(submission)
        errors |= {
            q.id: [str(messages.REQUIRED)]
            for q in questionnaire.questions
            if q.id not in submission.answers and q.id not in errors
        }
        answers[questionnaire.id] = dict(submission.answers)
        inputs |= sent
    return answers, inputs, errors


def _form_page(
    workspace: Workspace,
    token: str,
    areas: tuple[Questionnaire, ...],
    form: ScanForm,
    inputs: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The form, blank or as sent beside its problems, with a fresh form token."""
    privacy_text = workspace.privacy_text or ""
    form.form_token.data = form_token.issue(token, privacy_text)
    views = {
        questionnaire.id: question_views(questionnaire, questionnaire.questions, {}, {}, inputs or {}, errors or {})
        for questionnaire in areas
    }
    numbered = [view for area in areas for view in views[area.id]]
    summary = [(name, message) for name, field_errors in form.errors.items() for message in field_errors]
    summary += [(f"q-{view.question.id}", _question_error(view)) for view in numbered if view.errors]
    page = render_template(
        "quick_scan/scan.html",
        workspace=workspace,
        form=form,
        areas=areas,
        views=views,
        numbers={view.question.id: index for index, view in enumerate(numbered, start=1)},
        privacy=[paragraph for paragraph in privacy_text.split("\n") if paragraph.strip()],
        summary=summary,
        problem=problem,
    )
    return page, status


def _question_error(view: QuestionView) -> str:
    return _("%(question)s: %(problem)s", question=translate(view.question.text), problem=" ".join(view.errors))


@bp.get("/scan/<token>/result/<secret>")
def result(token: str, secret: str) -> Reply:
    """The prospect's result, for whoever holds its secret link: kept readable after the workspace
    closes or renews the scan's link, since it is the prospect's own."""
    assessment = service.result_for(session(), secret)
    if assessment is None:
        return _not_open()
    workspace = assessment.organisation.workspace
    if workspace.quick_scan_embedding:
        allow_framing()
    scanned = service.score(session(), assessment)
    response = make_response(
        render_template(
            "quick_scan/result.html",
            workspace=workspace,
            organisation=assessment.organisation,
            result=scanned.readiness,
            risks=scanned.risks,
            answer_of=lambda area, question: _in_words(scanned.answers, area, question),
            answered=sum(len(given) for given in scanned.answers.values()),
            asked=sum(len(q.questions) for q in service.quick_scan_questions(current())),
            total=sum(len(q.questions) for q in current().questionnaires),
            policy=scanned.policy,
            flag_labels=FLAG_KINDS,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _in_words(answers: Mapping[str, AreaAnswers], area: str, question: Any) -> str:
    given = answers.get(area, {}).get(question.id)
    return "" if given is None else display_answer(question, given)


def _not_open() -> tuple[str, int]:
    """The one answer to a link that opens nothing, whichever way: a guess counted against the address."""
    guessed_link()
    return render_template("quick_scan/not_open.html"), 404


@bp.errorhandler(429)
def _too_many(error: TooManyRequests) -> tuple[str, int, dict[str, str]]:
    """Too many scans from one address or through one link: when to try again, in the reader's language."""
    limit = limiter.current_limit if isinstance(error, RateLimitExceeded) else None
    wait = error.retry_after
    seconds = max(1, int(limit.reset_at - time.time())) if limit else (wait if isinstance(wait, int) else 60)
    page = render_template("quick_scan/too_many.html", minutes=format_number(max(1, round(seconds / 60))))
    return page, 429, {"Retry-After": str(seconds)}
