"""The gate's reasons and the path to go, in plain words in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from assessment.engine.gate import Reason
from assessment.engine.policy import Policy
from assessment.web.i18n import format_money, format_number, translate
from assessment.web.labels import AREAS


def reason_text(reason: Reason, policy: Policy, currency: str) -> str:
    values = dict(reason.values)
    area = str(AREAS.get(values.get("area", ""), values.get("area", "")))

    def points(key: str) -> str:
        return format_number(round(values[key]))

    texts = {
        "knock_out": lambda: _("Knock-out: %(text)s", text=_knock_out_text(policy, values["id"])),
        "knock_out_waived": lambda: _(
            "Knock-out waived by the committee (%(text)s): %(reason)s",
            text=_knock_out_text(policy, values["id"]),
            reason=values["reason"],
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
        "npv_median_not_positive": lambda: _(
            "The median risk-adjusted net present value is %(p50)s: the project is more likely to lose money than not.",
            p50=format_money(values["p50"], currency),
        ),
        "npv_p10_not_positive": lambda: _(
            "The pessimistic case (P10) loses %(p10)s, though the median gains %(p50)s.",
            p10=format_money(-values["p10"], currency),
            p50=format_money(values["p50"], currency),
        ),
        "npv_p10_positive": lambda: _(
            "Even the pessimistic case (P10) gains %(p10)s.", p10=format_money(values["p10"], currency)
        ),
    }
    return texts[reason.code]()


def _knock_out_text(policy: Policy, knock_out_id: str) -> str:
    rule = next((k for k in policy.knock_outs if k.id == knock_out_id), None)
    return translate(rule.text) if rule else knock_out_id
