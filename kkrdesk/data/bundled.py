"""The store that ships with the app, built on first start from resources/corpus.

It is rebuilt into a temporary file and renamed into place, so a crash during
the first start never leaves a half-built store. When a newer app brings other
bundle files, the old bundle documents are replaced; the user's own imports stay.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kkrdesk.data import search_index
from kkrdesk.data.store import Store, open_store
from kkrdesk.ingest.importer import file_sha256, import_file
from kkrdesk.paths import corpus_dir, default_store_path

BUNDLE_KEY = "bundle_fingerprint"


def bundle_files(directory: Path | None = None) -> list[Path]:
    directory = directory or corpus_dir()
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in (".txt", ".md", ".pdf", ".docx"))


def bundle_fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + file_sha256(path).encode())
    return digest.hexdigest()


def _get_meta(store: Store, key: str) -> str | None:
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def load_bundle(store: Store, files: list[Path]) -> None:
    """Import the bundle files (idempotent), drop bundle documents no longer shipped, record the fingerprint."""
    keep = {file_sha256(p) for p in files}
    with store.db.atomic():
        stale = [row[0] for row in store.conn.execute(
            "SELECT id FROM documents WHERE parent_id IS NULL AND origin = 'bundle'") if row]
        for doc_id in stale:
            sha = store.conn.execute("SELECT sha256 FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
            if sha not in keep:
                store.conn.execute("DELETE FROM meetings WHERE document_id = ?", (doc_id,))
                store.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    for path in files:
        result = import_file(store, path)
        store.conn.execute("UPDATE documents SET origin = 'bundle' WHERE id = ? OR parent_id = ?",
                           (result.document_id, result.document_id))
    store.db["meta"].upsert({"key": BUNDLE_KEY, "value": bundle_fingerprint(files)}, pk="key")
    search_index.catch_up(store.conn)


def build_bundled_store(target: Path, files: list[Path] | None = None) -> None:
    """Build a fresh bundled store at target via a temp file + rename."""
    files = files if files is not None else bundle_files()
    tmp = target.with_name(target.name + ".building")
    for leftover in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        leftover.unlink(missing_ok=True)
    store = open_store(tmp)
    try:
        load_bundle(store, files)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        store.close()
    os.replace(tmp, target)


def ensure_default_store(path: Path | None = None) -> Path:
    """The default store, built on first start and refreshed when the bundle changes."""
    path = path or default_store_path()
    files = bundle_files()
    if not path.exists():
        build_bundled_store(path, files)
        return path
    store = open_store(path)
    try:
        if _get_meta(store, BUNDLE_KEY) != bundle_fingerprint(files):
            load_bundle(store, files)
    finally:
        store.close()
    return path
