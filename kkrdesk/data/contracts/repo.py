"""Writing extracted contracts to the store and reading them back as plain dicts.

`list_contracts` returns exactly the structure `kkrdesk goals --json` prints, so
the UI, the CLI and the PDF briefing all show the same thing. Writes happen
inside the importer's transaction: nothing here commits.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kkrdesk.data.access import visibility
from kkrdesk.data.contracts.model import Contract, Target
from kkrdesk.data.corrections import apply_corrections
from kkrdesk.data.queries import fetch_dicts

if TYPE_CHECKING:
    from sqlite_utils import Database

DATASET = "basisbevilling"
DATASET_TITLE = "Basisbevilling til Erhvervshus Nordjylland pr. kommune"
FUNDING_UNIT = "1.000 kr."


def _num(value: float | int | None) -> float | int | None:
    """1200.0 → 1200 so JSON shows what the document printed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _insert(db: Database, table: str, row: dict[str, Any]) -> int:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = db.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid)


def _target_row(goal_id: int, indicator_id: int | None, position: int, t: Target) -> dict[str, Any]:
    return {
        "goal_id": goal_id, "indicator_id": indicator_id, "position": position, "value": t.value,
        "unit": t.unit, "comparator": t.comparator, "year": t.year, "measure": t.measure,
        "fulfilment_level": t.fulfilment_level, "source": t.source, "text": t.text, "line": t.line, "page": t.page,
    }


def write_contract(db: Database, document_id: int, contract: Contract) -> int:
    """Insert one contract with its goals, indicators, targets and outcomes; returns the contract id."""
    contract_id = _insert(db, "contracts", {
        "document_id": document_id, "kind": contract.kind, "is_report": int(contract.is_report),
        "year": contract.year, "title": contract.title, "parties": json.dumps(contract.parties, ensure_ascii=False),
        "framework": contract.framework, "signatories": json.dumps(contract.signatories, ensure_ascii=False),
        "date": contract.date, "in_force_from": contract.in_force_from, "in_force_to": contract.in_force_to,
        "overall_fulfilment_pct": contract.overall_fulfilment_pct, "overall_line": contract.overall_line,
        "line_start": contract.line_start, "line_end": contract.line_end,
    })
    for position, goal in enumerate(contract.goals):
        goal_id = _insert(db, "goals", {
            "contract_id": contract_id, "position": position, "number": goal.number, "title": goal.title,
            "scope": goal.scope, "theme": goal.theme, "description": goal.description, "goal_text": goal.goal_text,
            "method": goal.method,
            "rationale": goal.rationale, "reporting": goal.reporting, "fulfilment_rule": goal.fulfilment_rule, "report_text": goal.report_text,
            "fulfilment_pct": goal.fulfilment_pct, "fulfilment_line": goal.fulfilment_line,
            "overview_title": goal.overview_title, "overview_pct": goal.overview_pct,
            "warnings": json.dumps([{"line": ln, "message": msg} for ln, msg in goal.warnings], ensure_ascii=False),
            "line_start": goal.line_start, "line_end": goal.line_end, "page": goal.page,
        })
        labels: dict[str, int] = {}
        k = 0
        for i_pos, ind in enumerate(goal.indicators):
            ind_id = _insert(db, "indicators", {
                "goal_id": goal_id, "position": i_pos, "label": ind.label, "printed_label": int(ind.printed_label),
                "title": ind.title, "text": ind.text, "line_start": ind.line_start, "line_end": ind.line_end,
                "page": ind.page,
            })
            labels[ind.label] = ind_id
            for t in ind.targets:
                _insert(db, "targets", _target_row(goal_id, ind_id, k, t))
                k += 1
        for t in goal.targets:
            _insert(db, "targets", _target_row(goal_id, None, k, t))
            k += 1
        for o_pos, o in enumerate(goal.outcomes):
            _insert(db, "outcomes", {
                "goal_id": goal_id, "indicator_id": labels.get(o.indicator_label or ""), "position": o_pos,
                "measure": o.measure, "value": o.value, "unit": o.unit, "indicator_label": o.indicator_label,
                "text": o.text, "line": o.line, "page": o.page,
            })
    return contract_id


