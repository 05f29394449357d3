"""Who may see what: the one public filter every public path asks (#16).

A closed agenda item (access 'lukket') closes everything hanging from it: its
bilag, the documents attached as those bilag (and their parts), the figures and
contract goals read from those documents, the theme tags on any of them, and the
file names shown in their source lines. Everything made for people without
access (public meeting, theme and contract packs, `--public` output, the public
`.kkrpack`) filters through `Visibility`, so no reader can forget a case.

A document attached to a closed item counts as closed even when an open item
also uses it: one slip would publish it, the reverse costs a missing bilag.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kkrdesk.data import search_index
from kkrdesk.data.lazydb import LazyDatabase
from kkrdesk.data.section_text import register as register_text_function

if TYPE_CHECKING:
    from sqlite_utils import Database

CLOSED_TITLE = "Lukket punkt"
# What a closed item's row holds beyond number and access: all of it is withheld from public output.
CLOSED_ITEM_FIELDS = ("baggrund", "sagsfremstilling", "indstilling", "beslutning", "case_number", "group_title",
                      "document_id", "line_start", "line_end")


def _ids(db: Database, sql: str, params: tuple = ()) -> frozenset[int]:
    return frozenset(row[0] for row in db.execute(sql, params).fetchall() if row[0] is not None)


@dataclass(frozen=True)
class Visibility:
    """The closed ids of one store at one moment; `everything()` for a reader with access."""

    items: frozenset[int] = frozenset()
    bilag: frozenset[int] = frozenset()
    documents: frozenset[int] = frozenset()
    public: bool = False
    # Lines of a closed item inside the file it was read from (an agenda with every item in one file):
    # facts read from those lines are closed, the rest of the file is not. {document id: [(first, last)]}
    ranges: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    # --- single checks -----------------------------------------------------------------------------
    def item_visible(self, item_id: int | None) -> bool:
        return item_id not in self.items

    def bilag_visible(self, bilag_id: int | None) -> bool:
        return bilag_id not in self.bilag

    def document_visible(self, document_id: int | None) -> bool:
        return document_id not in self.documents

    def tag_visible(self, target_type: str, target_id: int) -> bool:
        closed = {"item": self.items, "bilag": self.bilag, "document": self.documents}.get(target_type)
        return closed is None or target_id not in closed

    # --- row filters -------------------------------------------------------------------------------
    def line_visible(self, document_id: int | None, line: int | None) -> bool:
        if document_id in self.documents:
            return False
        if line is None or document_id not in self.ranges:
            return True
        return not any(first <= line <= last for first, last in self.ranges[document_id])

    def rows_by_document(self, rows: Iterable[dict], key: str = "document_id") -> list[dict]:
        """Rows (figures, contracts, goals) whose source document, and source line, the reader may see."""
        out = []
        for row in rows:
            line = row.get("line", row.get("line_start"))
            if self.line_visible(row.get(key), line if isinstance(line, int) else None):
                out.append(row)
        return out


def is_public_pack(db: Database) -> bool:
    """A public .kkrpack: whatever the caller asked, only public output may come from it."""
    try:
        row = db.execute("SELECT public FROM pack_info LIMIT 1").fetchone()
    except sqlite3.DatabaseError:
        return False
    return bool(row and row[0])


def everything() -> Visibility:
    return Visibility()


def visibility(db: Database, public: bool) -> Visibility:
    """What a public reader may not see (nothing hidden when `public` is False)."""
    if not public:
        return Visibility()
    items = _ids(db, "SELECT id FROM agenda_items WHERE access = 'lukket'")
    if not items:
        return Visibility(public=True)
    marks = ",".join(str(int(i)) for i in sorted(items))
    bilag = _ids(db, f"SELECT id FROM bilag WHERE agenda_item_id IN ({marks})")
    roots = _ids(db, f"SELECT document_id FROM bilag WHERE agenda_item_id IN ({marks})")
    # a closed item's own part of its dagsorden (#14: text, tables, figures) is closed as a whole
    roots |= _ids(db, f"SELECT a.document_id FROM agenda_items a JOIN documents d ON d.id = a.document_id "
                      f"WHERE a.id IN ({marks}) AND d.kind = 'agenda-item'")
    documents = closed_documents(db, roots)
    ranges: dict[int, list[tuple[int, int]]] = {}
    for document_id, first, last in db.execute(
            f"SELECT document_id, line_start, line_end FROM agenda_items WHERE id IN ({marks}) "
            f"AND document_id IS NOT NULL AND line_start IS NOT NULL").fetchall():
        ranges.setdefault(document_id, []).append((first, last if last is not None else first))
    return Visibility(items, bilag, documents, public=True, ranges=ranges)


def closed_documents(db: Database, roots: Iterable[int]) -> frozenset[int]:
    """The given documents and all their parts (a bilag may be a bundle split into parts)."""
    roots = sorted({int(r) for r in roots})
    if not roots:
        return frozenset()
    marks = ",".join(str(r) for r in roots)
    return _ids(db, f"""
        WITH RECURSIVE d(id) AS (SELECT id FROM documents WHERE id IN ({marks})
            UNION SELECT documents.id FROM documents JOIN d ON documents.parent_id = d.id)
        SELECT id FROM d""")


# --- a redacted copy ---------------------------------------------------------------------------------


def _in(ids: Iterable[int]) -> str:
    return "(" + ",".join(str(int(i)) for i in sorted(set(ids))) + ")"


def _tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'sections_fts%'")]
    return {name: [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')] for name in names}


def redact_closed(conn: sqlite3.Connection) -> None:
    """Delete every closed thing from a *copy* of a store (inside the caller's transaction).

    Closed items keep their number and position under the title "Lukket punkt" (a public
    agenda says a closed item exists); their text, bilag, links and theme tags go, as do the
    documents attached to them (with parts, figures, contracts and sections) and the facts
    read from their lines of the agenda file. The agenda file itself keeps no text: its
    sections and full text hold the closed items' words.
    """
    seen = visibility(LazyDatabase(conn), True)
    if not seen.items:
        return
    tables = _tables(conn)
    conn.execute(f"DELETE FROM bilag WHERE id IN {_in(seen.bilag)} OR document_id IN {_in(seen.documents)}")
    conn.execute(f"DELETE FROM item_links WHERE agenda_item_id IN {_in(seen.items)}")
    if "theme_tags" in tables:
        for target_type, ids in (("item", seen.items), ("bilag", seen.bilag), ("document", seen.documents)):
            conn.execute(f"DELETE FROM theme_tags WHERE target_type = ? AND target_id IN {_in(ids)}", (target_type,))
    item_columns = tables.get("agenda_items", [])
    blank = [c for c in CLOSED_ITEM_FIELDS if c in item_columns] + (["flags"] if "flags" in item_columns else [])
    conn.execute(
        "UPDATE agenda_items SET title = ?, " + ", ".join(
            f"{c} = '[]'" if c == "flags" else f"{c} = NULL" for c in blank) + f" WHERE id IN {_in(seen.items)}",
        (CLOSED_TITLE,))
    for table, line in (("figures", "line"), ("contracts", "line_start")):
        for document_id, spans in seen.ranges.items():
            for first, last in spans:
                conn.execute(f"DELETE FROM {table} WHERE document_id = ? AND {line} BETWEEN ? AND ?",
                             (document_id, first, last))
    sources = set(seen.ranges)
    for name, columns in tables.items():
        if "document_id" in columns and name not in ("documents", "bilag", "meetings", "agenda_items"):
            conn.execute(f'DELETE FROM "{name}" WHERE document_id IN {_in(seen.documents)}')
    conn.execute(f"DELETE FROM sections WHERE document_id IN {_in(sources)}")
    conn.execute(f"DELETE FROM warnings WHERE document_id IN {_in(sources)}")
    from kkrdesk.data.texts import (
        materialise_parts,  # open parts read their lines from the file's document (#20.2)
    )

    materialise_parts(conn, set(sources))
    conn.execute(f"UPDATE documents SET original_text = '', normalised_text = '' WHERE id IN {_in(sources)}")
    conn.execute(f"UPDATE documents SET parent_id = NULL WHERE parent_id IN {_in(seen.documents)} "
                 f"AND id NOT IN {_in(seen.documents)}")
    conn.execute(f"DELETE FROM documents WHERE id IN {_in(seen.documents)}")
    for table in ("targets", "outcomes", "figures"):
        conn.execute(f"DELETE FROM corrections WHERE target_table = ? AND row_id NOT IN (SELECT id FROM {table})",
                     (table,))


@contextlib.contextmanager
def public_copy(db: Database) -> Iterator[Database]:
    """A redacted copy of the store in a private temp folder, for builders of public artefacts.

    A public PDF is built from this copy, so a builder that forgets a filter still cannot
    print what the copy no longer holds. The folder is the user's own (mkdtemp, mode 700).
    """
    folder = Path(tempfile.mkdtemp(prefix="kkrdesk-offentlig-"))
    path = folder / "offentlig.sqlite"
    try:
        conn = register_text_function(sqlite3.connect(str(path), isolation_level=None))
        try:
            db.conn.backup(conn)   # the backup API reads a read-only pack too (VACUUM INTO would not)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            search_index.drop(conn)   # its postings hold every section's words; the copy searches by FTS5
            conn.execute("BEGIN")
            redact_closed(conn)
            conn.execute("COMMIT")
            if "sections_fts" in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}:
                conn.execute("INSERT INTO sections_fts(sections_fts) VALUES('rebuild')")
            yield LazyDatabase(conn)   # sqlite-utils only when a builder needs it (#20.5)
        finally:
            conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
