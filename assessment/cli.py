"""Command-line interface: definitions, schema, demo data, users and workspaces."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from flask_babel import force_locale

from assessment.config import ROOT, languages
from assessment.definitions.loader import load_directory
from assessment.definitions.problems import DefinitionError
from assessment.definitions.yaml_source import read_yaml
from assessment.demo import DEMO_LOGIN, seed_demo
from assessment.engine.answers import AnswersError, read_project, read_respondents
from assessment.engine.appraisal import appraise
from assessment.engine.appraisal_json import appraisal_as_json
from assessment.engine.estimates_data import EstimatesError, read_estimates
from assessment.engine.readiness import score, sized
from assessment.engine.readiness_json import result_as_json
from assessment.engine.size import ProjectProfile, profile_of
from assessment.services import accounts, assessments, mail, summaries, webhooks
from assessment.storage import backup, migrate
from assessment.storage.database import session
from assessment.web.invitations import REMINDER, Letter, deliver
from assessment.web.reasons import with_words


@click.group()
def questionnaires() -> None:
    """Questionnaire definitions."""


@questionnaires.command("validate")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def validate(directory: Path | None) -> None:
    """Check every questionnaire file in DIRECTORY (default: the configured one)."""
    directory = directory or Path(os.environ.get("QUESTIONNAIRES_DIR", ROOT / "questionnaires"))
    try:
        definitions = load_directory(directory, languages())
    except DefinitionError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in {directory}; nothing was loaded") from None
    for questionnaire in definitions.questionnaires:
        click.echo(
            f"{questionnaire.id}.yaml: version {questionnaire.version}, {len(questionnaire.questions)} questions"
        )
    click.echo(f"All {len(definitions.questionnaires)} questionnaires are valid (digest {definitions.digest[:12]}).")


@click.group()
def db() -> None:
    """Database schema and backups."""


@db.command("upgrade")
@with_appcontext
def upgrade() -> None:
    """Apply every pending migration."""
    migrate.upgrade(current_app.extensions["db_engine"])
    click.echo("Database is up to date.")


@db.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def revision(message: str) -> None:
    """Write a migration for the difference between the models and the database."""
    migrate.revision(current_app.extensions["db_engine"], message)


@db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_database(path: Path) -> None:
    """Copy the whole database into the new file PATH while the app keeps serving.

    SQLite: a SQLite file, by SQLite's online backup. PostgreSQL: pg_dump's custom format.
    """
    try:
        backup.backup(current_app.extensions["db_engine"], path)
    except backup.BackupError as error:
        raise click.ClickException(f"Nothing was backed up: {error}.") from None
    click.echo(f"The database is backed up to {path}.")


@db.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the data the database holds now.")
@with_appcontext
def restore_database(path: Path, force: bool) -> None:
    """Replace the database's content with the backup PATH, then apply newer migrations.

    Refuses a database that holds data unless told --force.
    """
    try:
        backup.restore(current_app.extensions["db_engine"], path, force)
    except backup.NotEmptyError as error:
        raise click.ClickException(
            f"Nothing was restored: {error}, which restoring would replace. Add --force to replace it."
        ) from None
    except backup.BackupError as error:
        raise click.ClickException(f"Nothing was restored: {error}.") from None
    click.echo(f"The database is restored from {path}.")


@click.group()
def demo() -> None:
    """Demonstration data."""


@demo.command("seed")
@with_appcontext
def seed() -> None:
    """Add the demo organisation with a half-filled assessment, once."""
    assessment, created = seed_demo(session(), current_app.extensions["definitions"])
    state = "Created" if created else "Already present:"
    click.echo(f"{state} demo assessment for {assessment.organisation.name} at /assessments/{assessment.id}")
    click.echo(f"Sign in as {DEMO_LOGIN[0]} with the password {DEMO_LOGIN[1]}")


@click.group()
def assess() -> None:
    """Scoring without the web app."""


@assess.command("score")
@click.argument("answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--preset", help="Area weights preset (the policy's default when omitted).")
@with_appcontext
def score_file(answers_file: Path, preset: str | None) -> None:
    """Score ANSWERS_FILE against the current definitions and print the result as JSON.

    The file holds `answers:` (area -> question id -> answer) for one respondent, or
    `respondents:`, a list of {name, role, answers}; see questionnaires/README.md.
    """
    definitions = current_app.extensions["definitions"]
    if preset is not None and preset not in definitions.policy.presets:
        raise click.BadParameter(f"expected one of: {', '.join(definitions.policy.presets)}", param_hint="--preset")
    data = _read_data(answers_file)
    try:
        respondents = read_respondents(definitions, data)
        project = read_project(data)
    except AnswersError as error:
        for problem in error.problems:
            click.echo(f"{answers_file.name}: {problem}", err=True)
        raise click.ClickException(f"{len(error.problems)} bad answer(s); nothing was scored") from None
    result = score(definitions, respondents, preset, project=project)
    click.echo(
        json.dumps(
            result_as_json(result) | {"definitions_digest": definitions.digest},
            indent=2,
            ensure_ascii=False,
            allow_nan=False,
        )
    )


@assess.command("roi")
@click.argument("estimates_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Answers to score readiness from; without them readiness is unknown and counts as zero.",
)
@click.option("--preset", help="Area weights preset (the policy's default when omitted).")
@click.option("--waive", multiple=True, metavar="KNOCK_OUT=REASON", help="A knock-out the committee waives, and why.")
@click.option("--lang", default="en", show_default=True, help="The language of the reasons in words.")
@with_appcontext
def roi(estimates_file: Path, answers_file: Path | None, preset: str | None, waive: tuple[str, ...], lang: str) -> None:
    """Appraise ESTIMATES_FILE: brochure and risk-adjusted returns, the simulation and the decision, as JSON,
    every reason and step of the path also in words."""
    definitions = current_app.extensions["definitions"]
    if preset is not None and preset not in definitions.policy.presets:
        raise click.BadParameter(f"expected one of: {', '.join(definitions.policy.presets)}", param_hint="--preset")
    waivers = dict(item.partition("=")[::2] for item in waive)
    if any(not reason.strip() for reason in waivers.values()):
        raise click.BadParameter(
            'give each waiver a reason: --waive no_sponsor="Board approved interim sponsor"', param_hint="--waive"
        )
    knock_outs = {k.id for k in definitions.policy.knock_outs}
    if unknown := sorted(set(waivers) - knock_outs):
        raise click.BadParameter(
            f"{', '.join(unknown)}: only a knock-out can be waived ({', '.join(sorted(knock_outs))})",
            param_hint="--waive",
        )
    try:
        estimates = read_estimates(_read_data(estimates_file), definitions.policy.economics)
        answers = _read_data(answers_file) if answers_file else None
        respondents = read_respondents(definitions, answers) if answers_file else []
        project = (read_project(answers) or ProjectProfile()).completed(profile_of(estimates))
    except (EstimatesError, AnswersError) as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(error.problems)} bad entr(ies); nothing was computed") from None
    appraisal = appraise(sized(definitions, respondents, project), respondents, estimates, preset, waivers)
    with force_locale(lang):
        document = with_words(appraisal_as_json(appraisal, estimates.currency), appraisal, definitions)
    click.echo(
        json.dumps(document | {"definitions_digest": definitions.digest}, indent=2, ensure_ascii=False, allow_nan=False)
    )


def _read_data(path: Path) -> object:
    """A YAML file's data, or a ClickException naming the file, the line and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path.name}: cannot be read as UTF-8 text: {error}") from None
    data, _lines, problems = read_yaml(path.name, text)
    if problems:
        raise click.ClickException("\n".join(str(p) for p in problems))
    return data


