"""Report speed and memory for the demo assessment (five areas, 5 respondents, 2 scenarios).

Prints the page count; the full pipeline (report model, charts, PDF) against WeasyPrint
alone rendering the same saved HTML, measured in the same run (goal: at most 1.3x); a
cached PDF against a fresh one (goal: at least 50x faster); and peak memory.
"""

from __future__ import annotations

import io
import os
import resource
import sys
import tracemalloc

import yaml
from flask import Flask, render_template
from pypdf import PdfReader

from assessment.demo import DEMO_ESTIMATES, LEAD_ANSWERS, seed_demo
from assessment.engine.questionnaire import Role
from assessment.report.pdf import render_pdf
from assessment.services import answers as answering
from assessment.services import assessments, economics
from assessment.services.audit import SYSTEM
from assessment.services.report import build_report
from assessment.storage.database import session
from assessment.storage.models import ReportCache
from assessment.web.report.views import template_context
from bench.sandbox import migrated_app, sign_in_demo_owner
from bench.timing import median_seconds

ROUNDS = int(os.environ.get("BENCH_ROUNDS_REPORT", "5"))


def main() -> int:
    with migrated_app() as app:
        return measure(app)


def measure(app: Flask) -> int:
    with app.app_context():
        db = session()
        assessment, _ = seed_demo(db, app.extensions["definitions"])
        definitions = app.extensions["definitions"]
        lead = assessments.lead_of(assessment)
        for questionnaire in definitions.questionnaires:  # every area answered
            answers = {
                q.id: q.answer_ids[-2 if q.allow_na else 1]
                for q in questionnaire.questions
                if q.options
                and q.id not in LEAD_ANSWERS.get(questionnaire.id, {})
                and q.type.value != "multiple_choice"
            }
            answering.save_answers(db, lead, questionnaire.id, answers, SYSTEM)
        for name, role in (("Omid", Role.IT), ("Parisa", Role.SALES_SERVICE_LEAD)):
            person = assessments.invite(db, assessment, name, None, role, SYSTEM)
            for questionnaire in definitions.questionnaires:
                answers = {
                    q.id: q.answer_ids[0]
                    for q in questionnaire.for_role(role)
                    if q.options and q.type.value != "multiple_choice"
                }
                answering.save_answers(db, person, questionnaire.id, answers, SYSTEM)
        second = yaml.safe_load(DEMO_ESTIMATES.read_text(encoding="utf-8")) | {"users": 60}
        economics.save_scenario(db, assessment, "On-premise, 60 users", second, SYSTEM)
        assessment_id = assessment.id

    with app.test_request_context("/"):
        found = assessments.find_assessment(session(), assessment_id)

        def pipeline() -> bytes:
            report = build_report(session(), found, True)
            return render_pdf(render_template("report/print.html", **template_context(report)), app.static_folder)

        html = render_template("report/print.html", **template_context(build_report(session(), found, True)))
        pages = len(PdfReader(io.BytesIO(pipeline())).pages)
        full = median_seconds(pipeline, ROUNDS, warm_up=1)
        alone = median_seconds(lambda: render_pdf(html, app.static_folder), ROUNDS, warm_up=1)
        tracemalloc.start()
        pipeline()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    client = app.test_client()
    sign_in_demo_owner(client)
    url = f"/assessments/{assessment_id}/report.pdf"

    def fresh() -> None:
        with app.app_context():
            session().query(ReportCache).delete()
            session().commit()
        client.get(url)

    uncached = median_seconds(fresh, ROUNDS, warm_up=1)
    cached = median_seconds(lambda: client.get(url), ROUNDS * 4)

    ratio, speedup = full / alone, uncached / cached
    print(f"report: {pages} pages; {ROUNDS} rounds")
    print(f"WeasyPrint alone on the saved HTML  {alone * 1e3:8.1f} ms")
    print(
        f"full pipeline (model, charts, PDF)  {full * 1e3:8.1f} ms  {ratio:4.2f}x WeasyPrint alone (goal <= 1.3x) "
        f"{'ok' if ratio <= 1.3 else 'OVER GOAL'}"
    )
    print(
        f"served fresh {uncached * 1e3:8.1f} ms, from the cache {cached * 1e3:6.1f} ms: {speedup:5.1f}x faster "
        f"(goal >= 50x) {'ok' if speedup >= 50 else 'UNDER GOAL'}"
    )
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: the app process's Python allocations {peak / 2**20:6.1f} MiB; "
        f"the rendering child's resident set {child_peak:6.1f} MiB"
    )
    return 0 if ratio <= 1.3 and speedup >= 50 else 1


if __name__ == "__main__":
    sys.exit(main())
