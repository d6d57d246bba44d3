"""List speed at scale: the first page of the assessment, organisation and audit-trail lists and of the API's.

The demo workspace grows through 100, 1,000 and 10,000 assessments, bulk-inserted with SQLAlchemy Core (two
assessments per organisation, a lead respondent and an answer change in the audit trail for each). At each
size every list's first page is timed in process (the median of BENCH_ROUNDS requests, so the server's time
alone); it prints the time, its multiple of the same list at 100 assessments measured in the same run, the
SQL statements the request ran and the response's size. Goal: every first page under 100 ms at 10,000.

On SQLite, then on PostgreSQL: the server in TEST_POSTGRES_URL when set, else a throw-away one that
scripts/with-postgres.sh starts, else skipped with a message. `python -m bench.lists sqlite` runs one.
"""

from __future__ import annotations

import os
import sys
import uuid
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, insert, text

from assessment.demo import seed_demo
from assessment.services import accounts
from assessment.services.audit import SYSTEM
from assessment.storage.database import session
from assessment.storage.models import Assessment, AuditEntry, MemberRole, Organisation, Respondent, Workspace, now
from bench.sandbox import on_both_databases, sign_in_demo_owner
from bench.timing import median_seconds

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
SIZES = (100, 1_000, 10_000)
GOAL_MS = 100.0
LISTS = {
    "assessments": "/",
    "organisations": "/organisations/",
    "audit trail": "/workspace/audit",
    "API": "/api/v1/assessments",
}


def measure(app: Flask, backend: str) -> bool:
    """Grow the demo workspace through SIZES, timing every list at each; whether any missed the goal."""
    engine: Engine = app.extensions["db_engine"]
    with app.app_context():
        assessment, _ = seed_demo(session(), app.extensions["definitions"])
        workspace = session().get(Workspace, assessment.organisation.workspace_id)
        token = accounts.create_api_token(session(), workspace, "bench", MemberRole.VIEWER, SYSTEM)
        digest, workspace_id = assessment.definitions_digest, workspace.id
    client = app.test_client()
    sign_in_demo_owner(client)
    headers = {"Authorization": f"Bearer {token}"}
    print(f"{backend}: first page of each list, median of {ROUNDS} requests", flush=True)
    baseline: dict[str, float] = {}
    failed = False
    have = count_assessments(engine)
    for size in SIZES:
        add_assessments(engine, workspace_id, digest, have, size - have)
        have = size
        for name, url in LISTS.items():
            seconds = median_seconds(lambda url=url: client.get(url, headers=headers), ROUNDS, warm_up=3)
            statements, kib = one_request(client, engine, url, headers)
            baseline.setdefault(name, seconds)
            over = size == SIZES[-1] and seconds * 1e3 > GOAL_MS
            failed |= over
            verdict = (" OVER GOAL" if over else " ok") if size == SIZES[-1] else ""
            print(
                f"  {name:<13} {size:>6,} assessments {seconds * 1e3:8.1f} ms {seconds / baseline[name]:6.1f}x of"
                f" {SIZES[0]}  {statements:3d} statements {kib:8.1f} KiB{verdict}",
                flush=True,
            )
    print(f"  goal: every first page under {GOAL_MS:.0f} ms at {SIZES[-1]:,} assessments")
    return failed


def one_request(client: FlaskClient, engine: Engine, url: str, headers: dict[str, str]) -> tuple[int, float]:
    """The SQL statements one request runs, and its response's size in KiB."""
    statements = []

    def count(*_args: Any) -> None:
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), len(response.data) / 1024


def count_assessments(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM assessments")).scalar_one()


def add_assessments(engine: Engine, workspace_id: uuid.UUID, digest: str, start: int, count: int) -> None:
    """`count` more assessments, two per organisation, each with its lead and an answer change, in one transaction."""
    moment = now()
    organisations, assessments, respondents, entries = [], [], [], []
    organisation_id = uuid.uuid4()
    for number in range(start, start + count):
        at = moment - timedelta(minutes=number)
        if (number - start) % 2 == 0:
            organisation_id = uuid.uuid4()
            organisations.append(
                {
                    "id": organisation_id,
                    "workspace_id": workspace_id,
                    "name": f"Organisation {number:05d}",
                    "industry": "Wholesale",
                    "business_type": "b2b",
                    "created_at": at,
                }
            )
        assessment_id, respondent_id = uuid.uuid4(), uuid.uuid4()
        assessments.append(
            {
                "id": assessment_id,
                "organisation_id": organisation_id,
                "crm_product": "Zoho CRM",
                "deployment": "cloud",
                "crm_users": 40 + number % 200,
                "go_live": None,
                "definitions_digest": digest,
                "created_at": at,
            }
        )
        respondents.append(
            {
                "id": respondent_id,
                "assessment_id": assessment_id,
                "name": "Maryam",
                "role": "project_manager",
                "is_lead": True,
                "created_at": at,
            }
        )
        entries.append(
            {
                "id": uuid.uuid4(),
                "workspace_id": workspace_id,
                "assessment_id": assessment_id,
                "respondent_id": respondent_id,
                "at": at,
                "actor_kind": "respondent",
                "actor_id": respondent_id,
                "actor_label": "Maryam (respondent)",
                "action": "answer.changed",
                "subject": "goals.goals_dated",
                "area": "goals",
                "question": "goals_dated",
                "old": None,
                "new": "yes",
            }
        )
    with engine.begin() as connection:
        for model, rows in (
            (Organisation, organisations),
            (Assessment, assessments),
            (Respondent, respondents),
            (AuditEntry, entries),
        ):
            if rows:
                connection.execute(insert(model.__table__), rows)
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))  # as autovacuum would soon: planner statistics for the new rows


if __name__ == "__main__":
    sys.exit(on_both_databases("bench.lists", "crmgate_bench_lists", measure, sys.argv[1:]))
