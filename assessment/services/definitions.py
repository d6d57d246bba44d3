"""Which questionnaire version an assessment uses: the current one, or the one it pinned."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from assessment.definitions.loader import load_sources
from assessment.engine.questionnaire import Definitions
from assessment.storage.models import DefinitionSnapshot

_pinned: dict[str, Definitions] = {}
"""Parsed snapshots by digest; content-addressed, so never stale."""


def current() -> Definitions:
    """The definitions loaded and validated at start-up."""
    return current_app.extensions["definitions"]


def pin(session: Session, definitions: Definitions) -> str:
    """Store `definitions` once by digest, so an assessment can refer to them forever."""
    if session.get(DefinitionSnapshot, definitions.digest) is None:
        session.add(DefinitionSnapshot(digest=definitions.digest, sources=dict(definitions.sources)))
    _pinned.setdefault(definitions.digest, definitions)
    return definitions.digest


def pinned(session: Session, digest: str) -> Definitions:
    """The definitions an assessment started with, whatever the YAML files say today."""
    if digest not in _pinned:
        snapshot = session.get(DefinitionSnapshot, digest)
        if snapshot is None:
            raise LookupError(f"no definitions with digest {digest}")
        _pinned[digest] = load_sources(snapshot.sources)
    return _pinned[digest]
