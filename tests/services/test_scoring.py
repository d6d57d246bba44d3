"""Scoring a stored assessment: every respondent's answers in one read, under a preset of the pinned policy."""

from __future__ import annotations

import pytest

from assessment.engine.questionnaire import Role
from assessment.services import answers, scoring
from assessment.storage.database import session
from tests.services.conftest import ANALYST, Setting


def test_the_lead_and_every_invitee_are_read_with_their_roles_and_answers(setting: Setting) -> None:
    goals = setting.definitions.area("goals")
    answers.submit_answers(session(), setting.sponsor, goals, {"goals_dated": "no"}, {}, ANALYST)
    people = {p.name: (p.role, p.answers) for p in scoring.respondents_of(session(), setting.assessment)}
    assert people == {"Maryam": (None, {}), "Reza": (Role.SPONSOR, {"goals": {"goals_dated": "no"}})}


def test_each_preset_of_the_policy_scores_and_an_unknown_one_is_refused(setting: Setting) -> None:
    goals = setting.definitions.area("goals")
    answers.submit_answers(session(), setting.lead, goals, {"goals_dated": "yes"}, {}, ANALYST)
    for preset in setting.definitions.policy.presets:
        result, _definitions = scoring.score_assessment(session(), setting.assessment, preset)
        assert result.readiness == 100.0
    with pytest.raises(scoring.UnknownPresetError):
        scoring.score_assessment(session(), setting.assessment, "lucky")
