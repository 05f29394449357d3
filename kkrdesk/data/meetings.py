"""The secretariat's editing of meetings: create, edit, order and fill agenda items.

Every write goes through `store.ensure_writable()` first, so a published pack
(opened read-only) refuses with one clear Danish sentence instead of an SQLite
error. Item numbers are unique within a meeting because board members' notes
are keyed by them (see notes.item_key): two items "3.5" would share a note.

Attaching a file runs the ordinary import pipeline inside the same transaction
as the bilag row, so a file that fails — or anything after it — leaves neither
a document nor a bilag behind.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from kkrdesk.data import queries, search_index
from kkrdesk.data.danish import parse_date
from kkrdesk.data.store import Store, StoreError
from kkrdesk.ingest.importer import import_file

ACCESS_VALUES = ("åben", "lukket")
ITEM_TEXT_FIELDS = ("sagsfremstilling", "indstilling", "beslutning")
ITEM_FIELDS = ("number", "title", "access", *ITEM_TEXT_FIELDS)
MEETING_FIELDS = ("title", "date", "place", "body")
LINK_KINDS = ("goal", "dataset")


class MeetingError(StoreError):
    """Bad input to a meeting edit; the message is one line for the user."""


@dataclass
class Attachment:
    bilag_id: int
    document_id: int
    number: str
    title: str
    reused: bool                 # the same file (sha256) was imported before and is linked, not re-imported
    warnings: list[str]


# --- validation ------------------------------------------------------------------------------------


def check_date(value: str | None) -> str | None:
    """A date as ISO text, or None; '4.12.2026', '4. december 2026' and ISO are read, nothing is guessed."""
    if value is None or not value.strip():
        return None
    try:
        return parse_date(value).isoformat()
    except ValueError:
        raise MeetingError(f"ugyldig dato '{value}' (skriv fx 4.12.2026 eller 4. december 2026)") from None


def _check_text(name: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise MeetingError(f"{name} må ikke være tom")
    return text


def _check_access(value: str) -> str:
    if value not in ACCESS_VALUES:
        raise MeetingError(f"ukendt adgang '{value}' (vælg åben eller lukket)")
    return value


def _meeting_row(store: Store, meeting_id: int) -> dict:
    rows = list(store.db.query("SELECT * FROM meetings WHERE id = ?", [meeting_id]))
    if not rows:
        raise MeetingError(f"intet møde med id {meeting_id}")
    return rows[0]


def _item_row(store: Store, item_id: int) -> dict:
    rows = list(store.db.query("SELECT * FROM agenda_items WHERE id = ?", [item_id]))
    if not rows:
        raise MeetingError(f"intet dagsordenspunkt med id {item_id}")
    return rows[0]


def _check_unique_number(store: Store, meeting_id: int, number: str, except_id: int | None = None) -> None:
    row = store.conn.execute(
        "SELECT id FROM agenda_items WHERE meeting_id = ? AND number = ? AND id IS NOT ?",
        (meeting_id, number, except_id),
    ).fetchone()
    if row:
        raise MeetingError(f"mødet har allerede et punkt {number}")


# --- meetings --------------------------------------------------------------------------------------


def create_meeting(store: Store, title: str, date: str | None = None, place: str | None = None,
                   body: str = "KKR Nordjylland") -> int:
    """A new, empty meeting; returns its id. It gets a stable uid that all its published packs share."""
    store.ensure_writable()
    row = {
        "title": _check_text("titel", title),
        "date": check_date(date),
        "place": (place or "").strip() or None,
        "body": _check_text("organ", body),
        "uid": uuid.uuid4().hex,
    }
    with store.db.atomic():
        return store.db["meetings"].insert(row).last_pk


def update_meeting(store: Store, meeting_id: int, **fields: str | None) -> None:
    """Change title, date, place or body; fields not given stay as they are."""
    store.ensure_writable()
    _meeting_row(store, meeting_id)
    changes: dict = {}
    for name, value in fields.items():
        if name not in MEETING_FIELDS:
            raise MeetingError(f"et møde har ikke feltet '{name}'")
        if name == "date":
            changes[name] = check_date(value)
        elif name in ("title", "body"):
            changes[name] = _check_text(name, value)
        else:
            changes[name] = (value or "").strip() or None
    if changes:
        with store.db.atomic():
            store.db["meetings"].update(meeting_id, changes)


def ensure_meeting_uid(store: Store, meeting_id: int) -> str:
    """The meeting's stable key; imported meetings get one the first time they are published."""
    row = _meeting_row(store, meeting_id)
    if row.get("uid"):
        return row["uid"]
    store.ensure_writable()
    uid = uuid.uuid4().hex
    with store.db.atomic():
        store.db["meetings"].update(meeting_id, {"uid": uid})
    return uid


