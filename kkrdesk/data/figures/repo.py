"""Reading and writing the `figures`, `datasets` and `municipalities` tables.

Writers never commit: the importer owns the transaction. Readers return
plain dicts (value as int when whole) for the UI, the PDF and the CLI alike.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kkrdesk.data.access import visibility
from kkrdesk.data.corrections import apply_corrections
from kkrdesk.data.figures.model import FigureRow
from kkrdesk.data.municipalities import MUNICIPALITIES

if TYPE_CHECKING:
    from sqlite_utils import Database

DATASET_TITLES: dict[str, tuple[str, str]] = {
    "sosu-dimensionering": (
        "Lærepladser på SOSU-uddannelserne pr. kommune",
        "Dimensionering af social- og sundhedshjælper- og -assistentuddannelsen fordelt på de 11 kommuner.",
    ),
    "paedagog-dimensionering": (
        "Studiepladser på pædagoguddannelsen (UCN)",
        "KKR Nordjyllands dimensionering af pædagoguddannelsen over årene og fordelingen på specialiseringer.",
    ),
    "komponentanalyse": (
        "Komponentanalysen: det specialiserede voksensocialområde",
        "Udgift, helårspersoner og enhedsudgift pr. paragraf (SEL § 107, § 108, § 85, ABL § 105/85).",
    ),
    "boernehus-nord": (
        "Børnehus Nord: budget og objektiv finansiering",
        "Budget og takster samt kommunernes objektive finansiering efter antal 0-17-årige.",
    ),
    "faellessekretariater": (
        "Fælleskommunale sekretariater: regnskab og budget",
        "Sundhedssekretariatet og Sekretariat for Nordjysk Socialaftale: budget, regnskab, udgifter og indtægter.",
    ),
    "basisbevilling": (
        "Erhvervshusets basisbevilling pr. kommune",
        "Kommunernes finansiering af Erhvervshus Nordjyllands basisbevilling.",
    ),
}


def _all_there(db: Database, table: str, names: list[str]) -> bool:
    """Whether every one of these names has its row already: one query, where seeding them again
    is a statement each for every imported document (#20)."""
    marks = ",".join("?" * len(names))
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE name IN ({marks})", names).fetchone()[0] == len(names)


def ensure_municipalities(db: Database) -> None:
    """Seed the 11 municipalities with their spellings (idempotent)."""
    if _all_there(db, "municipalities", list(MUNICIPALITIES)):
        return
    for name, variants in MUNICIPALITIES.items():
        db.execute(
            "INSERT OR IGNORE INTO municipalities (name, variants) VALUES (?, ?)",
            [name, json.dumps(list(variants), ensure_ascii=False)],
        )


def ensure_datasets(db: Database) -> None:
    """Danish titles of the known datasets (idempotent; an existing title is kept)."""
    if _all_there(db, "datasets", list(DATASET_TITLES)):
        return
    for name, (title, description) in DATASET_TITLES.items():
        db.execute(
            "INSERT OR IGNORE INTO datasets (name, title, description) VALUES (?, ?, ?)",
            [name, title, description],
        )


def municipality_ids(db: Database) -> dict[str, int]:
    return {name: mid for mid, name in db.execute("SELECT id, name FROM municipalities").fetchall()}


def write_rows(db: Database, document_id: int, rows: list[FigureRow]) -> int:
    if not rows:
        return 0
    ids = municipality_ids(db)
    db.conn.executemany(
        "INSERT INTO figures (dataset, grp, label, municipality_id, period, measure, value, unit, "
        "is_total, flag, raw, document_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.dataset, r.grp, r.label, ids.get(r.municipality) if r.municipality else None, r.period,
          r.measure, r.value, r.unit, int(r.is_total), r.flag, r.raw, document_id, r.line) for r in rows],
    )
    return len(rows)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def count_datasets_with_rows(db: Database) -> int:
    """How many datasets have figures, by one index seek per dataset (not a count of every figure),
    so the window's start does not grow with the store (#20.5)."""
    count, name = 0, ""
    while (row := db.execute("SELECT min(dataset) FROM figures WHERE dataset > ?", (name,)).fetchone()) and row[0]:
        count, name = count + 1, row[0]
    return count


def list_datasets(db: Database) -> list[dict]:
    """Every dataset with a title or with rows: name, title, description, rows, documents."""
    sql = """
        WITH names AS (SELECT name FROM datasets UNION SELECT DISTINCT dataset FROM figures)
        SELECT n.name, d.title, d.description,
               (SELECT count(*) FROM figures f WHERE f.dataset = n.name) AS rows,
               (SELECT count(DISTINCT document_id) FROM figures f WHERE f.dataset = n.name) AS documents
        FROM names n LEFT JOIN datasets d ON d.name = n.name
        ORDER BY n.name
    """
    out = []
    for name, title, description, rows, documents in db.execute(sql).fetchall():
        out.append({"name": name, "title": title or name, "description": description,
                    "rows": rows, "documents": documents})
    return out


def dataset_title(db: Database, name: str) -> str:
    row = db.execute("SELECT title FROM datasets WHERE name = ?", [name]).fetchone()
    return row[0] if row else name


def dataset_rows(db: Database, name: str, public: bool = False) -> list[dict]:
    """The rows of one dataset in print order, each with its source document and line.

    Public: rows read from a closed item's bilag are left out (access.visibility).
    """
    sql = """
        SELECT f.id, f.dataset, f.grp, f.label, m.name, f.period, f.measure, f.value, f.unit, f.is_total,
               f.flag, f.raw, f.document_id, coalesce(d.title, d.file_name), d.file_name, f.line
        FROM figures f
        LEFT JOIN documents d ON d.id = f.document_id
        LEFT JOIN municipalities m ON m.id = f.municipality_id
        WHERE f.dataset = ?
        ORDER BY f.document_id, f.id
    """
    keys = ("id", "dataset", "group", "label", "municipality", "period", "measure", "value", "unit", "is_total",
            "flag", "raw", "document_id", "document", "file_name", "line")
    rows = []
    for values in db.execute(sql, [name]).fetchall():
        row = dict(zip(keys, values, strict=True))
        row["value"] = _plain(row["value"])
        row["is_total"] = bool(row["is_total"])
        rows.append(row)
    rows = visibility(db, public).rows_by_document(rows)
    return apply_corrections(db, "figures", rows)   # corrected values in place, the printed one beside (#7)
