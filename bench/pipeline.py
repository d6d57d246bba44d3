"""The vendor's pipeline at scale: the pipeline page, its JSON and an assessment's benchmark percentiles.

One workspace grows through 100, 1,000 and 10,000 assessments, bulk-inserted with SQLAlchemy Core: an
organisation each, a lead who answered every question and two invited colleagues who answered their
share, at one of 40 levels of preparation, and estimates (the demo's) on every fifth. Their summaries are
then computed as `flask summaries refresh` computes them, and that time is printed too. At each size it
times, in process (the median of BENCH_ROUNDS requests, so the server's time alone):

- the pipeline page: the first page, sorted by readiness, filtered to scored prospects;
- the pipeline JSON (`/api/v1/pipeline`) with the same sort and filter;
- the benchmark percentiles of one assessment (every area, in the workspace, its industry and its size band),

each with its multiple of the same measure at 100 assessments and the SQL statements it ran (fixed: no
query per row). Goal: each under 200 ms at 10,000 on PostgreSQL. On SQLite, then on PostgreSQL: the server
in TEST_POSTGRES_URL when set, else a throw-away one that scripts/with-postgres.sh starts, else skipped.
`python -m bench.pipeline sqlite` runs one.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

import yaml
from flask import Flask
from sqlalchemy import Engine, event, insert, select, text

from assessment.demo import DEMO_ESTIMATES, answers_at, seed_demo
from assessment.engine.question_types import answer_to_data
from assessment.engine.questionnaire import Definitions, Question
from assessment.services import accounts, summaries
from assessment.services.audit import SYSTEM
from assessment.services.benchmarks import benchmark
from assessment.storage.database import session
from assessment.storage.models import (
    Answer,
    Assessment,
    AssessmentSummary,
    MemberRole,
    Organisation,
    Respondent,
    Scenario,
    Workspace,
    now,
)
from bench.sandbox import on_both_databases, sign_in_demo_owner
from bench.timing import median_seconds

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
SIZES = (100, 1_000, 10_000)
GOAL_MS = 200.0
LEVELS = 40
"""How many levels of preparation the generated assessments are spread over."""
INVITED = (("sponsor", 0.25), ("end_user", 0.5))
"""The colleagues each assessment invites, and the share of their questions they answered before finishing."""


def measure(app: Flask, backend: str) -> bool:
    engine: Engine = app.extensions["db_engine"]
    definitions: Definitions = app.extensions["definitions"]
    with app.app_context():
        demo, _ = seed_demo(session(), definitions)
        workspace = session().get(Workspace, demo.organisation.workspace_id)
        token = accounts.create_api_token(session(), workspace, "bench", MemberRole.VIEWER, SYSTEM)
        digest, workspace_id = demo.definitions_digest, workspace.id
    client = app.test_client()
    sign_in_demo_owner(client)
    headers = {"Authorization": f"Bearer {token}"}
    profiles = [_profile(definitions, level / (LEVELS - 1)) for level in range(LEVELS)]
    estimates = yaml.safe_load(DEMO_ESTIMATES.read_text(encoding="utf-8"))
    print(f"{backend}: median of {ROUNDS} requests; summaries computed once per assessment added", flush=True)
    baseline: dict[str, float] = {}
    failed = False
    have = 0
    for size in SIZES:
        ids = add_assessments(engine, workspace_id, digest, profiles, estimates, have, size - have)
        have = size
        started = time.perf_counter()
        with app.app_context():
            summaries.refresh(session(), ids)
            session().commit()
        per = (time.perf_counter() - started) / len(ids)
        print(f"  summaries     {size:>6,} assessments {per * 1e3:8.2f} ms each ({len(ids):,} computed)", flush=True)
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        with app.app_context():
            target = session().scalar(
                select(AssessmentSummary.assessment_id).where(AssessmentSummary.stage == summaries.SCORED).limit(1)
            )
        measures = {
            "pipeline page": lambda: _ok(client.get("/pipeline?sort=-readiness&stage=scored")),
            "pipeline JSON": lambda: _ok(client.get("/api/v1/pipeline?sort=-readiness&stage=scored", headers=headers)),
            "percentiles": lambda target=target: _percentiles(app, target),
        }
        for name, action in measures.items():
            seconds = median_seconds(action, ROUNDS, warm_up=3)
            statements = _statements(engine, action)
            baseline.setdefault(name, seconds)
            last = size == SIZES[-1]
            over = last and seconds * 1e3 > GOAL_MS
            failed |= over
            verdict = (" OVER GOAL" if over else " ok") if last else ""
            print(
                f"  {name:<13} {size:>6,} assessments {seconds * 1e3:8.1f} ms {seconds / baseline[name]:6.1f}x of"
                f" {SIZES[0]}  {statements:3d} statements{verdict}",
                flush=True,
            )
    print(f"  goal: each under {GOAL_MS:.0f} ms at {SIZES[-1]:,} assessments")
    return failed


def _ok(response: Any) -> None:
    assert response.status_code == 200, response.status_code


def _percentiles(app: Flask, assessment_id: uuid.UUID) -> None:
    with app.app_context():
        found = benchmark(session(), assessment_id, app.extensions["definitions"].policy.benchmarks)
        assert found.areas, "the target assessment has no benchmark"


def _statements(engine: Engine, action: Any) -> int:
    counted = []

    def count(*_args: Any) -> None:
        counted.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(counted)


def _profile(definitions: Definitions, quality: float) -> list[tuple[str, Question, Any]]:
    """Every question's answer at one level of preparation, with the question it answers."""
    questions = {(q.id, question.id): question for q in definitions.questionnaires for question in q.questions}
    return [
        (area, questions[area, key], answer_to_data(value))
        for area, answers in answers_at(definitions, quality).items()
        for key, value in answers.items()
    ]


