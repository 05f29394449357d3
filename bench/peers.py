"""The peers each ratio is measured against, in the same run on the same machine (#20.6).

- the FTS floor: the same text in a bare FTS5 table with the store's tokenizer and prefix
  indexes, one transaction per file — what any store with this search must at least write;
  beside it, for context, the store's sections in such a table (one row per section);
- a minimal typesetting: the same meeting text as plain reportlab Paragraphs, one build();
- an empty window: PySide6 imported and an empty QMainWindow shown (bench/empty_window.py);
- a 5× store: the archive's searchable content copied five times (new ids), to see how
  search grows with the archive without waiting for five more imports.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from xml.sax.saxutils import escape


def _bare_fts(path: Path, columns: str) -> sqlite3.Connection:
    """A fresh file with one FTS5 table `floor` of these columns, the store's tokenizer and prefixes."""
    from kkrdesk.data.schema import FTS_TOKENIZE

    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"CREATE VIRTUAL TABLE floor USING fts5({columns}, tokenize='{FTS_TOKENIZE}', prefix='2 3 4 5 6')")
    return conn


def _insert_per_file(conn: sqlite3.Connection, sql: str, files: list[list[tuple]]) -> tuple[float, float]:
    """(seconds, CPU seconds) to insert each file's rows in a transaction of its own."""
    start, cpu = time.perf_counter(), time.process_time()
    for rows in files:
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
    return time.perf_counter() - start, time.process_time() - cpu


def fts_floor(files: list[Path], path: Path) -> tuple[float, int, float]:
    """(seconds to insert, bytes on disk, CPU seconds) for the files' text in a bare FTS5 table."""
    conn = _bare_fts(path, "body")
    texts = [[(f.read_text(encoding="utf-8"),)] for f in files]
    seconds, cpu = _insert_per_file(conn, "INSERT INTO floor (body) VALUES (?)", texts)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return seconds, path.stat().st_size, cpu


def fts_section_floor(store_path: Path, path: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) to insert the store's sections, as the search needs them (one row per
    section, body and title), into a bare FTS5 table with the same tokenizer and prefix indexes,
    one transaction per imported file: the part of the FTS floor's gap that is the search's grain."""
    from kkrdesk.data.section_text import unpack_body

    source = sqlite3.connect(store_path)
    files: dict[int, list[tuple[str, str]]] = {}
    for top, body, title in source.execute(
            "SELECT coalesce(d.parent_id, d.id), s.body, s.title FROM sections s JOIN documents d ON d.id = s.document_id "
            "ORDER BY s.id"):
        files.setdefault(top, []).append((unpack_body(body), title))
    source.close()
    conn = _bare_fts(path, "body, title")
    seconds, cpu = _insert_per_file(conn, "INSERT INTO floor (body, title) VALUES (?, ?)", list(files.values()))
    conn.close()
    return seconds, cpu


def minimal_pack(text: str, target: Path) -> tuple[float, int]:
    """(seconds, pages) for a SimpleDocTemplate of the text, one Paragraph per non-empty line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    start = time.perf_counter()
    style = getSampleStyleSheet()["BodyText"]
    story = [Paragraph(escape(line), style) for line in text.split("\n") if line.strip()]
    doc = SimpleDocTemplate(str(target), pagesize=A4)
    doc.build(story)
    return time.perf_counter() - start, doc.page


_COPIED = {
    "documents": ("id", "parent_id"),
    "sections": ("id", "document_id"),
    "meetings": ("id", "document_id"),
    "agenda_items": ("id", "meeting_id", "document_id"),
    "bilag": ("id", "agenda_item_id", "document_id"),
}
_OFFSET_OF = {"id": None, "parent_id": "documents", "document_id": "documents", "meeting_id": "meetings",
              "agenda_item_id": "agenda_items"}


def scaled_store(source: Path, target: Path, factor: int) -> int:
    """Copy the store, then add factor - 1 copies of its documents, sections (indexed by the trigger),
    meetings, items and bilag under new ids. Returns the number of sections."""
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy2(source, target)
    from kkrdesk.data import search_index
    from kkrdesk.data.section_text import register

    conn = register(sqlite3.connect(target, isolation_level=None))   # the FTS trigger unpacks section text
    conn.execute("PRAGMA foreign_keys = OFF")
    top = {table: conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0] for table in _COPIED}
    columns = {table: [r[1] for r in conn.execute(f"PRAGMA table_info({table})")] for table in _COPIED}
    conn.execute("BEGIN")
    for copy in range(1, factor):
        for table, shifted in _COPIED.items():
            select = []
            for column in columns[table]:
                if column in shifted:
                    owner = _OFFSET_OF[column] or table
                    select.append(f"{column} + {copy * top[owner]}")
                elif column in ("sha256", "uid"):   # unique per file / published meeting
                    select.append(f"{column} || '.{copy}'")
                else:
                    select.append(column)
            conn.execute(f"INSERT INTO {table} ({', '.join(columns[table])}) "
                         f"SELECT {', '.join(select)} FROM {table} WHERE id <= {top[table]} ORDER BY id")
    search_index.sync(conn)   # the search's own postings for the copies, as an import's commit makes them
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    count = conn.execute("SELECT COUNT(*) FROM sections").fetchone()[0]
    conn.close()
    return count
