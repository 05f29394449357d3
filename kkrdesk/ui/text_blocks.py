"""A section's text as a document: paragraphs, lists and tables in HTML for the reader (#15), without Qt.

The corpus text (and what the readers extract) keeps a table as TAB-separated
lines and a list as lines starting with a bullet or a number. Shown as plain
paragraphs they read as runs of numbers ("Morsø 13 13 26 26"); here each
becomes what it was printed as. Every original line keeps its anchor `L<no>`,
so search hits and notes still land on the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

# extraction residue in the corpus text: <p>, <i>, <ul style="…">, <li> …
_TAG = re.compile(r"</?(?:p|i|b|u|em|strong|ul|ol|li|br|span|div|sup|sub|font)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[•▪◦·●■□➢►✓*]|[-–—](?=\s)|o(?=\s{1,3}\S))\s*(.+)$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$")
_LETTERED = re.compile(r"^\s*([a-z])\)\s+(\S.*)$")
_NUMBER_CELL = re.compile(r"^[-−–+]?\s?(?:\d{1,3}(?:[.\s ]\d{3})+|\d+)(?:,\d+)?\s?%?$|^[-−–]$")
_YEAR = re.compile(r"^(?:19|20)\d\d(?:[-/](?:19|20)?\d\d)?$")


def clean(text: str) -> str:
    """The printed words of a line: HTML residue from extraction dropped, spaces collapsed."""
    return " ".join(_TAG.sub(" ", text).split())


def is_number(cell: str) -> bool:
    return bool(_NUMBER_CELL.match(cell.strip()))


@dataclass
class Block:
    kind: str                                  # "p" | "ul" | "ol" | "table"
    lines: list[tuple[int | None, str]] = field(default_factory=list)   # (original line, text)
    start: int = 1                             # first number of an ordered list


def _list_item(text: str) -> tuple[str, str, int] | None:
    """("ul", text, 0) / ("ol", text, number) when the line is a list item."""
    match = _BULLET.match(text)
    if match and match.group(1).strip():
        return "ul", match.group(1), 0
    match = _NUMBERED.match(text)
    if match:
        return "ol", match.group(2), int(match.group(1))
    match = _LETTERED.match(text)
    if match:
        return "ol", match.group(2), ord(match.group(1)) - ord("a") + 1
    return None


def _inline_bullets(text: str) -> list[str] | None:
    """A line holding a whole list ("• Fremme … • Styrke …") as its items, else None."""
    parts = [p.strip() for p in re.split(r"\s*•\s+", text) if p.strip()]
    return parts if text.count("•") >= 2 and len(parts) >= 2 else None


def blocks(body: str, body_lines: list[int]) -> list[Block]:
    """Group a section's lines into paragraphs, lists and tables, keeping each line's number."""
    out: list[Block] = []
    current: Block | None = None

    def close() -> None:
        nonlocal current
        if current is not None and current.lines:
            out.append(current)
        current = None

    for index, raw in enumerate(body.split("\n")):
        no = body_lines[index] if index < len(body_lines) else None
        if "\t" in raw:
            if not clean(raw):                          # an empty table row
                if current is None or current.kind != "table":
                    close()
                continue
            if current is None or current.kind != "table":
                close()
                current = Block("table")
            current.lines.append((no, raw))
            continue
        text = clean(raw)
        if not text:
            if current is not None and current.kind == "table":
                continue                                # tables often carry blank lines between rows
            close()
            continue
        bullets = _inline_bullets(text)
        if bullets:
            close()
            out.append(Block("ul", [(no, bullets[0])] + [(None, b) for b in bullets[1:]]))
            continue
        item = _list_item(text)
        if item is not None:
            kind, item_text, number = item
            if current is None or current.kind != kind:
                close()
                current = Block(kind, start=number or 1)
            current.lines.append((no, item_text))
            continue
        if current is not None and current.kind in ("ul", "ol") and not text[:1].isupper():
            no_prev, prev = current.lines[-1]          # a list item that wrapped onto the next line
            current.lines[-1] = (no_prev, f"{prev} {text}")
            continue
        if current is None or current.kind != "p":
            close()
            current = Block("p")
        current.lines.append((no, text))
    close()
    # A single numbered line is a numbered paragraph ("3. Baggrund …"), not a list.
    out = [Block("p", [(b.lines[0][0], f"{b.start}. {b.lines[0][1]}")]) if b.kind == "ol" and len(b.lines) == 1
           else b for b in out]
    return _number_rows_as_tables(out)


_NUMBER_ROW = re.compile(r"^(\D.*?)\s+((?:[-−]?\d[\d.,]*\s+)+[-−]?\d[\d.,]*)\s*$")
MIN_NUMBER_ROWS = 3


def _number_row(text: str) -> list[str] | None:
    """'Morsø 13 13 26 26' → ['Morsø', '13', '13', '26', '26']: a table row a PDF lost its TABs in."""
    match = _NUMBER_ROW.match(text)
    if not match or len(match.group(1)) > 40:
        return None
    numbers = match.group(2).split()
    return [match.group(1).strip(), *numbers] if len(numbers) >= 2 else None


def _number_rows_as_tables(found: list[Block]) -> list[Block]:
    """Runs of ≥3 paragraphs that are each a label and the same count of numbers become one table."""
    out: list[Block] = []
    run: list[tuple[int | None, list[str]]] = []

    def flush(pending: list[Block]) -> None:
        if len(run) >= MIN_NUMBER_ROWS:
            out.append(Block("table", [(no, "\t".join(cells)) for no, cells in run]))
        else:
            out.extend(pending)
        run.clear()
        pending.clear()

    pending: list[Block] = []
    for block in found:
        rows = [(no, _number_row(text)) for no, text in block.lines] if block.kind == "p" else []
        if rows and all(cells for _, cells in rows) and (
                not run or all(len(cells) == len(run[0][1]) for _, cells in rows)):
            run.extend(rows)
            pending.append(block)
            continue
        flush(pending)
        rows_ok = rows and all(cells for _, cells in rows)
        if rows_ok:                                     # a row of another width starts a new run
            run.extend(rows)
            pending.append(block)
            continue
        out.append(block)
    flush(pending)
    return out


def _anchor(no: int | None) -> str:
    return f'<a name="L{no}"></a>' if no else ""


def table_rows(block: Block) -> list[tuple[int | None, list[str]]]:
    """The table's rows as cleaned cells, padded to the widest row; empty trailing columns dropped."""
    rows = [(no, [clean(cell) for cell in text.split("\t")]) for no, text in block.lines]
    width = max(len(cells) for _, cells in rows)
    rows = [(no, cells + [""] * (width - len(cells))) for no, cells in rows]
    while width > 1 and all(not cells[width - 1] for _, cells in rows):
        width -= 1
    return [(no, cells[:width]) for no, cells in rows]


