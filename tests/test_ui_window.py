"""The main window, clicked through as a board member would: meeting, goal, dataset, search, notes."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from kkrdesk.data.notes import NotesStore
from kkrdesk.data.store import open_store
from kkrdesk.ingest.importer import import_file
from kkrdesk.ui.app import create_main_window, make_settings, run_app, settings_path
from kkrdesk.ui.nav_model import KindRole
from tests.conftest import SCREENSHOTS

CORPUS = Path(__file__).resolve().parent.parent / "resources" / "corpus"
# `KKRDESK_SCREENSHOTS=1 make test` refreshes the README's screenshots; otherwise they go to a temp folder.

from kkrdesk.ui.nav_model import ROOTS  # noqa: E402

ROW = {kind: row for row, (kind, _label) in enumerate(ROOTS)}


def _show_active(qtbot, window):
    """Show and activate (offscreen windows are not active until asked), so shortcuts and focus work."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)


def _shot(widget, name):
    """Lay out pending changes (a new chart canvas) before grabbing, as a shown window would."""
    for _ in range(3):
        QApplication.processEvents()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SCREENSHOTS / name))


def _item_id(db, number="3.5", title="Pædagogdimensionering 2021-2022"):
    return db.execute("SELECT id FROM agenda_items WHERE number = ? AND title = ?", (number, title)).fetchone()[0]


