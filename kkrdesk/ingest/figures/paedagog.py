"""`paedagog-dimensionering`: study places on the pædagoguddannelse over the years.

The numbers are in prose, not a table ("godkendte … en dimensionering på 492
studerende for studieåret 2019/2020"), so this reader matches the recurring
phrasings of a dimensioning notat within paragraphs (wrapped lines are joined
and every match keeps the line it starts on). The specialisation split is the
"Dagtilbudspædagogik: ca. 40 pct." list.
"""

from __future__ import annotations

import re

from kkrdesk.data.danish import find_date, format_number
from kkrdesk.data.figures.model import Extraction, FigureRow
from kkrdesk.data.lines import Line
from kkrdesk.ingest.figures.tables import number

DATASET = "paedagog-dimensionering"
PLACES = "studiepladser"
WITH_EXTRA = "inkl. ekstra pladser"
RECOMMENDED = "anbefalet"
EXTRA = "ekstra pladser"
SPLIT = "fordeling på specialisering"

_NUM = r"(\d{1,3}(?:\.\d{3})*|\d+)"
_YEAR_PAIR = r"((?:19|20)\d{2}/(?:19|20)?\d{2})"
_SENTENCE = r"(?:(?!(?-i:\.\s+[A-ZÆØÅ])).)"
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÆØÅ])")
_WORD_NUMBERS = {"to": 2, "tre": 3, "fire": 4, "fem": 5}

_DECIDED = re.compile(
    rf"dimensionering på {_NUM} (?:pædagog)?stud\w+ for studieåret {_YEAR_PAIR}"
    rf"(?P<plus>{_SENTENCE}{{0,250}}?plus de {_NUM} pladser)?",
    re.IGNORECASE,
)
_REDUCED = re.compile(rf"oprettes {_NUM} studiepladser mod {_NUM} tidligere", re.IGNORECASE)
_OVER_YEARS = re.compile(r"over (\w+) år", re.IGNORECASE)
_FROM_TO = re.compile(rf"fra {_NUM} til {_NUM} studiepladser(?: i {_YEAR_PAIR})?", re.IGNORECASE)
_MAY_CREATE = re.compile(rf"oprette {_NUM} studiepladser på pædagoguddannelsen i studieåret {_YEAR_PAIR}",
                         re.IGNORECASE)
_EXTRA = re.compile(rf"{_NUM} ekstra ?pladser til pædagoguddannelsen i ((?:19|20)\d{{2}})", re.IGNORECASE)
# "540 studiepladser i 2027, heraf 40 ekstra" (a dagsorden's own prose, #14)
_PLACES_IN = re.compile(rf"{_NUM} (?:studie)?pladser (?:på pædagoguddannelsen )?(?:i|for)(?: studieåret)? "
                        rf"((?:19|20)\d{{2}}(?:/(?:19|20)?\d{{2}})?)(?:\s*[,(]?\s*(?:heraf|hvoraf|inkl\.?|inklusive)\s+{_NUM}"
                        rf"\s+ekstra)?", re.IGNORECASE)
