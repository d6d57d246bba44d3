"""Spreadsheet downloads (CSV and XLSX) and the import of answers collected offline.

Every download is read through the tenancy guard at the viewer's role; the template and the
import are an analyst's, as inviting respondents is.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from assessment.services import answer_import
from assessment.services.definitions import pinned
from assessment.storage.database import session
from assessment.storage.models import Assessment, MemberRole
from assessment.web.access import assessment_for, current_actor, may, require_workspace
from assessment.web.i18n import format_number
from assessment.web.sheets import exports, importing
from assessment.web.sheets.reading import MAX_BYTES, UnreadableFileError, read_rows
from assessment.web.spreadsheets import CSV, XLSX, download, spreadsheet_response

bp = Blueprint("sheets", __name__)


@bp.get("/assessments/export.<fmt>")
def assessments(fmt: str) -> Response:
    """The workspace's assessments with the list's columns, in the list's order (`?sort=`)."""
    workspace = require_workspace(MemberRole.VIEWER).workspace
    rows = exports.assessment_rows(workspace.id, request.args.get("sort", "started"))
    header = [str(title) for title in exports.ASSESSMENTS]
    return spreadsheet_response(f"assessments-{workspace.name}", header, rows, fmt)


@bp.get("/assessments/<uuid:assessment_id>/export/answers.<fmt>")
def answers(assessment_id: uuid.UUID, fmt: str) -> Response:
    """Invited respondents' own answers only for those the report shows them to: analysts and owners."""
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    everyone = may(MemberRole.ANALYST, assessment.organisation.workspace_id)
    return _download(assessment, "answers", exports.ANSWERS, exports.answer_rows(assessment, everyone), fmt)


@bp.get("/assessments/<uuid:assessment_id>/export/estimates.<fmt>")
def estimates(assessment_id: uuid.UUID, fmt: str) -> Response:
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    return _download(assessment, "estimates", exports.ESTIMATES, exports.estimate_rows(assessment), fmt)


@bp.get("/assessments/<uuid:assessment_id>/export/decisions.<fmt>")
def decisions(assessment_id: uuid.UUID, fmt: str) -> Response:
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    return _download(assessment, "decisions", exports.DECISIONS, exports.decision_rows(assessment), fmt)


def _download(
    assessment: Assessment, what: str, header: Iterable[object], rows: Iterable[list[object]], fmt: str
) -> Response:
    stem = f"{what}-{assessment.organisation.name}"
    return spreadsheet_response(stem, [str(title) for title in header], rows, fmt)


@bp.get("/assessments/<uuid:assessment_id>/import/template.<fmt>")
def template(assessment_id: uuid.UUID, fmt: str) -> Response:
    """The template to fill in offline: a row per question of each role's questionnaire."""
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    writers = {CSV: importing.template_csv, XLSX: importing.template_workbook}
    if fmt not in writers:
        abort(404)
    header, rows = importing.template(assessment)
    return download(writers[fmt](header, rows), f"answers-template-{assessment.organisation.name}", fmt)


@bp.route("/assessments/<uuid:assessment_id>/import", methods=["GET", "POST"])
def upload(assessment_id: uuid.UUID) -> str | Response | tuple[str, int]:
    """Answers from a filled-in template: every row checked as the web form checks an answer, and
    nothing stored unless all of them pass."""
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    form = importing.ImportForm()
    if not form.validate_on_submit():
        return _page(assessment, form), 422 if form.is_submitted() else 200
    sent = form.answers.data
    try:
        rows = read_rows(sent.read(MAX_BYTES + 1), sent.filename.rsplit(".", 1)[-1].lower())
        words = importing.vocabulary(pinned(session(), assessment.definitions_digest))
        people = answer_import.check_file(session(), assessment, rows, words)
    except UnreadableFileError as error:
        params = {key: format_number(value) for key, value in error.params.items() if isinstance(value, int)}
        form.answers.errors = [_(error.message, **params)]
        return _page(assessment, form), 422
    except answer_import.AnswerImportError as refused:
        return _page(assessment, form, importing.problem_texts(refused.problems)), 422
    imported = answer_import.store(session(), assessment, people, current_actor())
    flash(
        _(
            "Imported %(respondents)s with %(answers)s.",
            respondents=ngettext(
                "%(count)s respondent",
                "%(count)s respondents",
                imported.respondents,
                count=format_number(imported.respondents),
            ),
            answers=ngettext(
                "%(count)s answer", "%(count)s answers", imported.answers, count=format_number(imported.answers)
            ),
        ),
        "success",
    )
    return redirect(url_for("assessments.show", assessment_id=assessment.id, _anchor="respondents"))


def _page(
    assessment: Assessment, form: importing.ImportForm, problems: list[importing.ProblemText] | None = None
) -> str:
    return render_template(
        "sheets/import.html", assessment=assessment, form=form, problems=problems or [], max_size=importing.max_size()
    )