def add_assessments(
    engine: Engine,
    workspace_id: uuid.UUID,
    digest: str,
    profiles: list[list[tuple[str, Question, Any]]],
    estimates: dict[str, Any],
    start: int,
    count: int,
) -> list[uuid.UUID]:
    """`count` more assessments with their respondents, answers and (every fifth) estimates, in one transaction."""
    moment = now()
    rows: dict[Any, list[dict[str, Any]]] = {Organisation: [], Assessment: [], Respondent: [], Answer: [], Scenario: []}
    ids = []
    for number in range(start, start + count):
        at = moment - timedelta(minutes=number)
        organisation_id, assessment_id = uuid.uuid4(), uuid.uuid4()
        ids.append(assessment_id)
        rows[Organisation].append(
            {
                "id": organisation_id,
                "workspace_id": workspace_id,
                "name": f"Prospect {number:05d}",
                "industry": ("Retail", "Wholesale", "Manufacturing", "Services")[number % 4],
                "business_type": "b2b",
                "created_at": at,
            }
        )
        rows[Assessment].append(
            {
                "id": assessment_id,
                "organisation_id": organisation_id,
                "crm_product": "Zoho CRM",
                "deployment": "cloud",
                "crm_users": 8 + number % 300,
                "go_live": None,
                "definitions_digest": digest,
                "created_at": at,
                "kind": "full",
            }
        )
        profile = profiles[(number * 7) % len(profiles)]
        people = [("project_manager", 1.0, True), *((role, share, False) for role, share in INVITED)]
        for role, share, lead in people:
            respondent_id = uuid.uuid4()
            rows[Respondent].append(
                {
                    "id": respondent_id,
                    "assessment_id": assessment_id,
                    "name": f"{role} {number}",
                    "role": role,
                    "is_lead": lead,
                    "created_at": at,
                    "token": None if lead else uuid.uuid4().hex,
                    "finished_at": None if lead else at,
                }
            )
            mine = [(area, q, value) for area, q, value in profile if lead or role in q.roles]
            for area, question, value in mine[: max(1, int(len(mine) * share))]:
                rows[Answer].append(
                    {
                        "respondent_id": respondent_id,
                        "area": area,
                        "question": question.id,
                        "value": value,
                        "updated_at": at,
                    }
                )
        if number % 5 == 0:
            rows[Scenario].append(
                {"id": uuid.uuid4(), "assessment_id": assessment_id, "name": "Base case", "data": estimates}
            )
    with engine.begin() as connection:
        for model, found in rows.items():
            for chunk in range(0, len(found), 5_000):
                connection.execute(insert(model.__table__), found[chunk : chunk + 5_000])
    return ids


if __name__ == "__main__":
    sys.exit(on_both_databases("bench.pipeline", "crmgate_bench_pipeline", measure, sys.argv[1:]))
