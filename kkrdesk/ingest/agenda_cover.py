"""The cover of a dagsorden: body, date and time, place, attendance, "Lukket møde".

Fields come as "Mødedato: …", as a Word table row ("Mødested<TAB>…") or as a label
alone with its value below; an address may run over lines ending in a comma.
"""

from __future__ import annotations

import datetime as dt
import re

from kkrdesk.data.danish import find_date
from kkrdesk.data.lines import Line
from kkrdesk.ingest.agenda_patterns import _CONTENTS, _heading

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
# A table without lines reads "Mødedato 4. december 2026" (no colon, no TAB): only these labels, only on a cover.
_COVER_LABEL_SPACED = re.compile(r"^(?P<label>mødedato|mødested|mødetidspunkt|afbud|deltagere)\s+(?P<rest>\S.*)$",
                                 re.IGNORECASE)
_COVER_LABEL = re.compile(
    r"^(?P<label>" + "|".join(sorted((re.escape(v) for vs in _COVER_FIELDS.values() for v in vs), key=len, reverse=True))
    + r")\s*(?:[:\t]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)


def _time(text: str) -> str | None:
    m = _TIME.search(text) or _BARE_TIME.search(text)
    if not m:
        return None

    def clock(value: str) -> str:
        hours, _, minutes = value.replace(":", ".").partition(".")
        return f"{int(hours):02d}.{minutes or '00'}"

    start = clock(m.group("start"))
    return f"{start}–{clock(m.group('end'))}" if m.group("end") else start


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


def read_cover(agenda, cover: list[Line]) -> None:
    """Set the cover's fields on `agenda` (an Agenda; duck-typed to keep this module below the parser)."""
    values: dict[str, list[str]] = {}
    current: str | None = None
    for line in cover:
        text = line.text.strip()
        if not text:
            current = None if current in ("date", "place") else current
            continue
        if m := _COVER_LABEL.match(text) or _COVER_LABEL_SPACED.match(text):
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