@click.group()
def users() -> None:
    """Member accounts."""


@users.command("reset-link")
@click.argument("email")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True, help="Where users reach the app.")
@with_appcontext
def reset_link(email: str, base_url: str) -> None:
    """Print a one-time link (valid two hours) for EMAIL to choose a new password."""
    token = accounts.request_password_reset(session(), email)
    if token is None:
        raise click.ClickException(f"no account has the e-mail {email}")
    with current_app.test_request_context(base_url=base_url):
        click.echo(url_for("auth.reset", token=token, _external=True))


@click.group()
def workspaces() -> None:
    """Workspaces."""


@workspaces.command("create")
@click.argument("name")
@click.option("--owner", "email", required=True, help="The owner's e-mail; an existing account is reused.")
@click.option("--owner-name", default="Owner", show_default=True)
@click.password_option(help="The owner's password, for a new account (asked when not given).")
@with_appcontext
def create_workspace(name: str, email: str, owner_name: str, password: str) -> None:
    """Create a workspace NAME owned by --owner."""
    workspace, user = accounts.create_workspace(session(), name, email, owner_name, password)
    click.echo(f"Workspace {workspace.name} created; {user.email} is its owner.")


@click.group()
def respondents() -> None:
    """Respondents of every assessment."""


@respondents.command("remind")
@click.option(
    "--base-url",
    envvar="CRMGATE_BASE_URL",
    required=True,
    help="Where respondents open their links (CRMGATE_BASE_URL).",
)
@with_appcontext
def remind(base_url: str) -> None:
    """E-mail a reminder to every respondent who has an open link and has not finished, at most once per
    CRMGATE_REMIND_DAYS each however often it runs: for a scheduler such as cron."""
    if not mail.configured(current_app.config):
        raise click.ClickException("no mail server is configured: set MAIL_SERVER (see the README)")
    interval = timedelta(days=current_app.config["REMIND_DAYS"])
    sent = failed = 0
    with current_app.test_request_context(base_url=base_url):
        for respondent in assessments.not_finished(session()):
            if not assessments.claim_reminder(session(), respondent, interval):
                continue
            link = url_for("respond.start", token=respondent.token, _external=True)
            letter = Letter(REMINDER, link, assessments.lead_of(respondent.assessment).name)
            if deliver(respondent, letter):
                sent += 1
            else:
                failed += 1
                click.echo(f"not sent to {respondent.email}: {respondent.email_error}", err=True)
    click.echo(f"{sent} reminder(s) sent, {failed} failed.")
    if failed:
        raise SystemExit(1)


