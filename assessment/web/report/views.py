"""The steering-committee report: page, PDF and JSON from one model, and the decision record."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from assessment.engine.catalogue import DEFAULT_CURRENCY
from assessment.engine.gate import Reason
from assessment.engine.path import MAX_STEPS
from assessment.engine.questionnaire import Definitions, Question, Role
from assessment.report.model import Report
from assessment.report.pdf import render_pdf, renderer_version
from assessment.services import report as service
from assessment.services.benchmarks import Benchmark, benchmark
from assessment.storage.database import session
from assessment.storage.models import Assessment, MemberRole
from assessment.web import charts
from assessment.web.access import assessment_for, current_actor, may
from assessment.web.downloads import content_disposition
from assessment.web.fields import DayField, TextField
from assessment.web.i18n import format_money, format_number, format_share, per_request, translate
from assessment.web.labels import (
    ADKAR_STEPS,
    AREAS,
    FLAG_KINDS,
    OUTCOMES,
    QUADRANTS,
    ROLES,
    choices,
    input_label,
    readable,
)
from assessment.web.reasons import lever_text, reason_text
from assessment.web.survey.questions import display_answer

bp = Blueprint("report", __name__, url_prefix="/assessments/<uuid:assessment_id>")
bp.add_app_template_filter(per_request(input_label), "input_label")


class DecisionForm(FlaskForm):
    """Starts from the model's recommendation, so that deciding otherwise is a choice the committee
    makes and explains, never a default left standing."""

    outcome = SelectField(
        _l("Decision"), choices=choices(OUTCOMES), validators=[DataRequired(_l("Choose the committee's decision."))]
    )
    conditions = TextAreaField(_l("Conditions and notes"), validators=[Length(max=4000)])
    decided_by = TextField(_l("Decided by"), validators=[DataRequired(_l("Name who decided.")), Length(max=200)])
    decided_on = DayField(
        _l("Decided on"), validators=[DataRequired(_l("Enter the date of the decision."))], default=date.today
    )

    def __init__(self, recommendation: str | None) -> None:
        super().__init__(outcome=recommendation or "")
        self.recommendation = recommendation
        if recommendation is None:
            self.outcome.choices = [("", _("Choose the decision")), *choices(OUTCOMES)]
        else:
            self.conditions.description = _(
                "Required when the decision differs from the recommendation (%(outcome)s): say why.",
                outcome=OUTCOMES[recommendation],
            )

    @classmethod
    def for_report(cls, report: Report) -> DecisionForm:
        """The form for this report, started from its main scenario's outcome (none before any estimate)."""
        return cls(report.main.appraisal.decision.outcome.value if report.main else None)

    def validate_conditions(self, field: TextAreaField) -> None:
        """A decision against the recommendation is kept with its reason."""
        if self.recommendation is None or self.outcome.data == self.recommendation or (field.data or "").strip():
            return
        raise ValidationError(
            _(
                "The decision differs from the recommendation (%(outcome)s): give the committee's reason here.",
                outcome=OUTCOMES[self.recommendation],
            )
        )


def _report(assessment_id: uuid.UUID) -> tuple[Assessment, Report]:
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    workspace_id = assessment.organisation.workspace_id
    return assessment, service.build_report(session(), assessment, may(MemberRole.ANALYST, workspace_id))


OWNER_ORDER = (Role.SPONSOR, Role.PROJECT_MANAGER, Role.SALES_SERVICE_LEAD, Role.IT, Role.END_USER)
BASIS_LABELS = {
    "readiness": _l("Overall readiness"),
    "failure_probability": _l("Failure probability"),
    "recommendation": _l("Recommendation"),
    "scenario": _l("Scenario"),
    "risk_adjusted_npv": _l("Risk-adjusted NPV"),
    "probability_npv_positive": _l("Chance the NPV is positive"),
    "brochure_npv": _l("Brochure NPV"),
    "payback_month": _l("Payback month, risk-adjusted"),
    "knock_outs": _l("Knock-outs"),
    "red_flags": _l("Serious findings and red flags"),
    "respondents": _l("Respondents"),
    "answers": _l("Answers given"),
}


def basis_label(key: str) -> str:
    """A figure of a decision's basis by its label: "area.goals" is "Readiness: Goals"."""
    if key.startswith("area."):
        area = key.removeprefix("area.")
        return _("Readiness: %(area)s", area=AREAS.get(area, readable(area)))
    return str(BASIS_LABELS.get(key, readable(key)))


def flag_text(flag_id: str, definitions: Definitions) -> str:
    """A knock-out, finding or red flag by its rule's words, or its question's, never by its id."""
    policy = definitions.policy
    rule = next((r for r in (*policy.knock_outs, *policy.findings) if r.id == flag_id), None)
    if rule is not None:
        return translate(rule.text)
    for questionnaire in definitions.questionnaires:
        question = next((q for q in questionnaire.questions if q.id == flag_id), None)
        if question is not None:
            return translate(question.text)
    return readable(flag_id)


