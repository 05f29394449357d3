"""Contracts and reports read from an imported document (#3, #13): goals, delmål, targets, outcomes, basisbevilling.

The importer calls `store_contract(ctx)` for each document or part; it writes through
`kkrdesk.data.contracts.repo`, and everything else reads through `kkrdesk.data.contracts`.
"""

from __future__ import annotations

from kkrdesk.data.contracts.repo import write_contract, write_funding, write_portfolio
from kkrdesk.ingest.context import ExtractContext
from kkrdesk.ingest.contracts.extract import contract_kind, extract_contracts, looks_like_contract

__all__ = ["extract_contracts", "looks_like_contract", "store_contract"]


def _raw_lines(ctx: ExtractContext) -> dict[int, str] | None:
    """Original line number → raw text of this document, when the stored original lines up with ctx.lines.

    Only used to split two-column lines (signatures) at the wide gaps the normaliser collapses.
    """
    from kkrdesk.data.texts import original_text  # a part reads its lines from the file's document (#20.2)

    row = ctx.db.conn.execute("SELECT line_start FROM documents WHERE id = ?", (ctx.document_id,)).fetchone()
    row = (original_text(ctx.db.conn, ctx.document_id), row[0]) if row else None
    if not row or not row[0]:
        return None
    raw = row[0].split("\n")
    probe = [x for x in ctx.lines if x.text][:40]
    best: dict[int, str] | None = None
    best_hits = 0
    for first in {1, row[1] or 1}:
        mapping = {first + i: text for i, text in enumerate(raw)}
        hits = sum(1 for x in probe if "".join(mapping.get(x.no, "").split()) == "".join(x.text.split()))
        if hits > best_hits:
            best, best_hits = mapping, hits
    return best


def store_contract(ctx: ExtractContext) -> None:
    """Extract and store every contract/report in the document; warnings go to ctx.warn. Never commits.

    A whole meeting pack is skipped: its contracts are stored from its bilag, which the importer
    hands over one by one, so nothing is stored twice.
    """
    if ctx.kind in ("meeting-pack", "bundle"):
        return
    kind, reading = (ctx.kind, None) if ctx.kind in ("contract", "report") else contract_kind(ctx.lines)
    if kind is None:
        return
    contracts = extract_contracts(ctx.lines, default_year=ctx.year, raw=_raw_lines(ctx), reading=reading)
    if not contracts:
        if ctx.kind in ("contract", "report"):
            first = next((x.no for x in ctx.lines if x.text), None)
            ctx.warn(first, "Ingen mål fundet i kontrakten (ingen overskrifter som 'Mål 1 – Titel')")
        return
    for contract in contracts:
        write_contract(ctx.db, ctx.document_id, contract,
                       pages={x.no: x.page for x in ctx.lines if getattr(x, "page", None)})   # results' pages (#17)
        write_funding(ctx.db, ctx.document_id, contract)
        write_portfolio(ctx.db, ctx.document_id, contract)
        for line, message in contract.warnings:
            ctx.warn(line, message)
