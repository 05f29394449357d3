"""A dataset as the table a reader expects: one row per municipality (and measure), one column per period.

The store keeps figures long (one value per row, each with its own source
line); people read them wide, the way the document printed them. Each cell
keeps its long row, so the source and any flag stay one hover away.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """Wide view of a dataset's rows, in the order the document printed them; totals stay where printed."""
    periods: list[str] = []
    by_key: dict[tuple, PivotRow] = {}
    for row in rows:
        period = str(row.get("period") or "")
        if period not in periods:
            periods.append(period)
        key = (row.get("group"), row.get("label") or "", row.get("measure") or "")
        target = by_key.get(key)
        if target is None:
            target = by_key[key] = PivotRow(key[0], key[1], key[2], row.get("unit"), bool(row.get("is_total")))
        target.cells.setdefault(period, row)
    return PivotTable(periods, list(by_key.values()))
