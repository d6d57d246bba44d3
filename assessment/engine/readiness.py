"""Readiness per area and overall, coverage, red flags, the failure probability and its reasons.

Plain data in (definitions with their policy, every respondent's answers), a frozen result
out; every figure carries what produced it. docs/MODEL.md sections 1 and 3.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from assessment.engine.instruments import InstrumentReadings, read_instruments
from assessment.engine.policy import Policy
from assessment.engine.question_types import NOT_APPLICABLE, Answer
from assessment.engine.questionnaire import Definitions, Question, Questionnaire, Role
from assessment.engine.size import ProjectProfile
from assessment.engine.text import Text

TOP_LOSSES = 5


@dataclass(frozen=True)
class RespondentAnswers:
    """One respondent's answers by area; `role` None is the assessment's lead, who is asked everything."""

    name: str
    role: Role | None
    answers: Mapping[str, Mapping[str, Answer]]


@dataclass(frozen=True)
class QuestionScore:
    """One scored question across respondents: the median value counts, the spread is reported."""

    area: str
    question: Question
    values: tuple[float, ...]
    """The value each respondent's answer carries, sorted; not-applicable answers excluded."""
    given_by: tuple[tuple[str, Role | None, float], ...]
    """Who gave each value (name, and role; None for the lead), lowest first: the sides of a disagreement."""
    not_applicable: int
    value: float | None
    """The median of `values`; None when nobody answered or everybody said not applicable."""
    spread: float
    iqr: float
    share: float
    """Its weight's share of its area's answered weight: how much it moves the area's score."""
    lost_points: float
    """Points of overall readiness lost to this answer being below the best one."""

    @property
    def critical(self) -> bool:
        threshold = self.question.critical
        return threshold is not None and self.value is not None and self.value <= threshold


@dataclass(frozen=True)
class AreaScore:
    area: str
    readiness: float | None
    """Weighted mean of answered questions, 0-100; None when nothing in the area is answered."""
    coverage: float
    """Answered weight over the weight of questions that apply (0-1)."""
    thin: bool
    questions: tuple[QuestionScore, ...]
    disagreement: tuple[QuestionScore, ...]
    shared_goals_finding: bool
    """Respondents differ widely in an area where that is a failure cause in itself."""


@dataclass(frozen=True)
class RedFlag:
    kind: str
    """"knock_out" (a no-go unless waived), "finding" (a go only once dealt with) or "critical"
    (any other answer at or below its critical threshold)."""
    id: str
    area: str
    question: Question
    value: float
    text: Text | None


@dataclass(frozen=True)
class ProbabilityReasons:
    readiness: float
    delivery_from_readiness: float
    cap: float | None
    cap_kind: str | None


@dataclass(frozen=True)
class ReadinessResult:
    preset: str
    weights: Mapping[str, float]
    areas: tuple[AreaScore, ...]
    readiness: float | None
    """Overall readiness 0-100 under `preset`; None when nothing is answered."""
    readiness_by_preset: Mapping[str, float | None]
    coverage: float
    delivery_probability: float | None
    failure_probability: float | None
    reasons: ProbabilityReasons | None
    red_flags: tuple[RedFlag, ...]
    top_losses: tuple[QuestionScore, ...]
    instruments: InstrumentReadings
    respondents: int
    project: ProjectProfile = ProjectProfile()
    """What was known of the project's size when it was scored."""
    size: str | None = None
    """The project's size band (policy `project_size`); None: held to every expectation."""

    def area(self, area_id: str) -> AreaScore:
        return next(a for a in self.areas if a.area == area_id)


