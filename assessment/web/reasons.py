"""The gate's reasons and the path to go, in plain words in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from assessment.engine.appraisal import Appraisal
from assessment.engine.gate import Reason
from assessment.engine.path import Lever
from assessment.engine.policy import FlagRule
from assessment.engine.questionnaire import Definitions
from assessment.web.i18n import format_number, format_share, translate
from assessment.web.labels import AREAS, ROLES


def reason_text(reason: Reason, definitions: Definitions) -> str:
    """One reason of the gate as a sentence; a finding or a dispute also says what to do."""
    policy = definitions.policy
    values = dict(reason.values)
    area = str(AREAS.get(values.get("area", ""), values.get("area", "")))

    def points(key: str) -> str:
        return format_number(round(values[key]))

    def chance(key: str) -> str:
        return format_share(round(100 * values[key]))

    def action() -> str:
        question = definitions.area(values["area"]).question(values["question"])
        return translate(question.mitigation)

    def sides(key: str) -> str:
        return ", ".join(f"{name} ({ROLES.get(role, _('lead'))})" for name, role in values[key])

    texts = {
        "knock_out": lambda: _("Knock-out: %(text)s", text=_rule_text(policy.knock_outs, values["id"])),
        "knock_out_waived": lambda: _(
            "Knock-out waived by the committee (%(text)s), on the assumption: %(reason)s",
            text=_rule_text(policy.knock_outs, values["id"]),
            reason=values["reason"],
        ),
        "finding": lambda: _(
            "%(text)s Before kick-off: %(action)s", text=_rule_text(policy.findings, values["id"]), action=action()
        ),
        "goals_disputed": lambda: ngettext(
            "Respondents disagree on %(count)s question in %(area)s (“%(question)s”); lowest: %(low)s; highest: "
            "%(high)s. Bring them to one view before kick-off.",
            "Respondents disagree on %(count)s questions in %(area)s (for example “%(question)s”); lowest: %(low)s; "
            "highest: %(high)s. Bring them to one view before kick-off.",
            len(values["questions"]),
            count=format_number(len(values["questions"])),
            question=translate(definitions.area(values["area"]).question(values["questions"][0]).text),
            area=area,
            low=sides("low"),
            high=sides("high"),
        ),
        "not_assessed": lambda: _("Nothing is answered yet, so readiness is unknown."),
        "readiness_too_low": lambda: _(
            "Overall readiness is %(readiness)s, below the no-go line of %(threshold)s.",
            readiness=points("readiness"),
            threshold=points("threshold"),
        ),
        "readiness_short": lambda: _(
            "Overall readiness is %(readiness)s; a go needs %(threshold)s.",
            readiness=points("readiness"),
            threshold=points("threshold"),
        ),
        "readiness_ok": lambda: _(
            "Overall readiness is %(readiness)s, at or above the %(threshold)s a go needs.",
            readiness=points("readiness"),
            threshold=points("threshold"),
        ),
        "area_not_assessed": lambda: _("%(area)s has not been assessed yet.", area=area),
        "area_too_low": lambda: _(
            "%(area)s readiness is %(readiness)s, below the no-go floor of %(threshold)s.",
            area=area,
            readiness=points("readiness"),
            threshold=points("threshold"),
        ),
        "area_short": lambda: _(
            "%(area)s readiness is %(readiness)s; a go needs every area at %(threshold)s.",
            area=area,
            readiness=points("readiness"),
            threshold=points("threshold"),
        ),
        "areas_ok": lambda: _("Every area is at %(threshold)s or above.", threshold=points("threshold")),
        "return_unlikely": lambda: _(
            "The chance of a positive net present value is %(chance)s: the project is more likely to lose money "
            "than not (a go needs at least %(threshold)s).",
            chance=chance("chance"),
            threshold=format_share(round(100 * policy.gate.go_probability)),
        ),
        "return_uncertain": lambda: _(
            "The chance of a positive net present value is %(chance)s; a go needs %(threshold)s.",
            chance=chance("chance"),
            threshold=chance("threshold"),
        ),
        "return_likely": lambda: _(
            "The chance of a positive net present value is %(chance)s, at or above the %(threshold)s a go needs.",
            chance=chance("chance"),
            threshold=chance("threshold"),
        ),
    }
    return texts[reason.code]()


def _rule_text(rules: tuple[FlagRule, ...], rule_id: str) -> str:
    rule = next((k for k in rules if k.id == rule_id), None)
    return translate(rule.text) if rule else rule_id


def lever_text(lever: Lever) -> str:
    """An economic lever and what it assumes, in words."""
    changes = [
        (lever.project_costs, _("project costs")),
        (lever.running_costs, _("licences and running costs")),
        (lever.benefits, _("benefits")),
        (lever.ramp, _("time to full adoption")),
    ]
    said = [
        _("%(what)s %(change)s", what=what, change=format_share(round(100 * (factor - 1))))
        for factor, what in changes
        if factor != 1
    ]
    return _("%(lever)s (assumes %(changes)s).", lever=_(lever.label), changes=", ".join(said))


def with_words(document: dict[str, Any], appraisal: Appraisal, definitions: Definitions) -> dict[str, Any]:
    """An appraisal's JSON document with every reason and every step of the path also in words."""
    for key in ("blocking", "conditions", "met", "waived"):
        for reason, entry in zip(getattr(appraisal.decision, key), document["decision"][key], strict=True):
            entry["text"] = reason_text(reason, definitions)
    if appraisal.path is not None:
        for step, entry in zip(appraisal.path.steps, document["path_to_go"]["steps"], strict=True):
            entry["text"] = (
                lever_text(step.lever) if step.lever else translate(step.question.mitigation if step.question else None)
            )
    return document
