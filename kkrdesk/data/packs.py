"""Publishing a meeting: the meeting folder and its read-only `.kkrpack` files.

A pack is one SQLite file (the ordinary store schema) holding just one
meeting's content plus a `pack_info` row: meeting key, published date,
version N, public flag and a content hash per item, so a member's app can say
what changed between versions ("Ændret", "Ny", "Udgået").

A public pack must hold none of the closed items' content — not in a table,
not in the full-text index, not in a free page. So it is built by copying the
store (VACUUM INTO), deleting everything that is not this meeting's open
content, rebuilding the FTS index from the remaining sections and VACUUMing,
all in a temp file renamed into place only when complete. The public PDF is
then made *from the public pack*, so even a redaction slip in a PDF builder
could not print what the pack no longer holds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from kkrdesk.data import queries
from kkrdesk.data.danish import format_date
from kkrdesk.data.store import Store, StoreError, open_store

PACK_SUFFIX = ".kkrpack"
PUBLIC_TAG = "offentlig"
CHANGED, NEW, REMOVED = "Ændret", "Ny", "Udgået"


@dataclass
class PackInfo:
    meeting_key: str
    meeting_id: int
    title: str
    published: str                       # ISO date-time
    version: int
    public: bool
    item_hashes: dict[str, dict] = field(default_factory=dict)   # {number: {"hash", "title"}}

    @property
    def label(self) -> str:
        """'Udgivet 23. november 2026, version 2' — what the window shows for an open pack."""
        text = f"Udgivet {format_date(self.published)}, version {self.version}"
        return text + " (offentlig udgave)" if self.public else text


@dataclass
class ItemChange:
    number: str
    title: str
    status: str                          # CHANGED | NEW | REMOVED


@dataclass
class ExportResult:
    version: int
    folder: Path
    briefing_pdf: Path
    public_pdf: Path
    pack: Path
    public_pack: Path

    @property
    def files(self) -> list[Path]:
        return [self.briefing_pdf, self.public_pdf, self.pack, self.public_pack]


# --- reading a pack ---------------------------------------------------------------------------------


def read_pack_info(db: Database) -> PackInfo | None:
    """The pack_info row of a pack; None for an ordinary store."""
    try:
        row = db.execute(
            "SELECT meeting_key, meeting_id, title, published, version, public, item_hashes FROM pack_info LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    if row is None:
        return None
    key, meeting_id, title, published, version, public, hashes = row
    return PackInfo(key, meeting_id, title, published, version, bool(public), json.loads(hashes or "{}"))


def open_pack(path: Path | str) -> Store:
    """Open a .kkrpack read-only; every write through the store API is refused with a Danish message."""
    path = Path(path)
    store = open_store(path, read_only=True)
    if read_pack_info(store.db) is None:
        store.close()
        raise StoreError(f"{path.name}: er ikke en kkrdesk-pakke (mangler pakkeoplysninger)")
    return store


def pack_label(store: Store) -> str | None:
    info = read_pack_info(store.db)
    return info.label if info else None


# --- item hashes and the difference between versions ------------------------------------------------


def _document_hash(db: Database, document_id: int | None) -> str | None:
    if document_id is None:
        return None
    row = db.execute("SELECT normalised_text FROM documents WHERE id = ?", (document_id,)).fetchone()
    return hashlib.sha256((row[0] if row else "").encode()).hexdigest()[:16]


def item_ref(item: dict) -> str:
    """An item's key between versions: its printed number (as the member's notes use), else its title."""
    return item.get("number") or (item.get("title") or "").replace(":", " ")


def item_hashes(db: Database, meeting_id: int, public: bool = False) -> dict[str, dict]:
    """{item number: {"hash", "title"}} in agenda order; the hash covers everything a member reads."""
    meeting = queries.get_meeting(db, meeting_id, public=public)
    if meeting is None:
        return {}
    hashes: dict[str, dict] = {}
    for item in meeting["items"]:
        payload = {
            key: item.get(key)
            for key in ("number", "title", "access", "sagsfremstilling", "indstilling", "beslutning", "baggrund",
                        "case_number")
        }
        payload["links"] = [[link["kind"], link["target"], link["label"]] for link in item.get("links", [])]
        payload["bilag"] = [[b["number"], b["title"], _document_hash(db, b["document_id"])] for b in item["bilag"]]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        hashes[item_ref(item)] = {"hash": digest[:20], "title": item["title"]}
    return hashes


def item_changes(old: dict[str, dict], new: dict[str, dict]) -> list[ItemChange]:
    """What changed from `old` to `new` item hashes: new agenda order first, then removed items."""
    changes = []
    for number, entry in new.items():
        if number not in old:
            changes.append(ItemChange(number, entry["title"], NEW))
        elif old[number]["hash"] != entry["hash"]:
            changes.append(ItemChange(number, entry["title"], CHANGED))
    changes.extend(ItemChange(number, entry["title"], REMOVED) for number, entry in old.items() if number not in new)
    return changes


# --- building a pack ---------------------------------------------------------------------------------


def _ids(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> set[int]:
    return {row[0] for row in conn.execute(sql, params) if row[0] is not None}


def _in(ids: set[int]) -> str:
    return "(" + ",".join(str(int(i)) for i in sorted(ids)) + ")"


def _descendants(conn: sqlite3.Connection, roots: set[int]) -> set[int]:
    return _ids(conn, f"""
        WITH RECURSIVE d(id) AS (SELECT id FROM documents WHERE id IN {_in(roots)}
            UNION SELECT documents.id FROM documents JOIN d ON documents.parent_id = d.id)
        SELECT id FROM d""")


def _ancestors(conn: sqlite3.Connection, ids: set[int]) -> set[int]:
    return _ids(conn, f"""
        WITH RECURSIVE a(id) AS (SELECT id FROM documents WHERE id IN {_in(ids)}
            UNION SELECT documents.parent_id FROM documents JOIN a ON documents.id = a.id
            WHERE documents.parent_id IS NOT NULL)
        SELECT id FROM a""")


def _tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'sections_fts%'")]
    return {name: [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')] for name in names}


def _prune(conn: sqlite3.Connection, meeting_id: int, public: bool) -> None:
    """Delete all but this meeting's (open, if public) content from a copy of the store."""
    conn.execute("DELETE FROM meetings WHERE id != ?", (meeting_id,))
    if public:
        closed = _ids(conn, "SELECT id FROM agenda_items WHERE access = 'lukket'")
        conn.execute(f"DELETE FROM bilag WHERE agenda_item_id IN {_in(closed)}")
        conn.execute(f"DELETE FROM item_links WHERE agenda_item_id IN {_in(closed)}")
        conn.execute(
            "UPDATE agenda_items SET title = ?, flags = '[]', "
            + ", ".join(f"{column} = NULL" for column in queries.CLOSED_ITEM_FIELDS)
            + f" WHERE id IN {_in(closed)}",
            (queries.CLOSED_TITLE,),
        )
        if "theme_tags" in _tables(conn):
            conn.execute(f"DELETE FROM theme_tags WHERE target_type = 'item' AND target_id IN {_in(closed)}")
    # Documents a member reads (bilag and their parts) keep their text; documents only
    # referenced for provenance (the file a meeting was read from, parents of parts) are
    # kept as empty shells, because their full text may hold other items' content.
    # An item's own document (its part of the dagsorden, #14) is content too: its tables' figures.
    content = _descendants(conn, _ids(conn, "SELECT document_id FROM bilag")) | _ids(
        conn, "SELECT a.document_id FROM agenda_items a JOIN documents d ON d.id = a.document_id "
              "WHERE d.kind = 'agenda-item'")
    referenced = _ids(conn, "SELECT document_id FROM agenda_items") | _ids(conn, "SELECT document_id FROM meetings")
    keep = _ancestors(conn, content | referenced)
    shells = keep - content
    conn.execute(f"DELETE FROM documents WHERE id NOT IN {_in(keep)}")
    conn.execute(f"UPDATE documents SET original_text = '', normalised_text = '' WHERE id IN {_in(shells)}")
    tables = _tables(conn)
    for name in ("sections", "warnings", "contracts", "figures"):
        if name in tables:
            conn.execute(f"DELETE FROM {name} WHERE document_id IN {_in(shells)}")
    for name in ("meta", "publications", "pack_info"):
        conn.execute(f"DELETE FROM {name}")
    # A safety net for tables added by other domains: rows pointing at something gone go too.
    for name, columns in _tables(conn).items():
        for column, parent in (("document_id", "documents"), ("agenda_item_id", "agenda_items"),
                               ("meeting_id", "meetings")):
            if column in columns and name not in (parent, "pack_info"):
                conn.execute(f'DELETE FROM "{name}" WHERE {column} IS NOT NULL '
                             f"AND {column} NOT IN (SELECT id FROM {parent})")
    if "theme_tags" in tables:
        for target_type, parent in (("item", "agenda_items"), ("bilag", "bilag"), ("document", "documents")):
            conn.execute(f"DELETE FROM theme_tags WHERE target_type = ? AND target_id NOT IN (SELECT id FROM {parent})",
                         (target_type,))
    for table in ("targets", "outcomes", "figures"):
        conn.execute(f"DELETE FROM corrections WHERE target_table = ? AND row_id NOT IN (SELECT id FROM {table})",
                     (table,))


