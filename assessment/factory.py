"""The composition root: `create_app` is a short list of `register_*` calls."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from assessment import cli, config
from assessment.config import ROOT
from assessment.definitions.loader import load_directory
from assessment.definitions.problems import DefinitionError
from assessment.services import summaries
from assessment.storage import database
from assessment.web import access, errors, health, i18n, limits, security
from assessment.web.api import views as api
from assessment.web.assessments import organisations
from assessment.web.assessments import views as assessments
from assessment.web.auth import views as auth
from assessment.web.economics import views as economics
from assessment.web.paper import views as paper
from assessment.web.pipeline import views as pipeline
from assessment.web.quick_scan import views as quick_scan
from assessment.web.report import views as report
from assessment.web.results import views as results
from assessment.web.sheets import views as sheets
from assessment.web.survey import finish
from assessment.web.survey import views as survey
from assessment.web.webhooks import outbox
from assessment.web.webhooks import views as webhooks
from assessment.web.workspace import views as workspace


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment, with `overrides` for tests."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("CRMGATE_INSTANCE", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config.load(app.instance_path, overrides))
    register_proxies(app)
    register_definitions(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_proxies(app: Flask) -> None:
    """Behind `TRUSTED_PROXIES` reverse proxies, read the client's address, the scheme (HTTPS) and the host
    from their X-Forwarded-For, -Proto and -Host headers; with none, ignore them, as anyone can send them."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]  # Flask types wsgi_app as a method; wrapping it is the documented way


def register_definitions(app: Flask) -> None:
    """Load and validate the questionnaires; refuse to start on any problem."""
    directory = app.config["QUESTIONNAIRES_DIR"]
    try:
        app.extensions["definitions"] = load_directory(directory, app.config["LANGUAGES"])
    except DefinitionError as error:
        raise config.ConfigError(
            f"The questionnaire definitions in {directory} are invalid, so CRM Gate will not start:\n{error}"
        ) from None


def register_extensions(app: Flask) -> None:
    """Database (summaries kept current, webhooks sent after each commit), sign-in and CSRF protection,
    rate limits, translations and security headers."""
    database.init_app(app)
    summaries.install(app.extensions["db_sessions"])
    outbox.init_app(app)
    access.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    security.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Health checks first, then the pages; the survey is mounted twice: for the assessment's lead and for invitees."""
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(organisations.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(economics.bp)
    app.register_blueprint(report.bp)
    app.register_blueprint(sheets.bp)
    app.register_blueprint(paper.bp, url_prefix="/assessments/<uuid:assessment_id>")
    app.register_blueprint(workspace.bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(pipeline.bp)
    app.register_blueprint(quick_scan.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(survey.bp, url_prefix="/assessments/<uuid:assessment_id>/answers")
    app.register_blueprint(survey.bp, name="respond", url_prefix="/r/<token>")
    app.register_blueprint(finish.bp, url_prefix="/r/<token>")


def register_errorhandlers(app: Flask) -> None:
    """Error pages, with the session rolled back after a failure."""
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """`flask db`, `demo`, `assess`, `users`, `workspaces`, `respondents`, `summaries`, `webhooks`; `flask
    questionnaires` is a package entry point."""
    for group in (
        cli.db,
        cli.demo,
        cli.assess,
        cli.users,
        cli.workspaces,
        cli.respondents,
        cli.summaries_group,
        cli.webhooks_group,
    ):
        app.cli.add_command(group)
