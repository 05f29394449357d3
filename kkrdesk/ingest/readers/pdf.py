"""PDF → blocks from positioned characters (pypdfium2), not from a text dump.

Per page: characters and ruling lines (`pdf_chars`), tables from the rulings, lines, bands of
side-by-side text or borderless tables, paragraphs and headings (`pdf_layout`). Across pages:
page headers and footers are found by repetition (the same text, digits aside, in the top or
bottom margin of at least half the pages) and dropped; a lone page number ("3", "Side 3 af 16",
"- 3 -") is dropped and recorded as the page's printed number; a table that runs on over a page
break continues its last row when the new page's first row has an empty first cell.
A file with no text layer at all is one clear Danish line, as before.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from kkrdesk.ingest.model import Block, Document, Heading, ListItem, PageBreak, Paragraph, Run, Table, flatten
from kkrdesk.ingest.readers.pdf_chars import Char, _Fonts, page_chars, page_rules
from kkrdesk.ingest.readers.pdf_layout import (
    _BULLET,
    Placed,
    TextLine,
    _glue,
    _join_runs,
    _sides,
    _strip_marker,
    band_columns,
    band_table,
    build_lines,
    find_grids,
    grid_table,
    mark_underlines,
    page_columns,
    split_bands,
)
from kkrdesk.ingest.readers.problem import ImportProblem, Progress

_SHORT_BLOCK = 6
_MARGIN = 0.11               # top and bottom share of the page where headers and footers live
_PAGE_NUMBER = re.compile(r"^(?:side\s+)?[-–]?\s*(\d{1,3})\s*[-–]?(?:\s*(?:af|/)\s*\d{1,3})?$", re.I)


class _Page:
    def __init__(self, number: int, height: float, width: float, lines: list[TextLine], tables: list[Placed],
                 images: int = 0):
        self.number, self.height, self.width = number, height, width
        self.lines, self.tables, self.images = lines, tables, images


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ImportProblem(path, "PDF'en er krypteret (kræver adgangskode)") from None
        raise ImportProblem(path, f"ødelagt eller ulæselig PDF ({type(exc).__name__})") from None
    except Exception as exc:
        raise ImportProblem(path, f"ødelagt eller ulæselig PDF ({type(exc).__name__})") from None


def _read_page(pdf, index: int, fonts: _Fonts) -> _Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        chars = page_chars(page, height, fonts)
        rules = mark_underlines(chars, page_rules(page, height)) if chars else []
        images = 0 if chars else _count_images(page)
    finally:
        page.close()
    number = index + 1
    grids = find_grids(rules)
    tables: list[Placed] = []
    free: list[Char] = chars
    for grid in grids:
        inside = [c for c in free if grid.contains(c)]
        if not inside:
            continue
        free = [c for c in free if not grid.contains(c)]
        table = grid_table(grid, inside, number)
        if table.rows:
            tables.append(Placed(grid.ys[0], table))
    return _Page(number, height, width, build_lines(free, number), tables, images)


def _count_images(page) -> int:
    import pypdfium2.raw as raw

    return sum(1 for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def _drop_running_heads(pages: list[_Page]) -> dict[int, str]:
    """Remove headers, footers and page numbers; return the printed page numbers found."""
    labels: dict[int, str] = {}
    counts: Counter[str] = Counter()
    margins: list[list[TextLine]] = []
    for page in pages:
        edge = [ln for ln in page.lines
                if ln.bottom <= page.height * _MARGIN or ln.top >= page.height * (1 - _MARGIN)]
        margins.append(edge)
        counts.update({_key(ln.text) for ln in edge})
    need = max(2, (len(pages) + 1) // 2)
    for page, edge in zip(pages, margins, strict=True):
        drop: set[int] = set()
        for ln in edge:
            text = " ".join(ln.text.split())
            if m := _PAGE_NUMBER.match(text):
                labels[page.number] = m.group(1)
                drop.add(id(ln))
            elif counts[_key(text)] >= need:
                drop.add(id(ln))
                for part in ln.segments:   # "Resultatkontrakt 2026 … Side 3": keep the number
                    if m := _PAGE_NUMBER.match(" ".join(part.text.split())):
                        labels[page.number] = m.group(1)
        page.lines = [ln for ln in page.lines if id(ln) not in drop]
    return labels


def _body_size(pages: list[_Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += sum(len(s.chars) for s in line.segments)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _heading_levels(pages: list[_Page], body: float) -> dict[float, int]:
    larger = sorted({round(ln.size * 2) / 2 for p in pages for ln in p.lines if ln.size >= body * 1.15},
                    reverse=True)
    return {size: min(level, 5) for level, size in enumerate(larger, start=1)}


def _is_heading(line: TextLine, body: float) -> bool:
    text = line.text.strip()
    if not text or len(text) > 150:
        return False
    if line.size >= body * 1.15:
        return True
    bullet = _BULLET.match(text) and not text[:1].isdigit()
    return line.bold and not bullet and len(text) <= 120 and not text.endswith((".", ","))


def _text_blocks(lines: list[TextLine], page: _Page, body: float, levels: dict[float, int]) -> list[Placed]:
    """Lines of running text → headings, list items and paragraphs (wrapped lines joined)."""
    out: list[Placed] = []
    current: Placed | None = None
    previous: TextLine | None = None
    # the column's right edge, from its running text (a wide heading above a narrow column is not the edge)
    right = max((ln.x1 for ln in lines if not _is_heading(ln, body)), default=0) or max(
        (ln.x1 for ln in lines), default=page.width)
    for line in lines:
        runs = [Run(r.text, r.bold, r.underline) for r in line.runs]    # copies: paragraphs grow their runs
        text = "".join(r.text for r in runs).strip()
        if not text:
            continue
        heading = _is_heading(line, body)
        gap = line.top - previous.bottom if previous else 99.0
        same_style = previous is not None and abs(line.size - previous.size) < 0.6 and line.bold == previous.bold
        wrapped = previous is not None and (
            previous.x1 + 0.3 * line.size + _first_word_width(line) > right - 1 or previous.text.endswith("-"))
        joinable = (current is not None and previous is not None and same_style and -0.3 * line.size <= gap
                    and gap < 0.5 * line.size and wrapped and not (_BULLET.match(text) and not heading))
        if joinable and isinstance(current.block, Heading):
            current.block.text = _join_heading(current.block.text, text)
        elif joinable and isinstance(current.block, Paragraph | ListItem):
            block = current.block
            block.runs = _join_runs(block.runs, runs, _glue(block.text, text, False))
        else:
            if heading:
                level = levels.get(round(line.size * 2) / 2, len(levels) + 1)
                block: Block = Heading(min(level, 6), text, page=page.number)
            elif _BULLET.match(text):
                marker = text.split(None, 1)[0]
                block = ListItem(_strip_marker(runs), marker=marker if marker[0].isdigit() else "•", page=page.number)
            else:
                block = Paragraph(runs, page=page.number)
            current = Placed(line.top, block)
            out.append(current)
        previous = line
    return out


def _first_word_width(line: TextLine) -> float:
    """Width of the line's first word: had it fitted on the line above, the writer would have put it there."""
    chars = line.chars
    end = chars[0]
    for previous, ch in zip(chars, chars[1:], strict=False):
        if ch.c == " " or ch.x0 - previous.x1 > 0.18 * ch.size:
            break
        end = ch
    return end.x1 - chars[0].x0


