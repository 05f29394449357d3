"""Contracts and reports read from an imported document (#3, #13): goals, delmål, targets, outcomes, basisbevilling.

The importer finds them with `find_contracts` before its transaction (pure) and writes them with
`write_contracts`; `store_contract(ctx)` does both. They write through
`kkrdesk.data.contracts.repo`, and everything else reads through `kkrdesk.data.contracts`.
"""

from __future__ import annotations

from collections.abc import Callable

from kkrdesk.data.contracts.repo import write_contract, write_funding, write_portfolio
from kkrdesk.data.lines import Line
from kkrdesk.ingest.context import ExtractContext
from kkrdesk.ingest.contracts.extract import contract_kind, extract_contracts, looks_like_contract

__all__ = ["extract_contracts", "find_contracts", "looks_like_contract", "raw_line_map", "store_contract",
           "write_contracts"]


def _raw_lines(ctx: ExtractContext) -> dict[int, str] | None:
    """`raw_line_map` of the document's original as the store holds it."""
    from kkrdesk.data.texts import original_text  # a part reads its lines from the file's document (#20.2)

    row = ctx.db.conn.execute("SELECT line_start FROM documents WHERE id = ?", (ctx.document_id,)).fetchone()
    text = original_text(ctx.db.conn, ctx.document_id) if row else ""
    return raw_line_map(text, row[0], ctx.lines) if text else None


def raw_line_map(raw: str, line_start: int | None, lines: list[Line]) -> dict[int, str] | None:
    """Original line number → raw text of a document, when its original (`raw`, whose first line is
    line 1 or `line_start` of the file) lines up with its normalised `lines`.

    Only used to split two-column lines (signatures) at the wide gaps the normaliser collapses.
    """
    split = raw.split("\n")
    probe = [x for x in lines if x.text][:40]
    best: dict[int, str] | None = None
    best_hits = 0
    for first in {1, line_start or 1}:
        mapping = {first + i: text for i, text in enumerate(split)}
        hits = sum(1 for x in probe if "".join(mapping.get(x.no, "").split()) == "".join(x.text.split()))
        if hits > best_hits:
            best, best_hits = mapping, hits
    return best


def find_contracts(kind: str, year: int | None, lines: list[Line],
                   raw: Callable[[], dict[int, str] | None]) -> tuple[list, list[tuple[int | None, str]]]:
    """(contracts or reports found in a document, warnings about it) — pure; `raw()` is asked only
    when the document is one. A whole meeting pack gives none: its contracts come from its bilag,
    which the importer hands over one by one, so nothing is stored twice."""
    if kind in ("meeting-pack", "bundle"):
        return [], []
    found, reading = (kind, None) if kind in ("contract", "report") else contract_kind(lines)
    if found is None:
        return [], []
    contracts = extract_contracts(lines, default_year=year, raw=raw(), reading=reading)
    if not contracts and kind in ("contract", "report"):
        first = next((x.no for x in lines if x.text), None)
        return [], [(first, "Ingen mål fundet i kontrakten (ingen overskrifter som 'Mål 1 – Titel')")]
    return contracts, []


def write_contracts(ctx: ExtractContext, contracts: list) -> None:
    """Store what find_contracts found, with each contract's warnings. Never commits."""
    for contract in contracts:
        write_contract(ctx.db, ctx.document_id, contract,
                       pages={x.no: x.page for x in ctx.lines if getattr(x, "page", None)})   # results' pages (#17)
        write_funding(ctx.db, ctx.document_id, contract)
        write_portfolio(ctx.db, ctx.document_id, contract)
        for line, message in contract.warnings:
            ctx.warn(line, message)


def store_contract(ctx: ExtractContext) -> None:
    """Extract and store every contract/report in the document; warnings go to ctx.warn. Never commits."""
    contracts, warnings = find_contracts(ctx.kind, ctx.year, ctx.lines, lambda: _raw_lines(ctx))
    for line, message in warnings:
        ctx.warn(line, message)
    write_contracts(ctx, contracts)
