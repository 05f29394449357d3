"""Many files at once (#20.3): the next file prepared in a worker process while this one is written.

The batch must give the store that importing the files one by one gives, say the same thing about
each file in the same order, and survive its worker dying.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from kkrdesk.data import search_index
from kkrdesk.data.store import open_store
from kkrdesk.ingest import batch
from kkrdesk.ingest.importer import ImportResult, import_file
from kkrdesk.ingest.readers import ImportProblem
from tests.conftest import BUNDLE_2024, CONTRACT_2019, MEETING_PACK, REPORT_2022
from tests.kit.spec import spec
from tests.kit.story import LAYOUTS
from tests.kit.write_docx import write_docx
from tests.kit.write_pdf import write_pdf

_TIMESTAMPS = {"imported_at", "created_at", "kept_at"}


def _files(tmp_path):
    """Text, Word and PDF, a dagsorden-less pack, a bad file and one file twice."""
    bad = tmp_path / "tom.txt"
    bad.write_text("   \n\n", encoding="utf-8")
    docx = write_docx(spec("resultatkontrakt-2019.txt"), LAYOUTS[1], tmp_path / "kontrakt.docx")
    pdf = write_pdf(spec("afrapportering-resultatkontrakt-2022.txt"), LAYOUTS[2], tmp_path / "afrapportering.pdf")
    return [CONTRACT_2019, MEETING_PACK, bad, docx, REPORT_2022, pdf, BUNDLE_2024, CONTRACT_2019]


def _said(result) -> tuple:
    if isinstance(result, ImportProblem):
        return ("problem", str(result))
    return ("ok", result.path.name, result.document_id, result.skipped, result.kind, result.parts,
            result.meeting_ids, result.warnings)


def _content(path) -> dict[str, list]:
    """Every table's rows (without timestamps; theme tags as a set: a set's order differs by process)."""
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'sections_fts%'")]
    content = {}
    for table in tables:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in _TIMESTAMPS]
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        content[table] = sorted(rows, key=repr) if table == "theme_tags" else rows
    conn.close()
    return content


def _one_by_one(store, files):
    said = []
    for path in files:
        try:
            said.append(import_file(store, path))
        except ImportProblem as exc:
            said.append(exc)
    search_index.catch_up(store.conn)          # as every batch ends (the batch's own: from what it tokenised)
    return said


@pytest.mark.parametrize("forced", [None, batch.NOTHING, batch.SECTIONS_AND_WORDS])
def test_a_batch_gives_the_store_and_the_messages_of_one_by_one(tmp_path, monkeypatch, forced):
    """Whoever makes the sections' rows and words (the worker or the writer: `forced`, or as the
    batch decides), the store and the messages are those of importing the files one by one."""
    if forced is not None:
        real = batch._prepare
        monkeypatch.setattr(batch, "_prepare", lambda path, kind, *share: real(path, kind, forced))
    files = _files(tmp_path)
    single = open_store(tmp_path / "en-ad-gangen.sqlite")
    expected = [_said(r) for r in _one_by_one(single, files)]
    single.close()
    assert batch._can_use_worker(len(files))          # the worker is really used here
    batched = open_store(tmp_path / "samlet.sqlite")
    got = [_said(r) for r in batch.import_files(batched, files)]
    batched.close()
    assert got == expected
    assert [g[0] for g in got].count("problem") == 1 and got[-1][3] is True   # the empty file; the file again
    assert _content(tmp_path / "samlet.sqlite") == _content(tmp_path / "en-ad-gangen.sqlite")


def test_a_batch_goes_on_one_by_one_when_its_worker_dies(tmp_path, monkeypatch):
    files = [CONTRACT_2019, MEETING_PACK, REPORT_2022]
    real = batch._prepare

    def dies_on_the_pack(path, kind, *share):
        if path.endswith(MEETING_PACK.name):
            os._exit(3)                 # as when the system kills it for memory
        return real(path, kind, *share)

    monkeypatch.setattr(batch, "_prepare", dies_on_the_pack)    # the forked worker runs this
    store = open_store(tmp_path / "lager.sqlite")
    results = list(batch.import_files(store, files))
    assert all(isinstance(r, ImportResult) and not r.skipped for r in results), results
    assert [r.path for r in results] == files
    assert store.conn.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] >= 1
    store.close()


def test_a_folder_imported_again_is_not_read_again(tmp_path, monkeypatch):
    store = open_store(tmp_path / "lager.sqlite")
    first = list(batch.import_files(store, [CONTRACT_2019, REPORT_2022]))
    monkeypatch.setattr(batch, "_prepare", lambda path, kind, *share: ("error", "skulle ikke læses"))
    again = list(batch.import_files(store, [CONTRACT_2019, REPORT_2022]))
    assert [r.skipped for r in again] == [True, True]
    assert [r.document_id for r in again] == [r.document_id for r in first]
    store.close()


def test_the_writer_indexes_for_the_search_while_it_waits_and_ranks_as_fts5(tmp_path, monkeypatch):
    """When the next file is not ready, the writer indexes what it has written (a segment each time);
    the search then ranks exactly as FTS5 does, and the batch's files all arrive."""
    from tests.test_search_index import _assert_same

    real = batch._prepare

    def slow(path, kind, *share):
        import time

        time.sleep(0.3)               # the writer is always ahead: it waits for each file
        return real(path, kind, *share)

    monkeypatch.setattr(batch, "_prepare", slow)
    monkeypatch.setattr(batch, "IDLE_INDEX_TOKENS", 1)
    store = open_store(tmp_path / "lager.sqlite")
    files = [CONTRACT_2019, MEETING_PACK, REPORT_2022, BUNDLE_2024]
    results = list(batch.import_files(store, files))
    assert [r.path for r in results] == files and not any(r.skipped for r in results)
    assert store.conn.execute("SELECT COUNT(*) FROM search_segments").fetchone()[0] >= 3
    assert search_index.current(store.conn) and search_index.pending(store.conn) == 0
    for query in ("budget", "kommun", "erhvervshus", '"grøn omstilling"', "2021"):
        _assert_same(store.conn, query, 10)
    store.close()


