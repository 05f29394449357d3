"""The basisbevilling per municipality (1.000 kr.) with its printed total, flagged when they disagree."""

from __future__ import annotations

import re

from kkrdesk.data.contracts.model import FundingRow
from kkrdesk.data.danish import format_number, parse_number
from kkrdesk.data.lines import Line
from kkrdesk.data.municipalities import match_leading_municipality
from kkrdesk.ingest.contracts import targets as tg


def funding_table(lines: list[Line], year: int | None) -> tuple[list[FundingRow], str | None, list[tuple[int | None, str]]]:
    """The basisbevilling table (Kommune / 1.000 kr.) with its printed total."""
    warnings: list[tuple[int | None, str]] = []
    header = next(
        (i for i, x in enumerate(lines) if re.match(r"^Kommune\s+(?:i\s+)?1\.000\s*kr\.?", x.text, re.I)),
        None,
    )
    if header is None:
        return [], None, warnings
    rows: list[FundingRow] = []
    for line in lines[header + 1:]:
        text = line.text
        if not text:
            continue
        total = re.match(r"^(?:[A-ZÆØÅ]\w+\s+)?i\s+alt\s+(\S+)\s*$", text, re.I)
        if total:
            value = parse_number(total.group(1))
            if value is not None:
                rows.append(FundingRow("I alt", value, line.no, True, total.group(1)))
            break
        m = match_leading_municipality(text)
        if not m:
            break
        value = parse_number(m[1].strip())
        if value is None:
            warnings.append((line.no, f"Basisbevilling: beløbet for {m[0]} kunne ikke læses ('{m[1]}')"))
            continue
        rows.append(FundingRow(m[0], value, line.no, raw=m[1].strip()))
    flag = None
    totals = [r for r in rows if r.is_total]
    parts = [r for r in rows if not r.is_total]
    if totals and parts:
        s = sum(r.value for r in parts)
        if abs(s - totals[0].value) > 1e-9:
            flag = f"Summen af kommunerne er {format_number(s)}, men totalen er trykt som {format_number(totals[0].value)}"
            warnings.append((totals[0].line, f"Basisbevilling {year or ''}: {flag}".replace("  ", " ")))
    elif parts and not totals:
        warnings.append((parts[-1].line, "Basisbevilling: tabellen har ingen trykt total"))
    return rows, flag, warnings


def funding_from_text(lines: list[Line]) -> list[FundingRow]:
    """'Basisbevillingen er på 18,238 mio. kr.' when no table is printed: the total only, in 1.000 kr."""
    for line in lines:
        m = re.search(rf"[Bb]asisbevilling\w*\s+(?:er\s+)?(?:på\s+|med\s+)?({tg.NUMBER})\s*mio\.\s*kr", line.text)
        if m:
            value = parse_number(m.group(1))
            if value is not None:
                return [FundingRow("I alt", round(value * 1000, 3), line.no, True, f"{m.group(1)} mio. kr.")]
    return []
