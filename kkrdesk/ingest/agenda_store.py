"""A parsed dagsorden/referat into the store, merged with the meeting it belongs to.

One meeting is two documents — the dagsorden (later the referat) and the bilag
pack — imported in either order. They meet on body and date; items meet on
their printed number. An item keeps its row (so its id, theme tags, links and
the member's notes, keyed by meeting and number, stay) and takes the newer
document's texts; a Beslutning already stored is never wiped by a document that
has none. Items only in one document are kept and flagged.

Everything an item brings — its text, tables, figures — is written to a document
of its own (kind `agenda-item`, a part of the dagsorden file) that the item row
points to, so a closed item's rows are all reachable from the item and one
public filter can drop them.
"""

from __future__ import annotations

import datetime as dt
import json

from kkrdesk.data.lines import Line, join_text
from kkrdesk.data.section_text import pack_body, pack_line_numbers
from kkrdesk.data.store import Store
from kkrdesk.ingest.agenda import Agenda, AgendaItem
from kkrdesk.ingest.agenda_access import CLOSED
from kkrdesk.ingest.agenda_patterns import _same_title
from kkrdesk.ingest.context import ExtractContext
from kkrdesk.ingest.filing import meeting_title

ITEM_DOCUMENT = "agenda-item"
AGENDA_KINDS = ("dagsorden", "referat")
SECTION_LABELS = {"baggrund": "Baggrund", "sagsfremstilling": "Sagsfremstilling", "indstilling": "Indstilling",
                  "beslutning": "Beslutning"}
FLAG_ONLY_PACK = "Kun i bilagspakken – punktet står ikke i dagsordenen"
FLAG_NOT_LATEST = "Ikke med i den nyeste dagsorden/referat"
FLAG_BILAG_MISSING = "Bilag nævnt i dagsordenen mangler i bilagspakken"


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def document_title(agenda: Agenda) -> str:
    from kkrdesk.data.danish import format_date

    what = "Referat fra" if agenda.kind == "referat" else "Dagsorden til"
    when = format_date(agenda.date) if agenda.date else "dato ukendt"
    return f"{what} møde i {agenda.body} {when}"


def find_meeting(store: Store, body: str, date: dt.date | None) -> int | None:
    """The meeting this document belongs to: same body and date (None when the date is unknown)."""
    if date is None:
        return None
    row = store.conn.execute(
        "SELECT id FROM meetings WHERE date = ? AND lower(body) = lower(?) ORDER BY id LIMIT 1",
        (date.isoformat(), body),
    ).fetchone()
    return row[0] if row else None


def find_meeting_by_items(store: Store, items: list[tuple[str, str]], *, dated: bool) -> int | None:
    """When one document has no date: the meeting whose items it matches (number and title, ≥ 80 %, at
    least two), among dated meetings (`dated`) or undated ones. Several equally good: none (no guessing)."""
    if len(items) < 2:
        return None
    where = "m.date IS NOT NULL" if dated else "m.date IS NULL"
    rows = store.conn.execute(
        f"SELECT m.id, a.number, a.title FROM meetings m JOIN agenda_items a ON a.meeting_id = m.id WHERE {where}"
    ).fetchall()
    by_meeting: dict[int, dict[str, str]] = {}
    for meeting_id, number, title in rows:
        by_meeting.setdefault(meeting_id, {})[number] = title
    scores = {
        meeting_id: sum(1 for number, title in items if number in known and _same_title(known[number], title))
        for meeting_id, known in by_meeting.items()
    }
    best = [m for m, score in scores.items() if score >= max(2, 0.8 * len(items))]
    return best[0] if len(best) == 1 else None


def _insert_document(store: Store, *, kind: str, title: str, lines: list[Line], raw: str, file_name: str,
                     sha: str, parent_id: int | None, part_index: int | None, year: int | None) -> int:
    return store.db["documents"].insert({
        "parent_id": parent_id, "part_index": part_index, "file_name": file_name, "sha256": sha, "kind": kind,
        "title": title, "year": year, "imported_at": _now(), "original_text": raw,
        "normalised_text": join_text(lines),
        "line_start": lines[0].no if lines else 1, "line_end": lines[-1].no if lines else 1,
    }).last_pk