def _has_header(rows: list[tuple[int | None, list[str]]]) -> bool:
    """A first row of labels or years above rows that hold numbers."""
    if len(rows) < 2:
        return False
    first = [c for c in rows[0][1] if c]
    body_numbers = any(is_number(c) for _, cells in rows[1:] for c in cells[1:])
    return bool(first) and body_numbers and all(not is_number(c) or _YEAR.match(c) for c in first)


def table_html(block: Block) -> str:
    rows = table_rows(block)
    header = _has_header(rows)
    out = ['<table class="doc" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;">']
    for index, (no, cells) in enumerate(rows):
        tag = "th" if header and index == 0 else "td"
        html_cells = []
        for column, cell in enumerate(cells):
            align = ' align="right"' if column and (is_number(cell) or (tag == "th" and _YEAR.match(cell))) else ""
            anchor = _anchor(no) if column == 0 else ""
            html_cells.append(f"<{tag}{align}>{anchor}{escape(cell)}</{tag}>")
        out.append("<tr>" + "".join(html_cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def block_html(block: Block) -> str:
    if block.kind == "table":
        return table_html(block)
    if block.kind in ("ul", "ol"):
        start = f' start="{block.start}"' if block.kind == "ol" and block.start != 1 else ""
        items = "".join(f"<li>{_anchor(no)}{escape(text)}</li>" for no, text in block.lines)
        return f"<{block.kind}{start}>{items}</{block.kind}>"
    return "<p>" + " ".join(_anchor(no) + escape(text) for no, text in block.lines) + "</p>"


def block_lines(block: Block) -> list[int]:
    return [no for no, _ in block.lines if no]
