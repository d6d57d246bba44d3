"""A pipeline row as the API, the downloads and the webhooks give it: labels beside codes."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from assessment.services.definitions import pinned
from assessment.services.pipeline import PipelineRow
from assessment.storage.database import session
from assessment.storage.models import as_utc
from assessment.web.labels import AREAS, OUTCOMES, QUALIFICATION_CLASSES, STAGES
from assessment.web.qualification_text import qualification_text


def prospect_document(row: PipelineRow) -> dict[str, Any]:
    s, organisation, owner = row.summary, row.organisation, row.owner
    qualification = None
    if s.qualification:
        text = qualification_text(s.qualification_reasons, pinned(session(), s.assessment.definitions_digest))
        qualification = {"class": s.qualification, "reasons": text.reasons, "next_steps": text.next_steps}
    return {
        "organisation": {
            "id": str(organisation.id),
            "name": organisation.name,
            "industry": organisation.industry,
            "business_type": organisation.business_type,
        },
        "assessment_id": str(s.assessment_id),
        "kind": s.assessment.kind,
        "stage": s.stage,
        "progress": {"answered": s.answered, "asked": s.addressed, "percent": row.percent},
        "readiness": s.readiness,
        "weakest_area": {"id": s.weakest_area, "name": str(AREAS[s.weakest_area])} if s.weakest_area else None,
        "failure_probability": s.failure_probability,
        "recommendation": s.recommendation,
        "decision": s.decision,
        "qualification": qualification,
        "deal": {"value": s.deal_value, "currency": s.deal_currency} if s.deal_value is not None else None,
        "owner": {"id": str(owner.id), "name": owner.name} if owner else None,
        "percentile": row.percentile.percentile if row.percentile else None,
        "size_band": s.size_band,
        "last_activity": as_utc(s.last_activity).isoformat(),
        "links": {
            "self": url_for("api.assessment", assessment_id=s.assessment_id, _external=True),
            "results": url_for("api.results", assessment_id=s.assessment_id, _external=True),
        },
    }


HEADER = (
    _l("Organisation"),
    _l("Industry"),
    _l("Stage"),
    _l("Answered (%)"),
    _l("Readiness (0-100)"),
    _l("Weakest area"),
    _l("Percentile in the workspace"),
    _l("Failure probability (%)"),
    _l("Recommendation"),
    _l("Decision"),
    _l("Qualification"),
    _l("Deal value"),
    _l("Deal currency"),
    _l("Looked after by"),
    _l("Last activity"),
)


def spreadsheet_row(row: PipelineRow) -> list[Any]:
    s = row.summary
    standing = row.percentile.percentile if row.percentile else None
    return [
        row.organisation.name,
        row.organisation.industry,
        str(STAGES[s.stage]),
        row.percent,
        round(s.readiness, 1) if s.readiness is not None else None,
        str(AREAS[s.weakest_area]) if s.weakest_area else None,
        round(standing) if standing is not None else None,
        round(100 * s.failure_probability, 1) if s.failure_probability is not None else None,
        str(OUTCOMES[s.recommendation]) if s.recommendation else None,
        str(OUTCOMES[s.decision]) if s.decision else None,
        str(QUALIFICATION_CLASSES[s.qualification]) if s.qualification else None,
        s.deal_value,
        s.deal_currency,
        row.owner.name if row.owner else None,
        s.last_activity,
    ]
