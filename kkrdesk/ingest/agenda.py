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
import difflib
import re
from dataclasses import dataclass, field

from kkrdesk.data.danish import find_date, parse_number
from kkrdesk.data.lines import Line
from kkrdesk.ingest.agenda_access import Access, item_access, strip_marker

SECTION_KEYS = ("baggrund", "sagsfremstilling", "indstilling", "beslutning")

_LABELS: dict[str, str] = {
    "baggrund": "baggrund", "baggrund og formål": "baggrund", "resumé": "baggrund", "resume": "baggrund",
    "sagsfremstilling": "sagsfremstilling", "sagen": "sagsfremstilling", "sagens indhold": "sagsfremstilling",
    "beskrivelse": "sagsfremstilling", "sagsbeskrivelse": "sagsfremstilling",
    "indstilling": "indstilling", "indstillinger": "indstilling", "forslag til beslutning": "indstilling",
    "beslutning": "beslutning", "beslutninger": "beslutning", "referat": "beslutning",
    "beslutning på mødet": "beslutning", "kkr's beslutning": "beslutning", "kkrs beslutning": "beslutning",
    "bilag": "bilag", "bilagsliste": "bilag", "bilag til punktet": "bilag",
    "baggrund og sagsfremstilling": "sagsfremstilling", "sagsfremstilling og baggrund": "sagsfremstilling",
    "sagsfremstilling/baggrund": "sagsfremstilling", "forslag til indstilling": "indstilling",
    "indstilling til beslutning": "indstilling", "kkr nordjyllands beslutning": "beslutning",
}
# Headings inside the case text ("Økonomi", "Videre proces"): they belong to the Sagsfremstilling and stay in it.
_SUBLABELS = ("økonomi", "økonomiske konsekvenser", "videre proces", "proces", "tidsplan", "kommunikation",
              "vurdering", "høring", "lovgrundlag", "sagens gang", "konsekvenser", "status")
_SUBLABEL = re.compile(r"^(?:" + "|".join(_SUBLABELS) + r")\s*:?$", re.IGNORECASE)
_LABEL = re.compile(
    r"^(?P<label>" + "|".join(sorted((re.escape(k) for k in _LABELS), key=len, reverse=True)) + r")"
    r"(?:\s+(?:i|fra|på|til)\s+(?:KKR(?:\s+Nordjylland)?|mødet|kommunekontaktrådet)(?:\s+den\s+[^:\t]{4,25})?)?"
    r"\s*(?:(?P<sep>[:\t])\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_CASE = re.compile(r"^(?:sagsnr\.?|sags\s?nr\.?|sagsnummer|sags[- ]?id|sag nr\.?|j\.\s?nr\.?|journalnr\.?)"
                   r"\s*[:\t]?\s*(?P<value>\S.*)$", re.IGNORECASE)
_BILAG_ENTRY = re.compile(r"^(?:[-•]\s*)?Bilag\s+(?:\d{1,2}\.){0,3}(?P<no>\d{1,2}[a-z]?)\s*[:.\-–)]?\s*(?P<title>\S.*)$",
                          re.IGNORECASE)   # "Bilag 3.1.1: …" is bilag 1 of item 3.1
_LIST_ENTRY = re.compile(r"^(?:[-•]\s*|(?P<no>\d{1,2})[.)]\s+)(?P<title>\S.*)$")
_NO_BILAG = re.compile(r"^(?:ingen(?: bilag)?|-|–)\.?$", re.IGNORECASE)
_HEADING = re.compile(r"^(?:punkt\s+|pkt\.\s*)?(?P<no>\d{1,2}(?:\.\d{1,2})?)\.?(?:\s*[:.\-–]\s*|\s+)(?P<title>\S.*)$",
                      re.IGNORECASE)
_PAGE_TAIL = re.compile(r"(?:\s*\.{2,}\s*|\t+|\s{2,}|\s+)(?:side\s+)?(?P<page>\d{1,3})$", re.IGNORECASE)
_STRICT_PAGE_TAIL = re.compile(r"(?:\s*\.{2,}\s*|\t+|\s{2,})(?:side\s+)?(?P<page>\d{1,3})$", re.IGNORECASE)
_CONTENTS = re.compile(r"^(?:indholdsfortegnelse|indhold|dagsordenspunkter|punkter på dagsordenen|oversigt over punkter)"
                       r"\s*:?$", re.IGNORECASE)
