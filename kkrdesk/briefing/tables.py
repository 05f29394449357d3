"""Tables for the packs: printed TAB tables and tables built from stored figures.

Both repeat their header row on every page they run over (`repeatRows=1`)
and right-align numbers, which stay in Danish format (1.234,5): printed
tables keep the cell as printed, figure tables format through danish.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from kkrdesk.briefing.styles import FONT, FONT_BOLD, RULE, TABLE_HEAD, TABLE_ZEBRA, styles
from kkrdesk.data.danish import parse_number

_PAD = 8.0          # left + right cell padding
_MIN_COL = 26.0


def is_number(cell: str) -> bool:
    text = cell.strip().rstrip("¹²³⁴⁵⁶⁷⁸⁹⁰ ").replace("kr.", "").strip()
    return bool(text) and parse_number(text) is not None


def column_widths(rows: Sequence[Sequence[str]], width: float, font_size: float = 7.5) -> list[float]:
    """Natural widths when they fit; otherwise every column gets its longest word and the
    rest of the width is shared in proportion to how much more each would like."""
    columns = max(len(r) for r in rows)
    natural = [_MIN_COL] * columns
    minimum = [_MIN_COL] * columns
    for r, row in enumerate(rows):
        font = FONT_BOLD if r < 3 else FONT   # header rows are bold (and wider)
        for c, cell in enumerate(row):
            parts = cell.split("\n")
            longest = max((stringWidth(part, font, font_size) for part in parts), default=0)
            word = max((stringWidth(w, font, font_size) for part in parts for w in part.split()), default=0)
            natural[c] = max(natural[c], longest + _PAD + 1)
            minimum[c] = max(minimum[c], min(word + _PAD + 1, width / 3))
    if sum(natural) <= width:
        return natural
    spare = width - sum(minimum)
    if spare <= 0:
        return [m * width / sum(minimum) for m in minimum]
    wish = [n - m for n, m in zip(natural, minimum, strict=True)]
    return [m + spare * w / sum(wish) for m, w in zip(minimum, wish, strict=True)]


def _style(rows: int, header_rows: int, total_rows: Sequence[int] = ()) -> TableStyle:
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header_rows:
        commands += [
            ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 7.5),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), TABLE_HEAD),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, RULE),
        ]
    for r in range(header_rows + 1, rows, 2):
        commands.append(("BACKGROUND", (0, r), (-1, r), TABLE_ZEBRA))
    for r in total_rows:
        commands.append(("LINEABOVE", (0, r), (-1, r), 0.6, colors.black))
    return TableStyle(commands)


def header_rows(rows: Sequence[Sequence[str]], limit: int = 3) -> int:
    """Leading rows without a number in them are the header ("Budget 2020" is text, 545.000 is not)."""
    count = 0
    for row in rows[:limit]:
        if any(is_number(cell) for cell in row[1:]) or count == len(rows) - 1:
            break
        count += 1
    return count


def build_table(rows: Sequence[Sequence[str]], width: float, *, numeric_columns: set[int] | None = None,
                total_rows: Sequence[int] = (), header: int | None = 1) -> Table:
    """A wrapped table of plain-text cells whose `header` leading rows repeat on every page.

    header=None finds the header rows from the cells (printed tables).
    """
    st = styles()
    columns = max(len(r) for r in rows)
    padded = [[(row[c] if c < len(row) else "").strip() for c in range(columns)] for row in rows]
    numeric = [[(c in numeric_columns) if numeric_columns is not None else is_number(cell)
                for c, cell in enumerate(row)] for row in padded]
    widths = column_widths(padded, width)
    heads = header_rows(padded) if header is None else header
    data = []
    for r, row in enumerate(padded):
        cells = []
        for c, cell in enumerate(row):
            if r < heads:
                name = "cell_head_num" if numeric_columns is not None and c in numeric_columns else "cell_head"
            else:
                name = "cell_num" if numeric[r][c] else "cell"
            cells.append(Paragraph(escape(cell).replace("\n", "<br/>"), st[name]) if cell else "")
        data.append(cells)
    table = Table(data, colWidths=widths, repeatRows=heads, hAlign="LEFT")
    table.setStyle(_style(len(data), heads, total_rows))
    return table


def text_table(rows: list[list[str]], width: float) -> Table:
    """A table as printed in a document (TAB-separated lines); an "I alt" row gets a rule above."""
    totals = [r for r, row in enumerate(rows) if r and row and row[0].strip().lower().startswith(("i alt", "total"))]
    return build_table(rows, width, total_rows=totals, header=None)
