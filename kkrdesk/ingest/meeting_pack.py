"""A meeting's appendix pack ("Indholdsfortegnelse - Bilag") → agenda items and their bilag.

The pack's table of contents names every agenda item and its bilag with a
page number; the body repeats the item number (alone on a line, or with the
title) at the start of each bilag. The TOC gives the titles, the body gives
the line spans. Sub-appendices inside a bilag ("Bilag 2. …" in a contract) and
numbered clauses ("3.2 Følgegruppernes ansvar") must not start a new bilag,
so a body marker only counts when the item title follows it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from kkrdesk.data.lines import Line

_TOC_ENTRY = re.compile(r"^(?P<title>.+?)(?:\s*\.{3,}\s*|\t+|\s{2,})(?P<page>\d{1,4})$")
_TOC_ITEM = re.compile(r"^(?P<number>\d{1,2}\.\d{1,2})\.?\s+(?P<title>.+)$")
_TOC_BILAG = re.compile(r"^Bilag\s+(?P<number>\d{1,2}[a-z]?)\s*[:.\-–]\s*(?P<title>.+)$")
# "Indholdsfortegnelse - Bilag", "Indholdsfortegnelse til bilag", "Bilagsoversigt" (#14: other secretariats' words)
_PACK_HEADER = re.compile(r"indholdsfortegnelse\s*(?:[-–:]|til|over)?\s*bilag|^\s*bilagsoversigt\b", re.IGNORECASE)
_MATCH_RATIO = 0.8


@dataclass
class PackBilag:
    number: str
    title: str
    page: int | None
    line_start: int | None = None   # original line of the body marker
    lines: list[Line] = field(default_factory=list)


@dataclass
class PackItem:
    number: str
    title: str
    toc_line: int
    bilag: list[PackBilag] = field(default_factory=list)


@dataclass
class MeetingPack:
    items: list[PackItem]
    toc_end: int                     # index in lines of the first body line
    warnings: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def all_bilag(self) -> list[tuple[PackItem, PackBilag]]:
        return [(item, b) for item in self.items for b in item.bilag]


def is_meeting_pack(lines: list[Line]) -> bool:
    head = [line.text for line in lines[:15] if line.text]
    return any(_PACK_HEADER.search(text) for text in head)


def _clean_title(title: str) -> str:
    return re.sub(r"\.{2,}$", "", title).strip()


def _parse_toc(lines: list[Line]) -> tuple[list[PackItem], int]:
    items: list[PackItem] = []
    started = False
    end = 0
    for end, line in enumerate(lines):  # noqa: B007 - `end` is where the TOC stopped
        text = line.text
        if not text:
            if items and items[-1].bilag:
                break  # the blank line after the last entry ends the TOC
            continue
        if _PACK_HEADER.search(text):
            started = True
            continue
        entry = _TOC_ENTRY.match(text)
        if not started or not entry:
            if items:
                break
            continue
        title, page = entry.group("title").strip(), int(entry.group("page"))
        if m := _TOC_BILAG.match(title):
            if items:
                items[-1].bilag.append(PackBilag(m.group("number"), _clean_title(m.group("title")), page))
        elif m := _TOC_ITEM.match(title):
            items.append(PackItem(m.group("number"), _clean_title(m.group("title")), line.no))
    return items, end


def _squash(text: str) -> str:
    text = text.replace("–", "-").replace("—", "-").replace("*", "")
    return re.sub(r"\s+", " ", text).strip().lower()


def _title_follows(lines: list[Line], index: int, number: str, title: str) -> bool:
    """Does the item title start at lines[index] (after the number) or on the next text lines?"""
    text = lines[index].text
    inline = text[len(number):].strip() if text.startswith(number) else ""
    candidates: list[str] = []
    if inline:
        candidates.append(inline)
    following = [line.text for line in lines[index + 1:index + 6] if line.text][:2]
    if not inline and following:
        candidates.append(following[0])
        if len(following) > 1:
            candidates.append(following[0] + " " + following[1])
    want = _squash(title)
    for candidate in candidates:
        got = _squash(candidate)[: len(want) + 5]
        if difflib.SequenceMatcher(None, want, got).ratio() >= _MATCH_RATIO:
            return True
    return False


def parse_meeting_pack(lines: list[Line]) -> MeetingPack | None:
    """Items and bilag with their body lines, or None when the TOC has no items."""
    items, toc_end = _parse_toc(lines)
    if not items:
        return None
    pack = MeetingPack(items, toc_end)
    position = toc_end
    markers: list[tuple[int, PackBilag]] = []
    for item in items:
        for bilag in item.bilag:
            found = None
            for index in range(position, len(lines)):
                text = lines[index].text
                if (text == item.number or text.startswith(item.number + " ")) and _title_follows(
                    lines, index, item.number, item.title
                ):
                    found = index
                    break
            if found is None:
                pack.warnings.append((item.toc_line, f"Bilag {bilag.number} til punkt {item.number} blev ikke fundet i teksten"))
                continue
            markers.append((found, bilag))
            position = found + 1
    for (start, bilag), nxt in zip(markers, markers[1:] + [(len(lines), None)], strict=True):
        body = lines[start:nxt[0]]
        while body and not body[-1].text:
            body = body[:-1]
        bilag.line_start = lines[start].no
        bilag.lines = body
    return pack
