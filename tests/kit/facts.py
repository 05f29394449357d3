"""Golden facts of an imported file, read the way the user reads them: `goals --json` and `figures --json`.

A fact is a small tuple (goal number and title, its scope, a delmål label, a target, an outcome,
a basisbevilling row), so two imports of the same contract in different layouts compare as sets.
"""

from __future__ import annotations

from pathlib import Path


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def contract_facts(contract: dict) -> set[tuple]:
    facts: set[tuple] = set()
    for g in contract["goals"]:
        n = g["number"]
        facts.add(("mål", n, _norm(g["title"])))
        facts.add(("scope", n, g["scope"]))
        for i in g["indicators"]:
            if i["printed_label"]:
                facts.add(("delmål", n, i["label"]))
        for t in g["targets"]:
            facts.add(("target", n, t["value"], t["unit"], t["comparator"], t["year"]))
        for o in g["outcomes"]:
            facts.add(("outcome", n, o["measure"], o["value"], o["unit"]))
        if g["fulfilment_pct"] is not None:
            facts.add(("målopfyldelse", n, g["fulfilment_pct"]))
    return facts


def funding_facts(rows: list[dict], document_id: int) -> set[tuple]:
    return {("basisbevilling", r["municipality"] or r["label"], r["value"], r["is_total"])
            for r in rows if r["document_id"] == document_id}


def store_facts(store, year: int, is_report: bool) -> set[tuple]:
    """The facts of the store's first contract for `year` (report or not), as `goals`/`figures --json` give them."""
    from kkrdesk.data.contracts import list_contracts
    from kkrdesk.data.figures import dataset_rows

    contracts = [c for c in list_contracts(store.db, year) if c["is_report"] == is_report]
    if not contracts:
        return set()
    contract = contracts[0]
    return contract_facts(contract) | funding_facts(dataset_rows(store.db, "basisbevilling"), contract["document_id"])


def import_facts(path: Path, year: int, is_report: bool, kind: str = "auto") -> tuple[set[tuple], dict]:
    """Import one file into a fresh store; the facts of its contract for `year` (report or not)."""
    from kkrdesk.data.contracts import list_contracts
    from kkrdesk.data.store import open_store
    from kkrdesk.ingest.importer import import_file

    store = open_store(None)
    try:
        result = import_file(store, path, kind=kind)
        facts = store_facts(store, year, is_report)
        info = {"kind": result.kind, "parts": result.parts, "contracts": len(list_contracts(store.db)),
                "meetings": len(result.meeting_ids)}
        return facts, info
    finally:
        store.close()
