"""Every menu entry does what it says when clicked, and every shortcut reaches its entry."""

import os
import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from kkrdesk.data.notes import NotesStore
from kkrdesk.data.store import open_store
from kkrdesk.ui.app import create_main_window, make_settings
from kkrdesk.ui.menus import MENUS, plain_text
from tests.test_ui_window import CORPUS, _finish, _item_id, _menu_action, _show_active


def _all_actions(window):
    return [action for menu in window.menuBar().actions() for action in menu.menu().actions()
            if not action.isSeparator()]


def test_every_menu_entry_does_what_it_says(qtbot, tmp_path, corpus_db_path, monkeypatch):
    import shutil

    path = tmp_path / "lager.sqlite"
    shutil.copy(corpus_db_path, path)
    store = open_store(path)
    notes = NotesStore(tmp_path / "noter.sqlite")
    window = create_main_window(store, notes, make_settings())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    _show_active(qtbot, window)
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: asked.append("import") or ([str(tmp_path / "ny.txt")], ""))
    (tmp_path / "ny.txt").write_text("Notat om klimaindsatsen i Nordjylland\n\nKKR drøfter planen.\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append("pack") or ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, _title, start, _filter: asked.append(f"save:{start}") or ("", ""))
    monkeypatch.setattr(QMessageBox, "about", lambda *a: asked.append("about"))
    from PySide6.QtPrintSupport import QPrintDialog

    monkeypatch.setattr(QPrintDialog, "exec", lambda self: asked.append("print") or QDialog.Rejected)
    item_id = _item_id(store.db)
    window.open_place("item", item_id)

    def do(text):
        _menu_action(window, text).trigger()

    do("Importér dokumenter")
    assert asked[-1] == "import"
    _finish(qtbot, window.operation)
    assert window.last_import == (1, [])
    do("Åbn pakke")
    assert asked[-1] == "pack"
    window.open_place("item", item_id)
    do("Eksportér briefing")
    assert asked[-1].startswith("save:") and asked[-1].endswith("/moede-i-kkr-nordjylland-2021.pdf")   # named from the meeting
    do("Sekretariat")
    assert window._secretariat.isVisible()
    window._secretariat.close()
    do("Udskriv")
    assert asked[-1] == "print"
    do("Indstillinger")
    assert window.preferences.isVisible()
    window.preferences.reject()
    do("Søg")
    assert window.stack.currentWidget() is window.search_view
    do("Mine noter")
    assert window.stack.currentWidget() is window.notes_view
    do("Pakker")
    assert window.stack.currentWidget() is window.packs_view
    do("Mit eget lager")
    assert "allerede" in window.statusBar().currentMessage()
    _show_active(qtbot, window)          # the secretariat and Indstillinger windows took the focus
    window.open_place("item", item_id)
    do("Næste")
    assert window.reader.text().startswith("3.7 ")
    do("Forrige")
    assert window.reader.text().startswith("3.5 ")
    do("Indholdsoversigt")
    assert window.tree.hasFocus()
    do("Læsevisning")
    assert window.reader.browser.hasFocus()
    do("Min note")
    assert window.note_panel.edit.hasFocus()
    do("Stjernemarkér")
    assert window.note_panel.star.isChecked()
    before = window.reader.zoom
    do("Større tekst")
    assert window.reader.zoom == before + 1
    do("Mindre tekst")
    assert window.reader.zoom == before
    do("Find i siden")
    assert window.reader.find_bar.isVisible()
    do("Tastaturgenveje")
    box = window.findChild(QMessageBox, "shortcuts")
    packs_keys = window.actions["show_packs"].shortcuts()[0].toString(QKeySequence.NativeText)  # "Ctrl+Skift+M" in Danish
    assert "Ctrl+I" in box.text() and "Importér dokumenter" in box.text() and packs_keys in box.text()
    box.close()
    do("Om kkrdesk")
    assert asked[-1] == "about"
    do("Afslut")
    assert not window.isVisible()
    walked = {"Importér dokumenter", "Åbn pakke", "Eksportér briefing", "Sekretariat", "Udskriv", "Indstillinger",
              "Søg", "Mine noter", "Pakker", "Mit eget lager", "Næste", "Forrige", "Indholdsoversigt", "Læsevisning",
              "Min note", "Stjernemarkér", "Større tekst", "Mindre tekst", "Find i siden", "Tastaturgenveje",
              "Om kkrdesk", "Afslut"}
    assert {plain_text(e.text) for _, entries in MENUS for e in entries if e} == walked   # none left out
    notes.close()
    store.close()


def test_every_shortcut_reaches_its_menu_entry(qtbot, corpus_store):
    notes = NotesStore()
    window = create_main_window(corpus_store, notes, make_settings())
    qtbot.addWidget(window)
    _show_active(qtbot, window)
    checked = 0
    for action in _all_actions(window):
        if not action.shortcuts():
            continue
        fired: list[str] = []
        action.triggered.disconnect()                 # what the entry does is tested above; here: the key
        text = action.text()
        action.triggered.connect(lambda *_a, t=text, f=fired: f.append(t))
        for sequence in action.shortcuts():
            combo = sequence[0]
            fired.clear()
            qtbot.keyClick(QApplication.focusWidget() or window, combo.key(), combo.keyboardModifiers())
            assert fired == [action.text()], f"{sequence.toString()} did not reach {action.text()}"
            checked += 1
    assert checked >= 20
    window.close()
    notes.close()


def test_status_tips_name_the_shortcut_and_no_issue_numbers(qtbot, corpus_store):
    notes = NotesStore()
    window = create_main_window(corpus_store, notes, make_settings())
    qtbot.addWidget(window)
    for action in _all_actions(window):
        assert action.statusTip(), action.text()
        assert "#" not in action.statusTip()
        if action.shortcuts():
            assert action.shortcuts()[0].toString(QKeySequence.NativeText) in action.statusTip()
    assert window.windowTitle() == "KKR Nordjylland"      # Qt adds " — kkrdesk" itself
    window.close()
    notes.close()


def test_import_runs_in_the_background_and_stop_keeps_only_whole_files(qtbot, tmp_path, monkeypatch):
    """Stop during the second of three files: the first is in, the last is not; the window kept running.
    Three files go through the batch: a spawned worker prepares them, this process writes them."""
    import threading

    from PySide6.QtCore import QTimer

    from kkrdesk.ingest import batch, batch_worker

    store = open_store(tmp_path / "lager.sqlite")
    notes = NotesStore(tmp_path / "noter.sqlite")
    window = create_main_window(store, notes, make_settings())
    qtbot.addWidget(window)
    window.resize(1024, 700)
    _show_active(qtbot, window)
    files = [CORPUS / "resultatkontrakt-2019.txt", CORPUS / "afrapportering-resultatkontrakt-2022.txt",
             CORPUS / "resultatkontrakt-2026.txt"]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], ""))
    release = threading.Event()
    real = batch.write_prepared

    def slow_write(s, prepared, *args, **kwargs):
        if prepared.path.name == files[1].name:
            release.wait(10)              # the second file takes long to write: time to press Stop
        return real(s, prepared, *args, **kwargs)

    monkeypatch.setattr(batch, "write_prepared", slow_write)
    folders, methods = [], []
    real_mkdtemp, real_worker = batch_worker.tempfile.mkdtemp, batch_worker.Worker.__init__

    def remembered(**kwargs):
        folders.append(real_mkdtemp(**kwargs))
        return folders[-1]

    def started(self, kind, work, share, method="fork"):
        methods.append(method)
        real_worker(self, kind, work, share, method)

    monkeypatch.setattr(batch_worker.tempfile, "mkdtemp", remembered)
    monkeypatch.setattr(batch_worker.Worker, "__init__", started)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.keyClick(window, Qt.Key_I, Qt.ControlModifier)
    op = window.operation
    dialog = op.dialog
    qtbot.waitUntil(lambda: "2 af 3" in dialog.labelText(), timeout=10000)
    assert dialog.value() == 1 and dialog.maximum() == 3                     # one file done of three
    _shot_with_dialog(window, dialog, "import-progress.png")
    ticks.clear()
    qtbot.wait(150)
    assert len(ticks) >= 5                                   # the event loop runs while the worker imports
    from PySide6.QtWidgets import QPushButton

    stop = [b for b in dialog.findChildren(QPushButton) if b.text() == "Stop"][0]
    qtbot.mouseClick(stop, Qt.LeftButton)
    release.set()
    _finish(qtbot, op)
    timer.stop()
    years = [r[0] for r in store.db.execute("SELECT year FROM contracts ORDER BY year")]
    assert 2019 in years and 2022 in years and 2026 not in years      # the file being written was finished
    assert "stoppet" in window.statusBar().currentMessage()
    assert methods == ["spawn"] and folders and not any(os.path.exists(f) for f in folders)   # worker gone
    assert window.model.rowCount(window.model.index(2, 0)) == len(years) + 1   # the years in, and what changed
    window.close()
    notes.close()
    store.close()


