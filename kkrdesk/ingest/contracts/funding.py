"""The basisbevilling per municipality (1.000 kr.) with its printed total, flagged when they disagree.

The genre prints it as a two-column table of the 11 municipalities and a total ("I alt",
"Nordjylland i alt", "Total"), in any order (by name, by size, as the invoice list runs),
with or without a "Kommune | 1.000 kr." header, as a Word table (TAB cells) or flattened text.
A municipality table with more columns (SOSU places, student numbers) is something else.
"""

from __future__ import annotations

import re

from kkrdesk.data.contracts.model import FundingRow
from kkrdesk.data.danish import format_number, parse_number
from kkrdesk.data.lines import Line
from kkrdesk.data.municipalities import match_leading_municipality
from kkrdesk.ingest.contracts import targets as tg

_AMOUNT = re.compile(rf"^[:\s]*(?P<num>{tg.NUMBER})\s*(?P<unit>(?:t\.?\s*kr\.?|tkr\.?|kr\.?|mio\.?\s*kr\.?))?\s*$", re.I)
_TOTAL = re.compile(
    rf"^(?:[A-ZÆØÅ]\w+\s+)?(?:i\s+alt|total|samlet(?:\s+beløb)?|sum)\b[^\d]*?(?P<num>{tg.NUMBER})\s*(?:t\.?\s*kr\.?|kr\.?|mio\.?\s*kr\.?)?\s*$",
    re.I,
)
_HEADER = re.compile(r"^Kommune(?:r|n)?\b", re.I)
_MIN_MUNICIPALITIES = 8


def _cells(text: str) -> str:
    """'<b>I alt</b>\t<b>19.337</b>' arrives cleaned as 'I alt\t19.337'; TABs and wide gaps are one space."""
    return re.sub(r"\s+", " ", text.replace("\t", " ")).strip()


def _scale(header: str, total_text: str, values: list[float]) -> tuple[float, str | None]:
    """Factor to 1.000 kr. from the header or total row's unit; full kroner are recognised by size."""
    hint = f"{header} {total_text}".lower()
    if re.search(r"1\.000\s*kr|1000\s*kr|t\.\s*kr|\btkr|tusind", hint):
        return 1, None
    if re.search(r"mio\.?\s*kr", hint):
        return 1000, None
    if values and min(values) >= 10_000:
        return 0.001, "Basisbevilling: beløbene er trykt i kr.; de er omregnet til 1.000 kr."
    return 1, None


def funding_table(lines: list[Line], year: int | None) -> tuple[list[FundingRow], str | None, list[tuple[int | None, str]]]:
    """The basisbevilling table (municipality → amount, then a total), wherever and however it is printed."""
    warnings: list[tuple[int | None, str]] = []
    i = 0
    while i < len(lines):
        found = _table_at(lines, i)
        if found is None:
            i += 1
            continue
        rows, header, total_text, end = found
        names = {r.label for r in rows if not r.is_total}
        priced = re.search(r"kr\.?", header, re.I) is not None
        if len(names) < (1 if priced else _MIN_MUNICIPALITIES) or not (priced or _about_funding(lines, i)):
            i = end
            continue
        factor, note = _scale(header, total_text, [r.value for r in rows if not r.is_total])
        if factor != 1:
            rows = [FundingRow(r.label, round(r.value * factor, 3), r.line, r.is_total, r.raw) for r in rows]
            warnings.append((rows[0].line, note or "Basisbevilling: omregnet til 1.000 kr."))
        return _checked(rows, year, warnings)
    return [], None, warnings


def _about_funding(lines: list[Line], start: int) -> bool:
    """Without a 'kr.' header, the text just before the table must say it is the bevilling being paid."""
    before = " ".join(x.text for x in lines[max(0, start - 15):start])
    return re.search(r"basisbevilling|faktureres|finansier|bevilling|betaling", before, re.I) is not None


