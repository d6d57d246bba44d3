"""Qualifying a prospect for a vendor or consultant: qualified, nurture or disqualify, with the reasons
and the next steps each reason calls for (docs/MODEL.md section 11).

Reasons are codes with their figures, like the gate's; `MESSAGES` holds their English sentences,
which the interface translates and fills.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from assessment.engine.gate import Reason
from assessment.engine.policy import QualificationPolicy
from assessment.engine.readiness import ReadinessResult
from assessment.engine.text import N_, Text


class QualificationClass(StrEnum):
    QUALIFIED = "qualified"
    NURTURE = "nurture"
    DISQUALIFY = "disqualify"


@dataclass(frozen=True)
class Deal:
    """What the vendor expects to sell, in a currency's code (USD, EUR, IRR...)."""

    value: float
    currency: str


@dataclass(frozen=True)
class Fit:
    """What the vendor knows of the deal; None where it is not known."""

    deal: Deal | None = None
    users: int | None = None
    """The CRM's users."""
    months_to_go_live: float | None = None
    """From now to the planned go-live."""
    sponsor_holds_budget: bool | None = None
    """From the answers (`sponsor_holds_budget`), unless the vendor knows better."""


@dataclass(frozen=True)
class NextStep:
    """A step the policy recommends to the vendor, with the reasons that call for it."""

    id: str
    text: Text
    causes: tuple[Reason, ...]


@dataclass(frozen=True)
class Qualification:
    outcome: QualificationClass
    disqualifying: tuple[Reason, ...]
    """What disqualifies the prospect for now."""
    nurturing: tuple[Reason, ...]
    """What stands between the prospect and qualified: to put right, or find out, before a proposal."""
    met: tuple[Reason, ...]
    """The criteria of a qualified prospect already met."""
    next_steps: tuple[NextStep, ...]
    """The steps the disqualifying and nurturing reasons call for, in their order, each once."""


MESSAGES = {
    "knock_out_unfunded": N_("Knock-out: %(rule)s Nobody known to hold the budget can put it right."),
    "readiness_too_low": N_(
        "Overall readiness is %(readiness)s, below the %(threshold)s a prospect needs for a proposal."
    ),
    "timeline_too_short": N_(
        "Months to the planned go-live: %(months)s, fewer than the %(threshold)s a project of this size needs."
    ),
    "knock_out": N_("Knock-out: %(rule)s The sponsor holds the budget, so it can be put right before a proposal."),
    "finding": N_("Serious finding: %(rule)s"),
    "goals_disputed": N_("Respondents disagree widely in %(area)s: the buyers do not yet share one view."),
    "not_assessed": N_("Nothing is answered yet, so readiness is unknown."),
    "readiness_short": N_("Overall readiness is %(readiness)s; a qualified prospect needs %(threshold)s."),
    "area_not_assessed": N_("%(area)s has not been assessed yet."),
    "area_short": N_("%(area)s readiness is %(readiness)s, below the %(threshold)s a qualified prospect needs."),
    "no_budget_holder": N_("The sponsor does not hold the budget."),
    "budget_holder_unknown": N_("It is not known whether the sponsor holds the budget."),
    "deal_unknown": N_("The deal's value is not known yet."),
    "deal_not_comparable": N_("The policy sets no minimum deal in %(currency)s, so the deal's size cannot be judged."),
    "deal_too_small": N_("The deal is worth %(value)s, below the %(threshold)s worth a tailored proposal."),
    "timeline_unknown": N_("The planned go-live is not known yet."),
    "readiness_ok": N_("Overall readiness is %(readiness)s, at or above the %(threshold)s a qualified prospect needs."),
    "areas_ok": N_("Every area is at or above %(threshold)s."),
    "budget_holder": N_("The sponsor holds the budget."),
    "deal_ok": N_("The deal is worth %(value)s, at or above the %(threshold)s worth a tailored proposal."),
    "timeline_ok": N_(
        "Months to the planned go-live: %(months)s, at least the %(threshold)s a project of this size needs."
    ),
}
"""Each reason's sentence. Placeholders are the reason's values, numbers formatted for the reader
(`value` and `threshold` of a deal as money in its `currency`), except `rule`: the text of the
policy's knock-out or finding named by `id`, and `area`: the area's name."""

DIRECT_CAUSES = (
    "not_assessed",
    "area_not_assessed",
    "no_budget_holder",
    "budget_holder_unknown",
    "deal_unknown",
    "deal_not_comparable",
    "deal_too_small",
    "timeline_unknown",
    "timeline_too_short",
)
"""The causes whose next step the policy names by their code (`step_for`); the others take their
rule's or their area's step."""


