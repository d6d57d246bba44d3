"""The report as a use case: gathered from storage, decisions kept with their basis, a cache found by its inputs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from assessment.services import answers, report
from assessment.storage.database import session
from assessment.storage.models import AuditEntry
from tests.services.conftest import ANALYST, Setting


def answer_goals(setting: Setting, value: str) -> None:
    answers.submit_answers(
        session(), setting.lead, setting.definitions.area("goals"), {"goals_dated": value}, {}, ANALYST
    )


def test_the_inputs_digest_changes_with_an_answer_and_only_then(setting: Setting) -> None:
    answer_goals(setting, "yes")
    first = report.inputs_digest(session(), setting.assessment, True, "en")
    assert report.inputs_digest(session(), setting.assessment, True, "en") == first
    assert report.inputs_digest(session(), setting.assessment, True, "fa") != first
    answer_goals(setting, "no")
    assert report.inputs_digest(session(), setting.assessment, True, "en") != first


def test_a_cached_pdf_is_found_by_its_digest_and_stored_once(setting: Setting) -> None:
    assert report.cached_pdf(session(), "d" * 64) is None
    report.cache_pdf(session(), "d" * 64, b"%PDF-1")
    report.cache_pdf(session(), "d" * 64, b"%PDF-2")
    assert report.cached_pdf(session(), "d" * 64) == b"%PDF-1"


def test_a_decision_is_kept_with_the_figures_it_was_taken_on_and_in_the_audit_trail(setting: Setting) -> None:
    answer_goals(setting, "yes")
    gathered = report.build_report(session(), setting.assessment, show_respondents=True)
    report.record_decision(
        session(),
        setting.assessment,
        gathered,
        "conditional_go",
        "Agree the KPIs",
        "Board",
        date(2026, 11, 20),
        ANALYST,
    )
    again = report.build_report(session(), setting.assessment, show_respondents=True)
    assert [(d.outcome, d.conditions, d.decided_by, d.basis) for d in again.decisions] == [
        ("conditional_go", "Agree the KPIs", "Board", gathered.basis())
    ]
    entry = session().scalar(select(AuditEntry).where(AuditEntry.action == "decision.recorded"))
    assert entry is not None and entry.new == "Board, 2026-11-20: Agree the KPIs"
