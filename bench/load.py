"""Load and fault: 50 respondents x 50 answers through their own links against the production server on PostgreSQL.

Each respondent opens their area pages and autosaves one answer at a time as the page's script does
(`POST /r/<token>/<area>/autosave` with the CSRF token and `_was-` value from the page), retrying a
save that got no answer. Two runs, each with respondents of its own:

- steady: the server (gunicorn, `assessment/serve.py`'s settings) runs throughout;
- kill: after a third of the saves its whole process group is killed with SIGKILL and it is restarted
  at once, as a crash and a supervisor would.

Printed: acknowledged saves against the answers stored, saves per second, p50 / p99 of an acknowledged
save. Goals: acknowledged = stored in the steady run; no acknowledged answer lost in either run.
Bounded: loopback only, RESPONDENTS x ANSWERS saves per run, each run cut at RUN_SECONDS. PostgreSQL
comes from TEST_POSTGRES_URL; without it the benchmark runs itself under `scripts/with-postgres.sh`.
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from sqlalchemy import select

from assessment import serve
from assessment.engine.question_types import QuestionType
from assessment.engine.questionnaire import Role
from assessment.factory import create_app
from assessment.services import accounts
from assessment.services import assessments as service
from assessment.services.audit import Actor
from assessment.storage.database import make_engine, session
from assessment.storage.migrate import upgrade
from assessment.storage.models import Answer, Respondent
from bench.sandbox import throwaway_database
from bench.server import ROOT, Browser, Server, csrf_token

RESPONDENTS = int(os.environ.get("BENCH_LOAD_RESPONDENTS", "50"))
ANSWERS = int(os.environ.get("BENCH_LOAD_ANSWERS", "50"))
RUN_SECONDS = 90.0
KILL_AFTER = 1 / 3
# One key for the server before and after the kill, so sessions and CSRF tokens survive it.
SECRET = "load-benchmark"  # noqa: S105 - a throw-away server's key
DATABASE = "crmgate_load"


@dataclass(frozen=True)
class Invitee:
    token: str
    answers: tuple[tuple[str, str, str], ...]  # (area, question, option) in the order they are given


@dataclass
class Tally:
    acknowledged: dict[tuple[str, str, str], object] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    retries: int = 0
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def retry(self) -> None:
        with self.lock:
            self.retries += 1

    def ack(self, key: tuple[str, str, str], value: object, seconds: float) -> None:
        with self.lock:
            self.acknowledged[key] = value
            self.latencies.append(seconds)


def seed(url: str, count: int) -> list[Invitee]:
    """A workspace, an assessment and `count` project managers invited to it, each with ANSWERS answers to give."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    upgrade(app.extensions["db_engine"])
    definitions = app.extensions["definitions"]
    questions = [
        (area.id, question)
        for area in definitions.questionnaires
        for question in area.for_role(Role.PROJECT_MANAGER)
        if question.show_if is None and question.options and question.type != QuestionType.MULTIPLE_CHOICE
    ][:ANSWERS]
    assert len(questions) == ANSWERS, f"only {len(questions)} plain questions for a project manager"
    with app.app_context():
        workspace, owner = accounts.create_workspace(session(), "Load test", "load@example.com", "Load", "load-pw-1")
        organisation = service.create_organisation(
            session(), workspace, service.OrganisationDetails("Load test Ltd", "Testing", "b2b")
        )
        assessment = service.create_assessment(
            session(), definitions, organisation, service.AssessmentDetails("Any CRM", "cloud", 100, None, "Lead")
        )
        actor = Actor("user", owner.id, owner.email)
        respondents = []
        for number in range(count):
            invited = service.invite(session(), assessment, f"Respondent {number}", None, Role.PROJECT_MANAGER, actor)
            answers = tuple(
                (area, q.id, q.options[(number + position) % len(q.options)].id)
                for position, (area, q) in enumerate(questions)
            )
            respondents.append(Invitee(str(invited.token), answers))
    app.extensions["db_engine"].dispose()
    return respondents


WAS = re.compile(r'name="_was-([^"]+)" value="([^"]*)"')


def answer(server: Server, respondent: Invitee, tally: Tally, deadline: float) -> None:
    """One respondent giving their answers, page by page, retrying what got no answer until `deadline`."""
    browser = Browser(server.url, timeout=15)
    for area, given in groupby(respondent.answers, key=lambda a: a[0]):
        page = None
        while page is None and time.monotonic() < deadline:
            try:
                reply = browser.get(f"/r/{respondent.token}/{area}")
                if reply.status == 200:
                    page = reply.text
                    continue
            except (OSError, http.client.HTTPException):
                pass
            tally.retry()
            time.sleep(0.05)
        if page is None:
            return
        token = csrf_token(page)
        was = {question: html.unescape(value) for question, value in WAS.findall(page)}
        for _, question, option in given:
            form = [("_q", question), (f"_was-{question}", was.get(question, "")), (f"a-{question}", option)]
            headers = {"X-CSRFToken": token, "Accept": "application/json"}
            while time.monotonic() < deadline:
                start = time.perf_counter()
                try:
                    reply = browser.post(f"/r/{respondent.token}/{area}/autosave", form, headers)
                except (OSError, http.client.HTTPException):
                    reply = None
                if reply is not None and reply.status == 200:
                    body = json.loads(reply.text)
                    if body.get("saved"):
                        value = body["values"][question]
                        was[question] = json.dumps(value)
                        tally.ack((respondent.token, area, question), value, time.perf_counter() - start)
                        break
                if reply is not None and 400 <= reply.status < 500 and reply.status != 429:
                    with tally.lock:
                        tally.refused.append(f"{area}.{question}: {reply.status} {reply.text[:200]}")
                    break
                tally.retry()  # no answer, a 5xx or a 429: as the page would, try again
                time.sleep(0.05)
    browser.close()