def _click(qtbot, window, index):
    """Select a tree row the way a click does (the view's current index)."""
    window.tree.scrollTo(index)
    rect = window.tree.visualRect(index)
    qtbot.mouseClick(window.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.tree.currentIndex() == index


def _click_place(qtbot, window, kind, ident):
    """Open the tree's folders down to a place, as a reader would, and click it."""
    index = window.model.find(kind, ident)
    parent = index.parent()
    while parent.isValid():
        window.tree.expand(parent)
        parent = parent.parent()
    _click(qtbot, window, index)


def _child(model, parent, label_start):
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data().startswith(label_start):
            return index
    raise AssertionError(f"{label_start!r} not under {parent.data()!r}")


@pytest.fixture
def window(qtbot, corpus_store):
    notes = NotesStore()
    w = create_main_window(corpus_store, notes, make_settings())
    qtbot.addWidget(w)
    w.resize(1280, 800)
    _show_active(qtbot, w)
    yield w
    w.close()
    notes.close()


def test_clicking_through_the_2021_meeting(qtbot, window, corpus_store):
    model = window.model
    meetings = model.index(0, 0)
    window.tree.expand(meetings)
    item_id = _item_id(corpus_store.db)
    meeting_id = corpus_store.db.execute("SELECT meeting_id FROM agenda_items WHERE id = ?", (item_id,)).fetchone()[0]
    meeting = model.find("meeting", meeting_id)
    _click(qtbot, window, meeting)
    text = window.reader.text()
    assert "9 dagsordenspunkter" in text
    assert "3.11 Sexisme i kommunalpolitik" in text
    one_item = corpus_store.db.execute(
        "SELECT meeting_id FROM agenda_items GROUP BY meeting_id HAVING COUNT(*) = 1 LIMIT 1").fetchone()[0]
    _click(qtbot, window, model.find("meeting", one_item))
    assert "1 dagsordenspunkt\n" in window.reader.text() + "\n"      # singular, not "1 dagsordenspunkter"
    _click(qtbot, window, meeting)
    window.tree.expand(meeting)
    item = _child(model, meeting, "3.5 ")
    _click(qtbot, window, item)
    text = window.reader.text()
    assert "3.5 Pædagogdimensionering 2021-2022" in text
    assert "Åbent punkt" in text
    assert "Bilag 1: Sparringsgruppe på pædagogområdet" in text
    assert window.note_panel.isVisible() and window.note_panel.isEnabled()
    # the bilag link in the page opens the bilag with its normalised text
    bilag_id = corpus_store.db.execute("SELECT id FROM bilag WHERE agenda_item_id = ?", (item_id,)).fetchone()[0]
    window.reader.browser.anchorClicked.emit(f"bilag:{bilag_id}")
    text = window.reader.text()
    assert "Bilag 1: Sparringsgruppe på pædagogområdet" in text
    assert "517" in text                                  # the recommended number of study places
    assert "kkr-moede-2021-bilag.txt, linje" in window.reader.source.text()
    assert window.tree.currentIndex().data(KindRole) == "bilag"
    # previous/next walks the agenda items
    window.open_place("item", item_id)
    window.step(1)
    assert window.reader.text().startswith("3.7 De fælleskommunale sekretariater")
    window.step(-1)
    assert "3.5 Pædagogdimensionering 2021-2022" in window.reader.text()
    assert window.note_panel.width() >= 200
    qtbot.keyClicks(window.note_panel.edit, "Spørg: hvorfor holdes 517 pladser, når 555 var de facto i 2020/2021?")
    assert window.note_panel.edit.toPlainText().startswith("Spørg: hvorfor")
    _shot(window, "main-meeting.png")


def test_reader_zoom_and_find_in_page(qtbot, window, corpus_store):
    window.open_place("item", _item_id(corpus_store.db))
    bilag_id = corpus_store.db.execute("SELECT id FROM bilag WHERE agenda_item_id = ?",
                                       (_item_id(corpus_store.db),)).fetchone()[0]
    window.open_place("bilag", bilag_id)
    before = window.reader.font_size()
    qtbot.keyClick(window, Qt.Key_Plus, Qt.ControlModifier)
    assert window.reader.font_size() > before
    assert window.goal_view.reader.zoom == 1                # one text size for every page
    qtbot.keyClick(window, Qt.Key_Minus, Qt.ControlModifier)
    assert window.reader.font_size() == before
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert window.reader.find_bar.isVisible() and window.reader.find_field.hasFocus()
    qtbot.keyClicks(window.reader.find_field, "sparringsgruppen")
    assert window.reader.browser.textCursor().selectedText().lower() == "sparringsgruppen"
    qtbot.keyClicks(window.reader.find_field, "xyzzy")
    assert window.reader.find_status.text() == "Ikke fundet"


def test_goal_view_shows_fulfilment_and_draws_the_theme_chart(qtbot, window, corpus_store):
    model = window.model
    year = _child(model, model.index(ROW["contracts"], 0), "Resultatkontrakt 2022")
    window.tree.expand(model.index(ROW["contracts"], 0))
    window.tree.expand(year)
    goal = _child(model, year, "Mål 6:")
    _click(qtbot, window, goal)
    text = window.goal_view.reader.text()
    assert "Mål 6: Effekt i virksomhederne" in text
    assert "Målopfyldelse: 76 % – delvist opfyldt" in text
    assert "Delmål" in text
    assert window.goal_view.chart.canvas is not None       # drawn because the view is visible
    assert window.goal_note_panel.key == "goal:2022:6"
    _shot(window, "goal.png")


def test_contract_overview_lists_goals_by_year_with_status_words(window):
    window.open_place("contracts", None)
    text = window.reader.text()
    assert "Resultatkontrakter: mål og målopfyldelse" in text
    assert "2019" in text and "2024" in text
    assert "delvist opfyldt" in text and "opfyldt" in text
    assert "76 %" in text


def test_dataset_table_chart_and_csv(qtbot, window):
    window.open_place("dataset", "sosu-dimensionering")
    view = window.figures_view
    assert window.stack.currentWidget() is view
    assert view.title.text() == "Lærepladser på SOSU-uddannelserne pr. kommune"
    assert view.model.rowCount() == 22
    assert view.chart.canvas is not None
    view.copy_csv()
    csv_text = QApplication.clipboard().text()
    lines = csv_text.splitlines()
    assert lines[0] == "Betegnelse;Mål;2025;2026;Enhed"
    assert "Aalborg;Social- og sundhedsassistenter;196;196;lærepladser" in lines
    window.open_place("dataset", "faellessekretariater")
    assert any(";2168571;" in line or ";2168571" in line for line in view.csv_text().splitlines())
    window.open_place("dataset", "sosu-dimensionering")
    _shot(window, "figures.png")


def test_chart_export_png_and_svg(window, tmp_path):
    window.open_place("dataset", "paedagog-dimensionering")
    for name in ("diagram.png", "diagram.svg"):
        window.figures_view.chart.save(tmp_path / name)
    assert (tmp_path / "diagram.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "diagram.svg").read_bytes()[:400]


def test_search_finds_and_opens_a_hit_at_its_line(qtbot, window, corpus_store):
    qtbot.keyClick(window, Qt.Key_K, Qt.ControlModifier)
    view = window.search_view
    assert window.stack.currentWidget() is view and view.field.hasFocus()
    qtbot.keyClicks(view.field, "klimaambition")
    qtbot.waitUntil(lambda: view.model.rowCount() > 2, timeout=2000)
    _shot(window, "search.png")
    view.field.clear()
    qtbot.keyClicks(view.field, "sparringsgruppen")
    qtbot.waitUntil(lambda: view.summary.text().startswith("»sparringsgruppen«"), timeout=2000)
    assert view.summary.text().startswith("»sparringsgruppen«: 2 forekomster i 1 afsnit")
    assert view.model.rowCount() == 2                     # one row per matching line, not per bilag
    hit = view.model.hits[0]
    assert "Sparringsgruppe" in hit.document_title
    assert hit.item == "3.5 Pædagogdimensionering 2021-2022" and "KKR Nordjylland" in hit.meeting
    qtbot.keyClick(view.field, Qt.Key_Return)
    assert window.stack.currentWidget() is window.reader_page
    assert window.place[0] == "bilag"
    assert "Bilag 1: Sparringsgruppe på pædagogområdet" in window.reader.text()
    # the view scrolled to the hit's line (not left at the top) and the match is selected
    assert window.reader.browser.verticalScrollBar().value() > 0
    assert window.reader.browser.textCursor().selectedText().lower().startswith("sparringsgruppen")


def test_a_long_search_summary_keeps_the_window_within_1024_pixels(qtbot, window, corpus_store):
    qtbot.keyClick(window, Qt.Key_K, Qt.ControlModifier)
    view = window.search_view
    qtbot.keyClicks(view.field, "kommune")
    qtbot.waitUntil(lambda: "med navnet" in view.summary.text(), timeout=2000)
    assert len(view.summary.text()) > 90                      # a summary longer than the field is wide
    # the page fits beside the tree in a 1024 px window (unwrapped, this summary asked for 875 px)
    assert view.minimumSizeHint().width() <= 600


def _match_on_screen(browser) -> bool:
    rect = browser.cursorRect(browser.textCursor())
    return browser.textCursor().hasSelection() and 0 <= rect.top() and rect.bottom() <= browser.viewport().height()


def test_search_enter_scrolls_each_hit_into_view_and_folds_danish_letters(qtbot, window, corpus_store):
    qtbot.keyClick(window, Qt.Key_K, Qt.ControlModifier)
    view = window.search_view
    qtbot.keyClicks(view.field, "laesoe")
    qtbot.waitUntil(lambda: "»læsø«" in view.summary.text(), timeout=2000)
    assert "ae/oe/aa læst som æ/ø/å" in view.summary.text()
    assert view.model.rowCount() >= 3
    for row in range(3):
        qtbot.keyClick(window, Qt.Key_K, Qt.ControlModifier)
        view.results.setCurrentIndex(view.model.index(row, 0))
        qtbot.keyClick(view.results, Qt.Key_Return)
        browser = window.reader.browser
        assert browser.textCursor().selectedText() == "Læsø"
        assert _match_on_screen(browser), f"hit {row} is off-screen"
    _shot(window, "search-hit-opened.png")


def test_search_lists_items_and_themes_and_enter_opens_them(qtbot, window, corpus_store):
    qtbot.keyClick(window, Qt.Key_K, Qt.ControlModifier)
    view = window.search_view
    qtbot.keyClicks(view.field, "pædagogdimensionering")
    qtbot.waitUntil(lambda: bool(view.model.places), timeout=2000)
    assert "forekomster" in view.summary.text()
    _shot(window, "search-counts.png")
    place = view.model.places[0]
    assert place.kind == "item" and place.title == "3.5 Pædagogdimensionering 2021-2022"
    view.results.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.results, Qt.Key_Return)
    assert window.place == ("item", place.ident)


def _write_note(qtbot, window, db, text):
    _show_active(qtbot, window)
    window.open_place("item", _item_id(db))
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    assert window.note_panel.edit.hasFocus()
    qtbot.keyClicks(window.note_panel.edit, text)
    qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier)
    assert window.note_panel.star.isChecked()


