"""Readiness scoring: exact arithmetic on the shipped questionnaires and policy."""

from __future__ import annotations

import pytest
import yaml

from assessment.engine.questionnaire import Definitions, Role
from assessment.engine.readiness import RespondentAnswers, score
from assessment.engine.size import ProjectProfile
from tests.conftest import ROOT
from tests.engine.builders import lead


def test_an_area_is_the_weighted_mean_of_its_answers_and_coverage_says_how_much_is_answered(
    definitions: Definitions,
) -> None:
    result = score(definitions, [lead(goals={"business_goals_written": "agree", "goals_dated": "yes"})])
    goals = result.area("goals")
    # business_goals_written is critical, so it weighs 2: (2 x 0.75 + 1 x 1) / 3.
    assert goals.readiness == pytest.approx(100 * 2.5 / 3)
    # Applicable weight: eleven shown scored questions, three of them critical (weight 2): 14.
    assert goals.coverage == pytest.approx(3 / 14)
    assert goals.thin


def test_not_applicable_leaves_the_mean_and_the_coverage(definitions: Definitions) -> None:
    answered = score(definitions, [lead(scope={"contingency": "no_contingency"})]).area("scope")
    with_na = score(
        definitions, [lead(scope={"contingency": "no_contingency", "data_migration_estimated": "not_applicable"})]
    ).area("scope")
    assert with_na.readiness == answered.readiness == 0
    assert with_na.coverage > answered.coverage


def test_several_respondents_count_with_the_median_and_their_spread_is_kept(definitions: Definitions) -> None:
    people = [
        lead(goals={"goals_shared_by_managers": "strongly_disagree"}),
        RespondentAnswers("Neda", Role.END_USER, {"goals": {"goals_shared_by_managers": "neutral"}}),
        RespondentAnswers("Reza", Role.SPONSOR, {"goals": {"goals_shared_by_managers": "strongly_agree"}}),
    ]
    goals = score(definitions, people).area("goals")
    shared = next(q for q in goals.questions if q.question.id == "goals_shared_by_managers")
    assert (shared.value, shared.values, shared.spread, shared.iqr) == (0.5, (0.0, 0.5, 1.0), 1.0, 0.5)
    assert goals.disagreement == (shared,)
    assert goals.shared_goals_finding  # people who do not share the goals


def test_an_even_number_of_answers_takes_the_middle_of_the_middle_two(definitions: Definitions) -> None:
    people = [
        lead(goals={"goals_dated": "yes"}),
        RespondentAnswers("Reza", Role.SPONSOR, {"goals": {"goals_dated": "no"}}),
    ]
    assert score(definitions, people).area("goals").readiness == 50


def test_overall_readiness_weights_the_answered_areas_by_the_preset(definitions: Definitions) -> None:
    answers = lead(goals={"goals_dated": "yes"}, process={"data_owner": "no"})
    evidence = score(definitions, [answers])
    equal = score(definitions, [answers], "equal")
    assert evidence.readiness == pytest.approx(100 * 11 / (11 + 34))  # goals 100 and process 0
    assert equal.readiness == 50
    assert evidence.readiness_by_preset == {"evidence": evidence.readiness, "equal": 50}


def test_readiness_maps_onto_the_chance_of_delivering_between_fifteen_and_ninety_three_percent(
    definitions: Definitions,
) -> None:
    result = score(
        definitions, [lead(goals={"goals_dated": "yes"}, strategy={"phased_rollout": "strongly_disagree"})], "equal"
    )
    assert result.readiness == 50
    assert result.delivery_probability == pytest.approx(0.54)
    assert result.failure_probability == pytest.approx(0.46)
    assert result.reasons.cap is None


def test_a_missing_sponsor_is_a_knock_out_whatever_the_averages_say(definitions: Definitions) -> None:
    everything_else_fine = {
        "phased_rollout": "strongly_agree",
        "crm_strategy_written": "strongly_agree",
        "data_driven_decisions": "strongly_agree",
    }
    result = score(definitions, [lead(strategy={"executive_sponsor": "no", **everything_else_fine})])
    assert [(f.kind, f.id) for f in result.red_flags] == [("knock_out", "no_sponsor")]
    assert result.reasons.delivery_from_readiness > 0.6  # the averages alone would say otherwise
    assert result.delivery_probability == 0.35
    assert result.reasons.cap_kind == "knock_out"


