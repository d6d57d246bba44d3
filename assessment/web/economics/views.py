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
from assessment.web.economics.estimates_form import NAME_LENGTH, field_name, form_data, new_form, problems, read_form
from assessment.web.labels import AREAS, ROLES
from assessment.web.reasons import lever_text, reason_text, with_words

bp = Blueprint("economics", __name__, url_prefix="/assessments/<uuid:assessment_id>")


def _scenario(assessment: Assessment) -> Scenario | None:
    """The scenario named in the query, or the first one; 404 for a name that does not exist."""
    name = request.args.get("scenario")
    if name is None:
        found = service.scenarios(session(), assessment)
        return found[0] if found else None
    return _named(assessment, name)


def _named(assessment: Assessment, name: str) -> Scenario:
    chosen = service.scenario(session(), assessment, name)
    if chosen is None:
        abort(404)
    return chosen


def _by_id(assessment: Assessment, scenario_id: str | None) -> Scenario | None:
    """The assessment's scenario a form names by id; None for a blank, malformed or unknown id."""
    try:
        return service.scenario_by_id(session(), assessment, uuid.UUID(scenario_id or ""))
    except ValueError:
        return None


@bp.route("/estimates", methods=["GET", "POST"])
def estimates(assessment_id: uuid.UUID) -> str | Response | tuple[str, int]:
    """One scenario's figures: `?scenario=<name>` edits it, `?new` starts an empty one and
    `?copy=<name>` a copy; a new or copied scenario is created only when its figures are saved."""
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    policy = pinned(session(), assessment.definitions_digest).policy.economics
    # Initial values only for a fresh page: a post is read exactly as sent.
    initial = _initial(assessment, policy) if request.method == "GET" else None
    form = new_form(policy, initial)
    editing = _by_id(assessment, form.scenario_id.data)
    usable = editing is not None and service.usable(assessment, editing.data, policy)
    if form.validate_on_submit():
        saved = _saved(form, policy, assessment, editing)
        if saved is not None:
            flash(_("The estimates of %(name)s are saved.", name=saved.name), "success")
            return redirect(url_for(".page", assessment_id=assessment.id, scenario=saved.name))
    elif form.is_submitted() or (editing is not None and not usable):
        # Every figure is checked whatever else is wrong, so that the summary lists every problem
        # at once; on a fresh page, figures stored before they were checked as they are now.
        _checked(form, policy, assessment)
    status = 422 if form.is_submitted() else 200
    # Totals of what is stored, so only on a fresh page of a scenario today's checks accept.
    totals = service.brochure_lines(session(), assessment, editing) if editing and usable and status == 200 else ()
    return render_template(
        "economics/estimates.html",
        assessment=assessment,
        form=form,
        problems=problems(form),
        scenario=editing,
        totals={line.key: line for line in totals},
        costs=COSTS,
        benefits=BENEFITS,
        label=_,
        field_name=field_name,
    ), status


def _initial(assessment: Assessment, policy: EconomicsPolicy) -> dict[str, Any]:
    """What a fresh page shows: the scenario asked for (or the first), a copy of one, or a blank page."""
    if "copy" in request.args:
        source = _named(assessment, request.args["copy"])
        return form_data(source.data, _("%(name)s (copy)", name=source.name)[:NAME_LENGTH], policy)
    if "new" in request.args:
        return form_data({}, "", policy)
    existing = _scenario(assessment)
    if existing is None:
        return form_data({}, _(service.BASE_CASE), policy)
    return form_data(existing.data, existing.name, policy, str(existing.id))


