"""The schema comes from migrations only, and the migrations match the models."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from assessment.storage.database import make_engine
from assessment.storage.migrate import downgrade, upgrade
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


def test_each_migration_since_workspaces_upgrades_and_downgrades_a_database_holding_data(tmp_path: Path) -> None:
    """Foreign keys are on: a migration that rebuilt a referenced table would fail here, not in production."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0007")
    workspace, user = uuid.uuid4().hex, uuid.uuid4().hex
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO workspaces (id, name, created_at) VALUES (?, 'Pars', '2026-01-01')", (workspace,)
        )
        connection.exec_driver_sql(
            "INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, 'a@b.c', 'A', 'x', '2026-01-01')",
            (user,),
        )
        connection.exec_driver_sql(
            "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, 'owner', '2026-01-01')",
            (workspace, user),
        )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name, rial_in_toman FROM workspaces").all() == [("Pars", 0)]
    downgrade(engine, "0007")
    assert "rial_in_toman" not in {c["name"] for c in inspect(engine).get_columns("workspaces")}
    engine.dispose()