def test_the_words_a_worker_numbers_are_the_search_tokens_of_each_section_written(tmp_path):
    """The worker numbers each section's words in a vocabulary that grows through the batch; told the
    new terms of each file in order, the writer reads back exactly the search's tokens of what it stored."""
    from array import array

    from kkrdesk.data.search_numbering import WordNumbering, WorkerTerms
    from kkrdesk.data.section_text import unpack_body
    from kkrdesk.ingest.importer import prepare_file, write_prepared

    store = open_store(tmp_path / "lager.sqlite")
    numbering, terms, heard = WordNumbering(), WorkerTerms(), []
    for path in (CONTRACT_2019, MEETING_PACK, BUNDLE_2024):
        prepared = prepare_file(path, numbering=numbering)
        assert prepared.words is not None and prepared.words.new_terms
        write_prepared(store, prepared, lambda sections, words: heard.append((sections, words)))
    assert len(heard) == 3
    for sections, words in heard:
        assert terms.hear(words)
        numbers, counts = iter(array("I", words.numbers)), iter(array("I", words.counts))
        for sid, body, title in sections:
            stored_body, stored_title = store.conn.execute(
                "SELECT body, title FROM sections WHERE id = ?", (sid,)).fetchone()
            assert (body, title) == (stored_body, stored_title)
            for text in (unpack_body(stored_body), stored_title):
                got = [terms.terms[next(numbers)] for _ in range(next(counts))]
                assert got == search_index.tokens(text)
        assert next(numbers, None) is None and next(counts, None) is None
    assert len(terms.terms) == len(set(terms.terms))      # a term is numbered once in a batch
    store.close()


def _numbered_adds(monkeypatch) -> list[bool]:
    """What each of the writer's `add_numbered` calls answered, in order."""
    added: list[bool] = []
    real = search_index.BatchIndexer.add_numbered

    def counted(self, *args):
        added.append(real(self, *args))
        return added[-1]

    monkeypatch.setattr(search_index.BatchIndexer, "add_numbered", counted)
    return added