def qualify(
    readiness: ReadinessResult, fit: Fit, policy: QualificationPolicy, waived: Collection[str] = ()
) -> Qualification:
    """Ask what an experienced pre-sales lead asks: can anyone here buy, and is the prospect ready
    for a proposal that fits the deal?

    Disqualify on a standing knock-out (one not in `waived`) with nobody known to hold the budget
    to put it right, on readiness below the floor, or on a go-live too soon for the project's
    size; nurture on anything else unmet or unknown; qualified otherwise.
    """
    disqualifying: list[Reason] = []
    nurturing: list[Reason] = []
    met: list[Reason] = []
    budget_knock_out = False
    for flag in readiness.red_flags:
        where = {"id": flag.id, "area": flag.area, "question": flag.question.id}
        if flag.kind == "knock_out" and flag.id not in waived:
            budget_knock_out |= (flag.area, flag.question.id) == policy.budget_question
            if fit.sponsor_holds_budget:
                nurturing.append(Reason("knock_out", where))
            else:
                disqualifying.append(Reason("knock_out_unfunded", where))
        elif flag.kind == "finding":
            nurturing.append(Reason("finding", where))
    _readiness_reasons(readiness, policy, disqualifying, nurturing, met)
    if fit.sponsor_holds_budget:
        met.append(Reason("budget_holder"))
    elif not budget_knock_out:
        nurturing.append(Reason("budget_holder_unknown" if fit.sponsor_holds_budget is None else "no_budget_holder"))
    _fit_reasons(fit, policy, disqualifying, nurturing, met)
    outcome = (
        QualificationClass.DISQUALIFY
        if disqualifying
        else QualificationClass.NURTURE
        if nurturing
        else QualificationClass.QUALIFIED
    )
    steps = _next_steps(readiness, policy, [*disqualifying, *nurturing])
    return Qualification(outcome, tuple(disqualifying), tuple(nurturing), tuple(met), steps)


def sponsor_holds_budget(readiness: ReadinessResult, policy: QualificationPolicy) -> bool | None:
    """What the answers say: whether the median answer to the policy's budget question (an executive
    sponsor with the authority to fund the project) is above 0, "no"; None when nobody answered it."""
    area, question = policy.budget_question
    scores = [s for a in readiness.areas if a.area == area for s in a.questions if s.question.id == question]
    if not scores or scores[0].value is None:
        return None
    return scores[0].value > 0


def _readiness_reasons(
    readiness: ReadinessResult,
    policy: QualificationPolicy,
    disqualifying: list[Reason],
    nurturing: list[Reason],
    met: list[Reason],
) -> None:
    """Overall readiness and each area against the qualification's lines, and disputed goals."""
    overall = readiness.readiness
    if overall is None:
        nurturing.append(Reason("not_assessed"))
        return
    figures = {"readiness": overall}
    if overall < policy.disqualify_below:
        disqualifying.append(Reason("readiness_too_low", figures | {"threshold": policy.disqualify_below}))
    elif overall < policy.qualified_from:
        nurturing.append(Reason("readiness_short", figures | {"threshold": policy.qualified_from}))
    else:
        met.append(Reason("readiness_ok", figures | {"threshold": policy.qualified_from}))
    weak = False
    for area in readiness.areas:
        if area.readiness is None:
            nurturing.append(Reason("area_not_assessed", {"area": area.area}))
        elif area.readiness < policy.area_floor:
            values = {"area": area.area, "readiness": area.readiness, "threshold": policy.area_floor}
            nurturing.append(Reason("area_short", values))
        else:
            continue
        weak = True
    if not weak:
        met.append(Reason("areas_ok", {"threshold": policy.area_floor}))
    for area in readiness.areas:
        if area.shared_goals_finding:
            questions = [disputed.question.id for disputed in area.disagreement]
            nurturing.append(Reason("goals_disputed", {"area": area.area, "questions": questions}))


def _fit_reasons(
    fit: Fit, policy: QualificationPolicy, disqualifying: list[Reason], nurturing: list[Reason], met: list[Reason]
) -> None:
    """The deal's value against the minimum in its currency; the months to go-live against the project's minimum."""
    if fit.deal is None:
        nurturing.append(Reason("deal_unknown"))
    elif fit.deal.currency not in policy.min_deal_value:
        nurturing.append(Reason("deal_not_comparable", {"currency": fit.deal.currency}))
    else:
        minimum = policy.min_deal_value[fit.deal.currency]
        values = {"value": fit.deal.value, "threshold": minimum, "currency": fit.deal.currency}
        if fit.deal.value < minimum:
            nurturing.append(Reason("deal_too_small", values))
        else:
            met.append(Reason("deal_ok", values))
    if fit.months_to_go_live is None:
        nurturing.append(Reason("timeline_unknown"))
        return
    needed = policy.minimum_months(fit.users)
    values = {"months": fit.months_to_go_live, "threshold": needed, "users": fit.users}
    if fit.months_to_go_live < needed:
        disqualifying.append(Reason("timeline_too_short", values))
    else:
        met.append(Reason("timeline_ok", values))


def _next_steps(readiness: ReadinessResult, policy: QualificationPolicy, causes: list[Reason]) -> tuple[NextStep, ...]:
    """Each cause's step, in the causes' order, each step once with every cause that calls for it."""
    called: dict[str, list[Reason]] = {}
    for cause in causes:
        step = _step_for(cause, readiness, policy)
        if step is not None:
            called.setdefault(step, []).append(cause)
    return tuple(NextStep(step, policy.next_steps[step], tuple(reasons)) for step, reasons in called.items())


def _step_for(cause: Reason, readiness: ReadinessResult, policy: QualificationPolicy) -> str | None:
    """A knock-out's or finding's own step, else its area's; a weak area's or a dispute's its area's; low
    readiness the weakest area's; any other cause the step the policy names for its code."""
    values = cause.values
    if cause.code in ("knock_out", "knock_out_unfunded", "finding"):
        return policy.rule_steps.get(values["id"], policy.area_steps.get(values["area"]))
    if cause.code in ("area_short", "goals_disputed"):
        return policy.area_steps.get(values["area"])
    if cause.code in ("readiness_too_low", "readiness_short"):
        weakest = min((a for a in readiness.areas if a.readiness is not None), key=lambda a: a.readiness or 0.0)
        return policy.area_steps.get(weakest.area)
    return policy.cause_steps.get(cause.code)
