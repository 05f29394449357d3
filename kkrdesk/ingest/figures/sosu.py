"""`sosu-dimensionering`: lærepladser per municipality on the SOSU educations.

Recognised by shape: a run of "<kommune> n n n n" rows under a header that
names the educations (social- og sundhedshjælpere/-assistenter, SSH/SSA) and
the years. The years closest above the rows are the columns; the education
names split those columns into equal groups.
"""

from __future__ import annotations

import re

from kkrdesk.data.figures.model import Extraction, FigureRow
from kkrdesk.data.lines import Line
from kkrdesk.ingest.figures.checks import check_column_totals
from kkrdesk.ingest.figures.tables import YEAR_RE, caption_before, join_hyphenated, municipality_blocks

DATASET = "sosu-dimensionering"
UNIT = "lærepladser"
HELPER = "Social- og sundhedshjælpere"
ASSISTANT = "Social- og sundhedsassistenter"

_IS_SOSU = re.compile(r"SOSU|sundhedshjælper|sundhedsassistent|\bSS[HA]\b|\bhjælpere\b.*\bassistenter\b|"
                      r"\bassistenter\b.*\bhjælpere\b", re.IGNORECASE)
_EDUCATION = re.compile(r"sundhedshjælper\w*|sundhedsassistent\w*|\bSSH\b|\bSSA\b", re.IGNORECASE)


def _education(token: str) -> str:
    token = token.lower()
    return HELPER if "hjælper" in token or token == "ssh" else ASSISTANT


def _column_years(header: list[Line], count: int) -> list[str]:
    """The last `count` years printed in the header, scanning upwards from the rows."""
    years: list[str] = []
    for line in reversed(header):
        found = YEAR_RE.findall(line.text)
        years = found + years
        if len(years) >= count:
            break
    return years[-count:] if len(years) >= count else years


_OCCUPATION = r"(?:social-\s*og\s*)?(?:sundheds)?(?:hjælper|assistent)\w*|\bSS[HA]\b"
_OCC_YEAR = re.compile(rf"(?P<occ>{_OCCUPATION})\W{{0,40}}?(?P<year>(?:19|20)\d{{2}})(?!\d)", re.IGNORECASE)
_YEAR_OCC = re.compile(rf"(?P<year>(?:19|20)\d{{2}})(?!\d)\W{{0,20}}?(?P<occ>{_OCCUPATION})", re.IGNORECASE)


def _cell_pair(text: str) -> tuple[str, str] | None:
    m = _OCC_YEAR.search(text) or _YEAR_OCC.search(text)
    return (_education(m.group("occ").split()[-1]), m.group("year")) if m else None


def _column_pairs(header: list[Line], width: int) -> list[tuple[str, str]] | None:
    """(education, year) per column when each header cell names both ("Assistenter 2027 | Hjælpere 2026"),
    in whatever order the columns come; None when the header is not of that shape."""
    for line in reversed(header[-4:]):
        cells = [c for c in line.text.split("\t") if c.strip()]
        if len(cells) > 1:
            pairs = [p for c in cells if (p := _cell_pair(c))]
        else:
            pairs = [(_education(m.group("occ").split()[-1]), m.group("year")) for m in _OCC_YEAR.finditer(line.text)]
        if len(pairs) == width:
            return pairs
    # a header in two TAB rows, educations over years: pair the cells column by column from the right
    tabbed = [line.text.split("\t") for line in header[-3:] if "\t" in line.text]
    if len(tabbed) >= 2:
        top, bottom = [c.strip() for c in tabbed[-2] if c.strip()], [c.strip() for c in tabbed[-1] if c.strip()]
        if len(top) >= width and len(bottom) >= width:
            pairs = [p for a, b in zip(top[-width:], bottom[-width:], strict=True) if (p := _cell_pair(f"{a} {b}"))]
            if len(pairs) == width:
                return pairs
    # header cells wrapped over several lines ("Assistenter" / "2027"): read them joined
    joined = " ".join(line.text.replace("\t", " ") for line in header[-2 * width - 2:])
    pairs = [(_education(m.group("occ").split()[-1]), m.group("year")) for m in _OCC_YEAR.finditer(joined)]
    return pairs[-width:] if len(pairs) >= width else None


def extract(lines: list[Line]) -> Extraction:
    result = Extraction()
    joined = join_hyphenated(lines)
    for block in municipality_blocks(joined):
        header = caption_before(joined, block.start_index, max_lines=16)
        header_text = " ".join(line.text for line in header)
        if not _IS_SOSU.search(header_text):
            continue
        width = len(block.rows[0].values)
        years = _column_years(header, width)
        educations = [_education(m) for m in _EDUCATION.findall(header_text)]
        # keep only the names after the table title (the column header), in order
        if len(educations) > width:
            educations = educations[-width:]
        first_line = block.rows[0].line
        pairs = _column_pairs(header, width)
        if pairs:
            years = [year for _, year in pairs]
            educations = [education for education, _ in pairs]
        if len(years) == width:
            periods = years
        elif len(years) == 1:
            periods = years * width
        else:
            periods = ["ukendt"] * width
            result.warnings.append(
                (first_line, f"SOSU-tabel: kan ikke læse årstallene for {width} kolonner i overskriften")
            )
        if pairs:
            measures = educations
        elif educations and width % len(educations) == 0:
            per_group = width // len(educations)
            measures = [educations[k // per_group] for k in range(width)]
        else:
            measures = ["Lærepladser"] * width
            result.warnings.append((first_line, "SOSU-tabel: kan ikke se hvilke kolonner der er hjælpere/assistenter"))
        block_rows: list[FigureRow] = []
        for row in block.rows:
            for k, value in enumerate(row.values):
                block_rows.append(FigureRow(
                    DATASET, row.name, periods[k], measures[k], value, UNIT, row.line,
                    raw=f"{row.printed}: {row.raws[k]}", municipality=row.name,
                ))
        result.rows.extend(block_rows)
        if block.total is not None:
            label, values, raws, line_no = block.total
            totals = []
            for k, value in enumerate(values):
                total = FigureRow(DATASET, label, periods[k], measures[k], value, UNIT, line_no,
                                  is_total=True, raw=raws[k])
                totals.append(total)
            result.rows.extend(totals)
            check_column_totals(result, block_rows, totals)
    return result
