"""Answering: submitting answers from any channel, restoring one from the audit trail, and progress."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assessment.engine.answers import Submission, read_submission
from assessment.engine.progress import Progress, respondent_progress
from assessment.engine.question_types import Answer, answer_from_data, answer_to_data
from assessment.engine.questionnaire import Definitions, Questionnaire, Role
from assessment.engine.readiness import RespondentAnswers, sized
from assessment.engine.size import ProjectProfile
from assessment.services import audit
from assessment.services.audit import Actor
from assessment.services.changes import touch
from assessment.storage.models import Answer as AnswerRow
from assessment.storage.models import Assessment, AuditEntry, Respondent, now

AreaAnswers = dict[str, Answer]
RESTORABLE = "answer.changed"
"""The audit action whose entries can put an answer back."""


def answers_of(session: Session, respondent_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, AreaAnswers]]:
    """Every answer of the given respondents, by respondent, then area, then question."""
    found: dict[uuid.UUID, dict[str, AreaAnswers]] = {rid: {} for rid in respondent_ids}
    rows = session.execute(
        select(AnswerRow.respondent_id, AnswerRow.area, AnswerRow.question, AnswerRow.value).where(
            AnswerRow.respondent_id.in_(respondent_ids)
        )
    )
    for respondent_id, area, question, value in rows:
        found[respondent_id].setdefault(area, {})[question] = answer_from_data(value)
    return found


def save_answers(
    session: Session, respondent: Respondent, area: str, changes: Mapping[str, Answer | None], actor: Actor
) -> None:
    """Write `changes` and their audit entries in one transaction, and commit it; None clears an answer."""
    write_answers(session, respondent, area, changes, actor)
    session.commit()


def write_answers(
    session: Session, respondent: Respondent, area: str, changes: Mapping[str, Answer | None], actor: Actor
) -> None:
    """Write `changes` and their audit entries into the caller's transaction; None clears an answer.

    Touches no one else's rows, so respondents answering at once never overwrite each other.
    """
    old = answers_of(session, [respondent.id])[respondent.id].get(area, {})
    for question, value in changes.items():
        if old.get(question) != value:
            audit.record(
                session,
                respondent.assessment.organisation.workspace_id,
                actor,
                "answer.changed",
                f"{area}.{question}",
                old=answer_to_data(old.get(question)),
                new=answer_to_data(value),
                assessment_id=respondent.assessment_id,
                respondent_id=respondent.id,
                area=area,
                question=question,
            )
    stamp = now()
    rows = [
        {
            "respondent_id": respondent.id,
            "area": area,
            "question": question,
            "value": answer_to_data(value),
            "updated_at": stamp,
        }
        for question, value in changes.items()
        if value is not None
    ]
    cleared = [question for question, value in changes.items() if value is None]
    if rows:
        insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[session.get_bind().dialect.name]
        statement = insert(AnswerRow).values(rows)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[AnswerRow.respondent_id, AnswerRow.area, AnswerRow.question],
                set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
            )
        )
    if cleared:
        session.execute(
            delete(AnswerRow).where(
                AnswerRow.respondent_id == respondent.id, AnswerRow.area == area, AnswerRow.question.in_(cleared)
            )
        )
    if any(old.get(question) != value for question, value in changes.items()):
        touch(session, respondent.assessment_id)  # the summary moves with a different answer, not a re-sent one


def role_of(respondent: Respondent) -> Role | None:
    """The role whose questions a respondent answers; None for the lead, who answers every question."""
    return None if respondent.is_lead else Role(respondent.role)


def submit_answers(
    session: Session,
    respondent: Respondent,
    questionnaire: Questionnaire,
    sent: Mapping[str, Any],
    seen: Mapping[str, Answer | None],
    actor: Actor,
    stored: Mapping[str, Answer] | None = None,
) -> Submission:
    """Read what a page, an autosave or the API sent for one area and, when all of it can be accepted
    (valid, asked of the respondent, and overwriting no answer the sender has not seen), save what changed.

    `stored` is the respondent's answers in the area when the caller already holds them.
    """
    if stored is None:
        stored = answers_of(session, [respondent.id])[respondent.id].get(questionnaire.id, {})
    submission = read_submission(questionnaire, role_of(respondent), stored, sent, seen)
    if submission.accepted and submission.changed:
        save_answers(session, respondent, questionnaire.id, submission.changed, actor)
    return submission


def restore_answer(session: Session, entry: AuditEntry, actor: Actor) -> bool:
    """Put an answer back to the value it had before the change `entry` records; False when it records none."""
    if entry.action != RESTORABLE or entry.respondent_id is None or entry.area is None or entry.question is None:
        return False
    respondent = session.get(Respondent, entry.respondent_id)
    if respondent is None:
        return False
    save_answers(session, respondent, entry.area, {entry.question: answer_from_data(entry.old)}, actor)
    return True


def project_of(assessment: Assessment) -> ProjectProfile:
    """What the assessment itself says of the project's size: its CRM users (unknown for a quick scan,
    which does not ask). The engine adds the planned months from the answers, and an appraisal the
    one-off budget from the estimates."""
    return ProjectProfile(users=assessment.crm_users or None)


def sized_for(
    definitions: Definitions, assessment: Assessment, answers: Mapping[uuid.UUID, dict[str, AreaAnswers]]
) -> Definitions:
    """The definitions as they apply to the assessment's project size (its users, and the planned
    months its respondents give): without the questions a project of its size is not asked."""
    people = [RespondentAnswers(r.name, role_of(r), answers.get(r.id, {})) for r in assessment.respondents]
    return sized(definitions, people, project_of(assessment))


def progress_of(
    session: Session, definitions: Definitions, respondents: list[Respondent]
) -> dict[Respondent, tuple[dict[str, Progress], Progress]]:
    """Each respondent's progress over the questions addressed to them at the project's size, per area and overall."""
    if not respondents:
        return {}
    assessment = respondents[0].assessment
    answers = answers_of(session, [r.id for r in assessment.respondents])
    definitions = sized_for(definitions, assessment, answers)
    return {r: respondent_progress(definitions.questionnaires, answers[r.id], role_of(r)) for r in respondents}