@contextlib.contextmanager
def _temp_path(folder: Path, name: str) -> Iterator[Path]:
    """A not-yet-existing temp path beside the target (VACUUM INTO refuses an existing file)."""
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        yield temp
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def build_pack(store: Store, meeting_id: int, target: Path | str, *, public: bool, version: int,
               meeting_key: str, published: str | None = None) -> PackInfo:
    """Write one pack file for a meeting, atomically (temp file + rename)."""
    target = Path(target)
    published = published or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    meeting = queries.get_meeting(store.db, meeting_id)
    if meeting is None:
        raise StoreError(f"intet møde med id {meeting_id}")
    with _temp_path(target.parent, target.name) as temp:
        store.conn.execute("VACUUM INTO ?", (str(temp),))
        conn = sqlite3.connect(str(temp), isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, openable read-only
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN")
            _prune(conn, meeting_id, public)
            conn.execute("INSERT INTO sections_fts(sections_fts) VALUES('rebuild')")
            hashes = item_hashes(Database(conn), meeting_id)
            info = PackInfo(meeting_key, meeting_id, meeting["title"], published, version, public, hashes)
            conn.execute(
                "INSERT INTO pack_info (meeting_key, meeting_id, title, published, version, public, item_hashes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (info.meeting_key, meeting_id, info.title, published, version, int(public),
                 json.dumps(hashes, ensure_ascii=False)),
            )
            conn.execute("COMMIT")
            conn.execute("VACUUM")
        finally:
            conn.close()
        os.replace(temp, target)
    return info


