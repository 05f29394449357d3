"""A document's normalised text as flowables: paragraphs, short lists, TAB tables.

The stored text keeps the document's paragraphs (blank lines) and its tables
(TAB-separated cells). Lines inside a paragraph are joined when the next one
continues the sentence (starts in lower case), otherwise kept as line breaks,
so addresses and lists stay readable without re-flowing the whole document.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from kkrdesk.briefing.styles import styles
from kkrdesk.briefing.tables import text_table

_LIST_START = re.compile(r"^(?:[-–•·▪○*]\s|\d{1,2}[.)]\s|[a-zæøå][.)]\s)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
MAX_CELL = 1200   # a TAB "table" with a longer cell is prose; a cell taller than a page cannot be laid out


def clean(text: str) -> str:
    """NFC (combining marks print badly) and no control characters but TAB and newline."""
    text = unicodedata.normalize("NFC", text)
    if text.replace("\t", "").replace("\n", "").isprintable():   # no category C at all: the common case,
        return text                                               # checked in C instead of per character
    return "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch)[0] != "C")


def markup(text: str) -> str:
    """Plain text → Paragraph markup; a leftover **bold** marker becomes real bold."""
    return _BOLD.sub(r"<b>\1</b>", escape(clean(text)))


def _blocks(body: str) -> list[list[str]]:
    """Split on blank lines, and again where TAB lines start or stop (a table is its own block)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in body.split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
            continue
        if current and ("\t" in line) != ("\t" in current[-1]):
            blocks.append(current)
            current = []
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _continues(previous: str, line: str) -> bool:
    """Is `line` the rest of `previous`'s sentence (a soft wrap of the PDF the text came from)?

    Yes when it starts in lower case, or when the previous line is long and
    has no closing punctuation; short lines (addresses, headings) stay lines.
    """
    if line[:1].islower():
        return True
    return len(previous) >= 60 and not previous.endswith((".", ":", ";", "!", "?", "”", '"'))


def _paragraph_markup(lines: list[str]) -> list[str]:
    """One text block → paragraphs: list lines start a new paragraph, continuations are joined."""
    paragraphs: list[list[str]] = []
    for line in lines:
        stripped = line.strip()
        if not paragraphs or _LIST_START.match(stripped):
            paragraphs.append([stripped])
            continue
        previous = paragraphs[-1][-1]
        if previous.endswith("-") and not previous.endswith(" -") and stripped[:1].islower():
            paragraphs[-1][-1] = previous[:-1] + stripped      # a word hyphenated at the line end
        elif _continues(previous, stripped):
            paragraphs[-1][-1] = previous + " " + stripped
        else:
            paragraphs[-1].append(stripped)
    return ["<br/>".join(markup(line) for line in para) for para in paragraphs]


def _plain_title(text: str) -> str:
    return re.sub(r"[\s*–—-]+", " ", text).strip().lower()


def same_title(a: str, b: str) -> bool:
    """Titles that differ only by dashes, ** markers, spacing or a typo ("Eablering") are the same."""
    return SequenceMatcher(None, _plain_title(a), _plain_title(b)).ratio() >= 0.85


def strip_cover_residue(body: str, item_number: str | None, item_title: str | None) -> str:
    """Drop the "3.5 / Pædagogdimensionering 2021-2022" cover lines a bilag starts with.

    The pack already prints the item number and title above the bilag; the
    leftover cover page would only repeat them.
    """
    lines = body.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if item_number and i < len(lines):
        first = lines[i].strip()
        if first == item_number:
            i += 1
        elif item_title and first.startswith(item_number + " ") and same_title(first[len(item_number):], item_title):
            return "\n".join(lines[i + 1:])
        else:
            return body
        while i < len(lines) and not lines[i].strip():
            i += 1
        if item_title and i < len(lines):
            joined = lines[i] + (" " + lines[i + 1] if i + 1 < len(lines) else "")
            if same_title(lines[i], item_title):
                i += 1
            elif same_title(joined, item_title):
                i += 2
        return "\n".join(lines[i:])
    return body


def text_flowables(body: str, width: float) -> list[Flowable]:
    """Flowables for a section body: paragraphs and tables, in reading order."""
    st = styles()
    out: list[Flowable] = []
    for block in _blocks(body):
        rows = [line.split("\t") for line in block]
        if "\t" in block[0] and len(block) >= 2 and max(len(c) for r in rows for c in r) <= MAX_CELL:
            out.append(text_table(rows, width))
            continue
        if "\t" in block[0]:
            block = [re.sub(r"\t+", "   ", line) for line in block]
        for para in _paragraph_markup(block):
            out.append(Paragraph(para, st["body"]))
    return out
