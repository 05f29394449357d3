"""One structured reading of every document: blocks in reading order, each with its provenance.

Every reader (text, Word, PDF) returns a `Document`: headings, paragraphs with bold and
underline runs kept as marks, list items, tables (rows × cells, each cell its own blocks)
and page breaks. `flatten` turns the blocks into the text the user reads, in the corpus's
own conventions — markdown headings, one table row per line with TAB-separated cells,
`<b>`/`<u>` marks, a new page opening with one leading space — so a Word table, a PDF
table and a TAB table in a text extraction all reach the extractors as the same lines.
Each block learns its line span in that text, and each line its page.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Run:
    """A stretch of a paragraph's text with one formatting."""
    text: str
    bold: bool = False
    underline: bool = False


@dataclass
class Block:
    page: int | None = field(default=None, kw_only=True)
    line_start: int = field(default=0, kw_only=True)   # 1-based, in the flat text; 0 until flattened
    line_end: int = field(default=0, kw_only=True)


@dataclass
class Heading(Block):
    level: int
    text: str


@dataclass
class Paragraph(Block):
    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def bold(self) -> bool:
        """Wholly bold: a heading candidate ("Mål 3: Titel", "Delmål 8.1 …") for the extractors."""
        printed = [run for run in self.runs if run.text.strip()]
        return bool(printed) and all(run.bold for run in printed)


@dataclass
class ListItem(Block):
    runs: list[Run]
    level: int = 1
    marker: str = "•"          # "•", "-", or "3." for a numbered list

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Cell:
    blocks: list[Block]

    @property
    def text(self) -> str:
        return " ".join(block_text(b) for b in self.blocks if block_text(b))


@dataclass
class Table(Block):
    rows: list[list[Cell]]
    columns: list[float] | None = None    # column edges where the format knows them (PDF), to join a table split by a page


def row_page(row: list[Cell]) -> int | None:
    """The page a table row starts on, where its cells know it (a table can run over a page break)."""
    return next((b.page for cell in row for b in cell.blocks if b.page is not None), None)


@dataclass
class PageBreak(Block):
    pass


@dataclass
class Document:
    """A file as read: its blocks, and once flattened, the text the user reads."""
    blocks: list[Block]
    source: str = "text"                  # text | docx | pdf
    pages: int | None = None              # page count where the format knows it
    page_labels: dict[int, str] = field(default_factory=dict)   # page → printed page number
    text: str = ""                        # the flat text (set by flatten or by the text reader)
    line_pages: list[int | None] = field(default_factory=list)  # page of each flat line (index = line - 1)
    warnings: list[str] = field(default_factory=list)           # what could not be read, in Danish

    def page_of(self, line_no: int) -> int | None:
        if 1 <= line_no <= len(self.line_pages):
            return self.line_pages[line_no - 1]
        return None


def block_text(block: Block) -> str:
    if isinstance(block, Heading):
        return block.text
    if isinstance(block, Paragraph | ListItem):
        return block.text
    if isinstance(block, Table):
        return "\n".join("\t".join(cell.text for cell in row) for row in block.rows)
    return ""


def _marked(runs: list[Run]) -> str:
    """Runs as text with `<b>`/`<u>` around formatted stretches, as the corpus prints them."""
    out: list[str] = []
    for run in runs:
        text = run.text
        if not text.strip() or not (run.bold or run.underline):
            out.append(text)
            continue
        lead, core, tail = text[: len(text) - len(text.lstrip())], text.strip(), text[len(text.rstrip()):]
        if run.underline:
            core = f"<u>{core}</u>"
        if run.bold:
            core = f"<b>{core}</b>"
        out.append(lead + core + tail)
    # adjacent marks of the same kind read as one: "<b>Mål</b><b> 3</b>" → "<b>Mål 3</b>"
    return "".join(out).replace("</b><b>", "").replace("</u><u>", "").replace("</b> <b>", " ")


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _cell_text(cell: Cell) -> str:
    """A cell on one line: one paragraph as it is, several as `<p>…</p>` (the corpus's own form)."""
    parts: list[str] = []
    for block in cell.blocks:
        if isinstance(block, Paragraph):
            parts.append(_one_line(_marked(block.runs)))
        elif isinstance(block, ListItem):
            parts.append(f"<ul><li>- {_one_line(_marked(block.runs))}</li></ul>")
        elif isinstance(block, Heading):
            parts.append(f"<b>{_one_line(block.text)}</b>")
        elif isinstance(block, Table):   # a table inside a cell: its rows in sequence
            parts.extend(_one_line(" ".join(c.text for c in row)) for row in block.rows)
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return " ".join(p if p.startswith("<ul>") else f"<p>{p}</p>" for p in parts)


def _block_lines(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * max(1, min(block.level, 6)) + " " + _one_line(block.text)]
    if isinstance(block, Paragraph):
        text = _one_line(_marked(block.runs))
        return [text] if text else []
    if isinstance(block, ListItem):
        indent = "  " * (block.level - 1)
        return [f"{indent}{block.marker} {_one_line(_marked(block.runs))}"]
    if isinstance(block, Table):
        block.rows = [row for row in block.rows if any(_cell_text(cell) for cell in row)]
        return ["\t".join(_cell_text(cell) for cell in row) for row in block.rows]
    return []


def flatten(document: Document) -> Document:
    """Write the blocks as the text the user reads; set each block's line span and each line's page.

    Blocks are separated by one blank line; a page break makes the next page's first line open
    with one leading space (as the secretariat's own PDF extractions do, which the part
    splitter relies on).
    """
    lines: list[str] = []
    pages: list[int | None] = []
    new_page = False
    page: int | None = 1 if document.source == "pdf" else None
    for block in document.blocks:
        if isinstance(block, PageBreak):
            new_page = True
            page = block.page if block.page is not None else (page or 1) + 1
            block.line_start = block.line_end = len(lines) + 1
            continue
        if block.page is not None:
            page = block.page
        text_lines = _block_lines(block)
        if not text_lines:
            continue
        if lines:
            lines.append("")
            pages.append(page)
        if new_page:
            text_lines[0] = " " + text_lines[0].lstrip(" ")
            new_page = False
        block.line_start = len(lines) + 1
        lines.extend(text_lines)
        if isinstance(block, Table) and len(text_lines) == len(block.rows):
            row_pages = [row_page(row) or page for row in block.rows]
            pages.extend(row_pages)
            page = row_pages[-1]
        else:
            pages.extend([page] * len(text_lines))
        block.line_end = len(lines)
        if block.page is None:
            block.page = page
    document.text = "\n".join(lines)
    document.line_pages = pages
    return document


def plain_text(document: Document) -> str:
    """The blocks as plain text, without markdown or marks: for text a person types on, e.g. an item's case text."""
    if document.source == "text":
        return document.text
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, ListItem):
            out.append(f"{block.marker} {_one_line(block.text)}")
        elif isinstance(block, Table):
            out.extend("\t".join(_one_line(cell.text) for cell in row) for row in block.rows)
        elif not isinstance(block, PageBreak) and _one_line(block_text(block)):
            out.append(_one_line(block_text(block)))
        else:
            continue
        out.append("")
    return "\n".join(out).strip()
