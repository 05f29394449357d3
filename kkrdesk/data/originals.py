"""The imported files' own bytes: kept, content-addressed, deduplicated, compressed (#15).

kkrdesk reads text out of a file, but a board member also needs the page as it
was printed (tables, maps, signatures), and the briefing pack prints the real
pages. So each imported file is stored once per sha256 in `originals`,
compressed (zstd), and every document row read from it links there
(`documents.original_sha256`). For a PDF the first original line of each page
is kept too, so any line (a search hit, a fact's provenance) maps to its page.
No Qt here: the CLI, the window and the PDF builder all read through this.
"""

from __future__ import annotations

import bisect
import io
import json
import os
import sqlite3
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kkrdesk.data import zstd_codec

if TYPE_CHECKING:
    from sqlite_utils import Database


FORMATS = {".pdf": "pdf", ".docx": "docx"}
# How the originals are compressed (#20): zstd level 3 packs the bench archive's 55 MB of text into
# 8.2 MB in 0.23 s, where zlib level 6 took 3.3 s for 15.3 MB (zstd's window spans a whole pack, zlib's
# 32 KB). Rows written as 'zlib' (earlier builds) are still read.
ORIGINAL_COMPRESSION = "zstd"
ORIGINAL_LEVEL = 3


def pack_original_bytes(data: bytes) -> bytes:
    """A file's bytes as `originals.data` keeps them (compression ORIGINAL_COMPRESSION)."""
    return zstd_codec.compress(data, ORIGINAL_LEVEL)


def unpack_original_bytes(compression: str, data: bytes) -> bytes:
    """The file's bytes from an `originals` row, whichever compression wrote it."""
    if compression == "zstd":
        return zstd_codec.decompress(bytes(data))
    return zlib.decompress(data) if compression == "zlib" else bytes(data)


def file_format(name: str) -> str:
    """pdf | docx | text, from the file name (the readers accept nothing else)."""
    return FORMATS.get(Path(name).suffix.lower(), "text")


def pdf_page_lines(data: bytes) -> tuple[int, list[int] | None]:
    """(page count, first original line of each page) of a PDF.

    The PDF reader joins the pages' text with one newline, so page i starts where
    the lines of the pages before it end. None when the text cannot be read per page.
    """
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        starts, line = [], 1
        for page in reader.pages:
            starts.append(line)
            line += (page.extract_text() or "").count("\n") + 1
        return len(starts), starts
    except Exception:  # the text was read already; a page map is a bonus, never a failed import
        return 0, None


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return 0


def page_starts_from_lines(lines: Sequence, pages: int) -> list[int] | None:
    """The first original line of each page, from lines that know their page (the readers' Line.page).

    A page without text starts where the next one does, so no line maps to it.
    """
    first: dict[int, int] = {}
    for line in lines:
        page = getattr(line, "page", None)
        if page:
            first[page] = min(first.get(page, line.no), line.no)
    if not first:
        return None
    pages = max(pages, max(first))
    starts: list[int] = []
    following = 1 << 30
    for page in range(pages, 0, -1):
        following = first.get(page, following)
        starts.append(following)
    starts.reverse()
    starts[0] = 1
    return starts


@dataclass(frozen=True)
class PackedOriginal:
    """An `originals` row made before the import's transaction (a batch's worker makes it)."""
    sha: str
    size: int
    format: str
    pages: int | None
    page_lines: str | None       # JSON: the first original line of each page
    data: bytes                  # compressed (ORIGINAL_COMPRESSION)


def pack_file(name: str, data: bytes, sha: str, lines: Sequence = ()) -> PackedOriginal:
    """The row for a file's bytes. For a PDF the page map comes from `lines` when they know their
    page; otherwise the text is read per page again."""
    fmt = file_format(name)
    pages, starts = None, None
    if fmt == "pdf":
        pages = pdf_page_count(data)
        starts = page_starts_from_lines(lines, pages)
        if starts is None:
            pages, starts = pdf_page_lines(data)
    return PackedOriginal(sha, len(data), fmt, pages or None, json.dumps(starts) if starts else None,
                          pack_original_bytes(data))


def keep_original(conn: sqlite3.Connection, packed: PackedOriginal) -> None:
    """Store the file's bytes (once per sha256) and link every document read from it.

    Called by the importer inside its transaction, after the document rows exist, with the row
    `pack_file` made from the very bytes that were read and hashed (before the transaction).
    """
    sha = packed.sha
    if not conn.execute("SELECT 1 FROM originals WHERE sha256 = ?", (sha,)).fetchone():
        conn.execute(
            "INSERT INTO originals (sha256, size, format, compression, pages, page_lines, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (packed.sha, packed.size, packed.format, ORIGINAL_COMPRESSION, packed.pages, packed.page_lines,
             packed.data),
        )
    conn.execute("UPDATE documents SET original_sha256 = ? WHERE sha256 = ?", (sha, sha))


def _has_originals(db: Database) -> bool:
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'originals'").fetchone())


