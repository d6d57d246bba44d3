"""Backups of PostgreSQL need its client tools, which a machine serving SQLite has no reason to install."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.storage import backup
from assessment.storage.database import make_engine


def test_a_postgresql_backup_without_pg_dump_names_the_package_to_install_and_writes_nothing(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    engine = make_engine(postgres_url)
    with pytest.raises(backup.BackupError, match="pg_dump is not installed: .* postgresql-client"):
        backup.backup(engine, tmp_path / "crmgate.backup")
    engine.dispose()
    assert list(tmp_path.iterdir()) == []
