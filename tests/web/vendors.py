"""Prospects for the vendor's side, made through the services a real workspace uses: organisations with an
assessment whose lead has answered every question at a chosen quality, so that it is scored."""

from __future__ import annotations

import uuid

from flask import Flask

from assessment.demo import answers_at
from assessment.services import assessments as service
from assessment.services.answers import save_answers
from assessment.services.audit import SYSTEM
from assessment.storage.database import session
from assessment.storage.models import Workspace


def add_prospect(
    app: Flask, workspace_id: uuid.UUID, name: str, quality: float, industry: str = "Retail", users: int = 40
) -> uuid.UUID:
    """An organisation and its assessment, every question of the lead answered at `quality`; its id."""
    with app.app_context():
        db = session()
        workspace = db.get(Workspace, workspace_id)
        organisation = service.create_organisation(db, workspace, service.OrganisationDetails(name, industry, "b2b"))
        details = service.AssessmentDetails("Zoho CRM", "cloud", users, None, "Maryam")
        assessment = service.create_assessment(db, app.extensions["definitions"], organisation, details)
        lead = service.lead_of(assessment)
        for area, answers in answers_at(app.extensions["definitions"], quality, spread=0).items():
            save_answers(db, lead, area, answers, SYSTEM)
        return assessment.id
