"""A dataset as CSV for a Danish spreadsheet: semicolon separator, decimal comma, no thousands dots.

Danish Excel and LibreOffice read `1234,5` in a `;`-separated file as a number;
a thousands dot would make "1.234" read as a date or text.
"""

from __future__ import annotations

import csv
import io

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
