"""Opening, migrating and guarding the content store.

One SQLite file through sqlite-utils: WAL, foreign keys on, schema version in
PRAGMA user_version. An older store is backed up and upgraded; a newer one is
refused, because silently writing an old schema into it would lose data.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kkrdesk.data import search_index
from kkrdesk.data.lazydb import LazyDatabase
from kkrdesk.data.schema import MIGRATIONS, SCHEMA_VERSION, search_index_tuned, tune_search_index
from kkrdesk.data.section_text import register as register_text_function

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """A store that cannot be opened or changed; the message is meant for the user."""


class ReadOnlyStoreError(StoreError):
    pass


BUSY_MESSAGE = "lageret er optaget af en anden import – venter …"


def lock_timeout() -> float:
    """Seconds a writer waits for another writer before giving up (KKRDESK_LOCK_TIMEOUT overrides)."""
    try:
        return float(os.environ.get("KKRDESK_LOCK_TIMEOUT", "600"))
    except ValueError:
        return 600.0


def _notify_busy(name: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"kkrdesk: {name}: {BUSY_MESSAGE}", file=sys.stderr, flush=True)


def begin_immediate(conn: sqlite3.Connection, name: str = "lageret",
                    notify: Callable[[str], None] = _notify_busy) -> None:
    """Take the write lock up front (BEGIN IMMEDIATE), waiting a bounded time with one message.

    A deferred BEGIN that reads, then writes, fails at once with "database is locked" when
    another writer got in between (no busy wait applies to that upgrade); taking the lock
    first makes the second writer queue instead, and nothing it read can be stale.
    """
    deadline = time.monotonic() + lock_timeout()
    told = False
    conn.execute("PRAGMA busy_timeout = 250")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            if time.monotonic() >= deadline:
                raise StoreError(f"{name}: lageret er optaget af en anden proces; prøv igen senere")
            if not told:
                notify(name)
                told = True
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@functools.cache
def locking_database_class() -> type:
    """sqlite-utils' Database whose outermost `atomic()` takes the write lock up front (#16, point 4).

    Built on first use: importing sqlite-utils (and numpy behind it) is kept off the window's start (#20.5).
    """
    from sqlite_utils import Database

    class LockingDatabase(Database):
        store_name = "lageret"

        @contextlib.contextmanager
        def atomic(self) -> Iterator[Database]:
            with write_transaction(self.conn, self.store_name):
                yield self

    return LockingDatabase


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, name: str = "lageret") -> Iterator[None]:
    """One write transaction: the outermost takes the write lock up front (BEGIN IMMEDIATE, queued
    behind another writer); inside one already open, a savepoint."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT kkrdesk_write")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO kkrdesk_write")
            conn.execute("RELEASE kkrdesk_write")
            raise
        conn.execute("RELEASE kkrdesk_write")
        return
    begin_immediate(conn, name)
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _database(conn: sqlite3.Connection, path: Path | None) -> LazyDatabase:
    """The store's database: plain SQL at once, sqlite-utils (a LockingDatabase) when first needed."""
    name = path.name if path else "lageret"
    register_text_function(conn)   # the FTS triggers unpack section text with it

    def build():
        db = locking_database_class()(conn)
        db.store_name = name
        return db

    return LazyDatabase(conn, build=build, store_name=name)


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


def needs_upgrade(path: Path) -> bool:
    """True when opening this store file will upgrade it (an older schema, holding data): the window
    says so while it happens, since a decade of material takes seconds."""
    if not check_path(path) or not _read_header(path).startswith(SQLITE_HEADER):
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = schema_version(conn)
            if 0 < version < SCHEMA_VERSION:
                return True
            if version != SCHEMA_VERSION:
                return False
            if search_index.needs_build(conn):       # the search's postings are built once (#20)
                return conn.execute("SELECT 1 FROM sections LIMIT 1").fetchone() is not None
            return search_index.pending(conn) > 0    # or a batch was interrupted before they caught up
        finally:
            conn.close()
    except sqlite3.Error:
        return False


SQLITE_HEADER = b"SQLite format 3\x00"
SEALED_HEADER = b"KKRDESK-SEALED-PACK\x00"   # sealed.MAGIC's prefix: a sealed members' pack (#18)