def _join_heading(left: str, right: str) -> str:
    glue = _glue(left, right, False)
    return left[:-1] + right if glue == "hyphen" else left + right if glue == "none" else f"{left} {right}"


def _page_blocks(page: _Page, body: float, levels: dict[float, int]) -> list[Block]:
    placed: list[Placed] = list(page.tables)
    lines = page.lines
    columns = page_columns(lines, page.width)
    if columns is not None:
        start, end, gutter = columns
        order = 0
        for column in _sides(lines[start:end], gutter):     # the left column first, then the right
            for block in _text_blocks(column, page, body, levels):
                order += 1
                placed.append(Placed(lines[start].top + order * 1e-6, block.block))
        lines = lines[:start] + lines[end:]
    run: list[TextLine] = []

    def flush() -> None:
        placed.extend(_text_blocks(run, page, body, levels))
        run.clear()

    for kind, band, gap in split_bands(lines):
        if kind == "text":
            run.extend(band)
        elif kind == "table":
            flush()
            placed.append(Placed(band[0].top, band_table(band, gap, page.number)))
        else:
            flush()
            order = 0
            for column in band_columns(band, gap):
                # a short side-by-side block (signatures, addresses) is short lines, not wrapped prose
                blocks = ([b for ln in column for b in _text_blocks([ln], page, body, levels)]
                          if len(column) <= _SHORT_BLOCK else _text_blocks(column, page, body, levels))
                for block in blocks:            # the left column's blocks first, then the right's
                    order += 1
                    placed.append(Placed(band[0].top + order * 1e-6, block.block))
    flush()
    placed.sort(key=lambda p: p.top)      # stable: a right column stays after its left one
    return [p.block for p in placed]


def _same_columns(a: Table, b: Table) -> bool:
    return (a.columns is not None and b.columns is not None and len(a.columns) == len(b.columns)
            and all(abs(x - y) <= 3 for x, y in zip(a.columns, b.columns, strict=True)))


def _continue_tables(blocks: list[Block]) -> list[Block]:
    """A table right after a page break with the same columns as the table before it continues that table;
    a first row opening with an empty cell continues the last row's cells (a row split by the page)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and block.rows:
            k = len(out) - 1
            while k >= 0 and isinstance(out[k], PageBreak):
                k -= 1
            before = out[k] if k >= 0 else None
            if k < len(out) - 1 and isinstance(before, Table) and before.rows and _same_columns(before, block):
                rows = block.rows
                if not rows[0][0].blocks and len(before.rows[-1]) == len(rows[0]):
                    for cell, more in zip(before.rows[-1], rows[0], strict=True):
                        cell.blocks.extend(more.blocks)
                    rows = rows[1:]
                before.rows.extend(rows)
                continue
        out.append(block)
    return out


def read_pdf(path: Path, progress: Progress | None = None) -> Document:
    pdf = _open(path)
    try:
        total = len(pdf)
        fonts = _Fonts()
        pages: list[_Page] = []
        for index in range(total):
            try:
                pages.append(_read_page(pdf, index, fonts))
            except ImportProblem:
                raise
            except Exception as exc:
                raise ImportProblem(path, f"ødelagt eller ulæselig PDF ({type(exc).__name__}, side {index + 1})") from None
            if progress is not None:
                progress(index + 1, total)
    finally:
        pdf.close()
    if not any(page.lines or page.tables for page in pages):
        raise ImportProblem(path, "PDF'en har intet tekstlag (scannet billede?); kør OCR først")
    blank = [page.number for page in pages if not page.lines and not page.tables and page.images]
    labels = _drop_running_heads(pages)
    body = _body_size(pages)
    levels = _heading_levels(pages, body)
    blocks: list[Block] = []
    for page in pages:
        if page.number > 1:
            blocks.append(PageBreak(page=page.number))
        blocks.extend(_page_blocks(page, body, levels))
    warnings = [f"side {n} har intet tekstlag (scannet billede?); teksten på siden er ikke importeret" for n in blank]
    return flatten(Document(_continue_tables(blocks), source="pdf", pages=total, page_labels=labels,
                            warnings=warnings))
