import unicodedata

import pytest

from kkrdesk.data.search import fts_query, search
from kkrdesk.ingest.importer import import_file


@pytest.fixture
def small_store(store, tmp_path):
    (tmp_path / "a.txt").write_text("1. Hår\nMin far har hår på hovedet.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("1. Får\nFår og køer i Århus. Kommunerne betaler co2-afgift.\n", encoding="utf-8")
    for name in ("a.txt", "b.txt"):
        import_file(store, tmp_path / name)
    return store


def docs(hits):
    return sorted({h.document for h in hits})


def test_danish_letters_are_not_folded(small_store):
    assert docs(search(small_store.db, '"hår"')) == ["a.txt"]
    assert docs(search(small_store.db, '"får"')) == ["b.txt"]
    assert docs(search(small_store.db, '"far"')) == ["a.txt"]


def test_prefix_and_nfd_input(small_store):
    assert docs(search(small_store.db, "kommune")) == ["b.txt"]  # prefix of "Kommunerne"
    nfd = unicodedata.normalize("NFD", "Århus")
    assert docs(search(small_store.db, nfd)) == ["b.txt"]


@pytest.mark.parametrize("hostile", ['co2-afgift', '"', 'AND', '*', 'NEAR(', 'OR OR', '(((', "'; DROP TABLE sections; --", '""', "^", ""])
def test_hostile_input_never_raises(small_store, hostile):
    hits = search(small_store.db, hostile)
    assert isinstance(hits, list)
    assert small_store.db["sections"].count > 0


def test_hyphenated_query_finds_words(small_store):
    assert docs(search(small_store.db, "co2-afgift")) == ["b.txt"]
    assert fts_query("co2-afgift") == '"co2"* "afgift"*'


def test_corpus_search_hit_has_line_and_snippet(corpus_store):
    hits = search(corpus_store.db, "pædagogdimensionering", limit=5)
    assert hits
    first = hits[0]
    assert first.document == "kkr-moede-2021-bilag.txt"
    assert "«" in first.snippet
    from kkrdesk.data.texts import original_text

    top = corpus_store.conn.execute(
        "SELECT id FROM documents WHERE file_name = ? AND parent_id IS NULL", (first.document,)).fetchone()[0]
    text = original_text(corpus_store.db, top)
    assert "dimensionering" in text.split("\n")[first.line - 1].lower()


def test_phrase_search(corpus_store):
    hits = search(corpus_store.db, '"Børnehus Nord"')
    assert hits and all("Børnehus" in h.snippet or "Børnehus" in h.section for h in hits[:3])


def test_old_sections_are_ranked_too(store, tmp_path):
    """No window of newest matches: the best section wins however old it is."""
    for year in range(2016, 2021):
        body = "Kommunerne kommunerne kommunerne." if year == 2016 else f"Kommunerne drøfter budget {year} og meget andet her."
        (tmp_path / f"{year}.txt").write_text(f"1. Notat {year}\n{body}\n", encoding="utf-8")
        import_file(store, tmp_path / f"{year}.txt")
    hits = search(store.db, "kommunerne", limit=1)
    assert [h.document for h in hits] == ["2016.txt"]


@pytest.fixture(scope="module")
def archive_store(tmp_path_factory):
    """A generated archive (bench's builder, small): many sections share the common words."""
    from bench.archive import ArchiveSize, build_archive
    from kkrdesk.data.store import open_store

    folder = tmp_path_factory.mktemp("archive")
    size = ArchiveSize(years=2, meetings_per_year=2, items_per_meeting=6, pack_bytes=60_000, first_year=2020,
                       label="search-test")
    store = open_store(folder / "archive.sqlite")
    for spec in build_archive(folder / "packs", size):
        import_file(store, spec.path)
    yield store
    store.close()


@pytest.mark.parametrize("query", ["kommun", "der", "Nordjylland", "og", '"KKR Nordjylland"', "budget 2021"])
def test_top10_equals_the_full_bm25_ranking(archive_store, query):
    from kkrdesk.data.search import BM25, ranked_sections

    match = fts_query(query)
    total = archive_store.conn.execute("SELECT count(*) FROM sections_fts WHERE sections_fts MATCH ?",
                                       (match,)).fetchone()[0]
    assert total > 10 or query == "budget 2021"
    # the reference: every match scored by SQLite, sorted in full (ties: newer section first)
    reference = [sid for _s, sid in sorted(
        (score, -sid) for sid, score in archive_store.conn.execute(
            f"SELECT rowid, {BM25} FROM sections_fts WHERE sections_fts MATCH ?", (match,)))][:10]
    reference = [-neg for neg in reference]
    top, count = ranked_sections(archive_store.db, match, 10)
    assert [sid for _score, sid in top] == reference
    assert count == total
    shown = []
    for hit in search(archive_store.db, query, limit=10):
        if hit.section_id not in shown:
            shown.append(hit.section_id)
    assert shown == reference


def test_hits_per_line_with_meeting_item_and_count(archive_store):
    from kkrdesk.data.search import run_search

    result = run_search(archive_store.db, "kommun", limit=5)
    assert result.sections > 5 and result.shown_sections == 5
    assert len(result.hits) > 5                       # several lines per section
    assert result.occurrences == sum(h.occurrences for h in result.hits) >= len(result.hits)
    assert all(h.meeting and "KKR Nordjylland" in h.meeting for h in result.hits)
    assert all(h.item for h in result.hits)
    for hit in result.hits:
        assert "«" in hit.snippet or "«" in hit.section or hit.snippet


def test_danish_letters_fold_back_when_nothing_is_found(small_store, tmp_path):
    from kkrdesk.data.search import fold_danish, run_search

    (tmp_path / "c.txt").write_text("1. Pædagoger\nLærepladser til pædagoger på Læsø.\n", encoding="utf-8")
    import_file(small_store, tmp_path / "c.txt")
    assert fold_danish("paedagog laerepladser Laesoe") == "pædagog lærepladser Læsø"
    for typed, shown in (("paedagog", "pædagog"), ("laerepladser", "lærepladser")):
        result = run_search(small_store.db, typed)
        assert result.folded and result.query == shown
        assert docs(result.hits) == ["c.txt"]
    plain = run_search(small_store.db, "pædagog")
    assert not plain.folded and docs(plain.hits) == ["c.txt"]


def test_a_number_highlights_only_itself(store, tmp_path):
    (tmp_path / "n.txt").write_text("1. Tal\nPunkt 3.5 i 2023 gav 35 og 5,3 og 13.50 og 3,5 mio.\n", encoding="utf-8")
    import_file(store, tmp_path / "n.txt")
    hits = search(store.db, "3.5")
    assert hits
    marked = [m for h in hits for m in __import__("re").findall("«([^»]*)»", h.snippet)]
    assert marked and all(m in ("3.5", "3,5") for m in marked)
    assert fts_query("3.5") == '"3 5"'


def test_items_goals_datasets_and_themes_are_results(corpus_store):
    from kkrdesk.data.search import run_search

    kinds = {p.kind for q in ("pædagog", "dimensionering", "uddannelse", "erhverv")
             for p in run_search(corpus_store.db, q).places}
    assert {"item", "dataset", "theme"} <= kinds
    goals = [p for p in run_search(corpus_store.db, "turisme").places + run_search(corpus_store.db, "iværksætter").places
             if p.kind == "goal"]
    assert goals


def test_public_search_leaves_closed_items_out(store, tmp_path):
    from kkrdesk.data import meetings

    (tmp_path / "d.txt").write_text("1. Hemmeligt\nFortroligt emne om grundkøb.\n", encoding="utf-8")
    import_file(store, tmp_path / "d.txt")
    doc_id = store.conn.execute("SELECT id FROM documents WHERE file_name = 'd.txt'").fetchone()[0]
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-04")
    item_id = meetings.add_item(store, meeting_id, "3.5", "Grundkøb", access="lukket")
    store.conn.execute("INSERT INTO bilag (agenda_item_id, position, number, title, document_id) "
                       "VALUES (?, 0, '1', 'Notat', ?)", (item_id, doc_id))
    assert search(store.db, "grundkøb")
    assert search(store.db, "grundkøb", public=True) == []


def test_snippet_highlights_phrases_whole_and_words_as_prefixes():
    from kkrdesk.data.search import make_snippet, query_pattern

    text = "Børnehus Nord har budget for Nordjylland og nordjyske kommuner"
    assert make_snippet(text, query_pattern('"Børnehus Nord"')).startswith("«Børnehus Nord» har")
    assert "«Nordjylland»" in make_snippet(text, query_pattern("nord"))
    assert "«" not in make_snippet(text, query_pattern("klima"))


def test_the_byte_scan_counts_the_lines_the_text_scan_counts(corpus_store):
    """Loose words are found in the sections' UTF-8 bytes (#20: ASCII lowered by bytes.lower, other
    letters as each form that lowers to them); lines and counts must be those of the text scan."""
    from kkrdesk.data import search as s

    texts = [s.unpack_body(body) for (body,) in corpus_store.conn.execute("SELECT body FROM sections")]
    texts += ["Æbelø, ærø og ÆRØ\nærøskøbing", "økommune –kommune _kommune 1kommune\u00a0kommune",
              "Kommune\nkommunerne KOMMUNAL\n\nkommun", "ﬁkommune ÉCOLE école Écoles", "ÅRHUS, århus, Aarhus"]
    for query in ["kommun", "pædagoger", "Ærø", "beskæft", "Aalborg Kommune budget", "ø", "école", "år", "co2 mål"]:
        assert s._byte_patterns(query) is not None
        for text in texts:
            low = text.lower()
            expected: dict[int, int] = {}
            for at in s._match_starts(low, query):
                index = low.count("\n", 0, at)
                expected[index] = expected.get(index, 0) + 1
            counts, line_text = s._line_matches(text, query)
            assert counts == expected, (query, text[:80])
            lines = text.split("\n")
            assert all(line_text(i) == lines[i] for i in counts)
    assert s._byte_patterns('"grøn omstilling"') is None and s._byte_patterns("3.5") is None