def _saved(
    form: FlaskForm, policy: EconomicsPolicy, assessment: Assessment, editing: Scenario | None
) -> Scenario | None:
    """The scenario saved from a valid page: the one the page edits (renamed when its name changed),
    or a new one; None with the errors on the form."""
    data = _checked(form, policy, assessment)
    if data is None:
        return None
    name, actor, db = form.scenario.data.strip(), current_actor(), session()
    try:
        if not form.scenario_id.raw_data:
            # A page served before the form carried the scenario's id: saved by name, as it was then.
            return service.save_scenario(db, assessment, name, data, actor)
        if editing is not None:
            service.rename_scenario(db, assessment, editing, name, actor)
            return service.save_scenario(db, assessment, editing.name, data, actor)
        if form.scenario_id.data:
            form.scenario_id.data = ""
            form.scenario.errors.append(
                _("This scenario was deleted meanwhile: save again to keep these figures as a new scenario.")
            )
            return None
        return service.create_scenario(db, assessment, name, data, actor)
    except service.ScenarioError as error:
        form.scenario.errors.append(_(str(error)))
        return None


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
        return render_template(
            "economics/empty.html", assessment=assessment, deleted=service.deleted_scenarios(session(), assessment)
        )
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
    """Every scenario side by side: the figures that decide; and the deleted ones, to restore."""
    assessment = assessment_for(assessment_id, MemberRole.VIEWER)
    rows = []
    for found in service.scenarios(session(), assessment):
        appraisal, estimates_, definitions = service.appraise_assessment(session(), assessment, found)
        rows.append((found, appraisal, estimates_.currency))
    return render_template(
        "economics/compare.html",
        assessment=assessment,
        rows=rows,
        deleted=service.deleted_scenarios(session(), assessment),
        can_edit=may(MemberRole.ANALYST, assessment.organisation.workspace_id),
    )


def _found(assessment: Assessment, scenario_id: uuid.UUID) -> Scenario:
    found = service.scenario_by_id(session(), assessment, scenario_id)
    if found is None:
        abort(404)
    return found


@bp.get("/scenarios/<uuid:scenario_id>/delete")
def confirm_delete(assessment_id: uuid.UUID, scenario_id: uuid.UUID) -> str:
    """The confirmation step before a scenario is deleted, or why it cannot be."""
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    found = _found(assessment, scenario_id)
    refusal = _(service.DECIDED) if found.name in service.decided_names(session(), assessment) else None
    return render_template("economics/compare.html", assessment=assessment, confirm=found, refusal=refusal)


@bp.post("/scenarios/<uuid:scenario_id>/delete")
def delete(assessment_id: uuid.UUID, scenario_id: uuid.UUID) -> Response:
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    if service.scenario_by_id(session(), assessment, scenario_id) is None and any(
        entry.old["id"] == str(scenario_id) for entry in service.deleted_scenarios(session(), assessment)
    ):  # a second press, or a second tab: what was asked is done
        flash(_("This scenario is already deleted; it can be restored from this page."), "info")
        return redirect(url_for(".compare", assessment_id=assessment.id))
    found = _found(assessment, scenario_id)
    name = found.name
    try:
        service.delete_scenario(session(), assessment, found, current_actor())
    except service.ScenarioError as error:
        flash(_(str(error)), "error")
    else:
        flash(_("The scenario %(name)s is deleted; it can be restored from this page.", name=name), "success")
    return redirect(url_for(".compare", assessment_id=assessment.id))


@bp.post("/scenarios/deleted/<uuid:entry_id>/restore")
def restore(assessment_id: uuid.UUID, entry_id: uuid.UUID) -> Response:
    """Bring back a deleted scenario from the audit entry that kept it."""
    assessment = assessment_for(assessment_id, MemberRole.ANALYST)
    entry = service.deleted_entry(session(), assessment, entry_id)
    if entry is None:
        abort(404)
    try:
        restored = service.restore_scenario(session(), assessment, entry, current_actor())
    except service.ScenarioError as error:
        flash(_(str(error)), "error")
        return redirect(url_for(".compare", assessment_id=assessment.id))
    flash(_("The scenario %(name)s is restored.", name=restored.name), "success")
    return redirect(url_for(".page", assessment_id=assessment.id, scenario=restored.name))