def write_funding(db: Database, document_id: int, contract: Contract) -> int:
    """The basisbevilling rows as figures of dataset 'basisbevilling'; returns how many were written."""
    if not contract.funding or contract.year is None:
        return 0
    db.conn.execute(
        "INSERT OR IGNORE INTO datasets (name, title, description) VALUES (?, ?, ?)",
        (DATASET, DATASET_TITLE, "Kommunernes finansiering af Erhvervshus Nordjyllands basisbevilling, som trykt i resultatkontrakten"),
    )
    for row in contract.funding:
        found = db.conn.execute("SELECT id FROM municipalities WHERE name = ?", (row.label,)).fetchone()
        _insert(db, "figures", {
            "dataset": DATASET, "label": row.label, "municipality_id": found[0] if found else None,
            "period": str(contract.year), "measure": "", "value": row.value, "unit": FUNDING_UNIT,
            "is_total": int(row.is_total), "flag": contract.funding_flag if row.is_total else None, "raw": row.raw,
            "document_id": document_id, "line": row.line,
        })
    return len(contract.funding)


PORTFOLIO_DATASET = "programportefolje"


def write_portfolio(db: Database, document_id: int, contract: Contract) -> int:
    """The programme portfolio the contract states (mio. kr.) as a figure of dataset 'programportefolje'."""
    row = contract.portfolio
    if row is None or contract.year is None:
        return 0
    db.conn.execute(
        "INSERT OR IGNORE INTO datasets (name, title, description) VALUES (?, ?, ?)",
        (PORTFOLIO_DATASET, "Erhvervshus Nordjyllands programportefølje",
         "Programmer og projekter ud over basisbevillingen, som trykt i resultatkontrakten (mio. kr.)"),
    )
    _insert(db, "figures", {
        "dataset": PORTFOLIO_DATASET, "label": row.label, "municipality_id": None, "period": str(contract.year),
        "measure": "", "value": row.value, "unit": "mio. kr.", "is_total": 0, "flag": None, "raw": row.raw,
        "document_id": document_id, "line": row.line,
    })
    return 1


# ---------------------------------------------------------------- reading

def _source(doc: tuple[int, str], line: int | None, page: int | None = None) -> dict:
    """Provenance: document, page (where the format has pages) and line."""
    out = {"document": doc[1], "document_id": doc[0], "line": line}
    if page is not None:
        out["page"] = page
    return out


def _targets_json(rows: list[dict], doc: tuple[int, str]) -> list[dict]:
    return [
        {
            "id": r["id"], "value": _num(r["value"]), "unit": r["unit"], "comparator": r["comparator"],
            "year": r["year"], "measure": r["measure"], "fulfilment_level": _num(r["fulfilment_level"]),
            "origin": r["source"], "text": r["text"], "source": _source(doc, r["line"], r.get("page")),
            **_correction_json(r),
        }
        for r in rows
    ]


def _correction_json(row: dict) -> dict:
    """The secretariat's correction beside the value (#7): what the document prints, and the note."""
    correction = row.get("correction")
    if not correction:
        return {}
    return {"extracted_value": _num(row.get("extracted_value")), "correction": correction["note"]}


def _goal_json(db: Database, g: dict, doc: tuple[int, str], year: int | None) -> dict:
    targets = fetch_dicts(db, "SELECT * FROM targets WHERE goal_id = ? ORDER BY position", (g["id"],))
    indicators = fetch_dicts(db, "SELECT * FROM indicators WHERE goal_id = ? ORDER BY position", (g["id"],))
    outcomes = fetch_dicts(db, "SELECT * FROM outcomes WHERE goal_id = ? ORDER BY position", (g["id"],))
    apply_corrections(db, "targets", targets)     # a corrected value is shown, the printed one kept beside
    apply_corrections(db, "outcomes", outcomes)
    return {
        "key": f"goal:{year}:{g['number']}",   # as item_links refer to a goal
        "number": g["number"],
        "title": g["title"],
        "scope": g["scope"],
        "theme": g["theme"],
        "description": g["description"],
        "text": g["goal_text"],
        "method": g["method"],
        "rationale": g["rationale"],
        "reporting": g["reporting"],
        "fulfilment_rule": g["fulfilment_rule"] or None,
        "report": g["report_text"] or None,
        "overview_title": g["overview_title"],
        "indicators": [
            {
                "label": i["label"], "printed_label": bool(i["printed_label"]), "title": i["title"], "text": i["text"],
                "targets": _targets_json([t for t in targets if t["indicator_id"] == i["id"]], doc),
                "source": _source(doc, i["line_start"], i.get("page")),
            }
            for i in indicators
        ],
        "targets": _targets_json(targets, doc),
        "outcomes": [
            {
                "id": o["id"], "measure": o["measure"], "value": _num(o["value"]), "unit": o["unit"],
                "indicator": o["indicator_label"], "text": o["text"], "source": _source(doc, o["line"], o.get("page")),
                **_correction_json(o),
            }
            for o in outcomes
        ],
        "fulfilment_pct": _num(g["fulfilment_pct"]),
        "warnings": [w["message"] for w in json.loads(g["warnings"] or "[]")],
        "source": _source(doc, g["line_start"], g.get("page")),
    }


