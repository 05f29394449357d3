"""A document's texts, stored once (#20.2).

A file's original text is kept once, zlib-compressed, on its top-level document; a part
(a bilag of a pack, a part of a bundle) keeps none of its own when its original is exactly
its lines of the file (lines are always those of the imported file), and reads them from
the file's document. The normalised text lives in the sections (FTS5 reads them as its
external content); a document keeps its own normalised text only when it has no sections.
Stores written before version 2 hold plain text in both columns; everything here reads both.
"""

from __future__ import annotations

import sqlite3
import zlib
from functools import lru_cache
from typing import Any

from kkrdesk.data.section_text import unpack_body


def pack_original(text: str) -> bytes:
    """The stored form of a file's original text (about a third of its size; level 1 is 3× faster than 6
    for 10 % more bytes, and the import pays for it)."""
    return zlib.compress(text.encode("utf-8"), 1)


def unpack_original(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return _decompress(bytes(value))
    return value


@lru_cache(maxsize=4)
def _decompress(value: bytes) -> str:
    """The bilag of one pack read their lines from the same file text, one after the other."""
    return zlib.decompress(value).decode("utf-8")


def _conn(db) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def slice_lines(text: str, first: int, last: int, offset: int = 1) -> str:
    """Lines first..last (numbers of the imported file) of a text whose first line is `offset`."""
    return "\n".join(text.split("\n")[first - offset:last - offset + 1])


def original_text(db, document_id: int) -> str:
    """The document's lines as the imported file prints them ('' for an emptied shell)."""
    conn = _conn(db)
    row = conn.execute("SELECT original_text, parent_id, line_start, line_end FROM documents WHERE id = ?",
                       (document_id,)).fetchone()
    if row is None:
        return ""
    own, parent_id, first, last = row
    if own:
        return unpack_original(own)
    if parent_id is None:
        return _text_file(conn, document_id)
    parent = conn.execute("SELECT original_text FROM documents WHERE id = ?", (parent_id,)).fetchone()
    if parent is None:
        return ""
    text = unpack_original(parent[0]) if parent[0] else _text_file(conn, parent_id)
    return slice_lines(text, first, last) if text else ""   # the file's text: its line 1 is line 1


def _text_file(conn: sqlite3.Connection, document_id: int) -> str:
    """A text file's original read from its bytes in `originals` (#15), which the importer then does not
    store a second time (documents.original_text is '' when the file is exactly its UTF-8 text)."""
    try:
        row = conn.execute("SELECT o.data FROM documents d JOIN originals o ON o.sha256 = d.original_sha256 "
                           "WHERE d.id = ? AND o.format = 'text' AND o.compression = 'zlib'", (document_id,)).fetchone()
    except sqlite3.OperationalError:   # a store or pack without the originals table
        return ""
    return _decompress(bytes(row[0])) if row else ""


def original_for_part(file_original: str, first: int, last: int, own: str) -> str:
    """What a part stores as its original: '' when it is exactly its lines of the file."""
    return "" if own == slice_lines(file_original, first, last) else own


def document_text(db, document_id: int | None) -> str:
    """The normalised text: the document's own when stored, else its sections (headings and bodies) in order."""
    if document_id is None:
        return ""
    conn = _conn(db)
    row = conn.execute("SELECT normalised_text FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        return ""
    if row[0]:
        return row[0]
    return "\n".join(f"{title}\n{unpack_body(body)}" if body else title for title, body in conn.execute(
        "SELECT title, body FROM sections WHERE document_id = ? ORDER BY position", (document_id,)))


def plain_originals(conn: sqlite3.Connection) -> None:
    """Store every compressed original as plain text again: a .kkrpack holds one meeting, and its
    checker (pack_check) accepts only the declared TEXT in documents.original_text."""
    for doc_id, value in conn.execute(
            "SELECT id, original_text FROM documents WHERE typeof(original_text) = 'blob'").fetchall():
        conn.execute("UPDATE documents SET original_text = ? WHERE id = ?", (unpack_original(value), doc_id))


def materialise_parts(conn: sqlite3.Connection, parent_ids: set[int]) -> None:
    """Give the parts of these documents their own original text (before the parents are emptied)."""
    for parent_id in parent_ids:
        children = [r[0] for r in conn.execute(
            "SELECT id FROM documents WHERE parent_id = ? AND (original_text IS NULL OR original_text = '')",
            (parent_id,))]
        for child in children:
            text = original_text(conn, child)
            conn.execute("UPDATE documents SET original_text = ? WHERE id = ?", (text, child))