def _insert_section(store: Store, document_id: int, position: int, number: str | None, title: str,
                    lines: list[Line]) -> None:
    body = [line for line in lines if line.no]
    while body and not body[-1].text:
        body.pop()
    while body and not body[0].text:
        body.pop(0)
    if not body:
        return
    store.db["sections"].insert({
        "document_id": document_id, "position": position, "number": number, "title": title, "level": 2,
        "body": pack_body("\n".join(line.text for line in body)), "body_lines": pack_line_numbers([line.no for line in body]),
        "line_start": body[0].no, "line_end": body[-1].no,
    })


def _item_document(store: Store, item: AgendaItem, *, top_id: int, index: int, raw_lines: list[str],
                   file_name: str, sha: str, year: int | None) -> int:
    """The item's own document: its lines, one section per field, its figures."""
    from kkrdesk.ingest.figures import store_figures

    lines = item.lines
    raw = "\n".join(raw_lines[lines[0].no - 1:lines[-1].no]) if lines else ""
    doc_id = _insert_document(store, kind=ITEM_DOCUMENT, title=f"{item.number} {item.title}", lines=lines, raw=raw,
                              file_name=file_name, sha=sha, parent_id=top_id, part_index=index, year=year)
    position = 0
    for key in ("indstilling", "sagsfremstilling", "baggrund", "beslutning"):
        if item.text(key):
            _insert_section(store, doc_id, position, item.number, f"{item.title} – {SECTION_LABELS[key]}",
                            item.sections[key])
            position += 1
    ctx = ExtractContext(store.db, doc_id, ITEM_DOCUMENT, item.title, year, file_name, lines)
    store_figures(ctx)
    for line_no, message in ctx.warnings:
        store.db["warnings"].insert({"document_id": doc_id, "line": line_no, "message": message})
    return doc_id


def _item_values(item: AgendaItem, doc_id: int) -> dict:
    values = {
        "title": item.title, "group_title": item.group, "case_number": item.case_number,
        "document_id": doc_id, "line_start": item.line, "line_end": item.lines[-1].no if item.lines else item.line,
    }
    for key in ("baggrund", "sagsfremstilling", "indstilling", "beslutning"):
        values[key] = item.text(key)
    return values


def _merge_item(store: Store, existing: dict, item: AgendaItem, doc_id: int, warnings: list[str]) -> None:
    changes = {k: v for k, v in _item_values(item, doc_id).items() if v is not None}
    # Safe by default: once closed, a later document does not open an item; the secretariat can.
    if item.access.closed or existing["access"] == CLOSED:
        changes["access"] = CLOSED
        if not item.access.closed:
            warnings.append(f"punkt {item.number} er lukket fra en tidligere import og forbliver lukket")
    store.db["agenda_items"].update(existing["id"], changes)
    old_doc = existing.get("document_id")
    if old_doc and old_doc != doc_id:
        row = store.conn.execute("SELECT kind FROM documents WHERE id = ?", (old_doc,)).fetchone()
        if row and row[0] == ITEM_DOCUMENT:
            # the earlier version's copy of this item goes: no stray copy of closed text is left unlinked
            store.conn.execute("DELETE FROM documents WHERE id = ?", (old_doc,))


def _merge_bilag(store: Store, item_id: int, item: AgendaItem) -> None:
    rows = {r[1]: r[0] for r in store.conn.execute("SELECT id, number FROM bilag WHERE agenda_item_id = ?", (item_id,))}
    position = store.conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM bilag WHERE agenda_item_id = ?",
                                  (item_id,)).fetchone()[0]
    for bilag in item.bilag:
        if bilag.number in rows:
            store.conn.execute("UPDATE bilag SET title = ? WHERE id = ? AND document_id IS NULL",
                               (bilag.title, rows[bilag.number]))
            continue
        store.db["bilag"].insert({"agenda_item_id": item_id, "position": position, "number": bilag.number,
                                  "title": bilag.title, "document_id": None, "line_start": bilag.line,
                                  "line_end": bilag.line})
        rows[bilag.number] = -1
        position += 1


def _order(numbers_in_doc: list[str], existing: list[tuple[int, str]]) -> list[str]:
    """The document's order, with items it lacks placed after their nearest lower number."""
    def key(number: str) -> tuple[int, ...]:
        try:
            return tuple(int(p) for p in number.split("."))
        except ValueError:
            return (999,)

    order = list(numbers_in_doc)
    for _, number in existing:
        if number in order:
            continue
        at = len(order)
        for k, other in enumerate(order):
            if key(other) > key(number):
                at = k
                break
        order.insert(at, number)
    return order


