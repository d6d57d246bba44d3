"""Scoring speed: one assessment with ten respondents over all five areas, in process.

Prints the median time to score and its ratio to loading the same answers from the
database, measured in the same run. Goal: scoring under 5 ms.
"""

from __future__ import annotations

import os
import random
import sys

from flask import Flask

from assessment.engine.question_types import QuestionType
from assessment.engine.questionnaire import Role
from assessment.engine.readiness import score
from assessment.services import accounts, assessments
from assessment.services import answers as answering
from assessment.services.audit import SYSTEM
from assessment.services.scoring import respondents_of
from assessment.storage.database import session
from bench.sandbox import migrated_app
from bench.timing import median_seconds

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
GOAL_MS = 5.0


def main() -> int:
    with migrated_app() as app:
        return measure(app)


def measure(app: Flask) -> int:
    rng = random.Random(7)  # noqa: S311 - reproducible test data, not a secret
    with app.app_context():
        db, definitions = session(), app.extensions["definitions"]
        workspace, _ = accounts.create_workspace(db, "Bench", "bench@example.com", "Bench", "bench-password")
        organisation = assessments.create_organisation(
            db, workspace, assessments.OrganisationDetails("Bench Co", "Retail", "b2b")
        )
        assessment = assessments.create_assessment(
            db, definitions, organisation, assessments.AssessmentDetails("Zoho", "cloud", 50, None, "Lead")
        )
        people = [assessments.lead_of(assessment)] + [
            assessments.invite(db, assessment, f"Respondent {i}", None, list(Role)[i % len(Role)], SYSTEM)
            for i in range(9)
        ]
        for person in people:
            role = None if person.is_lead else Role(person.role)
            for questionnaire in definitions.questionnaires:
                answers = {
                    q.id: rng.choice(q.answer_ids)
                    if q.type is not QuestionType.MULTIPLE_CHOICE
                    else tuple(o.id for o in q.options if rng.random() < 0.5) or (q.options[0].id,)
                    for q in questionnaire.for_role(role)
                    if q.options
                }
                answering.save_answers(db, person, questionnaire.id, answers, SYSTEM)
        stored = respondents_of(db, assessment)
        answer_count = sum(len(a) for p in stored for a in p.answers.values())

        def load() -> None:
            db.expire_all()
            respondents_of(db, assessment)

        loading = median_seconds(load, ROUNDS)
        scoring = median_seconds(lambda: score(definitions, stored), ROUNDS)
    print(f"one assessment: {len(stored)} respondents, {answer_count} answers, five areas; {ROUNDS} rounds")
    print(f"load answers from the database  {loading * 1e3:7.3f} ms")
    verdict = "ok" if scoring * 1e3 < GOAL_MS else "OVER GOAL"
    print(
        f"score (engine)                  {scoring * 1e3:7.3f} ms  {scoring / loading:5.2f}x loading  "
        f"(goal < {GOAL_MS:.0f} ms) {verdict}"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
