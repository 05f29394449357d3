"""The search's own postings (#20.1): the same top k and the same scores as FTS5's bm25, through
imports, edits, deletions and merges; FTS5 answers whenever the postings cannot promise that."""

from __future__ import annotations

import random
import sqlite3

import pytest

from kkrdesk.data import search_index, search_rank
from kkrdesk.data.search import BM25, fts_query, ranked_sections, run_search
from kkrdesk.data.store import needs_upgrade, open_store, write_transaction

WORDS = ["kommune", "kommunerne", "region", "budget", "budgettet", "erhvervshus", "nordjylland", "kkr", "grøn",
         "omstilling", "pædagoger", "sosu", "2021", "3", "5", "aalborg", "hjørring", "mål", "plan", "ø"]


def _document(conn, name: str) -> int:
    return conn.execute(
        "INSERT INTO documents (file_name, sha256, kind, imported_at, line_start, line_end, original_text, "
        "normalised_text) VALUES (?, ?, 'document', '2026-12-05', 1, 1, '', '')", (name, name)).lastrowid


def _fts(conn, match, limit=None):
    sql = f"SELECT {BM25}, rowid FROM sections_fts WHERE sections_fts MATCH ? ORDER BY 1, rowid DESC"
    if limit is None:
        return conn.execute(sql, (match,)).fetchall()
    return conn.execute(sql + " LIMIT ?", (match, limit)).fetchall()


