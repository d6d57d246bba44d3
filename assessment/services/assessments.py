"""Creating assessments, inviting respondents and saving answers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assessment.engine.questionnaire import Answer, Definitions, Role
from assessment.services.definitions import pin
from assessment.storage.models import Answer as AnswerRow
from assessment.storage.models import Assessment, Organisation, Respondent, new_token

AreaAnswers = dict[str, Answer]


@dataclass(frozen=True)
class AssessmentDetails:
    organisation_name: str
    industry: str
    business_type: str
    crm_product: str
    deployment: str
    crm_users: int
    go_live: date | None
    lead_name: str


def create_assessment(session: Session, definitions: Definitions, details: AssessmentDetails) -> Assessment:
    """A new organisation and assessment, pinned to `definitions`, with its lead respondent."""
    organisation = Organisation(
        name=details.organisation_name, industry=details.industry, business_type=details.business_type
    )
    assessment = Assessment(
        organisation=organisation,
        crm_product=details.crm_product,
        deployment=details.deployment,
        crm_users=details.crm_users,
        go_live=details.go_live,
        definitions_digest=pin(session, definitions),
    )
    session.add(Respondent(assessment=assessment, name=details.lead_name, role=Role.PROJECT_MANAGER, is_lead=True))
    session.add(assessment)
    session.commit()
    return assessment


def invite(session: Session, assessment: Assessment, name: str, email: str | None, role: Role) -> Respondent:
    """A respondent with a private link that shows only the questions addressed to `role`."""
    respondent = Respondent(assessment=assessment, name=name, email=email or None, role=role, token=new_token())
    session.add(respondent)
    session.commit()
    return respondent


def lead_of(assessment: Assessment) -> Respondent:
    return next(r for r in assessment.respondents if r.is_lead)


def find_assessment(session: Session, assessment_id: uuid.UUID) -> Assessment | None:
    return session.get(Assessment, assessment_id)


def find_by_token(session: Session, token: str) -> Respondent | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(select(Respondent).where(Respondent.token == token))


def list_assessments(session: Session) -> list[Assessment]:
    return list(session.scalars(select(Assessment).order_by(Assessment.created_at.desc())))


def answers_of(session: Session, respondent_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, AreaAnswers]]:
    """Every answer of the given respondents, by respondent, then area, then question."""
    found: dict[uuid.UUID, dict[str, AreaAnswers]] = {rid: {} for rid in respondent_ids}
    rows = session.execute(
        select(AnswerRow.respondent_id, AnswerRow.area, AnswerRow.question, AnswerRow.value).where(
            AnswerRow.respondent_id.in_(respondent_ids)
        )
    )
    for respondent_id, area, question, value in rows:
        found[respondent_id].setdefault(area, {})[question] = tuple(value) if isinstance(value, list) else value
    return found


def save_answers(session: Session, respondent: Respondent, area: str, changes: Mapping[str, Answer | None]) -> None:
    """Write `changes` in one transaction; None clears an answer. Touches no one else's rows."""
    now = datetime.now(UTC)
    rows = [
        {
            "respondent_id": respondent.id,
            "area": area,
            "question": question,
            "value": list(value) if isinstance(value, tuple) else value,
            "updated_at": now,
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
                AnswerRow.respondent_id == respondent.id,
                AnswerRow.area == area,
                AnswerRow.question.in_(cleared),
            )
        )
    session.commit()
