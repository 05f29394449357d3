"""TAB-separated budget tables (Børnehus Nord, fællessekretariater) to figures.

Shape: one or two header rows ("Budget 2020 | | Regnskab 2020 | …" over
"Udgifter | Indtægter | …"), then "post<TAB>amount…" rows, subtotals
("Lønudgift i alt"), a grand total ("I alt", "Budget i alt") and sometimes a
"Samlet …" row printed before the rows it covers. Every printed total is
checked against its rows and flagged on a difference.
"""

from __future__ import annotations

import re

from kkrdesk.data.figures.model import Extraction, FigureRow
from kkrdesk.data.municipalities import canonical_municipality
from kkrdesk.ingest.figures.checks import flag_total
from kkrdesk.ingest.figures.tables import YEAR_RE, TabTable, column_headers, number

_SUBTOTAL = re.compile(r"\bi alt\b", re.IGNORECASE)
_GRAND = re.compile(r"^(?:budget |regnskab )?i alt:?$|^total:?$", re.IGNORECASE)
_SAMLET = re.compile(r"^samlet\b", re.IGNORECASE)
_BALANCE = re.compile(r"^overskud\s*/\s*underskud$", re.IGNORECASE)
_COUNT_WORDS = re.compile(r"antal|årige|befolkning|sager", re.IGNORECASE)


def _column_keys(table: TabTable, width: int) -> list[tuple[str, str]]:
    """(period, measure) per value column."""
    columns = column_headers(table.header_rows, width)
    all_years = sorted({y for group, _ in columns for y in YEAR_RE.findall(group)})
    keys: list[tuple[str, str]] = []
    for group, sub in columns:
        years = YEAR_RE.findall(group)
        if group.lower().startswith("ændring") and years:
            keys.append(("-".join(years), f"Ændring i {sub[:1].lower() + sub[1:]}" if sub else "Ændring"))
        elif years:
            measure = sub
            if measure and YEAR_RE.findall(measure)[-1:] == years[-1:] and measure.endswith(years[-1]):
                measure = measure[: -len(years[-1])].strip()
            keys.append((group, measure or "Beløb"))
        else:
            period = "-".join([all_years[0], all_years[-1]]) if len(all_years) > 1 else (all_years or [""])[0]
            keys.append((period, group or sub or "Beløb"))
    return keys


def _unit(label: str, measure: str) -> str:
    return "antal" if _COUNT_WORDS.search(measure) or _COUNT_WORDS.search(label) else "kr."


def table_figures(table: TabTable, dataset: str, grp: str | None) -> Extraction:
    result = Extraction()
    width = max(len(cells) - 1 for cells, _ in table.rows)
    keys = _column_keys(table, width)
    counted = [_COUNT_WORDS.search(measure) is not None for _, measure in keys]   # `_unit`, a column at a time
    rows: list[FigureRow] = []
    for cells, line_no in table.rows:
        printed = cells[0]
        municipality = canonical_municipality(printed) if printed else None
        label = municipality or printed or "(uden navn)"
        is_total = bool(_SUBTOTAL.search(label) or _SAMLET.match(label))
        label_counted = _COUNT_WORDS.search(label) is not None
        for k, cell in enumerate(cells[1:]):
            value = number(cell) if cell else None
            if value is None:
                continue
            if k < len(keys):
                (period, measure), unit = keys[k], "antal" if counted[k] or label_counted else "kr."
            else:
                period, measure = "", f"Kolonne {k + 2}"
                unit = _unit(label, measure)
            rows.append(FigureRow(
                dataset, label, period, measure, value, unit, line_no, grp=grp,
                is_total=is_total, raw=f"{printed}: {cell}", municipality=municipality,
            ))
    result.rows.extend(rows)
    _check(result, rows)
    return result


def _key(row: FigureRow) -> tuple[str, str]:
    return (row.period, row.measure)


def _check(result: Extraction, rows: list[FigureRow]) -> None:
    """Walk the rows in print order: subtotals cover the rows since the previous subtotal,
    a grand total covers the subtotals (or the rows when there are none)."""
    lines = sorted({r.line for r in rows})
    by_line: dict[int, list[FigureRow]] = {}
    for r in rows:
        by_line.setdefault(r.line, []).append(r)
    section: dict[tuple[str, str], float] = {}
    subtotals: dict[tuple[str, str], float] = {}
    grand: dict[tuple[str, str], float] = {}
    plain: dict[tuple[str, str], float] = {}
    samlet: list[FigureRow] = []
    for line in lines:
        group = by_line[line]
        label = group[0].label
        if _SAMLET.match(label):
            samlet.extend(group)
        elif _BALANCE.match(label):
            for r in group:
                income = grand.get((r.period, "Indtægter"))
                spent = grand.get((r.period, "Udgifter"))
                if income is not None and spent is not None:
                    flag_total(result, r, income - spent, f"{label} {r.period}")
        elif _GRAND.match(label):
            for r in group:
                source = subtotals if subtotals.get(_key(r)) is not None else section
                if _key(r) in source:
                    flag_total(result, r, source[_key(r)], f"{label} {r.measure} {r.period}".strip())
                grand[_key(r)] = float(r.value)  # type: ignore[arg-type]
            section, subtotals = {}, {}
        elif _SUBTOTAL.search(label):
            for r in group:
                if _key(r) in section:
                    flag_total(result, r, section[_key(r)], f"{label} {r.measure} {r.period}".strip())
                subtotals[_key(r)] = subtotals.get(_key(r), 0.0) + float(r.value)  # type: ignore[arg-type]
            section = {}
        else:
            for r in group:
                section[_key(r)] = section.get(_key(r), 0.0) + float(r.value)  # type: ignore[arg-type]
                plain[_key(r)] = plain.get(_key(r), 0.0) + float(r.value)  # type: ignore[arg-type]
    for r in samlet:
        if _key(r) in plain:
            flag_total(result, r, plain[_key(r)], f"{r.label} {r.measure} {r.period}".strip())