def _drop_superseded(store: Store, document_id: int) -> None:
    """The older dagsorden goes once no item reads from it any more: its full text holds every item,
    closed ones too, and a copy nothing links to is one no filter could find."""
    used = store.conn.execute(
        "SELECT COUNT(*) FROM agenda_items WHERE document_id IN (SELECT id FROM documents WHERE parent_id = ?)",
        (document_id,)).fetchone()[0]
    if not used:
        store.conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))


def refresh_flags(store: Store, meeting_id: int) -> None:
    """Recompute each item's flags from what the meeting now holds (stateless, so any order agrees)."""
    meeting_doc = store.conn.execute("SELECT document_id FROM meetings WHERE id = ?", (meeting_id,)).fetchone()[0]
    latest_agenda = None
    if meeting_doc:
        row = store.conn.execute("SELECT kind FROM documents WHERE id = ?", (meeting_doc,)).fetchone()
        latest_agenda = meeting_doc if row and row[0] in AGENDA_KINDS else None
    has_agenda = store.conn.execute(
        "SELECT 1 FROM agenda_items a JOIN documents d ON d.id = a.document_id "
        "WHERE a.meeting_id = ? AND d.kind = ? LIMIT 1", (meeting_id, ITEM_DOCUMENT)).fetchone() is not None
    has_pack = store.conn.execute(
        "SELECT 1 FROM bilag b JOIN agenda_items a ON a.id = b.agenda_item_id JOIN documents d ON d.id = b.document_id "
        "WHERE a.meeting_id = ? LIMIT 1", (meeting_id,)).fetchone() is not None
    rows = store.conn.execute(
        "SELECT a.id, d.kind, d.parent_id, "
        "(SELECT COUNT(*) FROM bilag b WHERE b.agenda_item_id = a.id AND b.document_id IS NULL) "
        "FROM agenda_items a LEFT JOIN documents d ON d.id = a.document_id WHERE a.meeting_id = ?",
        (meeting_id,)).fetchall()
    for item_id, kind, parent, missing in rows:
        flags: list[str] = []
        from_agenda = kind == ITEM_DOCUMENT
        if has_agenda and not from_agenda:
            flags.append(FLAG_ONLY_PACK)
        if from_agenda and latest_agenda and parent != latest_agenda:
            flags.append(FLAG_NOT_LATEST)
        if from_agenda and has_pack and missing:
            flags.append(FLAG_BILAG_MISSING)
        store.conn.execute("UPDATE agenda_items SET flags = ? WHERE id = ?",
                           (json.dumps(flags, ensure_ascii=False), item_id))


