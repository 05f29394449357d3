"""Line cleanup for contract text: HTML/markdown table debris, inline bullets, run-in rules.

Contracts arrive as PDF text, Word tables (TAB-separated rows), markdown with
"| <b>Mål</b> | … |" cells or HTML paragraphs inside one table cell. This turns
each source line into one or more plain lines with the same original number,
so the label-based reader in goals.py sees "Mål<TAB>tekst" whatever the source.
"""

from __future__ import annotations

import re

from kkrdesk.data.lines import Line
from kkrdesk.ingest.contracts.patterns import LONE_NUMBER

_TAG = re.compile(r"<[^>]{1,200}>")
_SPLIT_TAGS = re.compile(r"\s*(?:</p>\s*<p>|<p>|</p>|<br\s*/?>|<ul[^>]*>|</ul>|<li>|</li>)\s*", re.I)
_LEADING_BULLET = re.compile(r"^[\uf0b7\uf02d•·○▪➢▶]\s*")
_TABLE_RULE = re.compile(r"^(?:[-\s|:+=]{3,}|--)$")   # "--": the stray rule a page-broken table leaves
# a fulfilment rule run into the cell before it ("… en gang årligt. Målet er 100% opfyldt, når …")
_INLINE_RULE = re.compile(
    r"(?<=\S)\s+(?=Målet (?:er|anses for|betragtes som) (?:\d{1,3}\s*(?:%|pct\.?|procent)\s+)?opfyldt\b)"
)
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_RULE_FIRST = frozenset("-|:+=")
_EMPTY_FIRST_CELL = re.compile(r"^\|\s*\|")
_WORD = re.compile(r"\w")


_MARKUP_CHARS = frozenset("<|○*#")
_BULLET_CHARS = frozenset("\uf0b7\uf02d•·○▪➢▶")


def _is_plain(text: str) -> bool:
    """No tag, table bar, inline bullet, markdown, run-in rule or double space: _expand only strips it."""
    return (_MARKUP_CHARS.isdisjoint(text) and "  " not in text and "Målet " not in text
            and " o " not in text and not (text and text[0] in _BULLET_CHARS))


def _expand(line: Line) -> list[Line]:
    """One source line → one or more cleaned lines with the same number.

    HTML paragraphs and inline "○" bullets inside one table cell become separate
    lines, a markdown table row "| <b>Mål</b> | tekst |" becomes "Mål<TAB>tekst".
    """
    text = line.text.replace("\f", "").replace("\u00a0", " ").rstrip()
    stripped = text.strip()
    if _is_plain(stripped):  # most lines: none of the rules below applies (bench, #8)
        # a rule opens with one of its own characters (stripped has no whitespace at either end)
        rule = stripped[:1] in _RULE_FIRST and _TABLE_RULE.match(stripped) is not None
        return [Line(line.no, "" if rule else stripped)]
    if stripped.startswith("|") and stripped.count("|") >= 2:
        if _TABLE_RULE.match(stripped):
            return [Line(line.no, "")]
        cells = [_TAG.sub(" ", c).strip() for c in stripped.strip("|").split("|")]
        while cells and not cells[0]:
            cells.pop(0)
        stripped = "\t".join(c for c in cells if c)
    pieces = [p for chunk in _SPLIT_TAGS.split(stripped) for p in _INLINE_RULE.split(chunk)]
    out: list[Line] = []
    for piece in pieces:
        # "○" bullets, and a lone "o" before a capital ("… vejledninger: o Vækst- & Driftsforløb: 350 o Korte …")
        for j, sub in enumerate(re.split(r"(?<=\S)\s*○\s*|(?<=\S)\s+o\s+(?=[A-ZÆØÅ])", piece)):
            t = _TAG.sub(" ", sub).replace("**", "")
            t = _MD_HEADING.sub("", t.strip())
            t = _LEADING_BULLET.sub("• ", t)
            if j > 0:
                t = "• " + t
            t = re.sub(r"(?<=\S) {2,}", " ", t).strip()
            if _TABLE_RULE.match(t):
                t = ""
            out.append(Line(line.no, t))
    return [x for x in out if x.text] or [Line(line.no, "")]


_PAGE_FURNITURE = re.compile(
    r"^(?:(?:Side|side|Page|page)\s+\d{1,3}(?:\s*(?:af|/|of)\s*\d{1,3})?|\d{1,3}\s*(?:af|/)\s*\d{1,3}|[-–]\s*\d{1,3}\s*[-–])$"
)
# "Resultatkontrakt 2026 · side 7", "Erhvervshus Nordjylland | 12": a running header or footer with the page number
_RUNNING = re.compile(r"(?:\b[Ss]ide\s+\d{1,3}(?:\s*(?:af|/)\s*\d{1,3})?|\s[|·•–-]\s*\d{1,3})\s*$")


def _drop_page_furniture(lines: list[Line]) -> list[Line]:
    """Page numbers, "Side 3 af 12" and running headers/footers a page break leaves inside the text.

    A running line counts when it comes back on three pages (digits aside); the document's
    title repeated at the top of every page goes too, its first printing stays.
    """
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text)

    running = [x.text for x in lines if x.text[-1:].isdigit() and len(x.text) < 100 and _RUNNING.search(x.text)]
    counts: dict[str, int] = {}
    for text in running:
        counts[key(text)] = counts.get(key(text), 0) + 1
    repeated = {k for k, n in counts.items() if n >= 3}
    first_title = next((x.text for x in lines[:60] if x.text and re.match(r"^(?:#+\s*)?\**Resultatkontrakt\b", x.text)), None)
    titles = sum(1 for x in lines if x.text == first_title) if first_title else 0
    seen_title = False
    out: list[Line] = []
    if not repeated and titles < 3 and not any(x.text[-1:].isdigit() for x in lines):
        return lines
    for x in lines:
        text = x.text.strip()
        drop = bool(text) and (
            (text[-1:].isdigit() and _PAGE_FURNITURE.match(text) is not None)
            or (repeated and key(text) in repeated)
            or (titles >= 3 and text == first_title and seen_title)
        )
        if text and text == first_title:
            seen_title = True
        out.append(x._replace(text="") if drop else x)
    return out


def clean_lines(lines: list[Line]) -> list[Line]:
    lines = _drop_page_furniture(lines)
    out: list[Line] = []
    for line in lines:
        stripped = line.text.strip()
        if stripped.startswith("|") and _EMPTY_FIRST_CELL.match(stripped) and _WORD.search(stripped):
            # "|  | fortsat tekst |": a cell continued after a page break; it belongs to the line above
            while out and not out[-1].text:
                out.pop()
            if out and LONE_NUMBER.match(out[-1].text):
                out.pop()
                while out and not out[-1].text:
                    out.pop()
        out.extend(_expand(line))
    return out
