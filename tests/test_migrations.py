"""A real upgrade from v1 (#16, point 8): a store made by today's v1 code path keeps every row and a backup,
and comes out with schema 3's packed section text and leaner index (#20), searching as before."""

from __future__ import annotations

import sqlite3

import pytest

from kkrdesk.data.schema import MIGRATIONS, SCHEMA_VERSION
from kkrdesk.data.search import BM25
from kkrdesk.data.section_text import register
from kkrdesk.data.store import StoreError, open_store


def _tables(conn):
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'sections_fts%' ORDER BY name")]


def _columns(conn, table):
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _make_v1(path, source):
    """Schema by MIGRATIONS[0] only, filled with the corpus rows (the columns v1 has)."""
    conn = register(sqlite3.connect(str(path), isolation_level=None))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.execute("ATTACH ? AS src", (str(source),))
    conn.execute("BEGIN")
    for table in _tables(conn):
        columns = ", ".join(f'"{c}"' for c in _columns(conn, table))
        values = columns.replace('"body"', 'kkr_text("body")') if table == "sections" else columns  # v1: plain text
        conn.execute(f'INSERT INTO main."{table}" ({columns}) SELECT {values} FROM src."{table}"')
    conn.execute("COMMIT")
    conn.execute("DETACH src")
    return conn


def _counts(conn):
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _tables(conn)}


def test_a_v1_store_is_upgraded_keeping_every_row_and_a_backup(corpus_db_path, tmp_path):
    assert SCHEMA_VERSION == 3
    path = tmp_path / "v1.sqlite"
    conn = _make_v1(path, corpus_db_path)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    counts = _counts(conn)
    assert counts["documents"] > 10 and counts["figures"] > 100
    reader = sqlite3.connect(str(path))
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM documents").fetchone()    # another process reads, from before …
    conn.execute("INSERT INTO meta (key, value) VALUES ('i-wal', 'endnu i WAL-filen')")   # … this row
    counts["meta"] += 1
    try:
        store = open_store(path)
    finally:
        reader.rollback()
        reader.close()
        conn.close()
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 3
        after = _counts(store.conn)
        assert {t: after[t] for t in counts} == counts
        assert store.conn.execute("SELECT COUNT(*) FROM sections WHERE typeof(body) = 'blob'").fetchone()[0] > 10
        ranking = f"SELECT rowid FROM sections_fts WHERE sections_fts MATCH ? ORDER BY {BM25}, rowid DESC"
        fresh = register(sqlite3.connect(str(corpus_db_path)))
        try:
            for query in ("pædagog*", '"erhvervshus nordjylland"', "sosu*"):
                upgraded = store.conn.execute(ranking, (query,)).fetchall()
                assert upgraded and upgraded == fresh.execute(ranking, (query,)).fetchall()
        finally:
            fresh.close()
    finally:
        store.close()
    backup = tmp_path / "v1.sqlite.v1.bak"
    old = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert _counts(old) == counts                 # the row still in the WAL is in the backup too
        assert old.execute("SELECT value FROM meta WHERE key = 'i-wal'").fetchone() == ("endnu i WAL-filen",)
    finally:
        old.close()


def test_a_refused_store_is_not_switched_to_wal(tmp_path):
    path = tmp_path / "fremtid.sqlite"
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="nyere kkrdesk"):
        open_store(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "fremtid.sqlite-wal").exists()
