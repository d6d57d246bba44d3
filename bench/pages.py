"""Page speed, in process: the largest area page's GET and POST (save) against a hello-world route.

Prints medians and their ratios to `/healthz` measured in the same run, so the figures
hold on any machine. Goal: GET at most 25x and POST at most 30x the hello-world time.
"""

from __future__ import annotations

import os
import sys

from flask import Flask
from werkzeug.datastructures import MultiDict

from assessment.demo import seed_demo
from assessment.storage.database import session
from bench.sandbox import csrf_token, migrated_app, sign_in_demo_owner
from bench.timing import median_seconds

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))
GOALS = {"get": 25, "post": 30}


def main() -> int:
    with migrated_app() as app:
        return measure(app)


def measure(app: Flask) -> int:
    with app.app_context():
        assessment, _ = seed_demo(session(), app.extensions["definitions"])
        definitions = app.extensions["definitions"]
    largest = max(definitions.questionnaires, key=lambda q: len(q.questions))
    url = f"/assessments/{assessment.id}/answers/{largest.id}"
    client = app.test_client()
    sign_in_demo_owner(client)
    page = client.get(url).get_data(as_text=True)
    token = csrf_token(page)
    inputs = page.count('name="a-')

    # Every POST changes every answer, so each one really writes.
    forms = []
    for pick in (0, -1):
        data = MultiDict([("csrf_token", token), ("go", "save")])
        for question in largest.questions:
            if question.options:
                data.add("_q", question.id)
                data.add(f"a-{question.id}", question.options[pick].id)
        forms.append(data)
    turn = iter(range(10**9))

    def post() -> None:
        response = client.post(url, data=forms[next(turn) % 2])
        assert response.status_code == 302, response.status_code

    hello = median_seconds(lambda: client.get("/healthz"), ROUNDS)
    get = median_seconds(lambda: client.get(url), ROUNDS)
    save = median_seconds(post, ROUNDS)
    print(f"largest area page: {largest.id} ({len(largest.questions)} questions, {inputs} inputs), {ROUNDS} rounds")
    print(f"hello world  {hello * 1e3:7.3f} ms")
    failed = False
    for name, seconds in (("get", get), ("post", save)):
        ratio = seconds / hello
        verdict = "ok" if ratio <= GOALS[name] else "OVER GOAL"
        failed |= ratio > GOALS[name]
        goal = f"(goal <= {GOALS[name]}x) {verdict}"
        print(f"{name.upper():<5}        {seconds * 1e3:7.3f} ms  {ratio:5.1f}x hello world {goal}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
