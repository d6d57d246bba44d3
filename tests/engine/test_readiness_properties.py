"""Invariants of the readiness engine, over any answers hypothesis can think of."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessment.definitions.loader import load_directory
from assessment.engine.adjustment import risk_adjustment
from assessment.engine.estimates import BenefitLine, CostLine, Estimates, ThreePoint, Timing
from assessment.engine.policy import FlagRule
from assessment.engine.question_types import Answer, QuestionType, Widget
from assessment.engine.questionnaire import Definitions, Question, Role
from assessment.engine.readiness import RespondentAnswers, score
from assessment.engine.readiness_json import result_as_json
from assessment.engine.simulation import expected
from tests.conftest import QUESTIONNAIRES

DEFINITIONS = load_directory(QUESTIONNAIRES)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def answer_for(question: Question) -> st.SearchStrategy[Answer]:
    if question.type is QuestionType.MULTIPLE_CHOICE:
        ids = [o.id for o in question.options]
        return st.lists(st.sampled_from(ids), min_size=1, unique=True).map(
            lambda picks: tuple(i for i in ids if i in picks)
        )
    if question.options:
        return st.sampled_from(question.answer_ids)
    if question.type is QuestionType.NUMBER:
        return st.integers(int(question.minimum or 0), int(question.maximum or 1000)).map(float)
    return st.text(max_size=30)


@st.composite
def assessments(draw: st.DrawFn) -> list[RespondentAnswers]:
    """A lead and up to three invitees, each answering any part of their questions."""
    people = []
    for index in range(draw(st.integers(1, 4))):
        role = None if index == 0 else draw(st.sampled_from(list(Role)))
        answers = {
            q.id: {question.id: draw(answer_for(question)) for question in q.for_role(role) if draw(st.booleans())}
            for q in DEFINITIONS.questionnaires
        }
        people.append(RespondentAnswers(f"respondent {index}", role, answers))
    return people


def with_answer(
    people: list[RespondentAnswers], who: int, area: str, question: str, value: Answer
) -> list[RespondentAnswers]:
    changed = dict(people[who].answers)
    changed[area] = {**changed.get(area, {}), question: value}
    return [dataclasses.replace(p, answers=changed) if i == who else p for i, p in enumerate(people)]


@SETTINGS
@given(assessments(), st.sampled_from(["evidence", "equal"]))
def test_every_score_lies_in_0_100_and_every_probability_in_0_1(people: list[RespondentAnswers], preset: str) -> None:
    result = score(DEFINITIONS, people, preset)
    for value in [result.readiness, *(a.readiness for a in result.areas)]:
        assert value is None or 0 <= value <= 100
    for value in [
        result.coverage,
        result.delivery_probability,
        result.failure_probability,
        *(a.coverage for a in result.areas),
    ]:
        assert value is None or 0 <= value <= 1
    if result.readiness is not None:
        assert sum(q.lost_points for a in result.areas for q in a.questions) == pytest.approx(100 - result.readiness)


CONTROLLERS = {
    (q.id, ref)
    for q in DEFINITIONS.questionnaires
    for question in q.questions
    if question.show_if
    for ref in question.show_if.questions()
}


def one_answer_improved(
    people: list[RespondentAnswers], data: st.DataObject
) -> tuple[int, str, str, list[RespondentAnswers]]:
    """One respondent's answer raised to a better option; show-if controllers are left alone,
    since changing them changes which questions count at all."""
    candidates = [
        (who, area, question_id)
        for who, person in enumerate(people)
        for area, answers in person.answers.items()
        for question_id, answer in answers.items()
        if (area, question_id) not in CONTROLLERS
        and DEFINITIONS.area(area).question(question_id).kind.widget is Widget.ONE_OF
        and DEFINITIONS.area(area).question(question_id).value_of(answer) is not None
    ]
    assume(candidates)
    who, area, question_id = data.draw(st.sampled_from(candidates))
    question = DEFINITIONS.area(area).question(question_id)
    now = question.value_of(people[who].answers[area][question_id])
    better = [o.id for o in question.options if o.value > now]
    assume(better)
    return who, area, question_id, with_answer(people, who, area, question_id, data.draw(st.sampled_from(better)))


@SETTINGS
@given(assessments(), st.data())
def test_improving_any_single_answer_never_lowers_its_area_or_raises_the_failure_probability(
    people: list[RespondentAnswers], data: st.DataObject
) -> None:
    _who, area, _question, improved = one_answer_improved(people, data)
    before = score(DEFINITIONS, people)
    after = score(DEFINITIONS, improved)
    if before.area(area).readiness is not None:
        assert after.area(area).readiness >= before.area(area).readiness - 1e-9
        assert after.failure_probability <= before.failure_probability + 1e-9


@SETTINGS
@given(assessments())
def test_the_order_of_answers_and_of_respondents_does_not_matter(people: list[RespondentAnswers]) -> None:
    shuffled = [
        dataclasses.replace(
            p, answers={area: dict(reversed(list(a.items()))) for area, a in reversed(list(p.answers.items()))}
        )
        for p in reversed(people)
    ]
    assert result_as_json(score(DEFINITIONS, shuffled)) == result_as_json(score(DEFINITIONS, people))


def without_unanswered(definitions: Definitions, people: list[RespondentAnswers]) -> Definitions:
    """The same definitions less every question nobody answered (and nothing reads)."""
    policy = definitions.policy
    needed = {ref for rule in policy.knock_outs for ref in [rule.question]} | set(policy.instruments.sponsorship)
    needed |= {policy.instruments.change_size, policy.instruments.resistance, *(r for _, r in policy.instruments.adkar)}
    kept = []
    for questionnaire in definitions.questionnaires:
        answered = {qid for p in people for qid in p.answers.get(questionnaire.id, {})}
        keep = [
            q for q in questionnaire.questions if q.id in answered or (questionnaire.id, q.id) in needed | CONTROLLERS
        ]
        kept.append(dataclasses.replace(questionnaire, questions=tuple(keep)))
    return dataclasses.replace(definitions, questionnaires=tuple(kept))


@SETTINGS
@given(assessments())
def test_unanswered_questions_change_coverage_never_the_score_of_what_was_answered(
    people: list[RespondentAnswers],
) -> None:
    full, reduced = score(DEFINITIONS, people), score(without_unanswered(DEFINITIONS, people), people)
    assert reduced.readiness == pytest.approx(full.readiness)
    for area in full.areas:
        assert reduced.area(area.area).readiness == pytest.approx(area.readiness)
        assert reduced.area(area.area).coverage >= area.coverage - 1e-9
    assert [f.id for f in reduced.red_flags] == [f.id for f in full.red_flags]


@SETTINGS
@given(assessments(), st.sampled_from(DEFINITIONS.policy.knock_outs))
def test_a_knock_out_answer_always_produces_a_red_flag_whatever_the_other_answers(
    people: list[RespondentAnswers], rule: FlagRule
) -> None:
    area, question_id = rule.question
    question = DEFINITIONS.area(area).question(question_id)
    worst = min(question.options, key=lambda o: o.value).id
    for who, person in enumerate(people):
        if question in DEFINITIONS.area(area).for_role(person.role):
            people = with_answer(people, who, area, question_id, worst)
    assume(
        any(
            DEFINITIONS.area(area).is_visible(question, p.answers.get(area, {}))
            for p in people
            if question in DEFINITIONS.area(area).for_role(p.role)
        )
    )
    result = score(DEFINITIONS, people)
    assert rule.id in [f.id for f in result.red_flags if f.kind == "knock_out"]
    assert result.delivery_probability <= DEFINITIONS.policy.cap_knock_out


ESTIMATES = Estimates(
    "USD",
    (
        CostLine("implementation", ThreePoint(50_000, 80_000, 120_000), Timing.ONCE, project=True),
        CostLine("subscription", ThreePoint.single(60), Timing.MONTHLY, per_user=True),
    ),
    (BenefitLine("revenue", (("amount", ThreePoint(8_000, 10_000, 14_000)),), ramp_months=6),),
    users=30,
)


@SETTINGS
@given(assessments(), st.data())
def test_higher_readiness_never_lowers_the_risk_adjusted_npv(
    people: list[RespondentAnswers], data: st.DataObject
) -> None:
    improved = one_answer_improved(people, data)[3]

    def adjusted_npv(group: list[RespondentAnswers]) -> float:
        readiness = score(DEFINITIONS, group)
        return float(expected(ESTIMATES, risk_adjustment(readiness, group, ESTIMATES, DEFINITIONS.policy)).npv[0])

    assert adjusted_npv(improved) >= adjusted_npv(people) - 1e-6
