"""Qualifying prospects for a vendor: the realistic organisations classed as a pre-sales lead would,
the class's promises over any answers and deals, and what happens when little is known."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.engine.answers import read_respondents
from assessment.engine.estimates import Estimates, Timing
from assessment.engine.estimates_data import read_estimates
from assessment.engine.qualification import (
    MESSAGES,
    Deal,
    Fit,
    Qualification,
    QualificationClass,
    qualify,
    sponsor_holds_budget,
)
from assessment.engine.questionnaire import Definitions
from assessment.engine.readiness import ReadinessResult, RespondentAnswers, score
from tests.engine.builders import everything_answered_well
from tests.engine.test_gate import ORGANISATIONS
from tests.engine.test_gate_properties import everyone_answering_better
from tests.engine.test_readiness_properties import DEFINITIONS, assessments

RANK = {QualificationClass.DISQUALIFY: 0, QualificationClass.NURTURE: 1, QualificationClass.QUALIFIED: 2}
POLICY = DEFINITIONS.policy.qualification
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def first_year_deal(estimates: Estimates) -> Deal:
    """What the vendor or implementer quotes for the first year: the one-off costs and a year of
    the running ones, at their most likely figures."""
    total = 0.0
    for line in estimates.costs:
        amount = line.amount.likely * (estimates.users if line.per_user else 1)
        total += {Timing.ONCE: 1, Timing.MONTHLY: 12, Timing.YEARLY: 1}[line.timing] * amount
    return Deal(total, estimates.currency)


def prospect(definitions: Definitions, case: str) -> tuple[ReadinessResult, Fit]:
    """A realistic organisation of tests/fixtures/organisations as a vendor sees it: its readiness, and
    the fit its estimates and answers give (the planned months are the answered project length)."""
    folder = ORGANISATIONS / case
    people = read_respondents(definitions, yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8")))
    estimates = read_estimates(
        yaml.safe_load((folder / "estimates.yaml").read_text(encoding="utf-8")), definitions.policy.economics
    )
    readiness = score(definitions, people)
    policy = definitions.policy.qualification
    fit = Fit(
        first_year_deal(estimates), estimates.users, readiness.project.months, sponsor_holds_budget(readiness, policy)
    )
    return readiness, fit


def codes(reasons: tuple) -> list[str]:
    return [reason.code for reason in reasons]


@pytest.mark.parametrize(
    ("case", "outcome", "causes", "steps"),
    [
        # Ready, funded, a 306,500 first year due in 8 months: write the proposal.
        ("well_prepared", QualificationClass.QUALIFIED, [], []),
        # Nobody at executive level holds the budget: nobody can sign, whatever the readiness.
        ("no_sponsor", QualificationClass.DISQUALIFY, ["knock_out_unfunded"], ["find_budget_holder"]),
        # The sponsor holds the budget, the goals are words: worth the work, not yet a proposal.
        ("no_sponsor/no_objectives", QualificationClass.NURTURE, ["knock_out"], ["goals_workshop"]),
        # Ready and funded; its return is the prospect's committee's question (the gate), the offer's shape
        # the vendor's: qualification reads readiness and fit, not the business case.
        ("costs_exceed_benefits", QualificationClass.QUALIFIED, [], []),
        # Strong case, users who do not want the change: sell the change management with the CRM.
        (
            "weak_adoption",
            QualificationClass.NURTURE,
            ["finding", "readiness_short", "area_short"],
            ["change_management"],
        ),
        # Ready, but 5,300 in the first year: a packaged offer, not a tailored sale.
        ("tiny_saas", QualificationClass.NURTURE, ["deal_too_small"], ["packaged_offer"]),
        # The head of sales does not share the goals: settle them before a proposal.
        (
            "disagreeing_respondents",
            QualificationClass.NURTURE,
            ["goals_disputed"] * 2,
            ["goals_workshop", "strategy_session"],
        ),
    ],
)
def test_realistic_organisations_are_qualified_as_a_pre_sales_lead_would(
    definitions: Definitions, case: str, outcome: QualificationClass, causes: list[str], steps: list[str]
) -> None:
    result = qualify(*prospect(definitions, case), definitions.policy.qualification)
    assert result.outcome is outcome
    assert codes(result.disqualifying) + codes(result.nurturing) == causes
    assert [step.id for step in result.next_steps] == steps


def test_no_sponsor_is_disqualified_on_the_sponsor_and_told_to_find_who_holds_the_budget(
    definitions: Definitions,
) -> None:
    readiness, fit = prospect(definitions, "no_sponsor")
    assert fit.sponsor_holds_budget is False
    result = qualify(readiness, fit, definitions.policy.qualification)
    assert [r.values["id"] for r in result.disqualifying] == ["no_sponsor"]
    (step,) = result.next_steps
    assert step.text.in_("en").startswith("Find the executive who owns the budget")
    assert step.text.in_("fa") != step.text.in_("en")


def test_weak_adoption_is_nurtured_with_change_management_for_the_finding_and_the_weak_area(
    definitions: Definitions,
) -> None:
    result = qualify(*prospect(definitions, "weak_adoption"), definitions.policy.qualification)
    (step,) = result.next_steps
    assert step.text.in_("en").startswith("Propose change management and training as part of the offer")
    assert [r.values.get("id") or r.values.get("area") for r in step.causes if r.code != "readiness_short"] == [
        "adoption_barrier_desire",
        "adoption",
    ]


def test_the_tiny_saas_rollout_is_nurtured_at_its_own_deal_and_qualified_at_the_minimum(
    definitions: Definitions,
) -> None:
    """Everything but its size says yes: 8 users, 2 months to go-live (a small project needs one),
    a sponsor who pays. At 5,300 the tailored sale costs more than it earns; at the policy's
    minimum it is worth one."""
    readiness, fit = prospect(definitions, "tiny_saas")
    policy = definitions.policy.qualification
    assert fit.deal == Deal(5_300, "USD") and qualify(readiness, fit, policy).outcome is QualificationClass.NURTURE
    larger = dataclasses.replace(fit, deal=Deal(policy.min_deal_value["USD"], "USD"))
    assert qualify(readiness, larger, policy).outcome is QualificationClass.QUALIFIED


def test_with_nothing_answered_the_prospect_is_nurtured_never_disqualified(definitions: Definitions) -> None:
    readiness = score(definitions, [])
    fit = Fit(sponsor_holds_budget=sponsor_holds_budget(readiness, definitions.policy.qualification))
    result = qualify(readiness, fit, definitions.policy.qualification)
    assert result.outcome is QualificationClass.NURTURE and result.disqualifying == ()
    assert codes(result.nurturing) == ["not_assessed", "budget_holder_unknown", "deal_unknown", "timeline_unknown"]
    assert [s.id for s in result.next_steps] == ["complete_assessment", "find_budget_holder", "size_the_deal"]


def ready(definitions: Definitions) -> ReadinessResult:
    return score(definitions, everything_answered_well(definitions))


GOOD_FIT = Fit(Deal(100_000, "USD"), users=50, months_to_go_live=6, sponsor_holds_budget=True)


def test_a_deal_of_unknown_value_or_in_a_currency_without_a_minimum_is_nurtured(definitions: Definitions) -> None:
    policy = definitions.policy.qualification
    assert qualify(ready(definitions), GOOD_FIT, policy).outcome is QualificationClass.QUALIFIED
    unknown = qualify(ready(definitions), dataclasses.replace(GOOD_FIT, deal=None), policy)
    assert unknown.outcome is QualificationClass.NURTURE and codes(unknown.nurturing) == ["deal_unknown"]
    assert [s.id for s in unknown.next_steps] == ["size_the_deal"]
    yen = qualify(ready(definitions), dataclasses.replace(GOOD_FIT, deal=Deal(9e9, "JPY")), policy)
    assert yen.outcome is QualificationClass.NURTURE
    assert [(r.code, r.values["currency"]) for r in yen.nurturing] == [("deal_not_comparable", "JPY")]


def test_a_go_live_too_soon_for_the_projects_size_disqualifies_with_a_phased_go_live(definitions: Definitions) -> None:
    policy = definitions.policy.qualification
    hurried = qualify(ready(definitions), dataclasses.replace(GOOD_FIT, months_to_go_live=2), policy)
    assert hurried.outcome is QualificationClass.DISQUALIFY
    assert [(r.code, r.values["threshold"]) for r in hurried.disqualifying] == [("timeline_too_short", 3)]
    assert [s.id for s in hurried.next_steps] == ["phased_go_live"]
    # Users unknown: the smallest minimum, so nothing unknown disqualifies.
    unsized = dataclasses.replace(GOOD_FIT, months_to_go_live=2, users=None)
    assert qualify(ready(definitions), unsized, policy).outcome is QualificationClass.QUALIFIED
    unplanned = qualify(ready(definitions), dataclasses.replace(GOOD_FIT, months_to_go_live=None), policy)
    assert codes(unplanned.nurturing) == ["timeline_unknown"]


def test_readiness_below_the_floor_disqualifies_and_calls_for_the_weakest_areas_step(
    definitions: Definitions,
) -> None:
    worst = {
        q.id: {x.id: min(x.options, key=lambda o: o.value).id for x in q.questions if x.options}
        for q in definitions.questionnaires
    }
    worst["strategy"]["executive_sponsor"] = "yes"
    worst["goals"]["measurable_kpis"] = "kpis_with_targets"
    readiness = score(definitions, [RespondentAnswers("lead", None, worst)])
    result = qualify(readiness, GOOD_FIT, definitions.policy.qualification)
    assert result.outcome is QualificationClass.DISQUALIFY and "readiness_too_low" in codes(result.disqualifying)
    weakest = min((a for a in readiness.areas if a.readiness is not None), key=lambda a: a.readiness)
    step = definitions.policy.qualification.area_steps[weakest.area]
    assert step in [s.id for s in result.next_steps if "readiness_too_low" in codes(s.causes)]


def test_a_knock_out_the_committee_waived_no_longer_disqualifies(definitions: Definitions) -> None:
    readiness, fit = prospect(definitions, "no_sponsor")
    result = qualify(readiness, fit, definitions.policy.qualification, waived={"no_sponsor"})
    assert result.outcome is QualificationClass.NURTURE
    assert codes(result.nurturing) == ["no_budget_holder"]
    assert [s.id for s in result.next_steps] == ["find_budget_holder"]


def test_every_reason_has_a_message_whose_placeholders_its_values_fill(definitions: Definitions) -> None:
    results = [
        qualify(*prospect(definitions, case), definitions.policy.qualification)
        for case in ("well_prepared", "no_sponsor", "weak_adoption", "tiny_saas", "disagreeing_respondents")
    ]
    results.append(qualify(score(definitions, []), Fit(Deal(1, "XYZ")), definitions.policy.qualification))
    seen = set()
    for result in results:
        for reason in (*result.disqualifying, *result.nurturing, *result.met):
            seen.add(reason.code)
            placeholders = set(re.findall(r"%\((\w+)\)s", MESSAGES[reason.code]))
            assert placeholders <= set(reason.values) | {"rule"}, reason
            assert "rule" not in placeholders or "id" in reason.values
    assert len(seen) >= 15


def fits() -> st.SearchStrategy[Fit]:
    deals = st.none() | st.builds(Deal, st.floats(0, 1e6), st.sampled_from(["USD", "EUR", "IRR"]))
    return st.builds(
        Fit,
        deal=deals,
        users=st.none() | st.integers(1, 2_000),
        months_to_go_live=st.none() | st.floats(0, 36),
        sponsor_holds_budget=st.none() | st.booleans(),
    )


@SETTINGS
@given(assessments(), fits(), st.data())
def test_a_better_answer_everyone_gives_never_worsens_the_class(
    people: list[RespondentAnswers], fit: Fit, data: st.DataObject
) -> None:
    improved = everyone_answering_better(people, data)
    before = qualify(score(DEFINITIONS, people), fit, POLICY)
    after = qualify(score(DEFINITIONS, improved), fit, POLICY)
    assert RANK[after.outcome] >= RANK[before.outcome]


@SETTINGS
@given(assessments(), fits(), st.floats(0, 1e6))
def test_a_larger_deal_never_worsens_the_class(people: list[RespondentAnswers], fit: Fit, more: float) -> None:
    readiness = score(DEFINITIONS, people)
    larger = fit if fit.deal is None else dataclasses.replace(fit, deal=Deal(fit.deal.value + more, fit.deal.currency))
    assert RANK[qualify(readiness, larger, POLICY).outcome] >= RANK[qualify(readiness, fit, POLICY).outcome]


@SETTINGS
@given(assessments(), fits(), st.randoms(use_true_random=False))
def test_the_same_inputs_in_any_order_give_the_same_qualification(
    people: list[RespondentAnswers], fit: Fit, shuffle: random.Random
) -> None:
    reordered = people[:]
    shuffle.shuffle(reordered)
    first: Qualification = qualify(score(DEFINITIONS, people), fit, POLICY)
    assert qualify(score(DEFINITIONS, people), fit, POLICY) == first
    again = qualify(score(DEFINITIONS, reordered), fit, POLICY)
    assert again.outcome is first.outcome
    assert [s.id for s in again.next_steps] == [s.id for s in first.next_steps]
