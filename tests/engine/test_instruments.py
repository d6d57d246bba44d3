"""Change-management readings inside the answers: sponsorship, the change/resistance quadrant, ADKAR."""

from __future__ import annotations

import pytest

from assessment.engine.questionnaire import Definitions, Role
from assessment.engine.readiness import RespondentAnswers, score
from tests.engine.builders import lead


def test_change_instruments_read_sponsorship_the_risk_quadrant_and_each_groups_barrier(
    definitions: Definitions,
) -> None:
    people = [
        lead(
            strategy={"executive_sponsor": "yes", "sponsor_active_visible": "agree"},
            adoption={"change_size": "very_large", "past_changes_adopted": "disagree"},
        ),
        RespondentAnswers(
            "Neda",
            Role.END_USER,
            {"adoption": {"primary_group_awareness": "agree", "primary_group_desire": "disagree"}},
        ),
        RespondentAnswers(
            "Omid",
            Role.END_USER,
            {"adoption": {"primary_group_awareness": "strongly_agree", "primary_group_desire": "neutral"}},
        ),
    ]
    readings = score(definitions, people).instruments
    assert readings.sponsorship.sponsor_exists and readings.sponsorship.score == pytest.approx(87.5)
    assert readings.change.quadrant == "high_risk"
    [users] = readings.adkar
    assert (users.group, users.respondents, users.barrier, users.complete) == ("end_user", 2, "desire", True)
    assert dict(users.steps)["desire"] == pytest.approx(0.375)