_PAGE_FOOTER = re.compile(r"^(?:side\s+)?\d{1,3}\s*(?:af|/)\s*\d{1,3}$|^side\s+\d{1,3}$", re.IGNORECASE)
_BODY = re.compile(r"\b(KKR\s+(?:Nordjylland|Midtjylland|Syddanmark|Sjælland|Hovedstaden))\b", re.IGNORECASE)
_TIME = re.compile(r"\bkl\.?\s*(?P<start>\d{1,2}(?:[.:]\d{2})?)(?:\s*(?:[-–—]|til)\s*(?:kl\.?\s*)?"
                   r"(?P<end>\d{1,2}(?:[.:]\d{2})?))?", re.IGNORECASE)
_BARE_TIME = re.compile(r"(?<![\d.])(?P<start>\d{1,2}[.:]\d{2})\s*(?:[-–—]|til)\s*(?P<end>\d{1,2}[.:]\d{2})(?![\d.])")
_COVER_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("mødedato", "dato", "mødedato og tid", "dato og tid", "tid og sted", "tidspunkt", "mødetidspunkt", "tid"),
    "place": ("mødested", "sted", "lokale", "adresse", "lokation", "mødelokale"),
    "absent": ("afbud", "fraværende", "afbud fra"),
    "participants": ("deltagere", "til stede", "medlemmer", "deltagende", "mødedeltagere"),
}
_COVER_LABEL = re.compile(
    r"^(?P<label>" + "|".join(sorted((re.escape(v) for vs in _COVER_FIELDS.values() for v in vs), key=len, reverse=True))
    + r")\s*(?:[:\t]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_REFERAT = re.compile(r"^(?:referat|beslutningsreferat|mødereferat)\b", re.IGNORECASE)
_DAGSORDEN = re.compile(r"^dagsorden\b", re.IGNORECASE)
_TITLE_MATCH = 0.72
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")   # the document model writes Word headings as "### 3.4 …"


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


# --- small readers --------------------------------------------------------------------------------


def _squash(text: str) -> str:
    text = strip_marker(text).replace("–", "-").replace("—", "-").replace("*", "")
    return re.sub(r"\s+", " ", text).strip().lower().rstrip(".")


def _same_title(a: str, b: str) -> bool:
    a, b = _squash(a), _squash(b)
    if not a or not b:
        return False
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    return difflib.SequenceMatcher(None, a, b[: len(a) + 10]).ratio() >= _TITLE_MATCH


def _sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


def _heading(text: str, loose_page: bool = False) -> tuple[str, str, int | None] | None:
    """'3.4 Dimensionering …\t5' → ('3.4', 'Dimensionering …', 5); not a heading → None.

    A page number after a single space ("… 2027 5", as a PDF table cell reads) is taken
    only in the contents list (`loose_page`): in the text "Trafikplan fase 2" is a title.
    """
    m = _HEADING.match(text.strip())
    if not m:
        return None
    number, title = m.group("no"), m.group("title").strip()
    page = None
    tail = (_PAGE_TAIL if loose_page else _STRICT_PAGE_TAIL).search(title)
    if tail and tail.start() > 0:
        page = int(tail.group("page"))
        title = title[: tail.start()].rstrip(" .\t")
    title = title.replace("\t", " ").strip()
    if not title or not (title[0].isupper() or title[0] in "«\"(") or len(title) > 160:
        return None
    if number.isdigit() and int(number) > 30:
        return None
    return number, title, page


def _time(text: str) -> str | None:
    m = _TIME.search(text) or _BARE_TIME.search(text)
    if not m:
        return None

    def clock(value: str) -> str:
        hours, _, minutes = value.replace(":", ".").partition(".")
        return f"{int(hours):02d}.{minutes or '00'}"

    start = clock(m.group("start"))
    return f"{start}–{clock(m.group('end'))}" if m.group("end") else start


def _drop_page_furniture(lines: list[Line]) -> list[Line]:
    """Footers ("Side 3 af 9") and running headers (the same KKR/dagsorden/date line on most pages)."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.text:
            counts[line.text] = counts.get(line.text, 0) + 1
    running = {
        text for text, n in counts.items()
        if n >= 3 and len(text) < 100 and "\t" not in text
        and (re.search(r"\bKKR\b|dagsorden|referat", text, re.IGNORECASE) or find_date(text))
        and not _LABEL.match(text)
    }
    return [line for line in lines if not _PAGE_FOOTER.match(line.text) and line.text not in running]


def _is_number(text: str) -> bool:
    return parse_number(text) is not None


def _is_cell_label(text: str) -> bool:
    return bool(text) and not _is_number(text) and len(text) <= 60 and "\t" not in text


def _numbers_after(lines: list[Line], index: int) -> int:
    count = 0
    while index + count < len(lines) and _is_number(lines[index + count].text.strip()):
        count += 1
    return count


def _header_cells(out: list[Line], width: int) -> int:
    """How many lines at the end of `out` (blanks aside) read as the table's header cells."""
    cells, k = 0, len(out) - 1
    while k >= 0 and cells < width:
        text = out[k].text.strip()
        if not text:
            k -= 1
            continue
        if len(text) > 40 or text.endswith((".", ":")) or "\t" in text or _LABEL.match(text):
            break
        cells, k = cells + 1, k - 1
    return cells


def _number_count(text: str) -> int:
    """How many numbers a line of only numbers holds (0 when anything else is on it)."""
    tokens = text.split()
    return len(tokens) if tokens and all(_is_number(t) for t in tokens) else 0


def _label_numbers(text: str) -> int:
    """'Aalborg 200 98 196 100' → 4: numbers after a label, 0 if the line is not of that shape."""
    tokens = text.replace("\t", " ").split()
    count = 0
    while count < len(tokens) and _is_number(tokens[-1 - count]):
        count += 1
    return count if 0 < count < len(tokens) else 0


def _join_wrapped_cells(lines: list[Line]) -> list[Line]:
    """A narrow cell the PDF wrapped: "Frederikshav" / "n" / "79 38 77 39" → "Frederikshavn 79 38 77 39"."""
    out: list[Line] = []
    for line in lines:
        text = line.text.strip()
        prev = out[-1].text.strip() if out else ""
        if out and re.fullmatch(r"[a-zæøå]{1,3}", text) and prev[-1:].isalpha() and len(prev) <= 40 \
                and " " not in prev:
            out[-1] = out[-1]._replace(text=prev + text)
            continue
        # the first cell of a TAB row wrapped: "Frederikshav 79\t38…" / "n\t\t\t"
        first = re.match(r"[^\s]+", prev)
        if out and re.fullmatch(r"[a-zæøå]{1,3}", text) and first and first.group(0).isalpha() \
                and ("\t" in prev or re.search(r"\d", prev)):
            out[-1] = out[-1]._replace(text=first.group(0) + text + out[-1].text.lstrip()[first.end():])
            continue
        width = _number_count(text)
        before = out[-2].text.strip() if len(out) > 1 else ""
        if width >= 2 and _is_cell_label(prev) and not re.search(r"\d", prev) and len(prev) <= 40 \
                and _label_numbers(before) == width:
            out[-1] = out[-1]._replace(text=f"{prev} {text}")
            continue
        out.append(line)
    return out


def _rebuild_cell_tables(lines: list[Line]) -> list[Line]:
    """A table the PDF gave one cell per line ("Aalborg" / "200" / "98" …) back to TAB rows.

    Rows are a label and the same number of values, at least two rows; the header is the run
    of short lines just above (as many cells as a row). The joined line keeps the first line's number.
    """
    out: list[Line] = []
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        width = _numbers_after(lines, i + 1) if _is_cell_label(text) else 0
        if width >= 2:
            rows: list[Line] = []
            j = i
            while j < len(lines) and _is_cell_label(lines[j].text.strip()) and _numbers_after(lines, j + 1) == width:
                cells = [line.text.strip() for line in lines[j:j + 1 + width]]
                rows.append(lines[j]._replace(text="\t".join(cells)))
                j += 1 + width
            if len(rows) >= 2:
                header = _header_cells(out, width + 1)
                if header >= width:
                    cells = [line for line in out[len(out) - 1::-1] if line.text.strip()][:header][::-1]
                    first = cells[0]
                    while out and out[-1] is not first:
                        out.pop()
                    out.pop()
                    texts = [c.text.strip() for c in cells]
                    out.append(first._replace(text="\t".join(([""] if header == width else []) + texts)))
                out.extend(rows)
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


# --- cover ---


_SHORT_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                 "okt": 10, "nov": 11, "dec": 12}


