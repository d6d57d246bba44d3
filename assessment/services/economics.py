"""Estimate scenarios, knock-out waivers, and the appraisal of a stored assessment."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.engine.appraisal import Appraisal
from assessment.engine.economics import Adjustment, LineYears, likely_values, line_years, lines
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
from assessment.storage.models import Assessment, AuditEntry, DecisionRecord, Scenario, Waiver
from assessment.storage.models.base import as_utc

BASE_CASE = N_("Base case")
"""The first scenario's name, in the language of whoever creates it."""


def scenarios(session: Session, assessment: Assessment) -> list[Scenario]:
    query = select(Scenario).where(Scenario.assessment_id == assessment.id)
    return list(session.scalars(query.order_by(Scenario.created_at)))


def scenario(session: Session, assessment: Assessment, name: str) -> Scenario | None:
    return session.scalar(select(Scenario).where(Scenario.assessment_id == assessment.id, Scenario.name == name))


def scenario_by_id(session: Session, assessment: Assessment, scenario_id: uuid.UUID) -> Scenario | None:
    """The assessment's scenario with this id; None for another assessment's."""
    found = session.get(Scenario, scenario_id)
    return found if found is not None and found.assessment_id == assessment.id else None


class ScenarioError(Exception):
    """A change to the scenarios that cannot be made; the message is an English msgid, translated where shown."""


NAME_TAKEN = N_("Another scenario of this assessment already has this name: choose a different one.")
DECIDED = N_("A recorded decision was taken on this scenario, so it is kept: it cannot be deleted.")


def save_scenario(session: Session, assessment: Assessment, name: str, data: dict[str, Any], actor: Actor) -> Scenario:
    """Create or replace the scenario `name`; every changed figure goes into the audit trail."""
    found = scenario(session, assessment, name)
    old = found.data if found else {}
    if found is None:
        found = Scenario(assessment_id=assessment.id, name=name, data=data)
        session.add(found)
    else:
        found.data = data
    _record_figures(session, assessment, name, old, data, actor)
    session.commit()
    return found


def create_scenario(
    session: Session, assessment: Assessment, name: str, data: dict[str, Any], actor: Actor
) -> Scenario:
    """A new scenario, empty or a copy of another's figures; ScenarioError when the name is taken,
    so a new scenario never silently replaces one."""
    if scenario(session, assessment, name) is not None:
        raise ScenarioError(NAME_TAKEN)
    created = Scenario(assessment_id=assessment.id, name=name, data=data)
    session.add(created)
    _record(session, assessment, actor, "scenario.created", name)
    _record_figures(session, assessment, name, {}, data, actor)
    session.commit()
    return created


def rename_scenario(session: Session, assessment: Assessment, found: Scenario, name: str, actor: Actor) -> Scenario:
    """Give `found` a new name; it keeps its id, its figures and its place among the scenarios."""
    if name == found.name:
        return found
    if scenario(session, assessment, name) is not None:
        raise ScenarioError(NAME_TAKEN)
    _record(session, assessment, actor, "scenario.renamed", name, found.name, name)
    found.name = name
    session.commit()
    return found


def delete_scenario(session: Session, assessment: Assessment, found: Scenario, actor: Actor) -> None:
    """Delete a scenario, keeping all of it in the audit entry that `restore_scenario` reads back;
    ScenarioError for the scenario a recorded decision was taken on."""
    if found.name in decided_names(session, assessment):
        raise ScenarioError(DECIDED)
    kept = {
        "id": str(found.id),
        "name": found.name,
        "data": found.data,
        "created_at": as_utc(found.created_at).isoformat(),
    }
    _record(session, assessment, actor, "scenario.deleted", found.name, kept, None)
    session.delete(found)
    session.commit()


def restore_scenario(session: Session, assessment: Assessment, entry: AuditEntry, actor: Actor) -> Scenario:
    """Bring back the scenario a `scenario.deleted` entry of this assessment kept, with its id and its
    place among the scenarios; ScenarioError when its name has been given to another meanwhile."""
    kept = entry.old
    existing = session.get(Scenario, uuid.UUID(kept["id"]))
    if existing is not None:
        return existing
    if scenario(session, assessment, kept["name"]) is not None:
        raise ScenarioError(N_("Another scenario now has this name: rename that one first, then restore this one."))
    restored = Scenario(
        id=uuid.UUID(kept["id"]),
        assessment_id=assessment.id,
        name=kept["name"],
        data=kept["data"],
        created_at=datetime.fromisoformat(kept["created_at"]),
    )
    session.add(restored)
    _record(session, assessment, actor, "scenario.restored", restored.name)
    session.commit()
    return restored


DELETED_SHOWN = 20
"""The most recent deletions offered for restoring; older ones stay in the audit trail."""


def deleted_scenarios(session: Session, assessment: Assessment) -> list[AuditEntry]:
    """The entries of the assessment's most recently deleted scenarios not restored since, newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.assessment_id == assessment.id, AuditEntry.action == "scenario.deleted")
        .order_by(AuditEntry.at.desc())
        .limit(DELETED_SHOWN)
    )
    current = {str(s.id) for s in scenarios(session, assessment)}
    shown: dict[str, AuditEntry] = {}
    for entry in session.scalars(query):
        if entry.old["id"] not in current:
            shown.setdefault(entry.old["id"], entry)
    return list(shown.values())


def deleted_entry(session: Session, assessment: Assessment, entry_id: uuid.UUID) -> AuditEntry | None:
    """The `scenario.deleted` entry of this assessment with this id; None for any other entry."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.assessment_id != assessment.id or entry.action != "scenario.deleted":
        return None
    return entry


def decided_names(session: Session, assessment: Assessment) -> set[str]:
    """The names, as they are now, of the scenarios recorded decisions were taken on.

    A decision's basis names the scenario as it was called then; each later rename is followed
    from the audit trail, so a renamed scenario stays protected and a new one given the old
    name does not.
    """
    renames = session.execute(
        select(AuditEntry.at, AuditEntry.old, AuditEntry.new)
        .where(AuditEntry.assessment_id == assessment.id, AuditEntry.action == "scenario.renamed")
        .order_by(AuditEntry.at)
    ).all()
    names = set()
    for decision in session.scalars(select(DecisionRecord).where(DecisionRecord.assessment_id == assessment.id)):
        name = (decision.basis or {}).get("scenario")
        for at, old, new in renames:
            if old == name and as_utc(at) > as_utc(decision.recorded_at):
                name = new
        if name is not None:
            names.add(name)
    return names


def brochure_lines(session: Session, assessment: Assessment, found: Scenario) -> tuple[LineYears, ...]:
    """Each line of a scenario by year at its most likely figures, before any risk adjustment: the
    totals the estimates form shows beside the figures it was given."""
    estimates = estimates_of(assessment, found, pinned(session, assessment.definitions_digest))
    return line_years(estimates, lines(estimates, likely_values(estimates), Adjustment.none(), np.ones(1)))


def _record(
    session: Session, assessment: Assessment, actor: Actor, action: str, name: str, old: Any = None, new: Any = None
) -> None:
    audit.record(
        session, assessment.organisation.workspace_id, actor, action, name, old, new, assessment_id=assessment.id
    )


def _record_figures(session: Session, assessment: Assessment, name: str, before: Any, after: Any, actor: Actor) -> None:
    """An `estimate.changed` entry for each figure that differs between two versions of a scenario."""
    old, new = _flat(before), _flat(after)
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            _record(session, assessment, actor, "estimate.changed", f"{name}: {key}", old.get(key), new.get(key))


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
