"""A dataset as the table a reader expects: one row per municipality (and measure), one column per period.

The store keeps figures long (one value per row, each with its own source
line); people read them wide, the way the document printed them. Each cell
keeps its long row, so the source and any flag stay one hover away.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kkrdesk.data.figures.periods import period_sort_key


@dataclass
class PivotRow:
    group: str | None
    label: str
    measure: str
    unit: str | None
    is_total: bool
    cells: dict[str, dict] = field(default_factory=dict)   # period → the long figure row


@dataclass
class PivotTable:
    periods: list[str]
    rows: list[PivotRow]

    @property
    def has_groups(self) -> bool:
        return any(r.group for r in self.rows)

    @property
    def has_measures(self) -> bool:
        return any(r.measure for r in self.rows)


def pivot_figures(rows: list[dict]) -> PivotTable:
    """Wide view of a dataset's rows, in the order the document printed them; totals stay where printed.

    Columns run in time order within each measure ("Budget 2020", "Budget 2021", then the
    difference "2020-2021"). A line whose measures have periods of their own (an amount per
    budget year and its difference) is one row, not one per measure; measures that share
    periods (assistenter and hjælpere in 2025 and 2026) keep a row each.
    """
    measures: list[str] = []
    periods_of: dict[str, list[str]] = {}
    lines: dict[tuple, dict[str, dict[str, dict]]] = {}     # (group, label) → measure → period → row
    for row in rows:
        period = str(row.get("period") or "")
        measure = row.get("measure") or ""
        if measure not in periods_of:
            measures.append(measure)
            periods_of[measure] = []
        if period not in periods_of[measure]:
            periods_of[measure].append(period)
        cells = lines.setdefault((row.get("group"), row.get("label") or ""), {}).setdefault(measure, {})
        cells.setdefault(period, row)
    periods: list[str] = []
    for measure in measures:
        for period in sorted(periods_of[measure], key=period_sort_key):
            if period not in periods:
                periods.append(period)
    out: list[PivotRow] = []
    for (group, label), by_measure in lines.items():
        seen: set[str] = set()
        disjoint = True
        for cells in by_measure.values():
            if seen & cells.keys():
                disjoint = False
            seen |= cells.keys()
        parts = [("", {p: r for cells in by_measure.values() for p, r in cells.items()})] if (
            disjoint and len(by_measure) > 1) else list(by_measure.items())
        for measure, cells in parts:
            first = next(iter(cells.values()))
            out.append(PivotRow(group, label, measure, first.get("unit"), bool(first.get("is_total")), cells))
    used = {p for r in out for p, cell in r.cells.items() if cell.get("value") is not None}
    return PivotTable([p for p in periods if p in used], out)
