"""Liveness and readiness for load balancers and orchestrators.

`/healthz`: the process answers. `/readyz`: it can serve, that is the database answers and its schema
is at the revision this code expects (and, when one is configured, the shared rate-limit store
answers); otherwise 503 with the reason. Neither is rate-limited, reads the session or sets a cookie.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from assessment.storage.migrate import alembic_config
from assessment.web.limits import limiter

bp = Blueprint("health", __name__)
limiter.exempt(bp)


@bp.get("/healthz")
def alive() -> Response:
    """The process answers: the one thing liveness means. Also the page benchmark's baseline."""
    return _no_store(Response("ok\n", mimetype="text/plain"))


@bp.get("/readyz")
def ready() -> tuple[Response, int]:
    engine: Engine = current_app.extensions["db_engine"]
    expected = _expected_revisions(current_app)
    try:
        found = _database_revisions(engine)
    except SQLAlchemyError as error:
        current_app.logger.warning("readyz: the database is unreachable: %s", error)
        return _not_ready(f"the database is unreachable ({type(error).__name__})")
    if found != expected:
        at = ", ".join(sorted(found)) or "no revision (never migrated)"
        wanted = ", ".join(sorted(expected))
        return _not_ready(f"the database is at {at}; this code expects {wanted}: run `flask db upgrade`")
    problem = _rate_limit_store_problem()
    if problem:
        return _not_ready(problem)
    return _no_store(jsonify(status="ready", revision=", ".join(sorted(found)))), 200


def _expected_revisions(app: Flask) -> set[str]:
    """The migrations' heads, read once per process: they change only with the code."""
    if "migration_heads" not in app.extensions:
        from alembic.script import ScriptDirectory  # imported here: Alembic is not needed to start

        script = ScriptDirectory.from_config(alembic_config(app.extensions["db_engine"]))
        app.extensions["migration_heads"] = frozenset(script.get_heads())
    return set(app.extensions["migration_heads"])


def _database_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def _rate_limit_store_problem() -> str | None:
    """Sign-ins fail when a configured shared store is down; the in-process default is always there."""
    if not current_app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"):
        try:
            reachable = limiter.storage.check()
        except Exception:  # noqa: BLE001 - any failure of the store means not ready
            reachable = False
        if not reachable:
            return "the rate-limit store (RATELIMIT_STORAGE_URI) is unreachable"
    return None


def _not_ready(reason: str) -> tuple[Response, int]:
    return _no_store(jsonify(status="unavailable", reason=reason)), 503


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
