"""Finding goal headings: "Mål N – Titel", "Mål N: Titel", "Mål N Titel", "Mål 1 Mål 1 - Titel".

Tables of contents ("… 9", dot leaders, runs of headings with nothing between)
are not goals; a title wrapped onto the next line is joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkrdesk.data.lines import Line
from kkrdesk.ingest.contracts.patterns import (
    HEADING_BARE,
    HEADING_DOUBLE,
    HEADING_SEP,
    LABEL,
    TOC_TAIL,
    TYPE_CELL,
)


@dataclass
class Heading:
    index: int          # index in cleaned lines of the heading line
    body_start: int     # first index after the heading (and its wrapped continuation)
    number: str
    title: str
    line: int


def _next_text(lines: list[Line], i: int, limit: int = 3) -> int | None:
    j, seen = i + 1, 0
    while j < len(lines) and seen <= limit:
        if lines[j].text:
            return j
        j, seen = j + 1, seen + 1
    return None


_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+(?=Mål\s+\d)")   # "5.1 Mål 1 – …"


def heading_match(text: str) -> tuple[str, str] | None:
    if not text.startswith("Mål") and not text[:1].isdigit():
        return None     # every heading pattern opens with "Mål", after an optional section number (#20)
    if TOC_TAIL.search(text):
        return None
    text = _SECTION_NUMBER.sub("", text)
    for pattern in (HEADING_DOUBLE, HEADING_SEP, HEADING_BARE):
        m = pattern.match(text)
        if m:
            title = m.group(2).strip()
            title = re.sub(r"\s+", " ", title).strip(" \t")
            if not re.search(r"[A-Za-zÆØÅæøå]", title):
                return None
            return m.group(1), title
    return None


def find_headings(lines: list[Line]) -> list[Heading]:
    candidates: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        text = line.text
        if "\t" in text:
            cells = list(dict.fromkeys(c.strip() for c in text.split("\t") if c.strip()))
            # a box's header row "Mål 3 | Virksomhedernes tilfredshed" is a heading; a row with more
            # cells ("Mål 1 | Kendskab | Nationalt") is an overview, and a run of rows is one too (below)
            first = re.fullmatch(r"Mål\s+(\d{1,2})\s*[:.–-]?", cells[0]) if cells else None
            if len(cells) == 2 and first and not TYPE_CELL.match(cells[1]):
                text = f"Mål {first.group(1)} – {cells[1]}"
            elif len(cells) > 1:
                continue
        hm = heading_match(text)
        if hm:
            candidates.append((i, *hm))
    # runs of headings with nothing between them are a table of contents
    index_set = {c[0] for c in candidates}
    keep: list[tuple[int, str, str]] = []
    for i, number, title in candidates:
        nxt = _next_text(lines, i, limit=2)
        prev = next((j for j in range(i - 1, max(-1, i - 3), -1) if lines[j].text), None)
        if (nxt is not None and nxt in index_set) or (prev is not None and prev in index_set):
            continue
        keep.append((i, number, title))
    out: list[Heading] = []
    for i, number, title in keep:
        body_start = i + 1
        nxt = _next_text(lines, i, limit=1)
        if nxt is not None:
            cont = lines[nxt].text
            if (
                cont[:1].islower()
                and len(cont) < 80
                and not title.endswith(".")
                and not LABEL.match(cont)
                and not cont.endswith(".")
            ):
                title = f"{title} {cont}".strip()
                body_start = nxt + 1
        out.append(Heading(i, body_start, number, title, lines[i].no))
    return out
