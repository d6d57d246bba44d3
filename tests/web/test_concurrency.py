"""Writers at the same moment: every save lands, and nobody's answers overwrite anybody else's."""

from __future__ import annotations

import threading

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token
from tests.web.helpers import checked, create_assessment
from tests.web.test_respondents import invite

OPTIONS = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
ROUNDS = 25


def test_the_lead_and_a_respondent_saving_the_same_question_at_once_each_keep_their_own(
    app: Flask, client: FlaskClient
) -> None:
    survey = create_assessment(client)
    pages = [f"{survey}/goals", f"{invite(client, survey, 'Neda', 'end_user')}/goals"]
    clients = [client, app.test_client()]
    tokens = [csrf_token(c, page) for c, page in zip(clients, pages, strict=True)]
    start = threading.Barrier(2)
    statuses: list[list[int]] = [[], []]

    def writer(who: int) -> None:
        start.wait()
        for round_ in range(ROUNDS):
            value = OPTIONS[(round_ + who) % len(OPTIONS)]
            response = clients[who].post(
                pages[who],
                data={"_q": "goals_shared_by_managers", "a-goals_shared_by_managers": value, "csrf_token": tokens[who]},
            )
            statuses[who].append(response.status_code)

    threads = [threading.Thread(target=writer, args=(who,)) for who in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [[302] * ROUNDS, [302] * ROUNDS]
    for who in (0, 1):
        last = OPTIONS[(ROUNDS - 1 + who) % len(OPTIONS)]
        assert checked(clients[who].get(pages[who]).get_data(as_text=True), "goals_shared_by_managers") == [last]
