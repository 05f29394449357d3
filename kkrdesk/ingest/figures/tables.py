"""Shape-based reading of flattened tables.

PDF-to-text turns a table into lines in a few recurring shapes: a label
followed by numbers separated by spaces ("Aalborg 98 98 196 196"), cells
separated by TABs, a header of years somewhere above, and sometimes two tables
printed side by side on one line. These helpers recognise those shapes, so an
extractor never depends on one file's line numbers and next year's table
(other numbers, other years) parses the same way.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from kkrdesk.data.danish import parse_number
from kkrdesk.data.lines import Line, lines_from
from kkrdesk.data.municipalities import match_leading_municipality

_HYPHEN_END = re.compile(r"[A-Za-zÆØÅæøå]{2,}-$")
_STARTS_LOWER = re.compile(r"^[a-zæøå]")
_LINE_ENDS_IN_HYPHEN = re.compile(r"-\s*$", re.MULTILINE)   # some line's strip() ends with "-"
_FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_FOOTNOTE = re.compile(rf"\s*[{_FOOTNOTE_MARKS}]+$")
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
TOTAL_RE = re.compile(r"^(?:i alt|total|samlet|sum|.* i alt:?)$", re.IGNORECASE)


_T = TypeVar("_T")
_memo: dict[tuple[str, int], tuple[list[Line], object]] | None = None


@contextlib.contextmanager
def shared_readings() -> Iterator[None]:
    """Inside, `join_hyphenated` and `tab_tables` read each line list once: `extract_all` hands the same
    document's lines to several dataset readers, and each joined and split them again (#20).
    The readers only read what these return; the list itself is the key (kept, so its id stays its own)."""
    global _memo
    previous, _memo = _memo, {}
    try:
        yield
    finally:
        _memo = previous


def _once(name: str, lines: list[Line], compute: Callable[[list[Line]], _T]) -> _T:
    if _memo is None:
        return compute(lines)
    hit = _memo.get((name, id(lines)))
    if hit is not None and hit[0] is lines:
        return hit[1]  # type: ignore[return-value]
    value = compute(lines)
    _memo[(name, id(lines))] = (lines, value)
    return value


def join_hyphenated(lines: list[Line]) -> list[Line]:
    """Join "Brønders-" / "lev 20 20 40 40" (blank lines between allowed) into one Line.

    The normaliser already does this; doing it here too keeps the table
    readers correct on raw lines. The joined line keeps the first line's number.
    """
    return _once("joined", lines, _join_hyphenated)


def _join_hyphenated(lines: list[Line]) -> list[Line]:
    if not _LINE_ENDS_IN_HYPHEN.search("\n".join(line.text for line in lines)):
        return lines_from([line.no for line in lines], [line.text for line in lines])   # nothing to join (#20)
    out: list[Line] = []
    pending: Line | None = None
    for line in lines:
        text = line.text.strip()
        if pending is not None:
            if not text:
                continue
            if _STARTS_LOWER.match(text) and not text.startswith(("og ", "eller ")):
                out.append(Line(pending.no, pending.text[:-1] + text))
                pending = None
                continue
            out.append(pending)
            pending = None
        if text.endswith("-") and _HYPHEN_END.search(text) and "\t" not in text:  # endswith: cheap first (#8)
            pending = Line(line.no, text)
            continue
        out.append(line if line.page is None else Line(line.no, line.text))
    if pending is not None:
        out.append(pending)
    return out


def number(token: str) -> float | int | None:
    """A Danish number cell; footnote markers and a trailing % are ignored."""
    token = token.strip()
    # a footnote marker ends the cell: most cells have none, and go straight to parse_number
    return parse_number(_FOOTNOTE.sub("", token) if token[-1:] in _FOOTNOTE_MARKS else token)


def split_label_numbers(text: str) -> tuple[str, list[float | int], list[str]] | None:
    """'Udgift (p/l-23) 1.142.007.972 2,65%' → ('Udgift (p/l-23)', [1142007972, 2.65], raw tokens).

    Returns None when the line does not end in at least one number.
    """
    tokens = text.split()
    values: list[float | int] = []
    raws: list[str] = []
    while tokens:
        value = number(tokens[-1])
        if value is None:
            break
        values.insert(0, value)
        raws.insert(0, tokens.pop())
    if not values:
        return None
    return " ".join(tokens), values, raws


@dataclass
class MunicipalityRow:
    name: str           # canonical
    printed: str        # as printed ("Vesthimmerlands")
    values: list[float | int]
    raws: list[str]
    line: int


def municipality_row(line: Line) -> MunicipalityRow | None:
    """A line that is exactly a municipality name followed by numbers (space- or TAB-separated)."""
    match = match_leading_municipality(line.text.replace("\t", " "))
    if match is None:
        return None
    name, rest = match
    tokens = rest.split()
    if not tokens:
        return None
    values = [number(t) for t in tokens]
    if any(v is None for v in values):
        return None
    text = line.text.replace("\t", " ").strip()
    printed = text[: len(text) - len(rest)].strip()
    return MunicipalityRow(name, printed, values, tokens, line.no)  # type: ignore[arg-type]


def total_row(line: Line) -> tuple[str, list[float | int], list[str]] | None:
    """'I alt 313 313 634 634' or 'Nordjylland i alt\\t17.037'."""
    split = split_label_numbers(line.text.replace("\t", " "))
    if split is None or not TOTAL_RE.match(split[0].strip()):
        return None
    return split


@dataclass
class MunicipalityBlock:
    rows: list[MunicipalityRow]
    total: tuple[str, list[float | int], list[str], int] | None   # label, values, raws, line
    start_index: int    # index in the (joined) line list of the first row
    end_index: int      # index after the last row/total


def municipality_blocks(lines: list[Line], min_rows: int = 3) -> list[MunicipalityBlock]:
    """Runs of municipality rows with the same number of values (blank lines allowed between)."""
    blocks: list[MunicipalityBlock] = []
    i = 0
    while i < len(lines):
        row = municipality_row(lines[i])
        if row is None:
            i += 1
            continue
        rows = [row]
        j = i + 1
        total = None
        while j < len(lines):
            if not lines[j].text.strip():
                j += 1
                continue
            nxt = municipality_row(lines[j])
            if nxt is not None and len(nxt.values) == len(row.values):
                rows.append(nxt)
                j += 1
                continue
            tot = total_row(lines[j])
            if tot is not None and len(tot[1]) == len(row.values):
                total = (tot[0], tot[1], tot[2], lines[j].no)
                j += 1
            break
        if len(rows) >= min_rows:
            blocks.append(MunicipalityBlock(rows, total, i, j))
            i = j
        else:
            i += 1
    return blocks


def tab_cells(text: str) -> list[str]:
    return [c.strip() for c in text.split("\t")]


@dataclass
class TabTable:
    header_rows: list[list[str]]
    rows: list[tuple[list[str], int]]      # cells, line number
    start_index: int
    end_index: int


def tab_tables(lines: list[Line]) -> list[TabTable]:
    """TAB-separated blocks: header rows (no numbers after the first cell) then data rows.

    A single blank line inside a block is allowed when the next line has TABs
    too (a sub-table printed under the main one continues it).
    """
    return _once("tables", lines, _tab_tables)


def _tab_tables(lines: list[Line]) -> list[TabTable]:
    tables: list[TabTable] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i].text:
            i += 1
            continue
        block: list[Line] = []
        j = i
        while j < len(lines):
            if "\t" in lines[j].text:
                block.append(lines[j])
                j += 1
            elif not lines[j].text.strip() and j + 1 < len(lines) and "\t" in lines[j + 1].text and block:
                j += 1
            else:
                break
        headers: list[list[str]] = []
        rows: list[tuple[list[str], int]] = []
        for line in block:
            cells = tab_cells(line.text)
            has_numbers = any(number(c) is not None for c in cells[1:] if c)
            if not rows and not has_numbers:
                headers.append(cells)
            elif has_numbers:
                rows.append((cells, line.no))
        if rows:
            tables.append(TabTable(headers, rows, i, j))
        i = j
    return tables


def column_headers(header_rows: list[list[str]], width: int) -> list[tuple[str, str]]:
    """(group, sub) per value column from a one- or two-row header.

    The group cell ("Budget 2020") spans the empty cells to its right, as a
    merged cell does in the original.
    """
    columns: list[tuple[str, str]] = [("", "") for _ in range(width)]
    if not header_rows:
        return columns
    top = header_rows[0][1:]
    sub = header_rows[1][1:] if len(header_rows) > 1 else []
    group = ""
    for k in range(width):
        cell = top[k] if k < len(top) else ""
        if cell:
            group = cell
        columns[k] = (group, sub[k] if k < len(sub) else "")
    return columns


def caption_before(lines: list[Line], index: int, max_lines: int = 8) -> list[Line]:
    """The non-empty lines just before index (nearest last), for recognising a table by its caption."""
    found: list[Line] = []
    k = index - 1
    while k >= 0 and len(found) < max_lines:
        if lines[k].text.strip():
            found.insert(0, lines[k])
        k -= 1
    return found
