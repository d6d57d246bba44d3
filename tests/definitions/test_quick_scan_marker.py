"""The `quick_scan` marker: which questions the public quick scan asks, and the files it refuses."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from assessment.definitions.loader import load_directory, load_sources
from assessment.definitions.problems import DefinitionError
from assessment.engine.question_types import QuestionType
from tests.conftest import QUESTIONNAIRES
from tests.definitions.builders import SMALL, copy_questionnaires, with_goals

GOALS = textwrap.dedent(
    """\
    id: goals
    version: 1
    title: {en: Goals}
    questions:
      - id: has_goals
        type: yes_no
        roles: [sponsor]
        quick_scan: true
        text: {en: "Are there goals?"}
        mitigation: {en: Write goals.}
      - id: goals_agreed
        type: yes_no
        roles: [sponsor]
        show_if: {question: has_goals, equals: "yes"}
        text: {en: "Are they agreed?"}
        mitigation: {en: Agree them.}
      - id: goals_notes
        type: free_text
        roles: [sponsor]
        text: {en: "Anything else?"}
    """
)
QUICK_TYPES = {QuestionType.AGREEMENT, QuestionType.SINGLE_CHOICE, QuestionType.YES_NO}


def problems(sources: dict[str, str], quick_scan: bool = True) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_sources(sources, quick_scan=quick_scan)
    return [str(problem) for problem in caught.value.problems]


def mark(question_id: str, text: str = GOALS) -> str:
    """`text` with `question_id` marked for the quick scan as well."""
    return text.replace(f"  - id: {question_id}\n", f"  - id: {question_id}\n    quick_scan: true\n", 1)


def test_the_shipped_quick_scan_asks_about_twelve_quick_questions_two_or_three_per_area() -> None:
    definitions = load_directory(QUESTIONNAIRES, ("en", "fa"))
    marked = {q.id: [x for x in q.questions if x.quick_scan] for q in definitions.questionnaires}
    assert all(2 <= len(questions) <= 3 for questions in marked.values()), marked
    assert 11 <= sum(len(questions) for questions in marked.values()) <= 13
    for questions in marked.values():
        for question in questions:
            assert question.show_if is None and not question.situation and question.from_size is None, question.id
            assert question.type in QUICK_TYPES and question.scored and question.mitigation is not None, question.id
            assert question.text.in_("fa") != question.text.in_("en"), question.id
    assert [q.id for q in marked["strategy"]][0] == "executive_sponsor"


def test_an_unmarked_question_is_not_in_the_quick_scan() -> None:
    goals = load_sources(with_goals(GOALS)).area("goals")
    assert [q.id for q in goals.questions if q.quick_scan] == ["has_goals"]


def test_a_marked_follow_up_is_refused_with_file_line_and_path() -> None:
    assert problems(with_goals(mark("goals_agreed"))) == [
        "goals.yaml:12: questions[1].quick_scan: a follow-up (one with 'show_if') cannot be in the quick scan, "
        "which asks no question before it"
    ]


def test_a_marked_question_without_a_score_is_refused() -> None:
    assert problems(with_goals(mark("goals_notes"))) == [
        "goals.yaml:18: questions[2].quick_scan: the quick scan asks scored questions only "
        "(free text and numbers without bands carry no score)"
    ]


def test_the_marker_is_true_or_false() -> None:
    found = problems(with_goals(GOALS.replace("quick_scan: true", "quick_scan: often")))
    assert found == ["goals.yaml:8: questions[0].quick_scan: must be true or false, not 'often'"]


def test_an_area_that_marks_nothing_is_refused_for_the_files_the_app_starts_with(tmp_path: Path) -> None:
    message = (
        "goals.yaml:5: questions: mark at least one question 'quick_scan: true': the public quick scan asks every area"
    )
    assert problems(with_goals(SMALL)) == [message]
    with pytest.raises(DefinitionError) as caught:
        load_directory(copy_questionnaires(tmp_path, SMALL))
    assert [str(problem) for problem in caught.value.problems] == [message]


def test_a_snapshot_pinned_before_the_marker_existed_still_loads() -> None:
    goals = load_sources(with_goals(SMALL)).area("goals")
    assert not any(question.quick_scan for question in goals.questions)


def test_one_id_marked_in_two_areas_is_refused_since_the_scan_is_one_form() -> None:
    goals = GOALS.replace("id: has_goals", "id: executive_sponsor").replace(
        "question: has_goals", "question: executive_sponsor"
    )
    found = problems(with_goals(goals))
    assert len(found) == 1
    assert found[0].startswith("strategy.yaml:")
    assert found[0].endswith(
        "questions[0].quick_scan: 'executive_sponsor' is in the quick scan in goals.yaml already: "
        "quick-scan ids must differ across areas"
    )
