"""The quick scan's service: storing a prospect's scan, reading its result by secret, scoring it on
the quick-scan questions only, converting it, and the workspace's settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assessment.services import quick_scan
from assessment.services.answers import answers_of, save_answers
from assessment.services.assessments import OrganisationDetails, lead_of
from assessment.services.audit import Actor
from assessment.services.definitions import current
from assessment.storage.database import session
from assessment.storage.models import Assessment, AuditEntry, Organisation, ProspectContact, Workspace, token_hash
from tests.conftest import Member

OWNER = Actor("user", None, "owner@example.com")
PRIVACY = "Acme keeps your answers to offer you a full assessment.\n\nWrite to privacy@acme.example to delete them."
ANSWERS = {
    "goals": {"business_goals_written": "disagree", "measurable_kpis": "no_kpis"},
    "strategy": {"executive_sponsor": "no", "digital_roadmap": "as_is_analysed"},
    "scope": {"data_migration_estimated": "sources_known", "change_management_budgeted": "training_only"},
    "adoption": {"communication_plan": "planned", "training_plan": "role_based", "primary_group_desire": "neutral"},
    "process": {"processes_mapped": "partly_mapped", "users_in_design": "agree", "second_data_sources": "some"},
}
CONTACT = quick_scan.Contact("Sara Ahmadi", "sara@parsian.example", "+98 21 1234 5678")
COMPANY = OrganisationDetails("Parsian Trading", "Retail", "b2c")


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    with app.app_context():
        yield session()


@pytest.fixture
def workspace(db: Session, owner: Member) -> Workspace:
    found = db.get(Workspace, owner.workspace_id)
    quick_scan.configure(db, found, quick_scan.ScanSettings(True, PRIVACY, False), OWNER)
    return found


def received(db: Session, workspace: Workspace, answers: dict = ANSWERS) -> tuple[Assessment, str]:
    return quick_scan.receive(db, current(), workspace, CONTACT, COMPANY, answers, "fa", PRIVACY)


def test_the_quick_scan_asks_the_marked_questions_of_every_area(db: Session) -> None:
    areas = quick_scan.quick_scan_questions(current())
    assert {area.id: [q.id for q in area.questions] for area in areas} == {
        area: list(answers) for area, answers in ANSWERS.items()
    }


def test_a_received_scan_stores_organisation_assessment_lead_contact_and_answers(
    db: Session, workspace: Workspace
) -> None:
    assessment, secret = received(db, workspace)
    assert assessment.kind == quick_scan.QUICK_SCAN and assessment.crm_users == quick_scan.UNKNOWN_USERS
    assert assessment.organisation.name == "Parsian Trading" and assessment.organisation.workspace_id == workspace.id
    assert assessment.definitions_digest == current().digest
    lead = lead_of(assessment)
    assert (lead.name, lead.role, lead.language) == ("Sara Ahmadi", "project_manager", "fa")
    assert answers_of(db, [lead.id])[lead.id] == ANSWERS
    contact = db.get(ProspectContact, assessment.id)
    assert (contact.name, contact.email, contact.phone) == ("Sara Ahmadi", "sara@parsian.example", "+98 21 1234 5678")
    assert contact.privacy_text == PRIVACY and contact.consented_at is not None
    assert contact.result_hash == token_hash(secret) and secret not in contact.result_hash
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.assessment_id == assessment.id)).all()
    assert actions.count("quick_scan.received") == 1 and actions.count("answer.changed") == 12


def test_a_result_is_found_by_its_secret_only(db: Session, workspace: Workspace) -> None:
    first, secret = received(db, workspace)
    second, other = received(db, workspace)
    assert quick_scan.result_for(db, secret) is first and quick_scan.result_for(db, other) is second
    for guess in ("", "x" * 65, token_hash(secret), secret[:-1]):
        assert quick_scan.result_for(db, guess) is None


def test_the_result_scores_the_quick_scan_questions_and_names_three_risks_red_flags_first(
    db: Session, workspace: Workspace
) -> None:
    assessment, _secret = received(db, workspace)
    result = quick_scan.score(db, assessment)
    assert all(area.readiness is not None for area in result.readiness.areas)
    assert result.readiness.area("strategy").readiness == pytest.approx(100 * 0.35 * 1 / 3)  # sponsor weighs 2
    assert [(risk.area, risk.question.id, risk.kind) for risk in result.risks] == [
        ("strategy", "executive_sponsor", "knock_out"),
        ("goals", "measurable_kpis", "knock_out"),
        ("adoption", "primary_group_desire", "finding"),
    ]
    assert all(risk.question.mitigation is not None and risk.lost_points > 0 for risk in result.risks)


def test_answers_given_after_the_scan_never_change_the_prospect_s_result(db: Session, workspace: Workspace) -> None:
    assessment, _secret = received(db, workspace)
    before = quick_scan.score(db, assessment).readiness.area("goals").readiness
    lead = lead_of(assessment)
    save_answers(db, lead, "goals", {"goals_dated": "no", "benefit_owners": "no"}, OWNER)
    assert quick_scan.score(db, assessment).readiness.area("goals").readiness == before


def test_a_perfect_scan_has_no_risk_to_name(db: Session, workspace: Workspace) -> None:
    best = {
        area.id: {q.id: q.kind.best(q)[0] for q in area.questions}
        for area in quick_scan.quick_scan_questions(current())
    }
    assessment, _secret = received(db, workspace, best)
    result = quick_scan.score(db, assessment)
    assert result.risks == () and result.readiness.readiness == pytest.approx(100)


def test_converting_keeps_every_answer_and_is_audited_once(db: Session, workspace: Workspace) -> None:
    assessment, secret = received(db, workspace)
    lead = lead_of(assessment)
    plan = quick_scan.Plan("Didar CRM", "cloud", 45, None)
    assert quick_scan.convert(db, assessment, plan, OWNER) is True
    assert assessment.kind == quick_scan.FULL
    assert answers_of(db, [lead.id])[lead.id] == ANSWERS
    assert quick_scan.convert(db, assessment, plan, OWNER) is False
    converted = select(func.count()).where(AuditEntry.action == "assessment.converted")
    assert db.scalar(converted) == 1
    assert quick_scan.result_for(db, secret) is assessment  # the prospect keeps their result


def test_the_link_opens_only_with_a_privacy_text_and_a_new_link_ends_the_old_one(db: Session, owner: Member) -> None:
    found = db.get(Workspace, owner.workspace_id)
    with pytest.raises(quick_scan.NoPrivacyTextError):
        quick_scan.configure(db, found, quick_scan.ScanSettings(True, "  ", False), OWNER)
    assert found.quick_scan_token is None and not found.quick_scan_open
    quick_scan.configure(db, found, quick_scan.ScanSettings(True, PRIVACY, True), OWNER)
    old = found.quick_scan_token
    assert old and quick_scan.find_open(db, old) is found and found.quick_scan_embedding
    quick_scan.new_link(db, found, OWNER)
    assert quick_scan.find_open(db, old) is None and quick_scan.find_open(db, found.quick_scan_token) is found
    quick_scan.configure(db, found, quick_scan.ScanSettings(False, PRIVACY, True), OWNER)
    assert quick_scan.find_open(db, found.quick_scan_token) is None
    assert db.scalar(select(func.count()).select_from(Organisation)) == 0
