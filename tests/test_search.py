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
    text = corpus_store.conn.execute(
        "SELECT original_text FROM documents WHERE file_name = ? AND parent_id IS NULL", (first.document,)
    ).fetchone()[0]
    assert "dimensionering" in text.split("\n")[first.line - 1].lower()


def test_phrase_search(corpus_store):
    hits = search(corpus_store.db, '"Børnehus Nord"')
    assert hits and all("Børnehus" in h.snippet or "Børnehus" in h.section for h in hits[:3])


def test_very_common_words_rank_the_newest_matches(store, tmp_path, monkeypatch):
    import kkrdesk.data.search as search_module

    for year in range(2016, 2021):
        (tmp_path / f"{year}.txt").write_text(f"1. Notat {year}\nKommunerne drøfter budget {year}.\n", encoding="utf-8")
        import_file(store, tmp_path / f"{year}.txt")
    assert len(search(store.db, "kommunerne")) == 5
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    assert docs(search(store.db, "kommunerne")) == ["2019.txt", "2020.txt"]


def test_snippet_highlights_phrases_whole_and_words_as_prefixes():
    from kkrdesk.data.search import make_snippet, query_pattern

    text = "Børnehus Nord har budget for Nordjylland og nordjyske kommuner"
    assert make_snippet(text, query_pattern('"Børnehus Nord"')).startswith("«Børnehus Nord» har")
    assert "«Nordjylland»" in make_snippet(text, query_pattern("nord"))
    assert "«" not in make_snippet(text, query_pattern("klima"))
