"""The scoring policy file is validated like the questionnaires: structure, then meaning."""

from __future__ import annotations

import pytest
import yaml

from assessment.definitions.loader import POLICY, load_sources
from assessment.definitions.problems import DefinitionError
from tests.definitions.builders import shipped

SHIPPED = shipped()[POLICY]


def problems_with_policy(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_sources({**shipped(), POLICY: text})
    return [str(problem) for problem in caught.value.problems]


def edited(change) -> str:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(SHIPPED)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_the_shipped_policy_gives_every_parameter_a_source() -> None:
    policy = load_sources(shipped()).policy
    assert policy.presets["evidence"] == {"process": 34, "adoption": 28, "scope": 15, "strategy": 12, "goals": 11}
    assert (policy.delivery_at_0, policy.delivery_at_100) == (0.15, 0.93)
    for source in (
        *policy.preset_sources.values(),
        policy.delivery_source,
        policy.caps_source,
        policy.thin_source,
        policy.disagreement_source,
        policy.knock_outs_source,
        policy.instruments.source,
    ):
        assert source.in_("en")
    assert {k.id for k in policy.knock_outs} >= {"no_sponsor", "no_measurable_objectives", "processes_not_mapped"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["area_weights"]["presets"]["evidence"]["weights"].pop("scope"),
            "area_weights.presets.evidence.weights: 'scope' is required",
        ),
        (lambda d: d["area_weights"].update(default="balanced"), "area_weights.default: no preset named 'balanced'"),
        (
            lambda d: d["delivery"].update(at_readiness_0=0.95),
            "delivery: the chance of delivering must not fall as readiness rises",
        ),
        (lambda d: d["delivery"].update(at_readiness_100=1.4), "delivery.at_readiness_100: 1.4 must be at most 1"),
        (
            lambda d: d["knock_outs"][0].update(question="strategy.sponsor"),
            "knock_outs[0].question: no question 'strategy.sponsor'",
        ),
        (lambda d: d["knock_outs"][0].update(question="goals.goals_notes"), "'goals.goals_notes' carries no score"),
        (lambda d: d["knock_outs"][1].update(id="no_sponsor"), "knock_outs[1].id: duplicate knock-out id 'no_sponsor'"),
        (lambda d: d["caps"].update(colour="red"), "caps.colour: unknown key 'colour'"),
        (lambda d: d["instruments"]["adkar"].pop("desire"), "instruments.adkar: 'desire' is required"),
        (lambda d: d["delivery"].pop("source"), "delivery: 'source' is required"),
    ],
    ids=[
        "weights-missing-area",
        "unknown-default",
        "falling-delivery",
        "probability-above-one",
        "unknown-question",
        "unscored-question",
        "duplicate-id",
        "unknown-key",
        "adkar-step-missing",
        "no-source",
    ],
)
def test_a_broken_policy_is_refused_with_place_and_reason(change, expected: str) -> None:  # type: ignore[no-untyped-def]
    found = problems_with_policy(edited(change))
    assert any(expected in problem for problem in found), found
    assert all(problem.startswith("policy.yaml:") for problem in found)
