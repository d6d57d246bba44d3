"""Question numbers count the questions a page shows: a hidden follow-up leaves no gap."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.web.helpers import answer, create_assessment

QUESTION = re.compile(
    r'<div class="question[^"]*" id="q-(?P<id>[^"]+)"[^>]*?(?P<hidden> hidden)?>'
    r'.*?<span class="question-number" data-question-number>(?P<number>[^<]*)</span>',
    re.S,
)
FOLLOW_UPS = ["sponsor_active_visible", "sponsor_resolves_conflicts"]
"""Asked only when there is an executive sponsor."""


def numbering(page: str) -> list[tuple[str, bool, str]]:
    """Each question on the page: its id, whether it is hidden, and the number it shows."""
    return [(m["id"], bool(m["hidden"]), m["number"]) for m in QUESTION.finditer(page)]


def numbers_shown(page: str) -> list[str]:
    return [number for _id, hidden, number in numbering(page) if not hidden]


def test_numbers_run_without_a_gap_past_hidden_follow_ups(client: FlaskClient) -> None:
    strategy = f"{create_assessment(client)}/strategy"
    page = client.get(strategy).get_data(as_text=True)
    hidden = [(question, number) for question, is_hidden, number in numbering(page) if is_hidden]
    assert hidden == [(question, "") for question in FOLLOW_UPS]  # not numbered until shown
    shown = numbers_shown(page)
    assert shown == [f"{n}." for n in range(1, len(shown) + 1)]


def test_a_follow_up_shown_takes_the_next_number_and_moves_the_rest_on(client: FlaskClient) -> None:
    strategy = f"{create_assessment(client)}/strategy"
    before = numbers_shown(client.get(strategy).get_data(as_text=True))
    answer(client, strategy, {"executive_sponsor": "yes"})
    page = client.get(strategy).get_data(as_text=True)
    questions = {question: number for question, _hidden, number in numbering(page)}
    assert [questions["executive_sponsor"], *(questions[q] for q in FOLLOW_UPS)] == ["1.", "2.", "3."]
    assert numbers_shown(page) == [f"{n}." for n in range(1, len(before) + 3)]


def test_numbers_are_in_the_readers_digits(client: FlaskClient) -> None:
    strategy = f"{create_assessment(client)}/strategy"
    page = client.get(strategy, headers={"Accept-Language": "fa"}).get_data(as_text=True)
    shown = numbers_shown(page)
    assert shown[:3] == ["۱.", "۲.", "۳."] and len(shown) >= 10
    assert shown[9] == "۱۰."
