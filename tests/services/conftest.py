"""What the service tests build on: an assessment with its lead and one invited sponsor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from assessment.engine.questionnaire import Definitions, Role
from assessment.services import assessments
from assessment.services.audit import Actor
from assessment.services.definitions import current
from assessment.storage.database import session
from assessment.storage.models import Assessment, Respondent, Workspace
from tests.conftest import Member

ANALYST = Actor("user", None, "analyst@example.com")


@dataclass(frozen=True)
class Setting:
    definitions: Definitions
    lead: Respondent
    sponsor: Respondent

    @property
    def assessment(self) -> Assessment:
        return self.lead.assessment


@pytest.fixture
def setting(app: Flask, owner: Member) -> Iterator[Setting]:
    """An assessment with its lead and one invited sponsor, inside an app context."""
    with app.app_context():
        db = session()
        organisation = assessments.create_organisation(
            db, db.get(Workspace, owner.workspace_id), assessments.OrganisationDetails("Parsian", "Retail", "b2c")
        )
        assessment = assessments.create_assessment(
            db, current(), organisation, assessments.AssessmentDetails("Zoho CRM", "cloud", 40, None, "Maryam")
        )
        sponsor = assessments.invite(db, assessment, "Reza", None, Role.SPONSOR, ANALYST)
        yield Setting(current(), assessments.lead_of(assessment), sponsor)
