"""Each question type: how it reads a value (typed in a form, sent as JSON, written in YAML), scores it and shows it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.engine.question_types import (
    AGREEMENT_OPTIONS,
    KINDS,
    NOT_A_NUMBER,
    NOT_AN_OPTION,
    NOT_APPLICABLE,
    NOT_TEXT,
    NUMBER_TOO_LARGE,
    NUMBER_TOO_SMALL,
    TEXT_TOO_LONG,
    Answer,
    AnswerError,
    Band,
    Option,
    QuestionType,
    Widget,
)
from assessment.engine.questionnaire import Question
from tests.engine.builders import ALL, T, question

PICKS = (Option("crm", 0.5, T), Option("erp", 0.5, T), Option("none", 0.0, T))
QUESTIONS = {
    QuestionType.AGREEMENT: Question("a", QuestionType.AGREEMENT, T, ALL, options=AGREEMENT_OPTIONS),
    QuestionType.SINGLE_CHOICE: Question("s", QuestionType.SINGLE_CHOICE, T, ALL, options=PICKS, allow_na=True),
    QuestionType.MULTIPLE_CHOICE: Question("m", QuestionType.MULTIPLE_CHOICE, T, ALL, options=PICKS),
    QuestionType.NUMBER: Question(
        "n", QuestionType.NUMBER, T, ALL, minimum=1, maximum=120, bands=(Band(12, 1.0), Band(None, 0.5))
    ),
    QuestionType.YES_NO: Question("y", QuestionType.YES_NO, T, ALL, options=(Option("yes", 1.0), Option("no", 0.0))),
    QuestionType.FREE_TEXT: Question("f", QuestionType.FREE_TEXT, T, ALL, max_length=10),
}


def read(kind: QuestionType, raw: Any) -> Answer | None:
    question = QUESTIONS[kind]
    return question.kind.read(question, raw)


def test_every_question_type_has_one_handler() -> None:
    assert set(KINDS) == set(QuestionType)


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        (QuestionType.AGREEMENT, "agree", "agree"),
        (QuestionType.SINGLE_CHOICE, "erp", "erp"),
        (QuestionType.SINGLE_CHOICE, NOT_APPLICABLE, NOT_APPLICABLE),
        (QuestionType.YES_NO, "no", "no"),
        (QuestionType.MULTIPLE_CHOICE, ["none", "crm"], ("crm", "none")),
        (QuestionType.NUMBER, "12", 12.0),
        (QuestionType.NUMBER, 12, 12.0),
        (QuestionType.NUMBER, "۱۲٫۵", 12.5),
        (QuestionType.NUMBER, " 7,5 ", 7.5),
        (QuestionType.FREE_TEXT, "  a note ", "a note"),
    ],
)
def test_a_valid_value_is_stored_in_the_types_own_form(kind: QuestionType, raw: Any, stored: Answer) -> None:
    assert read(kind, raw) == stored


BLANKS = [(kind, blank) for kind in QuestionType for blank in (None, "", "   ")] + [(QuestionType.MULTIPLE_CHOICE, [])]


@pytest.mark.parametrize(("kind", "blank"), BLANKS)
def test_a_blank_value_is_no_answer_for_every_type(kind: QuestionType, blank: Any) -> None:
    assert read(kind, blank) is None


@pytest.mark.parametrize(
    ("kind", "raw", "message", "params", "detail"),
    [
        (QuestionType.AGREEMENT, "agreed", NOT_AN_OPTION, {}, "'agreed' is not one of: strongly_disagree"),
        (QuestionType.AGREEMENT, NOT_APPLICABLE, NOT_AN_OPTION, {}, "'not_applicable' is not one of"),
        (QuestionType.YES_NO, True, NOT_AN_OPTION, {}, 'write "yes" or "no" in quotes'),
        (QuestionType.SINGLE_CHOICE, 3, NOT_AN_OPTION, {}, "3 is not one of: crm, erp, none, not_applicable"),
        (QuestionType.MULTIPLE_CHOICE, "crm", NOT_AN_OPTION, {}, "expected a list of option ids, got 'crm'"),
        (QuestionType.MULTIPLE_CHOICE, ["crm", "sap"], NOT_AN_OPTION, {}, "'sap' not among: crm, erp, none"),
        (QuestionType.NUMBER, "soon", NOT_A_NUMBER, {}, "expected a number, got 'soon'"),
        (QuestionType.NUMBER, True, NOT_A_NUMBER, {}, "expected a number, got True"),
        (QuestionType.NUMBER, "1e999", NOT_A_NUMBER, {}, "expected a number, got '1e999'"),
        (QuestionType.NUMBER, float("nan"), NOT_A_NUMBER, {}, "expected a number, got nan"),
        (QuestionType.NUMBER, 0.5, NUMBER_TOO_SMALL, {"minimum": "1"}, "0.5 is outside 1..120"),
        (QuestionType.NUMBER, "500", NUMBER_TOO_LARGE, {"maximum": "120"}, "500 is outside 1..120"),
        (QuestionType.FREE_TEXT, 5, NOT_TEXT, {}, "expected text, got 5"),
        (QuestionType.FREE_TEXT, "x" * 11, TEXT_TOO_LONG, {"max": 10}, "longer than 10 characters"),
    ],
)
def test_a_bad_value_is_refused_with_a_message_for_people_and_a_detail_for_files(
    kind: QuestionType, raw: Any, message: str, params: dict[str, Any], detail: str
) -> None:
    with pytest.raises(AnswerError) as refused:
        read(kind, raw)
    assert (refused.value.message, refused.value.params) == (message, params)
    assert detail in refused.value.detail


@given(st.floats(min_value=1, max_value=120, allow_nan=False))
def test_a_number_reads_back_the_same_from_a_form_and_from_json(number: float) -> None:
    assert read(QuestionType.NUMBER, repr(number)) == read(QuestionType.NUMBER, number) == number


def test_each_type_says_which_input_shows_it_and_whether_it_counts_towards_progress() -> None:
    widgets = {kind: handler.widget for kind, handler in KINDS.items()}
    assert widgets == {
        QuestionType.AGREEMENT: Widget.ONE_OF,
        QuestionType.SINGLE_CHOICE: Widget.ONE_OF,
        QuestionType.YES_NO: Widget.ONE_OF,
        QuestionType.MULTIPLE_CHOICE: Widget.MANY_OF,
        QuestionType.NUMBER: Widget.NUMBER,
        QuestionType.FREE_TEXT: Widget.TEXT,
    }
    assert [kind for kind, handler in KINDS.items() if not handler.counts_in_progress] == [QuestionType.FREE_TEXT]


def test_the_best_answer_is_the_top_option_or_every_positive_pick_and_none_for_numbers_and_text() -> None:
    best = {kind: question.kind.best(question) for kind, question in QUESTIONS.items()}
    assert best[QuestionType.AGREEMENT] == ("strongly_agree", 1.0)
    assert best[QuestionType.MULTIPLE_CHOICE] == (("crm", "erp"), 1.0)
    assert best[QuestionType.NUMBER] is None and best[QuestionType.FREE_TEXT] is None


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
