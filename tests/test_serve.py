"""The production server (`make serve`, `make run`): gunicorn with `assessment/serve.py`'s settings.

It serves, logs requests without their secret tokens, leaves no process holding the port when its
master is killed, starts without WeasyPrint, and two app processes share rate limits and sessions
through one PostgreSQL and one Redis.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import redis

from assessment.factory import create_app
from assessment.serve import mask, post_worker_init
from assessment.storage.database import make_engine
from assessment.storage.migrate import upgrade
from bench.sandbox import throwaway_database
from bench.server import ROOT, Browser, Server, csrf_token, group_members, port_is_free, running, serving, wait_until
from tests.conftest import OWNER, add_workspace


def _settings(env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import assessment.serve as s; print(s.workers, s.threads, s.bind, s.graceful_timeout, s.worker_class)"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CRMGATE_")} | dict(env)
    return subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_workers_threads_and_address_come_from_the_environment() -> None:
    chosen = _settings({"CRMGATE_WORKERS": "3", "CRMGATE_THREADS": "5", "CRMGATE_BIND": "127.0.0.1:8123"})
    assert chosen.stdout.split() == ["3", "5", "['127.0.0.1:8123']", "30", "gthread"]
    default = _settings({})
    workers, threads, bind = default.stdout.split()[:3]
    assert 1 <= int(workers) <= min(4, len(os.sched_getaffinity(0))) and threads == "8"
    assert bind == "['127.0.0.1:5000']"  # loopback unless told otherwise


@pytest.mark.parametrize(("name", "value"), [("CRMGATE_WORKERS", "many"), ("CRMGATE_THREADS", "0")])
def test_a_bad_worker_or_thread_count_is_refused_by_name(name: str, value: str) -> None:
    refused = _settings({name: value})
    assert refused.returncode != 0 and name in refused.stderr and value in refused.stderr


def test_access_logs_mask_respondent_invitation_and_reset_tokens() -> None:
    assert mask("GET /r/AbC-123_x/goals/autosave HTTP/1.1") == "GET /r/***/goals/autosave HTTP/1.1"
    assert mask("GET /join/tok3n HTTP/1.1") == "GET /join/*** HTTP/1.1"
    assert mask("POST /password/reset/t0k?x=1 HTTP/1.1") == "POST /password/reset/***?x=1 HTTP/1.1"
    assert mask("GET /assessments/1234/answers/goals HTTP/1.1") == "GET /assessments/1234/answers/goals HTTP/1.1"


def test_creating_the_app_does_not_import_weasyprint(tmp_path: Path) -> None:
    """WeasyPrint costs more to import than the rest of the app: only a PDF render loads it."""
    code = (
        "import sys; from assessment.factory import create_app; "
        f"create_app({{'DATABASE_URL': 'sqlite:///{tmp_path}/x.sqlite3', 'SECRET_KEY': 'x'}}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'matplotlib')))"
    )
    env = {**os.environ, "CRMGATE_INSTANCE": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.fixture
def sqlite_env(tmp_path: Path, sqlite_template: Path) -> dict[str, str]:
    database = tmp_path / "crmgate.sqlite3"
    shutil.copy(sqlite_template, database)
    return {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "serve-test",
        "CRMGATE_INSTANCE": str(tmp_path / "instance"),
        "CRMGATE_WORKERS": "2",
        "CRMGATE_THREADS": "2",
    }


def test_the_production_server_serves_pages_and_health_and_logs_requests_without_tokens(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    with serving(sqlite_env, tmp_path / "server.log") as server:
        browser = Browser(server.url, keep_alive=False)
        assert browser.get("/").headers["Location"].endswith("/setup")  # an empty database: first run
        setup = browser.get("/setup")
        assert setup.status == 200 and 'name="password"' in setup.text
        assert not any(ch.isdigit() for ch in setup.headers.get("Server", ""))  # no version to look up exploits for
        assert browser.get("/healthz").status == 200
        assert browser.get("/readyz").status == 200
        assert browser.get("/r/a-secret-respondent-token/").status == 404
        assert len(server.workers()) == 2
        assert wait_until(lambda: "/r/***/" in server.tail(200), 5), server.tail()
    log = server.log.read_text()
    assert '"GET /setup HTTP/1.1" 200' in log and '"GET /readyz HTTP/1.1" 200' in log
    assert "a-secret-respondent-token" not in log


@pytest.mark.parametrize(("proxies", "without_referer"), [("0", 422), ("1", 400)])
def test_only_crmgate_trusted_proxies_decides_whether_a_forwarded_https_counts(
    sqlite_env: dict[str, str], tmp_path: Path, proxies: str, without_referer: int
) -> None:
    """A local client claiming HTTPS: believed (so a form must then name its Referer) only behind a trusted proxy."""
    with serving(sqlite_env | {"CRMGATE_TRUSTED_PROXIES": proxies}, tmp_path / "server.log") as server:
        browser = Browser(server.url, keep_alive=False)
        token = csrf_token(browser.get("/setup").text)  # an empty database: the first-run form
        claimed = browser.post("/setup", {"csrf_token": token}, {"X-Forwarded-Proto": "https"})
        assert claimed.status == without_referer, claimed.text


def test_killing_the_master_frees_the_port_for_a_restart_and_a_graceful_stop_ends_every_process(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    with serving(sqlite_env, tmp_path / "first.log") as first:
        workers = first.workers()
        assert len(workers) == 2
        os.kill(first.pid, signal.SIGKILL)  # the master only, as `kill -9 <pid>` would
        first.process.wait()
        # The workers notice (the kernel signals them, gunicorn also checks its parent) and let go of the port.
        assert wait_until(lambda: not any(running(pid) for pid in workers), 15), first.tail()
        assert port_is_free(first.port), "an orphaned worker still holds the port"

    second = Server(sqlite_env, tmp_path / "second.log", first.port)
    try:
        second.start()  # the same port, at once
        assert Browser(second.url, keep_alive=False).get("/healthz").status == 200
        assert second.stop() == 0  # SIGTERM: workers finish what they hold, then everything exits
        assert not group_members(second.pid)
        assert port_is_free(second.port)
    finally:
        second.kill()


def test_ctrl_c_stops_master_and_workers_at_once_and_frees_the_port(sqlite_env: dict[str, str], tmp_path: Path) -> None:
    """A terminal's Ctrl-C signals the whole group; no worker may hang on it until the master kills it 30 s later."""
    with serving(sqlite_env, tmp_path / "server.log") as server:
        browser = Browser(server.url, keep_alive=False)
        for url in ("/healthz", "/readyz", "/setup", "/healthz"):
            browser.get(url)
        started = server.pid
        os.killpg(started, signal.SIGINT)
        assert wait_until(lambda: not group_members(started), 10), server.tail()
        assert port_is_free(server.port)


