"""Numbers with a unit, a comparator and a year, read from goal and report sentences.

Contracts state targets in prose ("mindst 1.200 virksomheder om året … frem til
2027", "Net Promotor Score på mindst 60", "65 pct. i 2021") and reports state
results the same way ("Det har 51% gjort"). One reader for both keeps the units
comparable across years. A number only counts when it carries a unit the genre
uses (or sits in an NPS sentence), so "under 3 år", page numbers and years are
never mistaken for targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkrdesk.data.danish import parse_number

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d])"
_NUMBER_RE = re.compile(rf"(?P<sign>[+−-])?(?P<num>{NUMBER})")

# Unit patterns tried on the text right after a number, in order.
_UNITS: list[tuple[str, re.Pattern[str]]] = [
    ("procentpoint", re.compile(r"^\s*(?:procentpoint|procent-point|pct\.?-?point|%-point|pp\b)", re.I)),
    ("procent", re.compile(r"^\s*(?:%|pct\b\.?|procent\b)", re.I)),
    ("mio. kr.", re.compile(r"^\s*mio\.?\s*kr\b\.?", re.I)),
    ("kr.", re.compile(r"^\s*(?:kr\b\.?|kroner\b)", re.I)),
    ("forløb", re.compile(r"^\s*(?:[a-zæøå&-]+\s+){0,2}?[a-zæøå-]*forløb\b", re.I)),
    ("vejledninger", re.compile(r"^\s*(?:[a-zæøå-]+\s+){0,2}?[a-zæøå]*vejledninger\b", re.I)),
    ("virksomheder", re.compile(r"^\s*(?:[a-zæøå:/-]+\s+){0,3}?(?:virksomhed(?:er)?|kunder)\b", re.I)),
]
# "antallet af … virksomheder er i alt 823": the unit stands before the number
_UNIT_BEFORE = re.compile(r"\b(virksomheder|forløb|vejledninger)\s+(?:er|var|blev)\s+(?:i alt\s+|samlet\s+)?$", re.I)
_NOT_A_MEASURE = re.compile(r"^\s*(?:år\b|måneder|timer|uger|gange|dage|kategorier|indsatser|aktiviteter)", re.I)

_COMPARATORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:mindst|minimum|min\.|som minimum)\s*$", re.I), ">="),
    (re.compile(r"\b(?:over|mere end|flere end|højere end)\s*$", re.I), ">"),
    (re.compile(r"\b(?:højst|maksimalt|maks\.|max\.|op til)\s*$", re.I), "<="),
    (re.compile(r"\b(?:under|færre end|mindre end)\s*$", re.I), "<"),
]
# "… andel på op til 10% som minimum skal opfyldes": a floor stated after the number wins
_FLOOR_AFTER = re.compile(r"^\s*(?:som (?:et )?minimum|eller (?:mere|flere|derover|højere))\b", re.I)
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]\d)")
_YEAR_RANGE = re.compile(r"(?<![\d.])(?:19|20)\d{2}\s*[-–]\s*(?:19|20)?\d{2,4}(?!\d)")
_YEAR_LIST = re.compile(r"((?:19|20)\d{2})((?:\s*(?:,|og)\s*(?:19|20)\d{2})+)")
# "47% i 2022": a year straight after the number is its own
_YEAR_RIGHT_AFTER = re.compile(r"^\s*(?:i|for)\s+(?:(?:efter|for)året\s+)?((?:19|20)\d{2})(?![\d-])")
# "… sammenlignet med efteråret 2020": a year after these words is a baseline, not the target year
_BASELINE = re.compile(r"sammenlign|i forhold til|siden|\bfra\b|\bend\b", re.I)
_NPS = re.compile(r"\bNPS\b|Net Promot[eo]r Score", re.I)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"”]|[-–•o]\s+[A-ZÆØÅ])")   # "… virksomheder. - Erhvervshus …"


@dataclass
class Quantity:
    """One number as printed, with what the sentence says about it."""

    value: float | int
    unit: str | None
    comparator: str
    year: int | None
    text: str             # the sentence it was read from
    raw: str              # the number as printed ("1.200")
    start: int            # offset within the sentence
    end: int              # offset just after the number and its unit


_NO_SUPERSCRIPTS = dict.fromkeys(map(ord, _SUPERSCRIPTS))
_ANY_SUPERSCRIPT = re.compile(f"[{_SUPERSCRIPTS}]")


def strip_superscripts(text: str) -> str:
    # translate looks every character up in a dict: a search first is several times faster (#20)
    return text.translate(_NO_SUPERSCRIPTS) if _ANY_SUPERSCRIPT.search(text) else text


def sentences(text: str) -> list[str]:
    """Split running text into sentences; 'pct. af' and 'mio. kr.' do not end one."""
    text = " ".join(text.split())      # whitespace runs as one space: str.split's whitespace is re's \s
    return [s for s in _SENTENCE_SPLIT.split(text) if s]


def _unit_after(rest: str) -> tuple[str | None, int]:
    for unit, pattern in _UNITS:
        m = pattern.match(rest)
        if m:
            return unit, m.end()
    return None, 0


def _comparator_before(before: str) -> str:
    for pattern, comparator in _COMPARATORS:
        if pattern.search(before[-40:]):
            return comparator
    return "="


def _year_spans(sentence: str) -> list[tuple[int, list[int]]]:
    """(offset, years) for every year mention that is not part of a period like 2024-2027."""
    ranges = [m.span() for m in _YEAR_RANGE.finditer(sentence)]
    out: list[tuple[int, list[int]]] = []
    taken: list[tuple[int, int]] = []
    for m in _YEAR_LIST.finditer(sentence):
        years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", m.group(0))]
        out.append((m.start(), years))
        taken.append(m.span())
    for m in _YEAR.finditer(sentence):
        if any(a <= m.start() < b for a, b in ranges) and not sentence[:m.start()].rstrip().endswith("til"):
            continue
        if any(a <= m.start() < b for a, b in taken):
            continue
        out.append((m.start(), [int(m.group(0))]))
    return sorted(out)


def _years_for(sentence: str, offset: int, spans: list[tuple[int, list[int]]]) -> list[int | None]:
    before = [years for pos, years in spans if pos < offset]
    if before:
        return list(before[-1])
    # a year after the number only counts within the same clause ("55 procent … i 2025")
    after = [
        years for pos, years in spans
        if offset < pos <= offset + 70 and "," not in sentence[offset:pos] and not _BASELINE.search(sentence[offset:pos])
    ]
    return list(after[0]) if after else [None]


_DIGIT = re.compile(r"\d")
_JOINED_AFTER = re.compile(r"^(?:/|:\d|[-–]\d|\.\d)")   # "3/4", "12:30", "2-3", "1.5": not a measure


def quantities(text: str, *, nps_context: bool | None = None, default_unit: str | None = None) -> list[Quantity]:
    """Every measured number in text (a sentence or a paragraph), in order.

    A number without a unit counts only in an NPS sentence (unit "NPS") or when
    `default_unit` is given (a "Label: 350" line under "Målsætning for antal
    vejledninger"). Years, "3 år" and the like are skipped.
    """
    out: list[Quantity] = []
    text = strip_superscripts(text)
    if _DIGIT.search(text) is None:
        return out              # every quantity is a number (_NUMBER_RE): most sentences have none (#20)
    for sentence in sentences(text):
        if _DIGIT.search(sentence) is None:
            continue
        spans = _year_spans(sentence)
        year_offsets = {pos for pos, _ in spans}
        in_nps = _NPS.search(sentence) is not None if nps_context is None else nps_context
        year_ranges = [mm.span() for mm in _YEAR_RANGE.finditer(sentence)]   # once per sentence, not per number
        for m in _NUMBER_RE.finditer(sentence):
            raw = m.group("num")
            if m.start("num") in year_offsets or any(a <= m.start("num") < b for a, b in year_ranges):
                continue
            if _YEAR.fullmatch(raw) and raw.isdigit():
                continue
            rest = sentence[m.end():]
            if _NOT_A_MEASURE.match(rest) or _JOINED_AFTER.match(rest):
                continue
            if m.start() > 0 and sentence[m.start() - 1] in ":/":
                continue
            unit, unit_len = _unit_after(rest)
            if unit is None:
                back = _UNIT_BEFORE.search(sentence[: m.start()])
                if back:
                    unit = back.group(1).lower()
            if unit is None:
                if in_nps and not rest[:1].isalpha():
                    unit = "NPS"
                elif default_unit is not None:
                    unit = default_unit
                else:
                    continue
            value = parse_number(raw)
            if value is None:
                continue
            if m.group("sign") in ("−", "-") and m.start() > 0 and sentence[m.start() - 1] == " ":
                value = -value
            comparator = _comparator_before(sentence[: m.start()])
            if _FLOOR_AFTER.match(sentence[m.end() + unit_len:]):
                comparator = ">="
            right_after = _YEAR_RIGHT_AFTER.match(sentence[m.end() + unit_len:])
            years = [int(right_after.group(1))] if right_after else _years_for(sentence, m.start(), spans)
            for year in years:
                out.append(Quantity(value, unit, comparator, year, sentence, raw, m.start(), m.end() + unit_len))
    return out


_LABELLED_COUNT = re.compile(rf"^(?:[•o\-–]\s*)?(?P<label>[A-ZÆØÅ][^:]{{2,60}}):\s*(?P<num>{NUMBER})\s*(?P<tail>\(.*\))?\s*$")


def labelled_count(line: str) -> tuple[str, float | int, str] | None:
    """'Vækst- & Driftsforløb: 350 (realiseret …)' → (label, 350, tail) for target lists without units."""
    m = _LABELLED_COUNT.match(line.strip())
    if not m:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    return m.group("label").strip(), value, (m.group("tail") or "")
