"""The window's Qt models: valid under QAbstractItemModelTester and showing the right rows."""

import pytest
from PySide6.QtCore import QModelIndex, Qt

from kkrdesk.data.notes import NotesStore, goal_key
from kkrdesk.data.search import search
from kkrdesk.ui import sources
from kkrdesk.ui.figures_view import DatasetTableModel
from kkrdesk.ui.nav_model import ROOTS, IdentRole, KindRole, NavModel
from kkrdesk.ui.notes_view import NotesTableModel
from kkrdesk.ui.search_view import SearchModel

ROW = {kind: row for row, (kind, _label) in enumerate(ROOTS)}


def _children(model, parent=None):
    parent = parent if parent is not None else QModelIndex()
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def _pack_meeting(model):
    meetings = model.index(0, 0)
    for index in _children(model, meetings):
        labels = [i.data() for i in _children(model, index)]
        if "3.5 Pædagogdimensionering 2021-2022" in labels:
            return index
    raise AssertionError("no meeting with item 3.5")


@pytest.mark.parametrize("force_py", [False, True])
def test_nav_model_passes_the_model_tester(qtmodeltester, corpus_store, force_py):
    model = NavModel(corpus_store.db)
    qtmodeltester.check(model, force_py=force_py)


def test_nav_model_roots_and_the_2021_meeting(corpus_store):
    model = NavModel(corpus_store.db)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [label for _, label in ROOTS]
    meeting = _pack_meeting(model)
    items = _children(model, meeting)
    assert len(items) == 9
    item35 = next(i for i in items if i.data().startswith("3.5 "))
    assert item35.data() == "3.5 Pædagogdimensionering 2021-2022"
    assert item35.data(KindRole) == "item"
    bilag = _children(model, item35)
    assert [b.data() for b in bilag] == [
        "Bilag 1: Sparringsgruppe på pædagogområdet - notat ift. dimensioneringen 2021-2022"]
    item21 = next(i for i in items if i.data().startswith("2.1 "))
    assert model.rowCount(item21) == 5


def test_nav_model_loads_children_only_when_asked(corpus_store):
    model = NavModel(corpus_store.db)
    meetings = model.node(model.index(0, 0))
    assert meetings.children is None          # nothing below the roots is read up front
    assert model.hasChildren(model.index(0, 0))
    model.rowCount(model.index(0, 0))
    assert meetings.children is not None
    assert all(child.children is None for child in meetings.children)


def test_nav_model_contracts_and_datasets(corpus_store):
    model = NavModel(corpus_store.db)
    years = _children(model, model.index(ROW["contracts"], 0))
    assert [y.data() for y in years][:3] == ["Resultatkontrakt 2026", "Resultatkontrakt 2024", "Resultatkontrakt 2022"]
    goals_2022 = _children(model, years[2])
    goal6 = next(g for g in goals_2022 if g.data().startswith("Mål 6:"))
    assert goal6.data() == "Mål 6: Effekt i virksomhederne"
    assert model.rowCount(goal6) >= 1 and _children(model, goal6)[0].data(KindRole) == "indicator"
    datasets = {d.data(IdentRole) for d in _children(model, model.index(ROW["datasets"], 0))}
    assert {"sosu-dimensionering", "paedagog-dimensionering"} <= datasets


def test_nav_model_find_opens_the_branch(corpus_store):
    model = NavModel(corpus_store.db)
    bilag_id = corpus_store.db.execute(
        "SELECT b.id FROM bilag b JOIN agenda_items a ON a.id = b.agenda_item_id WHERE a.number = '3.5'").fetchone()[0]
    index = model.find("bilag", bilag_id)
    assert index.isValid() and index.data().startswith("Bilag 1: Sparringsgruppe")
    assert index.parent().data() == "3.5 Pædagogdimensionering 2021-2022"


def test_closed_item_has_a_lock_and_the_word(store, qtmodeltester, qapp):
    db = store.db
    db.execute("INSERT INTO meetings (id, title, date) VALUES (1, 'Testmøde', '2026-11-23')")
    db.execute("INSERT INTO agenda_items (id, meeting_id, position, number, title, access) "
               "VALUES (1, 1, 1, '1.1', 'Åbent punkt', 'åben'), (2, 1, 2, '1.2', 'Personalesag', 'lukket')")
    model = NavModel(db)
    qtmodeltester.check(model)
    items = _children(model, model.index(0, 0, model.index(0, 0)))
    assert items[1].data() == "1.2 Personalesag — Lukket"
    assert items[1].data(Qt.DecorationRole) is not None
    assert items[0].data(Qt.DecorationRole) is None


def test_empty_store_gives_empty_but_valid_tree(store, qtmodeltester):
    model = NavModel(store.db)
    qtmodeltester.check(model)
    assert all(not model.hasChildren(model.index(r, 0)) for r in range(model.rowCount()))


def test_dataset_table_model(qtmodeltester, corpus_store):
    model = DatasetTableModel()
    model.set_rows(sources.dataset_rows(corpus_store.db, "sosu-dimensionering"))
    qtmodeltester.check(model)
    # wide: one row per municipality and education, one column per year
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Betegnelse", "Mål", "2025", "2026", "Enhed"]
    assert model.rowCount() == 22
    cells = {(model.index(r, 0).data(), model.index(r, 1).data()): model.index(r, 3).data()
             for r in range(model.rowCount())}
    assert cells[("Aalborg", "Social- og sundhedshjælpere")] == "98"
    assert cells[("Aalborg", "Social- og sundhedsassistenter")] == "196"
    assert cells[("Læsø", "Social- og sundhedsassistenter")] == "4"
    aalborg = [r for r in range(model.rowCount()) if model.index(r, 0).data() == "Aalborg"][0]
    assert "linje" in model.index(aalborg, 2).data(Qt.ToolTipRole)


def test_search_and_notes_models(qtmodeltester, corpus_store):
    search_model = SearchModel()
    search_model.set_hits(search(corpus_store.db, "pædagog"))
    qtmodeltester.check(search_model)
    assert search_model.rowCount() >= 1
    assert "<b" in search_model.index(0, 0).data()          # the match is highlighted
    notes = NotesStore()
    notes.set_text(goal_key(2022, "6"), "Hvorfor kun 76 %?", title="Mål 6", context="Resultatkontrakt 2022")
    notes_model = NotesTableModel(notes)
    qtmodeltester.check(notes_model)
    assert notes_model.index(0, 2).data() == "Mål 6"
    assert notes_model.index(0, 4).data() == "Hvorfor kun 76 %?"
    notes.close()
