"""`faellessekretariater`: budget and regnskab of the jointly funded secretariats.

A TAB table headed "Poster | Budget … | Regnskab …" with Udgifter/Indtægter
under each; the secretariat is the caption line just above the table.
"""

from __future__ import annotations

import re

from kkrdesk.data.figures.model import Extraction
from kkrdesk.data.lines import Line
from kkrdesk.ingest.figures.tabbed import table_figures
from kkrdesk.ingest.figures.tables import caption_before, join_hyphenated, tab_tables

DATASET = "faellessekretariater"

_SECRETARIAT = re.compile(r"sekretariat", re.IGNORECASE)
_PERIOD_HEADER = re.compile(r"budget|regnskab", re.IGNORECASE)


def extract(lines: list[Line]) -> Extraction:
    result = Extraction()
    joined = join_hyphenated(lines)
    for table in tab_tables(joined):
        if not table.header_rows or not _PERIOD_HEADER.search(" ".join(table.header_rows[0])):
            continue
        caption = caption_before(joined, table.start_index, max_lines=6)
        first = table.header_rows[0][0].lower()
        if first != "poster" and not any(_SECRETARIAT.search(line.text) for line in caption):
            continue
        if any(re.search("børnehus", line.text, re.IGNORECASE) for line in caption[-2:]):
            continue
        grp = caption[-1].text.strip() if caption else None
        result.extend(table_figures(table, DATASET, grp))
    return result
