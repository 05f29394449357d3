"""`komponentanalyse`: udgift, helårspersoner and enhedsudgift per paragraph.

The slides print small tables "Værdier 2022 2023 2024 2022-2024 2023-2024"
with rows "Udgift (p/l-23) n n n p% p%", often two tables side by side on
one text line under a caption naming both paragraphs ("SEL § 107 ABL § 105/85").
A "Samlet for §§ 107, 108 og 105/85" table is checked against its parts.
"""

from __future__ import annotations

import re

from kkrdesk.data.figures.model import Extraction, FigureRow
from kkrdesk.data.lines import Line
from kkrdesk.ingest.figures.checks import flag_total
from kkrdesk.ingest.figures.tables import caption_before, number

DATASET = "komponentanalyse"

_HEADER_WORD = re.compile(r"\bVærdier\b")
_PERIOD = re.compile(r"(?:19|20)\d{2}-(?:19|20)\d{2}|(?:19|20)\d{2}")
_PARAGRAPH = re.compile(r"[A-ZÆØÅ]{2,}\s*§\s*\d+(?:/\d+)?")
_TOTAL_CAPTION = re.compile(r"^Samlet\b.*§", re.IGNORECASE)
# Known misprints of row labels: shown under the right name, the printed one kept in `raw`.
_MEASURE_FIXES = {"enhedsugift": "Enhedsudgift"}


def _measure(label: str) -> str:
    first, _, rest = label.partition(" ")
    fixed = _MEASURE_FIXES.get(first.lower())
    return f"{fixed} {rest}".strip() if fixed else label


def _unit(measure: str, period: str) -> str:
    if "-" in period:
        return "%"
    if measure.lower().startswith("helårsperson"):
        return "helårspersoner"
    return "kr."


def _segments(header: str) -> list[list[str]]:
    """Periods of each side-by-side table: 'Værdier 2022 … Værdier 2022 …' → [[…], […]]."""
    parts = [p for p in _HEADER_WORD.split(header) if p.strip()]
    return [_PERIOD.findall(p) for p in parts]


def _split_row(text: str, widths: list[int]) -> list[tuple[str, list[str]]] | None:
    """Walk tokens: label words, then `width` numbers, for each table on the line."""
    tokens = text.split()
    out: list[tuple[str, list[str]]] = []
    pos = 0
    for width in widths:
        label: list[str] = []
        while pos < len(tokens) and number(tokens[pos]) is None:
            label.append(tokens[pos])
            pos += 1
        cells = tokens[pos:pos + width]
        if not label or len(cells) < width or any(number(c) is None for c in cells):
            return out or None
        out.append((" ".join(label), cells))
        pos += width
    return out


def _titles(caption: str, count: int) -> list[str]:
    if _TOTAL_CAPTION.match(caption):
        return [caption]
    titles = [re.sub(r"\s+", " ", t) for t in _PARAGRAPH.findall(caption)]
    if len(titles) == count:
        return titles
    return [caption] if count == 1 else [f"{caption} ({k + 1})" for k in range(count)]


def extract(lines: list[Line]) -> Extraction:
    result = Extraction()
    for index, line in enumerate(lines):
        if not line.text.startswith("Værdier"):
            continue
        segments = _segments(line.text)
        if not segments or any(len(s) < 2 for s in segments):
            continue
        caption_lines = caption_before(lines, index, max_lines=1)
        caption = caption_lines[0].text.strip() if caption_lines else ""
        titles = _titles(caption, len(segments))
        widths = [len(s) for s in segments]
        k = index + 1
        while k < len(lines):
            text = lines[k].text.strip()
            if not text:
                k += 1
                continue
            split = _split_row(text, widths)
            if not split:
                break
            for (label, cells), periods, title in zip(split, segments, titles, strict=False):
                measure = _measure(label)
                for period, cell in zip(periods, cells, strict=True):
                    change = "-" in period
                    result.rows.append(FigureRow(
                        DATASET, title, period, f"{measure}, ændring" if change else measure,
                        number(cell), _unit(measure, period), lines[k].no,
                        grp="Komponentanalysen", is_total=bool(_TOTAL_CAPTION.match(title)),
                        raw=f"{label} {cell}",
                    ))
            k += 1
    _check_totals(result)
    return result


def _check_totals(result: Extraction) -> None:
    """'Samlet for §§ 107, 108 og 105/85' against the paragraphs it names (levels only, not %)."""
    for total in [r for r in result.rows if r.is_total and r.unit != "%" and "nhedsudgift" not in r.measure]:
        named = re.findall(r"\d+(?:/\d+)?", total.label.split("§", 1)[-1])
        parts = [
            r for r in result.rows
            if not r.is_total and r.period == total.period and r.measure == total.measure
            and re.search(r"§\s*(\d+(?:/\d+)?)", r.label)
            and re.search(r"§\s*(\d+(?:/\d+)?)", r.label).group(1) in named  # type: ignore[union-attr]
        ]
        if len(parts) == len(named):
            flag_total(result, total, sum(float(p.value) for p in parts if p.value is not None),
                       f"{total.label}, {total.measure} {total.period}")
