"""A line of normalised text that remembers where it came from.

Every parser works on `list[Line]` so any fact it extracts can cite the line
(1-based, in the original file) it was printed on, even after the normaliser
has dropped letterheads or joined hyphenated words.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from itertools import repeat
from typing import NamedTuple


class Line(NamedTuple):
    no: int  # 1-based line number in the original file
    text: str
    page: int | None = None  # page of the original it was printed on, where the format knows pages


_from_tuple = partial(tuple.__new__, Line)    # no Python-level __new__ per line


def lines_from(numbers: Iterable[int], texts: Iterable[str], pages: Iterable[int | None] | None = None) -> list[Line]:
    """Lines from their columns, as `[Line(n, t, p) ...]` but built without a Python call each: the
    normaliser makes one per line of every file (a twentieth of an import, #20)."""
    if pages is None:
        return list(map(_from_tuple, zip(numbers, texts, repeat(None), strict=False)))   # repeat: endless
    return list(map(_from_tuple, zip(numbers, texts, pages, strict=True)))


def join_text(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)


class LineSpan:
    """Mixin for anything made of a non-empty run of lines: where it starts and ends in the file."""

    lines: list[Line]

    @property
    def line_start(self) -> int:
        return self.lines[0].no

    @property
    def line_end(self) -> int:
        return self.lines[-1].no
