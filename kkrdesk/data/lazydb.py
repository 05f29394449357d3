"""A sqlite-utils Database that is only built when something needs more than SQL.

Importing sqlite-utils costs about 170 ms (it imports numpy when numpy is installed,
and click, dateutil, pluggy …). The window's first page needs only `execute`, so the
store hands out this wrapper: `execute`, `executescript`, `conn` and `close` go
straight to sqlite3; anything else (`db["table"]`, `atomic()`, `query()` …) builds the
real `sqlite_utils.Database` on the same connection once and delegates to it (#20.5).
"""

from __future__ import annotations

import sqlite3
from typing import Any


class LazyDatabase:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._db = None

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
