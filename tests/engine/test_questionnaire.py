"""Reading answers against definitions: values, visibility and roles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.engine.question_types import Option, QuestionType
from assessment.engine.questionnaire import (
    AllOf,
    AnswerIn,
    AnyOf,
    Definitions,
    Not,
    NumberBetween,
    Role,
)
from tests.engine.builders import area, question

CHAIN = area(
    question("a", QuestionType.YES_NO, options=(Option("yes", 1.0), Option("no", 0.0))),
    question("b", QuestionType.NUMBER, show_if=AnswerIn("a", frozenset({"yes"}))),
    question("c", show_if=NumberBetween("b", at_least=3)),
    question(
        "d", show_if=AnyOf((Not(AnswerIn("a", frozenset({"yes"}))), AllOf((AnswerIn("c", frozenset({"agree"})),))))
    ),
)


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ({}, ["a", "d"]),
        ({"a": "no"}, ["a", "d"]),
        ({"a": "yes"}, ["a", "b"]),
        ({"a": "yes", "b": 2.0}, ["a", "b"]),
        ({"a": "yes", "b": 3.0}, ["a", "b", "c"]),
        ({"a": "yes", "b": 3.0, "c": "agree"}, ["a", "b", "c", "d"]),
        # c's answer is kept but ignored once b hides c again: d follows.
        ({"a": "yes", "b": 1.0, "c": "agree"}, ["a", "b"]),
    ],
)
def test_a_question_is_shown_when_its_condition_holds_on_shown_questions(answers: dict, shown: list[str]) -> None:
    assert [q.id for q in CHAIN.visible(answers)] == shown


@given(st.permutations([("a", "yes"), ("b", 5.0), ("c", "agree")]))
def test_visibility_does_not_depend_on_the_order_answers_were_given(pairs: list) -> None:
    assert [q.id for q in CHAIN.visible(dict(pairs))] == ["a", "b", "c", "d"]


def test_a_role_sees_only_its_questions() -> None:
    questionnaire = area(question("x", roles=frozenset({Role.IT})), question("y"))
    assert [q.id for q in questionnaire.for_role(Role.END_USER)] == ["y"]
    assert [q.id for q in questionnaire.for_role(None)] == ["x", "y"]


def test_shipped_definitions_expose_each_area(definitions: Definitions) -> None:
    assert definitions.area("scope").question("planned_duration_months").unit.in_("fa") == "ماه"


def test_a_questionnaire_for_a_size_leaves_out_larger_projects_questions_and_spares_their_red_flags() -> None:
    basic = question("basic")
    formal = question("formal", from_size="medium", critical=0.25)
    mapped = question("mapped", red_flags_from_size="medium", critical=0.25)
    after = question("after", show_if=AnswerIn("formal", frozenset({"agree"})))
    goals = area(basic, formal, mapped, after)
    small = goals.for_size(frozenset({"small"}))
    assert [q.id for q in small.questions] == ["basic", "mapped", "after"]
    assert small.question("mapped").critical is None and not small.question("mapped").flags
    assert not small.is_visible(small.question("after"), {"formal": "agree"})  # read as unanswered
    medium = goals.for_size(frozenset({"small", "medium"}))
    assert [q.id for q in medium.questions] == ["basic", "formal", "mapped", "after"]
    assert medium.question("mapped").critical == 0.25 and medium.question("mapped").flags
