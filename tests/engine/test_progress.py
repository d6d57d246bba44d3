"""How far a respondent has got: answered against shown questions, per area and overall."""

from __future__ import annotations

from assessment.engine.progress import area_progress, overall_progress
from assessment.engine.question_types import QuestionType
from assessment.engine.questionnaire import Role
from tests.engine.builders import area, question


def test_progress_counts_shown_questions_but_not_free_text() -> None:
    questionnaire = area(question("a"), question("b"), question("t", QuestionType.FREE_TEXT))
    progress = area_progress(questionnaire, {"a": "agree", "t": "note"}, None)
    assert (len(progress.answered), progress.total, progress.percent) == (1, 2, 50)
    overall = overall_progress([progress, area_progress(area(question("z")), {"z": "agree"}, None)])
    assert (len(overall.answered), overall.total, overall.percent) == (2, 3, 66)


def test_an_area_with_nothing_to_answer_counts_as_complete() -> None:
    assert area_progress(area(question("x", roles=frozenset({Role.IT}))), {}, Role.SPONSOR).percent == 100
