"""The secretariat's corrections of extracted values (a target, an outcome, a figure).

The extracted row is never changed: it keeps saying what the document prints
(team rule). A correction is a separate row holding the extracted value, the
corrected one, when, who and why (if given) and the source line as printed, so
the read side can show "80 (rettet; dokumentet siger 75)" with its provenance,
and a correction can be withdrawn without re-importing anything.

The latest correction of a row is the one in force; older ones are history.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kkrdesk.data.danish import format_date, format_number, parse_number
from kkrdesk.data.store import Store, StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

CORRECTABLE = ("targets", "outcomes", "figures")
TABLE_LABELS = {"targets": "mål", "outcomes": "resultat", "figures": "nøgletal"}
# Accept the Danish word on the command line too.
TABLE_ALIASES = {
    "target": "targets", "targets": "targets", "maal": "targets", "mål": "targets",
    "outcome": "outcomes", "outcomes": "outcomes", "resultat": "outcomes",
    "figure": "figures", "figures": "figures", "tal": "figures", "nøgletal": "figures",
}


class CorrectionError(StoreError):
    """Bad input to a correction; one line for the user."""


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def table_name(name: str) -> str:
    table = TABLE_ALIASES.get(name.strip().lower())
    if table is None:
        raise CorrectionError(f"kan ikke rette '{name}' (vælg target, outcome eller figure)")
    return table


def parse_value(text: str | float | int) -> float:
    """A number as the secretariat types it: Danish (1.234,5) or plain (1234.5)."""
    if isinstance(text, (int, float)):
        return float(text)
    value = parse_number(text)
    if value is None:
        try:
            value = float(text.strip())
        except ValueError:
            raise CorrectionError(f"'{text}' er ikke et tal") from None
    return float(value)


def _source(db: Database, table: str, row_id: int) -> tuple[float | None, int | None, int | None]:
    """(extracted value, document id, original line) of one extracted row."""
    if table == "figures":
        sql = "SELECT value, document_id, line FROM figures WHERE id = ?"
    else:
        sql = (f"SELECT t.value, c.document_id, t.line FROM {table} t "
               "JOIN goals g ON g.id = t.goal_id JOIN contracts c ON c.id = g.contract_id WHERE t.id = ?")
    row = db.execute(sql, (row_id,)).fetchone()
    if row is None:
        raise CorrectionError(f"ingen {TABLE_LABELS[table]} med id {row_id}")
    return row[0], row[1], row[2]


def source_line_text(db: Database, document_id: int | None, line: int | None) -> str | None:
    """The line as the imported file prints it (documents keep their original text and first line number)."""
    if document_id is None or line is None:
        return None
    from kkrdesk.data.texts import original_text  # a part reads its lines from the file's document (#20.2)

    row = db.execute("SELECT line_start FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        return None
    row = (original_text(db, document_id), row[0])
    lines = row[0].split("\n")
    index = line - row[1]
    return lines[index].strip() if 0 <= index < len(lines) else None


def correct_value(store: Store, table: str, row_id: int, value: str | float | int, *,
                  reason: str | None = None, author: str | None = None) -> int:
    """Record a corrected value for one extracted row; returns the correction's id."""
    store.ensure_writable()
    table = table_name(table)
    corrected = parse_value(value)
    extracted, document_id, line = _source(store.db, table, row_id)
    with store.db.atomic():
        return store.db["corrections"].insert({
            "target_table": table, "row_id": row_id,
            "extracted_value": extracted, "corrected_value": corrected,
            "reason": (reason or "").strip() or None, "author": (author or "").strip() or None,
            "corrected_at": _now(), "document_id": document_id, "line": line,
            "source_text": source_line_text(store.db, document_id, line),
        }).last_pk


def withdraw_correction(store: Store, correction_id: int) -> None:
    """Delete one correction; the previous one (if any) is in force again, else the extracted value."""
    store.ensure_writable()
    with store.db.atomic():
        if store.conn.execute("DELETE FROM corrections WHERE id = ?", (correction_id,)).rowcount == 0:
            raise CorrectionError(f"ingen rettelse med id {correction_id}")


_SELECT = """
    SELECT c.id, c.target_table, c.row_id, c.extracted_value, c.corrected_value, c.reason, c.author,
           c.corrected_at, c.document_id, c.line, c.source_text, d.file_name
    FROM corrections c LEFT JOIN documents d ON d.id = c.document_id
"""


def _dicts(db: Database, sql: str, params: tuple = ()) -> list[dict]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def list_corrections(db: Database, table: str | None = None) -> list[dict]:
    """Every correction, newest first (history included)."""
    if table is None:
        return _dicts(db, _SELECT + " ORDER BY c.corrected_at DESC, c.id DESC")
    return _dicts(db, _SELECT + " WHERE c.target_table = ? ORDER BY c.corrected_at DESC, c.id DESC",
                  (table_name(table),))


def correction_history(db: Database, table: str, row_id: int) -> list[dict]:
    return _dicts(db, _SELECT + " WHERE c.target_table = ? AND c.row_id = ? ORDER BY c.id DESC",
                  (table_name(table), row_id))


def current_corrections(db: Database, table: str) -> dict[int, dict]:
    """{row id: the correction in force} for one table."""
    table = table_name(table)
    rows = _dicts(db, _SELECT + " WHERE c.target_table = ? ORDER BY c.id", (table,))
    return {row["row_id"]: row for row in rows}  # later ids overwrite earlier ones


def apply_corrections(db: Database, table: str, rows: list[dict], id_key: str = "id") -> list[dict]:
    """Show corrected values in place, keeping the original beside them.

    A corrected row gets value = the corrected value, extracted_value = what the
    document prints and correction = the correction (with note); others get
    correction = None. For the charts and views of #3/#4 to call on their rows.
    """
    current = current_corrections(db, table)
    for row in rows:
        correction = current.get(row.get(id_key))
        row["correction"] = None
        if correction is None:
            continue
        row["extracted_value"] = row.get("value")
        row["value"] = correction["corrected_value"]
        row["correction"] = dict(correction, note=correction_note(correction))
    return rows


def corrected_value(db: Database, table: str, row_id: int) -> tuple[float | None, dict | None]:
    """(value in force, correction or None) for one row."""
    rows = apply_corrections(db, table, [{"id": row_id, "value": _source(db, table_name(table), row_id)[0]}])
    return rows[0]["value"], rows[0]["correction"]


def correction_note(correction: dict) -> str:
    """'Rettet til 80 (dokumentet: 75) 23. november 2026 af Sekretariatet: tastefejl · fil.txt, linje 12'."""
    text = (f"Rettet til {format_number(correction['corrected_value'])} "
            f"(dokumentet: {format_number(correction['extracted_value']) or 'intet tal'}) "
            f"{format_date(correction['corrected_at'])}")
    if correction.get("author"):
        text += f" af {correction['author']}"
    if correction.get("reason"):
        text += f": {correction['reason']}"
    source = correction.get("file_name")
    if source:
        text += f" · {source}, linje {correction['line']}" if correction.get("line") else f" · {source}"
    return text