def score(
    definitions: Definitions,
    respondents: Sequence[RespondentAnswers],
    preset: str | None = None,
    waived: Collection[str] = (),
    project: ProjectProfile | None = None,
) -> ReadinessResult:
    """Score an assessment; `preset` names the area weights (the policy's default when None).

    A knock-out the committee has `waived` no longer caps the chance of delivering. The questions
    and red flags are those that apply to the project's size (`sized`): of `project` when given,
    else of the project `definitions` were sized for, else of what the answers say (its months).
    """
    definitions = sized(definitions, respondents, project)
    policy = definitions.policy
    preset = preset or policy.default_preset
    weights = policy.presets[preset]
    raw = {q.id: _area_questions(q, respondents) for q in definitions.questionnaires}
    readiness_by_area = {area: _weighted_mean(scores) for area, scores in raw.items()}
    total_weight = sum(weights[a] for a, r in readiness_by_area.items() if r is not None)
    areas = tuple(
        _area_score(q, raw[q.id], readiness_by_area[q.id], weights[q.id] / total_weight if total_weight else 0, policy)
        for q in definitions.questionnaires
    )
    by_preset = {name: _overall(readiness_by_area, w) for name, w in policy.presets.items()}
    overall = by_preset[preset]
    flags = _red_flags(areas, policy)
    reasons = None if overall is None else _reasons(overall, flags, policy, waived)
    delivery = None if reasons is None else min(reasons.delivery_from_readiness, reasons.cap or 1.0)
    losses = sorted((s for a in areas for s in a.questions if s.lost_points > 0), key=lambda s: -s.lost_points)
    return ReadinessResult(
        preset=preset,
        weights=weights,
        areas=areas,
        readiness=overall,
        readiness_by_preset=by_preset,
        coverage=sum(weights[a.area] * a.coverage for a in areas) / sum(weights.values()),
        delivery_probability=delivery,
        failure_probability=None if delivery is None else 1 - delivery,
        reasons=reasons,
        red_flags=flags,
        top_losses=tuple(losses[:TOP_LOSSES]),
        instruments=read_instruments(
            definitions, respondents, {(a.area, s.question.id): s.value for a in areas for s in a.questions}
        ),
        respondents=len(respondents),
        project=definitions.project or ProjectProfile(),
        size=definitions.size,
    )


def sized(
    definitions: Definitions, respondents: Sequence[RespondentAnswers], project: ProjectProfile | None = None
) -> Definitions:
    """The definitions as they apply to the project's size (docs/MODEL.md section 1.7).

    `project` is what the caller knows (the assessment's users, the estimates' one-off budget);
    its planned months, when not given, are the median answer to the policy's duration question.
    Definitions already sized are kept as they are unless a `project` is given.
    """
    if project is None and definitions.project is not None:
        return definitions
    area, question = definitions.policy.economics.duration_question
    months = [
        float(value)
        for person in respondents
        if isinstance(value := person.answers.get(area, {}).get(question), (int, float))
    ]
    answered = ProjectProfile(months=statistics.median(months) if months else None)
    return definitions.for_project((project or ProjectProfile()).completed(answered))


@dataclass(frozen=True)
class _Raw:
    question: Question
    values: tuple[float, ...]
    given_by: tuple[tuple[str, Role | None, float], ...]
    not_applicable: int
    applies: bool
    """Shown to at least one respondent, so it counts towards coverage."""


def _area_questions(questionnaire: Questionnaire, respondents: Sequence[RespondentAnswers]) -> list[_Raw]:
    """Each scored question's values from every respondent who was shown it and answered."""
    values: dict[str, list[tuple[str, Role | None, float]]] = {q.id: [] for q in questionnaire.questions}
    not_applicable = dict.fromkeys(values, 0)
    shown: set[str] = set()
    for respondent in respondents:
        answers = respondent.answers.get(questionnaire.id, {})
        for question in questionnaire.visible(answers, respondent.role):
            shown.add(question.id)
            if question.id not in answers:
                continue
            if answers[question.id] == NOT_APPLICABLE:
                not_applicable[question.id] += 1
            elif (value := question.value_of(answers[question.id])) is not None:
                values[question.id].append((respondent.name, respondent.role, value))
    if not respondents:
        shown = {q.id for q in questionnaire.visible({})}
    raws = []
    for question in questionnaire.questions:
        if question.scored:
            given = tuple(sorted(values[question.id], key=lambda entry: entry[2]))
            raw = _Raw(question, tuple(v for *_, v in given), given, not_applicable[question.id], question.id in shown)
            raws.append(raw)
    return raws


