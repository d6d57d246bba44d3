"""Answers as they arrive: a submission read against the questions it would leave shown."""

from __future__ import annotations

from assessment.engine.answers import read_submission
from assessment.engine.question_types import NOT_TEXT, NUMBER_TOO_LARGE, Option, QuestionType
from assessment.engine.questionnaire import AnswerIn, Question, Questionnaire, Role
from tests.engine.builders import ALL, T

YES_NO = (Option("yes", 1.0), Option("no", 0.0))


AREA = Questionnaire(
    "scope",
    1,
    T,
    (
        Question("y", QuestionType.YES_NO, T, ALL, options=YES_NO),
        Question("why", QuestionType.FREE_TEXT, T, ALL, show_if=AnswerIn("y", frozenset({"no"}))),
        Question("n", QuestionType.NUMBER, T, ALL, minimum=1, maximum=120),
    ),
)


def test_a_submission_saves_only_what_changed_since_the_sender_last_saw_it() -> None:
    submission = read_submission(AREA, None, {"y": "yes", "n": 6.0}, {"y": "yes", "n": "8"}, {"n": 6.0})
    assert dict(submission.changed) == {"n": 8.0} and not submission.errors


def test_a_stale_page_does_not_overwrite_an_answer_saved_meanwhile() -> None:
    submission = read_submission(AREA, None, {"n": 9.0}, {"n": "6"}, {"n": 6.0})
    assert dict(submission.changed) == {}


def test_a_hidden_questions_value_is_ignored_even_when_it_is_invalid() -> None:
    submission = read_submission(AREA, None, {}, {"y": "yes", "why": 5}, {})
    assert [q.id for q in submission.questions] == ["y"]
    assert not submission.errors and dict(submission.changed) == {"y": "yes"}


def test_an_error_is_reported_per_question_and_the_rest_is_still_read() -> None:
    submission = read_submission(AREA, None, {}, {"y": "no", "why": 5, "n": "500"}, {})
    assert {key: error.message for key, error in submission.errors.items()} == {
        "why": NOT_TEXT,
        "n": NUMBER_TOO_LARGE,
    }
    assert dict(submission.changed) == {"y": "no"}


def test_a_question_not_asked_of_the_role_is_not_read() -> None:
    sponsor_only = Questionnaire(
        "goals", 1, T, (Question("q", QuestionType.YES_NO, T, frozenset({Role.SPONSOR}), options=YES_NO),)
    )
    submission = read_submission(sponsor_only, Role.IT, {}, {"q": "yes"}, {})
    assert submission.questions == () and dict(submission.changed) == {}
