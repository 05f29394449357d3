"""The main window: sidebar tree, the page for what is selected, menus, status bar, remembered state."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QWidget,
)

from kkrdesk import __version__
from kkrdesk.data import queries, themes
from kkrdesk.data.danish import count_text, format_date
from kkrdesk.data.figures.pivot import pivot_figures
from kkrdesk.data.notes import NotesStore, bilag_key, goal_key, item_key, resolve_key
from kkrdesk.data.originals import original_pdf, page_of_line
from kkrdesk.data.queries import source_label
from kkrdesk.data.search import Hit
from kkrdesk.data.store import Store
from kkrdesk.paths import resources_dir
from kkrdesk.ui import render, sources
from kkrdesk.ui.chart_images import chart_image
from kkrdesk.ui.figures_view import FiguresView
from kkrdesk.ui.goal_view import GoalView
from kkrdesk.ui.nav_model import IdentRole, KindRole, NavModel
from kkrdesk.ui.note_panel import NotePanel
from kkrdesk.ui.notes_view import NotesView
from kkrdesk.ui.reader import ReaderView
from kkrdesk.ui.search_view import SearchView

IMPORT_FILTER = "Dokumenter (*.txt *.md *.pdf *.docx);;Alle filer (*)"


class MainWindow(QMainWindow):
    def __init__(self, store: Store, notes: NotesStore, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.notes = notes
        self.settings = settings
        self.place: tuple[str, object] | None = None
        self._syncing = False
        self.setWindowTitle("kkrdesk – KKR Nordjylland")
        self.resize(1280, 800)

        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Indholdsoversigt")
        self.tree.setUniformRowHeights(True)
        self.tree.setMinimumWidth(220)

        self.reader = ReaderView()
        self.reader.browser.chart_images = lambda name: chart_image(self.store.db, name)   # tables' charts (#15)
        self.note_panel = NotePanel(notes)
        self.reader_page = QSplitter(Qt.Horizontal)
        self.reader_page.setObjectName("readerSplitter")
        self.reader_page.addWidget(self.reader)
        self.reader_page.addWidget(self.note_panel)
        self.reader_page.setStretchFactor(0, 3)
        self.reader_page.setStretchFactor(1, 1)
        self.reader_page.setSizes([700, 280])
        self.reader_page.setCollapsible(1, False)

        self.goal_view = GoalView(store.db)
        self.goal_note_panel = NotePanel(notes)
        self.goal_page = QSplitter(Qt.Horizontal)
        self.goal_page.setObjectName("goalPageSplitter")
        self.goal_page.addWidget(self.goal_view)
        self.goal_page.addWidget(self.goal_note_panel)
        self.goal_page.setStretchFactor(0, 3)
        self.goal_page.setStretchFactor(1, 1)
        self.goal_page.setSizes([700, 280])
        self.goal_page.setCollapsible(1, False)

        self.figures_view = FiguresView(store.db)
        self.search_view = SearchView(store.db)
        self.notes_view = NotesView(notes)

        self.stack = QStackedWidget()
        for page in (self.reader_page, self.goal_page, self.figures_view, self.search_view, self.notes_view):
            self.stack.addWidget(page)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 950])
        self.setCentralWidget(self.splitter)

        self.store_label = QLabel("")
        self.statusBar().addPermanentWidget(self.store_label)

        for reader in (self.reader, self.goal_view.reader):
            reader.zoomChanged.connect(self._sync_zoom)
            reader.linkActivated.connect(self.open_link)
            reader.previousRequested.connect(lambda: self.step(-1))
            reader.nextRequested.connect(lambda: self.step(1))
        self.search_view.hitActivated.connect(self.open_hit)
        self.search_view.placeActivated.connect(lambda kind, ident: self.open_place(kind, ident))
        self.notes_view.noteActivated.connect(self.open_note)
        for panel in (self.note_panel, self.goal_note_panel):
            panel.changed.connect(self._note_changed)

        self._build_menus()
        self.set_store(store)
        self.setTabOrder(self.tree, self.reader.browser)
        self.setTabOrder(self.reader.browser, self.note_panel.star)
        self.setTabOrder(self.note_panel.star, self.note_panel.edit)
        self.restore_state()

    # --- store ---------------------------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        """Show another store (after an import, or an opened pack); notes stay where they are."""
        self.store = store
        for view in (self.goal_view, self.figures_view, self.search_view):
            view.db = store.db
        old = getattr(self, "model", None)
        self.model = NavModel(store.db, self)
        self.tree.setModel(self.model)
        if old is not None:
            old.deleteLater()
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.update_status()
        self.import_action.setEnabled(not store.read_only)

    def update_status(self) -> None:
        # the tree's root counts, read once when the model was built (no second dataset list, #20.5)
        counts = {node.kind: node.count for node in self.model.root.children}
        meetings, documents = counts.get("meetings", 0), counts.get("documents", 0)
        years, datasets = counts.get("contracts", 0), counts.get("datasets", 0)
        name = self.store.path.name if self.store.path else "midlertidigt lager"
        from kkrdesk.data.packs import pack_label

        state = f" · {pack_label(self.store) or 'skrivebeskyttet'}" if self.store.read_only else ""
        self.store_label.setText(
            f"{name}{state} · {meetings} møde{'r' if meetings != 1 else ''} · {documents} dokumenter · "
            f"{years} kontraktår · {datasets} datasæt")
        self.store_label.setToolTip(str(self.store.path or ""))

    # --- menus and shortcuts -------------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        files = bar.addMenu("&Filer")
        self.import_action = self._action(files, "&Importér dokumenter…", self.import_documents, "Ctrl+I",
                                          "Læs nye dokumenter (txt, md, pdf, docx) ind i lageret")
        self._action(files, "Å&bn pakke…", self.open_pack, QKeySequence.Open, "Åbn en udgivet mødepakke (.kkrpack)")
        files.addSeparator()
        self._action(files, "&Eksportér briefing…", self.export_briefing, "Ctrl+E",
                     "Gem mødet som én PDF til print eller læsning")
        self._action(files, "&Sekretariat…", self.open_secretariat, "Ctrl+Shift+S",
                     "Forbered et møde: punkter, bilag og mødemappe (#7)")
        self._action(files, "&Udskriv…", self.print_page, QKeySequence.Print, "Udskriv den viste side")
        files.addSeparator()
        self._action(files, "&Afslut", self.close, QKeySequence.Quit)

        go = bar.addMenu("&Gå")
        self._action(go, "&Søg…", self.show_search, ["Ctrl+K"], "Søg i alt materiale")
        self._action(go, "&Mine noter", lambda: self.open_place("notes", None), "Ctrl+Shift+N")
        go.addSeparator()
        self._action(go, "&Forrige", lambda: self.step(-1), "Alt+Up")
        self._action(go, "&Næste", lambda: self.step(1), "Alt+Down")
        go.addSeparator()
        self._action(go, "&Indholdsoversigt", self.tree.setFocus, "Ctrl+1")
        self._action(go, "&Læsevisning", self.focus_content, "Ctrl+2")
        self._action(go, "Min &note", self.focus_note, "Ctrl+3")
        self._action(go, "S&tjernemarkér", self.toggle_star, "Ctrl+D")

        view = bar.addMenu("&Vis")
        self._action(view, "&Større tekst", self.zoom_in, [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self._action(view, "&Mindre tekst", self.zoom_out, [QKeySequence("Ctrl+-")])
        self._action(view, "&Find i siden…", self.find_in_page, QKeySequence.Find)

        help_menu = bar.addMenu("&Hjælp")
        self._action(help_menu, "&Tastaturgenveje", self.show_shortcuts, "F1")
        self._action(help_menu, "&Om kkrdesk", self.show_about)

    # --- navigation ----------------------------------------------------------------------------

    def _sync_zoom(self, steps: int) -> None:
        """One text size for every page: a reader who needs 150 % needs it everywhere."""
        for reader in (self.reader, self.goal_view.reader):
            reader.set_zoom(steps)

    def _update_steps(self) -> None:
        index = self.tree.currentIndex()
        for reader in (self.reader, self.goal_view.reader):
            reader.prev_button.setEnabled(index.isValid() and index.row() > 0)
            reader.next_button.setEnabled(index.isValid() and index.siblingAtRow(index.row() + 1).isValid())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_steps()
        if self._syncing or not current.isValid():
            return
        self.open_place(current.data(KindRole), current.data(IdentRole), select=False)

    def select_in_tree(self, kind: str, ident: object) -> None:
        index = self.model.find(kind, ident)
        if not index.isValid():
            return
        self._syncing = True
        try:
            parent = index.parent()
            while parent.isValid():
                self.tree.expand(parent)
                parent = parent.parent()
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        finally:
            self._syncing = False

    def open_link(self, link: str) -> None:
        kind, _, ident = link.partition(":")
        if kind == "goalkey":        # an agenda item's link to a contract goal: "goalkey:goal:<year>:<no>"
            target = resolve_key(self.store.db, ident)
            if target:
                self.open_place(*target)
            else:
                self.statusBar().showMessage("Målet findes ikke i det åbne lager", 4000)
            return
        if kind == "source":         # a fact's provenance: "source:<document id>:<line>" (#15)
            document, _, line = ident.partition(":")
            if document.isdigit():
                self.open_source(int(document), int(line) if line.isdigit() else None)
            return
        if kind in ("item", "bilag", "goal", "meeting", "document", "indicator") and ident.isdigit():
            self.open_place(kind, int(ident))
        elif kind in ("dataset", "theme"):
            self.open_place(kind, ident)

    def open_place(self, kind: str, ident: object, anchor: str | None = None, select: bool = True) -> None:
        """Show a place (and select it in the tree); the place is remembered for the next start."""
        if select:
            self.select_in_tree(kind, ident)
        self.place = (kind, ident)
        db = self.store.db
        show = getattr(self, f"_show_{kind}", None)
        if show is None:
            return
        show(db, ident, anchor)

    def _reader(self, html: str, source: str = "", anchor: str | None = None,
                note: tuple[str, str, str] | None = None) -> None:
        self.stack.setCurrentWidget(self.reader_page)
        self.reader.show_html(html, source, anchor)
        if note:
            self.note_panel.set_target(*note)
            self.note_panel.show()
            _ensure_side_width(self.reader_page)
        else:
            self.note_panel.set_target(None)
            self.note_panel.hide()

    def _show_meetings(self, db, _ident, anchor) -> None:
        rows = queries.list_meetings(db)
        items = "".join(
            f'<li><a href="meeting:{m["id"]}">{escape(m["title"])}</a> – '
            f'{escape(format_date(m["date"]) if m["date"] else "dato ukendt")}, {count_text(m["items"], "punkt", "punkter")}</li>'
            for m in rows)
        self._reader(f"<h1>Møder</h1><ul>{items}</ul>" if rows else
                     "<h1>Møder</h1><p>Ingen møder endnu. Importér en bilagspakke under Filer.</p>")

    def _show_meeting(self, db, ident, anchor) -> None:
        meeting = queries.get_meeting(db, ident)
        if meeting is None:
            return self._missing()
        doc = queries.get_document(db, meeting["document_id"]) if meeting.get("document_id") else None
        if self.store.read_only:  # a newer pack version: what the member read that is no longer on the agenda
            from kkrdesk.data.pack_install import removed_for_pack

            meeting["removed"] = removed_for_pack(db)
        self._reader(render.meeting_html(meeting), source_label(doc and doc["file_name"], None))

    def _show_item(self, db, ident, anchor) -> None:
        item = queries.get_agenda_item(db, ident)
        if item is None:
            return self._missing()
        doc = queries.get_document(db, item["document_id"]) if item.get("document_id") else None
        file_name = doc["file_name"] if doc else None
        meeting = {"title": item["meeting_title"], "date": item["meeting_date"]}
        key = item_key(meeting, item["number"], item["title"])
        if self.store.read_only:  # a pack: the item counts as read, its "Ændret"/"Ny" mark goes next time (#7)
            from kkrdesk.data.pack_install import mark_item_read_in

            mark_item_read_in(db, item)
        item["themes"] = [(t.key, t.name) for key in themes.tags_for(db, "item", ident)
                          if (t := themes.find_theme(key)) is not None]
        self._reader(render.item_html(item, file_name), source_label(file_name, item.get("line_start")), anchor,
                     (key, f"{item['number']} {item['title']}".strip(), item["meeting_title"]))

    def _show_bilag(self, db, ident, anchor) -> None:
        bilag = queries.get_bilag(db, ident)
        if bilag is None:
            return self._missing()
        item = queries.get_agenda_item(db, bilag["agenda_item_id"])
        sections = queries.document_sections(db, bilag["document_id"]) if bilag.get("document_id") else []
        meeting = {"title": item["meeting_title"], "date": item["meeting_date"]}
        key = bilag_key(item_key(meeting, item["number"], item["title"]), bilag["number"])
        title = f"Bilag {bilag['number']} til {item['number'] or item['title']}: {bilag['title']}"
        datasets = sources.table_datasets(db, bilag.get("document_id"))
        self._reader(render.bilag_html(bilag, sections, datasets), source_label(bilag.get("document"), bilag.get("line_start")),
                     anchor, (key, title, item["meeting_title"]))
        self.reader.set_document(original_pdf(db, bilag.get("document_id")))

    def _show_documents(self, db, _ident, anchor) -> None:
        rows = queries.list_documents(db)
        items = "".join(
            f'<li><a href="document:{d["id"]}">{escape(d["title"] or d["file_name"])}</a>'
            f' <span style="{render.QUIET}">({escape(d["file_name"])}'
            f'{", " + str(d["parts"]) + " dele" if d["parts"] else ""})</span></li>' for d in rows)
        self._reader(f"<h1>Dokumenter</h1><p>{len(rows)} importerede filer.</p><ul>{items}</ul>")

    def _show_document(self, db, ident, anchor) -> None:
        doc = queries.get_document(db, ident)
        if doc is None:
            return self._missing()
        sections = queries.document_sections(db, ident)
        self._reader(render.document_html(doc, sections, sources.table_datasets(db, ident)), source_label(doc["file_name"], doc["line_start"]),
                     anchor)
        self.reader.set_document(original_pdf(db, ident))

    def _show_contracts(self, db, _ident, anchor) -> None:
        rows, years = sources.contract_overview(db)
        self._reader(render.overview_html(rows, years))

    _show_year = _show_contracts

    def _show_goal(self, db, ident, anchor) -> None:
        self.stack.setCurrentWidget(self.goal_page)
        goal = self.goal_view.set_goal(ident, anchor)
        if goal is None:
            self.goal_note_panel.set_target(None)
            return
        self.goal_note_panel.set_target(goal_key(goal["year"], goal["number"]),
                                        f"Mål {goal['number']}: {goal['title']}",
                                        f"Resultatkontrakt {goal['year']}")

    def _show_indicator(self, db, ident, anchor) -> None:
        goal_id = sources.indicator_goal(db, ident)
        if goal_id is not None:
            self._show_goal(db, goal_id, anchor)

    def _show_datasets(self, db, _ident, anchor) -> None:
        rows = sources.datasets(db)
        items = "".join(
            f'<li><a href="dataset:{escape(d["name"])}">{escape(d["title"])}</a> – {d["rows"]} tal'
            f'<br><span style="{render.QUIET}">{escape(d.get("description") or "")}</span></li>' for d in rows)
        self._reader("<h1>Nøgletal</h1>" + (f"<ul>{items}</ul>" if rows else "<p>Ingen nøgletal i lageret.</p>"))

    def _show_dataset(self, db, ident, anchor) -> None:
        self.stack.setCurrentWidget(self.figures_view)
        self.figures_view.set_dataset(ident)

    def _show_themes(self, db, _ident, anchor) -> None:
        rows = themes.list_themes(db)
        items = "".join(f'<li><a href="theme:{escape(t["key"])}">{escape(t["name"])}</a> – {count_text(t["items"], "punkt", "punkter")}</li>'
                        for t in rows)
        self._reader("<h1>Temaer</h1><p>Sager der går igen fra møde til møde.</p>"
                     f"<ul>{items}</ul>")

    def _show_theme(self, db, ident, anchor) -> None:
        theme = themes.find_theme(str(ident))
        if theme is None:
            return self._missing()
        thread = themes.theme_thread(db, theme)
        for dataset in thread["datasets"]:  # the numbers beside the thread, as the document printed them
            dataset["table"] = pivot_figures(sources.dataset_rows(db, dataset["name"]))
        self._reader(render.theme_html(thread))

    def _show_notes(self, db, _ident, anchor) -> None:
        self.notes_view.refresh()
        self.stack.setCurrentWidget(self.notes_view)

    def _missing(self) -> None:
        self._reader("<h1>Findes ikke længere</h1><p>Det valgte findes ikke i dette lager.</p>")

    def step(self, delta: int) -> None:
        """Previous/next sibling in the tree (the next agenda item, bilag, goal …)."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        sibling = index.siblingAtRow(index.row() + delta)
        if sibling.isValid():
            self.tree.setCurrentIndex(sibling)
            self.tree.scrollTo(sibling)
        else:
            self.statusBar().showMessage("Der er ikke flere i denne gruppe", 3000)

    def show_search(self) -> None:
        self.stack.setCurrentWidget(self.search_view)
        self.search_view.field.setFocus()
        self.search_view.field.selectAll()

    def open_hit(self, hit: Hit) -> None:
        """Open a search hit at its line (its page, in a PDF); a bilag opens as a bilag (with its item and note).

        In the text the match is selected and scrolled into the middle of the view (#19.6).
        """
        from kkrdesk.data.search import query_terms
        from kkrdesk.ui.search_view import show_match

        result = self.search_view.result
        words = query_terms(result.query if result else self.search_view.field.text())
        if not self.open_source(hit.document_id, hit.line, words):
            show_match(self.reader.browser, self.search_view.match_pattern())

    def open_source(self, document_id: int, line: int | None, words: list[str] | None = None) -> bool:
        """Open a document where `line` is printed: the page view at its page for a PDF (True), else the text line."""
        row = self.store.db.execute("SELECT id FROM bilag WHERE document_id = ? LIMIT 1", (document_id,)).fetchone()
        anchor = f"L{line}" if line else None
        if row:
            self.open_place("bilag", row[0], anchor=anchor)
        else:
            self.open_place("document", document_id, anchor=anchor)
        page = page_of_line(self.store.db, document_id, line)
        if page and self.reader.original is not None:   # a PDF opens at its page, the match marked (#15)
            self.reader.show_page(page, words)
            return True
        if words:
            self.reader.select_from_top(words)
        return False

    def open_note(self, key: str) -> None:
        target = resolve_key(self.store.db, key)
        if target is None:
            QMessageBox.information(self, "Mine noter", "Det, noten handler om, findes ikke i det åbne lager. "
                                    "Noten er gemt og vises igen, når materialet er importeret.")
            return
        self.open_place(*target)
        self.focus_note()

    def _note_changed(self, _key: str) -> None:
        if self.stack.currentWidget() is self.notes_view:
            self.notes_view.refresh()

    # --- current-page helpers ------------------------------------------------------------------

    def current_reader(self) -> ReaderView | None:
        page = self.stack.currentWidget()
        if page is self.reader_page:
            return self.reader
        if page is self.goal_page:
            return self.goal_view.reader
        return None

    def current_note_panel(self) -> NotePanel | None:
        page = self.stack.currentWidget()
        if page is self.reader_page and self.note_panel.isEnabled():
            return self.note_panel
        if page is self.goal_page and self.goal_note_panel.isEnabled():
            return self.goal_note_panel
        return None

    def focus_content(self) -> None:
        self.stack.currentWidget().setFocus()
        reader = self.current_reader()
        if reader:
            reader.browser.setFocus()

    def focus_note(self) -> None:
        panel = self.current_note_panel()
        if panel:
            panel.edit.setFocus()

    def toggle_star(self) -> None:
        panel = self.current_note_panel()
        if panel:
            panel.star.toggle()

    def zoom_in(self) -> None:
        reader = self.current_reader()
        if reader:
            reader.zoom_in()

    def zoom_out(self) -> None:
        reader = self.current_reader()
        if reader:
            reader.zoom_out()

    def find_in_page(self) -> None:
        reader = self.current_reader()
        if reader:
            reader.open_find()
        else:
            self.show_search()

    # --- file menu -----------------------------------------------------------------------------

    def import_documents(self, paths: list[Path] | None = None) -> list[str]:
        """Import files with a progress dialog; returns the error lines (also shown in a dialog)."""
        from kkrdesk.ingest.importer import import_file
        from kkrdesk.ingest.readers import ImportProblem

        if self.store.read_only:
            QMessageBox.information(self, "Importér dokumenter",
                                    "Det åbne lager er en udgivet pakke og kan ikke ændres.")
            return []
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(self, "Importér dokumenter", str(Path.home()), IMPORT_FILTER)
            paths = [Path(p) for p in chosen]
        if not paths:
            return []
        progress = QProgressDialog("Importerer …", "Stop", 0, len(paths), self)
        progress.setWindowTitle("Importér dokumenter")
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(300)
        errors: list[str] = []
        imported = 0
        for number, path in enumerate(paths):
            if progress.wasCanceled():
                break
            progress.setLabelText(f"Importerer {path.name} ({number + 1} af {len(paths)}) …")
            progress.setValue(number)
            try:
                import_file(self.store, path)
                imported += 1
            except ImportProblem as exc:
                errors.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - one bad file must not take the window down
                errors.append(f"{path.name}: kunne ikke importeres ({type(exc).__name__}: {exc})")
        progress.setValue(len(paths))
        place = self.place
        self.set_store(self.store)
        if place:
            self.open_place(*place)
        self.statusBar().showMessage(f"{imported} af {len(paths)} filer importeret", 5000)
        if errors:
            box = QMessageBox(QMessageBox.Warning, "Importér dokumenter",
                              f"{len(errors)} fil{'er' if len(errors) != 1 else ''} kunne ikke importeres:",
                              QMessageBox.Ok, self)
            box.setInformativeText("\n".join(errors))
            box.setObjectName("importErrors")
            if QApplication.platformName() == "offscreen":
                box.show()   # tests read it without blocking
            else:
                box.exec()
        return errors

    def open_pack(self) -> None:
        """Hook for published packs (#7): install (replacing an older version) and open read-only."""
        from kkrdesk.ui.seal_dialogs import install_and_open_asking  # #18: passphrase, new sender, tampered

        path, _ = QFileDialog.getOpenFileName(self, "Åbn pakke", str(Path.home()), "kkrdesk-pakker (*.kkrpack)")
        if not path:
            return
        from kkrdesk.data.store import StoreError

        try:
            opened = install_and_open_asking(self, Path(path))  # replaces an older version; notes stay (#7)
        except StoreError as exc:
            QMessageBox.warning(self, "Åbn pakke", str(exc))
            return
        if opened is None:  # the member stopped at a question (passphrase, new key) or a refusal was shown
            return
        store, _installed = opened
        self.set_store(store)
        self.open_place("meetings", None)

    def open_secretariat(self) -> None:
        """Secretariat mode (#7): a separate window on the same store; the tree follows its changes."""
        from kkrdesk.ui.secretariat import open_secretariat

        self._secretariat = open_secretariat(self.store, self)
        self._secretariat.changed.connect(lambda: self.set_store(self.store))

    def _current_meeting_id(self) -> int | None:
        if not self.place:
            return None
        kind, ident = self.place
        db = self.store.db
        if kind == "meeting":
            return ident
        if kind == "item":
            item = queries.get_agenda_item(db, ident)
            return item["meeting_id"] if item else None
        if kind == "bilag":
            bilag = queries.get_bilag(db, ident)
            return bilag["meeting_id"] if bilag else None
        meetings = queries.list_meetings(db)
        return meetings[0]["id"] if meetings else None

    def _current_contract_year(self) -> int | None:
        if not self.place:
            return None
        kind, ident = self.place
        if kind == "year":
            return ident
        if kind in ("goal", "indicator"):
            goal_id = ident if kind == "goal" else sources.indicator_goal(self.store.db, ident)
            goal = sources.goal_detail(self.store.db, goal_id) if goal_id else None
            return goal["year"] if goal else None
        return None

    def export_briefing(self) -> None:
        """The briefing PDF (kkrdesk.briefing) of the contract year or meeting being read."""
        build_meeting, build_contract = briefing_builders()
        year = self._current_contract_year()
        meeting_id = None if year is not None else self._current_meeting_id()
        if year is None and meeting_id is None:
            QMessageBox.information(self, "Eksportér briefing", "Vælg et møde eller en resultatkontrakt først.")
            return
        name = f"resultatkontrakt-{year}.pdf" if year is not None else "briefing.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Eksportér briefing", str(Path.home() / name), "PDF (*.pdf)")
        if not path:
            return
        with_notes = QMessageBox.question(
            self, "Eksportér briefing", "Skal dine private noter med i PDF'en (i gule felter)?",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No) == QMessageBox.Yes
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            if year is not None:
                build_contract(self.store.db, year, Path(path), with_notes=with_notes, notes_path=self.notes.path)
            else:
                build_meeting(self.store.db, meeting_id, Path(path), with_notes=with_notes,
                              notes_path=self.notes.path)
        except Exception as exc:  # noqa: BLE001 - report, don't crash
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Eksportér briefing", f"{Path(path).name}: kunne ikke laves ({exc})")
            return
        QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"Briefing gemt: {path}", 5000)

    def print_page(self) -> None:
        reader = self.current_reader()
        if reader is None:
            QMessageBox.information(self, "Udskriv", "Vælg et punkt, et bilag eller et dokument at udskrive.")
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.Accepted:
            reader.browser.print_(printer)

    # --- help ----------------------------------------------------------------------------------

    def show_about(self) -> None:
        QMessageBox.about(
            self, "Om kkrdesk",
            f"<h3>kkrdesk {__version__}</h3>"
            "<p>KKR Nordjyllands mødemateriale, resultatkontrakter og nøgletal – offline.</p>"
            "<p>Alt vises ud fra de importerede dokumenter; under hver oplysning står kilden "
            "(dokument og linje). Dine noter gemmes privat på denne computer.</p>"
            f"<p>Lager: {escape(str(self.store.path or 'midlertidigt'))}<br>"
            f"Noter: {escape(str(self.notes.path))}</p>"
            "<p>Bygget med Qt (LGPL-3.0, via PySide6), matplotlib, reportlab, pypdf, python-docx og "
            f"sqlite-utils. Licenser: {escape(str(resources_dir() / 'licenses'))}</p>")

    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self, "Tastaturgenveje",
            "Ctrl+K  Søg i alt materiale\nCtrl+F  Find i siden\nCtrl++ / Ctrl+-  Større / mindre tekst\n"
            "Alt+Op / Alt+Ned  Forrige / næste punkt\nCtrl+1  Indholdsoversigt\nCtrl+2  Læsevisning\n"
            "Ctrl+3  Min note\nCtrl+D  Stjernemarkér\nCtrl+Shift+N  Mine noter\nCtrl+I  Importér dokumenter\n"
            "Ctrl+E  Eksportér briefing\nCtrl+P  Udskriv")

    # --- remembered state ----------------------------------------------------------------------

    SPLITTERS = ("splitter", "reader_page", "goal_page")

    def restore_state(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry:
            self.restoreGeometry(geometry)
        for name in self.SPLITTERS:
            state = s.value(f"splitters/{name}")
            if state:
                getattr(self, name).restoreState(state)
        for name, widget in (("goal", self.goal_view.splitter), ("figures", self.figures_view.splitter)):
            state = s.value(f"splitters/{name}")
            if state:
                widget.restoreState(state)
        zoom = s.value("reader/zoom")
        if zoom not in (None, ""):
            self._sync_zoom(int(zoom))
        kind = s.value("place/kind")
        ident = s.value("place/ident")
        if kind:
            if s.value("place/ident_type") == "int" and ident is not None:
                ident = int(ident)
            elif ident in ("", None):
                ident = None
            index = self.model.find(kind, ident)
            if index.isValid() or kind in ("notes",):
                self.open_place(kind, ident)
                return
        self.open_default()

    def open_default(self) -> None:
        meetings = queries.list_meetings(self.store.db)
        if meetings:
            self.open_place("meeting", meetings[0]["id"])
        else:
            self.open_place("documents", None)

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        for name in self.SPLITTERS:
            s.setValue(f"splitters/{name}", getattr(self, name).saveState())
        s.setValue("splitters/goal", self.goal_view.splitter.saveState())
        s.setValue("splitters/figures", self.figures_view.splitter.saveState())
        s.setValue("reader/zoom", self.reader.zoom)
        if self.place:
            kind, ident = self.place
            s.setValue("place/kind", kind)
            s.setValue("place/ident", "" if ident is None else str(ident))
            s.setValue("place/ident_type", "int" if isinstance(ident, int) else "str")
        s.sync()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.save_state()
        super().closeEvent(event)


def _ensure_side_width(splitter: QSplitter, width: int = 300) -> None:
    """A side panel shown after being hidden can come back at zero width; give it room again."""
    sizes = splitter.sizes()
    total = sum(sizes)
    if len(sizes) == 2 and total > width * 2 and sizes[1] < 150:
        splitter.setSizes([total - width, width])


def briefing_builders():
    """(build_meeting_pack, build_contract_pack) from kkrdesk.briefing.

    Imported only when asked for: reportlab must stay off the start-up path.
    """
    from kkrdesk.briefing import build_contract_pack, build_meeting_pack

    return build_meeting_pack, build_contract_pack