@click.group("summaries")
def summaries_group() -> None:
    """The stored assessment summaries the pipeline, the lists and the benchmarks read."""


@summaries_group.command("refresh")
@click.option("--missing", is_flag=True, help="Only the assessments without a summary (after an upgrade).")
@with_appcontext
def refresh_summaries(missing: bool) -> None:
    """Summarise every assessment again: after a policy change, and daily for the qualification's months to
    go-live, which count from today. With --missing, only those without a summary: what `make run` and
    `make serve` do after migrating, so that no first request has to."""
    started = time.monotonic()
    if missing:
        count = summaries.refresh(session(), summaries.missing(session()))
        session().commit()
    else:
        count = summaries.refresh_all(session())
    click.echo(f"{count} assessment(s) summarised in {time.monotonic() - started:.1f} s.")


@click.group("webhooks")
def webhooks_group() -> None:
    """Webhook deliveries to the endpoints workspace owners registered."""


@webhooks_group.command("deliver")
@with_appcontext
def deliver_webhooks() -> None:
    """Send every webhook delivery that is due: retries whose back-off has passed, and first attempts the
    background senders missed; for a scheduler such as cron. A failure is kept and tried again later."""
    delivered, failed = webhooks.deliver_due(session(), current_app.config["WEBHOOKS_ALLOW_PRIVATE"])
    click.echo(f"{delivered} webhook delivery(ies) delivered, {failed} failed (tried again later).")
