"""Estimates, the risk-adjusted economics, the gate and the committee's waivers, per scenario."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from assessment.engine.appraisal_json import appraisal_as_json
from assessment.engine.catalogue import BENEFITS, COSTS
from assessment.engine.estimates_data import EstimatesError, read_estimates
from assessment.engine.path import MAX_STEPS
from assessment.engine.policy import EconomicsPolicy
from assessment.services import economics as service
from assessment.services import scoring
from assessment.services.definitions import pinned
from assessment.storage.database import session
from assessment.storage.models import Assessment, MemberRole, Scenario
from assessment.web import charts
from assessment.web.access import assessment_for, current_actor, may
from assessment.web.economics.estimates_form import field_name, form_data, new_form, read_form
from assessment.web.labels import AREAS, ROLES
from assessment.web.reasons import lever_text, reason_text, with_words

bp = Blueprint("economics", __name__, url_prefix="/assessments/<uuid:assessment_id>")


def _scenario(assessment: Assessment) -> Scenario | None:
    """The scenario named in the query, or the first one; 404 for a name that does not exist."""
    name = request.args.get("scenario")
    found = service.scenarios(session(), assessment)
    if name is None:
        return found[0] if found else None
    chosen = next((s for s in found if s.name == name), None)
    if chosen is None:
        abort(404)
    return chosen


@bp.route("/estimates", methods=["GET", "POST"])
def estimates(assessment_id: uuid.UUID) -> str | Response | tuple[str, int]:
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    policy = pinned(session(), assessment.definitions_digest).policy.economics
    # Initial values only for a fresh page: a post is read exactly as sent.
    initial, existing = None, None
    if request.method == "GET":
        existing = _scenario(assessment)
        initial = (
            form_data(existing.data, existing.name, policy) if existing else form_data({}, _(service.BASE_CASE), policy)
        )
    form = new_form(policy, initial)
    if form.validate_on_submit():
        data = _checked(form, policy, assessment)
        if data is not None:
            saved = service.save_scenario(session(), assessment, form.scenario.data.strip(), data, current_actor())
            flash(_("The estimates of %(name)s are saved.", name=saved.name), "success")
            return redirect(url_for(".page", assessment_id=assessment.id, scenario=saved.name))
    elif existing is not None and not service.usable(assessment, existing.data, policy):
        # Figures stored before they were checked as they are now: marked where they are shown.
        _checked(form, policy, assessment)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "economics/estimates.html",
        assessment=assessment,
        form=form,
        costs=COSTS,
        benefits=BENEFITS,
        label=_,
        field_name=field_name,
    ), status


def _checked(form: FlaskForm, policy: EconomicsPolicy, assessment: Assessment) -> dict[str, Any] | None:
    """The form's estimates as data, checked by the engine as a file would be; None with the errors
    on the form (at their boxes, or above the form for what no box holds)."""
    data = read_form(form, policy)
    if data is None:
        return None
    try:
        read_estimates(data, policy, users=assessment.crm_users)
    except EstimatesError as error:
        form.form_errors = [*form.form_errors, *error.problems]
        return None
    return data


@bp.get("/economics")
def page(assessment_id: uuid.UUID) -> str:
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    chosen = _scenario(assessment)
    if chosen is None:
        return render_template("economics/empty.html", assessment=assessment)
    appraisal, estimates_, definitions = service.appraise_assessment(
        session(), assessment, chosen, request.args.get("preset")
    )
    currency = estimates_.currency
    simulation = appraisal.simulation
    base = appraisal.adjusted.npv
    tornado_bars, tornado_base, tornado_height = charts.tornado(base, [(b.low, b.high) for b in simulation.tornado])
    return render_template(
        "economics/page.html",
        assessment=assessment,
        scenario=chosen,
        scenarios=service.scenarios(session(), assessment),
        appraisal=appraisal,
        estimates=estimates_,
        policy=definitions.policy,
        currency=currency,
        reason=lambda r: reason_text(r, definitions),
        lever_text=lever_text,
        path_limit=MAX_STEPS,
        role_labels=ROLES,
        area_labels=AREAS,
        cash_chart=charts.line_chart(
            {"brochure": appraisal.brochure.cumulative_net, "adjusted": appraisal.adjusted.cumulative_net},
            {"brochure": appraisal.brochure.payback_month, "adjusted": appraisal.adjusted.payback_month},
        ),
        histogram=charts.histogram(simulation.histogram_edges, simulation.histogram_counts),
        tornado=(tornado_bars, tornado_base, tornado_height),
        waivers=scoring.waivers(session(), assessment),
        can_decide=may(MemberRole.VIEWER, assessment.organisation.workspace_id),
        can_edit=may(MemberRole.ANALYST, assessment.organisation.workspace_id),
    )


@bp.get("/decision.json")
def as_json(assessment_id: uuid.UUID) -> Response:
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    chosen = _scenario(assessment)
    if chosen is None:
        abort(404)
    appraisal, estimates_, definitions = service.appraise_assessment(
        session(), assessment, chosen, request.args.get("preset")
    )
    document = with_words(appraisal_as_json(appraisal, estimates_.currency), appraisal, definitions)
    return jsonify(
        document | {"assessment": str(assessment.id), "scenario": chosen.name, "definitions_digest": definitions.digest}
    )


@bp.post("/waivers")
def waive(assessment_id: uuid.UUID) -> Response:
    """Steering viewers record decisions: a knock-out waived, by whom, and why."""
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    knock_out = request.form.get("knock_out", "")
    decided_by, reason = request.form.get("decided_by", "").strip(), request.form.get("reason", "").strip()
    policy = pinned(session(), assessment.definitions_digest).policy
    if knock_out not in {k.id for k in policy.knock_outs}:
        abort(404)
    if not decided_by or not reason or len(decided_by) > 120 or len(reason) > 2000:
        flash(_("A waiver needs who decided and why (at most 2,000 characters)."), "error")
    else:
        service.record_waiver(session(), assessment, knock_out, decided_by, reason, current_actor())
        flash(_("The waiver is recorded."), "success")
    return redirect(
        url_for(".page", assessment_id=assessment.id, scenario=request.form.get("scenario"), _anchor="decision")
    )


@bp.post("/waivers/<knock_out>/withdraw")
def withdraw(assessment_id: uuid.UUID, knock_out: str) -> Response:
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    service.withdraw_waiver(session(), assessment, knock_out, current_actor())
    flash(_("The waiver is withdrawn."), "success")
    return redirect(
        url_for(".page", assessment_id=assessment.id, scenario=request.form.get("scenario"), _anchor="decision")
    )


@bp.get("/scenarios")
def compare(assessment_id: uuid.UUID) -> str:
    """Every scenario side by side: the figures that decide."""
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    rows = []
    for found in service.scenarios(session(), assessment):
        appraisal, estimates_, definitions = service.appraise_assessment(session(), assessment, found)
        rows.append((found, appraisal, estimates_.currency))
    return render_template("economics/compare.html", assessment=assessment, rows=rows)
