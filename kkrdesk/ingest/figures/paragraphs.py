"""Udgifter per paragraph by year, as a dagsorden prints them (#14).

Shape: a header with the years ("Udgifter (mio. kr.) | 2024 | 2025 | 2026") over
rows named by a paragraph ("SEL § 107", "ABL § 105/85"); or the same table turned
(paragraphs across, years down). Cells are TAB-separated (Word) or spaces (PDF).
The paragraph's own number is part of the label, never a value. Stored in the
Komponentanalysen's dataset: label = paragraph, period = year, measure = Udgift.
"""

from __future__ import annotations

import re

from kkrdesk.data.figures.model import Extraction, FigureRow
from kkrdesk.data.lines import Line
from kkrdesk.ingest.figures.tables import YEAR_RE, number

DATASET = "komponentanalyse"
_PARAGRAPH = re.compile(r"(?P<law>SEL|ABL|SUL|LAB|BEK|Serviceloven|Almenboligloven)\.?\s*§§?\s*"
                        r"(?P<no>\d+[a-z]?(?:\s*(?:/|,|og)\s*\d+[a-z]?)*)", re.IGNORECASE)
_ROW_PARAGRAPH = re.compile(r"^" + _PARAGRAPH.pattern, re.IGNORECASE)


_LAW_SHORT = {"serviceloven": "SEL", "almenboligloven": "ABL"}


def _label(m: re.Match) -> str:
    law = _LAW_SHORT.get(m.group("law").lower(), m.group("law").upper())
    return f"{law} § " + re.sub(r"\s+", "", m.group("no"))


def _measure_unit(header: str, caption: str) -> tuple[str, str]:
    text = f"{header} {caption}".lower()
    measure = "Helårspersoner" if "helårs" in text else "Enhedsudgift" if "enhedsudgift" in text else "Udgift"
    unit = "mio. kr." if "mio" in text else "1.000 kr." if "1.000 kr" in text else "kr."
    return measure, (unit if measure != "Helårspersoner" else "helårspersoner")


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.split("\t")] if "\t" in text else text.split()


def _values(rest: str) -> list[tuple[float | int, str]] | None:
    tokens = [t for t in _cells(rest) if t]
    values = [number(t) for t in tokens]
    if not tokens or any(v is None for v in values):
        return None
    return list(zip(values, tokens, strict=True))  # type: ignore[arg-type]


def _header_years(lines: list[Line], index: int) -> tuple[list[str], str, str] | None:
    """The nearest line above with years in order: (years, that line, the line above it as caption)."""
    for k in range(index - 1, max(-1, index - 6), -1):
        text = lines[k].text.strip()
        if not text:
            continue
        years = YEAR_RE.findall(text)
        if len(years) >= 2 and not _ROW_PARAGRAPH.match(text):
            caption = next((lines[j].text for j in range(k - 1, max(-1, k - 3), -1) if lines[j].text.strip()), "")
            return years, text, caption
    return None


def _by_rows(lines: list[Line], result: Extraction) -> None:
    for index, line in enumerate(lines):
        text = line.text.strip()
        m = _ROW_PARAGRAPH.match(text)
        if not m:
            continue
        values = _values(text[m.end():])
        head = _header_years(lines, index) if values else None
        if not values or head is None:
            continue
        years, header, caption = head
        if len(values) != len(years):
            years = years[-len(values):] if len(years) > len(values) else years
            if len(values) != len(years):
                continue
        measure, unit = _measure_unit(header, caption)
        for year, (value, raw) in zip(years, values, strict=True):
            result.rows.append(FigureRow(DATASET, _label(m), year, measure, value, unit, line.no,
                                         grp="Udgifter pr. paragraf", raw=f"{_label(m)}: {raw}"))


def _by_columns(lines: list[Line], result: Extraction) -> None:
    """Paragraphs across the header, one year per row."""
    for index, line in enumerate(lines):
        if line.text.count("§") < 2:      # each paragraph has its "§": the regex only where two can be (#20)
            continue
        paragraphs = list(_PARAGRAPH.finditer(line.text))
        if len(paragraphs) < 2 or YEAR_RE.search(_PARAGRAPH.sub("", line.text)):
            continue
        measure, unit = _measure_unit(line.text, lines[index - 1].text if index else "")
        for row in lines[index + 1:index + 12]:
            text = row.text.strip()
            m = re.match(r"^((?:19|20)\d{2})\s+(.*)$", text.replace("\t", " ", 1)) if text else None
            if not m:
                if text:
                    break
                continue
            values = _values(m.group(2) if "\t" not in text else text.split("\t", 1)[1])
            if not values or len(values) != len(paragraphs):
                break
            for p, (value, raw) in zip(paragraphs, values, strict=True):
                result.rows.append(FigureRow(DATASET, _label(p), m.group(1), measure, value, unit, row.no,
                                             grp="Udgifter pr. paragraf", raw=f"{_label(p)}: {raw}"))


def extract(lines: list[Line]) -> Extraction:
    result = Extraction()
    if not any("§" in line.text for line in lines):
        return result
    _by_rows(lines, result)
    if not result.rows:
        _by_columns(lines, result)
    return result
