"""Which assessments a transaction changed: named here by code that writes rows in bulk (answers),
noticed by `services/summaries.py` for everything else, and summarised again before it commits."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

PENDING = "crmgate-changed-assessments"
"""Where a session keeps the assessments to summarise before it commits."""


def touch(session: Session, *assessment_ids: uuid.UUID) -> None:
    """Have these assessments summarised again before the session's transaction commits."""
    session.info.setdefault(PENDING, set()).update(assessment_ids)


def take(session: Session) -> set[uuid.UUID]:
    """The assessments touched since the last call, forgotten here."""
    return session.info.pop(PENDING, None) or set()
