"""Split a file that joins several documents into its parts.

The secretariat often hands over one extraction that glues several PDFs
together (a contract report, a letter, a survey, a table, slides …). Nothing
marks the joins except that each document starts on a new page, so a part
starts where a page (a raw line with one leading space, or a line after a long
run of blank lines) opens with a line that reads like the title of a new KKR
document rather than a heading inside the current one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkrdesk.data.lines import Line, LineSpan

# Openers of the genre: titles that begin a new document in KKR material.
_OPENERS = re.compile(
    r"^(?:Støttetilkendegivelse|KKR-undersøgelse|Fordeling af lærepladser|Fremtidssikring af|"
    r"Høringssvar|Referat|Dagsorden|Kommissorium|Handleplan|Notat\b|NOTAT\b|Brev til|"
    r"Resultatkontrakt\s+(?:\d{4}|mellem)|Afrapportering af resultatkontrakt|Indstilling til)",
)
# An agenda-item heading "3.5 Nordjyske principper – …" after a long blank gap.
_ITEM_HEADING = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+[A-ZÆØÅ]")
_LONG_GAP = 4


@dataclass
class Part(LineSpan):
    title_line: int                 # original line number of the part's first text line
    lines: list[Line]


def _page_starts(raw_lines: list[str]) -> set[int]:
    """1-based numbers of raw lines that open a page or follow a long blank gap."""
    starts: set[int] = {1}
    blank_run = 0
    for i, text in enumerate(raw_lines, start=1):
        if not text.strip():
            blank_run += 1
            continue
        if (text.startswith(" ") and not text.startswith("  ")) or blank_run >= _LONG_GAP:
            starts.add(i)
        blank_run = 0
    return starts


def _family(title: str) -> str:
    return re.split(r"[\s:(]", title, maxsplit=1)[0].lower()


def split_parts(raw_text: str, lines: list[Line]) -> list[Part]:
    """Parts of a file, in order; a file of one document gives one part."""
    starts = _page_starts(raw_text.split("\n"))
    boundaries: list[int] = []
    previous_title = ""
    last_text = ""
    for index, line in enumerate(lines):
        if not line.text:
            continue
        is_start = line.no in starts and index > 0
        continues_sentence = bool(last_text) and not re.search(r"[.!?:”\"]$", last_text) and line.text[:1].islower()
        if is_start and not continues_sentence:
            opener = _OPENERS.match(line.text)
            # a survey's own chart pages repeat its opener word; a new title must differ
            if opener and (not previous_title or line.text != previous_title):
                boundaries.append(index)
                previous_title = line.text
            elif (
                _ITEM_HEADING.match(line.text)
                and _gap_before(lines, index) >= 1
                and not _continues_numbering(lines, boundaries[-1] if boundaries else 0, index)
            ):
                boundaries.append(index)
                previous_title = line.text
        last_text = line.text
    if not boundaries or boundaries[0] != 0:
        boundaries.insert(0, 0)
    parts: list[Part] = []
    for a, b in zip(boundaries, boundaries[1:] + [len(lines)], strict=True):
        chunk = lines[a:b]
        while chunk and not chunk[-1].text:
            chunk = chunk[:-1]
        if chunk and any(line.text for line in chunk):
            first = next(line for line in chunk if line.text)
            parts.append(Part(first.no, chunk))
    return parts


def _gap_before(lines: list[Line], index: int) -> int:
    """Blank normalised lines (each standing for a run) just before index."""
    if index == 0:
        return 1
    previous = lines[index - 1]
    return int(not previous.text and lines[index].no - previous.no >= 1) + int(
        index >= 1 and lines[index].no - lines[index - 1].no > _LONG_GAP
    )


def _continues_numbering(lines: list[Line], part_start: int, index: int) -> bool:
    """True when '2.3 …' follows '2.1'/'2.2' headings of the current part (a subsection, not a new item)."""
    top = lines[index].text.split(".", 1)[0]
    pattern = re.compile(rf"^{re.escape(top)}\.\d")
    return any(pattern.match(line.text) for line in lines[part_start:index])
