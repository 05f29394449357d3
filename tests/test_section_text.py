"""Section text is stored packed (schema 3, #20.2) and reads back, searches and deletes exactly as before."""

from __future__ import annotations

import zlib

import pytest

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


def test_line_numbers_are_stored_as_runs_and_read_back_exactly():
    import json
    import random

    from kkrdesk.data.section_text import pack_line_numbers, unpack_line_numbers

    assert pack_line_numbers([12, 13, 14, 15, 18, 19, 30]) == "[12,-3,18,19,30]"
    assert pack_line_numbers([]) == "[]"
    rng = random.Random(4)
    for _ in range(2000):
        numbers, line = [], rng.randrange(1, 50)
        for _ in range(rng.randrange(0, 40)):
            line += rng.choice((1, 1, 1, 2, 5))
            numbers.append(line)
        packed = pack_line_numbers(numbers)
        assert unpack_line_numbers(packed) == numbers
        assert len(packed) <= len(json.dumps(numbers))
    assert unpack_line_numbers("[4968, 4969, 4971]") == [4968, 4969, 4971]     # as stores before wrote them
    for broken in ("[1,", "[-2, 3]", "[1, 0]", '["1"]', "{}", "[1.5]"):
        with pytest.raises(ValueError):
            unpack_line_numbers(broken)


def test_an_imported_section_shows_each_line_with_its_original_number(store):
    from kkrdesk.data.queries import document_sections
    from kkrdesk.ingest.importer import import_file
    from tests.conftest import CONTRACT_2019

    result = import_file(store, CONTRACT_2019)
    raw = CONTRACT_2019.read_text(encoding="utf-8").split("\n")
    stored = store.conn.execute("SELECT body_lines FROM sections WHERE document_id = ? AND body_lines LIKE '%-%'",
                                (result.document_id,)).fetchone()
    assert stored is not None          # runs are stored as runs
    sections = [s for s in document_sections(store.db, result.document_id) if s["body"]]
    assert sections and all(len(s["body_lines"]) == len(s["body"].split("\n")) for s in sections)
    for section in sections:
        for text, no in zip(section["body"].split("\n"), section["body_lines"], strict=True):
            if len(text) > 20 and text[0].isalnum():    # (a bullet's glyph is the normaliser's)
                assert text[:8] in " ".join(raw[no - 1].split()), (no, text)
