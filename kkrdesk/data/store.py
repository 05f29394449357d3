"""Opening, migrating and guarding the content store.

One SQLite file through sqlite-utils: WAL, foreign keys on, schema version in
PRAGMA user_version. An older store is backed up and upgraded; a newer one is
refused, because silently writing an old schema into it would lose data.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kkrdesk.data.lazydb import LazyDatabase
from kkrdesk.data.schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils import Database


class StoreError(Exception):
    """A store that cannot be opened or changed; the message is meant for the user."""


class ReadOnlyStoreError(StoreError):
    pass


@dataclass
class Store:
    db: Database
    path: Path | None
    read_only: bool = False

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def ensure_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(
                f"{self.path.name if self.path else 'Lageret'}: er skrivebeskyttet (en udgivet pakke kan ikke ændres)"
            )

    def close(self) -> None:
        self.db.close()


def _check_fts5(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp._fts5_probe")
    except sqlite3.OperationalError as exc:  # pragma: no cover - depends on the Python build
        raise StoreError(f"Denne Python's SQLite mangler FTS5-søgning ({exc})") from exc


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    """Bring the store to SCHEMA_VERSION, one migration per transaction."""
    version = schema_version(conn)
    name = path.name if path else "lageret"
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{name}: lavet af en nyere kkrdesk (skemaversion {version}, denne version kender {SCHEMA_VERSION}); opdatér kkrdesk"
        )
    if version == SCHEMA_VERSION:
        return
    if version > 0 and path is not None:
        backup = path.with_name(f"{path.name}.v{version}.bak")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, backup)
    for index in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN")
        try:
            MIGRATIONS[index](conn)
            conn.execute(f"PRAGMA user_version = {index + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def open_store(path: Path | str | None = None, *, read_only: bool = False) -> Store:
    """Open (creating and migrating as needed) a store; path None means in memory."""
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        _check_fts5(conn)
        migrate(conn, None)
        return Store(LazyDatabase(conn), None)
    path = Path(path)
    if read_only:
        if not path.exists():
            raise StoreError(f"{path.name}: findes ikke")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            version = schema_version(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{path.name}: er ikke et kkrdesk-lager ({exc})") from exc
        if version != SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{path.name}: har skemaversion {version}, denne kkrdesk kender {SCHEMA_VERSION}"
            )
        conn.execute("PRAGMA query_only = ON")
        return Store(LazyDatabase(conn), path, read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        _check_fts5(conn)
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path.name}: kan ikke åbnes som kkrdesk-lager ({exc})") from exc
    except StoreError:
        conn.close()
        raise
    return Store(LazyDatabase(conn), path)
