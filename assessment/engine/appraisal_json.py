"""An appraisal as plain JSON data: the decision JSON view and `flask assess roi` print this."""

from __future__ import annotations

from typing import Any

from assessment.engine.appraisal import Appraisal, Figures
from assessment.engine.gate import Decision, Reason
from assessment.engine.path import PathToGo, Step
from assessment.engine.question_types import answer_to_data
from assessment.engine.readiness_json import result_as_json, rounded
from assessment.engine.simulation import SimulationResult, Spread


def _money(value: float | None, places: int = 2) -> float | None:
    """Amounts to the cent; shares and rates pass their own places."""
    return rounded(value, places)


def appraisal_as_json(appraisal: Appraisal, currency: str) -> dict[str, Any]:
    risk = appraisal.risk
    return {
        "currency": currency,
        "decision": _decision(appraisal.decision),
        "path_to_go": _path(appraisal.path),
        "brochure": _figures(appraisal.brochure),
        "risk_adjusted": _figures(appraisal.adjusted),
        "adjustment": {
            "delivery_probability": _money(risk.delivery, 4),
            "disappointment_share": risk.disappointment_share,
            "expected_share_delivered": _money(risk.expected_delivered, 4),
            "haircuts": dict(risk.adjustment.haircuts),
            "cost_overrun": _money(risk.adjustment.overrun, 4),
            "benefit_delay_months": _money(risk.adjustment.delay_months),
            "project_years": _money(risk.duration_years, 2),
            "scope_readiness": _money(risk.scope_readiness),
            "process_readiness": _money(risk.process_readiness),
        },
        "simulation": _simulation(appraisal.simulation),
        "readiness": result_as_json(appraisal.readiness),
    }


def _reason(reason: Reason) -> dict[str, Any]:
    values = {k: _money(v, 4 if k == "chance" else 2) if isinstance(v, float) else v for k, v in reason.values.items()}
    return {"code": reason.code, **values}


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome.value,
        "blocking": [_reason(r) for r in decision.blocking],
        "conditions": [_reason(r) for r in decision.conditions],
        "met": [_reason(r) for r in decision.met],
        "waived": [_reason(r) for r in decision.waived],
    }


def _path(path: PathToGo | None) -> dict[str, Any] | None:
    if path is None:
        return None
    return {
        "reaches_go": path.reaches_go,
        "outcome_after": path.outcome_after.value,
        "chance_npv_positive_after": _money(path.chance_after, 4),
        "readiness_after": _money(path.readiness_after),
        "areas_to_assess_first": list(path.blocked_by),
        "steps": [_step(s) for s in path.steps],
    }


def _step(step: Step) -> dict[str, Any]:
    """One step: a better answer or an economic lever, with what it does alone."""
    action: dict[str, Any] = (
        {"lever": step.lever.id}
        if step.lever is not None
        else {
            "area": step.area,
            "question": step.question.id if step.question else None,
            "value_before": _money(step.value_before, 4),
            "answer_after": answer_to_data(step.answer_after),
        }
    )
    return action | {
        "owner": step.owner.value if step.owner else None,
        "readiness_gain": _money(step.readiness_gain),
        "chance_npv_positive_before": _money(step.chance_before, 4),
        "chance_npv_positive_after": _money(step.chance_after, 4),
        "npv_gain": _money(step.npv_gain),
        "meets": list(step.meets),
    }


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "pv_costs": _money(figures.pv_costs),
        "pv_benefits": _money(figures.pv_benefits),
        "npv": _money(figures.npv),
        "roi": _money(figures.roi, 4),
        "payback_month": _money(figures.payback_month),
        "irr": _money(figures.irr, 4),
        "irr_unique": figures.irr_unique,
        "mirr": _money(figures.mirr, 4),
        "yearly_net": [_money(v) for v in figures.yearly_net],
        "lines": [
            {
                "line": line.key,
                "cost": line.cost,
                "by_year": [_money(v) for v in line.by_year],
                "total": _money(line.total),
                "present_value": _money(line.present_value),
            }
            for line in figures.lines
        ],
    }


def _spread(spread: Spread | None, places: int = 2) -> dict[str, float | None] | None:
    if spread is None:
        return None
    return {key: _money(getattr(spread, key), places) for key in ("p10", "p50", "p90", "mean")}


def _simulation(simulation: SimulationResult) -> dict[str, Any]:
    return {
        "draws": simulation.draws,
        "seed": simulation.seed,
        "probability_npv_positive": _money(simulation.probability_npv_positive, 4),
        "npv": _spread(simulation.npv),
        "roi": _spread(simulation.roi, 4),
        "payback_month": {key: _money(getattr(simulation.payback, key)) for key in ("p10", "p50", "p90")},
        "never_pays_back": _money(simulation.never_pays_back, 4),
        "irr": _spread(simulation.irr, 4),
        "histogram": {
            "edges": [_money(e) for e in simulation.histogram_edges],
            "counts": list(simulation.histogram_counts),
        },
        "tornado": [
            {"input": b.input, "npv_at_low": _money(b.low), "npv_at_high": _money(b.high)} for b in simulation.tornado
        ],
    }