def check_path(path: Path) -> bool:
    """True when `path` is an existing regular file, False when it does not exist yet.

    A folder, a FIFO, a device or an unreadable path is refused with one line: SQLite
    would otherwise block on a FIFO or report something no user can act on.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return False
    except PermissionError as exc:
        raise StoreError(f"{path.name}: ingen adgang ({exc.strerror})") from exc
    except OSError as exc:
        raise StoreError(f"{path.name}: kan ikke læses ({exc.strerror or exc})") from exc
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path.name}: er en mappe, ikke et kkrdesk-lager")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path.name}: er ikke en almindelig fil")
    return True


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(100)
    except OSError as exc:
        raise StoreError(f"{path.name}: kan ikke læses ({exc.strerror or exc})") from exc


def is_pack_file(path: Path | str) -> bool:
    """Whether the file is a published pack, by its content (a pack_info row), whatever its name.

    The peek opens the file `immutable`: no lock, no journal, no -wal/-shm, not a byte changed.
    """
    path = Path(path)
    if not check_path(path):
        return False
    header = _read_header(path)
    if not header:
        return False
    if header.startswith(SEALED_HEADER):
        return True
    if not header.startswith(SQLITE_HEADER):
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return False
    try:
        return conn.execute("SELECT 1 FROM pack_info LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def backup_store(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy through SQLite's backup API: it sees rows still in the WAL, a file copy does not."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        temp.unlink()
    dest = sqlite3.connect(str(temp))
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    os.replace(temp, target)


def migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    """Bring the store to SCHEMA_VERSION, one migration per transaction (backup first, if it held data)."""
    version = schema_version(conn)
    _refuse_newer(version, path)
    if version == SCHEMA_VERSION:
        return
    if version > 0 and path is not None:
        backup_store(conn, path.with_name(f"{path.name}.v{version}.bak"))
    for index in range(version, SCHEMA_VERSION):
        begin_immediate(conn, path.name if path else "lageret")
        if schema_version(conn) > index:   # another process migrated while we waited for the lock
            conn.execute("COMMIT")
            continue
        try:
            MIGRATIONS[index](conn)
            conn.execute(f"PRAGMA user_version = {index + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _refuse_newer(version: int, path: Path | None) -> None:
    if version > SCHEMA_VERSION:
        name = path.name if path else "lageret"
        raise StoreError(
            f"{name}: lavet af en nyere kkrdesk (skemaversion {version}, denne version kender {SCHEMA_VERSION}); opdatér kkrdesk"
        )


def open_store(path: Path | str | None = None, *, read_only: bool = False, immutable: bool = False) -> Store:
    """Open (creating and migrating as needed) a store; path None means in memory.

    A published pack is recognised by its content, whatever its file name, and opened
    read-only through packs.open_pack (validated, immutable): a writing command then
    refuses with one line instead of changing it.
    """
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        _check_fts5(conn)
        migrate(conn, None)
        search_index.ensure(conn)
        return Store(_database(conn, None), None)
    path = Path(path)
    exists = check_path(path)
    if read_only:
        if not exists:
            raise StoreError(f"{path.name}: findes ikke")
        header = _read_header(path)
        if header.startswith(SEALED_HEADER):
            from kkrdesk.data.packs import open_pack

            return open_pack(path)
        if not header.startswith(SQLITE_HEADER):
            raise StoreError(f"{path.name}: er ikke et kkrdesk-lager (ikke en SQLite-fil)")
        flags = "mode=ro&immutable=1" if immutable else "mode=ro"
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{path.name}: kan ikke åbnes ({exc})") from exc
        try:
            version = schema_version(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if not immutable and path.with_name(path.name + "-journal").exists():
                raise StoreError(f"{path.name}: en skrivning blev afbrudt (…-journal ligger ved siden af); "
                                 f"åbn lageret med skriveadgang, så rydder SQLite op") from exc
            raise StoreError(f"{path.name}: er ikke et kkrdesk-lager ({exc})") from exc
        if version != SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{path.name}: har skemaversion {version}, denne kkrdesk kender {SCHEMA_VERSION}"
            )
        conn.execute("PRAGMA query_only = ON")
        return Store(_database(conn, path), path, read_only=True)
    if exists:
        header = _read_header(path)
        if header and not header.startswith((SQLITE_HEADER, SEALED_HEADER)):
            raise StoreError(f"{path.name}: er ikke et kkrdesk-lager (ikke en SQLite-fil)")
        if is_pack_file(path):
            from kkrdesk.data.packs import open_pack

            return open_pack(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path.name}: kan ikke oprettes ({exc.strerror or exc})") from exc
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{path.name}: kan ikke åbnes som kkrdesk-lager ({exc})") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _refuse_newer(schema_version(conn), path)   # before WAL: a refused store keeps its journal mode
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _check_fts5(conn)
        migrate(conn, path)
        search_index.ensure(conn)   # a store made before the search's own postings gets them once
        if not search_index_tuned(conn):      # … and FTS5's merge setting (schema.FTS_AUTOMERGE)
            with write_transaction(conn):
                tune_search_index(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path.name}: kan ikke åbnes som kkrdesk-lager ({exc})") from exc
    except StoreError:
        conn.close()
        raise
    return Store(_database(conn, path), path)
