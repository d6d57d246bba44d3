"""Organisations, assessments and respondents' links as use cases, each change in the audit trail."""

from __future__ import annotations

from assessment.engine.questionnaire import Role
from assessment.services import assessments, audit
from assessment.services.audit import TrailFilter
from assessment.services.paging import Window
from assessment.storage.database import session
from tests.services.conftest import ANALYST, Setting


def test_a_respondents_link_is_closed_at_once_and_reopened_with_a_trace(setting: Setting) -> None:
    db = session()
    assert assessments.link_is_open(setting.sponsor)
    assessments.revoke(db, setting.sponsor, ANALYST)
    assert not assessments.link_is_open(setting.sponsor)
    assert assessments.find_by_token(db, setting.sponsor.token) == setting.sponsor
    assessments.extend(db, setting.sponsor, ANALYST)
    assert assessments.link_is_open(setting.sponsor)
    kinds = TrailFilter(kind="respondent.revoked"), TrailFilter(kind="respondent.extended")
    workspace = setting.assessment.organisation.workspace_id
    assert [audit.trail(db, workspace, kind).total for kind in kinds] == [1, 1]


def test_a_new_assessment_has_a_lead_who_answers_everything_and_lists_newest_first(setting: Setting) -> None:
    db = session()
    assert setting.lead.is_lead and setting.lead.role == Role.PROJECT_MANAGER
    later = assessments.create_assessment(
        db,
        setting.definitions,
        setting.assessment.organisation,
        assessments.AssessmentDetails("Zoho CRM", "cloud", 45, None, "Maryam"),
    )
    workspace = setting.assessment.organisation.workspace_id
    listed = assessments.list_assessments(db, workspace, Window(number=1, size=1))
    assert listed.total == 2 and listed.items == [later]
    assert assessments.list_assessments(db, workspace, Window(number=2, size=1)).items == [setting.assessment]
