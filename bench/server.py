"""The production server as the load benchmark and the serving tests run it, and a small HTTP client.

`Server` starts gunicorn with the repository's settings (`assessment/serve.py`) in a process group of
its own on a loopback port, waits until `/healthz` answers, and can kill the whole group (`kill -9`,
as a crash or an OOM killer would) or stop it gracefully. `Browser` keeps cookies as a browser does.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie, dead but not yet reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def group_members(group: int) -> list[int]:
    """The live processes of process group `group`."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def port_is_free(port: int) -> bool:
    """Whether a new server could bind `port` now, as gunicorn binds (SO_REUSEADDR)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_until(condition: Callable[[], bool], seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@dataclass
class Server:
    """gunicorn serving `app:app` on 127.0.0.1:`port` with `env` over this process's environment."""

    env: Mapping[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, seconds: float = 60) -> None:
        environment = {**os.environ, **self.env, "CRMGATE_BIND": f"127.0.0.1:{self.port}"}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own server, no shell
                [sys.executable, "-m", "gunicorn", "-c", "python:assessment.serve", "app:app"],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so the whole server can be killed at once
            )
        if not wait_until(self._answers, seconds, step=0.1):
            self.kill()
            raise RuntimeError(f"the server did not answer on {self.url} within {seconds:g} s:\n{self.tail()}")

    def _answers(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"the server exited while starting:\n{self.tail()}")
        try:
            return Browser(self.url, timeout=2).get("/healthz").status == 200
        except OSError:
            return False

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def workers(self) -> list[int]:
        """The master's child processes (its workers)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self) -> None:
        """`kill -9` the whole process group: master, workers and anything they started."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait()
        wait_until(lambda: not group_members(self.pid), 10)

    def stop(self, seconds: float = 40) -> int:
        """SIGTERM to the master (a graceful stop); kill whatever is left after `seconds`. The exit status."""
        assert self.process is not None, "not started"
        with suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(seconds)
        finally:
            self.kill()
        return status

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


@contextmanager
def serving(env: Mapping[str, str], log: Path, port: int | None = None) -> Iterator[Server]:
    """A started server, killed with its whole process group however the block ends."""
    server = Server(env, log, port) if port else Server(env, log)
    try:
        server.start()
        yield server
    finally:
        server.kill()


@dataclass(frozen=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str


class Browser:
    """Cookies kept between requests; redirects not followed. One kept-alive connection, unless `keep_alive=False`."""

    def __init__(self, base_url: str, timeout: float = 30, keep_alive: bool = True) -> None:
        host, _, port = base_url.removeprefix("http://").rstrip("/").partition(":")
        self.host, self.port = host, int(port or 80)
        self.timeout = timeout
        self.keep_alive = keep_alive
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Reply:
        return self.request("GET", path, None, headers)

    def post(
        self, path: str, form: Mapping[str, str] | Sequence[tuple[str, str]], headers: Mapping[str, str] | None = None
    ) -> Reply:
        return self.request("POST", path, form, headers)

    def request(
        self,
        method: str,
        path: str,
        form: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        sent = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if not self.keep_alive:
            sent["Connection"] = "close"
        connection = self.connection or http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.connection = None
        try:
            connection.request(method, path, body, sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except BaseException:
            connection.close()
            raise
        if self.keep_alive and not response.will_close:
            self.connection = connection
        else:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if not value or re.search(r"(?i)max-age=0\b|expires=thu, 01 jan 1970", rest):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Reply(response.status, response.headers, text)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def csrf_token(page: str) -> str:
    """The CSRF token every page carries in its head."""
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert found, "the page carries no CSRF token"
    return found.group(1)
