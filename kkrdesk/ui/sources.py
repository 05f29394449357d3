"""What the window reads about contracts and figures, shaped for its views.

The domain readers (`contracts.repo`, `figures`, `corrections`) are used where
they fit; the rest are small queries over the documented schema, merged the
way a board member reads a goal (a contract and its report as one goal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kkrdesk.data import figures
from kkrdesk.data.corrections import apply_corrections
from kkrdesk.data.originals import PageLookup
from kkrdesk.data.queries import fetch_dicts

if TYPE_CHECKING:
    from sqlite_utils import Database

# --- contracts ---------------------------------------------------------------------------------


def contract_years(db: Database) -> list[dict]:
    """Years with goals, newest first: {"year", "goals"}."""
    return fetch_dicts(db, """
        SELECT c.year AS year, COUNT(DISTINCT g.number) AS goals
        FROM contracts c JOIN goals g ON g.contract_id = c.id
        WHERE c.year IS NOT NULL AND c.kind = 'resultatkontrakt' GROUP BY c.year ORDER BY c.year DESC
    """)


def _goal_rank(goal: dict) -> tuple:
    # Prefer the row that carries the reported fulfilment, then the earliest.
    return (goal.get("fulfilment_pct") is None, goal["contract_id"], goal["position"])


def year_goals(db: Database, year: int) -> list[dict]:
    """One row per goal number in a year (a contract and its report print the same goal twice)."""
    rows = fetch_dicts(db, """
        SELECT g.id, g.contract_id, g.position, g.number, g.title, g.theme, g.fulfilment_pct,
               (SELECT COUNT(*) FROM indicators i WHERE i.goal_id = g.id) AS indicators
        FROM goals g JOIN contracts c ON c.id = g.contract_id
        WHERE c.year = ? AND c.kind = 'resultatkontrakt'
        ORDER BY g.position, g.id
    """, (year,))
    best: dict[str, dict] = {}
    order: list[str] = []
    for row in rows:
        number = row["number"]
        if number not in best:
            order.append(number)
            best[number] = row
        elif _goal_rank(row) < _goal_rank(best[number]):
            best[number] = row
    return [best[n] for n in order]


def goal_indicators(db: Database, goal_id: int) -> list[dict]:
    return fetch_dicts(db, "SELECT id, goal_id, position, label, title, text, line_start FROM indicators "
                     "WHERE goal_id = ? ORDER BY position, id", (goal_id,))


def indicator_goal(db: Database, indicator_id: int) -> int | None:
    rows = fetch_dicts(db, "SELECT goal_id FROM indicators WHERE id = ?", (indicator_id,))
    return rows[0]["goal_id"] if rows else None


def goal_detail(db: Database, goal_id: int) -> dict | None:
    """A goal with its delmål, targets and outcomes, merged over the contract and its report."""
    rows = fetch_dicts(db, """
        SELECT g.*, c.year, c.kind, c.is_report, d.file_name, c.document_id FROM goals g
        JOIN contracts c ON c.id = g.contract_id
        JOIN documents d ON d.id = c.document_id WHERE g.id = ?
    """, (goal_id,))
    if not rows:
        return None
    goal = rows[0]
    siblings = fetch_dicts(db, """
        SELECT g.* FROM goals g JOIN contracts c ON c.id = g.contract_id
        WHERE c.year IS ? AND g.number = ? AND c.kind = ? ORDER BY c.is_report DESC, g.id
    """, (goal["year"], goal["number"], goal.get("kind") or "resultatkontrakt"))
    ids = [s["id"] for s in siblings] or [goal_id]
    for sibling in siblings:
        for key in ("description", "method", "rationale", "reporting", "fulfilment_rule", "fulfilment_pct",
                    "scope", "theme"):
            if goal.get(key) in (None, "") and sibling.get(key) not in (None, ""):
                goal[key] = sibling[key]
    marks = ",".join("?" * len(ids))
    indicators = fetch_dicts(db, f"SELECT * FROM indicators WHERE goal_id IN ({marks}) ORDER BY goal_id, position",
                       tuple(ids))
    targets = fetch_dicts(db, f"SELECT * FROM targets WHERE goal_id IN ({marks}) ORDER BY goal_id, position, id", tuple(ids))
    apply_corrections(db, "targets", targets)  # the secretariat's corrections; the printed value is kept (#7)
    seen: dict[str, dict] = {}
    for ind in indicators:
        ind["targets"] = [t for t in targets if t["indicator_id"] == ind["id"]]
        if ind["label"] in seen:       # the report restates a contract's delmål: keep one, all targets
            seen[ind["label"]]["targets"].extend(ind["targets"])
            continue
        seen[ind["label"]] = ind
    goal["indicators"] = list(seen.values())
    goal["targets"] = [t for t in targets if t["indicator_id"] is None]
    goal["outcomes"] = fetch_dicts(db, f"SELECT * FROM outcomes WHERE goal_id IN ({marks}) ORDER BY goal_id, position, id", tuple(ids))
    apply_corrections(db, "outcomes", goal["outcomes"])
    page_of = PageLookup(db)       # every fact points at its page (#15): "Vis i dokumentet"
    goal["page"] = goal.get("page") or page_of(goal["document_id"], goal["line_start"])   # stored by #13 if known
    documents = dict(db.execute(  # the contract or the report a fact was read from
        f"SELECT g.id, c.document_id FROM goals g JOIN contracts c ON c.id = g.contract_id WHERE g.id IN ({marks})",
        tuple(ids)).fetchall())
    for fact in [*targets, *goal["outcomes"]]:
        fact["page"] = fact.get("page") or page_of(documents.get(fact.get("goal_id")), fact.get("line"))
    return goal


def contract_overview(db: Database) -> tuple[list[dict], list[int]]:
    """Rows per theme with {year: goal} cells, and the years (oldest first)."""
    years = sorted(r["year"] for r in contract_years(db))
    rows: dict[str, dict] = {}
    for year in years:
        for goal in year_goals(db, year):
            key = goal.get("theme") or f"{goal['number']} {goal['title']}"
            row = rows.setdefault(key, {"title": goal["title"], "years": {}})
            row["title"] = goal["title"]      # the newest wording names the row
            row["years"][year] = goal
    return list(rows.values()), years


# --- figures -----------------------------------------------------------------------------------


def datasets(db: Database) -> list[dict]:
    """Datasets that have figures in this store."""
    return [d for d in figures.list_datasets(db) if d.get("rows")]


def dataset_rows(db: Database, name: str) -> list[dict]:
    return list(figures.dataset_rows(db, name))


def table_datasets(db: Database, document_id: int | None) -> dict[int, tuple[str, str]]:
    """{original line: (dataset name, title)} for the nøgletal read from a document's lines (#15)."""
    if document_id is None:
        return {}
    rows = db.execute(
        "SELECT f.line, f.dataset, coalesce(d.title, f.dataset) FROM figures f "
        "LEFT JOIN datasets d ON d.name = f.dataset WHERE f.document_id = ? AND f.line IS NOT NULL "
        "ORDER BY f.id", (document_id,)).fetchall()
    found: dict[int, tuple[str, str]] = {}
    for line, name, title in rows:
        found.setdefault(line, (name, title))
    return found
