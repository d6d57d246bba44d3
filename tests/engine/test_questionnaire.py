"""Reading answers against definitions: values, visibility and progress."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.engine.progress import area_progress, overall_progress
from assessment.engine.questionnaire import (
    AGREEMENT_OPTIONS,
    NOT_APPLICABLE,
    AllOf,
    AnswerIn,
    AnyOf,
    Band,
    Definitions,
    Not,
    NumberBetween,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Role,
    Text,
)

T = Text({"en": "t"})
ALL = frozenset(Role)


def question(qid: str, kind: QuestionType = QuestionType.AGREEMENT, **kw) -> Question:  # type: ignore[no-untyped-def]
    options = kw.pop("options", AGREEMENT_OPTIONS if kind is QuestionType.AGREEMENT else ())
    return Question(qid, kind, T, kw.pop("roles", ALL), options=options, **kw)


@pytest.mark.parametrize(
    ("answer", "value"),
    [("strongly_disagree", 0.0), ("disagree", 0.25), ("neutral", 0.5), ("agree", 0.75), ("strongly_agree", 1.0)],
)
def test_an_agreement_scale_maps_one_to_five_onto_zero_to_one(answer: str, value: float) -> None:
    assert question("q").value_of(answer) == value


def test_not_applicable_has_no_value() -> None:
    assert question("q", allow_na=True).value_of(NOT_APPLICABLE) is None


def test_free_text_and_unbanded_numbers_carry_no_score() -> None:
    assert not question("t", QuestionType.FREE_TEXT).scored
    assert not question("n", QuestionType.NUMBER).scored
    assert question("n", QuestionType.NUMBER).value_of(12.0) is None


def test_a_banded_number_takes_the_value_of_the_first_band_that_holds_it() -> None:
    q = question("n", QuestionType.NUMBER, bands=(Band(6, 1.0), Band(12, 0.8), Band(None, 0.2)))
    assert [q.value_of(n) for n in (1.0, 6.0, 6.5, 12.0, 400.0)] == [1.0, 1.0, 0.8, 0.8, 0.2]


OPTIONS = tuple(Option(f"o{i}", v) for i, v in enumerate((0.0, 0.2, 0.3, 0.5, 0.9)))


@given(st.lists(st.sampled_from([o.id for o in OPTIONS]), unique=True))
def test_a_multiple_choice_value_is_the_capped_sum_of_its_picks(picks: list[str]) -> None:
    q = question("m", QuestionType.MULTIPLE_CHOICE, options=OPTIONS)
    value = q.value_of(tuple(picks))
    assert value == min(1.0, sum(o.value for o in OPTIONS if o.id in picks))
    assert 0.0 <= value <= 1.0


def area(*questions: Question) -> Questionnaire:
    return Questionnaire("goals", 1, T, questions)


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


def test_progress_counts_shown_questions_but_not_free_text() -> None:
    questionnaire = area(question("a"), question("b"), question("t", QuestionType.FREE_TEXT))
    progress = area_progress(questionnaire, {"a": "agree", "t": "note"}, None)
    assert (len(progress.answered), progress.total, progress.percent) == (1, 2, 50)
    overall = overall_progress([progress, area_progress(area(question("z")), {"z": "agree"}, None)])
    assert (len(overall.answered), overall.total, overall.percent) == (2, 3, 66)


def test_an_area_with_nothing_to_answer_counts_as_complete() -> None:
    assert area_progress(area(question("x", roles=frozenset({Role.IT}))), {}, Role.SPONSOR).percent == 100


def test_shipped_definitions_expose_each_area(definitions: Definitions) -> None:
    assert definitions.area("scope").question("planned_duration_months").unit.in_("fa") == "months"