def delete_meeting(store: Store, meeting_id: int) -> None:
    """Remove a meeting and its items (attached documents stay in the store)."""
    store.ensure_writable()
    _meeting_row(store, meeting_id)
    with store.db.atomic():
        store.conn.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))


# --- agenda items ----------------------------------------------------------------------------------


def _item_ids(store: Store, meeting_id: int) -> list[int]:
    return [r[0] for r in store.conn.execute(
        "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position, id", (meeting_id,))]


def _write_positions(store: Store, ids: list[int]) -> None:
    for position, item_id in enumerate(ids):
        store.conn.execute("UPDATE agenda_items SET position = ? WHERE id = ?", (position, item_id))


def add_item(store: Store, meeting_id: int, number: str, title: str, *, sagsfremstilling: str | None = None,
             indstilling: str | None = None, beslutning: str | None = None, access: str = "åben",
             position: int | None = None) -> int:
    """Add an agenda item (last, or at `position`); returns its id."""
    store.ensure_writable()
    _meeting_row(store, meeting_id)
    number = _check_text("punktnummer", number)
    _check_unique_number(store, meeting_id, number)
    row = {
        "meeting_id": meeting_id,
        "position": 0,
        "number": number,
        "title": _check_text("titel", title),
        "access": _check_access(access),
        "sagsfremstilling": sagsfremstilling or None,
        "indstilling": indstilling or None,
        "beslutning": beslutning or None,
    }
    with store.db.atomic():
        ids = _item_ids(store, meeting_id)
        item_id = store.db["agenda_items"].insert(row).last_pk
        at = len(ids) if position is None else max(0, min(position, len(ids)))
        ids.insert(at, item_id)
        _write_positions(store, ids)
    return item_id


def update_item(store: Store, item_id: int, **fields: str | None) -> None:
    """Change an item's number, title, access or texts; fields not given stay as they are."""
    store.ensure_writable()
    item = _item_row(store, item_id)
    changes: dict = {}
    for name, value in fields.items():
        if name not in ITEM_FIELDS:
            raise MeetingError(f"et dagsordenspunkt har ikke feltet '{name}'")
        if name == "number":
            value = _check_text("punktnummer", value)
            _check_unique_number(store, item["meeting_id"], value, except_id=item_id)
        elif name == "title":
            value = _check_text("titel", value)
        elif name == "access":
            value = _check_access(value or "")
        else:
            value = value or None
        changes[name] = value
    if changes:
        with store.db.atomic():
            store.db["agenda_items"].update(item_id, changes)


def move_item(store: Store, item_id: int, position: int) -> None:
    """Move an item to `position` (0-based) in its meeting; the others close up around it."""
    store.ensure_writable()
    item = _item_row(store, item_id)
    with store.db.atomic():
        ids = [i for i in _item_ids(store, item["meeting_id"]) if i != item_id]
        ids.insert(max(0, min(position, len(ids))), item_id)
        _write_positions(store, ids)


def reorder_items(store: Store, meeting_id: int, item_ids: list[int]) -> None:
    """Set the whole order at once (what a drag and drop in the window ends with)."""
    store.ensure_writable()
    current = _item_ids(store, meeting_id)
    if sorted(current) != sorted(item_ids):
        raise MeetingError("rækkefølgen skal indeholde netop mødets punkter")
    with store.db.atomic():
        _write_positions(store, list(item_ids))


def remove_item(store: Store, item_id: int) -> None:
    """Remove an item with its bilag rows and links; the documents stay (they may be used elsewhere)."""
    store.ensure_writable()
    item = _item_row(store, item_id)
    with store.db.atomic():
        store.conn.execute("DELETE FROM agenda_items WHERE id = ?", (item_id,))
        _write_positions(store, _item_ids(store, item["meeting_id"]))


# --- attachments -----------------------------------------------------------------------------------


def _next_bilag_number(store: Store, item_id: int) -> tuple[int, str]:
    rows = store.conn.execute("SELECT position, number FROM bilag WHERE agenda_item_id = ?", (item_id,)).fetchall()
    position = max((r[0] for r in rows), default=-1) + 1
    numbers = [int(r[1]) for r in rows if str(r[1]).isdigit()]
    return position, str(max(numbers, default=0) + 1)


