"""What the window reads about contracts and figures, degrading to empty when a domain is missing.

Contracts (#3) and figures (#4) grow alongside the window. The window must
still open when one of them is absent or its tables are empty, so every
reader here returns an empty list instead of raising. Where the domain module
offers a reader it is used; otherwise the documented schema is read directly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database


def _rows(db: Database, sql: str, params: tuple = ()) -> list[dict]:
    try:
        cursor = db.execute(sql, params)
    except sqlite3.Error:
        return []
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        mod = __import__(module, fromlist=[name])
    except ImportError:
        return None
    return getattr(mod, name, None)


# --- contracts ---------------------------------------------------------------------------------


def contract_years(db: Database) -> list[dict]:
    """Years with goals, newest first: {"year", "goals"}."""
    return _rows(db, """
        SELECT c.year AS year, COUNT(DISTINCT g.number) AS goals
        FROM contracts c JOIN goals g ON g.contract_id = c.id
        WHERE c.year IS NOT NULL AND c.kind = 'resultatkontrakt' GROUP BY c.year ORDER BY c.year DESC
    """)


def _goal_rank(goal: dict) -> tuple:
    # Prefer the row that carries the reported fulfilment, then the earliest.
    return (goal.get("fulfilment_pct") is None, goal["contract_id"], goal["position"])


def year_goals(db: Database, year: int) -> list[dict]:
    """One row per goal number in a year (a contract and its report print the same goal twice)."""
    rows = _rows(db, """
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
    return _rows(db, "SELECT id, goal_id, position, label, title, text, line_start FROM indicators "
                     "WHERE goal_id = ? ORDER BY position, id", (goal_id,))


def indicator_goal(db: Database, indicator_id: int) -> int | None:
    rows = _rows(db, "SELECT goal_id FROM indicators WHERE id = ?", (indicator_id,))
    return rows[0]["goal_id"] if rows else None


def goal_detail(db: Database, goal_id: int) -> dict | None:
    """A goal with its delmål, targets and outcomes, merged over the contract and its report."""
    rows = _rows(db, """
        SELECT g.*, c.year, c.kind, c.is_report, d.file_name FROM goals g JOIN contracts c ON c.id = g.contract_id
        JOIN documents d ON d.id = c.document_id WHERE g.id = ?
    """, (goal_id,))
    if not rows:
        return None
    goal = rows[0]
    siblings = _rows(db, """
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
    indicators = _rows(db, f"SELECT * FROM indicators WHERE goal_id IN ({marks}) ORDER BY goal_id, position",
                       tuple(ids))
    targets = _rows(db, f"SELECT * FROM targets WHERE goal_id IN ({marks}) ORDER BY goal_id, position, id", tuple(ids))
    apply_corrections = _optional("kkrdesk.data.corrections", "apply_corrections")
    if apply_corrections:  # the secretariat's corrections in place; the printed value is kept beside (#7)
        apply_corrections(db, "targets", targets)
    seen: dict[str, dict] = {}
    for ind in indicators:
        ind["targets"] = [t for t in targets if t["indicator_id"] == ind["id"]]
        if ind["label"] in seen:       # the report restates a contract's delmål: keep one, all targets
            seen[ind["label"]]["targets"].extend(ind["targets"])
            continue
        seen[ind["label"]] = ind
    goal["indicators"] = list(seen.values())
    goal["targets"] = [t for t in targets if t["indicator_id"] is None]
    goal["outcomes"] = _rows(db, f"SELECT * FROM outcomes WHERE goal_id IN ({marks}) ORDER BY goal_id, position, id", tuple(ids))
    if apply_corrections:
        apply_corrections(db, "outcomes", goal["outcomes"])
    return goal


def theme_points(db: Database, theme: str | None) -> list[dict]:
    """Fulfilment of one theme across contract years, as time-series points."""
    if not theme:
        return []
    by_theme = _optional("kkrdesk.data.contracts.repo", "goals_by_theme")
    rows: list[dict] = []
    if by_theme is not None:
        try:
            rows = [dict(r) for r in by_theme(db, theme)]
        except Exception:  # a half-written domain function must not break the window
            rows = []
    if not rows:
        rows = _rows(db, """
            SELECT c.year, g.number, g.title, g.fulfilment_pct FROM goals g
            JOIN contracts c ON c.id = g.contract_id WHERE g.theme = ? AND c.kind = 'resultatkontrakt'
            ORDER BY c.year
        """, (theme,))
    points: dict[int, dict] = {}
    for row in rows:
        year, pct = row.get("year"), row.get("fulfilment_pct")
        if year is None or pct is None:
            continue
        points[year] = {"period": str(year), "value": pct, "series": "Målopfyldelse (%)"}
    return [points[y] for y in sorted(points)]


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
    reader = _optional("kkrdesk.data.figures", "list_datasets")
    if reader is None:
        return []
    try:
        return [d for d in reader(db) if d.get("rows")]
    except sqlite3.Error:
        return []


def dataset_rows(db: Database, name: str) -> list[dict]:
    reader = _optional("kkrdesk.data.figures", "dataset_rows")
    if reader is None:
        return []
    try:
        return list(reader(db, name))
    except sqlite3.Error:
        return []


def dataset_title(db: Database, name: str) -> str:
    for d in datasets(db):
        if d["name"] == name:
            return d["title"]
    return name
