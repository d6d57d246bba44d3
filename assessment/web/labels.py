"""Translatable names for the fixed vocabularies: roles, business types, built-in answer scales."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from assessment.engine.catalogue import BENEFITS, COSTS
from assessment.engine.question_types import NOT_APPLICABLE
from assessment.engine.questionnaire import Role

ROLES = {
    Role.SPONSOR: _l("Executive sponsor"),
    Role.PROJECT_MANAGER: _l("Project manager"),
    Role.IT: _l("IT"),
    Role.SALES_SERVICE_LEAD: _l("Sales or service lead"),
    Role.END_USER: _l("End user"),
}

BUSINESS_TYPES = {
    "b2b": _l("Business to business (B2B)"),
    "b2c": _l("Business to consumer (B2C)"),
    "smb": _l("Small or medium business"),
    "enterprise": _l("Enterprise"),
}

DEPLOYMENTS = {"cloud": _l("Cloud (subscription)"), "on_premise": _l("On-premise")}

BUILT_IN_OPTIONS = {
    "strongly_disagree": _l("Strongly disagree"),
    "disagree": _l("Disagree"),
    "neutral": _l("Neither agree nor disagree"),
    "agree": _l("Agree"),
    "strongly_agree": _l("Strongly agree"),
    "yes": _l("Yes"),
    "no": _l("No"),
    NOT_APPLICABLE: _l("Not applicable"),
}

FLAG_KINDS = {
    "knock_out": _l("Knock-out"),
    "finding": _l("Serious finding"),
    "critical": _l("Red flag"),
}

PRESETS = {"evidence": _l("Evidence weights"), "equal": _l("Equal weights")}
"""The policy's area-weight presets; a preset a policy adds reads by its id until it is named here."""

AREAS = {
    "goals": _l("Goals"),
    "strategy": _l("Strategy"),
    "scope": _l("Scope"),
    "adoption": _l("Adoption"),
    "process": _l("Process design"),
}

MEMBER_ROLES = {
    "owner": _l("Owner: everything, including members and the audit trail"),
    "analyst": _l("Analyst: creates and runs assessments"),
    "viewer": _l("Steering viewer: reads reports and records decisions"),
}


def choices(labels: dict, exclude: tuple[str, ...] = ()) -> list[SelectChoice]:
    """Select options from a table of labels."""
    return [SelectChoice(value, label) for value, label in labels.items() if value not in exclude]


QUADRANTS = {
    "high_risk": _l("A large change in an organisation that resists change: the high-risk quadrant."),
    "large_change": _l("A large change, in an organisation that has adopted change well."),
    "resistant": _l("A modest change, in an organisation that tends to resist change."),
    "low_risk": _l("A modest change in a receptive organisation."),
}

ADKAR_STEPS = {
    "awareness": _l("Awareness"),
    "desire": _l("Desire"),
    "knowledge": _l("Knowledge"),
    "ability": _l("Ability"),
    "reinforcement": _l("Reinforcement"),
}

OUTCOMES = {"go": _l("Go"), "conditional_go": _l("Conditional go"), "no_go": _l("No-go")}


def readable(identifier: str) -> str:
    """A readable fallback for an id no table names, such as one an estimates file invented:
    "revenue_uplift" becomes "Revenue uplift"."""
    words = identifier.replace("_", " ").replace("-", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:] if words else identifier


def input_label(key: str) -> str:
    """An estimated input by its label, never by its key: "costs.implementation" is the catalogue's
    "Implementation and customisation", "benefits.revenue.leads_per_month" "Revenue uplift: Leads
    per month"; ids the catalogue does not know read as words."""
    kind, _, rest = key.partition(".")
    if kind == "costs":
        cost = next((c for c in COSTS if c.id == rest), None)
        return gettext(cost.label) if cost else readable(rest)
    if kind == "benefits":
        line, _, driver = rest.partition(".")
        benefit = next((b for b in BENEFITS if b.id == line), None)
        line_label = gettext(benefit.label) if benefit else readable(line)
        if not driver:
            return line_label
        drivers = [d for b in BENEFITS if b is benefit for d in b.drivers] + [d for b in BENEFITS for d in b.drivers]
        found = next((d for d in drivers if d.id == driver), None)
        driver_label = gettext(found.label) if found else readable(driver)
        return gettext("%(line)s: %(driver)s", line=line_label, driver=driver_label.lower()[:1] + driver_label[1:])
    return readable(key)


STAGES = {
    "quick_scan": _l("Quick scan"),
    "collecting": _l("Collecting answers"),
    "scored": _l("Scored"),
    "decided": _l("Decided"),
}
QUALIFICATION_CLASSES = {
    "qualified": _l("Qualified"),
    "nurture": _l("Nurture"),
    "disqualify": _l("Disqualify"),
}
SIZE_BANDS = {
    "small": _l("Small project"),
    "medium": _l("Medium-sized project"),
    "large": _l("Large project"),
}
"""The shipped policy's project sizes (docs/MODEL.md section 1.7); a policy's other bands show their id."""