def list_contracts(db: Database, year: int | None = None, public: bool = False) -> list[dict]:
    """All contracts (and reports, framework agreements) with their goals: the `goals --json` structure.

    Public: not those read from a closed item's bilag (access.visibility).
    """
    seen = visibility(db, public)
    sql = (
        "SELECT c.*, d.file_name AS file_name, coalesce(d.title, d.file_name) AS document_name "
        "FROM contracts c JOIN documents d ON d.id = c.document_id"
        + (" WHERE c.year = ?" if year is not None else "")
        + " ORDER BY c.year, c.kind = 'rammeaftale', c.is_report, c.document_id, c.id"
    )
    out: list[dict] = []
    for c in seen.rows_by_document(fetch_dicts(db, sql, (year,) if year is not None else ())):
        goals = fetch_dicts(db, "SELECT * FROM goals WHERE contract_id = ? ORDER BY position", (c["id"],))
        doc = (c["document_id"], c["document_name"])
        out.append({
            "year": c["year"],
            "document": c["document_name"],
            "document_id": c["document_id"],
            "file_name": c["file_name"],
            "title": c["title"],
            "kind": c["kind"],
            "is_report": bool(c["is_report"]),
            "parties": json.loads(c["parties"] or "[]"),
            "framework": c["framework"],
            "signatories": json.loads(c["signatories"] or "[]"),
            "date": c["date"],
            "in_force_from": c["in_force_from"],
            "in_force_to": c["in_force_to"],
            "overall_fulfilment_pct": _num(c["overall_fulfilment_pct"]),
            "source": _source(doc, c["line_start"]),
            "goals": [_goal_json(db, g, doc, c["year"]) for g in goals],
        })
    return out


def goals_by_theme(db: Database, theme: str, *, include_framework: bool = False, public: bool = False) -> list[dict]:
    """The same theme across years, one goal per year (a report wins over its contract, the newest import wins)."""
    seen = visibility(db, public)
    sql = (
        "SELECT g.*, c.year AS year, c.document_id AS document_id, c.is_report AS is_report, c.kind AS kind, "
        "coalesce(d.title, d.file_name) AS document_name "
        "FROM goals g JOIN contracts c ON c.id = g.contract_id JOIN documents d ON d.id = c.document_id "
        "WHERE g.theme = ?"
        + ("" if include_framework else " AND c.kind = 'resultatkontrakt'")
        + " ORDER BY c.year, c.is_report, c.document_id, g.position"
    )
    chosen: dict[int | None, dict] = {}
    for g in seen.rows_by_document(fetch_dicts(db, sql, (theme,))):
        chosen[g["year"]] = g   # later rows (reports, newer documents) replace earlier ones
    out: list[dict] = []
    for year in sorted(chosen, key=lambda y: (y is None, y)):
        g = chosen[year]
        full = _goal_json(db, g, (g["document_id"], g["document_name"]), year)
        results = [o for o in full["outcomes"] if o["measure"] != "målopfyldelse"]
        out.append({
            "year": year,
            "key": full["key"],
            "number": g["number"],
            "title": g["title"],
            "scope": g["scope"],
            "targets": full["targets"],
            "outcome": results[0] if results else None,
            "outcomes": full["outcomes"],
            "fulfilment_pct": full["fulfilment_pct"],
            "is_report": bool(g["is_report"]),
            "source": full["source"],
        })
    return out


def themes(db: Database) -> list[str]:
    """Theme keys present in the store, most years first (for the chart picker)."""
    rows = db.conn.execute(
        "SELECT g.theme, COUNT(DISTINCT c.year) AS n FROM goals g JOIN contracts c ON c.id = g.contract_id "
        "WHERE g.theme IS NOT NULL GROUP BY g.theme ORDER BY n DESC, g.theme"
    ).fetchall()
    return [r[0] for r in rows]
