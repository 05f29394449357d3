"""The genre's vocabulary: section labels, case numbers, bilag lines and item headings of a dagsorden.

One place for the words KL and the KKR secretariats print ("Indstilling", "Sags ID",
"Bilag 1: …", "3.4 Titel\t5"), so the parser, the cover reader and the line repairs agree.
"""

from __future__ import annotations

import difflib
import re

from kkrdesk.ingest.agenda_access import strip_marker

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
_REFERAT = re.compile(r"^(?:referat|beslutningsreferat|mødereferat)\b", re.IGNORECASE)
_DAGSORDEN = re.compile(r"^dagsorden\b", re.IGNORECASE)
_TITLE_MATCH = 0.72

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
