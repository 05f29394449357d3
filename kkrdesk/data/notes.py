"""Private notes and stars: a separate SQLite file in the user data dir.

Notes never go into the content store: a content store is replaced by a
re-import, a newer bundle or a published pack, and a board member's notes must
outlive all of those. So a note is keyed by what the document *says* (meeting
title and date, item number, bilag number, contract year and goal number), not
by row ids, and the key survives any rebuild that prints the same numbers.

Each change is committed at once (autosave as typed: nothing is lost on a crash).
No Qt here: the window, the CLI and the briefing PDF all read notes the same way.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kkrdesk.paths import notes_store_path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    key TEXT PRIMARY KEY,          -- item:<meeting>:<no> | bilag:<item key>:<no> | goal:<year>:<no>
    kind TEXT NOT NULL,            -- item | bilag | goal
    title TEXT NOT NULL DEFAULT '',  -- what the note is on, as shown when written
    context TEXT NOT NULL DEFAULT '',  -- where it lives (meeting, contract), for "Mine noter"
    text TEXT NOT NULL DEFAULT '',
    starred INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
)
"""


@dataclass
class Note:
    key: str
    kind: str
    title: str
    context: str
    text: str
    starred: bool
    updated_at: str

    @property
    def empty(self) -> bool:
        return not self.text.strip() and not self.starred


# --- stable keys -------------------------------------------------------------------------------


def meeting_key(meeting: dict) -> str:
    """'<title>|<ISO date or empty>': what identifies a meeting across re-imports."""
    return f"{meeting.get('title') or ''}|{meeting.get('date') or ''}"


def item_key(meeting: dict, item_number: str | None, item_title: str | None = None) -> str:
    """Keyed by the printed item number; an unnumbered item (a loose bundle part) by its title."""
    return f"item:{meeting_key(meeting)}:{item_number or (item_title or '').replace(':', ' ')}"


def bilag_key(item_key_: str, bilag_number: str) -> str:
    return f"bilag:{item_key_}:{bilag_number}"


def goal_key(contract_year: int | str | None, goal_number: str) -> str:
    return f"goal:{contract_year if contract_year is not None else ''}:{goal_number}"


def key_kind(key: str) -> str:
    return key.split(":", 1)[0]


# --- the store ---------------------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class NotesStore:
    """One notes file; every write commits immediately."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else notes_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA busy_timeout = 3000")
        self.conn.execute(_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def get(self, key: str) -> Note | None:
        row = self.conn.execute(
            "SELECT key, kind, title, context, text, starred, updated_at FROM notes WHERE key = ?", (key,)
        ).fetchone()
        return _note(row) if row else None

    def _upsert(self, key: str, title: str, context: str, **fields: object) -> None:
        existing = self.get(key)
        text = fields.get("text", existing.text if existing else "")
        starred = fields.get("starred", existing.starred if existing else False)
        if not str(text).strip() and not starred:
            # An emptied, unstarred note is no note: "Mine noter" shows only real ones.
            self.conn.execute("DELETE FROM notes WHERE key = ?", (key,))
            return
        self.conn.execute(
            """INSERT INTO notes (key, kind, title, context, text, starred, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(key) DO UPDATE SET title = excluded.title, context = excluded.context,
                   text = excluded.text, starred = excluded.starred, updated_at = excluded.updated_at""",
            (key, key_kind(key), title or (existing.title if existing else ""),
             context or (existing.context if existing else ""), text, int(bool(starred)), _now()),
        )

    def set_text(self, key: str, text: str, *, title: str = "", context: str = "") -> None:
        self._upsert(key, title, context, text=text)

    def set_starred(self, key: str, starred: bool, *, title: str = "", context: str = "") -> None:
        self._upsert(key, title, context, starred=starred)

    def list_notes(self, *, starred_only: bool = False) -> list[Note]:
        """All notes, newest change first."""
        where = " WHERE starred = 1" if starred_only else ""
        rows = self.conn.execute(
            "SELECT key, kind, title, context, text, starred, updated_at FROM notes"
            f"{where} ORDER BY updated_at DESC, key"
        ).fetchall()
        return [_note(r) for r in rows]

    def notes_for_meeting(self, meeting: dict) -> dict[str, Note]:
        """Notes on a meeting's items and bilag, keyed by note key (see item_key/bilag_key)."""
        prefix = item_key(meeting, "")
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.conn.execute(
            "SELECT key, kind, title, context, text, starred, updated_at FROM notes "
            "WHERE key LIKE ? ESCAPE '\\' OR key LIKE ? ESCAPE '\\'",
            (like, "bilag:" + like),
        ).fetchall()
        return {r[0]: _note(r) for r in rows}


def _note(row: tuple) -> Note:
    key, kind, title, context, text, starred, updated_at = row
    return Note(key, kind, title, context, text, bool(starred), updated_at)


# --- convenience for callers without a store at hand (CLI, briefing PDF) ----------------------


def list_notes(path: Path | str | None = None) -> list[Note]:
    store = NotesStore(path)
    try:
        return store.list_notes()
    finally:
        store.close()


def note_for_key(key: str, path: Path | str | None = None) -> Note | None:
    store = NotesStore(path)
    try:
        return store.get(key)
    finally:
        store.close()


def notes_for_meeting(meeting: dict, path: Path | str | None = None) -> dict[str, Note]:
    """For `--with-notes`: {note key: Note} for a meeting dict (from queries.get_meeting).

    Look an item's note up with `item_key(meeting, item["number"])`, a bilag's with
    `bilag_key(item_key(meeting, item["number"]), bilag["number"])`.
    """
    store = NotesStore(path)
    try:
        return store.notes_for_meeting(meeting)
    finally:
        store.close()


def resolve_key(db, key: str) -> tuple[str, int] | None:
    """The content row a note key points at in this content store: ("item"|"bilag"|"goal", id).

    None when the store does not (or no longer) hold it; the note itself is kept.
    """
    kind = key_kind(key)
    try:
        if kind == "item":
            rest = key[len("item:"):]
            mkey, number = rest.rsplit(":", 1)
            title, date = mkey.rsplit("|", 1)
            row = db.execute(
                "SELECT a.id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id "
                "WHERE m.title = ? AND coalesce(m.date, '') = ? AND (a.number = ? OR "
                "(coalesce(a.number, '') = '' AND replace(a.title, ':', ' ') = ?)) ORDER BY a.id LIMIT 1",
                (title, date, number, number),
            ).fetchone()
            return ("item", row[0]) if row else None
        if kind == "bilag":
            ikey, number = key[len("bilag:"):].rsplit(":", 1)
            item = resolve_key(db, ikey)
            if item is None:
                return None
            row = db.execute("SELECT id FROM bilag WHERE agenda_item_id = ? AND number = ? LIMIT 1",
                             (item[1], number)).fetchone()
            return ("bilag", row[0]) if row else None
        if kind == "goal":
            _, year, number = key.split(":", 2)
            if year.isdigit():   # the document that stands for the year (#17: one rule, report wins)
                from kkrdesk.data.contracts.read import goal_row

                chosen = goal_row(db, int(year), number)
                if chosen is not None:
                    return ("goal", chosen["id"])
            row = db.execute(
                "SELECT g.id FROM goals g JOIN contracts c ON c.id = g.contract_id "
                "WHERE coalesce(c.year, '') = ? AND g.number = ? ORDER BY c.id, g.position LIMIT 1",
                (int(year) if year.isdigit() else year, number),
            ).fetchone()
            return ("goal", row[0]) if row else None
    except (ValueError, sqlite3.Error):
        return None
    return None
