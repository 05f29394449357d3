"""How a section's normalised text is stored: compressed when that saves room (#20.2).

The sections hold the only copy of the normalised text; FTS5 indexes it through the
view `sections_text`, which unpacks it with the SQL function `kkr_text` (registered on
every connection that writes sections or checks the index: `register`). A body is
either TEXT (short bodies, stores before schema 3, and packs, whose checker accepts
only TEXT) or a zlib BLOB; readers call `unpack_body` and never care which.
"""

from __future__ import annotations

import sqlite3
import zlib
from typing import Any

FUNCTION = "kkr_text"
_MIN_PACKED = 200   # characters: below this zlib's header eats the gain


def pack_body(text: str) -> str | bytes:
    """The stored form of a section's text: zlib level 1 (fast; the import pays for it) when it is smaller."""
    if len(text) < _MIN_PACKED:
        return text
    packed = zlib.compress(text.encode("utf-8"), 1)
    return packed if len(packed) < len(text) else text


def unpack_body(value: Any) -> str:
    """The section's text from either stored form (None for a NULL)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return zlib.decompress(value).decode("utf-8")
    return value


def register(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Make `kkr_text(body)` known to this connection (the FTS triggers and view call it)."""
    conn.create_function(FUNCTION, 1, unpack_body, deterministic=True)
    return conn


def plain_bodies(conn: sqlite3.Connection) -> None:
    """Store every packed section text as plain TEXT again: a .kkrpack holds one meeting, and its
    checker (pack_check) accepts only the declared TEXT in sections.body."""
    conn.execute(f"UPDATE sections SET body = {FUNCTION}(body) WHERE typeof(body) = 'blob'")
