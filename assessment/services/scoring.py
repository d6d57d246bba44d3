"""Scoring a stored assessment: every respondent's answers, against the definitions it pinned."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.engine.questionnaire import Definitions, Role
from assessment.engine.readiness import ReadinessResult, RespondentAnswers, score
from assessment.services.answers import answers_of, project_of
from assessment.services.definitions import pinned
from assessment.storage.models import Assessment, Waiver


def respondents_of(session: Session, assessment: Assessment) -> list[RespondentAnswers]:
    """The lead's and every invitee's answers, in one query."""
    answers = answers_of(session, [r.id for r in assessment.respondents])
    return [
        RespondentAnswers(r.name, None if r.is_lead else Role(r.role), answers[r.id]) for r in assessment.respondents
    ]


class UnknownPresetError(LookupError):
    """The area weights preset asked for is not in the assessment's policy."""


def score_assessment(
    session: Session, assessment: Assessment, preset: str | None = None
) -> tuple[ReadinessResult, Definitions]:
    """The assessment's readiness under `preset` (the policy's default when None), with its waivers."""
    definitions = pinned(session, assessment.definitions_digest)
    if preset is not None and preset not in definitions.policy.presets:
        raise UnknownPresetError(preset)
    waived = [w.knock_out for w in waivers(session, assessment)]
    return score(definitions, respondents_of(session, assessment), preset, waived, project_of(assessment)), definitions


def waivers(session: Session, assessment: Assessment) -> list[Waiver]:
    """The knock-outs the steering committee has decided to proceed despite, with who and why."""
    return list(session.scalars(select(Waiver).where(Waiver.assessment_id == assessment.id)))
