"""The schema comes from migrations only, and the migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from assessment.storage.database import make_engine
from assessment.storage.migrate import upgrade
from assessment.storage.models import Base


def test_the_migrated_schema_matches_the_models_exactly(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_an_up_to_date_database_changes_nothing(database_url: str) -> None:
    engine = make_engine(database_url)
    before = sorted(inspect(engine).get_table_names())
    upgrade(engine)
    assert sorted(inspect(engine).get_table_names()) == before
    assert {"organisations", "assessments", "respondents", "answers", "definition_snapshots"} <= set(before)
    engine.dispose()
