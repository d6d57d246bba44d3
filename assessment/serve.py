"""The production server's settings: `gunicorn -c python:assessment.serve app:app` (what `make serve` runs).

Gunicorn reads the module-level names below that are its settings and ignores the rest. Everything
a deployment changes comes from the environment:

| variable | default | meaning |
|---|---|---|
| `CRMGATE_BIND` | `127.0.0.1:5000` | address and port, or `unix:PATH` |
| `CRMGATE_WORKERS` | CPU cores available, at most 4 | worker processes |
| `CRMGATE_THREADS` | 8 | threads per worker: requests each worker serves at once |
| `CRMGATE_GRACEFUL_TIMEOUT` | 30 | seconds a stopping worker has to finish the requests it holds |

Workers never outlive their master: each asks the kernel for SIGTERM when the master dies (even by
`kill -9`), and gunicorn's own check of the parent process backs that up; and Ctrl-C stops every
worker at once (see `post_worker_init`). So a restart never finds the port held.

Access logs go to standard output with respondent, invitation and reset tokens masked: a token in a
log would open someone's answers or account.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import sys
from typing import Any

from gunicorn.glogging import Logger

from assessment.config import ConfigError, count


def default_workers() -> int:
    """One worker per core this process may use, at most 4: with 8 threads each that stays well
    inside PostgreSQL's default 100 connections, and SQLite serialises writes anyway."""
    return max(1, min(len(os.sched_getaffinity(0)), 4))


bind = [os.environ.get("CRMGATE_BIND", "127.0.0.1:5000")]
worker_class = "gthread"
try:
    workers = count("CRMGATE_WORKERS", default_workers(), least=1)
    threads = count("CRMGATE_THREADS", 8, least=1)
    graceful_timeout = count("CRMGATE_GRACEFUL_TIMEOUT", 30, least=0)
except ConfigError as error:
    raise SystemExit(str(error)) from None  # the reason alone: gunicorn would bury it in a traceback
# A worker whose main loop is silent this long is restarted; requests run on its threads, so a long
# PDF render (bounded by report/pdf.py's own time limit) does not count against it.
timeout = 30
keepalive = 5
proc_name = "crmgate"
# Whether a front-end's X-Forwarded-* headers count is decided in one place, the app's CRMGATE_TRUSTED_PROXIES
# (ProxyFix). Gunicorn believes none: it trusts no peer (its default trusts 127.0.0.1), and since it trusts a
# unix socket's peer whatever this says, it is given no scheme headers to read either.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
# Gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which two
# servers on one machine would fight over; nothing here uses it.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

SECRET_PATH = re.compile(r"(?<=/r/)[^/?\s]+|(?<=/join/)[^/?\s]+|(?<=/password/reset/)[^/?\s]+")
"""Path segments that are bearer secrets: respondent links, member invitations, password resets."""


def mask(text: str) -> str:
    return SECRET_PATH.sub("***", text)


class MaskingLogger(Logger):
    """Gunicorn's logger, with secret tokens masked in the request line and path of access logs."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "{raw_uri}e", "{path_info}e", "{request_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask(atoms[key])
        return atoms


logger_class = MaskingLogger

PR_SET_PDEATHSIG = 1
"""prctl(2): the signal the kernel sends a process when its parent dies."""


def die_with_parent(sig: int = signal.SIGTERM) -> bool:
    """Ask the kernel to send `sig` to this process when its parent dies; False where there is no prctl."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    return True


def post_worker_init(worker: Any) -> None:
    """Ctrl-C reaches the whole foreground process group: the master, which tells its workers to quit
    (SIGQUIT), and each worker itself. Gunicorn's quit handler is not re-entrant: a second signal in
    the middle of the first deadlocks the worker on its thread pool's lock, holding the port until the
    master kills it 30 s later. So a worker leaves SIGINT to the master and quits once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    handle_quit = worker.handle_quit
    quitting = False

    def quit_once(sig: int, frame: Any) -> None:
        nonlocal quitting
        if not quitting:
            quitting = True
            handle_quit(sig, frame)

    signal.signal(signal.SIGQUIT, quit_once)


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker: SIGTERM (finish what it holds, then exit) as soon as the master is gone."""
    die_with_parent(signal.SIGTERM)
    if os.getppid() != server.pid:
        # The master died between the fork and the request above: no signal will come.
        os.kill(os.getpid(), signal.SIGTERM)
