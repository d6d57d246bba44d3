"""Loading questionnaire definitions: the shipped files, and every kind of broken file."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.definitions.loader import POLICY, load_directory, load_sources
from assessment.definitions.problems import DefinitionError
from assessment.engine.question_types import QuestionType
from assessment.engine.questionnaire import AREAS
from tests.conftest import QUESTIONNAIRES
from tests.definitions.builders import SMALL, copy_questionnaires, shipped, with_goals

HOW_MANY = '    text: {en: "How many goals?"}'


def problems_with_goals(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_sources(with_goals(text))
    return [str(problem) for problem in caught.value.problems]


def test_every_shipped_questionnaire_loads_with_ten_to_fifteen_questions() -> None:
    definitions = load_directory(QUESTIONNAIRES)
    assert [q.id for q in definitions.questionnaires] == list(AREAS)
    for questionnaire in definitions.questionnaires:
        assert 10 <= len(questionnaire.questions) <= 15, questionnaire.id


def test_every_scored_shipped_question_has_a_mitigation_and_roles() -> None:
    for questionnaire in load_directory(QUESTIONNAIRES).questionnaires:
        for question in questionnaire.questions:
            assert question.roles
            if question.scored:
                assert question.mitigation is not None, question.id


def test_the_small_fixture_is_valid_so_each_case_below_breaks_one_thing() -> None:
    goals = load_sources(with_goals(SMALL)).area("goals")
    assert [q.type for q in goals.questions] == [QuestionType.YES_NO, QuestionType.NUMBER]


BROKEN = [
    pytest.param(
        SMALL.replace("title: {en: Goals}", "title: {en: Goals"), "goals.yaml:4: (document): YAML syntax", id="syntax"
    ),
    pytest.param(
        SMALL.replace("version: 1\n", "version: 1\nversion: 2\n"),
        "goals.yaml:3: version: duplicate key",
        id="duplicate-key",
    ),
    pytest.param(
        SMALL.replace("id: goal_count", "id: has_goals"),
        "goals.yaml:10: questions[1].id: duplicate question id 'has_goals'",
        id="duplicate-question-id",
    ),
    pytest.param(
        SMALL.replace(
            '    roles: [sponsor]\n    text: {en: "Are', '    roles: [sponsor]\n    colour: red\n    text: {en: "Are'
        ),
        "goals.yaml:8: questions[0].colour: unknown key 'colour'",
        id="unknown-key",
    ),
    pytest.param(
        SMALL.replace("type: yes_no", "type: yes_no\n    weight: heavy"),
        "goals.yaml:7: questions[0].weight: must be a number, not 'heavy'",
        id="wrong-type",
    ),
    pytest.param(
        SMALL.replace("type: yes_no", 'type: yes_no\n    scores: {"yes": 1.5, "no": 0}'),
        "questions[0].scores.yes: 1.5 must be at most 1",
        id="value-above-one",
    ),
    pytest.param(
        SMALL.replace("type: yes_no", "type: yes_no\n    scores: {yes: 1, no: 0}"),
        "questions[0].scores: key True is not text: quote it",
        id="unquoted-yes",
    ),
    pytest.param(
        SMALL.replace('equals: "yes"', "equals: yes"),
        "questions[1].show_if.equals: must be text, not True: quote it",
        id="unquoted-yes-value",
    ),
    pytest.param(
        SMALL.replace(HOW_MANY + "\n", ""), "goals.yaml:10: questions[1]: 'text' is required", id="missing-text"
    ),
    pytest.param(
        SMALL.replace("type: number", "type: slider"),
        "questions[1].type: 'slider' is not one of: agreement",
        id="unknown-question-type",
    ),
    pytest.param(
        SMALL.replace("question: has_goals", "question: ghost"),
        "goals.yaml:13: questions[1].show_if.question: no question 'ghost'",
        id="show-if-missing-target",
    ),
    pytest.param(
        SMALL.replace("id: goals\n", "id: strategy\n"),
        "goals.yaml:1: id: 'strategy' must match the file name 'goals'",
        id="id-not-file-name",
    ),
    pytest.param(
        SMALL.replace("id: goal_count", "id: Goal-Count"), "'Goal-Count' must be snake_case", id="id-not-snake-case"
    ),
    pytest.param(
        SMALL.replace(HOW_MANY + "", HOW_MANY + "\n    options: [{id: a, value: 1, text: {en: A}}]"),
        "questions[1].options: 'options' does not apply to a number question",
        id="options-on-number",
    ),
    pytest.param(
        SMALL.replace(HOW_MANY + "", HOW_MANY + "\n    critical: 0.2"),
        "questions[1].critical: 'critical' needs a scored question",
        id="critical-on-unscored",
    ),
    pytest.param(
        SMALL.replace('equals: "yes"', "equals: maybe"),
        "'maybe' is not an answer of 'has_goals' (expected one of: no, yes)",
        id="show-if-unknown-answer",
    ),
    pytest.param(
        SMALL.replace(HOW_MANY + "", HOW_MANY + "\n    bands: [{up_to: 3, value: 0.5}]"),
        "questions[1].bands[0]: the last band must have no 'up_to'",
        id="bands-not-covering",
    ),
    pytest.param(
        SMALL.replace('text: {en: "Are there goals?"}', 'text: {fa: "اهداف؟"}'),
        "goals.yaml:8: questions[0].text: 'en' is required",
        id="text-without-english",
    ),
    pytest.param(
        SMALL.replace('text: {en: "Are there goals?"}', 'text: {en: "Goals?", Persian: x}'),
        "'Persian' is not a language code such as en or fa",
        id="bad-language-code",
    ),
    pytest.param(
        SMALL.replace("roles: [sponsor]", "roles: [janitor]", 1),
        "questions[0].roles[0]: 'janitor' is not one of: sponsor",
        id="unknown-role",
    ),
    pytest.param(
        SMALL.replace("roles: [sponsor]\n    show_if", "roles: [sponsor, it]\n    show_if"),
        "'has_goals' must be asked of every role this question is asked of (missing: it)",
        id="show-if-role-gap",
    ),
    pytest.param(
        SMALL.replace("    mitigation: {en: Write goals.}\n", ""),
        "goals.yaml:5: questions[0]: a scored question needs a 'mitigation'",
        id="no-mitigation",
    ),
    pytest.param("- just\n- a list\n", "goals.yaml:1: (document): must be a mapping", id="not-a-mapping"),
    pytest.param("", "goals.yaml: (document): file is empty", id="empty"),
    pytest.param(
        SMALL + "extra: !!python/object/apply:os.system [echo owned]\n",
        "goals.yaml:15: extra: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        id="python-tag",
    ),
    pytest.param(
        SMALL + "extra: !!python/name:os.system ''\n",
        "YAML syntax: could not determine a constructor",
        id="python-scalar-tag",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_a_broken_file_is_refused_with_file_path_line_and_reason(text: str, expected: str) -> None:
    found = problems_with_goals(text)
    assert any(expected in problem for problem in found), found


def test_a_show_if_cycle_is_named_question_by_question() -> None:
    text = SMALL.replace(
        "    mitigation: {en: Write goals.}\n",
        "    mitigation: {en: Write goals.}\n    show_if: {question: goal_count, at_least: 1}\n",
    )
    found = problems_with_goals(text)
    assert any("show_if cycle: has_goals -> goal_count -> has_goals" in p for p in found), found


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(9)
    )
    found = problems_with_goals(bomb)
    assert found == [
        "goals.yaml:1: (document): YAML syntax: anchors and aliases (& and *) are not allowed in definitions"
    ]


DEEP = "x: " + "[" * 5000 + "]" * 5000 + "\n"
"""Issue 12: 10 kB nested 5,000 deep crashed the validator with a RecursionError."""


def test_nesting_deeper_than_any_definition_needs_is_refused_with_file_line_and_reason() -> None:
    found = problems_with_goals(SMALL + DEEP)
    assert found == [
        "goals.yaml:15: (document): lists and mappings are nested more than 20 deep here; no file of this kind needs that"
    ]


def test_nesting_is_counted_in_mappings_as_in_lists_and_refused_at_start_up(tmp_path: Path) -> None:
    deep_mappings = SMALL + "x:\n" + "".join("  " * depth + "y:\n" for depth in range(1, 30)) + "  " * 30 + "z: 1\n"
    with pytest.raises(DefinitionError, match="goals.yaml:35: \\(document\\): lists and mappings are nested more"):
        load_directory(copy_questionnaires(tmp_path, deep_mappings))


def test_show_if_conditions_combined_several_levels_deep_still_load() -> None:
    condition = '{question: has_goals, equals: "yes"}'
    for _ in range(3):  # nine combinators around the test, 17 levels in all
        condition = f"{{all: [{{not: {{not: {condition}}}}}]}}"
    goals = load_sources(with_goals(SMALL.replace('{question: has_goals, equals: "yes"}', condition))).area("goals")
    assert goals.question("goal_count").show_if is not None


def test_a_huge_file_is_refused_unread() -> None:
    found = problems_with_goals(SMALL + "# padding\n" * 40_000)
    assert found == ["goals.yaml: (document): file is larger than 256 KiB"]


def test_every_problem_of_every_file_is_reported_at_once() -> None:
    sources = {
        **shipped(),
        "goals.yaml": SMALL.replace("type: number", "type: slider").replace("roles: [sponsor]", "roles: []", 1),
    }
    del sources["process.yaml"]
    with pytest.raises(DefinitionError) as caught:
        load_sources(sources)
    messages = [str(p) for p in caught.value.problems]
    assert any("'slider' is not one of" in m for m in messages)
    assert any("roles: must list at least 1 item" in m for m in messages)
    assert "process.yaml: (document): file is missing" in messages


def test_a_missing_policy_stops_the_load() -> None:
    sources = shipped()
    del sources[POLICY]
    with pytest.raises(DefinitionError, match="policy.yaml: \\(document\\): file is missing"):
        load_sources(sources)


def test_a_size_declaration_naming_a_band_the_policy_lacks_is_refused_with_file_line_and_reason() -> None:
    goals = SMALL.replace("    roles: [sponsor]\n", "    roles: [sponsor]\n    from_size: huge\n", 1)
    assert problems_with_goals(goals) == [
        "goals.yaml:8: questions[0].from_size: no size band 'huge' in policy.yaml's project_size "
        "(expected one of: small, medium, large)"
    ]
    flags = SMALL.replace("    roles: [sponsor]\n", "    roles: [sponsor]\n    red_flags_from_size: Big\n", 1)
    assert problems_with_goals(flags) == [
        "goals.yaml:8: questions[0].red_flags_from_size: 'Big' must be snake_case: lower-case letters, digits and _"
    ]


def test_a_known_size_band_loads_onto_the_question() -> None:
    goals = SMALL.replace("    roles: [sponsor]\n", "    roles: [sponsor]\n    from_size: medium\n", 1)
    question = load_sources(with_goals(goals)).area("goals").question("has_goals")
    assert question.from_size == "medium" and question.red_flags_from_size is None


def test_every_shipped_text_exists_in_english_and_persian() -> None:
    definitions = load_directory(QUESTIONNAIRES, ("en", "fa"))
    strategy = definitions.area("strategy")
    assert strategy.title.in_("fa") == "استراتژی"
    assert all(
        option.text is None or option.text.in_("fa") != option.text.in_("en")
        for q in strategy.questions
        for option in q.options
    )


def test_a_file_lacking_a_text_in_an_offered_language_is_refused_at_its_line() -> None:
    sources = shipped()
    sources["goals.yaml"] = sources["goals.yaml"].replace("  fa: اهداف\n", "", 1)
    with pytest.raises(DefinitionError) as refused:
        load_sources(sources, ("en", "fa"))
    assert [str(p) for p in refused.value.problems] == ["goals.yaml:5: title: has no text in fa, which the app offers"]
    assert load_sources(sources, ("en",)).area("goals").title.in_("fa") == "Goals"  # English only: still loads
