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


class _Read:
    """`kkrdesk.data.contracts.read`, imported on first use: the first window must not pay for it."""

    def __getattr__(self, name: str):
        from kkrdesk.data.contracts import read as module

        return getattr(module, name)


read = _Read()
# One rule for the document that stands for a contract year (an afrapportering wins, it says so):
# `kkrdesk.data.contracts.read`, the same the CLI, the charts and the PDF use (#17).


def contract_years(db: Database) -> list[dict]:
    """Years with goals, newest first: {"year", "goals"}."""
    return [{"year": y, "goals": len(read.year_goal_rows(db, y))} for y in reversed(read.contract_years(db))]


def year_goals(db: Database, year: int) -> list[dict]:
    """The goals of the document that stands for the year, with the number of delmål each."""
    goals = read.year_goal_rows(db, year)
    for g in goals:
        g["indicators"] = db.execute("SELECT COUNT(*) FROM indicators WHERE goal_id = ?", (g["id"],)).fetchone()[0]
    return goals


def goal_indicators(db: Database, goal_id: int) -> list[dict]:
    return fetch_dicts(db, "SELECT id, goal_id, position, label, title, text, line_start FROM indicators "
                     "WHERE goal_id = ? ORDER BY position, id", (goal_id,))


def indicator_goal(db: Database, indicator_id: int) -> int | None:
    rows = fetch_dicts(db, "SELECT goal_id FROM indicators WHERE id = ?", (indicator_id,))
    return rows[0]["goal_id"] if rows else None


def goal_detail(db: Database, goal_id: int) -> dict | None:
    """A goal as the document standing for its year prints it: delmål, targets, results per indicator."""
    rows = fetch_dicts(db, "SELECT g.number, c.year, c.kind FROM goals g JOIN contracts c ON c.id = g.contract_id "
                       "WHERE g.id = ?", (goal_id,))
    if not rows:
        return None
    chosen = read.goal_row(db, rows[0]["year"], rows[0]["number"]) if rows[0]["kind"] == "resultatkontrakt" else None
    if chosen is None:
        chosen = fetch_dicts(db, """
            SELECT g.*, c.year, c.is_report, c.document_id, d.file_name, coalesce(d.title, d.file_name) AS document_name
            FROM goals g JOIN contracts c ON c.id = g.contract_id JOIN documents d ON d.id = c.document_id
            WHERE g.id = ?""", (goal_id,))[0]
        chosen["basis"] = None
    goal = dict(chosen)
    indicators = fetch_dicts(db, "SELECT * FROM indicators WHERE goal_id = ? ORDER BY position", (goal["id"],))
    targets = fetch_dicts(db, "SELECT * FROM targets WHERE goal_id = ? ORDER BY position, id", (goal["id"],))
    apply_corrections(db, "targets", targets)  # the secretariat's corrections; the printed value is kept (#7)
    for ind in indicators:
        ind["targets"] = [t for t in targets if t["indicator_id"] == ind["id"]]
    goal["indicators"] = indicators
    goal["targets"] = [t for t in targets if t["indicator_id"] is None]
    goal["results"] = read.goal_results(db, goal)
    # the extracted outcomes as printed (the page shows `results`: each placed on its target)
    goal["outcomes"] = apply_corrections(db, "outcomes", fetch_dicts(
        db, "SELECT * FROM outcomes WHERE goal_id = ? ORDER BY position, id", (goal["id"],)))
    page_of = PageLookup(db)       # every fact points at its page (#15): "Vis i dokumentet"
    goal["page"] = goal.get("page") or page_of(goal["document_id"], goal["line_start"])   # stored by #13 if known
    for fact in [*targets, *goal["outcomes"]]:
        fact["page"] = fact.get("page") or page_of(goal["document_id"], fact.get("line"))
    return goal


def contract_overview(db: Database) -> tuple[list[dict], list[int]]:
    """Rows per theme with {year: goal} cells, and the years (oldest first)."""
    years = read.contract_years(db)
    rows: dict[str, dict] = {}
    for year in years:
        for goal in read.year_goal_rows(db, year):
            goal_row = next((r for r in read.goal_results(db, goal) if read.is_goal_row(r)), None)
            goal["status"] = goal_row["status"] if goal_row else None     # the one status word (#17)
            key = goal.get("theme") or f"{goal['number']} {goal['title']}"
            row = rows.setdefault(key, {"title": goal["title"], "years": {}})
            row["title"] = goal["title"]      # the newest wording names the row
            row["years"][year] = goal
    return list(rows.values()), years


def diff_years(db: Database) -> tuple[int, int] | None:
    """The two newest contract years, for the page "Ændringer fra … til …"."""
    years = read.contract_years(db)
    return (years[-2], years[-1]) if len(years) >= 2 else None


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
