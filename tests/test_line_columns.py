"""A prepared file travels from a batch's worker to the writer with its lines as columns (#20.3):
what arrives must be what left, shared documents still shared, odd lines still whole."""

from __future__ import annotations

import pickle

from kkrdesk.data.lines import Line
from kkrdesk.data.search_numbering import WordNumbering
from kkrdesk.ingest.importer import prepare_file
from kkrdesk.ingest.line_columns import Run, Runs, from_columns, to_columns
from tests.conftest import BUNDLE_2024, CONTRACT_2019, MEETING_PACK


def test_lines_survive_as_columns_with_and_without_pages():
    lines = [Line(1, "Mål 1"), Line(3, ""), Line(4, "tekst – æøå")]
    assert from_columns(to_columns(lines)) == lines
    paged = [Line(2, "a", 1), Line(5, "b", None), Line(9, "c", 2)]
    assert from_columns(to_columns(paged)) == paged
    assert from_columns(to_columns([])) == []


def test_a_line_holding_a_line_break_travels_as_it_is():
    odd = [Line(1, "to\nlinjer"), Line(2, "x")]
    assert to_columns(odd) is odd and from_columns(to_columns(odd)) == odd


def test_runs_are_found_only_where_a_list_is_a_run_of_the_file():
    lines = [Line(n, f"linje {n}") for n in range(1, 11)]
    runs = Runs(lines)
    assert runs.run_of(lines[2:6]) == Run(2, 6)
    changed = [lines[2], Line(4, "ændret")]
    assert runs.run_of(changed) is changed
    assert runs.lines_of(Run(2, 6)) == lines[2:6]


def test_a_prepared_file_arrives_as_it_left():
    for path in (CONTRACT_2019, MEETING_PACK, BUNDLE_2024):
        prepared = prepare_file(path, numbering=WordNumbering())
        sent = pickle.dumps(prepared)
        back = pickle.loads(sent)
        assert prepared.text_file and back.raw == "" and back.top.raw == ""   # its bytes are its original
        for doc in (prepared.top, *prepared.docs):
            doc.raw = ""
        prepared.raw = ""
        assert vars(back) == vars(prepared), path.name
        assert isinstance(prepared.__getstate__()["lines"], tuple)      # the columns, not the Line objects
        if prepared.pack is not None:
            bilag = [b for _item, b in back.pack.all_bilag if b.lines]
            assert [d.lines for d in back.docs] == [b.lines for b in bilag]
        if len(back.docs) == 1 and back.pack is None:
            assert back.top is back.docs[0]                              # one document, not two copies
        assert len(sent) < len(pickle.dumps(vars(prepared)))
