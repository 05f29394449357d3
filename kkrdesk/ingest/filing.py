"""File the parts of a joined file as agenda items, as the secretariat would.

A file that glues several documents together is the material of one or more
KKR meetings. Consecutive parts on the same matter (slides and the item they
were shown at, a survey's data report and its summary) become one agenda item
with each part as a bilag. A part that names its meeting ("KKR den 20. juni
2025") dates it; an item number printed in a heading ("3.5 Nordjyske
principper") is kept; nothing else is invented: undated material goes to a
meeting marked "dato ukendt".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kkrdesk.data.danish import MONTHS, find_date
from kkrdesk.data.lines import Line

if TYPE_CHECKING:
    from sqlite_utils import Database

_MEETING_DATE = re.compile(
    r"\b(?:KKR(?:-møde)?|mødet?)\s+(?:Nordjylland\s+)?(?:den|d\.)\s+(\d{1,2}\.\s*(?:" + "|".join(MONTHS) + r")\s+\d{4})",
    re.IGNORECASE,
)
_AGENDA_NUMBER = re.compile(r"^(\d{1,2}\.\d{1,2})\.?\s+(.+)$")
_STOPWORDS = {"af", "på", "det", "den", "og", "i", "til", "for", "med", "om", "en", "et", "de", "vedr"}
_SAME_MATTER = 0.6


@dataclass
class FiledPart:
    document_id: int
    title: str
    lines: list[Line]


@dataclass
class _Group:
    parts: list[FiledPart] = field(default_factory=list)
    number: str = ""
    title: str = ""
    date: dt.date | None = None


def meeting_title(date: dt.date | None, year: int | None) -> str:
    """Meetings are named alike; what the material does not say is said plainly."""
    if year and not date:
        return f"Møde i KKR Nordjylland {year}"   # the date line says "dato ukendt"
    return "Møde i KKR Nordjylland"


def meeting_date_in(lines: list[Line]) -> dt.date | None:
    """The meeting a text names itself for ("KKR den 20. juni 2025"), not any date it mentions."""
    for line in lines:
        if m := _MEETING_DATE.search(line.text):
            return find_date(m.group(1))
    return None


def _words(title: str) -> set[str]:
    return {w for w in re.findall(r"[\wæøå-]+", title.casefold()) if w not in _STOPWORDS and not w.isdigit()}


def same_matter(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(shorter & longer) / len(shorter) >= _SAME_MATTER


def _group_parts(parts: list[FiledPart]) -> list[_Group]:
    groups: list[_Group] = []
    for part in parts:
        if groups and same_matter(groups[-1].parts[-1].title, part.title):
            groups[-1].parts.append(part)
        else:
            groups.append(_Group([part]))
    for group in groups:
        for part in group.parts:
            if not group.number and (m := _AGENDA_NUMBER.match(part.title)):
                group.number, group.title = m.group(1), m.group(2)
            group.date = group.date or meeting_date_in(part.lines)
        group.title = group.title or group.parts[0].title
    return groups


def file_parts_as_meetings(db: Database, source_document_id: int, parts: list[FiledPart],
                           year_hint: int | None) -> list[int]:
    """Create the meetings, items and bilag for a joined file's parts; returns the meeting ids."""
    groups = _group_parts(parts)
    by_date: dict[dt.date | None, list[_Group]] = {}
    for group in groups:
        by_date.setdefault(group.date, []).append(group)
    meeting_ids: list[int] = []
    for date, members in sorted(by_date.items(), key=lambda kv: (kv[0] is None, kv[0] or dt.date.min)):
        first = members[0].parts[0].lines
        last = members[-1].parts[-1].lines
        meeting_id = db["meetings"].insert({
            "body": "KKR Nordjylland",
            "date": date.isoformat() if date else None,
            "year": date.year if date else year_hint,
            "title": meeting_title(date, None if date else year_hint),
            "document_id": source_document_id,
            "line_start": first[0].no,
            "line_end": last[-1].no,
        }).last_pk
        meeting_ids.append(meeting_id)
        for position, group in enumerate(members):
            item_id = db["agenda_items"].insert({
                "meeting_id": meeting_id, "position": position, "number": group.number, "title": group.title,
                "access": "åben", "document_id": source_document_id,
                "line_start": group.parts[0].lines[0].no, "line_end": group.parts[-1].lines[-1].no,
            }).last_pk
            for b_position, part in enumerate(group.parts):
                db["bilag"].insert({
                    "agenda_item_id": item_id, "position": b_position, "number": str(b_position + 1),
                    "title": part.title, "document_id": part.document_id,
                    "line_start": part.lines[0].no, "line_end": part.lines[-1].no,
                })
    return meeting_ids
