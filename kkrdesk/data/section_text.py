"""How a section's normalised text is stored: compressed when that saves room (#20.2).

The sections hold the only copy of the normalised text; FTS5 indexes it through the
view `sections_text`, which unpacks it with the SQL function `kkr_text` (registered on
every connection that writes sections or checks the index: `register`). A body is
either TEXT (short bodies, stores before schema 3, and packs, whose checker accepts
only TEXT) or a zstd frame as a BLOB; readers call `unpack_body` and never care which.

zstd at level 1, measured on the bench archive's 54 MB of section text: 21.3 MB, written
in 0.26 s and read at 550 MB/s, where zlib level 1 gave 22.1 MB in 0.92 s and 160 MB/s
(a search unpacks the ~250 KB of the 20 sections it shows).
"""

from __future__ import annotations

import sqlite3
import zlib
from typing import Any

from kkrdesk.data import zstd_codec

FUNCTION = "kkr_text"
_MIN_PACKED = 200   # characters: below this the frame header eats the gain
_ZLIB_HEADER = 0x78  # a body packed by the first schema-3 builds (zlib), still read


def pack_body(text: str) -> str | bytes:
    """The stored form of a section's text: a zstd frame when that is smaller, else the text."""
    if len(text) < _MIN_PACKED:
        return text
    packed = zstd_codec.compress(text.encode("utf-8"), 1)
    return packed if len(packed) < len(text) else text


def unpack_body(value: Any) -> str:
    """The section's text from either stored form (None for a NULL)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return body_bytes(value).decode("utf-8")
    return value


def body_bytes(value: Any) -> bytes:
    """The section's text as UTF-8 bytes from either stored form, without decoding a packed one
    (a search scans the bytes of the sections it shows, #20)."""
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        if data[:1] == bytes([_ZLIB_HEADER]):
            return zlib.decompress(data)
        return zstd_codec.decompress(data)
    return (value or "").encode("utf-8")


def register(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Make `kkr_text(body)` known to this connection (the FTS triggers and view call it)."""
    conn.create_function(FUNCTION, 1, unpack_body, deterministic=True)
    return conn


def plain_bodies(conn: sqlite3.Connection) -> None:
    """Store every packed section text as plain TEXT again: a .kkrpack holds one meeting, and its
    checker (pack_check) accepts only the declared TEXT in sections.body."""
    conn.execute(f"UPDATE sections SET body = {FUNCTION}(body) WHERE typeof(body) = 'blob'")


def pack_line_numbers(numbers: list[int]) -> str:
    """`sections.body_lines`: the original line number of each body line, as a JSON list in which a run
    of consecutive numbers is its first number and minus how many follow it: [12, -3, 18] is 12–15, 18.

    Most of a section's lines follow each other, so this is a tenth of the plain list (#20.2: 3.8 MB of
    the bench archive's store). Line numbers are positive, so a list without runs reads as before."""
    out: list[int] = []
    index, count = 0, len(numbers)
    while index < count:
        first = numbers[index]
        end = index + 1
        while end < count and numbers[end] == numbers[end - 1] + 1:
            end += 1
        out.append(first)
        if end - index > 2:           # a run pays from three lines on
            out.append(index + 1 - end)
        else:
            out.extend(numbers[index + 1:end])
        index = end
    return "[" + ",".join(map(str, out)) + "]"


def unpack_line_numbers(text: str) -> list[int]:
    """The line numbers `pack_line_numbers` wrote (or a plain list); ValueError for anything else."""
    import json

    packed = json.loads(text)
    if not isinstance(packed, list):
        raise ValueError("body_lines er ikke en liste")
    numbers: list[int] = []
    for value in packed:
        if type(value) is not int:
            raise ValueError("body_lines skal være heltal")
        if value > 0:
            numbers.append(value)
        elif value < 0 and numbers:
            last = numbers[-1]
            numbers.extend(range(last + 1, last + 1 - value))
        else:
            raise ValueError("body_lines har et ugyldigt tal")
    return numbers