def basis_value(key: str, value: object, currency: str) -> str:
    """A figure of a decision's basis as the reader writes it."""
    if value is None:
        return "–"
    if key == "recommendation":
        return str(OUTCOMES.get(str(value), value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if key in ("failure_probability", "probability_npv_positive"):
            return format_share(round(100 * value))
        if key.endswith("_npv"):
            return str(format_money(value, currency))
        return format_number(value)
    return str(value)


def owner_of(question: Question) -> str:
    """The most senior role the question is addressed to: who should own fixing it."""
    return str(ROLES[next(role for role in OWNER_ORDER if role in question.roles)])


def headline(reason: Reason, definitions: Definitions) -> str:
    """A reason in one line, for page 1; the readiness section and the economics page give it whole."""
    values = dict(reason.values)
    if reason.code == "finding":
        rule = next((f for f in definitions.policy.findings if f.id == values["id"]), None)
        if rule is not None:
            return translate(rule.text)
    if reason.code == "goals_disputed":
        return ngettext(
            "Respondents disagree on %(count)s question in %(area)s: bring them to one view before kick-off.",
            "Respondents disagree on %(count)s questions in %(area)s: bring them to one view before kick-off.",
            len(values["questions"]),
            count=format_number(len(values["questions"])),
            area=AREAS.get(values["area"], values["area"]),
        )
    return reason_text(reason, definitions)


def _charts(report: Report) -> dict | None:
    if report.main is None:
        return None
    appraisal = report.main.appraisal
    simulation = appraisal.simulation
    return {
        "cash": charts.line_chart(
            {"brochure": appraisal.brochure.cumulative_net, "adjusted": appraisal.adjusted.cumulative_net},
            {"brochure": appraisal.brochure.payback_month, "adjusted": appraisal.adjusted.payback_month},
        ),
        "histogram": charts.histogram(simulation.histogram_edges, simulation.histogram_counts),
        "tornado": charts.tornado(appraisal.adjusted.npv, [(b.low, b.high) for b in simulation.tornado], 30.0),
    }


def _standing(assessment: Assessment) -> Benchmark:
    """Where the assessment stands among the workspace's others: the report's benchmark section."""
    return benchmark(session(), assessment.id, current_app.extensions["definitions"].policy.benchmarks)


def template_context(report: Report, standing: Benchmark) -> dict:
    """What the report's templates read, the same for the page and the PDF."""
    policy = report.definitions.policy
    currency = report.main.estimates.currency if report.main else DEFAULT_CURRENCY
    return {
        "charts": _charts(report),
        "owner_of": owner_of,
        "basis_labels": BASIS_LABELS,
        "report": report,
        "policy": policy,
        "currency": currency,
        "reason": lambda r: reason_text(r, report.definitions),
        "headline": lambda r: headline(r, report.definitions),
        "basis_label": basis_label,
        "basis_value": lambda key, value: basis_value(key, value, currency),
        "flag_text": lambda flag_id: flag_text(flag_id, report.definitions),
        "lever_text": lever_text,
        "path_limit": MAX_STEPS,
        "role_labels": ROLES,
        "area_labels": AREAS,
        "flag_labels": FLAG_KINDS,
        "quadrants": QUADRANTS,
        "adkar_steps": ADKAR_STEPS,
        "display": display_answer,
        "benchmark": standing,
    }


@bp.get("/report")
def page(assessment_id: uuid.UUID) -> str:
    assessment, report = _report(assessment_id)
    form = DecisionForm.for_report(report)
    return render_template(
        "report/page.html", assessment=assessment, form=form, **template_context(report, _standing(assessment))
    )


@bp.get("/report.pdf")
def pdf(assessment_id: uuid.UUID) -> Response:
    """Served from the cache, found by the report's inputs, when nothing it is made from has changed."""
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    show_respondents = may(MemberRole.ANALYST, assessment.organisation.workspace_id)
    version = current_app.extensions.setdefault(
        "report_renderer", renderer_version(current_app.template_folder, current_app.static_folder)
    )
    standing = _standing(assessment)
    digest = service.inputs_digest(session(), assessment, show_respondents, str(get_locale()), version, repr(standing))
    body = service.cached_pdf(session(), digest)
    if body is None:
        report = service.build_report(session(), assessment, show_respondents)
        body = render_pdf(
            render_template("report/print.html", **template_context(report, standing)),
            current_app.static_folder or "static",
        )
        service.cache_pdf(session(), digest, body)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(
        "inline", f"crm-gate-{assessment.organisation.name}", ".pdf", "crm-gate-report"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/report.json")
def as_json(assessment_id: uuid.UUID) -> Response:
    _, report = _report(assessment_id)
    return jsonify(report.as_json())


@bp.get("/report.csv")
def as_csv(assessment_id: uuid.UUID) -> Response:
    """The report's figures for a spreadsheet; text cells that could run as formulas are defused."""
    assessment, report = _report(assessment_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "scenario", "figure", "value"])
    for row in report.figures():
        writer.writerow([_cell(value) for value in row])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition(
        "attachment", f"crm-gate-{assessment.id}", ".csv", "crm-gate-figures"
    )
    return response


def _cell(value: object) -> object:
    """A scenario name like "=HYPERLINK(...)" would run in a spreadsheet: prefix it with a quote."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


@bp.post("/decisions")
def decide(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    """Steering viewers and above record the committee's decision, kept with the figures it was taken on."""
    assessment, report = _report(assessment_id)
    form = DecisionForm.for_report(report)
    if not form.validate_on_submit():
        return render_template(
            "report/page.html", assessment=assessment, form=form, **template_context(report, _standing(assessment))
        ), 422
    service.record_decision(
        session(),
        assessment,
        report,
        form.outcome.data,
        (form.conditions.data or "").strip(),
        form.decided_by.data.strip(),
        form.decided_on.data,
        current_actor(),
    )
    flash(_("The decision is recorded."), "success")
    return redirect(url_for(".page", assessment_id=assessment.id, _anchor="decision-record"))