def _text(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    for at in range(0, len(chosen), 7):
        chosen[at] = chosen[at].capitalize()
    lines = [" ".join(chosen[i:i + 9]) + rng.choice([".", ",", " –", ""]) for i in range(0, len(chosen), 9)]
    return "\n".join(lines)


QUERIES = ["kommune", "kommun", "k", "budget", "Budget 2021", '"grøn omstilling"', '"Erhvervshus Nordjylland"',
           '"kkr nordjylland" mål', "3.5", "aalborg hjørring plan", "ø", '"mål plan region"', "kommun region",
           "pædagog", "sosu 2021", "sosu_2021", "kommune_budget"]


def _assert_same(conn, query: str, limit: int) -> None:
    match = fts_query(query)
    answer = search_rank.rank(conn, match, limit, count=True)
    assert answer is not None, f"{query}: the postings did not answer"
    expected = _fts(conn, match, limit)
    got, total = answer
    assert [sid for _s, sid in got] == [sid for _s, sid in expected], query
    assert [score for score, _sid in got] == [score for score, _sid in expected], query   # bit for bit
    assert total == len(_fts(conn, match)), query


@pytest.fixture
def churned(tmp_path):
    """A store after 40 write transactions of random inserts, edits and deletions (several merges)."""
    store = _churn(tmp_path)
    yield store
    store.close()


def _churn(tmp_path):
    store = open_store(tmp_path / "churn.sqlite")
    conn = store.conn
    rng = random.Random(20)
    with write_transaction(conn):
        doc = _document(conn, "churn.txt")
    for _round in range(40):
        with write_transaction(conn):
            for _ in range(rng.randint(1, 12)):
                conn.execute("INSERT INTO sections (document_id, position, title, level, body, line_start, line_end) "
                             "VALUES (?, 0, ?, 1, ?, 1, 1)", (doc, _text(rng, rng.randint(0, 4)), _text(rng, rng.randint(1, 80))))
            ids = [r[0] for r in conn.execute("SELECT id FROM sections")]
            for sid in rng.sample(ids, min(len(ids), rng.randint(0, 3))):
                conn.execute("UPDATE sections SET body = ? WHERE id = ?", (_text(rng, rng.randint(1, 60)), sid))
            for sid in rng.sample(ids, min(len(ids), rng.randint(0, 2))):
                conn.execute("DELETE FROM sections WHERE id = ?", (sid,))
            search_index.sync(conn)          # a segment per round, as attaching a bilag makes one
    return store


def test_memory_stays_bounded_by_cutting_segments_and_merges_without_changing_the_answer(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "_SEGMENT_TOKENS", 40)    # a segment per batch of sections
    monkeypatch.setattr(search_index, "_MERGE_POSTINGS", 25)    # merges written in many pieces
    monkeypatch.setattr(search_index, "MERGE_FAN_IN", 3)
    monkeypatch.setattr(search_index, "_MERGE_KEPT", 4)          # kept lists written in pieces too
    store = _churn(tmp_path)
    written, merged = [], []
    for name, calls in (("_write_segment", written), ("_merged", merged)):
        original = getattr(search_index, name)
        monkeypatch.setattr(search_index, name, lambda *args, _f=original, _c=calls: (_c.append(1), _f(*args))[1])
    with write_transaction(store.conn):        # one long transaction: rebuild everything at once
        search_index.drop(store.conn)
        search_index.create(store.conn)
        search_index.sync(store.conn)
    assert search_index.current(store.conn)
    assert len(written) > 20 and len(merged) > 20
    assert store.conn.execute("SELECT COUNT(*) FROM search_segments").fetchone()[0] < 3
    for query in QUERIES:
        _assert_same(store.conn, query, 10)
    store.close()


def test_the_postings_rank_exactly_as_fts5_after_inserts_edits_and_deletions(churned):
    conn = churned.conn
    assert search_index.current(conn)
    levels = [r[0] for r in conn.execute("SELECT level FROM search_segments")]
    assert max(levels) >= 1, "40 transactions merge at least once"
    assert len(levels) < 40
    rows, tokens = search_index.stats(conn)
    assert rows == conn.execute("SELECT COUNT(*) FROM sections").fetchone()[0]
    for query in QUERIES:
        for limit in (1, 5, 20):
            _assert_same(conn, query, limit)


def test_filters_and_the_window_search_use_the_postings(churned, monkeypatch):
    conn = churned.conn
    match = fts_query("kommun")
    ids = [r[0] for r in conn.execute("SELECT id FROM sections ORDER BY id")]
    exclude = set(ids[::3])
    expected = conn.execute(
        f"SELECT {BM25}, rowid FROM sections_fts WHERE sections_fts MATCH ? AND +rowid NOT IN "
        f"(SELECT value FROM json_each(?)) ORDER BY 1, rowid DESC LIMIT 10", (match, str(sorted(exclude)))).fetchall()
    got, total = search_rank.rank(conn, match, 10, exclude=exclude)
    assert got == expected
    assert total == len(conn.execute("SELECT rowid FROM sections_fts WHERE sections_fts MATCH ? AND +rowid NOT IN "
                                     "(SELECT value FROM json_each(?))", (match, str(sorted(exclude)))).fetchall())
    # within some documents (the reader's "search in this document")
    with write_transaction(conn):
        other = _document(conn, "andet.txt")
        conn.execute("UPDATE sections SET document_id = ? WHERE id % 2 = 0", (other,))
    search_index.catch_up(conn)
    expected = conn.execute(
        f"SELECT {BM25}, rowid FROM sections_fts WHERE sections_fts MATCH ? AND rowid IN "
        f"(SELECT id FROM sections WHERE document_id IN (?)) ORDER BY 1, rowid DESC LIMIT 10", (match, other)).fetchall()
    got, total = search_rank.rank(conn, match, 10, document_ids=[other])
    assert got == expected and len(got) == 10
    # the window's search goes through the postings: FTS5 is never asked to score a word query
    asked = []
    conn.set_trace_callback(lambda sql: asked.append(sql))
    try:
        result = run_search(churned.db, "kommun", limit=10, places=False)
    finally:
        conn.set_trace_callback(None)
    assert result.shown_sections == 10
    assert not [sql for sql in asked if "bm25(" in sql]


def test_a_character_the_tokenisers_split_differently_hands_the_search_back_to_fts5(tmp_path):
    store = open_store(tmp_path / "odd.sqlite")
    conn = store.conn
    with write_transaction(conn):
        doc = _document(conn, "a.txt")
        for body in ("kommune plan", "kommune kommune", "plan\ue000kommune"):   # private use: a letter to FTS5 only
            conn.execute("INSERT INTO sections (document_id, position, title, level, body, line_start, line_end) "
                         "VALUES (?, 0, '', 1, ?, 1, 1)", (doc, body))
    search_index.catch_up(conn)
    assert search_index.pending(conn) == 0 and not search_index.current(conn)
    match = fts_query("kommune")
    assert search_rank.rank(conn, match, 10) is None
    top, total = ranked_sections(conn, match, 10)      # FTS5 answers, right
    assert top == _fts(conn, match, 10) and total == 2
    store.close()


def test_a_damaged_posting_list_hands_the_search_back_to_fts5(churned):
    conn = churned.conn
    with write_transaction(conn):
        conn.execute("UPDATE search_postings SET data = x'07ffffffff00' WHERE term = 'kommune'")
    match = fts_query("kommune")
    assert search_rank.rank(conn, match, 10) is None
    assert ranked_sections(conn, match, 10)[0] == _fts(conn, match, 10)


def test_an_interrupted_batch_is_caught_up_when_the_store_is_next_opened(tmp_path):
    path = tmp_path / "lager.sqlite"
    store = open_store(path)
    with write_transaction(store.conn):       # a file imported, and the batch stopped before catching up
        doc = _document(store.conn, "a.txt")
        store.conn.execute("INSERT INTO sections (document_id, position, title, level, body, line_start, line_end) "
                           "VALUES (?, 0, 'Budget', 1, 'kommunernes budget 2021', 1, 1)", (doc,))
    store.close()
    assert needs_upgrade(path)                # the window shows its busy dialog while it catches up
    store = open_store(path)
    assert search_index.current(store.conn) and not needs_upgrade(path)
    store.close()


def test_a_store_without_postings_gets_them_once_and_the_window_says_so(tmp_path):
    path = tmp_path / "old.sqlite"
    store = open_store(path)
    with write_transaction(store.conn):
        doc = _document(store.conn, "a.txt")
        store.conn.execute("INSERT INTO sections (document_id, position, title, level, body, line_start, line_end) "
                           "VALUES (?, 0, 'Budget', 1, 'kommunernes budget 2021', 1, 1)", (doc,))
        search_index.drop(store.conn)          # as a store from before #20's postings
    store.close()
    assert needs_upgrade(path)
    store = open_store(path)
    assert search_index.current(store.conn) and not needs_upgrade(path)
    _assert_same(store.conn, "budget", 5)
    store.close()


def test_until_a_batch_catches_up_fts5_answers_then_the_postings(churned):
    conn = churned.conn
    with write_transaction(conn):       # an import's transaction: its sections wait for the batch's end
        doc = _document(conn, "ny.txt")
        conn.execute("INSERT INTO sections (document_id, position, title, level, body, line_start, line_end) "
                     "VALUES (?, 0, 'Budget budget', 1, 'budget kommune budget', 1, 1)", (doc,))
        conn.execute("DELETE FROM sections WHERE id = (SELECT MIN(id) FROM sections)")
    assert search_index.pending(conn) == 2 and not search_index.current(conn)
    match = fts_query("budget")
    assert search_rank.rank(conn, match, 5) is None
    assert ranked_sections(conn, match, 5)[0] == _fts(conn, match, 5)     # FTS5, never a stale answer
    search_index.catch_up(conn)
    assert search_index.current(conn)
    _assert_same(conn, "budget", 5)


def test_the_command_line_import_catches_up_once_for_the_batch(tmp_path, monkeypatch):
    from kkrdesk.cli import main

    files = []
    for n in range(3):
        path = tmp_path / f"notat-{n}.txt"
        path.write_text(f"Notat {n}\n\nKommunernes budget {2020 + n} i KKR Nordjylland.\n" * 5, encoding="utf-8")
        files.append(str(path))
    syncs = []
    original = search_index.sync
    monkeypatch.setattr(search_index, "sync",
                        lambda conn, *fed: (syncs.append(search_index.pending(conn)), original(conn, *fed)))
    db = tmp_path / "lager.sqlite"
    assert main(["--db", str(db), "import", *files]) == 0
    assert [n for n in syncs if n] == [3]               # one sync for the three files (sections: one each)
    store = open_store(db)
    assert search_index.current(store.conn)
    _assert_same(store.conn, "budget", 5)
    store.close()


def test_redacted_copies_and_packs_carry_no_postings(churned):
    from kkrdesk.data.access import public_copy

    with public_copy(churned.db) as copy:
        names = {r[0] for r in copy.conn.execute("SELECT name FROM sqlite_master")}
    assert not {n for n in names if n.startswith("search_")}
    assert "sections_fts" in names


def test_the_encoding_round_trips_every_width():
    import numpy as np

    for gap, weight in ((1, 1), (300, 70_000), (70_000, 3), (5, 300)):
        ids = np.cumsum(np.full(500, gap, dtype=np.int64))
        weights = np.full(500, weight, dtype=np.int64)
        found, found_f = search_index.decode(search_index.encode(ids, weights))
        assert found.tolist() == ids.tolist() and found_f.tolist() == weights.tolist()
    with pytest.raises(ValueError):
        search_index.decode(b"\x07\x01\x00\x00\x00\x00")


def test_tokens_are_fts5s_terms(tmp_path):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 0')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    text = "KKR Nordjylland's 1.234,5 mio. kr. – co2_afgift, Ærø/Æbelø (sosu-assistenter) 2021-2024 § 17 ½ ²"
    conn.execute("INSERT INTO t VALUES (?)", (text,))
    assert search_index.tokens(text) == [r[0] for r in conn.execute("SELECT term FROM v ORDER BY offset")]


def test_a_big_batch_indexes_in_bounded_memory(tmp_path, monkeypatch):
    """Memory follows the cut, not the batch: the same 200,000 tokens indexed whole and in cuts."""
    import tracemalloc

    store = open_store(tmp_path / "stor.sqlite")
    rng = random.Random(7)
    with write_transaction(store.conn):
        doc = _document(store.conn, "stor.txt")
        store.conn.executemany(
            "INSERT INTO sections (document_id, position, title, level, body, line_start, line_end) "
            "VALUES (?, 0, 'Afsnit', 1, ?, 1, 1)",
            [(doc, " ".join(rng.choice(WORDS) for _ in range(2000))) for _ in range(100)])
    peaks = {}
    for cut in (10_000_000, 20_000):
        monkeypatch.setattr(search_index, "_SEGMENT_TOKENS", cut)
        monkeypatch.setattr(search_index, "_MERGE_POSTINGS", cut // 2)
        with write_transaction(store.conn):
            search_index.drop(store.conn)
            search_index.create(store.conn)
            tracemalloc.start()
            search_index.sync(store.conn)
            peaks[cut] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        _assert_same(store.conn, "kommune", 10)
    assert peaks[20_000] < peaks[10_000_000] / 3, peaks
    store.close()


def _notes(tmp_path, count: int) -> list:
    rng = random.Random(11)
    files = []
    for n in range(count):
        path = tmp_path / f"notat-{n}.txt"
        path.write_text(f"{n}. Notat om budget {2020 + n}\n\n{_text(rng, 300)}\n\n{n}.1 Kommunerne\n\n{_text(rng, 200)}\n",
                        encoding="utf-8")
        files.append(path)
    return files


def _postings(conn) -> list:
    return [conn.execute(f"SELECT term, data FROM {table} ORDER BY term").fetchall()
            for table in ("search_postings", "search_pairs")] + [conn.execute("SELECT * FROM search_docs").fetchall()]


def test_a_batch_tokenises_as_it_writes_and_its_postings_are_the_stores(tmp_path, monkeypatch):
    """The batch's sections are tokenised as each file commits (while the worker prepares the next):
    the catch-up after the last file tokenises none again, and writes what indexing from the store writes."""
    from kkrdesk.ingest.batch import import_files

    store = open_store(tmp_path / "lager.sqlite")
    results = import_files(store, _notes(tmp_path, 4))
    for _ in range(4):
        assert not next(results).skipped
    monkeypatch.setattr(search_index, "tokens", lambda text: pytest.fail("tokenised again in the catch-up"))
    assert next(results, None) is None                  # the catch-up ran, from what was tokenised
    monkeypatch.undo()
    assert search_index.current(store.conn)
    fed = _postings(store.conn)
    with write_transaction(store.conn):
        search_index.drop(store.conn)
        search_index.create(store.conn)
        search_index.sync(store.conn)
    assert _postings(store.conn) == fed
    for query in ("budget", "kommun", '"grøn omstilling"'):
        _assert_same(store.conn, query, 10)
    store.close()


def test_a_section_changed_before_the_catch_up_is_indexed_from_the_store(tmp_path):
    from kkrdesk.ingest.importer import prepare_file, write_prepared

    store = open_store(tmp_path / "lager.sqlite")
    fed = search_index.BatchIndexer()
    for path in _notes(tmp_path, 3):
        write_prepared(store, prepare_file(path), lambda sections, _words: [fed.add(*s) for s in sections])
    first = min(fed.sizes)
    with write_transaction(store.conn):
        store.conn.execute("UPDATE sections SET body = 'Ny tekst om vindmøller og vindmøller' WHERE id = ?", (first,))
    search_index.catch_up(store.conn, fed)
    assert search_index.current(store.conn)
    for query in ("vindmøller", "budget", "kommune", '"grøn omstilling"'):
        _assert_same(store.conn, query, 10)
    store.close()


def test_the_fast_tokens_are_the_regex_tokens_for_every_character():
    """search_index.tokens splits at spaces after mapping separators; it must equal the plain rule
    (TOKEN.findall on the lower-cased text) for every character, alone and between letters."""
    import random
    import sys

    rule = search_index.TOKEN.findall
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"ab{chr(code)}c{chr(code) * 2}_1"         # between letters, doubled, beside "_"
        assert search_index.tokens(text) == rule(text.lower()), hex(code)
    pool = ("abcæøåÆØÅéü019 _-–—•’“”…«»§€½²\t\n\u00a0\u2003\u0301\u0130İßﬁ\u200b漢字"
            "KOMMUNE pct. 1.234,5 co2-afgift")
    chance = random.Random(20)
    for _ in range(3000):
        text = "".join(chance.choice(pool) for _ in range(chance.randint(0, 40)))
        assert search_index.tokens(text) == rule(text.lower()), repr(text)
