"""Is an agenda item closed? Decided at import, and safe by default.

A closed item is marked in its heading or its first lines: "Lukket punkt",
"(Lukket)", "Fortroligt", "Lukket møde" (also in the contents list's title). When
the word is there but not as a marker — "Lukket for optag" as a title, "fortrolige
oplysninger" in the opening sentence — the item is still stored closed, with a
warning asking the secretariat to check: opening an item by mistake is one click,
publishing a closed one cannot be undone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kkrdesk.data.lines import Line

OPEN, CLOSED = "åben", "lukket"
_FIRST_LINES = 3

# A marker: the whole line, or a bracketed / dashed tail of the heading.
_MARKER_WORDS = r"(?:lukket\s+punkt|lukket\s+møde|lukket|fortroligt|fortrolig|punktet\s+er\s+lukket|ikke\s+offentligt?)"
_MARKER_LINE = re.compile(rf"^[\[(]?\s*{_MARKER_WORDS}\s*[\])]?\s*[.!:]?(?:\s*[-–].*)?$", re.IGNORECASE)
_MARKER_TAIL = re.compile(rf"\s*(?:[\[(]\s*{_MARKER_WORDS}\s*[\])]|[-–:]\s*{_MARKER_WORDS}\s*)$", re.IGNORECASE)
_MARKER_HEAD = re.compile(rf"^(?:[\[(]\s*{_MARKER_WORDS}\s*[\])]|{_MARKER_WORDS}\s*[-–:])\s*", re.IGNORECASE)
_WORD = re.compile(r"\blukke[dt]e?\b|\bfortrolig(?:t|e)?\b|\bikke\s+offentlig", re.IGNORECASE)


@dataclass
class Access:
    access: str = OPEN
    marker: str | None = None          # the text that closed it
    warnings: list[str] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.access == CLOSED


def strip_marker(title: str) -> str:
    """The title without its closed marker: '3.6 Ny direktør (Lukket)' → '3.6 Ny direktør'."""
    text = _MARKER_TAIL.sub("", title.strip())
    text = _MARKER_HEAD.sub("", text)
    return "" if _MARKER_LINE.match(text) else text.strip()


def _marker_in(text: str) -> bool:
    text = text.strip()
    return bool(text) and (bool(_MARKER_LINE.match(text)) or strip_marker(text) != text)


def item_access(heading: str, toc_title: str, body: list[Line], *, closed_meeting: bool = False) -> Access:
    """Closed when a marker stands in the heading, the contents list or the first lines."""
    first = [line.text.strip() for line in body if line.text.strip()][:_FIRST_LINES]
    if closed_meeting:
        return Access(CLOSED, "Lukket møde")
    for text in (heading, toc_title, *first):
        if text and _marker_in(text):
            return Access(CLOSED, text)
    for text in (heading, toc_title, *first):
        if text and (m := _WORD.search(text)):
            return Access(CLOSED, text, [
                f"«{m.group(0)}» i overskriften eller de første linjer – punktet er gemt som lukket; "
                "åbn det, hvis det ikke er et lukket punkt"
            ])
    return Access()
