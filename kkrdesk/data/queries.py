"""The read API over the content store: one place the window, CLI and PDFs all ask.

Functions return plain dicts/lists (JSON-ready). `public=True` redacts closed
agenda items at the source, so nothing made for people without access can
leak their titles, text or bilag by forgetting a filter downstream.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from kkrdesk.data.access import CLOSED_ITEM_FIELDS, CLOSED_TITLE, Visibility, visibility
from kkrdesk.data.section_text import unpack_body, unpack_line_numbers


def fetch_dicts(db: Database, sql: str, params: tuple = ()) -> list[dict]:
    """Rows as dicts keyed by column name: the shape every reader here returns."""
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def source_label(file_name: str | None, line: int | None) -> str:
    """'kkr-moede-2021-bilag.txt, linje 32' — the quiet provenance line under every fact."""
    if not file_name:
        return ""
    return f"{file_name}, linje {line}" if line else file_name


def list_documents(db: Database) -> list[dict]:
    """Imported files (top level) with the number of parts each was split into."""
    rows = fetch_dicts(db, """
        SELECT d.id, d.file_name, d.title, d.kind, d.year, d.imported_at, d.line_start, d.line_end,
               (SELECT COUNT(*) FROM documents p WHERE p.parent_id = d.id) AS parts,
               o.pages, o.sha256 IS NOT NULL AS has_original
        FROM documents d LEFT JOIN originals o ON o.sha256 = d.original_sha256
        WHERE d.parent_id IS NULL ORDER BY d.file_name
    """)
    for row in rows:
        row["has_original"] = bool(row["has_original"])
    return rows


def count_documents(db: Database) -> int:
    """Imported files (top level), counted through the parent index without reading any text."""
    return db.execute("SELECT COUNT(*) FROM documents WHERE parent_id IS NULL").fetchone()[0]


def document_parts(db: Database, document_id: int) -> list[dict]:
    return fetch_dicts(db, """
        SELECT id, file_name, title, kind, year, line_start, line_end, part_index
        FROM documents WHERE parent_id = ? ORDER BY part_index
    """, (document_id,))


def get_document(db: Database, document_id: int) -> dict | None:
    rows = fetch_dicts(db, """
        SELECT id, parent_id, part_index, file_name, sha256, kind, title, year, imported_at,
               line_start, line_end, normalised_text
        FROM documents WHERE id = ?
    """, (document_id,))
    if not rows:
        return None
    doc = rows[0]
    doc["warnings"] = fetch_dicts(db, "SELECT line, message FROM warnings WHERE document_id = ? ORDER BY line", (document_id,))
    return doc


def document_sections(db: Database, document_id: int) -> list[dict]:
    """Sections of one document in reading order, with their text and source lines."""
    rows = fetch_dicts(db, """
        SELECT id, document_id, position, number, title, level, body, body_lines, line_start, line_end
        FROM sections WHERE document_id = ? ORDER BY position
    """, (document_id,))
    for row in rows:
        row["body"] = unpack_body(row["body"])
        row["body_lines"] = unpack_line_numbers(row["body_lines"])
    return rows


def get_section(db: Database, section_id: int) -> dict | None:
    rows = fetch_dicts(db, """
        SELECT s.id, s.document_id, s.position, s.number, s.title, s.level, s.body, s.body_lines,
               s.line_start, s.line_end, d.file_name, d.title AS document_title
        FROM sections s JOIN documents d ON d.id = s.document_id WHERE s.id = ?
    """, (section_id,))
    if not rows:
        return None
    rows[0]["body"] = unpack_body(rows[0]["body"])
    rows[0]["body_lines"] = unpack_line_numbers(rows[0]["body_lines"])
    return rows[0]


def count_meetings(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0]


def count_contract_years(db: Database) -> int:
    """Years with goals (as the Resultatkontrakter list shows them), without reading the goals."""
    return db.execute("""
        SELECT COUNT(DISTINCT c.year) FROM contracts c
        WHERE c.year IS NOT NULL AND c.kind = 'resultatkontrakt'
          AND EXISTS (SELECT 1 FROM goals g WHERE g.contract_id = c.id)""").fetchone()[0]


def list_meetings(db: Database) -> list[dict]:
    """Meetings, newest first (undated last), with their number of agenda items."""
    return fetch_dicts(db, """
        SELECT m.id, m.title, m.date, m.body, m.place,
               (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id) AS items
        FROM meetings m ORDER BY m.date IS NULL, m.date DESC, m.id DESC
    """)


def meeting_items(db: Database, meeting_id: int, public: bool = False) -> list[dict]:
    items = fetch_dicts(db, """
        SELECT id, meeting_id, position, number, title, access, baggrund, sagsfremstilling, indstilling, beslutning,
               group_title, case_number, flags, document_id, line_start, line_end
        FROM agenda_items WHERE meeting_id = ? ORDER BY position
    """, (meeting_id,))
    seen = visibility(db, public)
    for item in items:
        item["flags"] = json.loads(item["flags"] or "[]")
        if public and (item["access"] == "lukket" or not seen.item_visible(item["id"])):
            for key in CLOSED_ITEM_FIELDS:
                item[key] = None
            item["flags"] = []
            item["title"] = CLOSED_TITLE
            item["bilag"] = []
            item["links"] = []
            continue
        item["bilag"] = item_bilag(db, item["id"], seen)
        item["links"] = item_links(db, item["id"])
    return items


def item_links(db: Database, item_id: int) -> list[dict]:
    """The goals and datasets an item concerns (#7): kind, stable target key and label as shown."""
    return fetch_dicts(db, "SELECT id, kind, target, label FROM item_links WHERE agenda_item_id = ? ORDER BY id",
                 (item_id,))


def item_bilag(db: Database, item_id: int, seen: Visibility | None = None) -> list[dict]:
    """An item's bilag; with `seen` (access.visibility) a bilag whose document is closed elsewhere is left out."""
    rows = fetch_dicts(db, """
        SELECT b.id, b.agenda_item_id, b.position, b.number, b.title, b.document_id, b.line_start, b.line_end,
               d.file_name AS document
        FROM bilag b LEFT JOIN documents d ON d.id = b.document_id
        WHERE b.agenda_item_id = ? ORDER BY b.position
    """, (item_id,))
    if seen is None or not seen.public:
        return rows
    return [b for b in rows if seen.bilag_visible(b["id"]) and seen.document_visible(b["document_id"])]


def get_meeting(db: Database, meeting_id: int, public: bool = False) -> dict | None:
    rows = fetch_dicts(db, "SELECT id, title, date, time, body, place, absent, participants, document_id "
                           "FROM meetings WHERE id = ?", (meeting_id,))
    if not rows:
        return None
    meeting = rows[0]
    meeting["items"] = meeting_items(db, meeting_id, public=public)
    return meeting


def get_agenda_item(db: Database, item_id: int) -> dict | None:
    rows = fetch_dicts(db, """
        SELECT a.*, m.title AS meeting_title, m.date AS meeting_date
        FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.id = ?
    """, (item_id,))
    if not rows:
        return None
    rows[0]["flags"] = json.loads(rows[0].get("flags") or "[]")
    rows[0]["bilag"] = item_bilag(db, item_id)
    rows[0]["links"] = item_links(db, item_id)
    return rows[0]


def get_bilag(db: Database, bilag_id: int) -> dict | None:
    rows = fetch_dicts(db, """
        SELECT b.*, d.file_name AS document, a.number AS item_number, a.title AS item_title, a.access,
               a.meeting_id
        FROM bilag b JOIN agenda_items a ON a.id = b.agenda_item_id
        LEFT JOIN documents d ON d.id = b.document_id WHERE b.id = ?
    """, (bilag_id,))
    return rows[0] if rows else None


def meeting_json(meeting: dict) -> dict:
    """The stable `show meeting --json` shape (keys may grow, these stay)."""
    return {
        "id": meeting["id"],
        "title": meeting["title"],
        "date": meeting["date"],
        "body": meeting["body"],
        "place": meeting["place"],
        "time": meeting.get("time"),
        "items": [
            {
                "id": item["id"],
                "number": item["number"],
                "title": item["title"],
                "access": item["access"],
                "group": item.get("group_title"),
                "case_number": item.get("case_number"),
                "indstilling": item.get("indstilling"),
                "sagsfremstilling": item.get("sagsfremstilling"),
                "baggrund": item.get("baggrund"),
                "beslutning": item.get("beslutning"),
                "flags": item.get("flags") or [],
                "bilag": [
                    {"number": b["number"], "title": b["title"], "document": b["document"],
                     "document_id": b["document_id"]}
                    for b in item["bilag"]
                ],
            }
            for item in meeting["items"]
        ],
    }
