"""The scoring policy file is validated like the questionnaires: structure, then meaning."""

from __future__ import annotations

import pytest
import yaml

from assessment.definitions.loader import POLICY, load_sources
from assessment.definitions.policy_schema import ADDED_IN_VERSION_2
from assessment.definitions.problems import DefinitionError
from tests.conftest import ROOT
from tests.definitions.builders import shipped

SHIPPED = shipped()[POLICY]


def problems_with_policy(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_sources({**shipped(), POLICY: text})
    return [str(problem) for problem in caught.value.problems]


def edited(change) -> str:
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
        policy.findings_source,
        policy.instruments.source,
        policy.economics.share_source,
        policy.gate.source,
    ):
        assert source is not None and source.in_("en")
    assert {k.id for k in policy.knock_outs} == {"no_sponsor", "no_measurable_objectives"}
    assert {f.id for f in policy.findings} >= {"processes_not_mapped", "adoption_barrier_desire"}


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
        (lambda d: d["knock_outs"][1].update(id="no_sponsor"), "knock_outs[1].id: duplicate rule id 'no_sponsor'"),
        (lambda d: d["findings"][0].update(id="no_sponsor"), "findings[0].id: duplicate rule id 'no_sponsor'"),
        (lambda d: d["gate"].pop("go_probability"), "gate: 'go_probability' is required"),
        (
            lambda d: d["gate"].update(no_go_probability=0.9),
            "gate: a no-go threshold must not be above the go threshold",
        ),
        (lambda d: d["caps"].update(colour="red"), "caps.colour: unknown key 'colour'"),
        (lambda d: d["instruments"]["adkar"].pop("desire"), "instruments.adkar: 'desire' is required"),
        (lambda d: d["delivery"].pop("source"), "delivery: 'source' is required"),
        (
            lambda d: d["project_size"]["bands"][1].update(users_at_most=5),
            "project_size.bands[1].users_at_most: bands go from the smallest up: a limit must not fall",
        ),
        (
            lambda d: d["project_size"]["bands"][2].update(months_at_most=24),
            "project_size.bands[2]: the last band states no limit: it takes every larger project",
        ),
        (lambda d: d["project_size"]["bands"][1].update(id="small"), "duplicate size band 'small'"),
        (lambda d: d["project_size"]["bands"][0].update(staff_at_most=3), "unknown key 'staff_at_most'"),
    ],
    ids=[
        "weights-missing-area",
        "unknown-default",
        "falling-delivery",
        "probability-above-one",
        "unknown-question",
        "unscored-question",
        "duplicate-id",
        "finding-repeats-a-knock-out",
        "version-2-gate-without-chance",
        "no-go-chance-above-go",
        "unknown-key",
        "adkar-step-missing",
        "no-source",
        "size-limit-falls",
        "last-size-band-limited",
        "duplicate-size-band",
        "unknown-size-limit",
    ],
)
def test_a_broken_policy_is_refused_with_place_and_reason(change, expected: str) -> None:
    found = problems_with_policy(edited(change))
    assert any(expected in problem for problem in found), found
    assert all(problem.startswith("policy.yaml:") for problem in found)


def test_a_version_1_policy_pinned_by_an_earlier_assessment_still_loads_with_what_version_2_added() -> None:
    first = (ROOT / "assessment" / "storage" / "migrations" / "data" / "policy_v1.yaml").read_text(encoding="utf-8")
    policy = load_sources(shipped() | {POLICY: first}).policy
    assert policy.version == 1 and len(policy.knock_outs) == 6 and policy.findings == ()
    added = ADDED_IN_VERSION_2
    assert (policy.gate.go_probability, policy.gate.no_go_probability) == (
        added["gate"]["go_probability"],
        added["gate"]["no_go_probability"],
    )
    assert policy.economics.share_spread == added["economics"]["share_spread"]
    assert policy.gate.no_go_area_floor == 40


def test_a_policy_that_predates_size_bands_gets_the_shipped_ones_and_todays_questionnaires_still_load() -> None:
    data = yaml.safe_load(SHIPPED)
    shipped_bands = data.pop("project_size")["bands"]
    definitions = load_sources({**shipped(), POLICY: yaml.safe_dump(data, sort_keys=False)})
    assert [b.id for b in definitions.sizes.bands] == [b["id"] for b in shipped_bands]
    assert definitions.sizes.bands[0].users_at_most == shipped_bands[0]["users_at_most"]
