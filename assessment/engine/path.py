"""The path to go: at most five steps a team can take, each measured from the same starting point.

A step is a better answer to a question that describes preparation (never one that describes
the organisation's situation), or, when the return falls short, an economic lever applied to
the estimates. Every candidate is first tried alone from where the assessment stands, which is
the effect each step shows; the plan then takes, from a shortlist of the strongest, the step
that does most from where the plan has got to, until a go or five steps (docs/MODEL.md
section 7.2).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assessment.engine.adjustment import risk_adjustment
from assessment.engine.estimates import BenefitLine, CostLine, Estimates, ThreePoint
from assessment.engine.gate import Decision, Outcome, Reason, decide
from assessment.engine.question_types import Answer
from assessment.engine.questionnaire import Definitions, Question, Role
from assessment.engine.readiness import QuestionScore, ReadinessResult, RespondentAnswers, score
from assessment.engine.simulation import chance_positive, expected_npv
from assessment.engine.text import N_

MAX_STEPS = 5
"""A plan a committee can hold in its head; beyond five, say plainly that no short path exists."""
PATH_DRAWS = 1000
"""Draws per evaluation; every evaluation sees the same runs (the seed follows the estimates
alone), so two candidates differ by what they change, not by sampling noise."""
BROADEST = 12
"""Besides the questions an unmet criterion names, the answers that cost the most readiness."""
SHORTLIST = 8
"""The strongest steps alone; the plan takes, each time, the one that does most from where it then stands."""
BUDGET = 80
"""Evaluations per search at most (each one readiness, the chance of a positive return over
`PATH_DRAWS` runs and the gate), whatever the questionnaires' size: enough for five rounds of the
shortlist and one redraw, so it binds only when the definitions grow. Once it is spent, a round
weighs only the steps already measured from where the plan stands."""
UNFIXABLE = {"area_not_assessed", "knock_out_waived", "not_assessed", "goals_disputed"}
"""Unmet criteria no step can meet: only answering, agreeing, or the committee can."""
ECONOMIC = {"return_unlikely", "return_uncertain"}


@dataclass(frozen=True)
class Lever:
    """A change to the estimates a project can make when the return falls short (design choices)."""

    id: str
    label: str
    owner: Role
    project_costs: float = 1.0
    """Factor on one-off project costs (implementation, customisation, migration...)."""
    running_costs: float = 1.0
    """Factor on licences, subscriptions, hosting and support."""
    benefits: float = 1.0
    ramp: float = 1.0
    """Factor on the months to full adoption."""


LEVERS = (
    Lever(
        "phase_scope",
        N_("Phase the scope: start with the modules where the value is clearest"),
        Role.SPONSOR,
        project_costs=0.6,
        benefits=0.8,
    ),
    Lever("configure_not_customise", N_("Configure rather than customise"), Role.IT, project_costs=0.75),
    Lever("licence_terms", N_("Negotiate another licence tier or better terms"), Role.SPONSOR, running_costs=0.8),
    Lever(
        "faster_adoption",
        N_("Speed adoption: training, champions and managers running their meetings from the CRM"),
        Role.PROJECT_MANAGER,
        ramp=0.5,
    ),
)


@dataclass(frozen=True)
class State:
    """Where an assessment stands: readiness, the decision, the chance of a positive return, expected NPV."""

    readiness: ReadinessResult
    decision: Decision
    chance: float
    npv: float

    @property
    def unmet(self) -> set[tuple[str, str]]:
        """Each unmet criterion as (code, what it concerns)."""
        return {(r.code, _subject(r.values)) for r in (*self.decision.blocking, *self.decision.conditions)}


@dataclass(frozen=True)
class Step:
    """One action, with what it does alone from where the assessment stands."""

    owner: Role | None
    area: str | None = None
    question: Question | None = None
    value_before: float | None = None
    answer_after: Answer | None = None
    lever: Lever | None = None
    readiness_gain: float = 0.0
    chance_before: float = 0.0
    chance_after: float = 0.0
    npv_gain: float = 0.0
    meets: tuple[str, ...] = ()
    """The unmet criteria (codes) this step alone would meet."""


@dataclass(frozen=True)
class PathToGo:
    steps: tuple[Step, ...]
    """In the order to take them."""
    reaches_go: bool
    outcome_after: Outcome
    """The decision with every step taken."""
    chance_after: float
    readiness_after: float | None
    blocked_by: tuple[str, ...]
    """Areas nobody has answered: no step can replace assessing them."""


Evaluate = Callable[[Sequence[RespondentAnswers], Estimates], State | None]


def path_to_go(
    definitions: Definitions,
    respondents: Sequence[RespondentAnswers],
    estimates: Estimates,
    preset: str | None = None,
    waivers: Mapping[str, str] | None = None,
) -> PathToGo:
    """The plan from where the assessment stands to a go, or as near as five steps get."""

    seen: dict[tuple[str, str], State] = {}

    def evaluate(people: Sequence[RespondentAnswers], figures: Estimates) -> State | None:
        """The state these inputs give, or None once the budget is spent on others."""
        # The same inputs give the same state (the seed follows the estimates), so each distinct
        # set is evaluated once: the plan's first round repeats the shortlist's measures alone.
        key = _key(people, figures)
        if key not in seen and len(seen) < BUDGET:
            seen[key] = _state(definitions, people, figures, preset, waivers)
        return seen.get(key)

    people, figures = list(respondents), estimates
    start = _state(definitions, people, figures, preset, waivers)
    seen[_key(people, figures)] = start
    pool = [
        (step, apply)
        for step, apply, _gained in sorted(
            _candidates(definitions, start, people, figures, evaluate),
            key=lambda c: (c[2], c[0].npv_gain),
            reverse=True,
        )
    ]
    shortlist = pool[:SHORTLIST]
    plan: list[Step] = []
    state = start
    while shortlist and len(plan) < MAX_STEPS and state.decision.outcome is not Outcome.GO:
        outcomes = []
        for step, apply in shortlist:
            who, what = apply(people, figures)
            if (after := evaluate(who, what)) is not None:
                outcomes.append((after, step, apply, who, what))
        if not outcomes:
            break
        best, step, apply, best_people, best_figures = max(outcomes, key=lambda o: (progress(state, o[0]), o[0].npv))
        if progress(state, best) <= 0:
            break
        plan.append(step)
        pool.remove((step, apply))
        lifted = len(best.decision.blocking) < len(state.decision.blocking)
        people, figures, state = best_people, best_figures, best
        if lifted:
            # A blocker lifted (a knock-out no longer caps p): what matters next changes, so the
            # shortlist is drawn again from the candidates, measured from here (those the budget
            # leaves unmeasured keep their order behind them).
            pool.sort(key=lambda c: _progress_or_none(state, evaluate(*c[1](people, figures))), reverse=True)
        shortlist = pool[:SHORTLIST]
    unassessed = tuple(r.values["area"] for r in state.decision.conditions if r.code == "area_not_assessed")
    return PathToGo(
        tuple(plan),
        state.decision.outcome is Outcome.GO,
        state.decision.outcome,
        state.chance,
        state.readiness.readiness,
        unassessed,
    )


def _key(people: Sequence[RespondentAnswers], figures: Estimates) -> tuple[str, str]:
    return repr([(person.name, person.role, person.answers) for person in people]), repr(figures)


def _state(
    definitions: Definitions,
    people: Sequence[RespondentAnswers],
    estimates: Estimates,
    preset: str | None,
    waivers: Mapping[str, str] | None,
) -> State:
    readiness = score(definitions, people, preset, waived=waivers or {})
    risk = risk_adjustment(readiness, people, estimates, definitions.policy)
    chance = chance_positive(estimates, risk, PATH_DRAWS)
    decision = decide(readiness, chance, definitions.policy.gate, waivers)
    return State(readiness, decision, chance, expected_npv(estimates, risk))


Apply = Callable[[list[RespondentAnswers], Estimates], tuple[list[RespondentAnswers], Estimates]]


def _candidates(
    definitions: Definitions,
    start: State,
    people: list[RespondentAnswers],
    estimates: Estimates,
    evaluate: Evaluate,
) -> list[tuple[Step, Apply, float]]:
    """Every step that alone moves the gate from `start`, with what it does and how far it gets."""
    unmet = start.unmet
    if not {code for code, _ in unmet} - UNFIXABLE:
        return []
    found: list[tuple[Step, Apply]] = []
    for target, answer in _improvable(start.readiness, unmet):
        owner = definitions.area(target.area).owner_of(target.question)
        found.append((Step(owner, target.area, target.question, target.value, answer), _answering(target, answer)))
    if {code for code, _ in unmet} & ECONOMIC:
        found += [(Step(lever.owner, lever=lever), _pulling(lever)) for lever in LEVERS]
    measured: list[tuple[Step, Apply, float]] = []
    for step, apply in found:
        alone = evaluate(*apply(people, estimates))
        if alone is not None and (gained := progress(start, alone)) > 0:
            measured.append((_measured(step, start, alone), apply, gained))
    return measured


def _answering(target: QuestionScore, answer: Answer) -> Apply:
    def apply(people: list[RespondentAnswers], estimates: Estimates) -> tuple[list[RespondentAnswers], Estimates]:
        return _with_everyone_answering(people, target, answer), estimates

    return apply


def _pulling(lever: Lever) -> Apply:
    def apply(people: list[RespondentAnswers], estimates: Estimates) -> tuple[list[RespondentAnswers], Estimates]:
        return people, _pulled(estimates, lever)

    return apply


def _improvable(readiness: ReadinessResult, unmet: set[tuple[str, str]]) -> list[tuple[QuestionScore, Answer]]:
    """Actionable answers below their best: those an unmet criterion names, and the costliest others."""
    named = {subject for code, subject in unmet if code in ("knock_out", "finding")}
    weak_areas = {subject for code, subject in unmet if code in ("area_too_low", "area_short")}
    scores = [s for area in readiness.areas for s in area.questions if not s.question.situation]
    costliest = {id(s) for s in sorted(scores, key=lambda s: -s.lost_points)[:BROADEST]}
    found = []
    for target in scores:
        best = target.question.kind.best(target.question)
        if target.value is None or best is None or best[1] <= target.value:
            continue
        key = f"{target.area}.{target.question.id}"
        if key in named or target.area in weak_areas or id(target) in costliest:
            found.append((target, best[0]))
    return found


def _measured(step: Step, start: State, alone: State) -> Step:
    """`step` with what it does alone from `start`."""
    return dataclasses.replace(
        step,
        readiness_gain=(alone.readiness.readiness or 0.0) - (start.readiness.readiness or 0.0),
        chance_before=start.chance,
        chance_after=alone.chance,
        npv_gain=alone.npv - start.npv,
        meets=tuple(sorted({code for code, _ in start.unmet - alone.unmet})),
    )


BLOCKING = {"knock_out", "area_too_low", "readiness_too_low", "return_unlikely"}


def progress(before: State, after: State) -> float:
    """How far `after` gets towards meeting what `before` leaves unmet: for each unmet criterion the
    share of its gap closed (1 when met), blockers counting double, summed."""
    total = 0.0
    for reason in (*before.decision.blocking, *before.decision.conditions):
        if reason.code in UNFIXABLE:
            continue
        met = (reason.code, _subject(reason.values)) not in after.unmet
        share = 1.0 if met else _gap_closed(reason, before, after)
        total += share * (2 if reason.code in BLOCKING else 1)
    return total


def _progress_or_none(before: State, after: State | None) -> float:
    """`progress`, below every measured step when `after` was not measured."""
    return -math.inf if after is None else progress(before, after)


def _gap_closed(reason: Reason, before: State, after: State) -> float:
    """The share of an unmet threshold's gap that `after` closes; 0 for a rule on one answer not yet met."""
    values = reason.values
    if reason.code in ("area_short", "area_too_low"):
        now, then = before.readiness.area(values["area"]).readiness, after.readiness.area(values["area"]).readiness
        return _share(now or 0.0, then or 0.0, values["threshold"])
    if reason.code in ("readiness_short", "readiness_too_low"):
        return _share(before.readiness.readiness or 0.0, after.readiness.readiness or 0.0, values["threshold"])
    if reason.code in ECONOMIC:
        closed = _share(before.chance, after.chance, values["threshold"])
        # Far from any positive run, the chance does not move: count the expected loss recovered.
        recovered = (after.npv - before.npv) / abs(before.npv) if before.npv < 0 else 0.0
        return max(closed, min(1.0, max(0.0, recovered)) * 0.5)
    return 0.0


