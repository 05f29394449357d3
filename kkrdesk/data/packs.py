"""Published meeting packs: the read-only `.kkrpack` files (format, building, reading, item changes).

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
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kkrdesk.data import queries, search_index
from kkrdesk.data.access import CLOSED_TITLE, redact_closed
from kkrdesk.data.danish import format_date
from kkrdesk.data.originals import prune_originals
from kkrdesk.data.pack_check import NotAPack, PackInvalid, validate_pack_file
from kkrdesk.data.section_text import plain_bodies
from kkrdesk.data.section_text import register as register_text_function
from kkrdesk.data.store import Store, StoreError, open_store

if TYPE_CHECKING:
    from sqlite_utils import Database

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


_VALIDATED: dict[tuple, bool] = {}


def _validate_once(path: Path, store: Store) -> None:
    """Validate a pack, once per file version: the window reopens the installed pack on each item read."""
    info = path.stat()
    key = (str(path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns)
    if key in _VALIDATED:
        return
    validate_pack_file(path, store.conn)
    if len(_VALIDATED) > 64:
        _VALIDATED.clear()
    _VALIDATED[key] = True


def open_pack(path: Path | str, *, passphrase: str | None = None, accept_new_signer: bool = False) -> Store:
    """Open a .kkrpack read-only; every write through the store API is refused with a Danish message.

    A sealed pack (#18) is verified, decrypted and opened in memory (see sealed_store).
    """
    from kkrdesk.data.sealed_store import open_sealed

    path = Path(path)
    in_memory = open_sealed(path, passphrase=passphrase, accept_new_signer=accept_new_signer)
    if in_memory is not None:
        return in_memory
    store = open_store(path, read_only=True, immutable=True)
    try:
        _validate_once(path, store)
    except NotAPack as exc:
        store.close()
        raise StoreError(f"{path.name}: {exc}") from None
    except PackInvalid as exc:
        store.close()
        raise StoreError(f"{path.name}: afvist som pakke: {exc}") from None
    except BaseException:
        store.close()
        raise
    return store


def pack_label(store: Store) -> str | None:
    info = read_pack_info(store.db)
    return info.label if info else None


# --- item hashes and the difference between versions ------------------------------------------------


def _document_hash(db: Database, document_id: int | None) -> str | None:
    if document_id is None:
        return None
    from kkrdesk.data.texts import document_text  # stored once: in the sections (#20.2)

    return hashlib.sha256(document_text(db, document_id).encode()).hexdigest()[:16]


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
        # A closed item's title stays inside the (sealed) pack: these hashes are also kept in the member's
        # plain install index, so they name it only as "Lukket punkt" (#18).
        title = CLOSED_TITLE if item.get("access") == "lukket" else item["title"]
        hashes[item_ref(item)] = {"hash": digest[:20], "title": title}
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
    if public:
        redact_closed(conn)   # the one public filter (access.py), before other meetings go: a file
        #                       closed in any meeting stays closed here
    conn.execute("DELETE FROM meetings WHERE id != ?", (meeting_id,))
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
    from kkrdesk.data.texts import (  # parts read theirs from the file's document
        materialise_parts,
        plain_originals,
    )

    materialise_parts(conn, shells)
    conn.execute(f"UPDATE documents SET original_text = '', normalised_text = '' WHERE id IN {_in(shells)}")
    plain_originals(conn)
    plain_bodies(conn)
    prune_originals(conn, shells)
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
    """A not-yet-existing temp path beside the target (VACUUM INTO refuses an existing file).

    Callers that publish build into a private folder (kkrdesk.publish), so this copy of the
    full store never sits in a shared folder.
    """
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
        conn = register_text_function(sqlite3.connect(str(temp), isolation_level=None))
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, openable read-only
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN")
            search_index.drop(conn)   # the store's search postings hold every meeting's words (closed ones too)
            _prune(conn, meeting_id, public)
            conn.execute("INSERT INTO sections_fts(sections_fts) VALUES('rebuild')")
            from kkrdesk.data.lazydb import LazyDatabase

            hashes = item_hashes(LazyDatabase(conn), meeting_id)
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
