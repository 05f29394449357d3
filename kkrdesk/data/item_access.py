"""Which documents hold a closed agenda item's content, for the lock beside a search hit.

A closed item's text lives in its own document (a part of the dagsorden, see
ingest/agenda_store.py) and in its bilag's documents; their parts count too.
A document that an open item also uses stays open (the same file attached twice).
The file such a part came from (the dagsorden, the bilag pack) lists the closed
item's title in its contents, so its own sections carry the lock as well.
"""

from __future__ import annotations

from sqlite_utils import Database

_ITEM_DOCUMENTS = """
    SELECT a.document_id AS id, a.access FROM agenda_items a JOIN documents d ON d.id = a.document_id
    WHERE d.kind = 'agenda-item'
    UNION ALL
    SELECT b.document_id, a.access FROM bilag b JOIN agenda_items a ON a.id = b.agenda_item_id
    WHERE b.document_id IS NOT NULL
"""


def closed_document_ids(db: Database) -> set[int]:
    """Ids of documents (and their parts) that only closed items use, plus the files they came from."""
    closed = {row[0] for row in db.execute(f"""
        WITH RECURSIVE used(id, access) AS ({_ITEM_DOCUMENTS}
            UNION SELECT d.id, used.access FROM documents d JOIN used ON d.parent_id = used.id)
        SELECT id FROM used GROUP BY id HAVING MIN(access = 'lukket') = 1
    """).fetchall()}
    if not closed:
        return closed
    marks = ",".join("?" * len(closed))
    parents = {row[0] for row in db.execute(
        f"SELECT DISTINCT parent_id FROM documents WHERE id IN ({marks}) AND parent_id IS NOT NULL",
        list(closed)).fetchall()}
    return closed | parents
