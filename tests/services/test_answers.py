"""Answering as a use case: submitting from any channel, restoring from the audit trail, progress."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from assessment.engine.answers import NOT_ASKED
from assessment.engine.question_types import NUMBER_TOO_LARGE
from assessment.engine.questionnaire import Role
from assessment.services import answers, assessments, audit
from assessment.storage.database import session
from assessment.storage.models import AuditEntry, Respondent, Workspace
from tests.conftest import Member
from tests.services.conftest import ANALYST, Setting


def stored(respondent: Respondent) -> dict[str, object]:
    return answers.answers_of(session(), [respondent.id])[respondent.id]


def test_valid_answers_are_saved_with_one_audit_entry_each_naming_area_and_question(setting: Setting) -> None:
    scope = setting.definitions.area("scope")
    submission = answers.submit_answers(
        session(), setting.lead, scope, {"planned_duration_months": "9", "change_control": "yes"}, {}, ANALYST
    )
    assert not submission.errors
    assert stored(setting.lead)["scope"] == {"planned_duration_months": 9.0, "change_control": "yes"}
    entries = session().scalars(select(AuditEntry).where(AuditEntry.action == "answer.changed")).all()
    assert sorted((e.area, e.question, e.new) for e in entries) == [
        ("scope", "change_control", "yes"),
        ("scope", "planned_duration_months", 9.0),
    ]


def test_one_bad_answer_saves_nothing_of_the_submission(setting: Setting) -> None:
    scope = setting.definitions.area("scope")
    submission = answers.submit_answers(
        session(), setting.lead, scope, {"planned_duration_months": "500", "change_control": "yes"}, {}, ANALYST
    )
    assert submission.errors["planned_duration_months"].message == NUMBER_TOO_LARGE
    assert stored(setting.lead) == {}


def test_a_question_not_addressed_to_the_respondent_is_refused_and_nothing_is_saved(setting: Setting) -> None:
    goals = setting.definitions.area("goals")
    not_for_sponsors = next(q for q in goals.questions if Role.SPONSOR not in q.roles)
    for_sponsors = next(q for q in goals.questions if Role.SPONSOR in q.roles and q.type == "yes_no")
    submission = answers.submit_answers(
        session(), setting.sponsor, goals, {not_for_sponsors.id: "yes", for_sponsors.id: "yes"}, {}, ANALYST
    )
    assert dict(submission.refused) == {not_for_sponsors.id: NOT_ASKED}
    assert stored(setting.sponsor) == {}


def test_restoring_an_entry_puts_back_the_value_before_the_change(setting: Setting) -> None:
    goals = setting.definitions.area("goals")
    for value in ("yes", "no"):
        answers.submit_answers(session(), setting.lead, goals, {"goals_dated": value}, {}, ANALYST)
    latest = audit.trail(session(), setting.lead.assessment.organisation.workspace_id).items[0]
    assert (latest.old, latest.new) == ("yes", "no")
    assert answers.restore_answer(session(), latest, ANALYST)
    assert stored(setting.lead)["goals"] == {"goals_dated": "yes"}


def test_an_entry_that_records_no_answer_restores_nothing(setting: Setting) -> None:
    invited = audit.trail(session(), setting.lead.assessment.organisation.workspace_id).items[0]
    assert invited.action == "respondent.invited"
    assert not answers.restore_answer(session(), invited, ANALYST)


def test_progress_counts_each_respondent_over_the_questions_addressed_to_them(setting: Setting) -> None:
    goals = setting.definitions.area("goals")
    answers.submit_answers(session(), setting.sponsor, goals, {"goals_dated": "yes"}, {}, ANALYST)
    progress = answers.progress_of(session(), setting.definitions, [setting.lead, setting.sponsor])
    lead_areas, lead_overall = progress[setting.lead]
    sponsor_areas, sponsor_overall = progress[setting.sponsor]
    assert set(lead_areas) == {q.id for q in setting.definitions.questionnaires} and not lead_overall.answered
    assert all(q.roles & {Role.SPONSOR} for q in sponsor_overall.answered + sponsor_overall.missing)
    assert [q.id for q in sponsor_areas["goals"].answered] == ["goals_dated"]


def test_a_new_organisation_is_saved_by_the_service_itself(app: Flask, owner: Member) -> None:
    with app.app_context():
        db = session()
        made = assessments.create_organisation(
            db, db.get(Workspace, owner.workspace_id), assessments.OrganisationDetails("Kimia", "Chemicals", "b2b")
        )
        db.rollback()
        assert [row.organisation for row in assessments.list_organisations(db, owner.workspace_id).items] == [made]
