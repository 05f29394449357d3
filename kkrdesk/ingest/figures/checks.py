"""Total checks: a printed total is compared with its rows and flagged, never corrected.

Differences are usually rounding in the source (4.402.800 printed, rows sum to
4.402.802); the board still needs to know which number the document states.
"""

from __future__ import annotations

from kkrdesk.data.danish import format_number
from kkrdesk.data.figures.model import Extraction, FigureRow


def _decimals(raw: str | None) -> int:
    """Decimals of the last token of a printed cell ('Helårsperson 2.368' → 0, '626,0' → 1)."""
    if not raw:
        return 0
    token = raw.split()[-1] if raw.split() else raw
    if "," not in token:
        return 0
    return len(token.split(",")[-1].rstrip("%").strip())


def differs(printed: float, computed: float, raw: str | None = None) -> bool:
    """Compare at the precision the total is printed with (2.368 vs 2.367,9 is not a difference)."""
    return round(computed, _decimals(raw)) != round(printed, _decimals(raw))


def flag_total(result: Extraction, total: FigureRow, computed: float, what: str) -> None:
    """Set the flag on `total` and warn when the printed value differs from `computed`."""
    if total.value is None or not differs(float(total.value), computed, total.raw):
        return
    difference = float(total.value) - computed
    message = (
        f"{what}: trykt {format_number(total.value)}, men rækkerne giver {format_number(computed)} "
        f"(forskel {format_number(difference)})"
    )
    total.flag = message
    result.warnings.append((total.line, message))


def check_column_totals(result: Extraction, rows: list[FigureRow], totals: list[FigureRow]) -> None:
    """Each total row (same period/measure/grp) against the sum of the non-total rows before it."""
    for total in totals:
        members = [
            r for r in rows
            if not r.is_total and r.period == total.period and r.measure == total.measure
            and r.grp == total.grp and r.line < total.line and r.value is not None
        ]
        if members:
            what = f"{total.label} {total.measure} {total.period}".strip()
            flag_total(result, total, sum(float(r.value) for r in members), what)  # type: ignore[arg-type]