def _numeric_date(text: str) -> dt.date | None:
    """'04.12.2026', '4/12 2026', '4. dec. 2026' (a cover field only: elsewhere such numbers are not dates)."""
    short = re.search(r"\b(\d{1,2})\.\s*(" + "|".join(_SHORT_MONTHS) + r")[a-z]*\.?\s+((?:19|20)\d{2})\b", text,
                      re.IGNORECASE)
    if short:
        try:
            return dt.date(int(short.group(3)), _SHORT_MONTHS[short.group(2).lower()], int(short.group(1)))
        except ValueError:
            return None
    m = re.search(r"\b(\d{1,2})[./-](\d{1,2})[./ -]\s?((?:19|20)\d{2})\b", text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _cover_key(label: str) -> str:
    label = label.lower()
    return next(key for key, names in _COVER_FIELDS.items() if label in names)


def _read_cover(agenda: Agenda, cover: list[Line]) -> None:
    values: dict[str, list[str]] = {}
    current: str | None = None
    for line in cover:
        text = line.text.strip()
        if not text:
            current = None if current in ("date", "place") else current
            continue
        if m := _COVER_LABEL.match(text):
            current = _cover_key(m.group("label"))
            rest = (m.group("rest") or "").replace("\t", " ").strip()
            values.setdefault(current, [])
            if rest:
                values[current].append(rest)
                if current == "date" or (current == "place" and not rest.endswith(",")):
                    current = None
            continue
        if _CONTENTS.match(text) or _heading(text):
            current = None
            continue
        if current:
            values[current].append(text.replace("\t", " "))
            # a date is one line; an address may go on while its line ends in a comma
            if current == "date" or (current == "place" and not text.endswith(",")):
                current = None
        if re.fullmatch(r"\(?lukket møde\)?", text, re.IGNORECASE):
            agenda.closed_meeting = True
    whole = "\n".join(line.text for line in cover)
    if m := _BODY.search(whole):
        agenda.body = "KKR " + m.group(1).split()[-1].capitalize()
    date_text = " ".join(values.get("date", []))
    agenda.date = find_date(date_text) or _numeric_date(date_text) or find_date(whole)
    agenda.time = _time(date_text) or _time(whole)
    if values.get("place"):
        agenda.place = " ".join(values["place"]).strip() or None
    if values.get("absent"):
        agenda.absent = "\n".join(values["absent"]).strip() or None
    if values.get("participants"):
        agenda.participants = "\n".join(values["participants"]).strip() or None


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
        if next_top or _looks_like_item_start(lines, i):
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


def _join_wrapped_title(title: str, toc_title: str, body: list[Line]) -> tuple[str, list[Line]]:
    """A long heading wrapped onto the next line (a PDF): joined while it still matches the contents list."""
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


def detect_agenda_kind(lines: list[Line]) -> str | None:
    """'dagsorden' or 'referat' when the text is one, else None (cheap: the opening and a few labels)."""
    head = [_MARKDOWN_HEADING.sub("", line.text.strip()) for line in lines[:40] if line.text.strip()]
    referat = any(_REFERAT.match(t) or re.search(r"\breferat\b", t, re.IGNORECASE) and len(t) < 80 for t in head[:12])
    dagsorden = any(_DAGSORDEN.match(t) or re.search(r"\bdagsorden\b", t, re.IGNORECASE) and len(t) < 80
                    for t in head[:12])
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
    lines = [line._replace(text=_MARKDOWN_HEADING.sub("", line.text)) if line.text.startswith("#") else line
             for line in lines]
    lines = _join_wrapped_cells(_rebuild_cell_tables(_drop_page_furniture(lines)))
    entries, toc_start, toc_end = _contents(lines)
    body_start = toc_end if entries else 0
    if entries:
        lines = lines[:body_start] + _join_split_headings(lines[body_start:], entries)
    headings = _find_headings(lines, entries, body_start)
    if not headings:
        return None
    cover_end = toc_start if entries else headings[0][0]
    agenda = Agenda(kind, cover=lines[:cover_end])
    _read_cover(agenda, lines[:cover_end])
    pages = {e.number: e.page for e in entries}
    toc_titles = {e.number: e.title for e in entries}
    group: str | None = None
    for index, (i, number, title) in enumerate(headings):
        end = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        if _is_group(index, headings, lines):
            group = f"{number}. {strip_marker(title)}"
            continue
        if "." not in number:
            group = None
        elif group and not number.startswith(group.split(".")[0] + "."):
            group = None
        body = lines[i + 1:end]
        title, body = _join_wrapped_title(title, toc_titles.get(number, ""), body)
        item = AgendaItem(number, strip_marker(title), lines[i].no, group=group, toc_page=pages.get(number),
                          lines=lines[i:end])
        item.access = item_access(title, toc_titles.get(number, ""), body, closed_meeting=agenda.closed_meeting)
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
