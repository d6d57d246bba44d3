"""Long lists: many assessments made through the services, and the SQL statements a request runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from assessment.engine.questionnaire import Role
from assessment.services import assessments as service
from assessment.services.audit import SYSTEM
from assessment.storage.database import session
from assessment.storage.models import Organisation, Workspace
from tests.conftest import Member


def add_assessments(app: Flask, owner: Member, count: int, organisation_name: str | None = None) -> None:
    """`count` assessments in `owner`'s workspace, each with a respondent invited (an entry in the audit trail),
    each of an organisation of its own, or all of the one organisation named."""
    with app.app_context():
        db = session()
        workspace = db.get(Workspace, owner.workspace_id)
        shared = None
        if organisation_name is not None:
            found = db.query(Organisation).filter_by(workspace_id=workspace.id, name=organisation_name).one_or_none()
            shared = found or _organisation(workspace, organisation_name)
        start = db.query(Organisation).filter_by(workspace_id=owner.workspace_id).count()
        for number in range(start, start + count):
            organisation = shared or _organisation(workspace, f"Organisation {number:04d}")
            details = service.AssessmentDetails(f"CRM {number:04d}", "cloud", 10 + number, None, "Maryam")
            assessment = service.create_assessment(db, app.extensions["definitions"], organisation, details)
            service.invite(db, assessment, f"Reza {number:04d}", None, Role.IT, SYSTEM)


def _organisation(workspace: Workspace, name: str) -> Organisation:
    details = service.OrganisationDetails(name, "Retail", "b2c")
    return service.create_organisation(session(), workspace, details)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run on the app's database inside the block, in order."""
    run: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        run.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield run
    finally:
        event.remove(engine, "before_cursor_execute", note)


def row_headers(page: str) -> list[str]:
    """The text of each body row's header cell: the names a list shows, in order."""
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<th scope="row">(.*?)</th>', page, re.S)]


def link(page: str, rel: str) -> str | None:
    """Where a page's `rel` ("next", "prev") link points, unescaped."""
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return found.group(1).replace("&amp;", "&") if found else None