def _shot_with_dialog(window, dialog, name):
    """The window with its (separate) progress dialog drawn where it stands, as a person sees both."""
    from PySide6.QtGui import QPainter

    from tests.test_ui_window import SCREENSHOTS

    for _ in range(3):
        QApplication.processEvents()
    pixmap = window.grab()
    painter = QPainter(pixmap)
    offset = dialog.frameGeometry().topLeft() - window.geometry().topLeft()
    painter.drawPixmap(offset, dialog.grab())
    painter.end()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pixmap.save(str(SCREENSHOTS / name))


def _corpus_copy(corpus_db_path, tmp_path):
    import shutil

    path = tmp_path / "lager.sqlite"
    shutil.copy(corpus_db_path, path)
    return open_store(path)


def _slow_pages(monkeypatch, context):
    """Each progress step of a background operation a little slower, so a fast machine cannot finish an
    export between the test seeing its progress and clicking Stop. Returns the real step."""
    progress = context.progress
    monkeypatch.setattr(context, "progress", lambda self, *a, **k: (time.sleep(0.03), progress(self, *a, **k)))
    return progress


def test_briefing_export_runs_in_the_background_with_page_progress_and_stop(qtbot, corpus_db_path, tmp_path,
                                                                          monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPushButton

    store = _corpus_copy(corpus_db_path, tmp_path)
    notes = NotesStore(tmp_path / "noter.sqlite")
    window = create_main_window(store, notes, make_settings())
    qtbot.addWidget(window)
    window.resize(1024, 700)
    _show_active(qtbot, window)
    target = tmp_path / "moede.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.No)
    from kkrdesk.ui.operations import Context

    progress = _slow_pages(monkeypatch, Context)
    window.open_place("item", _item_id(store.db))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier)                   # Eksportér briefing…
    op = window.operation
    qtbot.waitUntil(lambda: "side 3" in op.dialog.labelText(), timeout=60000)
    window.open_place("item", _item_id(store.db, "3.7",
                                       "De fælleskommunale sekretariater – regnskab 2020 og budget 2021"))
    assert window.reader.text().startswith("3.7 ")                          # the window reads on meanwhile
    _shot_with_dialog(window, op.dialog, "export-in-progress.png")
    # the GUI thread keeps ticking while the export runs (waited for: a quiet machine reaches page 3 fast)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)
    assert op.running
    stop = [b for b in op.dialog.findChildren(QPushButton) if b.text() == "Stop"][0]
    qtbot.mouseClick(stop, Qt.LeftButton)
    _finish(qtbot, op)
    timer.stop()
    assert not target.exists() and not list(tmp_path.glob(".moede.pdf*"))   # nothing half-written
    assert "stoppet" in window.statusBar().currentMessage()
    monkeypatch.setattr(Context, "progress", progress)
    _finish(qtbot, window.export_briefing())                                 # again, to the end this time
    assert target.read_bytes()[:5] == b"%PDF-"
    assert window.statusBar().currentMessage() == f"Briefing gemt: {target}"
    window.close()
    notes.close()
    store.close()