def store_agenda(store: Store, agenda: Agenda, *, raw: str, lines: list[Line], file_name: str, sha: str,
                 year: int | None) -> tuple[int, int, list[str]]:
    """Write the document, its items' documents and the meeting (new or merged): (document id, meeting id,
    warnings). Runs inside the caller's transaction."""
    from kkrdesk.data.themes import load_themes, tag_meeting

    warnings: list[str] = []
    top_id = _insert_document(store, kind=agenda.kind, title=document_title(agenda), lines=lines, raw=raw,
                              file_name=file_name, sha=sha, parent_id=None, part_index=None, year=year)
    _insert_section(store, top_id, 0, None, "Forside", agenda.cover)
    meeting_id = find_meeting(store, agenda.body, agenda.date)
    if meeting_id is None and agenda.date is not None:
        # its bilag pack came first without a date of its own: the items tell which meeting it is
        meeting_id = find_meeting_by_items(store, [(i.number, i.title) for i in agenda.items if i.bilag],
                                           dated=False)
        if meeting_id is not None:
            store.db["meetings"].update(meeting_id, {
                "date": agenda.date.isoformat(), "year": agenda.date.year,
                "title": meeting_title(agenda.date, agenda.date.year)})
            warnings.append(f"{file_name}: bilagspakken uden dato hører til dette møde (samme punkter); "
                            f"mødet har nu datoen fra dagsordenen")
    meeting_values = {"time": agenda.time, "place": agenda.place, "absent": agenda.absent,
                      "participants": agenda.participants}
    if meeting_id is None:
        meeting_id = store.db["meetings"].insert({
            "body": agenda.body, "date": agenda.date.isoformat() if agenda.date else None,
            "year": agenda.date.year if agenda.date else year,
            "title": meeting_title(agenda.date, agenda.date.year if agenda.date else year),
            **meeting_values,
        }).last_pk
    else:
        store.db["meetings"].update(meeting_id, {k: v for k, v in meeting_values.items() if v})
    previous = store.conn.execute(
        "SELECT d.id FROM meetings m JOIN documents d ON d.id = m.document_id WHERE m.id = ? AND d.kind IN (?, ?)",
        (meeting_id, *AGENDA_KINDS)).fetchone()
    store.db["meetings"].update(meeting_id, {"document_id": top_id, "line_start": lines[0].no,
                                             "line_end": lines[-1].no})
    existing = {row["number"]: row for row in store.db.query(
        "SELECT id, number, access, document_id, position FROM agenda_items WHERE meeting_id = ? ORDER BY position",
        [meeting_id])}
    raw_lines = raw.split("\n")
    ids: dict[str, int] = {}
    for index, item in enumerate(agenda.items):
        doc_id = _item_document(store, item, top_id=top_id, index=index, raw_lines=raw_lines, file_name=file_name,
                                sha=sha, year=year)
        if item.number in existing:
            _merge_item(store, existing[item.number], item, doc_id, warnings)
            item_id = existing[item.number]["id"]
        else:
            item_id = store.db["agenda_items"].insert({
                "meeting_id": meeting_id, "position": 0, "number": item.number, "access": item.access.access,
                **_item_values(item, doc_id),
            }).last_pk
        ids[item.number] = item_id
        _merge_bilag(store, item_id, item)
    order = _order([item.number for item in agenda.items], [(r["id"], n) for n, r in existing.items()])
    for position, number in enumerate(order):
        item_id = ids.get(number) or existing[number]["id"]
        store.conn.execute("UPDATE agenda_items SET position = ? WHERE id = ?", (position, item_id))
    if previous is not None:
        _drop_superseded(store, previous[0])
    refresh_flags(store, meeting_id)
    tag_meeting(store.db, meeting_id, load_themes())
    for line_no, message in agenda.warnings:
        store.db["warnings"].insert({"document_id": top_id, "line": line_no, "message": message})
        warnings.append(f"{file_name}, linje {line_no}: {message}" if line_no else f"{file_name}: {message}")
    return top_id, meeting_id, warnings


def merge_pack(store: Store, meeting_id: int, pack, pack_doc_id: int, bilag_doc_ids: dict[int, int]) -> None:
    """A bilag pack into a meeting its dagsorden made: bilag meet on item and bilag number."""
    existing = {row[1]: row[0] for row in store.conn.execute(
        "SELECT id, number FROM agenda_items WHERE meeting_id = ?", (meeting_id,))}
    count = len(existing)
    for item in pack.items:
        item_id = existing.get(item.number)
        if item_id is None:
            spans = [b for b in item.bilag if b.lines]
            item_id = store.db["agenda_items"].insert({
                "meeting_id": meeting_id, "position": count, "number": item.number, "title": item.title,
                "access": "åben", "document_id": pack_doc_id,
                "line_start": spans[0].line_start if spans else item.toc_line,
                "line_end": spans[-1].lines[-1].no if spans else item.toc_line,
            }).last_pk
            count += 1
        rows = {r[1]: r[0] for r in store.conn.execute("SELECT id, number FROM bilag WHERE agenda_item_id = ?",
                                                        (item_id,))}
        for position, bilag in enumerate(item.bilag):
            values = {"document_id": bilag_doc_ids.get(id(bilag)), "line_start": bilag.line_start,
                      "line_end": bilag.lines[-1].no if bilag.lines else None}
            if bilag.number in rows:
                store.db["bilag"].update(rows[bilag.number], values)
            else:
                store.db["bilag"].insert({"agenda_item_id": item_id, "position": position, "number": bilag.number,
                                          "title": bilag.title, **values})
    numbers = [r[0] for r in store.conn.execute(
        "SELECT number FROM agenda_items WHERE meeting_id = ? ORDER BY position, id", (meeting_id,))]
    for position, number in enumerate(_order([], [(0, n) for n in numbers])):
        store.conn.execute("UPDATE agenda_items SET position = ? WHERE meeting_id = ? AND number = ?",
                           (position, meeting_id, number))
    if store.conn.execute("SELECT document_id FROM meetings WHERE id = ?", (meeting_id,)).fetchone()[0] is None:
        store.db["meetings"].update(meeting_id, {"document_id": pack_doc_id})
    refresh_flags(store, meeting_id)
