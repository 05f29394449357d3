"""Section text is stored packed (schema 3, #20.2) and reads back, searches and deletes exactly as before."""

from __future__ import annotations

import zlib

from kkrdesk.data.queries import document_sections
from kkrdesk.data.section_text import pack_body, unpack_body
from kkrdesk.ingest.importer import import_file

LONG = "Pædagoguddannelsen i Nordjylland: dimensionering, praktik og optag. " * 20


def test_short_text_stays_text_and_long_text_is_packed_smaller():
    assert pack_body("Kort afsnit.") == "Kort afsnit."
    packed = pack_body(LONG)
    assert isinstance(packed, bytes) and len(packed) < len(LONG.encode()) / 3
    assert unpack_body(packed) == LONG
    assert unpack_body(zlib.compress(LONG.encode(), 1)) == LONG   # the first schema-3 builds wrote zlib
    assert unpack_body("tekst") == "tekst" and unpack_body(None) is None


def test_an_imported_section_is_packed_found_and_forgotten_with_its_document(store, tmp_path):
    path = tmp_path / "notat.txt"
    path.write_text("1. Pædagoger\n" + LONG + "\nSærligt ord: flyvefisk.\n", encoding="utf-8")
    doc_id = import_file(store, path).document_id
    conn = store.conn
    assert conn.execute("SELECT COUNT(*) FROM sections WHERE typeof(body) = 'blob'").fetchone()[0] >= 1
    bodies = "\n".join(s["body"] for s in document_sections(store.db, doc_id))
    assert "flyvefisk" in bodies and "Pædagoguddannelsen i Nordjylland" in bodies
    found = "SELECT COUNT(*) FROM sections_fts WHERE sections_fts MATCH 'flyvefisk'"
    assert conn.execute(found).fetchone()[0] == 1
    with store.db.atomic():
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    assert conn.execute(found).fetchone()[0] == 0        # the delete trigger unpacked the text to remove it
    conn.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('integrity-check', 1)")