def test_a_file_whose_words_never_arrive_leaves_the_rest_to_the_stored_text(tmp_path, monkeypatch):
    """A file the worker numbered but the writer never heard of (its result did not travel) takes its
    new terms with it; every later file's words are then read from the stored text, and the search
    still ranks as FTS5 does. A file that fails in the worker takes back its terms itself."""
    from kkrdesk.data.search_numbering import WordNumbering
    from tests.test_search_index import _assert_same

    numbering = WordNumbering()
    numbering.start()
    numbering.add("Grøn omstilling i kommunerne", "Budget")
    numbering.rollback()
    numbering.start()
    numbering.add("kommunerne", "")
    assert numbering.finish().new_terms == ["kommunerne"]       # the rolled-back terms were forgotten

    real = batch._prepare

    def loses_the_pack(path, kind, *share):      # runs in the worker
        outcome = real(path, kind, batch.SECTIONS_AND_WORDS)
        if path.endswith(MEETING_PACK.name):
            return "error", "kom ikke frem"        # numbered, never heard of: the writer imports it itself
        return outcome

    monkeypatch.setattr(batch, "_prepare", loses_the_pack)
    added = _numbered_adds(monkeypatch)
    store = open_store(tmp_path / "lager.sqlite")
    files = [CONTRACT_2019, REPORT_2022, MEETING_PACK, BUNDLE_2024]
    results = list(batch.import_files(store, files))
    assert [r.path for r in results] == files and not any(r.skipped for r in results)
    assert added == [True, False]          # the report's words as numbers; the bundle's from its text
    assert search_index.current(store.conn) and search_index.pending(store.conn) == 0
    for query in ("budget", "kommun", "erhvervshus", '"grøn omstilling"', "2021"):
        _assert_same(store.conn, query, 10)
    store.close()


def test_a_batch_left_early_stops_its_worker_and_leaves_no_files(tmp_path, monkeypatch):
    import multiprocessing
    from pathlib import Path

    from kkrdesk.ingest import batch_worker

    folders = []
    real = batch_worker.tempfile.mkdtemp

    def remembered(**kwargs):
        folders.append(real(**kwargs))
        return folders[-1]

    monkeypatch.setattr(batch_worker.tempfile, "mkdtemp", remembered)
    store = open_store(tmp_path / "lager.sqlite")
    results = batch.import_files(store, [CONTRACT_2019, MEETING_PACK, REPORT_2022, BUNDLE_2024])
    first = next(results)
    assert isinstance(first, ImportResult) and first.path == CONTRACT_2019
    results.close()                      # as when the user stops an import after its first file
    assert folders and not Path(folders[0]).exists()
    assert not multiprocessing.active_children()
    assert store.conn.execute("SELECT COUNT(*) FROM documents WHERE parent_id IS NULL").fetchone()[0] == 1
    store.close()


def test_a_store_merges_its_search_index_sixteen_segments_at_a_time(tmp_path):
    """New stores get FTS5's merge setting at creation, older ones when next opened for writing."""
    from kkrdesk.data.schema import FTS_AUTOMERGE, search_index_tuned

    def setting(conn):
        row = conn.execute("SELECT v FROM sections_fts_config WHERE k = 'automerge'").fetchone()
        return row[0] if row else None

    store = open_store(tmp_path / "ny.sqlite")
    assert setting(store.conn) == FTS_AUTOMERGE == 16
    with store.conn:
        store.conn.execute("DELETE FROM sections_fts_config WHERE k = 'automerge'")   # as a store made before
    assert not search_index_tuned(store.conn)
    store.close()
    store = open_store(tmp_path / "ny.sqlite")
    assert setting(store.conn) == 16
    list(batch.import_files(store, [CONTRACT_2019, REPORT_2022]))
    store.conn.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('integrity-check', 1)")
    store.close()


def test_a_file_that_fails_in_the_writer_leaves_the_numbering_whole(tmp_path, monkeypatch):
    """The worker's new terms are heard as its result arrives, so a file whose transaction fails does
    not cost the files after it their numbered words."""
    from kkrdesk.ingest import importer

    real = batch._prepare
    monkeypatch.setattr(batch, "_prepare", lambda path, kind, *share: real(path, kind, batch.SECTIONS_AND_WORDS))
    write_facts = importer._write_facts

    def fails_for_the_report(store, document_id, doc, facts, file_name):
        if file_name == REPORT_2022.name:
            raise RuntimeError("disken er fuld")
        return write_facts(store, document_id, doc, facts, file_name)

    monkeypatch.setattr(importer, "_write_facts", fails_for_the_report)
    added = _numbered_adds(monkeypatch)
    store = open_store(tmp_path / "lager.sqlite")
    results = list(batch.import_files(store, [CONTRACT_2019, REPORT_2022, MEETING_PACK, BUNDLE_2024]))
    assert isinstance(results[1], ImportProblem) and "disken er fuld" in results[1].reason
    assert all(isinstance(r, ImportResult) for r in (results[0], *results[2:]))
    assert added == [True, True]          # the pack's and the bundle's words, as numbers
    assert search_index.current(store.conn)
    store.close()
