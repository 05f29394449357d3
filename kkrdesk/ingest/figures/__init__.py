"""Nøgletal (#4) read from tables and prose in an imported document.

`extract_all(lines)` recognises the dataset tables by their shape and captions (pure: the importer
runs it before its transaction, for every document or part), and `write_extraction` writes the
`figures` rows (with the original line) inside the import transaction; `store_figures(ctx)` does both.
"""

from __future__ import annotations

import re

from kkrdesk.data.figures.model import Extraction
from kkrdesk.data.figures.repo import ensure_datasets, ensure_municipalities, write_rows
from kkrdesk.data.lines import Line
from kkrdesk.ingest.context import ExtractContext
from kkrdesk.ingest.figures import boernehus, faelles, komponent, paedagog, paragraphs, sosu
from kkrdesk.ingest.figures.tables import shared_readings

__all__ = ["extract_all", "store_figures", "write_extraction"]

_SS = re.compile("ss[ha]")


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"     # what re's \w matches


def _sosu_gate(low: str) -> bool:
    """The SOSU reader's header test (sosu._IS_SOSU) on lower-cased text, fast: the words by `in`,
    SSH/SSA only as whole words ("ssa" inside "kassa" opened the reader for most documents)."""
    if "sosu" in low or "sundhedshjælper" in low or "sundhedsassistent" in low or "hjælpere" in low:
        return True
    for match in _SS.finditer(low):
        start, end = match.start(), match.end()
        if (start == 0 or not _word(low[start - 1])) and (end == len(low) or not _word(low[end])):
            return True
    return False


EXTRACTORS = (sosu.extract, paedagog.extract, komponent.extract, paragraphs.extract, boernehus.extract,
              faelles.extract)
# Words each dataset's caption or header must contain somewhere in the document: a cheap test
# that spares the table readers on the many documents without any of these tables (bench, #8).
GATES = (
    lambda low: _sosu_gate(low),
    lambda low: "pædagog" in low,
    lambda low: "§" in low and "værdier" in low,
    lambda low: "§" in low and "værdier" not in low and "udgift" in low,   # udgifter per paragraph (#14)
    lambda low: "børnehus" in low and "\t" in low,                    # a TAB table (tab_tables)
    lambda low: ("sekretariat" in low or "poster" in low) and "\t" in low and ("budget" in low or "regnskab" in low),
)



def extract_all(lines: list[Line]) -> Extraction:
    """Run every dataset extractor over one document's lines (pure; no store)."""
    result = Extraction()
    low = "\n".join(line.text for line in lines).lower()
    with shared_readings():
        for extractor, gate in zip(EXTRACTORS, GATES, strict=True):
            if gate(low):
                result.extend(extractor(lines))
    return result


def write_extraction(ctx: ExtractContext, result: Extraction) -> None:
    """Write what extract_all found; warn on printed totals that differ from their rows.

    Does not commit: the importer's transaction covers it.
    """
    ensure_municipalities(ctx.db)
    ensure_datasets(ctx.db)
    write_rows(ctx.db, ctx.document_id, result.rows)
    for line, message in result.warnings:
        ctx.warn(line, message)


def store_figures(ctx: ExtractContext) -> None:
    """Find and write the figures in ctx.lines."""
    write_extraction(ctx, extract_all(ctx.lines))