def attach_file(store: Store, item_id: int, path: Path | str, kind: str = "auto",
                title: str | None = None) -> Attachment:
    """Import `path` (or reuse the same file imported before) and add it as the item's next bilag.

    All-or-nothing: the import and the bilag row share one transaction, so an
    ImportProblem or any later failure leaves the store as it was.
    """
    store.ensure_writable()
    _item_row(store, item_id)
    path = Path(path)
    with store.db.atomic():
        result = import_file(store, path, kind=kind)
        search_index.sync(store.conn)   # the search's postings, in the same transaction (#20)
        existing = store.conn.execute(
            "SELECT id, number, title FROM bilag WHERE agenda_item_id = ? AND document_id = ?",
            (item_id, result.document_id),
        ).fetchone()
        if existing:
            return Attachment(existing[0], result.document_id, existing[1], existing[2], True, [])
        doc = queries.get_document(store.db, result.document_id) or {}
        position, number = _next_bilag_number(store, item_id)
        bilag_title = (title or doc.get("title") or path.stem).strip()
        bilag_id = store.db["bilag"].insert({
            "agenda_item_id": item_id, "position": position, "number": number, "title": bilag_title,
            "document_id": result.document_id,
            "line_start": doc.get("line_start"), "line_end": doc.get("line_end"),
        }).last_pk
    return Attachment(bilag_id, result.document_id, number, bilag_title, result.skipped, result.warnings)


def detach_bilag(store: Store, bilag_id: int) -> None:
    """Take a bilag off its item (the document stays in the store)."""
    store.ensure_writable()
    row = store.conn.execute("SELECT agenda_item_id FROM bilag WHERE id = ?", (bilag_id,)).fetchone()
    if row is None:
        raise MeetingError(f"intet bilag med id {bilag_id}")
    with store.db.atomic():
        store.conn.execute("DELETE FROM bilag WHERE id = ?", (bilag_id,))


# --- links to goals and datasets -------------------------------------------------------------------


def _goal_target(store: Store, goal_id: int) -> tuple[str, str]:
    from kkrdesk.data.notes import goal_key

    row = store.conn.execute(
        "SELECT g.number, g.title, c.year FROM goals g JOIN contracts c ON c.id = g.contract_id WHERE g.id = ?",
        (goal_id,),
    ).fetchone()
    if row is None:
        raise MeetingError(f"intet mål med id {goal_id}")
    number, title, year = row
    label = f"Mål {number}: {title}" + (f" ({year})" if year else "")
    return goal_key(year, number), label


def _dataset_target(store: Store, name: str) -> tuple[str, str]:
    row = store.conn.execute("SELECT name, title FROM datasets WHERE name = ?", (name,)).fetchone()
    if row is None:
        known = ", ".join(r[0] for r in store.conn.execute("SELECT name FROM datasets ORDER BY name"))
        raise MeetingError(f"intet datasæt '{name}'" + (f" (kendte: {known})" if known else ""))
    return row[0], row[1]


def link_item(store: Store, item_id: int, kind: str, target: int | str) -> int:
    """Link an item to a goal (by goal id) or a dataset (by name); the link keeps a stable key and a label.

    Stable keys rather than row ids, so the link still means the same thing in a
    pack that does not carry the contract, and after a re-import.
    """
    store.ensure_writable()
    _item_row(store, item_id)
    if kind == "goal":
        key, label = _goal_target(store, int(target))
    elif kind == "dataset":
        key, label = _dataset_target(store, str(target))
    else:
        raise MeetingError(f"ukendt henvisning '{kind}' (vælg goal eller dataset)")
    with store.db.atomic():
        store.conn.execute(
            "INSERT OR IGNORE INTO item_links (agenda_item_id, kind, target, label) VALUES (?, ?, ?, ?)",
            (item_id, kind, key, label),
        )
        return store.conn.execute(
            "SELECT id FROM item_links WHERE agenda_item_id = ? AND kind = ? AND target = ?", (item_id, kind, key)
        ).fetchone()[0]


def link_choices(db) -> list[dict]:
    """What an item can be linked to: each goal once per contract year (a report reprints its goals), then datasets.

    [{"kind": "goal", "target": goal id, "label"}, {"kind": "dataset", "target": name, "label"}]
    """
    from kkrdesk.data.contracts.read import contract_years, year_goal_rows

    choices: list[dict] = []
    for year in reversed(contract_years(db)):     # the document that stands for each year (#17)
        for g in year_goal_rows(db, year):
            choices.append({"kind": "goal", "target": g["id"], "label": f"Mål {g['number']}: {g['title']} ({year})"})
    for name, title in db.execute("SELECT name, title FROM datasets ORDER BY title").fetchall():
        choices.append({"kind": "dataset", "target": name, "label": f"Nøgletal: {title}"})
    return choices


def unlink_item(store: Store, link_id: int) -> None:
    store.ensure_writable()
    with store.db.atomic():
        store.conn.execute("DELETE FROM item_links WHERE id = ?", (link_id,))


__all__ = [
    "ACCESS_VALUES", "Attachment", "MeetingError", "add_item", "attach_file", "check_date",
    "create_meeting", "delete_meeting", "detach_bilag", "ensure_meeting_uid", "link_choices", "link_item",
    "move_item", "remove_item", "reorder_items", "unlink_item", "update_item", "update_meeting",
]
