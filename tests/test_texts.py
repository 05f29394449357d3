"""Each text stored once (#20.2): what readers see is unchanged, the store holds no copies."""

import sqlite3

import kkrdesk.data.schema as schema
from kkrdesk.data import texts
from kkrdesk.data.corrections import source_line_text
from kkrdesk.data.store import open_store
from kkrdesk.ingest.importer import import_file
from tests.conftest import MEETING_PACK


def test_pack_and_bilag_keep_one_copy_and_read_their_original_lines(store):
    result = import_file(store, MEETING_PACK)
    raw = MEETING_PACK.read_text(encoding="utf-8")
    conn = store.conn
    top_stored = conn.execute("SELECT original_text FROM documents WHERE id = ?", (result.document_id,)).fetchone()[0]
    assert top_stored == ""                  # a UTF-8 text file: its bytes in `originals` are the only copy
    kept = conn.execute("SELECT COUNT(*), SUM(LENGTH(data)) FROM originals").fetchone()
    assert kept[0] == 1 and kept[1] < len(raw.encode()) / 2                              # compressed, once
    assert texts.original_text(conn, result.document_id) == raw
    parts = conn.execute("SELECT id, original_text, normalised_text, line_start, line_end FROM documents "
                         "WHERE parent_id = ?", (result.document_id,)).fetchall()
    assert len(parts) > 10
    assert all(own == "" and normalised == "" for _id, own, normalised, _a, _b in parts)   # no copies
    raw_lines = raw.split("\n")
    for part_id, _own, _n, first, last in parts:
        assert texts.original_text(conn, part_id) == "\n".join(raw_lines[first - 1:last])
        assert texts.document_text(conn, part_id)                                        # from the sections
    part_id, *_rest, first, _last = parts[3]
    assert source_line_text(store.db, part_id, first) == raw_lines[first - 1].strip()


def test_a_file_that_is_not_its_utf8_text_keeps_its_original_compressed(store, tmp_path):
    path = tmp_path / "bom.txt"   # a byte-order mark is read away: the text is not the bytes
    path.write_bytes("1. Møde\nKommunerne drøfter budget.\n".encode("utf-8-sig"))
    result = import_file(store, path)
    stored = store.conn.execute("SELECT original_text FROM documents WHERE id = ?", (result.document_id,)).fetchone()[0]
    assert isinstance(stored, bytes)
    assert texts.original_text(store.conn, result.document_id).startswith("1. Møde\nKommunerne drøfter budget.")


def test_v1_store_is_migrated_lean_and_reads_the_same(tmp_path):
    """A store written by version 1 (plain copies everywhere) reads the same after _v2_lean."""
    path = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    schema._v1(conn)
    conn.execute("PRAGMA user_version = 1")
    original = "Linje et\nKKR Nordjylland\n1. Budget\nKommunerne drøfter budget.\nSidste linje"
    conn.execute("INSERT INTO documents (id, file_name, sha256, kind, imported_at, line_start, line_end, "
                 "original_text, normalised_text) VALUES (1, 'a.txt', 'x', 'bundle', 'nu', 1, 5, ?, ?)",
                 (original, original))
    conn.execute("INSERT INTO documents (id, parent_id, part_index, file_name, sha256, kind, imported_at, "
                 "line_start, line_end, original_text, normalised_text) "
                 "VALUES (2, 1, 0, 'a.txt', 'x', 'document', 'nu', 3, 4, ?, ?)",
                 ("1. Budget\nKommunerne drøfter budget.", "1. Budget\nKommunerne drøfter budget."))
    conn.execute("INSERT INTO sections (document_id, position, number, title, level, body, line_start, line_end) "
                 "VALUES (2, 0, '1', 'Budget', 1, 'Kommunerne drøfter budget.', 3, 4)")
    conn.close()
    store = open_store(path)
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert texts.original_text(conn, 1) == original
    assert texts.original_text(conn, 2) == "1. Budget\nKommunerne drøfter budget."
    assert conn.execute("SELECT original_text, normalised_text FROM documents WHERE id = 2").fetchone() == ("", "")
    assert isinstance(conn.execute("SELECT original_text FROM documents WHERE id = 1").fetchone()[0], bytes)
    assert texts.document_text(conn, 1) == original          # no sections: keeps its normalised text
    assert "Kommunerne drøfter budget." in texts.document_text(conn, 2)
    from kkrdesk.data.search import search

    assert [h.document_id for h in search(store.db, "kommunerne")] == [2]
    store.close()