def test_note_survives_a_restart(qtbot, corpus_store):
    notes = NotesStore()
    first = create_main_window(corpus_store, notes, make_settings())
    qtbot.addWidget(first)
    _write_note(qtbot, first, corpus_store.db, "Spørg til UCN Thisted")
    first.close()
    notes.close()                                   # no save step: the text is already on disk

    notes2 = NotesStore()
    second = create_main_window(corpus_store, notes2, make_settings())
    qtbot.addWidget(second)
    assert second.place[0] == "item"                # the last place is remembered
    assert second.note_panel.edit.toPlainText() == "Spørg til UCN Thisted"
    assert second.note_panel.star.isChecked()
    second.close()
    notes2.close()


def test_note_survives_a_reimport_and_is_listed_in_mine_noter(qtbot, corpus_store, tmp_path):
    notes = NotesStore()
    first = create_main_window(corpus_store, notes, make_settings())
    qtbot.addWidget(first)
    _write_note(qtbot, first, corpus_store.db, "Hvorfor 517 og ikke 555?")
    first.close()

    rebuilt = open_store(tmp_path / "rebuilt.sqlite")   # a new content store, ids may differ
    for path in sorted(CORPUS.glob("*.txt"), reverse=True):
        import_file(rebuilt, path)
    second = create_main_window(rebuilt, notes, make_settings())
    qtbot.addWidget(second)
    second.open_place("notes", None)
    view = second.notes_view
    assert view.model.rowCount() == 1
    assert view.model.index(0, 2).data() == "3.5 Pædagogdimensionering 2021-2022"
    assert view.model.index(0, 4).data() == "Hvorfor 517 og ikke 555?"
    second.resize(1280, 800)
    second.show()
    qtbot.waitExposed(second)
    _shot(second, "notes.png")
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 2))
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert second.place == ("item", _item_id(rebuilt.db))
    assert second.note_panel.edit.toPlainText() == "Hvorfor 517 og ikke 555?"
    second.close()
    rebuilt.close()
    notes.close()