def test_a_worker_quits_once_however_many_signals_arrive_and_leaves_ctrl_c_to_its_master() -> None:
    calls: list[int] = []

    class Worker:
        def handle_quit(self, sig: int, _frame: object) -> None:
            calls.append(sig)
            handler = signal.getsignal(signal.SIGQUIT)
            assert callable(handler)
            handler(signal.SIGQUIT, None)  # a second signal while the first is being handled

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGQUIT)}
    try:
        post_worker_init(Worker())
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        handler = signal.getsignal(signal.SIGQUIT)
        assert callable(handler)
        handler(signal.SIGQUIT, None)
        assert calls == [signal.SIGQUIT]
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


# -- two app processes, one PostgreSQL, one Redis ----------------------------------------------


@pytest.fixture
def shared_database() -> Iterator[str]:
    """A migrated PostgreSQL database of its own, for servers running outside the test process."""
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        pytest.skip("no PostgreSQL server: `make test` starts one and sets TEST_POSTGRES_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with throwaway_database(base, f"crmgate_serve_{worker}") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


def _failed_sign_ins_until_limited(urls: list[str], email: str) -> tuple[int, set[str]]:
    """Wrong passwords sent round-robin to `urls` until one answers 429: how many failed first, and where."""
    browser = Browser(urls[0], keep_alive=False)
    token = csrf_token(browser.get("/login").text)
    answered: set[str] = set()
    for attempt in range(200):
        url = urls[attempt % len(urls)]
        browser.host, browser.port = "127.0.0.1", int(url.rsplit(":", 1)[1])
        reply = browser.post("/login", {"email": email, "password": "a wrong guess", "csrf_token": token})
        if reply.status == 429:
            return attempt, answered
        assert reply.status == 422, (url, reply.status)  # a CSRF token from one process is good on the other
        answered.add(url)
    raise AssertionError("200 wrong passwords and never limited")


def test_two_app_processes_share_the_sign_in_limit_and_sessions(
    shared_database: str, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": shared_database, "SECRET_KEY": "x"})
    owner = add_workspace(app, "Acme consultancy", *OWNER)
    app.extensions["db_engine"].dispose()
    store = redis.Redis.from_url(redis_url)

    env = {
        "DATABASE_URL": shared_database,
        "RATELIMIT_STORAGE_URI": redis_url,
        "SECRET_KEY": "one-secret-for-every-process",
        "CRMGATE_INSTANCE": str(tmp_path / "instance"),
        "CRMGATE_WORKERS": "1",
        "CRMGATE_THREADS": "2",
    }
    with serving(env, tmp_path / "a.log") as a, serving(env, tmp_path / "b.log") as b:
        assert Browser(a.url).get("/readyz").status == 200 and Browser(b.url).get("/readyz").status == 200

        # (a) The limit one process allows is the limit both allow together.
        alone, _ = _failed_sign_ins_until_limited([a.url], owner.email)
        store.flushdb()
        together, answered = _failed_sign_ins_until_limited([a.url, b.url], owner.email)
        assert alone >= 2 and together == alone, (alone, together)
        assert answered == {a.url, b.url}
        store.flushdb()

        # (b) A session made on one process is honoured by the other.
        browser = Browser(a.url, keep_alive=False)
        token = csrf_token(browser.get("/login").text)
        signed_in = browser.post("/login", {"email": owner.email, "password": owner.password, "csrf_token": token})
        assert signed_in.status == 302, signed_in.text
        browser.host, browser.port = "127.0.0.1", b.port
        page = browser.get("/")
        assert page.status == 200 and "Acme consultancy" in page.text
        assert Browser(b.url, keep_alive=False).get("/").status == 302  # and not without the cookie
    store.close()


def test_a_persian_named_organisations_pdf_downloads_under_the_production_server(
    sqlite_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gunicorn refuses a header that is not Latin-1: the file name travels as RFC 5987 `filename*`."""
    monkeypatch.setenv("CRMGATE_INSTANCE", sqlite_env["CRMGATE_INSTANCE"])
    app = create_app({"DATABASE_URL": sqlite_env["DATABASE_URL"], "SECRET_KEY": sqlite_env["SECRET_KEY"]})
    owner = add_workspace(app, "دفتر پروژه", *OWNER)
    with app.app_context():
        from assessment.services import assessments
        from assessment.storage.database import session
        from assessment.storage.models import Workspace

        organisation = assessments.create_organisation(
            session(),
            session().get(Workspace, owner.workspace_id),
            assessments.OrganisationDetails(organisation_name="شرکت پارسیان", industry="پخش", business_type="b2b"),
        )
        assessment = assessments.create_assessment(
            session(),
            app.extensions["definitions"],
            organisation,
            assessments.AssessmentDetails(
                crm_product="دیدار", deployment="cloud", crm_users=20, go_live=None, lead_name="سارا"
            ),
        )
        url = f"/assessments/{assessment.id}/report.pdf"
    app.extensions["db_engine"].dispose()
    with serving(sqlite_env, tmp_path / "server.log") as server:
        browser = Browser(server.url, keep_alive=False)
        token = csrf_token(browser.get("/login").text)
        assert (
            browser.post("/login", {"email": owner.email, "password": owner.password, "csrf_token": token}).status
            == 302
        )
        reply = browser.get(url, {"Accept-Language": "fa"})
        assert reply.status == 200, server.tail()
        assert "filename*=UTF-8''crm-gate-%D8%B4%D8%B1%DA%A9%D8%AA-" in reply.headers["Content-Disposition"]
        assert reply.headers["Content-Type"] == "application/pdf"
