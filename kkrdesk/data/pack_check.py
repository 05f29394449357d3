"""Validating a pack before anything reads it (#16, point 6).

A pack arrives from outside (mail, USB stick) and may be damaged or doctored. Before
the window or the CLI reads a single row, the pack is copied into memory (packs are
one meeting, small) and checked there: SQLite's integrity check, the full-text
index's own check, exactly the schema this kkrdesk makes (no table, view, trigger or
index of its own — a planted view could hang every query), one well-formed
pack_info row, values of the declared types, JSON that parses and dates that are
dates. Any failure is one line naming the file and the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from functools import lru_cache
from pathlib import Path

from kkrdesk.data import search_index
from kkrdesk.data.schema import MIGRATIONS, SCHEMA_VERSION
from kkrdesk.data.section_text import register as register_text_function

JSON_COLUMNS = {
    "sections": ["body_lines"],
    "goals": ["warnings"],
    "contracts": ["parties", "signatories"],
    "municipalities": ["variants"],
    "pack_info": ["item_hashes"],
}
DATE_COLUMNS = {"meetings": ["date"], "contracts": ["date", "in_force_from", "in_force_to"]}
MAX_PACK_BYTES = 512 * 1024 * 1024
MAX_ORIGINAL_BYTES = 2 * MAX_PACK_BYTES   # an original unpacked; a PDF barely compresses, text about 5×


class PackInvalid(Exception):
    """The reason a pack is refused (without the file name; the caller adds it)."""


class NotAPack(PackInvalid):
    """An ordinary store (or another SQLite file), not a published pack."""


@lru_cache(maxsize=2)
def expected_schema(version: int = SCHEMA_VERSION) -> frozenset[tuple[str, str, str, str | None]]:
    """(type, name, table, sql) of every object a store of this version has, from a fresh store."""
    conn = register_text_function(sqlite3.connect(":memory:", isolation_level=None))
    try:
        for migration in MIGRATIONS[:version]:
            conn.execute("BEGIN")
            migration(conn)
            conn.execute("COMMIT")
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> frozenset[tuple[str, str, str, str | None]]:
    return frozenset(
        (t, n, tbl, " ".join(sql.split()) if sql else None)
        for t, n, tbl, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        if not n.startswith("sqlite_")
    )


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str, bool]]:
    return [(r[1], (r[2] or "").upper(), bool(r[3])) for r in conn.execute(f'PRAGMA table_info("{table}")')]


ALLOWED = {"INTEGER": ("integer",), "TEXT": ("text",), "REAL": ("real", "integer")}


def _check_types(conn: sqlite3.Connection, tables: list[str]) -> None:
    for table in tables:
        for column, declared, not_null in _columns(conn, table):
            allowed = ALLOWED.get(declared)
            if allowed is None:
                continue
            kinds = ", ".join(f"'{k}'" for k in (*allowed, *(() if not_null else ("null",))))
            bad = conn.execute(f'SELECT COUNT(*) FROM "{table}" WHERE typeof("{column}") NOT IN ({kinds})'
                               ).fetchone()[0]
            if bad:
                raise PackInvalid(f"forkert værditype i {table}.{column}")


def _check_json(conn: sqlite3.Connection) -> None:
    for table, columns in JSON_COLUMNS.items():
        for column in columns:
            bad = conn.execute(f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" IS NOT NULL '
                               f'AND json_valid("{column}") = 0').fetchone()[0]
            if bad:
                raise PackInvalid(f"ugyldig JSON i {table}.{column}")


def _check_dates(conn: sqlite3.Connection) -> None:
    for table, columns in DATE_COLUMNS.items():
        for column in columns:
            for (value,) in conn.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'):
                try:
                    dt.date.fromisoformat(value)
                except (TypeError, ValueError):
                    raise PackInvalid(f"ugyldig dato i {table}.{column}") from None


def _check_originals(conn: sqlite3.Connection) -> None:
    """Every original unpacks to no more than the size its row declares, known before unpacking: a doctored
    row must not make the page view unpack gigabytes (a zstd frame states its size; zlib is unpacked with a cap)."""
    import zlib

    for size, compression, data in conn.execute("SELECT size, compression, data FROM originals"):
        if not isinstance(size, int) or not 0 <= size <= MAX_ORIGINAL_BYTES or not isinstance(data, bytes):
            raise PackInvalid("ugyldig original fil (størrelse)")
        if compression == "zstd":
            import zstandard

            try:
                declared = zstandard.frame_content_size(data)
            except zstandard.ZstdError:
                declared = -2
            if declared != size:
                raise PackInvalid("en original fil er beskadiget (størrelsen passer ikke)")
        elif compression == "zlib":
            unpacker = zlib.decompressobj()
            try:
                unpacked = unpacker.decompress(data, size + 1)
            except zlib.error:
                unpacked = b""
            if len(unpacked) != size or unpacker.unconsumed_tail:
                raise PackInvalid("en original fil er beskadiget (størrelsen passer ikke)")
        else:
            raise PackInvalid(f"ukendt komprimering af en original fil ({str(compression)[:20]})")


def _check_info(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT meeting_key, meeting_id, title, published, version, public, item_hashes "
                        "FROM pack_info").fetchall()
    if len(rows) != 1:
        if not rows:
            raise NotAPack("er ikke en kkrdesk-pakke (mangler pakkeoplysninger)")
        raise PackInvalid("har mere end én pakkeoplysning")
    key, meeting_id, title, published, version, public, hashes = rows[0]
    if not isinstance(key, str) or not key.strip() or not isinstance(title, str):
        raise PackInvalid("ugyldige pakkeoplysninger (mødenøgle eller titel)")
    if not isinstance(version, int) or version < 1:
        raise PackInvalid("ugyldig version i pakkeoplysningerne")
    if public not in (0, 1):
        raise PackInvalid("ugyldigt offentlig-felt i pakkeoplysningerne")
    try:
        dt.datetime.fromisoformat(published)
    except (TypeError, ValueError):
        raise PackInvalid("ugyldig udgivelsesdato i pakkeoplysningerne") from None
    try:
        parsed = json.loads(hashes)
    except (TypeError, ValueError):
        raise PackInvalid("ugyldige punkt-fingeraftryk (item_hashes)") from None
    if not isinstance(parsed, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("hash"), str)
            and isinstance(v.get("title"), str) for k, v in parsed.items()):
        raise PackInvalid("ugyldige punkt-fingeraftryk (item_hashes)")
    if conn.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] != 1 or \
            conn.execute("SELECT COUNT(*) FROM meetings WHERE id = ?", (meeting_id,)).fetchone()[0] != 1:
        raise PackInvalid("pakkens møde mangler eller er ikke det eneste")
    if public:
        closed_text = conn.execute(
            "SELECT COUNT(*) FROM agenda_items WHERE access = 'lukket' AND (sagsfremstilling IS NOT NULL "
            "OR indstilling IS NOT NULL OR beslutning IS NOT NULL OR document_id IS NOT NULL "
            "OR id IN (SELECT agenda_item_id FROM bilag))").fetchone()[0]
        if closed_text:
            raise PackInvalid("en offentlig pakke med indhold fra lukkede punkter")


def check_connection(conn: sqlite3.Connection) -> None:
    """All checks on an (in-memory) copy of a pack; PackInvalid with the reason."""
    register_text_function(conn)   # the index's integrity-check reads the text through it
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        raise PackInvalid(f"har skemaversion {version}, denne kkrdesk kender {SCHEMA_VERSION}")
    result = conn.execute("PRAGMA integrity_check(5)").fetchall()
    if result != [("ok",)]:
        raise PackInvalid(f"filen er beskadiget ({result[0][0][:80]})")
    if search_index.exists(conn) and conn.execute("SELECT 1 FROM pack_info LIMIT 1").fetchone() is None:
        raise NotAPack("er ikke en kkrdesk-pakke (mangler pakkeoplysninger)")   # an ordinary store (#20)
    if _schema(conn) != expected_schema():
        raise PackInvalid("skemaet er ikke det, kkrdesk laver (ekstra eller manglende tabeller, "
                          "kolonner, visninger eller triggere)")
    try:
        conn.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        raise PackInvalid("søgeindekset er beskadiget") from None
    tables = sorted({name for kind, name, _t, _s in expected_schema() if kind == "table"
                     and not name.startswith("sections_fts")})
    _check_types(conn, tables)
    _check_json(conn)
    _check_dates(conn)
    _check_info(conn)
    _check_originals(conn)
    if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise PackInvalid("rækker der peger på noget, der ikke findes")


def validate_pack_file(path: Path, source: sqlite3.Connection) -> None:
    """Check the pack open (read-only) in `source`; PackInvalid with the reason."""
    size = path.stat().st_size
    if size > MAX_PACK_BYTES:
        raise PackInvalid(f"pakken er for stor ({size // (1024 * 1024)} MB)")
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        try:
            source.backup(memory)
        except sqlite3.DatabaseError as exc:
            raise PackInvalid(f"filen er beskadiget ({exc})") from None
        try:
            check_connection(memory)
        except sqlite3.DatabaseError as exc:
            raise PackInvalid(f"filen er beskadiget ({exc})") from None
    finally:
        memory.close()