def test_settings_live_in_an_ini_file_and_restore_size_splitters_and_place(qtbot, window, corpus_store):
    window.resize(795, 580)          # inside the offscreen screen (800×600): restoreGeometry clamps to it
    window.splitter.setSizes([300, 495])
    window.reader.zoom_in()
    window.open_place("dataset", "paedagog-dimensionering")
    tree_width = window.splitter.sizes()[0]
    window.close()
    assert settings_path().exists()
    text = settings_path().read_text()
    assert "paedagog-dimensionering" in text and "geometry" in text
    again = create_main_window(corpus_store, window.notes, make_settings())
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.size().width(), again.size().height()) == (795, 580)
    assert again.splitter.sizes()[0] == tree_width
    assert again.place == ("dataset", "paedagog-dimensionering")
    assert again.reader.zoom == 1
    assert again.stack.currentWidget() is again.figures_view
    again.close()


def _finish(qtbot, op):
    """Wait for a background operation to end and its result to reach the GUI thread."""
    assert op is not None
    qtbot.waitUntil(lambda: not op.running, timeout=60000)


def _menu_action(window, text):
    """The QAction a person clicks: found by its menu text (without the & mnemonic)."""
    from kkrdesk.ui.menus import plain_text

    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if plain_text(action.text()) == text:
                return action
    raise AssertionError(f"no menu entry {text!r}")


