"""An audit entry in the reader's words: who (by kind), what it concerns, and the values before and
after, never the keys and ids the services store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assessment.engine.question_types import answer_from_data
from assessment.engine.questionnaire import Definitions
from assessment.storage.models import AuditEntry
from assessment.web.i18n import format_number, translate
from assessment.web.labels import AREAS, MEMBER_ROLES, OUTCOMES, ROLES, input_label, readable
from assessment.web.survey.questions import display_answer

ESTIMATE_FIELDS = {
    "currency": _l("Currency"),
    "users": _l("Number of CRM users"),
    "discount_rate": _l("Discount rate, % a year"),
    "horizon_years": _l("Years of benefits"),
    "go_live_month": _l("Go-live, months after kick-off"),
    "project_costs": _l("One-off project costs"),
    "timing": _l("timing"),
    "confidence": _l("confidence"),
    "ramp_months": _l("months to full adoption"),
    "factor": _l("factor"),
    "per_user": _l("per user"),
    "project": _l("project cost"),
    "already_adjusted": _l("already risk-adjusted"),
}
"""The estimate fields an `estimate.changed` entry may name, besides amounts and drivers."""
ROLE_VALUES = {
    "respondent.invited": ROLES,
    "member.added": MEMBER_ROLES,
    "member.invited": MEMBER_ROLES,
    "member.role_changed": MEMBER_ROLES,
    "member.removed": MEMBER_ROLES,
    "token.created": MEMBER_ROLES,
}
MONEY = {"rial": _l("in rials"), "toman": _l("in tomans (one toman is ten rials)")}


@dataclass(frozen=True)
class EntryText:
    who: str
    subject: str
    old: str
    new: str


def describe(entry: AuditEntry, definitions: Definitions) -> EntryText:
    return EntryText(
        _actor(entry),
        _subject(entry, definitions),
        _value(entry, entry.old, definitions),
        _value(entry, entry.new, definitions),
    )


def _actor(entry: AuditEntry) -> str:
    if entry.actor_kind == "respondent":
        return _("%(name)s (respondent)", name=entry.actor_label)
    if entry.actor_kind == "token":
        return _("API token %(name)s", name=entry.actor_label)
    if entry.actor_kind == "anonymous":
        return _("someone not signed in")
    return entry.actor_label


def _subject(entry: AuditEntry, definitions: Definitions) -> str:
    question = _question(entry, definitions)
    if question is not None:
        return f"{AREAS.get(entry.area or '', entry.area)}: {translate(question.text)}"
    if entry.action == "estimate.changed":
        scenario, _sep, key = entry.subject.rpartition(": ")
        return f"{scenario}: {_estimate_field(key)}"
    if entry.action.startswith("waiver."):
        rule = next((k for k in definitions.policy.knock_outs if k.id == entry.subject), None)
        return translate(rule.text) if rule is not None else readable(entry.subject)
    if entry.action == "decision.recorded":
        return str(OUTCOMES.get(entry.subject, entry.subject))
    return entry.subject


def _estimate_field(key: str) -> str:
    """ "costs.implementation.amount" as "Implementation and customisation", "benefits.revenue.drivers.
    leads_per_month" as "Revenue uplift: leads per month", "benefits.retention.confidence" with its field."""
    if key in ESTIMATE_FIELDS:
        return str(ESTIMATE_FIELDS[key])
    kind, _sep, rest = key.partition(".")
    line, _sep, field = rest.partition(".")
    if field.startswith("drivers."):
        return input_label(f"{kind}.{line}.{field.removeprefix('drivers.')}")
    label = input_label(f"{kind}.{line}")
    if field in ("", "amount"):
        return label
    return f"{label}: {ESTIMATE_FIELDS.get(field, readable(field))}"


def _question(entry: AuditEntry, definitions: Definitions) -> Any:
    if entry.action != "answer.changed" or entry.area is None or entry.question is None:
        return None
    try:
        return definitions.area(entry.area).question(entry.question)
    except (KeyError, StopIteration):
        return None


def _value(entry: AuditEntry, value: Any, definitions: Definitions) -> str:
    if value is None:
        return "–"
    question = _question(entry, definitions)
    if question is not None:
        return display_answer(question, answer_from_data(value))
    if entry.action in ROLE_VALUES:
        return str(ROLE_VALUES[entry.action].get(value, value))
    if entry.action == "workspace.money":
        return str(MONEY.get(value, value))
    if entry.action == "decision.recorded" or entry.action.startswith("waiver."):
        return str(value)
    if entry.action == "scenario.deleted" and isinstance(value, dict):
        return str(value["name"])
    return _plain(value)


def _plain(value: Any) -> str:
    """Numbers in the reader's digits, three-point figures as low / most likely / high."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, list):
        return " / ".join(_plain(item) for item in value)
    return str(value)