def _table_at(lines: list[Line], start: int) -> tuple[list[FundingRow], str, str, int] | None:
    """Rows of a municipality table that starts at `start` (its header or its first municipality)."""
    header = ""
    i = start
    if _HEADER.match(lines[i].text) and not match_leading_municipality(lines[i].text):
        header = lines[i].text
        i += 1
    elif not match_leading_municipality(lines[i].text):
        return None
    elif start > 0 and _HEADER.match(lines[start - 1].text):
        return None  # the header's own start is the table
    rows: list[FundingRow] = []
    seen: set[str] = set()
    total_text = ""
    blanks = 0
    while i < len(lines):
        text = _cells(lines[i].text)
        if not text:
            blanks += 1
            if blanks > 2:
                break
            i += 1
            continue
        blanks = 0
        m = match_leading_municipality(text)
        if m and m[0] not in seen:
            amount = _AMOUNT.match(m[1])
            if amount is None:
                break   # more than one number: another kind of table
            value = parse_number(amount.group("num"))
            if value is None:
                break
            rows.append(FundingRow(m[0], value, lines[i].no, raw=amount.group("num")))
            seen.add(m[0])
            i += 1
            continue
        total = _TOTAL.match(text)
        if total and rows:
            value = parse_number(total.group("num"))
            if value is not None:
                rows.append(FundingRow("I alt", value, lines[i].no, True, total.group("num")))
                total_text = text
                i += 1
        break
    if not rows:
        return None
    return rows, header, total_text, i


def _checked(
    rows: list[FundingRow], year: int | None, warnings: list[tuple[int | None, str]]
) -> tuple[list[FundingRow], str | None, list[tuple[int | None, str]]]:
    flag = None
    totals = [r for r in rows if r.is_total]
    parts = [r for r in rows if not r.is_total]
    if totals and parts:
        s = sum(r.value for r in parts)
        if abs(s - totals[0].value) > 1e-6:
            flag = f"Summen af kommunerne er {format_number(round(s, 3))}, men totalen er trykt som {format_number(totals[0].value)}"
            warnings.append((totals[0].line, f"Basisbevilling {year or ''}: {flag}".replace("  ", " ")))
    elif parts and not totals:
        warnings.append((parts[-1].line, "Basisbevilling: tabellen har ingen trykt total"))
    if 0 < len(parts) < 11:
        warnings.append((parts[0].line, f"Basisbevilling: tabellen har {len(parts)} af de 11 kommuner"))
    return rows, flag, warnings


_BEVILLING_MIO = re.compile(rf"[Bb]asisbevilling\w*\s+(?:er\s+)?(?:på\s+|med\s+)?({tg.NUMBER})\s*mio\.\s*kr")


def funding_from_text(lines: list[Line]) -> list[FundingRow]:
    """'Basisbevillingen er på 18,238 mio. kr.' when no table is printed: the total only, in 1.000 kr."""
    for line in lines:
        m = _BEVILLING_MIO.search(line.text) if "asisbevilling" in line.text else None
        if m:
            value = parse_number(m.group(1))
            if value is not None:
                return [FundingRow("I alt", round(value * 1000, 3), line.no, True, f"{m.group(1)} mio. kr.")]
    return []


_PORTFOLIO = re.compile(
    rf"programportefølje\s+(?P<how>(?:på|i omegnen af|på ca\.|på knap|på godt|på omkring|på cirka)\s+)?(?:ca\.\s+)?(?P<num>{tg.NUMBER})\s*mio\.?\s*kr",
    re.I,
)


def portfolio_from_text(lines: list[Line]) -> FundingRow | None:
    """'… forventeligt en programportefølje i omegnen af 31,8 mio. kr.': the house's programmes beside its bevilling.

    Kept in mio. kr. as printed; raw keeps the hedge ("i omegnen af", "knap") the document uses.
    """
    for line in lines:
        if "portefølje" not in line.text:
            continue
        m = _PORTFOLIO.search(line.text)
        if m:
            value = parse_number(m.group("num"))
            if value is not None:
                how = (m.group("how") or "").strip()
                expected = "forventet" if re.search(r"forvent\w*\s+en\s+programportefølje", line.text, re.I) else ""
                raw = " ".join(p for p in (expected, how, f"{m.group('num')} mio. kr.") if p)
                return FundingRow("Programportefølje", value, line.no, False, raw)
    return None
