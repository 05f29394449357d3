"""A dagsorden or referat → the meeting: cover, items, their sections and bilag.

The genre (KL and the KKR secretariats write it this way; variants are normal):
a cover with the body, "Mødedato"/"Dato" (a Danish date, often with "kl. 10.00–13.00"),
"Mødested", "Afbud", "Deltagere"; a contents list with page numbers; then the
items, each a number and a title, sometimes under group headings that are not
items themselves ("3. Sager til drøftelse og beslutning"). Inside an item the
sections come in any order: Baggrund, Sagsfremstilling, Indstilling, Beslutning,
Bilag ("Bilag 1: …"), "Sagsnr."/"Sags ID".

The contents list, when there is one, says which numbers are items; a numbered
line in the text only starts an item when its number and title match the list,
or — without a list — when the numbering moves forward and item sections follow.
A closed marker ("Lukket punkt", "(Lukket)", "Fortroligt", "Lukket møde") in the
heading or the first lines closes the item; see `agenda_access`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kkrdesk.data.lines import Line
from kkrdesk.ingest.agenda_access import Access, item_access, strip_marker
from kkrdesk.ingest.agenda_cover import _COVER_LABEL, _cover_key, read_cover
from kkrdesk.ingest.agenda_lines import _MARKDOWN_HEADING, repair_lines
from kkrdesk.ingest.agenda_patterns import (
    _BILAG_ENTRY,
    _CASE,
    _CONTENTS,
    _DAGSORDEN,
    _LABEL,
    _LABELS,
    _LIST_ENTRY,
    _NO_BILAG,
    _REFERAT,
    _SUBLABEL,
    _heading,
    _same_title,
    _sort_key,
    _squash,
)


@dataclass
class AgendaBilag:
    number: str
    title: str
    line: int


@dataclass
class AgendaItem:
    number: str
    title: str
    line: int                                   # the heading's original line
    group: str | None = None                    # "3. Sager til drøftelse og beslutning"
    toc_page: int | None = None
    sections: dict[str, list[Line]] = field(default_factory=dict)
    bilag: list[AgendaBilag] = field(default_factory=list)
    case_number: str | None = None
    access: Access = field(default_factory=Access)
    lines: list[Line] = field(default_factory=list)   # heading to the line before the next item

    def text(self, key: str) -> str | None:
        lines = self.sections.get(key) or []
        while lines and not lines[-1].text:
            lines = lines[:-1]
        text = "\n".join(line.text for line in lines).strip()
        return text or None


@dataclass
class Agenda:
    kind: str                                   # dagsorden | referat
    body: str = "KKR Nordjylland"
    date: dt.date | None = None
    time: str | None = None                     # "10.00–13.00"
    place: str | None = None
    absent: str | None = None
    participants: str | None = None
    closed_meeting: bool = False
    cover: list[Line] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)


# --- contents list --------------------------------------------------------------------------------


@dataclass
class _Entry:
    number: str
    title: str
    page: int | None
    line: int


def _contents(lines: list[Line]) -> tuple[list[_Entry], int, int]:
    """The contents list: its entries and the index range [start, end) it occupies, or ([], 0, 0).

    Either the run under "Indholdsfortegnelse"/"Indhold", or the first run of numbered lines
    ending in page numbers. It ends at the first line that is not an entry, or at a number
    seen before (the first item's own heading follows the list directly).
    """
    start = next((i for i, line in enumerate(lines[:200]) if _CONTENTS.match(line.text.strip())), None)
    begin = start + 1 if start is not None else None
    if begin is None:
        begin = next((i for i, line in enumerate(lines[:200])
                      if (h := _heading(line.text, loose_page=True)) and h[2] is not None), None)
    if begin is None:
        return [], 0, 0
    entries: list[_Entry] = []
    end = len(lines)
    for index in range(begin, len(lines)):
        text = lines[index].text.strip()
        if not text:
            continue
        h = _heading(text, loose_page=True)
        if h is None or any(e.number == h[0] for e in entries):
            end = index
            break
        entries.append(_Entry(h[0], h[1], h[2], lines[index].no))
    if len(entries) < 2 or sum(1 for e in entries if e.page is not None) * 2 < len(entries):
        return [], 0, 0
    return entries, (start if start is not None else begin), end


# --- items ----------------------------------------------------------------------------------------


def _looks_like_item_start(lines: list[Line], index: int) -> bool:
    """Without a contents list: an item heading is followed soon by a section, a case number or a marker."""
    seen = 0
    for line in lines[index + 1:]:
        text = line.text.strip()
        if not text:
            continue
        if _LABEL.match(text) or _CASE.match(text) or _BILAG_ENTRY.match(text) or strip_marker(text) != text:
            return True
        if (h := _heading(text)) and "." in h[0]:
            return True   # a group heading followed by its first sub-item
        seen += 1
        if seen >= 4:
            return False
    return False


_NUMBER_ONLY = re.compile(r"^(?:punkt\s+)?(\d{1,2}(?:\.\d{1,2})?)\.?$", re.IGNORECASE)


def _join_split_headings(lines: list[Line], entries: list[_Entry]) -> list[Line]:
    """'3.4' on a line of its own and the title on the next, or the title alone (Word numbers its
    headings itself and the number is not in the text): made one heading line when the contents list
    has that number and title."""
    numbers = {e.number: e.title for e in entries}
    titles = {_squash(e.title): e.number for e in entries}
    out: list[Line] = []
    pending: tuple[int, str] | None = None     # index in out of a number-only line, its number
    for line in lines:
        text = line.text.strip()
        if pending and text:
            index, number = pending
            pending = None
            if _same_title(numbers[number], text):
                out[index] = out[index]._replace(text=f"{number} {text}")
                continue
        if m := _NUMBER_ONLY.match(text):
            if m.group(1) in numbers:
                pending = (len(out), m.group(1))
        elif text and _heading(text) is None and _squash(text) in titles and len(text) <= 160:
            out.append(line._replace(text=f"{titles[_squash(text)]} {text}"))
            continue
        out.append(line)
    return out


def _find_headings(lines: list[Line], entries: list[_Entry], body_start: int) -> list[tuple[int, str, str]]:
    """(index, number, title) of every item or group heading in the body, in order."""
    found: list[tuple[int, str, str]] = []
    if entries:
        want = 0
        for i in range(body_start, len(lines)):
            if want >= len(entries):
                break
            h = _heading(lines[i].text)
            if h is None:
                continue
            # a heading may skip an entry the contents list has but the text lacks
            for k in range(want, min(want + 3, len(entries))):
                if h[0] == entries[k].number and _same_title(entries[k].title, h[1]):
                    found.append((i, h[0], h[1]))
                    want = k + 1
                    break
        return found
    last: tuple[int, ...] = ()
    for i in range(body_start, len(lines)):
        h = _heading(lines[i].text)
        if h is None or _sort_key(h[0]) <= last:
            continue
        # the next top-level number on a line of its own ("4. Eventuelt") is an item even with nothing under it
        next_top = "." not in h[0] and last and int(h[0]) == last[0] + 1 and len(h[1]) <= 60 \
            and (i == 0 or not lines[i - 1].text.strip())
        # the next sub-number after an item ("2.1" → "2.2") is an item too, however short its text; and a
        # heading that marks itself closed is always one (safe by default: its text must not fall into
        # the open item before it)
        key = _sort_key(h[0])
        next_sub = len(key) == 2 and len(last) == 2 and key == (last[0], last[1] + 1)
        marked = strip_marker(lines[i].text) != lines[i].text
        if next_top or next_sub or marked or _looks_like_item_start(lines, i):
            found.append((i, h[0], h[1]))
            last = _sort_key(h[0])
    return found


def _is_group(index: int, headings: list[tuple[int, str, str]], lines: list[Line]) -> bool:
    """'3. Sager til drøftelse' directly followed by '3.1 …' (nothing but blanks between) is a group."""
    i, number, _ = headings[index]
    if "." in number or index + 1 >= len(headings):
        return False
    nxt_i, nxt_number, _ = headings[index + 1]
    if not nxt_number.startswith(number + "."):
        return False
    between = [line for line in lines[i + 1:nxt_i] if line.text.strip()]
    return not any(_LABEL.match(line.text.strip()) or _CASE.match(line.text.strip()) for line in between) \
        and len(between) <= 2


_WRAP_MIN = 40      # a heading this long may have been wrapped by the page
_WRAP_TAIL_MAX = 60


def _is_structure(text: str) -> bool:
    return bool(_LABEL.match(text) or _CASE.match(text) or _BILAG_ENTRY.match(text))


def _join_wrapped_title(title: str, toc_title: str, body: list[Line]) -> tuple[str, list[Line]]:
    """A long heading wrapped onto the next line (a PDF): joined while it still matches the contents list.

    Without a list: a short line right under a long heading, followed by a blank line or a section
    label, that does not end a sentence, is the heading's tail.
    """
    if not toc_title:
        if len(title) >= _WRAP_MIN and len(body) >= 2 and body[0].text.strip():
            tail, after = body[0].text.strip(), body[1].text.strip()
            if len(tail) <= _WRAP_TAIL_MAX and not tail.endswith((".", ":")) and not _is_structure(tail) \
                    and (not after or _is_structure(after)):
                return f"{title} {tail}", body[1:]
        return title, body
    want = _squash(toc_title)
    while body and want and len(_squash(title)) < len(want):
        nxt = next((k for k, line in enumerate(body) if line.text.strip()), None)
        if nxt is None:
            break
        joined = f"{title} {body[nxt].text.strip()}"
        if not want.startswith(_squash(joined)[: len(want)]) and _squash(joined) != want:
            break
        title, body = joined, body[nxt + 1:]
    return title, body


def _read_bilag_line(item: AgendaItem, line: Line, in_list: bool) -> bool:
    text = line.text.strip().replace("\t", " ")
    if m := _BILAG_ENTRY.match(text):
        item.bilag.append(AgendaBilag(m.group("no"), m.group("title").strip(), line.no))
        return True
    if in_list:
        if _NO_BILAG.match(text):
            return True
        m = _LIST_ENTRY.match(text)
        title = m.group("title").strip() if m else text
        number = (m.group("no") if m and m.group("no") else str(len(item.bilag) + 1))
        item.bilag.append(AgendaBilag(number, title, line.no))
        return True
    return False


_INDSTILLES = re.compile(r"^(?:det\s+indstilles|\w+(?:\s+\w+)?\s+indstiller|formandskabet\s+indstiller)\b",
                         re.IGNORECASE)


def _indstilling_from_text(item: AgendaItem) -> None:
    """No "Indstilling" label: the paragraph that says "Det indstilles, at …" is the Indstilling."""
    for key in ("_lead", "sagsfremstilling", "baggrund"):
        lines = item.sections.get(key) or []
        for start, line in enumerate(lines):
            if _INDSTILLES.match(line.text.strip()):
                end = start
                while end < len(lines) and lines[end].text.strip():
                    end += 1
                item.sections["indstilling"] = lines[start:end]
                item.sections[key] = lines[:start] + lines[end:]
                return


def _read_item(item: AgendaItem, body: list[Line]) -> None:
    current = "_lead"
    for line in body:
        text = line.text.strip()
        if not text:
            if current not in ("bilag",):
                item.sections.setdefault(current, []).append(line)
            continue
        if m := _CASE.match(text):
            if item.case_number is None:
                item.case_number = m.group("value").replace("\t", " ").strip()
            continue
        if m := _LABEL.match(text):
            if m.group("label").lower() in ("bilag", "bilagsliste", "bilag til punktet") or m.group("sep") or \
                    len(text) <= len(m.group("label")) + 1:
                current = _LABELS[m.group("label").lower()]
                rest = (m.group("rest") or "").strip()
                if rest:
                    if current == "bilag":
                        _read_bilag_line(item, line._replace(text=rest), True)
                    else:
                        item.sections.setdefault(current, []).append(line._replace(text=rest))
                continue
        if _SUBLABEL.match(text) and current in ("indstilling", "beslutning", "bilag", "baggrund"):
            current = "sagsfremstilling"
        if current == "bilag":
            if _read_bilag_line(item, line, True):
                continue
        elif _read_bilag_line(item, line, False):
            continue
        item.sections.setdefault(current, []).append(line)
    if "indstilling" not in item.sections:
        _indstilling_from_text(item)
    lead = item.sections.pop("_lead", [])
    lead = [line for line in lead if strip_marker(line.text.strip()) or not line.text.strip()]
    if any(line.text.strip() for line in lead):
        key = "sagsfremstilling" if "sagsfremstilling" not in item.sections else "baggrund"
        item.sections[key] = lead + [Line(0, "")] + item.sections.get(key, []) if key in item.sections else lead


_REFERAT_WORD = re.compile(r"\breferat\b", re.IGNORECASE)
_DAGSORDEN_WORD = re.compile(r"\bdagsorden\b", re.IGNORECASE)


def detect_agenda_kind(lines: list[Line]) -> str | None:
    """'dagsorden' or 'referat' when the text is one, else None (cheap: the opening and a few labels)."""
    head = [_MARKDOWN_HEADING.sub("", line.text.strip()) for line in lines[:40] if line.text.strip()]
    referat = any(_REFERAT.match(t) or len(t) < 80 and _REFERAT_WORD.search(t) for t in head[:12])
    dagsorden = any(_DAGSORDEN.match(t) or len(t) < 80 and _DAGSORDEN_WORD.search(t) for t in head[:12])
    # without the word, the cover must look like a meeting's: two of its fields, one beyond a bare date
    keys = {_cover_key(m.group("label")) for t in head if (m := _COVER_LABEL.match(t))}
    cover = len(keys) >= 2 and bool(keys & {"place", "absent", "participants"})
    if not (referat or dagsorden or cover):
        return None
    texts = [_MARKDOWN_HEADING.sub("", line.text.strip()) for line in lines]
    labels = sum(1 for text in texts if (m := _LABEL.match(text))
                 and (m.group("sep") or len(text) <= len(m.group("label")) + 1)
                 and _LABELS[m.group("label").lower()] in ("indstilling", "beslutning", "sagsfremstilling"))
    if labels < 2:
        return None
    return "referat" if referat else "dagsorden"


def parse_agenda(lines: list[Line], kind: str | None = None) -> Agenda | None:
    """The meeting a dagsorden/referat describes, or None when no item is found."""
    kind = kind or detect_agenda_kind(lines) or "dagsorden"
    lines = repair_lines(lines)
    entries, toc_start, toc_end = _contents(lines)
    body_start = toc_end if entries else 0
    if entries:
        lines = lines[:body_start] + _join_split_headings(lines[body_start:], entries)
    headings = _find_headings(lines, entries, body_start)
    if not headings:
        return None
    cover_end = toc_start if entries else headings[0][0]
    agenda = Agenda(kind, cover=lines[:cover_end])
    read_cover(agenda, lines[:cover_end])
    pages = {e.number: e.page for e in entries}
    toc_titles = {e.number: e.title for e in entries}
    group: str | None = None
    group_closed = False                 # "5. Lukket møde" / "5. Lukkede punkter" closes every item under it
    for index, (i, number, title) in enumerate(headings):
        end = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        if _is_group(index, headings, lines):
            group = f"{number}. {strip_marker(title) or title}"
            group_closed = item_access(title, toc_titles.get(number, ""), []).closed
            continue
        if "." not in number or (group and not number.startswith(group.split(".")[0] + ".")):
            group, group_closed = None, False
        body = lines[i + 1:end]
        title, body = _join_wrapped_title(title, toc_titles.get(number, ""), body)
        item = AgendaItem(number, strip_marker(title), lines[i].no, group=group, toc_page=pages.get(number),
                          lines=lines[i:end])
        item.access = item_access(title, toc_titles.get(number, ""), body,
                                  closed_meeting=agenda.closed_meeting or group_closed)
        _read_item(item, body)
        agenda.items.append(item)
        listed = toc_titles.get(number)
        if listed and _squash(listed) != _squash(item.title):   # printed both ways: keep the text's, say so
            agenda.warnings.append((item.line, f"punkt {number}: titlen i indholdsfortegnelsen («{strip_marker(listed)}») "
                                               f"afviger fra overskriften («{item.title}»)"))
        for message in item.access.warnings:
            agenda.warnings.append((item.line, f"punkt {number}: {message}"))
    numbers = {item.number for item in agenda.items}
    for entry in entries:
        if entry.number not in numbers and not any(n.startswith(entry.number + ".") for n in numbers):
            agenda.warnings.append((entry.line, f"punkt {entry.number} står i indholdsfortegnelsen, men blev ikke "
                                                f"fundet i teksten"))
    if agenda.date is None:
        agenda.warnings.append((None, "mødedatoen blev ikke fundet på forsiden"))
    return agenda