@dataclass(frozen=True)
class Outcome:
    name: str
    saves: int
    acknowledged: int
    stored: int
    lost: int
    seconds: float
    latencies: list[float]
    retries: int
    refused: list[str]
    outage: float | None

    def line(self) -> str:
        ordered = sorted(self.latencies) or [0.0]
        p50 = statistics.median(ordered)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        rate = self.acknowledged / self.seconds if self.seconds else 0.0
        return (
            f"{self.name:<6} acknowledged {self.acknowledged:>5} of {self.saves}  stored {self.stored:>5}  "
            f"lost {self.lost}  {rate:6.1f} saves/s  p50 {p50 * 1e3:6.1f} ms  p99 {p99 * 1e3:7.1f} ms  "
            f"retries {self.retries}" + (f"  (down {self.outage:.1f} s)" if self.outage is not None else "")
        )


def stored_answers(url: str, tokens: list[str]) -> dict[tuple[str, str, str], object]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Respondent.token, Answer.area, Answer.question, Answer.value)
            .join(Answer, Answer.respondent_id == Respondent.id)
            .where(Respondent.token.in_(tokens))
        ).all()
    engine.dispose()
    return {(str(token), area, question): value for token, area, question, value in rows}


def run(name: str, server: Server, respondents: list[Invitee], url: str, kill: bool) -> Outcome:
    tally = Tally()
    saves = sum(len(r.answers) for r in respondents)
    start = time.monotonic()
    deadline = start + RUN_SECONDS
    threads = [threading.Thread(target=answer, args=(server, r, tally, deadline)) for r in respondents]
    for thread in threads:
        thread.start()
    outage = None
    while any(thread.is_alive() for thread in threads):
        if kill and outage is None and len(tally.acknowledged) >= saves * KILL_AFTER:
            down = time.monotonic()
            server.kill()  # kill -9 of the whole process group, mid-run
            server.start()
            outage = time.monotonic() - down
        time.sleep(0.01)
    seconds = time.monotonic() - start
    stored = stored_answers(url, [r.token for r in respondents])
    lost = sum(1 for key, value in tally.acknowledged.items() if stored.get(key) != value)
    return Outcome(
        name,
        saves,
        len(tally.acknowledged),
        len(stored),
        lost,
        seconds,
        tally.latencies,
        tally.retries,
        tally.refused,
        outage,
    )


def main() -> int:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        wrapper = str(ROOT / "scripts" / "with-postgres.sh")
        return subprocess.call([wrapper, sys.executable, "-m", "bench.load"])  # noqa: S603 - our own script
    with tempfile.TemporaryDirectory(prefix="crmgate-load-") as folder, throwaway_database(base, DATABASE) as url:
        os.environ["CRMGATE_INSTANCE"] = folder
        respondents = seed(url, 2 * RESPONDENTS)
        env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "CRMGATE_INSTANCE": folder}
        server = Server(env, Path(folder) / "server.log")
        server.start()
        try:
            workers, threads = len(server.workers()), serve.threads  # the settings the server read too
            print(f"{RESPONDENTS} respondents x {ANSWERS} answers, autosaved one at a time through their links;")
            print(f"gunicorn {workers} workers x {threads} threads on 127.0.0.1, PostgreSQL")
            outcomes = [
                run("steady", server, respondents[:RESPONDENTS], url, kill=False),
                run("kill", server, respondents[RESPONDENTS:], url, kill=True),
            ]
        finally:
            server.kill()
    failed = False
    for outcome in outcomes:
        print(outcome.line())
        for refusal in outcome.refused[:5]:
            print(f"  refused: {refusal}")
        failed |= outcome.lost > 0 or bool(outcome.refused) or outcome.acknowledged < outcome.saves
    steady, killed = outcomes
    failed |= steady.acknowledged != steady.stored
    print(
        f"goals: steady acknowledged = stored: {'ok' if steady.acknowledged == steady.stored else 'MISSED'}; "
        f"acknowledged-but-lost = 0 after kill -9: {'ok' if killed.lost == 0 and steady.lost == 0 else 'MISSED'}"
    )
    if any(o.acknowledged < o.saves for o in outcomes):
        print(f"MISSED: not every save was acknowledged within {RUN_SECONDS:g} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
