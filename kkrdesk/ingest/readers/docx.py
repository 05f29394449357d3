"""Word documents (python-docx) → blocks: styles become headings and lists, tables stay tables.

What is read, and why:
- paragraph styles Title / Heading 1–6 (also the Danish "Titel" / "Overskrift N") and an
  outline level become headings; List styles and numbered paragraphs become list items
  (numbered ones keep their number, "3.", counted per list);
- bold and underline runs are kept as marks, whether set on the run, its character style
  or the paragraph style, so a bold "Delmål 8.1 …" stays recognisable;
- tables become tables, a merged cell once (a vertically merged cell's continuation is empty);
- headers, footers and footnotes are not part of the body and are never read; fields whose
  result is a page number or a table of contents (PAGE, NUMPAGES, PAGEREF, TOC) are left out;
- page breaks Word wrote (hard breaks, and where it last rendered a new page) become page breaks.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from kkrdesk.ingest.model import (
    Block,
    Cell,
    Document,
    Heading,
    ListItem,
    PageBreak,
    Paragraph,
    Run,
    Table,
    flatten,
)
from kkrdesk.ingest.readers.problem import ImportProblem

_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|titel)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"\b(?:list|liste|opstilling)", re.IGNORECASE)
_NUMBERED_STYLE = re.compile(r"number|tal|nummer", re.IGNORECASE)
_HIDDEN_FIELDS = re.compile(r"^\s*(?:PAGE|NUMPAGES|SECTIONPAGES|PAGEREF|TOC)\b", re.IGNORECASE)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


class _Reader:
    """Walks the body once; holds the state that crosses paragraphs (open fields, list counters, page)."""

    def __init__(self, document):
        self.document = document
        self.fields: list[list] = []          # stack of [instruction, showing_result]
        self.counters: dict[tuple[str, int], int] = {}
        self.page = 1
        self.numbering = self._numbering_formats()
        # python-docx looks styles up by a linear search on every access: read them once, by id
        self.styles = {style.style_id: style for style in document.styles}
        default = next((st for st in self.styles.values()
                        if getattr(st, "type", None) == 1 and st.element.get(_qn("w:default")) in ("1", "true")), None)
        self.default_paragraph = default.style_id if default is not None else None
        self.flags: dict[tuple[str | None, str], bool | None] = {}

    def _numbering_formats(self) -> dict[tuple[str, int], str]:
        """(numId, level) → numFmt ("decimal", "bullet" …) from the numbering part."""
        formats: dict[tuple[str, int], str] = {}
        try:
            numbering = self.document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return formats
        abstract: dict[str, dict[int, str]] = {}
        for node in numbering.findall(_qn("w:abstractNum")):
            levels = {}
            for lvl in node.findall(_qn("w:lvl")):
                fmt = lvl.find(_qn("w:numFmt"))
                levels[int(lvl.get(_qn("w:ilvl"), "0"))] = fmt.get(_qn("w:val")) if fmt is not None else "bullet"
            abstract[node.get(_qn("w:abstractNumId"))] = levels
        for num in numbering.findall(_qn("w:num")):
            ref = num.find(_qn("w:abstractNumId"))
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(_qn("w:val")), {}).items():
                formats[(num.get(_qn("w:numId")), level)] = fmt
        return formats

    # -- formatting ---------------------------------------------------------------------------
    def _style_flag(self, style_id: str | None, name: str) -> bool | None:
        key = (style_id, name)
        if key not in self.flags:
            value, style, seen = None, self.styles.get(style_id), 0
            while style is not None and value is None and seen < 20:
                value = getattr(style.font, name, None)
                style, seen = style.base_style, seen + 1
            self.flags[key] = None if value is None else bool(value)
        return self.flags[key]

    def paragraph_style(self, paragraph) -> str | None:
        ppr = paragraph._p.pPr
        style = ppr.pStyle if ppr is not None else None
        return style.val if style is not None else self.default_paragraph

    def style_name(self, paragraph) -> str:
        style = self.styles.get(self.paragraph_style(paragraph))
        return style.name if style is not None and style.name else ""

    def _flag(self, run, paragraph, name: str) -> bool:
        value = getattr(run, name)
        if value is None:
            rpr = run._r.rPr
            rstyle = rpr.rStyle if rpr is not None else None
            if rstyle is not None:
                value = self._style_flag(rstyle.val, name)
        if value is None:
            value = self._style_flag(self.paragraph_style(paragraph), name)
        return bool(value)

    # -- paragraphs ---------------------------------------------------------------------------
    def _runs(self, paragraph) -> tuple[list[Run], list[str]]:
        """The paragraph's visible runs, and the page events ("before"/"after") inside it."""
        from docx.text.run import Run as DocxRun

        runs: list[Run] = []
        events: list[str] = []
        for r in paragraph._p.iter(_qn("w:r")):
            if r.getparent().tag in (_qn("w:del"), _qn("w:moveFrom")):
                continue
            docx_run = None
            for child in r:
                tag = child.tag
                if tag == _qn("w:fldChar"):
                    kind = child.get(_qn("w:fldCharType"))
                    if kind == "begin":
                        self.fields.append(["", False])
                    elif kind == "separate" and self.fields:
                        self.fields[-1][1] = True
                    elif kind == "end" and self.fields:
                        self.fields.pop()
                elif tag == _qn("w:instrText") and self.fields:
                    self.fields[-1][0] += child.text or ""
                elif tag in (_qn("w:t"), _qn("w:tab"), _qn("w:br"), _qn("w:cr")):
                    if tag == _qn("w:br") and child.get(_qn("w:type")) == "page":
                        events.append("before" if not any(x.text.strip() for x in runs) else "after")
                        continue
                    if any(_HIDDEN_FIELDS.match(instr) for instr, _ in self.fields):
                        continue
                    text = (child.text or "") if tag == _qn("w:t") else " "
                    if docx_run is None:
                        docx_run = DocxRun(r, paragraph)
                        bold = self._flag(docx_run, paragraph, "bold")
                        underline = self._flag(docx_run, paragraph, "underline")
                    runs.append(Run(text, bold, underline))
                elif tag == _qn("w:lastRenderedPageBreak") and any(x.text.strip() for x in runs):
                    events.append("after")
                elif tag == _qn("w:lastRenderedPageBreak"):
                    events.append("before")
        return runs, events

    def _heading_level(self, paragraph) -> int | None:
        name = self.style_name(paragraph)
        if _TITLE_STYLE.match(name):
            return 1
        if m := _HEADING_STYLE.match(name):
            return min(int(m.group(1)) + 1, 6)
        ppr = paragraph._p.pPr
        outline = ppr.find(_qn("w:outlineLvl")) if ppr is not None else None
        if outline is not None and outline.get(_qn("w:val")) not in (None, "9"):
            return min(int(outline.get(_qn("w:val"))) + 2, 6)
        return None

    def _list_marker(self, paragraph) -> tuple[str, int] | None:
        ppr = paragraph._p.pPr
        num = ppr.numPr if ppr is not None else None
        name = self.style_name(paragraph)
        if num is not None and num.numId is not None:
            num_id = str(num.numId.val)
            level = int(num.ilvl.val) if num.ilvl is not None else 0
            fmt = self.numbering.get((num_id, level), "bullet")
        elif _LIST_STYLE.search(name):
            num_id, level = name, 0
            fmt = "decimal" if _NUMBERED_STYLE.search(name) else "bullet"
        else:
            return None
        if fmt in ("bullet", "none"):
            return "•", level + 1
        key = (num_id, level)
        self.counters[key] = self.counters.get(key, 0) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[deeper]
        return f"{self.counters[key]}.", level + 1

    def paragraph(self, paragraph) -> list[Block]:
        runs, events = self._runs(paragraph)
        out: list[Block] = []
        for _ in [e for e in events if e == "before"]:
            self.page += 1
            out.append(PageBreak(page=self.page))
        text = "".join(run.text for run in runs).strip()
        if text:
            level = self._heading_level(paragraph)
            marker = self._list_marker(paragraph) if level is None else None
            if level is not None:
                out.append(Heading(level, " ".join(text.split()), page=self.page))
            elif marker is not None:
                out.append(ListItem(runs, level=marker[1], marker=marker[0], page=self.page))
            else:
                out.append(Paragraph(runs, page=self.page))
        for _ in [e for e in events if e == "after"]:
            self.page += 1
            out.append(PageBreak(page=self.page))
        return out

    # -- tables -------------------------------------------------------------------------------
    def table(self, table) -> list[Block]:
        from docx.table import _Cell

        rows: list[list[Cell]] = []
        page_breaks: list[Block] = []
        start_page = self.page
        for tr in table._tbl.tr_lst:
            row: list[Cell] = []
            for tc in tr.tc_lst:
                if tc.vMerge == "continue":
                    row.append(Cell([]))
                    continue
                blocks = self.content(_Cell(tc, table))
                page_breaks.extend(b for b in blocks if isinstance(b, PageBreak))
                row.append(Cell([b for b in blocks if not isinstance(b, PageBreak)]))
            rows.append(row)
        return [Table(rows, page=start_page), *page_breaks]

    def content(self, container) -> list[Block]:
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph as DocxParagraph

        blocks: list[Block] = []
        for item in container.iter_inner_content():
            if isinstance(item, DocxParagraph):
                blocks.extend(self.paragraph(item))
            elif isinstance(item, DocxTable):
                blocks.extend(self.table(item))
        return blocks


def read_docx(path: Path) -> Document:
    try:
        import docx

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportProblem(path, f"ødelagt eller ulæselig Word-fil ({type(exc).__name__})") from None
    except Exception as exc:
        raise ImportProblem(path, f"ødelagt eller ulæselig Word-fil ({type(exc).__name__})") from None
    reader = _Reader(document)
    blocks = reader.content(document)
    if reader.page == 1:          # Word recorded no page breaks: pages unknown, not "all on page 1"
        _forget_pages(blocks)
    return flatten(Document(blocks, source="docx", pages=reader.page if reader.page > 1 else None))


def _forget_pages(blocks: list[Block]) -> None:
    for block in blocks:
        block.page = None
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    _forget_pages(cell.blocks)