def test_meeting_folder_export_stops_without_a_trace(qtbot, corpus_db_path, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from kkrdesk.publish import publications
    from kkrdesk.ui.operations import Context
    from kkrdesk.ui.secretariat import SecretariatView

    _slow_pages(monkeypatch, Context)

    store = _corpus_copy(corpus_db_path, tmp_path)
    view = SecretariatView(store)
    qtbot.addWidget(view)
    view.show()
    meeting_id = store.db.execute("SELECT meeting_id FROM agenda_items WHERE id = ?",
                                  (_item_id(store.db),)).fetchone()[0]
    view.select_meeting(meeting_id)
    folder = tmp_path / "mappe"
    view.export_to(folder)
    op = view.operation
    assert "vinduet kan bruges imens" in view.status.text()
    qtbot.waitUntil(lambda: "side 2" in op.dialog.labelText(), timeout=60000)
    stop = [b for b in op.dialog.findChildren(QPushButton) if b.text() == "Stop"][0]
    qtbot.mouseClick(stop, Qt.LeftButton)
    _finish(qtbot, op)
    assert view.status.text() == "Eksporten blev stoppet."
    assert list(folder.iterdir()) == [] and publications(store.db, meeting_id) == []   # all or nothing
    store.close()


def test_a_folder_imported_in_the_window_goes_through_a_spawned_worker(qtbot, tmp_path, monkeypatch):
    """Three files or more: a spawned worker reads and parses them (a thread cannot fork the guard's
    child itself), the window's thread writes them; the store holds what the command line's import gives."""
    from kkrdesk.cli import main as cli_main
    from kkrdesk.ingest import batch_worker

    methods = []
    real_worker = batch_worker.Worker.__init__

    def started(self, kind, work, share, method="fork"):
        methods.append(method)
        real_worker(self, kind, work, share, method)

    monkeypatch.setattr(batch_worker.Worker, "__init__", started)
    store = open_store(tmp_path / "lager.sqlite")
    notes = NotesStore(tmp_path / "noter.sqlite")
    window = create_main_window(store, notes, make_settings())
    qtbot.addWidget(window)
    _show_active(qtbot, window)
    files = [CORPUS / "resultatkontrakt-2019.txt", CORPUS / "kkr-moede-2021-bilag.txt",
             CORPUS / "afrapportering-resultatkontrakt-2022.txt", CORPUS / "resultatkontrakt-2026.txt"]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], ""))
    qtbot.keyClick(window, Qt.Key_I, Qt.ControlModifier)
    _finish(qtbot, window.operation)
    assert methods == ["spawn"]
    assert window.last_import == (4, [])
    assert "4 af 4 filer importeret" in window.statusBar().currentMessage()

    def facts(conn):
        return [conn.execute(sql).fetchall() for sql in (
            "SELECT year, is_report, title FROM contracts ORDER BY year, is_report",
            "SELECT COUNT(*) FROM goals", "SELECT COUNT(*) FROM results", "SELECT COUNT(*) FROM figures",
            "SELECT COUNT(*) FROM sections", "SELECT COUNT(*) FROM agenda_items", "SELECT COUNT(*) FROM originals")]

    cli_db = tmp_path / "cli.sqlite"
    assert cli_main(["--db", str(cli_db), "import", *map(str, files)]) == 0
    cli = open_store(cli_db)
    assert facts(store.conn) == facts(cli.conn)
    window.close()
    notes.close()
    store.close()
    cli.close()
