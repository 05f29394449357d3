"""`boernehus-nord`: Børnehus Nord's budget and the objektiv finansiering per municipality.

Any TAB table whose caption or header names Børnehus Nord: the budget with its
subtotals and the financing sub-table under it, and the per-municipality
distribution (0–17-årige and kroner, this year and last year, and the change).
"""

from __future__ import annotations

import re

from kkrdesk.data.figures.model import Extraction
from kkrdesk.data.lines import Line
from kkrdesk.data.municipalities import canonical_municipality
from kkrdesk.ingest.figures.tabbed import table_figures
from kkrdesk.ingest.figures.tables import caption_before, join_hyphenated, tab_tables

DATASET = "boernehus-nord"
PER_MUNICIPALITY = "Objektiv finansiering pr. kommune"
BUDGET = "Budget"

_BOERNEHUS = re.compile(r"børnehus", re.IGNORECASE)


def extract(lines: list[Line]) -> Extraction:
    result = Extraction()
    joined = join_hyphenated(lines)
    for table in tab_tables(joined):
        caption = caption_before(joined, table.start_index, max_lines=6)
        context = " ".join(line.text for line in caption) + " " + " ".join(" ".join(h) for h in table.header_rows)
        if not _BOERNEHUS.search(context):
            continue
        municipal = sum(1 for cells, _ in table.rows if canonical_municipality(cells[0]))
        grp = PER_MUNICIPALITY if municipal >= 3 else BUDGET
        result.extend(table_figures(table, DATASET, grp))
    return result
