import sqlite3

import pytest

import kkrdesk.data.schema as schema
import kkrdesk.data.store as store_module
from kkrdesk.data.store import StoreError, open_store


def test_new_store_has_schema_version_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "s.sqlite"
    s = open_store(path)
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    s.close()


def test_newer_store_is_refused(tmp_path):
    path = tmp_path / "future.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="nyere kkrdesk"):
        open_store(path)


def test_older_store_is_backed_up_then_upgraded(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    open_store(path).close()

    def v_next(conn):
        conn.execute("CREATE TABLE extra (id INTEGER PRIMARY KEY)")

    migrations = [*schema.MIGRATIONS, v_next]
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(migrations))
    s = open_store(path)
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations)
    assert "extra" in s.db.table_names()
    s.close()
    backup = tmp_path / f"old.sqlite.v{schema.SCHEMA_VERSION}.bak"
    assert backup.exists()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    old.close()


def test_failed_migration_leaves_version_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    open_store(path).close()

    def broken(conn):
        conn.execute("CREATE TABLE half (id INTEGER)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(schema.MIGRATIONS) + 1)
    with pytest.raises(RuntimeError):
        open_store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert "half" not in [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    conn.close()


def test_not_a_store_gives_clear_message(tmp_path):
    path = tmp_path / "noise.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="noise.sqlite"):
        open_store(path)


def test_fts_tokenizer_keeps_danish_letters_distinct(store):
    sql = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sections_fts'").fetchone()[0]
    assert "remove_diacritics 0" in sql