def test_import_reports_a_bad_file_by_name_and_reason(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    content = open_store(tmp_path / "lager.sqlite")
    notes = NotesStore()
    w = create_main_window(content, notes, make_settings())
    qtbot.addWidget(w)
    empty = tmp_path / "tom.txt"
    empty.write_text("")
    chosen = [str(empty), str(CORPUS / "resultatkontrakt-2019.txt")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (chosen, ""))
    _menu_action(w, "Importér dokumenter").trigger()          # the menu entry, as a person uses it
    _finish(qtbot, w.operation)
    imported, errors = w.last_import
    assert imported == 1 and len(errors) == 1 and errors[0].startswith("tom.txt: ")
    box = w.findChild(QMessageBox, "importErrors")
    assert box is not None and "tom.txt" in box.informativeText()
    assert box.text().startswith("1 fil kunne")
    assert w.model.rowCount(w.model.index(ROW["contracts"], 0)) == 1      # the good file is in: Resultatkontrakt 2019
    assert "1 dokument ·" in w.store_label.text()
    from kkrdesk.data import search_index

    assert search_index.current(content.conn)        # the import caught the search's postings up (#20)
    box.close()
    w.close()
    notes.close()
    content.close()


def test_run_app_says_when_the_store_cannot_be_opened(qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args, **kw: shown.append(args[2]))
    bad = tmp_path / "ikke-et-lager.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    assert run_app(bad) == 1
    assert shown and "ikke-et-lager.sqlite" in shown[0]
    shown.clear()
    assert run_app(tmp_path / "findes-ikke.sqlite") == 1
    assert "findes ikke" in shown[0]


def test_keyboard_only_tree_to_page_to_note(qtbot, window, corpus_store):
    window.open_place("item", _item_id(corpus_store.db))
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    assert window.tree.hasFocus()
    qtbot.keyClick(window.tree, Qt.Key_Down)                 # arrows walk the agenda and open each item
    assert window.reader.text().startswith("3.7 ")
    qtbot.keyClick(window.tree, Qt.Key_Tab)
    assert window.reader.browser.hasFocus()
    qtbot.keyClick(window.reader.browser, Qt.Key_Tab)          # Tab visits the page's links first
    assert window.reader.browser.textCursor().selectedText().startswith("Bilag 1: Bilag - Fællessekretariater")
    qtbot.keyClick(window.reader.browser, Qt.Key_Tab)          # then the item's theme link
    assert window.reader.browser.textCursor().selectedText() == "Fælleskommunale budgetter"
    qtbot.keyClick(window.reader.browser, Qt.Key_Tab)
    assert window.note_panel.star.hasFocus()
    qtbot.keyClick(window.note_panel.star, Qt.Key_Tab)
    assert window.note_panel.edit.hasFocus()
    qtbot.keyClick(window, Qt.Key_Up, Qt.AltModifier)        # previous item without leaving the note
    assert window.reader.text().startswith("3.5 ")
    window.reader.browser.setFocus()
    qtbot.keyClick(window.reader.browser, Qt.Key_Tab)
    qtbot.keyClick(window.reader.browser, Qt.Key_Return)      # Enter follows the focused link
    assert window.place[0] == "bilag"
    assert window.reader.text().startswith("Bilag 1: Sparringsgruppe")


def test_visible_controls_have_accessible_names(window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QPlainTextEdit

    unnamed = [w for cls in (QAbstractButton, QLineEdit, QPlainTextEdit, QAbstractItemView)
               for w in window.findChildren(cls)
               if not w.accessibleName() and w.isVisibleTo(window) and not isinstance(w.parent(), QAbstractItemView)
               and w.objectName() not in ("qt_scrollarea_viewport",)]
    assert [type(w).__name__ for w in unnamed] == []
    assert window.tree.accessibleName() == "Indholdsoversigt"


def test_first_window_does_not_import_matplotlib_or_reportlab(corpus_db_path, tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from kkrdesk.data.store import open_store\n"
        "from kkrdesk.ui.app import create_main_window\n"
        f"w = create_main_window(open_store({str(corpus_db_path)!r}))\n"
        "w.show(); app.processEvents()\n"
        "print(sorted(m for m in ('matplotlib', 'reportlab') if m in sys.modules))\n"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "KKRDESK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_export_briefing_calls_the_meeting_and_contract_builders(qtbot, window, corpus_store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    import kkrdesk.briefing as briefing

    calls = []
    monkeypatch.setattr(briefing, "build_meeting_pack", lambda db, mid, path, **kw: calls.append(("m", mid, kw)))
    monkeypatch.setattr(briefing, "build_contract_pack", lambda db, year, path, **kw: calls.append(("c", year, kw)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.pdf"), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.No)
    item_id = _item_id(corpus_store.db)
    meeting_id = corpus_store.db.execute("SELECT meeting_id FROM agenda_items WHERE id = ?", (item_id,)).fetchone()[0]
    window.open_place("item", item_id)
    _finish(qtbot, window.export_briefing())
    goal_id = corpus_store.db.execute("SELECT g.id FROM goals g JOIN contracts c ON c.id = g.contract_id "
                                      "WHERE c.year = 2022 AND g.number = '6'").fetchone()[0]
    window.open_place("goal", goal_id)
    _finish(qtbot, window.export_briefing())
    assert [(kind, ident) for kind, ident, _ in calls] == [("m", meeting_id), ("c", 2022)]
    assert calls[0][2]["with_notes"] is False and calls[0][2]["notes_path"] == window.notes.path


@pytest.mark.slow
def test_export_briefing_builds_the_meeting_pdf_with_my_notes(qtbot, window, corpus_store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from kkrdesk.briefing.readback import flat_text

    target = tmp_path / "briefing.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    window.open_place("item", _item_id(corpus_store.db))
    qtbot.keyClicks(window.note_panel.edit, "Min testnote til briefingen")
    _finish(qtbot, window.export_briefing())
    assert target.exists()
    text = flat_text(target)
    assert "Pædagogdimensionering 2021-2022" in text
    assert "Min testnote til briefingen" in text


def test_a_read_only_store_opens_and_refuses_import(qtbot, corpus_db_path):
    store = open_store(corpus_db_path, read_only=True)
    notes = NotesStore()
    w = create_main_window(store, notes, make_settings())
    qtbot.addWidget(w)
    assert not w.import_action.isEnabled()
    assert "skrivebeskyttet" in w.store_label.text()
    w.close()
    notes.close()
    store.close()


def test_themes_section_shows_a_thread_with_its_figures(qtbot, window):
    model = window.tree.model()
    themes_root = _child(model, model.index(-1, 0).parent(), "Temaer")
    sosu = _child(model, themes_root, "SOSU-dimensionering")
    assert sosu.isValid()
    _click(qtbot, window, sosu)
    text = window.reader.browser.toPlainText()
    assert "Punkter, nyeste først" in text
    assert "Fordeling af lærepladser på SOSU-uddannelserne 2026" in text
    assert "Lærepladser på SOSU-uddannelserne pr. kommune" in text   # the theme's dataset beside it
    window.open_link("dataset:sosu-dimensionering")
    assert window.stack.currentWidget() is window.figures_view
    window.open_place("theme", "paedagog")
    assert "Pædagogdimensionering 2021-2022" in window.reader.browser.toPlainText()
    # an item names its themes, and the link leads back into the thread
    window.open_place("item", _item_id(window.store.db))
    assert "Tema: Pædagogdimensionering" in window.reader.browser.toPlainText()
    window.open_link("theme:paedagog")
    assert window.reader.browser.toPlainText().startswith("Pædagogdimensionering")
    _shot(window, "themes.png")


def test_pages_are_made_when_first_opened_and_keep_what_was_left(qtbot, window, corpus_store):
    """#20.5: the first window builds only the reader; a page opened later has today's text size and
    the splitter it was left with, and a page never opened in a session keeps its saved splitter."""
    from kkrdesk.ui.app import ensure_app

    ensure_app()          # the app's style sheet, as at a real start: it re-polishes a page made later
    assert (window._goal, window._figures_view, window._search_view, window._notes_view,
            window._packs_view) == (None, None, None, None, None)
    before = window.reader.font_size()
    qtbot.keyClick(window, Qt.Key_Plus, Qt.ControlModifier)          # larger text before any goal page exists
    goal_id = corpus_store.db.execute("SELECT id FROM goals ORDER BY id LIMIT 1").fetchone()[0]
    _click_place(qtbot, window, "goal", goal_id)
    assert window.stack.currentWidget() is window.goal_page
    QApplication.processEvents()
    assert window.goal_view.reader.zoom == window.reader.zoom == 1
    assert window.goal_view.reader.font_size() == window.reader.font_size() > before   # as printed, not just set
    qtbot.keyClick(window, Qt.Key_Minus, Qt.ControlModifier)         # and it follows from then on
    assert window.reader.zoom == window.goal_view.reader.zoom == 0
    assert window.goal_view.reader.font_size() == window.reader.font_size() == before

    window.resize(795, 580)          # inside the offscreen screen (800×600): restoreGeometry clamps to it
    QApplication.processEvents()     # laid out at that size
    _click_place(qtbot, window, "dataset", "paedagog-dimensionering")
    QApplication.processEvents()
    window.figures_view.splitter.setSizes([150, 500])
    left = window.figures_view.splitter.sizes()
    window.open_place("meeting", corpus_store.db.execute("SELECT id FROM meetings LIMIT 1").fetchone()[0])
    window.close()

    second = create_main_window(corpus_store, window.notes, make_settings())   # never opens Nøgletal
    qtbot.addWidget(second)
    assert second._figures_view is None
    second.close()
    third = create_main_window(corpus_store, window.notes, make_settings())
    qtbot.addWidget(third)
    third.show()
    qtbot.waitExposed(third)
    _click_place(qtbot, third, "dataset", "paedagog-dimensionering")
    QApplication.processEvents()
    assert third.figures_view.splitter.sizes() == left
    third.close()
