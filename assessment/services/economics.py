"""Estimate scenarios, knock-out waivers, and the appraisal of a stored assessment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.engine.appraisal import Appraisal
from assessment.engine.estimates import Estimates
from assessment.engine.estimates_data import EstimatesError, months_to_go_live, read_estimates
from assessment.engine.policy import EconomicsPolicy
from assessment.engine.questionnaire import Definitions
from assessment.engine.readiness import RespondentAnswers, sized
from assessment.engine.size import profile_of
from assessment.engine.text import N_
from assessment.services import appraisals, audit
from assessment.services.audit import Actor
from assessment.services.definitions import pinned
from assessment.services.scoring import respondents_of, waivers
from assessment.storage.models import Assessment, Scenario, Waiver

BASE_CASE = N_("Base case")
"""The first scenario's name, in the language of whoever creates it."""


def scenarios(session: Session, assessment: Assessment) -> list[Scenario]:
    query = select(Scenario).where(Scenario.assessment_id == assessment.id)
    return list(session.scalars(query.order_by(Scenario.created_at)))


def scenario(session: Session, assessment: Assessment, name: str) -> Scenario | None:
    return session.scalar(select(Scenario).where(Scenario.assessment_id == assessment.id, Scenario.name == name))


def save_scenario(session: Session, assessment: Assessment, name: str, data: dict[str, Any], actor: Actor) -> Scenario:
    """Create or replace the scenario `name`; every changed figure goes into the audit trail."""
    found = scenario(session, assessment, name)
    old = _flat(found.data) if found else {}
    if found is None:
        found = Scenario(assessment_id=assessment.id, name=name, data=data)
        session.add(found)
    else:
        found.data = data
    new = _flat(data)
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            audit.record(
                session,
                assessment.organisation.workspace_id,
                actor,
                "estimate.changed",
                f"{name}: {key}",
                old.get(key),
                new.get(key),
                assessment_id=assessment.id,
            )
    session.commit()
    return found


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested data as dotted keys, lines by their id, so the audit trail says what changed."""
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in _flat(value, f"{prefix}{key}.").items()}
    if isinstance(data, list) and all(isinstance(item, dict) and "id" in item for item in data):
        return {k: v for item in data for k, v in _flat(item, f"{prefix}{item['id']}.").items()}
    return {prefix.rstrip("."): data}


def record_waiver(
    session: Session, assessment: Assessment, knock_out: str, decided_by: str, reason: str, actor: Actor
) -> None:
    """The committee proceeds despite `knock_out`; who decided and why are kept."""
    existing = session.get(Waiver, (assessment.id, knock_out))
    old = existing.reason if existing else None
    if existing is None:
        session.add(Waiver(assessment_id=assessment.id, knock_out=knock_out, decided_by=decided_by, reason=reason))
    else:
        existing.decided_by, existing.reason = decided_by, reason
    audit.record(
        session,
        assessment.organisation.workspace_id,
        actor,
        "waiver.recorded",
        knock_out,
        old,
        f"{decided_by}: {reason}",
        assessment_id=assessment.id,
    )
    session.commit()


def withdraw_waiver(session: Session, assessment: Assessment, knock_out: str, actor: Actor) -> None:
    existing = session.get(Waiver, (assessment.id, knock_out))
    if existing is not None:
        audit.record(
            session,
            assessment.organisation.workspace_id,
            actor,
            "waiver.withdrawn",
            knock_out,
            f"{existing.decided_by}: {existing.reason}",
            None,
            assessment_id=assessment.id,
        )
        session.delete(existing)
        session.commit()


def usable(assessment: Assessment, data: Any, policy: EconomicsPolicy) -> bool:
    """Whether stored estimates pass today's checks (figures saved before a check was added may not)."""
    try:
        read_estimates(data, policy, users=assessment.crm_users)
    except EstimatesError:
        return False
    return True


class UnusableScenario(EstimatesError):
    """A stored scenario that today's checks refuse (figures saved before a check was added)."""

    def __init__(self, name: str, problems: list[str]) -> None:
        super().__init__(problems)
        self.name = name


def estimates_of(assessment: Assessment, found: Scenario, definitions: Definitions) -> Estimates:
    """The scenario's estimates, checked as when they were entered; UnusableScenario names it otherwise.

    The assessment gives what the scenario leaves out: its number of users, and its planned
    go-live as months from the assessment's start (docs/MODEL.md section 4.2).
    """
    go_live = months_to_go_live(assessment.created_at.date(), assessment.go_live)
    try:
        return read_estimates(
            found.data, definitions.policy.economics, users=assessment.crm_users, go_live_month=go_live
        )
    except EstimatesError as error:
        raise UnusableScenario(found.name, error.problems) from None


def appraise_assessment(
    session: Session,
    assessment: Assessment,
    found: Scenario,
    preset: str | None = None,
    people: Sequence[RespondentAnswers] | None = None,
) -> tuple[Appraisal, Estimates, Definitions]:
    """The full appraisal of one scenario, with the committee's waivers applied.

    Computed once per distinct set of inputs and shared by every page that shows it
    (`services/appraisals.py`). `people` saves reading every answer again when the caller
    already has them.
    """
    definitions = pinned(session, assessment.definitions_digest)
    estimates = estimates_of(assessment, found, definitions)
    recorded = {w.knock_out: f"{w.decided_by}: {w.reason}" for w in waivers(session, assessment)}
    people = respondents_of(session, assessment) if people is None else people
    definitions = sized(definitions, people, profile_of(estimates))  # the project's size: docs/MODEL.md 1.7
    result = appraisals.appraisal(definitions, people, found.data, estimates, preset, recorded)
    return result, estimates, definitions
