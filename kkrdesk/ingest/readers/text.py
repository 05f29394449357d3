"""Text and markdown files: the text is what the user reads; the blocks are read off it.

The flat text stays the file's own text, byte for byte after decoding, so the corpus
extractions give exactly the facts they always gave. The blocks map the genre's marks:
markdown headings, TAB-separated and `| a | b |` tables (with the `---<TAB>---` rule rows and the page-break
debris of the secretariat's extractions: a rule row, a blank line and a row opening with a TAB
continue the previous row's cells), `<b>`/`<u>`/`**` marks, bullets, and a new PDF page shown
as a line opening with one space.
"""

from __future__ import annotations

import re
from pathlib import Path

from kkrdesk.ingest.model import Block, Cell, Document, Heading, ListItem, PageBreak, Paragraph, Run, Table
from kkrdesk.ingest.readers.problem import ImportProblem

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_RULE_ROW = re.compile(r"^[-\s\t|:]{3,}$")
_BULLET = re.compile(r"^\s*(?:[•\uf0b7\u2022\u25cf\u25aa\u27a2\-*]|\d{1,2}[.)])\s+")
_MARK = re.compile(r"(\*\*|</?b>|</?u>|</?strong>)", re.IGNORECASE)
_TAG = re.compile(r"</?(?:p|i|em|sup|sub|span|div|font|ul|ol|li|br)\b[^>]*>", re.IGNORECASE)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'-be' when every other byte is zero, as in Danish text saved as UTF-16 without a BOM."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    low, high = sample[0::2], sample[1::2]
    if high.count(0) > 0.6 * len(high) and low.count(0) == 0:
        return "utf-16-le"
    if low.count(0) > 0.6 * len(low) and high.count(0) == 0:
        return "utf-16-be"
    return None


def decode(path: Path) -> str:
    data = path.read_bytes()
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data)
    if encoding:   # UTF-16, as Windows' "Unicode" text is saved (#16)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportProblem(path, f"ikke gyldig UTF-16-tekst (byte {exc.start})") from None
    if b"\x00" in data[:4096]:
        raise ImportProblem(path, "ikke en tekstfil (indeholder binære data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(path, f"ikke gyldig UTF-8-tekst (byte {exc.start})") from None


def runs_of(text: str) -> list[Run]:
    """A line's runs, reading `**`, `<b>` and `<u>` as marks; other tags are dropped."""
    runs: list[Run] = []
    bold = underline = False
    for piece in _MARK.split(_TAG.sub(" ", text)):
        low = piece.lower()
        if low in ("**",):
            bold = not bold
        elif low in ("<b>", "<strong>"):
            bold = True
        elif low in ("</b>", "</strong>"):
            bold = False
        elif low == "<u>":
            underline = True
        elif low == "</u>":
            underline = False
        elif piece:
            runs.append(Run(piece, bold, underline))
    return runs


def _cell(text: str, line: int) -> Cell:
    return Cell([Paragraph(runs_of(text), line_start=line, line_end=line)] if text.strip() else [])


def _opens_page(lines: list[str], no: int, line: str) -> bool:
    """A form feed, or one leading space after a blank line: how the extractions mark a new PDF page."""
    return "\f" in line or (line.startswith(" ") and not line.startswith("  ") and no > 1 and not lines[no - 2].strip())


def text_pages(text: str) -> Document:
    """What the importer needs of a text file: the text and each line's page, without the blocks.

    The same pages as `parse_text` (one rule, `_opens_page`); the blocks are what costs there, and
    the importer reads the flat text, so the forked reader need not build and send them (#20).
    """
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = flat.split("\n")
    if "\f" not in flat and "\n " not in flat:     # no form feed, no line after the first opens with a space
        return Document([], source="text", pages=None, text=text, line_pages=[None] * len(lines))
    pages: list[int | None] = []
    page = 1
    for no, line in enumerate(lines, start=1):
        if _opens_page(lines, no, line):
            page += 1
        pages.append(page)
    known = page > 1
    return Document([], source="text", pages=page if known else None, text=text,
                    line_pages=pages if known else [None] * len(lines))


def parse_text(text: str) -> Document:
    """Blocks of a text extraction; the document's flat text is `text` itself."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = raw.split("\n")
    blocks: list[Block] = []
    pages: list[int | None] = []
    page = 1
    table: Table | None = None
    pending_rule = False        # a rule row seen inside a table: a page break may follow
    paragraph: Paragraph | None = None
    for no, line in enumerate(lines, start=1):
        if _opens_page(lines, no, line):
            page += 1
            blocks.append(PageBreak(page=page, line_start=no, line_end=no))
            paragraph = None
            if table is not None and not pending_rule:
                table = None
        pages.append(page)
        stripped = line.replace("\f", "").strip()
        if not stripped:
            paragraph = None
            if table is not None and not pending_rule:
                table = None
            continue
        pipe = stripped.startswith("|") and stripped.count("|") >= 2
        if "\t" in line or pipe:
            if _RULE_ROW.match(stripped):
                pending_rule = table is not None
                continue
            cells = [c.strip() for c in stripped.strip("|").split("|")] if pipe else line.split("\t")
            if table is not None and cells[0].strip() == "" and table.rows:
                # a row opening with an empty label continues the row above (the page-break debris)
                previous = table.rows[-1]
                for i, cell_text in enumerate(cells[1:], start=1):
                    if cell_text.strip() and i < len(previous):
                        previous[i].blocks.append(Paragraph(runs_of(cell_text), line_start=no, line_end=no))
                table.line_end = no
                pending_rule = False
                continue
            if table is None:
                table = Table([], page=page, line_start=no)
                blocks.append(table)
            table.rows.append([_cell(c, no) for c in cells])
            table.line_end = no
            pending_rule = False
            paragraph = None
            continue
        table, pending_rule = None, False
        if _RULE_ROW.match(stripped):
            continue
        if m := _HEADING.match(stripped):
            blocks.append(Heading(len(m.group(1)), "".join(r.text for r in runs_of(m.group(2))).strip(),
                                  page=page, line_start=no, line_end=no))
            paragraph = None
        elif m := _BULLET.match(line):
            marker = m.group(0).strip()
            blocks.append(ListItem(runs_of(line[m.end():]), marker=marker if marker[0].isdigit() else "•",
                                   page=page, line_start=no, line_end=no))
            paragraph = None
        elif paragraph is not None:
            paragraph.runs.extend([Run(" "), *runs_of(stripped)])
            paragraph.line_end = no
        else:
            paragraph = Paragraph(runs_of(stripped), page=page, line_start=no, line_end=no)
            blocks.append(paragraph)
    known = page > 1
    return Document(blocks, source="text", pages=page if known else None, text=text,
                    line_pages=pages if known else [None] * len(lines))


def read_text_file(path: Path, blocks: bool = True) -> Document:
    return parse_text(decode(path)) if blocks else text_pages(decode(path))