def original_info(db: Database, document_id: int) -> dict | None:
    """{"sha256", "size", "format", "pages", "file_name"} of a document's original, or None."""
    if not _has_originals(db):
        return None
    row = db.execute(
        "SELECT o.sha256, o.size, o.format, o.pages, d.file_name FROM documents d "
        "JOIN originals o ON o.sha256 = d.original_sha256 WHERE d.id = ?", (document_id,)).fetchone()
    if row is None:
        return None
    return dict(zip(("sha256", "size", "format", "pages", "file_name"), row, strict=True))


def original_bytes(db: Database, document_id: int) -> bytes | None:
    """The file exactly as imported, or None when the store holds no original for it."""
    if not _has_originals(db):
        return None
    row = db.execute(
        "SELECT o.compression, o.data FROM documents d JOIN originals o ON o.sha256 = d.original_sha256 "
        "WHERE d.id = ?", (document_id,)).fetchone()
    if row is None:
        return None
    compression, data = row
    return unpack_original_bytes(compression, data)


def original_pdf(db: Database, document_id: int | None) -> bytes | None:
    """The PDF original of a document, for the page view; None for Word, text or no original."""
    if document_id is None:
        return None
    info = original_info(db, document_id)
    return original_bytes(db, document_id) if info and info["format"] == "pdf" else None


def whole_file_pdf(db: Database, document_id: int | None) -> bytes | None:
    """The PDF original of a document that is a whole file (not one part of a bilagspakke), else None.

    What a briefing may print as the bilag's own pages: a part's original is the whole file, other items too.
    """
    if document_id is None:
        return None
    row = db.execute("SELECT parent_id FROM documents WHERE id = ?", (document_id,)).fetchone()
    return original_pdf(db, document_id) if row is not None and row[0] is None else None


def write_original(db: Database, document_id: int, target: Path | str) -> int:
    """Write the original to `target` byte for byte (temp file + rename); returns its size.

    Raises LookupError when the document has no original.
    """
    data = original_bytes(db, document_id)
    if data is None:
        raise LookupError(document_id)
    target = Path(target)
    temp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
    return len(data)


def page_lines(db: Database, document_id: int) -> list[int] | None:
    """First original line of each page of the document's PDF original, or None."""
    if not _has_originals(db):
        return None
    row = db.execute(
        "SELECT o.page_lines FROM documents d JOIN originals o ON o.sha256 = d.original_sha256 WHERE d.id = ?",
        (document_id,)).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def page_of(starts: list[int] | None, line: int | None) -> int | None:
    """The 1-based page an original line is printed on, given the pages' first lines."""
    if not starts or not line:
        return None
    return max(1, bisect.bisect_right(starts, line))


def page_of_line(db: Database, document_id: int, line: int | None) -> int | None:
    """The page of the document's PDF original that `line` is on; None for text and Word files."""
    return page_of(page_lines(db, document_id), line)


class PageLookup:
    """page_of_line for many facts at once: each document's page map is read once.

    `lookup(document_id, line)` → page or None; for search hits, figures, targets and outcomes.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._starts: dict[int, list[int] | None] = {}

    def preload(self, document_ids: set[int]) -> None:
        """Read the page maps of many documents in one query (a search shows 20 sections of ~15 files)."""
        wanted = sorted(d for d in document_ids if d is not None and d not in self._starts)
        if not wanted:
            return
        self._starts.update(dict.fromkeys(wanted))
        if not _has_originals(self.db):
            return
        for document_id, starts in self.db.execute(
                f"SELECT d.id, o.page_lines FROM documents d JOIN originals o ON o.sha256 = d.original_sha256 "
                f"WHERE d.id IN ({','.join('?' * len(wanted))}) AND o.page_lines IS NOT NULL", wanted):
            self._starts[document_id] = json.loads(starts)

    def starts(self, document_id: int | None) -> list[int] | None:
        """The document's page map (first original line of each page), or None."""
        if document_id is None:
            return None
        if document_id not in self._starts:
            self._starts[document_id] = page_lines(self.db, document_id)
        return self._starts[document_id]

    def __call__(self, document_id: int | None, line: int | None) -> int | None:
        if document_id is None or not line:
            return None
        return page_of(self.starts(document_id), line)


def prune_originals(conn: sqlite3.Connection, shells: set[int]) -> None:
    """In a pack being built: keep only the originals of whole files a member reads.

    A part of a file (one bilag of a bilagspakke) and a provenance shell would carry
    the whole file — other items' pages, closed ones included — so they lose the link.
    """
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'originals'").fetchone():
        return
    ids = ",".join(str(int(i)) for i in shells) or "NULL"
    conn.execute(f"UPDATE documents SET original_sha256 = NULL WHERE id IN ({ids}) OR parent_id IS NOT NULL")
    conn.execute("DELETE FROM originals WHERE sha256 NOT IN "
                 "(SELECT original_sha256 FROM documents WHERE original_sha256 IS NOT NULL)")