def _weighted_mean(questions: list[_Raw]) -> float | None:
    answered = [(r.question.weight, statistics.median(r.values)) for r in questions if r.values]
    weight = sum(w for w, _ in answered)
    return 100 * sum(w * v for w, v in answered) / weight if weight else None


def _area_score(
    questionnaire: Questionnaire, raw: list[_Raw], readiness: float | None, area_share: float, policy: Policy
) -> AreaScore:
    answered_weight = sum(r.question.weight for r in raw if r.values)
    applicable_weight = sum(r.question.weight for r in raw if r.applies and (r.values or not r.not_applicable))
    scores = tuple(_question_score(questionnaire.id, r, answered_weight, area_share) for r in raw if r.applies)
    disagreement = tuple(s for s in scores if len(s.values) > 1 and s.spread >= policy.disagreement_range)
    coverage = answered_weight / applicable_weight if applicable_weight else 0.0
    return AreaScore(
        area=questionnaire.id,
        readiness=readiness,
        coverage=coverage,
        thin=coverage < policy.thin_below,
        questions=scores,
        disagreement=disagreement,
        shared_goals_finding=bool(disagreement) and questionnaire.id in policy.finding_areas,
    )


def _question_score(area: str, raw: _Raw, answered_weight: float, area_share: float) -> QuestionScore:
    value = statistics.median(raw.values) if raw.values else None
    share = raw.question.weight / answered_weight if value is not None else 0.0
    return QuestionScore(
        area=area,
        question=raw.question,
        values=raw.values,
        given_by=raw.given_by,
        not_applicable=raw.not_applicable,
        value=value,
        spread=raw.values[-1] - raw.values[0] if raw.values else 0.0,
        iqr=_iqr(raw.values),
        share=share,
        lost_points=100 * area_share * share * (1 - value) if value is not None else 0.0,
    )


def _iqr(values: tuple[float, ...]) -> float:
    if len(values) < 2:
        return 0.0
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    return quartiles[2] - quartiles[0]


def _overall(readiness_by_area: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """Weighted mean over areas with answers; unanswered areas change coverage, not the score."""
    scored = [(weights[a], r) for a, r in readiness_by_area.items() if r is not None and weights[a] > 0]
    total = sum(w for w, _ in scored)
    return sum(w * r for w, r in scored) / total if total else None


def _red_flags(areas: tuple[AreaScore, ...], policy: Policy) -> tuple[RedFlag, ...]:
    """Knock-outs first, then findings, then other critical answers, each question once."""
    values = {(a.area, s.question.id): s for a in areas for s in a.questions}
    flags = [
        RedFlag(kind, rule.id, rule.question[0], s.question, s.value, rule.text)
        for kind, rules in (("knock_out", policy.knock_outs), ("finding", policy.findings))
        for rule in rules
        if (s := values.get(rule.question)) is not None
        and s.question.flags
        and s.value is not None
        and s.value <= rule.at_most
    ]
    flagged = {(f.area, f.question.id) for f in flags}
    flags += [
        RedFlag("critical", s.question.id, area, s.question, s.value, None)
        for (area, _), s in values.items()
        if s.value is not None and s.critical and (area, s.question.id) not in flagged
    ]
    return tuple(flags)


def _reasons(
    readiness: float, flags: tuple[RedFlag, ...], policy: Policy, waived: Collection[str]
) -> ProbabilityReasons:
    """The chance of delivering from readiness, capped by the worst red flag the committee has not waived."""
    standing = [f for f in flags if not (f.kind == "knock_out" and f.id in waived)]
    cap, kind = None, None
    if any(f.kind == "knock_out" for f in standing):
        cap, kind = policy.cap_knock_out, "knock_out"
    elif standing:
        cap, kind = policy.cap_red_flag, "red_flag"
    delivery = policy.delivery(readiness)
    if cap is None or cap >= delivery:
        return ProbabilityReasons(readiness, delivery, None, None)
    return ProbabilityReasons(readiness, delivery, cap, kind)