def _share(now: float, then: float, threshold: float) -> float:
    gap = threshold - now
    return 0.0 if gap <= 0 else max(0.0, min(1.0, (then - now) / gap))


def _subject(values: Mapping[str, object]) -> str:
    """What a reason concerns: its rule, question or area."""
    if "question" in values and "area" in values:
        return f"{values['area']}.{values['question']}"
    return str(values.get("area", values.get("id", "")))


def _with_everyone_answering(
    people: list[RespondentAnswers], target: QuestionScore, answer: Answer
) -> list[RespondentAnswers]:
    """Everyone who answered the question now gives the best answer, so the median is the best."""
    changed = []
    for person in people:
        answers = person.answers.get(target.area, {})
        if target.question.id in answers:
            area = {**answers, target.question.id: answer}
            person = dataclasses.replace(person, answers={**person.answers, target.area: area})
        changed.append(person)
    return changed


def _pulled(estimates: Estimates, lever: Lever) -> Estimates:
    """The estimates with `lever` applied."""

    def scaled(point: ThreePoint, factor: float) -> ThreePoint:
        return ThreePoint(point.low * factor, point.likely * factor, point.high * factor)

    def cost(line: CostLine) -> CostLine:
        factor = lever.project_costs if line.project else lever.running_costs
        return dataclasses.replace(line, amount=scaled(line.amount, factor))

    def benefit(line: BenefitLine) -> BenefitLine:
        return dataclasses.replace(
            line, factor=line.factor * lever.benefits, ramp_months=round(line.ramp_months * lever.ramp)
        )

    return dataclasses.replace(
        estimates,
        costs=tuple(cost(line) for line in estimates.costs),
        benefits=tuple(benefit(line) for line in estimates.benefits),
    )
