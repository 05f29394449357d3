"""Numbered headings → sections, plus a document's title and year.

Heading detection works on the genre: "1. Indledning", "3.2 Mål og metode",
"Mål 4 – Kendskab", "Bilag 2. Udmøntede midler", "# Markdown". A numbered list
inside the text ("2. Kendskab" in an overview table) is told apart from a real
heading by the numbering sequence: a top-level number must continue the
document's own sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkrdesk.data.lines import Line, LineSpan

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-ZÆØÅ«\"”][^\t]{1,110})$")
_GOAL = re.compile(r"^(Mål\s+\d{1,2})\s*[-–:]\s*(\S.{1,150})$")
_GOAL_IN_BOX = re.compile(r"^Mål\s+(\d{1,2})\s+(Mål\s+\1)\s*[-–:]\s*(\S.{1,150})$")  # "Mål 1 Mål 1 - Titel"
_REPORT_GOAL = re.compile(r"^(Afrapportering og målopfyldelse)\s*[-–]\s*(Mål\s+\d{1,2})\s*$")
_BILAG = re.compile(r"^(Bilag\s+\d{1,2}[a-z]?)\.?\s+(\S.{1,150})$")
_MARKDOWN = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_YEAR = re.compile(r"\b(20[0-4]\d|19[89]\d)\b")


@dataclass
class Section(LineSpan):
    number: str | None
    title: str
    level: int
    lines: list[Line]
    has_heading: bool = True   # False for the untitled text before the first heading

    @property
    def body_lines(self) -> list[Line]:
        """The section's text lines under its heading, without leading/trailing blanks."""
        body = self.lines[1:] if self.has_heading else self.lines
        start, end = 0, len(body)
        while start < end and not body[start].text:
            start += 1
        while end > start and not body[end - 1].text:
            end -= 1
        return body[start:end]

    @property
    def body(self) -> str:
        return "\n".join(line.text for line in self.body_lines)


_DATE_LIKE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}")
_SENTENCE_INSIDE = re.compile(r"\w\. [A-ZÆØÅ]")
_MIN_BODY_CHARS = 60
_TEXT_CHAR = re.compile(r"[^\d\s%.,]")   # what is left of a body without its numbers and spacing


def _fewer_text_chars(body: str, limit: int) -> bool:
    """Fewer than `limit` characters of `body` are text: counted up to the limit, not through a long body (#20)."""
    if limit <= 0:
        return False
    for count, _ in enumerate(_TEXT_CHAR.finditer(body), start=1):
        if count >= limit:
            return False
    return True


_HEADING_FIRST = frozenset("#AMB")   # what the patterns below can open with, besides a digit


def _heading(text: str) -> tuple[str | None, str, int] | None:
    if text[:1] not in _HEADING_FIRST and not text[:1].isdigit():
        return None     # most lines: no pattern below can match (#20)
    if len(text) > 160 or "\t" in text or "....." in text:
        return None
    if m := _MARKDOWN.match(text):
        return None, m.group(2), len(m.group(1))
    if m := _REPORT_GOAL.match(text):
        return m.group(2), f"{m.group(1)} – {m.group(2)}", 2
    if m := _GOAL_IN_BOX.match(text):
        return m.group(2), m.group(3).strip(), 2
    if m := _GOAL.match(text):
        if not text.rstrip().endswith((".", ",")) or len(text) < 100:
            return m.group(1), m.group(2).strip(), 2
    if m := _BILAG.match(text):
        return m.group(1), m.group(2).strip(), 1
    if m := _NUMBERED.match(text):
        number, title = m.group(1), m.group(2).strip()
        if (
            title.endswith((",", ";"))
            or len(title.split()) > 16
            or _DATE_LIKE.match(text)
            or _SENTENCE_INSIDE.search(title)
        ):
            return None
        return number, title, number.count(".") + 1
    return None


def split_sections(lines: list[Line], default_title: str) -> list[Section]:
    """Sections of a document; text before the first heading is its own section."""
    sections: list[Section] = []
    current = Section(None, default_title, 1, [], has_heading=False)
    for line in lines:
        head = _heading(line.text) if line.text else None
        if head is not None:
            if any(ln.text for ln in current.lines):
                sections.append(current)
            number, title, level = head
            current = Section(number, title, level, [line])
        else:
            current.lines.append(line)
    if any(ln.text for ln in current.lines):
        sections.append(current)
    return _keep_sequence(_merge_list_items(sections))


def _is_plain_number(section: Section) -> bool:
    return section.number is not None and section.number[0].isdigit()


def _merge_list_items(sections: list[Section]) -> list[Section]:
    """A numbered 'heading' with (almost) no text under it is an item of a list, not a section."""
    out: list[Section] = []
    for section in sections:
        if out and _is_plain_number(section) and _fewer_text_chars(section.body, _MIN_BODY_CHARS):
            out[-1].lines.extend(section.lines)
            continue
        out.append(section)
    return out


def _keep_sequence(sections: list[Section]) -> list[Section]:
    """Numbered headings must continue the document's own numbering (1, 2, 2.1, 3 …)."""
    out: list[Section] = []
    top = 0
    for section in sections:
        if _is_plain_number(section):
            parts = [int(p) for p in section.number.split(".")]
            fits = parts[0] == top + 1 if len(parts) == 1 else parts[0] in (top, top + 1) or top == 0
            if not fits and out:
                out[-1].lines.extend(section.lines)
                continue
            top = parts[0]
        out.append(section)
    return out


_AGENDA_HEADING = re.compile(r"^\d{1,2}\.\d{1,2}\s+\S")
_WRAP_HYPHEN = re.compile(r"[a-zæøå]{2,}-$")


def guess_title(lines: list[Line], fallback: str) -> str:
    """The first text line (joined with a wrapped second line), unless it is a section heading."""
    texts = [line.text for line in lines[:12] if line.text]
    if not texts:
        return fallback
    first = texts[0]
    heading = first.startswith("#")   # a markdown heading is a whole title: never join the next line …
    if heading and len(texts) > 1:
        level = len(first) - len(first.lstrip("#"))
        nxt = texts[1]
        if len(nxt) - len(nxt.lstrip("#")) == level and nxt[level:level + 1] == " ":
            first = f"{first} {nxt[level:].strip()}"   # … unless it goes on as a heading of the same level (a wrapped title)
    first = first.lstrip("#").strip()
    if (_NUMBERED.match(first) and not _AGENDA_HEADING.match(first)) or first.startswith("•") or len(first) > 140:
        return fallback
    if not heading and len(texts) > 1 and not re.search(r"[.!?:]$", first) and len(first) > 35 and (
        texts[1][:1].islower() or len(texts[1]) < 60
    ) and not _NUMBERED.match(texts[1]):
        if _WRAP_HYPHEN.search(first) and texts[1][:1].islower():
            first = first[:-1] + texts[1]
        elif first.endswith("-"):
            first = first + texts[1]
        else:
            first = f"{first} {texts[1]}"
    return first.strip(" *")


def guess_year(lines: list[Line]) -> int | None:
    """First plausible year in the opening text (the contract or report year)."""
    for line in lines[:25]:
        if m := _YEAR.search(line.text):
            return int(m.group(1))
    return None
