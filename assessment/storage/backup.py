"""Backups of the whole database while the app runs, and restoring one: SQLite's online backup API, or
PostgreSQL's own pg_dump and pg_restore (Debian's postgresql-client, of the server's major version or newer)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, table
from sqlalchemy.engine import URL

from assessment.storage import migrate

MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
"""How a backup of each kind of database begins: a SQLite file, or pg_dump's custom format."""


class BackupError(RuntimeError):
    """A backup or restore that was not done; the message says why, and nothing was changed."""


class NotEmptyError(BackupError):
    """Restoring would replace data the database already holds."""

    def __init__(self, rows: int) -> None:
        super().__init__(f"the database already holds {rows} row(s)")
        self.rows = rows


def backup(engine: Engine, target: Path) -> None:
    """Copy the whole database into the new file `target`, complete or not at all."""
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new name, or remove it first")
    if not target.parent.is_dir():
        raise BackupError(f"there is no folder {target.parent}")
    kind = _kind(engine)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".crmgate-backup-") as folder:
        partial = Path(folder) / target.name
        if kind == "sqlite":
            with _sqlite_errors(), closing(engine.raw_connection()) as live, closing(sqlite3.connect(partial)) as copy:
                live.driver_connection.backup(copy)
        else:
            _run("pg_dump", "--format=custom", f"--file={partial}", f"--dbname={_libpq(engine.url)}", url=engine.url)
        partial.replace(target)


def restore(engine: Engine, source: Path, force: bool = False) -> None:
    """Replace the database's content with the backup `source`, then apply any migration newer than it.

    Refuses, changing nothing, when the database holds rows and `force` is not given.
    """
    kind = _kind(engine)
    with source.open("rb") as file:
        if file.read(len(MAGIC[kind])) != MAGIC[kind]:
            raise BackupError(f"{source} is not a {'SQLite' if kind == 'sqlite' else 'pg_dump'} backup")
    rows = _rows(engine)
    if rows and not force:
        raise NotEmptyError(rows)
    if kind == "sqlite":
        saved = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        with _sqlite_errors(), closing(saved), closing(engine.raw_connection()) as live:
            saved.backup(live.driver_connection)
    else:
        options = ("--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction")
        _run("pg_restore", *options, f"--dbname={_libpq(engine.url)}", str(source), url=engine.url)
    engine.dispose()  # pooled connections may remember the schema as it was
    migrate.upgrade(engine)


def _rows(engine: Engine) -> int:
    """Rows in all the database's tables but Alembic's own."""
    names = [name for name in inspect(engine).get_table_names() if name != "alembic_version"]
    with engine.connect() as connection:
        return sum(connection.scalar(select(func.count()).select_from(table(name))) or 0 for name in names)


@contextmanager
def _sqlite_errors() -> Iterator[None]:
    """SQLite's refusals (a locked database, a damaged file) as BackupErrors."""
    try:
        yield
    except sqlite3.Error as error:
        raise BackupError(f"SQLite refused: {error}") from None


def _kind(engine: Engine) -> str:
    kind = engine.dialect.name
    if kind not in MAGIC:
        raise BackupError(f"backups are made of SQLite and PostgreSQL databases, not {kind}")
    return kind


def _libpq(url: URL) -> str:
    """The database as PostgreSQL's own tools name it: no driver, and no password (that goes in PGPASSWORD)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(tool: str, *arguments: str, url: URL) -> None:
    found = shutil.which(tool)
    if found is None:
        raise BackupError(
            f"{tool} is not installed: PostgreSQL backups need Debian's postgresql-client, of the server's "
            "major version or newer"
        )
    environment = os.environ | ({"PGPASSWORD": str(url.password)} if url.password else {})
    done = subprocess.run([found, *arguments], env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()}")