def test_a_critical_answer_is_a_red_flag_that_caps_the_chance_of_delivering(definitions: Definitions) -> None:
    result = score(
        definitions,
        [
            lead(
                goals={
                    "business_goals_written": "strongly_disagree",
                    "goals_dated": "yes",
                    "benefit_owners": "yes",
                    "goals_reviewed_monthly": "strongly_agree",
                },
                strategy={"phased_rollout": "strongly_agree"},
            )
        ],
        "equal",
    )
    assert [(f.kind, f.id) for f in result.red_flags] == [("critical", "business_goals_written")]
    assert result.reasons.delivery_from_readiness > 0.6
    assert result.delivery_probability == 0.6


def test_the_lost_points_of_every_answer_add_up_to_what_readiness_lacks(definitions: Definitions) -> None:
    result = score(
        definitions,
        [
            lead(
                goals={"goals_dated": "no", "benefit_owners": "yes"},
                adoption={"change_size": "large", "training_plan": "role_based"},
            )
        ],
    )
    lost = sum(q.lost_points for a in result.areas for q in a.questions)
    assert lost == pytest.approx(100 - result.readiness)
    assert [q.question.id for q in result.top_losses] == ["change_size", "goals_dated", "training_plan"]


def test_nothing_answered_gives_no_score_rather_than_zero(definitions: Definitions) -> None:
    result = score(definitions, [lead()])
    assert result.readiness is None and result.failure_probability is None
    assert all(a.readiness is None and a.coverage == 0 for a in result.areas)


def _tiny_saas_lead() -> RespondentAnswers:
    path = ROOT / "tests" / "fixtures" / "organisations" / "tiny_saas" / "answers.yaml"
    answers = yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]
    return RespondentAnswers("lead", None, answers)


SCALED = {("scope", "scope_documented"), ("scope", "change_control"), ("scope", "trade_off_agreed")}
SCALED |= {("strategy", "crm_strategy_written")}


def test_a_small_project_is_neither_scored_nor_flagged_on_what_only_larger_projects_are_asked(
    definitions: Definitions,
) -> None:
    people = [_tiny_saas_lead()]
    small = score(definitions, people, project=ProjectProfile(users=8, budget=2_900))
    large = score(definitions, people, project=ProjectProfile(users=400))
    assert (small.size, large.size) == ("small", "large")
    scored_small = {(a.area, s.question.id) for a in small.areas for s in a.questions}
    scored_large = {(a.area, s.question.id) for a in large.areas for s in a.questions}
    assert SCALED <= scored_large and not SCALED & scored_small
    assert {(f.area, f.id) for f in large.red_flags} == {("strategy", "crm_strategy_written")}
    assert small.red_flags == () and small.reasons.cap is None
    assert small.area("scope").readiness > 60 > large.area("scope").readiness
    # Mapping the processes is still asked and scored of a small project, but raises no red flag.
    unmapped = RespondentAnswers("lead", None, {**people[0].answers, "process": {"processes_mapped": "not_mapped"}})
    kept = score(definitions, [unmapped], project=ProjectProfile(users=8))
    assert kept.area("process").questions[0].value == 0 and kept.red_flags == ()
    assert "processes_not_mapped" in {
        f.id for f in score(definitions, [unmapped], project=ProjectProfile(users=40)).red_flags
    }


def test_without_a_stated_size_the_planned_months_decide_and_with_nothing_known_everything_is_asked(
    definitions: Definitions,
) -> None:
    people = [_tiny_saas_lead()]
    assert score(definitions, people).size == "small"  # two months, from the answers
    unknown = {
        **people[0].answers,
        "scope": {k: v for k, v in people[0].answers["scope"].items() if k != "planned_duration_months"},
    }
    nothing_known = score(definitions, [RespondentAnswers("lead", None, unknown)])
    assert nothing_known.size is None and ("strategy", "crm_strategy_written") in {
        (f.area, f.id) for f in nothing_known.red_flags
    }
