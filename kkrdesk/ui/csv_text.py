"""A dataset as CSV for a Danish spreadsheet: semicolon separator, decimal comma, no thousands dots.

Danish Excel and LibreOffice read `1234,5` in a `;`-separated file as a number;
a thousands dot would make "1.234" read as a date or text.
"""

from __future__ import annotations

import csv
import io

from kkrdesk.data.figures.pivot import PivotTable

COLUMNS = [
    ("label", "Betegnelse"),
    ("period", "Periode"),
    ("value", "Værdi"),
    ("unit", "Enhed"),
    ("measure", "Mål"),
    ("group", "Gruppe"),
    ("file_name", "Kilde"),
    ("line", "Linje"),
]


def number_cell(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def rows_to_csv(rows: list[dict], columns: list[tuple[str, str]] | None = None) -> str:
    columns = columns or COLUMNS
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _, label in columns])
    for row in rows:
        writer.writerow([number_cell(row.get(key)) if key == "value" else
                         ("" if row.get(key) is None else str(row.get(key))) for key, _ in columns])
    return buffer.getvalue()


def pivot_columns(table: PivotTable) -> list[tuple[str, str]]:
    """(key, header) of the wide table: optional Gruppe/Mål, the label, one column per period, the unit."""
    columns = [("group", "Gruppe")] if table.has_groups else []
    columns.append(("label", "Betegnelse"))
    if table.has_measures:
        columns.append(("measure", "Mål"))
    columns += [(f"period:{p}", p or "Værdi") for p in table.periods]
    columns.append(("unit", "Enhed"))
    return columns


def pivot_cell(row, key: str):
    """The value shown in one cell of the wide table (a number for period columns)."""
    if key.startswith("period:"):
        cell = row.cells.get(key[len("period:"):])
        return None if cell is None else cell.get("value")
    return getattr(row, key)


def pivot_to_csv(table: PivotTable) -> str:
    """The wide table as a spreadsheet sees it: one row per municipality/measure, a column per period."""
    columns = pivot_columns(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for _, header in columns])
    for row in table.rows:
        writer.writerow([number_cell(pivot_cell(row, key)) if key.startswith("period:")
                         else ("" if pivot_cell(row, key) is None else str(pivot_cell(row, key)))
                         for key, _ in columns])
    return buffer.getvalue()
