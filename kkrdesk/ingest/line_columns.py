"""A file's lines as three columns, and its documents' lines as runs of them: how a prepared file
travels from a batch's worker to the writer (#20.3).

A prepared file holds every normalised line as a `Line`, and the same lines again in its
documents and its pack's bilag. Pickled as they are, that is a few objects per line — for the
bench's decade, 2 s of the worker's time and 1.7 s of the writer's, about a tenth of each. As
columns (line numbers, texts joined, pages) and (start, stop) runs it is a few strings and arrays.
"""

from __future__ import annotations

from array import array
from typing import NamedTuple

from kkrdesk.data.lines import Line, lines_from

Columns = tuple[bytes, str, list | None] | list[Line]


class Run(NamedTuple):
    """A list of lines that is `lines[start:stop]` of its file."""
    start: int
    stop: int


def to_columns(lines: list[Line]) -> Columns:
    """(line numbers, texts, pages or None) — or the lines themselves where a text holds a line break."""
    texts = "\n".join([line.text for line in lines])
    if texts.count("\n") != max(len(lines) - 1, 0):
        return lines
    try:
        numbers = array("I", [line.no for line in lines]).tobytes()
    except OverflowError:
        return lines
    pages = [line.page for line in lines]
    return numbers, texts, pages if any(page is not None for page in pages) else None


def from_columns(columns: Columns) -> list[Line]:
    if isinstance(columns, list):
        return columns
    numbers, texts, pages = columns
    nos = array("I")
    nos.frombytes(numbers)
    if not nos:
        return []
    split = texts.split("\n")
    if len(split) != len(nos) or (pages is not None and len(pages) != len(nos)):
        raise ValueError("linjernes kolonner har forskellig længde")
    return lines_from(nos, split, pages)


class Runs:
    """Lists of lines of one file as runs of it, and back."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self._at: dict[int, int] | None = None

    def run_of(self, part: list[Line]) -> Run | list[Line]:
        """The run `part` is, or `part` itself where it is not one (it then travels as it is)."""
        if not part:
            return Run(0, 0)
        if self._at is None:
            self._at = {line.no: index for index, line in enumerate(self.lines)}
        start = self._at.get(part[0].no)
        if start is None or self.lines[start:start + len(part)] != part:
            return part
        return Run(start, start + len(part))

    def lines_of(self, value: Run | list[Line]) -> list[Line]:
        return self.lines[value.start:value.stop] if isinstance(value, Run) else value
