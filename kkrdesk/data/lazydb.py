"""A sqlite-utils Database that is only built when something needs more than SQL.

Importing sqlite-utils costs about 170 ms (it imports numpy when numpy is installed,
and click, dateutil, pluggy …). The window's first page needs only `execute`, so the
store hands out this wrapper: `execute`, `executescript`, `conn` and `close` go
straight to sqlite3; anything else (`db["table"]`, `atomic()`, `query()` …) builds the
real `sqlite_utils.Database` on the same connection once and delegates to it (#20.5).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any


class LazyDatabase:
    def __init__(self, conn: sqlite3.Connection, build: Callable[[], Any] | None = None,
                 store_name: str = "lageret") -> None:
        self.conn = conn
        self.store_name = store_name
        self._build = build
        self._db = None

    @contextlib.contextmanager
    def atomic(self) -> Iterator[LazyDatabase]:
        """One write transaction that takes the write lock up front (store.write_transaction, #16)."""
        from kkrdesk.data.store import write_transaction

        with write_transaction(self.conn, self.store_name):
            yield self

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters) if parameters is not None else self.conn.execute(sql)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        return self.conn.executescript(sql)

    def close(self) -> None:
        self.conn.close()

    @property
    def full(self):
        """The sqlite-utils Database on this connection (imported and built on first use)."""
        if self._db is None:
            if self._build is not None:
                self._db = self._build()
            else:
                from sqlite_utils import Database

                self._db = Database(self.conn)
        return self._db

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.full, name)

    def __getitem__(self, table: str):
        return self.full[table]

    def __repr__(self) -> str:
        return f"<LazyDatabase {self.conn!r}>"
