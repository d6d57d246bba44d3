"""Economics speed: the pages that appraise against the results page, and the path-to-go search's budget.

The demo assessment, signed in as its owner, in process. Prints each page's median time and
its ratio to the results page of the same assessment measured in the same run (which scores
readiness and runs no simulation):
- as served while nothing changes (the appraisal comes from its cache): the goal, at most 3x;
- fresh, the cache emptied before every request: what a user meets after changing an answer,
  printed beside it.
Then the path-to-go search on the demo and on every fixture organisation: the evaluations it
makes (each one readiness, one simulation of `PATH_DRAWS` draws and the gate), counted here by
wrapping the engine's functions (production code counts nothing), the draws they add up to and
its median time over five searches. Goal: at most `MAX_EVALUATIONS` evaluations per search.
"""

from __future__ import annotations

import functools
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from flask import Flask

import assessment.engine.appraisal as appraisal_module
import assessment.engine.path as path_module
from assessment.demo import seed_demo
from assessment.engine.answers import read_respondents
from assessment.engine.estimates_data import read_estimates
from assessment.services import appraisals, economics, scoring
from assessment.services.definitions import pinned
from assessment.storage.database import session
from bench.sandbox import migrated_app, sign_in_demo_owner
from bench.simulation import alternating_medians

ROUNDS = int(os.environ.get("BENCH_ROUNDS_ECONOMICS", "30"))
PAGE_GOAL = 3.0
MAX_EVALUATIONS = path_module.BUDGET
"""Per path-to-go search, on the demo and on every fixture (each evaluation one simulation): the
engine's own bound, checked here as it runs."""
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "organisations"
PAGES = ("economics", "decision.json", "report")


class Counter:
    """How many simulations, path evaluations and draws ran while it was installed."""

    def __init__(self) -> None:
        self.simulations = self.evaluations = self.draws = 0


@contextmanager
def counting() -> Iterator[Counter]:
    """Wrap the engine's simulations (the appraisal's, and the path's chance of a positive return)
    and the path's evaluation."""
    counter = Counter()
    originals = (appraisal_module.simulate, path_module.chance_positive, path_module._state)

    def counted(original: Callable[..., Any]) -> Callable[..., Any]:
        def run(estimates: Any, risk: Any, draws: int, *args: Any, **kwargs: Any) -> Any:
            counter.simulations += 1
            counter.draws += draws
            return original(estimates, risk, draws, *args, **kwargs)

        return run

    def state(*args: Any, **kwargs: Any) -> Any:
        counter.evaluations += 1
        return originals[2](*args, **kwargs)

    appraisal_module.simulate = counted(originals[0])
    path_module.chance_positive = counted(originals[1])
    path_module._state = state
    try:
        yield counter
    finally:
        appraisal_module.simulate, path_module.chance_positive, path_module._state = originals


def main() -> int:
    with migrated_app() as app:
        return measure(app)


def measure(app: Flask) -> int:
    with app.app_context():
        assessment, _ = seed_demo(session(), app.extensions["definitions"])
    client = app.test_client()
    sign_in_demo_owner(client)
    base = f"/assessments/{assessment.id}"

    def get(page: str) -> Callable[[], None]:
        def action() -> None:
            response = client.get(f"{base}/{page}")
            assert response.status_code == 200, (page, response.status_code)

        return action

    def fresh(page: str) -> Callable[[], None]:
        def action() -> None:
            appraisals.clear()
            get(page)()

        return action

    failed = False
    print(f"demo assessment, {ROUNDS} rounds; each page timed in turn with the results page (no simulation)")
    for page in PAGES:
        results, served = alternating_medians(get("results"), get(page), ROUNDS)
        results_then, first = alternating_medians(get("results"), fresh(page), ROUNDS)
        appraisals.clear()
        with counting() as fresh_count:
            get(page)()
        with counting() as served_count:
            get(page)()
        over = served / results > PAGE_GOAL
        failed |= over
        print(
            f"{page:<14} results {results * 1e3:6.1f} ms;  served {served * 1e3:7.1f} ms {served / results:5.1f}x "
            f"(goal <= {PAGE_GOAL:.0f}x) {'OVER GOAL' if over else 'ok'};  fresh {first * 1e3:7.1f} ms "
            f"{first / results_then:5.1f}x;  simulations per request: fresh {fresh_count.simulations}, "
            f"served {served_count.simulations}"
        )
    failed |= paths(app, assessment)
    return 1 if failed else 0


def paths(app: Flask, assessment: Any) -> bool:
    """The path-to-go search on the demo and every fixture: evaluations, draws and time per search."""
    with app.app_context():
        definitions = pinned(session(), assessment.definitions_digest)
        found = economics.scenarios(session(), assessment)[0]
        cases = {
            "demo": (
                scoring.respondents_of(session(), assessment),
                economics.estimates_of(assessment, found, definitions),
            )
        }
    for folder in sorted(p.parent for p in FIXTURES.rglob("answers.yaml")):
        people = read_respondents(definitions, yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8")))
        data = yaml.safe_load((folder / "estimates.yaml").read_text(encoding="utf-8"))
        cases[str(folder.relative_to(FIXTURES))] = (people, read_estimates(data, definitions.policy.economics))
    print(f"path to go ({path_module.PATH_DRAWS:,} draws per evaluation; goal <= {MAX_EVALUATIONS} evaluations)")
    failed = False
    for name, (people, estimates) in cases.items():
        with counting() as counter:
            plan = path_module.path_to_go(definitions, people, estimates)
        search = functools.partial(path_module.path_to_go, definitions, people, estimates)
        seconds = statistics.median(_timed(search) for _ in range(5))
        over = counter.evaluations > MAX_EVALUATIONS
        failed |= over
        print(
            f"  {name:<26} {counter.evaluations:3d} evaluations {counter.draws:8,d} draws {seconds * 1e3:7.1f} ms  "
            f"{len(plan.steps)} steps, {'reaches go' if plan.reaches_go else 'no go'}  {'OVER GOAL' if over else 'ok'}"
        )
    return failed


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
