"""Answers as they arrive: a submission read against the questions it would leave shown."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assessment.engine.answers import NO_SUCH_QUESTION, NOT_ASKED, Conflict, read_submission
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


def test_a_question_not_asked_of_the_role_is_refused_by_name_and_nothing_is_accepted() -> None:
    sponsor_only = Questionnaire(
        "goals",
        1,
        T,
        (
            Question("q", QuestionType.YES_NO, T, frozenset({Role.SPONSOR}), options=YES_NO),
            Question("r", QuestionType.YES_NO, T, ALL, options=YES_NO),
        ),
    )
    submission = read_submission(sponsor_only, Role.IT, {}, {"q": "yes", "r": "no"}, {})
    assert dict(submission.refused) == {"q": NOT_ASKED}
    assert not submission.accepted


def test_an_id_that_is_no_question_of_the_area_is_refused_by_name() -> None:
    submission = read_submission(AREA, None, {}, {"y": "yes", "colour": "red"}, {})
    assert dict(submission.refused) == {"colour": NO_SUCH_QUESTION}
    assert not submission.accepted and [q.id for q in submission.questions] == ["y"]


def test_a_change_made_on_a_page_older_than_the_stored_answer_is_a_conflict_not_a_write() -> None:
    # The page showed no answer; another tab saved "no" since; this page now sends "yes".
    submission = read_submission(AREA, None, {"y": "no"}, {"y": "yes", "n": "8"}, {"y": None, "n": None})
    assert dict(submission.conflicts) == {"y": Conflict(shown=None, stored="no", sent="yes")}
    assert dict(submission.changed) == {"n": 8.0} and not submission.accepted


def test_a_page_showing_the_stored_answer_again_is_the_base_for_the_next_save() -> None:
    submission = read_submission(AREA, None, {"y": "no"}, {"y": "yes"}, {"y": "no"})
    assert dict(submission.changed) == {"y": "yes"} and submission.accepted


VALUES = st.sampled_from([None, "yes", "no"])
UNSAID = object()


@given(stored=VALUES, shown=st.one_of(VALUES, st.just(UNSAID)), sent=VALUES)
def test_an_answer_is_written_only_over_the_one_its_page_showed(
    stored: str | None, shown: object, sent: str | None
) -> None:
    """Per question: a conflict exactly when the stored answer differs from what the page showed and the
    submission changes it to something else again; otherwise a change is written, and nothing both."""
    seen = {} if shown is UNSAID else {"y": shown}
    submission = read_submission(AREA, None, {} if stored is None else {"y": stored}, {"y": sent}, seen)
    base = stored if shown is UNSAID else shown
    conflict = shown is not UNSAID and shown != stored and sent not in (shown, stored)
    assert ("y" in submission.conflicts) == conflict
    assert ("y" in submission.changed) == (not conflict and sent not in (base, stored))
    if "y" in submission.changed:
        assert submission.changed["y"] == sent