# --- the meeting folder -----------------------------------------------------------------------------


def pack_name(meeting: dict) -> str:
    """A file name stem from date and title: '2026-12-03-kkr-nordjylland-moede'."""
    text = f"{meeting.get('date') or ''} {meeting.get('title') or 'moede'}".lower()
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "moede"


def next_version(store: Store, meeting_id: int) -> int:
    row = store.conn.execute("SELECT MAX(version) FROM publications WHERE meeting_id = ?", (meeting_id,)).fetchone()
    return (row[0] or 0) + 1


def _build_pdf(pack_path: Path, meeting_id: int, target: Path, public: bool) -> None:
    from kkrdesk.briefing import build_meeting_pack

    pack = open_store(pack_path, read_only=True)
    try:
        build_meeting_pack(pack.db, meeting_id, target, public=public)
    finally:
        pack.close()


def export_meeting(store: Store, meeting_id: int, out_dir: Path | str, *,
                   published: str | None = None) -> ExportResult:
    """Write the meeting folder: briefing PDF, public PDF, pack and public pack, as version N+1.

    Everything is built in a temp folder first and moved into `out_dir` only when
    all four files exist, and the version is recorded last, so a failure leaves
    the previous folder and version count as they were.
    """
    from kkrdesk.data.meetings import ensure_meeting_uid

    store.ensure_writable()
    meeting = queries.get_meeting(store.db, meeting_id)
    if meeting is None:
        raise StoreError(f"intet møde med id {meeting_id}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    key = ensure_meeting_uid(store, meeting_id)
    version = next_version(store, meeting_id)
    published = published or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    name = pack_name(meeting)
    names = {
        "pack": f"{name}{PACK_SUFFIX}",
        "public_pack": f"{name}-{PUBLIC_TAG}{PACK_SUFFIX}",
        "briefing_pdf": f"{name}.pdf",
        "public_pdf": f"{name}-{PUBLIC_TAG}.pdf",
    }
    work = Path(tempfile.mkdtemp(prefix=".kkrdesk-export-", dir=out_dir))
    try:
        build_pack(store, meeting_id, work / names["pack"], public=False, version=version, meeting_key=key,
                   published=published)
        build_pack(store, meeting_id, work / names["public_pack"], public=True, version=version, meeting_key=key,
                   published=published)
        _build_pdf(work / names["pack"], meeting_id, work / names["briefing_pdf"], public=False)
        _build_pdf(work / names["public_pack"], meeting_id, work / names["public_pdf"], public=True)
        for file_name in names.values():
            os.replace(work / file_name, out_dir / file_name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with store.db.atomic():
        store.db["publications"].insert({"meeting_id": meeting_id, "version": version, "published_at": published})
    return ExportResult(version, out_dir, *(out_dir / names[k] for k in ("briefing_pdf", "public_pdf", "pack",
                                                                        "public_pack")))


def publications(db: Database, meeting_id: int) -> list[dict]:
    """The versions of a meeting published so far, newest first."""
    cursor = db.execute("SELECT version, published_at FROM publications WHERE meeting_id = ? ORDER BY version DESC",
                        (meeting_id,))
    return [{"version": v, "published_at": p} for v, p in cursor.fetchall()]