# "dimensioneringen for 2027 er 540 studiepladser, heraf 40 ekstra"
_YEAR_IS = re.compile(rf"(?:i|for)\s+((?:19|20)\d{{2}}(?:/(?:19|20)?\d{{2}})?)\s+(?:er|bliver|udgør)\s+(?:på\s+)?{_NUM}\s+"
                      rf"(?:studie)?pladser(?:\s*[,(]?\s*(?:heraf|hvoraf|inkl\.?|inklusive)\s+{_NUM}\s+ekstra)?",
                      re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_PLACES = re.compile("pladser", re.IGNORECASE)   # in every pattern above but _DECIDED, with the same flags
_SPLIT_LINE = re.compile(
    r"^(?:[-•–]\s*)?([A-ZÆØÅ][\w\- ]*pædagogik)\s*:\s*(?:ca\.\s*)?(\d+(?:,\d+)?)\s*(?:pct\.?|%)",
    re.IGNORECASE,
)


def study_year(text: str) -> str:
    """'2020/21' → '2020/2021' so the same study year from two sentences lines up."""
    first, second = text.split("/")
    if len(second) == 2:
        second = first[:2] + second
    return f"{first}/{second}"


def _paragraphs(lines: list[Line]) -> list[tuple[str, list[tuple[int, int]]]]:
    """Join runs of non-empty lines; keep (offset, line number) so a match can cite its line."""
    out: list[tuple[str, list[tuple[int, int]]]] = []
    text, marks = "", []
    for line in [*lines, Line(0, "")]:
        if line.text.strip():
            if text:
                text += " "
            marks.append((len(text), line.no))
            text += line.text.strip()
        elif text:
            out.append((text, marks))
            text, marks = "", []
    return out


def _line_at(marks: list[tuple[int, int]], offset: int) -> int:
    line = marks[0][1]
    for start, no in marks:
        if start <= offset:
            line = no
    return line


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end]; "27. februar" does not end a sentence."""
    left, right = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            right = m.start()
            break
    return text[left:right]


def extract(lines: list[Line]) -> Extraction:
    result = Extraction()
    if not any("pædagog" in line.text.lower() for line in lines):
        return result
    seen: set[tuple[str, str]] = set()
    label = "Pædagoguddannelsen"

    def add(period: str, measure: str, value: float | int | None, line: int, raw: str,
            flag: str | None = None) -> None:
        if value is None or (period, measure) in seen:
            return
        seen.add((period, measure))
        result.rows.append(FigureRow(DATASET, label, period, measure, value, PLACES, line, raw=raw, flag=flag))

    recommended_year: str | None = None
    for text, marks in _paragraphs(lines):
        if _DIGIT.search(text) is None:
            continue        # every phrasing holds a number (_NUM): most paragraphs have none (#20)
        # every phrasing but _DECIDED names "pladser": a paragraph without it is read by _DECIDED only (#20)
        places = _PLACES.search(text) is not None
        for m in _REDUCED.finditer(text) if places else ():
            sentence = _sentence_around(text, m.start(), m.end())
            date = find_date(sentence)
            if date is None:
                continue
            line = _line_at(marks, m.start())
            over = _OVER_YEARS.search(sentence)
            span = _WORD_NUMBERS.get(over.group(1).lower()) if over else None
            add(f"før {date.year}", PLACES, number(m.group(2)), line, m.group(0))
            add(f"{date.year}-{date.year + span}" if span else f"fra {date.year}", PLACES,
                number(m.group(1)), line, m.group(0))
        for m in _DECIDED.finditer(text):
            value = number(m.group(1))
            line = _line_at(marks, m.start())
            flag = None
            if m.group("plus") and value is not None:
                extra = number(m.group(4)) or 0
                flag = f"beregnet: {format_number(value)} + {format_number(extra)} pladser som nævnt i teksten"
                value = value + extra
            add(study_year(m.group(2)), PLACES, value, line, m.group(0)[:200], flag)
        for m in _FROM_TO.finditer(text) if places else ():
            sentence = _sentence_around(text, m.start(), m.end())
            line = _line_at(marks, m.start())
            if m.group(3):
                period = study_year(m.group(3))
            else:
                date = find_date(sentence) or find_date(text)
                if date is None:
                    continue
                period = str(date.year)
            measure = WITH_EXTRA if "ekstra" in text.lower() else PLACES
            add(period, measure, number(m.group(2)), line, m.group(0))
        for m in _MAY_CREATE.finditer(text) if places else ():
            sentence = _sentence_around(text, m.start(), m.end())
            measure = RECOMMENDED if re.search(r"indstill|anbefal", sentence, re.IGNORECASE) else PLACES
            period = study_year(m.group(2))
            if measure == RECOMMENDED:
                recommended_year = period
            add(period, measure, number(m.group(1)), _line_at(marks, m.start()), m.group(0))
        for m in _PLACES_IN.finditer(text) if places else ():
            sentence = _sentence_around(text, m.start(), m.end())
            period = study_year(m.group(2)) if "/" in m.group(2) else m.group(2)
            measure = RECOMMENDED if re.search(r"indstill|anbefal", sentence, re.IGNORECASE) else PLACES
            line = _line_at(marks, m.start())
            add(period, measure, number(m.group(1)), line, m.group(0))
            if m.group(3):
                add(period, EXTRA, number(m.group(3)), line, m.group(0))
        for m in _YEAR_IS.finditer(text) if places else ():
            period = study_year(m.group(1)) if "/" in m.group(1) else m.group(1)
            line = _line_at(marks, m.start())
            add(period, PLACES, number(m.group(2)), line, m.group(0))
            if m.group(3):
                add(period, EXTRA, number(m.group(3)), line, m.group(0))
        for m in _EXTRA.finditer(text) if places else ():
            add(m.group(2), EXTRA, number(m.group(1)), _line_at(marks, m.start()), m.group(0))
    _split(lines, result, recommended_year)
    return result


def _split(lines: list[Line], result: Extraction, period: str | None) -> None:
    shares: list[FigureRow] = []
    for line in lines:
        m = _SPLIT_LINE.match(line.text.strip())
        if m:
            shares.append(FigureRow(
                DATASET, m.group(1).strip(), period or "nuværende", SPLIT, number(m.group(2)), "%",
                line.no, raw=line.text.strip(),
            ))
    if not shares:
        return
    result.rows.extend(shares)
    total = sum(float(r.value) for r in shares if r.value is not None)
    if round(total) != 100:
        message = f"Fordelingen på specialiseringer summerer til {format_number(total)} %, ikke 100 %"
        for r in shares:
            r.flag = message
        result.warnings.append((shares[0].line, message))
