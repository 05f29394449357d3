"""The guard's time and memory limits on a reader (#16, point 5), and two add-item loops at once (point 4)."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from kkrdesk.ingest import guard
from kkrdesk.ingest.readers import ImportProblem


def _sleeps(_path):
    time.sleep(60)
    return "aldrig"


def _eats_memory(_path):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def _recurses(path):
    return _recurses(path)


def test_a_reader_that_hangs_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("KKRDESK_PARSE_SECONDS", "1")
    path = tmp_path / "haenger.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    start = time.monotonic()
    with pytest.raises(ImportProblem, match="for lang tid"):
        guard.run_reader(path, _sleeps)
    assert time.monotonic() - start < 10


def test_a_reader_that_eats_memory_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("KKRDESK_PARSE_MEMORY_MB", "256")
    path = tmp_path / "sluger.docx"
    path.write_bytes(b"PK")
    with pytest.raises(ImportProblem, match="hukommelse") as caught:
        guard.run_reader(path, _eats_memory)
    assert str(caught.value).startswith("sluger.docx: ")


def test_a_reader_crash_is_one_line(tmp_path):
    path = tmp_path / "dyb.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ImportProblem, match="indlejret"):
        guard.run_reader(path, _recurses)


def test_text_comes_back_whole(tmp_path):
    path = tmp_path / "stor.txt"
    text = "Pædagoger og samarbejde\n" * 200_000
    path.write_text(text, encoding="utf-8")
    assert guard.run_reader(path, lambda p: p.read_text(encoding="utf-8")) == text


def _add_items(db: str, meeting_id: int, prefix: str) -> None:
    from kkrdesk.data import meetings
    from kkrdesk.data.store import open_store

    store = open_store(db)
    for n in range(25):
        store.db.conn.execute("SELECT 1")
        meetings.add_item(store, meeting_id, f"{prefix}{n}", f"Punkt {prefix}{n}")
    store.close()
    os._exit(0)


def test_two_add_item_loops_at_once_lose_nothing(tmp_path):
    from kkrdesk.data import meetings
    from kkrdesk.data.store import open_store

    db = tmp_path / "lager.sqlite"
    store = open_store(db)
    meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
    store.close()
    fork = multiprocessing.get_context("fork")
    procs = [fork.Process(target=_add_items, args=(str(db), meeting_id, prefix)) for prefix in ("a", "b")]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    store = open_store(db)
    try:
        rows = store.conn.execute("SELECT number, position FROM agenda_items WHERE meeting_id = ?",
                                  (meeting_id,)).fetchall()
    finally:
        store.close()
    assert len(rows) == 50
    assert sorted(position for _n, position in rows) == list(range(50))


def test_a_text_file_is_read_without_a_fork_and_a_pdf_with_one(tmp_path, monkeypatch):
    """A text file is decoded in the process (linear, within the size cap: nothing to limit, #20.3);
    a PDF or Word file is still parsed in a forked child under the limits."""
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    text = tmp_path / "notat.txt"
    text.write_text("Budget 2021\n\nAalborg Kommune drøfter budgettet.\n", encoding="utf-8")
    assert "Aalborg Kommune" in guard.read_guarded(text, blocks=False).text
    assert forks == []
    bad = tmp_path / "notat.pdf"
    bad.write_bytes(b"%PDF-1.4\n%broken")
    with pytest.raises(ImportProblem):
        guard.read_guarded(bad)
    assert forks == [1]
