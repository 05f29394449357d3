"""Repairs of the flattened text before the parser reads it.

Page furniture (running headers, "Side 3 af 9"), markdown heading marks from the
document model, tables a PDF gave one cell per line, and narrow cells wrapped
mid-word ("Frederikshav" / "n") are put back as the page printed them, each line
keeping its original number.
"""

from __future__ import annotations

import re

from kkrdesk.data.danish import find_date, parse_number
from kkrdesk.data.lines import Line
from kkrdesk.ingest.agenda_patterns import _LABEL

_PAGE_FOOTER = re.compile(r"^(?:side\s+)?\d{1,3}\s*(?:af|/)\s*\d{1,3}$|^side\s+\d{1,3}$", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")   # the document model writes Word headings as "### 3.4 …"


def _drop_page_furniture(lines: list[Line]) -> list[Line]:
    """Footers ("Side 3 af 9") and running headers (the same KKR/dagsorden/date line on most pages)."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.text:
            counts[line.text] = counts.get(line.text, 0) + 1
    running = {
        text for text, n in counts.items()
        if n >= 3 and len(text) < 100 and "\t" not in text
        and (re.search(r"\bKKR\b|dagsorden|referat", text, re.IGNORECASE) or find_date(text))
        and not _LABEL.match(text)
    }
    return [line for line in lines if not _PAGE_FOOTER.match(line.text) and line.text not in running]


def _is_number(text: str) -> bool:
    return parse_number(text) is not None


def _is_cell_label(text: str) -> bool:
    return bool(text) and not _is_number(text) and len(text) <= 60 and "\t" not in text


def _numbers_after(lines: list[Line], index: int) -> int:
    count = 0
    while index + count < len(lines) and _is_number(lines[index + count].text.strip()):
        count += 1
    return count


def _header_cells(out: list[Line], width: int) -> int:
    """How many lines at the end of `out` (blanks aside) read as the table's header cells."""
    cells, k = 0, len(out) - 1
    while k >= 0 and cells < width:
        text = out[k].text.strip()
        if not text:
            k -= 1
            continue
        if len(text) > 40 or text.endswith((".", ":")) or "\t" in text or _LABEL.match(text):
            break
        cells, k = cells + 1, k - 1
    return cells


def _number_count(text: str) -> int:
    """How many numbers a line of only numbers holds (0 when anything else is on it)."""
    tokens = text.split()
    return len(tokens) if tokens and all(_is_number(t) for t in tokens) else 0


def _label_numbers(text: str) -> int:
    """'Aalborg 200 98 196 100' → 4: numbers after a label, 0 if the line is not of that shape."""
    tokens = text.replace("\t", " ").split()
    count = 0
    while count < len(tokens) and _is_number(tokens[-1 - count]):
        count += 1
    return count if 0 < count < len(tokens) else 0


def _join_wrapped_cells(lines: list[Line]) -> list[Line]:
    """A narrow cell the PDF wrapped: "Frederikshav" / "n" / "79 38 77 39" → "Frederikshavn 79 38 77 39"."""
    out: list[Line] = []
    for line in lines:
        text = line.text.strip()
        prev = out[-1].text.strip() if out else ""
        if out and re.fullmatch(r"[a-zæøå]{1,3}", text) and prev[-1:].isalpha() and len(prev) <= 40 \
                and " " not in prev:
            out[-1] = out[-1]._replace(text=prev + text)
            continue
        # the first cell of a TAB row wrapped: "Frederikshav 79\t38…" / "n\t\t\t"
        first = re.match(r"[^\s]+", prev)
        if out and re.fullmatch(r"[a-zæøå]{1,3}", text) and first and first.group(0).isalpha() \
                and ("\t" in prev or re.search(r"\d", prev)):
            out[-1] = out[-1]._replace(text=first.group(0) + text + out[-1].text.lstrip()[first.end():])
            continue
        width = _number_count(text)
        before = out[-2].text.strip() if len(out) > 1 else ""
        if width >= 2 and _is_cell_label(prev) and not re.search(r"\d", prev) and len(prev) <= 40 \
                and _label_numbers(before) == width:
            out[-1] = out[-1]._replace(text=f"{prev} {text}")
            continue
        out.append(line)
    return out


def _rebuild_cell_tables(lines: list[Line]) -> list[Line]:
    """A table the PDF gave one cell per line ("Aalborg" / "200" / "98" …) back to TAB rows.

    Rows are a label and the same number of values, at least two rows; the header is the run
    of short lines just above (as many cells as a row). The joined line keeps the first line's number.
    """
    out: list[Line] = []
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        width = _numbers_after(lines, i + 1) if _is_cell_label(text) else 0
        if width >= 2:
            rows: list[Line] = []
            j = i
            while j < len(lines) and _is_cell_label(lines[j].text.strip()) and _numbers_after(lines, j + 1) == width:
                cells = [line.text.strip() for line in lines[j:j + 1 + width]]
                rows.append(lines[j]._replace(text="\t".join(cells)))
                j += 1 + width
            if len(rows) >= 2:
                header = _header_cells(out, width + 1)
                if header >= width:
                    cells = [line for line in out[len(out) - 1::-1] if line.text.strip()][:header][::-1]
                    first = cells[0]
                    while out and out[-1] is not first:
                        out.pop()
                    out.pop()
                    texts = [c.text.strip() for c in cells]
                    out.append(first._replace(text="\t".join(([""] if header == width else []) + texts)))
                out.extend(rows)
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


def repair_lines(lines: list[Line]) -> list[Line]:
    """Everything above, in order: the lines the parser reads."""
    lines = [line._replace(text=_MARKDOWN_HEADING.sub("", line.text)) if line.text.startswith("#") else line
             for line in lines]
    return _join_wrapped_cells(_rebuild_cell_tables(_drop_page_furniture(lines)))
