"""The main window: sidebar tree, the page for what is selected, menus, status bar, remembered state."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QWidget,
)

from kkrdesk import __version__
from kkrdesk.data import queries
from kkrdesk.data.danish import count_text
from kkrdesk.data.notes import NotesStore, goal_key, resolve_key
from kkrdesk.data.originals import page_of_line
from kkrdesk.data.search import Hit
from kkrdesk.data.store import Store
from kkrdesk.paths import resources_dir
from kkrdesk.ui import sources
from kkrdesk.ui.chart_images import chart_image
from kkrdesk.ui.menus import build_menus, shortcut_rows
from kkrdesk.ui.nav_model import IdentRole, KindRole, NavModel
from kkrdesk.ui.note_panel import NotePanel
from kkrdesk.ui.operations import Context, Operation, pdf_pages, run_operation
from kkrdesk.ui.pages import MISSING, ReaderPage, reader_pages
from kkrdesk.ui.reader import ReaderView

if TYPE_CHECKING:
    from kkrdesk.ui.figures_view import FiguresView
    from kkrdesk.ui.goal_view import GoalView
    from kkrdesk.ui.notes_view import NotesView
    from kkrdesk.ui.pages.packs import PacksView
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
        self.reader_pages = reader_pages()
        self.setWindowTitle("KKR Nordjylland")   # Qt adds the application name (" — kkrdesk")
        self.resize(_fitting_size(1280, 800))

        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Indholdsoversigt")
        self.tree.setUniformRowHeights(True)
        self.tree.setMinimumWidth(160)

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

        self.own_store = None if store.read_only else store
        # the other pages are made when first opened (#20.5): the first window builds only the reader
        self._goal: tuple[GoalView, NotePanel, QSplitter] | None = None
        self._figures_view: FiguresView | None = None
        self._search_view: SearchView | None = None
        self._notes_view: NotesView | None = None
        self._packs_view: PacksView | None = None
        self._unshown_splitters: set[str] = set()       # made but not yet shown: their saved state stands

        self.stack = QStackedWidget()
        self.stack.addWidget(self.reader_page)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 1000])
        self.setCentralWidget(self.splitter)

        self.store_label = QLabel("")
        self.store_label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)   # whole text in its tooltip
        self.store_label.setMinimumWidth(120)
        self.store_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.statusBar().addPermanentWidget(self.store_label, 1)

        self._connect_reader(self.reader)
        self.note_panel.changed.connect(self._note_changed)

        self._build_menus()
        self.set_store(store)
        self.setTabOrder(self.tree, self.reader.browser)
        self.setTabOrder(self.reader.browser, self.note_panel.star)
        self.setTabOrder(self.note_panel.star, self.note_panel.edit)
        self.restore_state()
        self.tree.setFocus()          # the first Tab starts from the contents, visibly

    # --- pages made when first opened ----------------------------------------------------------

    def _connect_reader(self, reader: ReaderView) -> None:
        reader.zoomChanged.connect(self._sync_zoom)
        reader.linkActivated.connect(self.open_link)
        reader.previousRequested.connect(self.previous_place)
        reader.nextRequested.connect(self.next_place)

    def _add_page(self, page: QWidget, splitters: dict[str, QSplitter] | None = None) -> None:
        """Into the stack; its splitters as they were left once it is first shown (a splitter's sizes
        only mean something once the page is laid out at its size)."""
        self.stack.addWidget(page)
        if splitters:
            self._unshown_splitters |= set(splitters)
            page.installEventFilter(_RestoreOnShow(page, self.settings, splitters, self._unshown_splitters))

    def _goal_parts(self) -> tuple[GoalView, NotePanel, QSplitter]:
        """A goal with its note beside it; made (with its reader at today's zoom) on first use."""
        if self._goal is None:
            from kkrdesk.ui.goal_view import GoalView

            view, panel = GoalView(self.store.db), NotePanel(self.notes)
            page = QSplitter(Qt.Horizontal)
            page.setObjectName("goalPageSplitter")
            page.addWidget(view)
            page.addWidget(panel)
            page.setStretchFactor(0, 3)
            page.setStretchFactor(1, 1)
            page.setSizes([700, 280])
            page.setCollapsible(1, False)
            self._goal = (view, panel, page)
            self._connect_reader(view.reader)
            panel.changed.connect(self._note_changed)
            self._add_page(page, {"goal_page": page, "goal": view.splitter})
            page.ensurePolished()         # the style sheet sets its fonts at polish: the text size after it
            view.reader.set_zoom(self.reader.zoom)
            self._update_steps()
        return self._goal

    @property
    def goal_page(self) -> QSplitter:
        return self._goal_parts()[2]

    @property
    def goal_view(self) -> GoalView:
        return self._goal_parts()[0]

    @property
    def goal_note_panel(self) -> NotePanel:
        return self._goal_parts()[1]

    @property
    def figures_view(self) -> FiguresView:
        if self._figures_view is None:
            from kkrdesk.ui.figures_view import FiguresView

            self._figures_view = FiguresView(self.store.db)
            self._add_page(self._figures_view, {"figures": self._figures_view.splitter})
        return self._figures_view

    @property
    def search_view(self) -> SearchView:
        if self._search_view is None:
            from kkrdesk.ui.search_view import SearchView

            self._search_view = view = SearchView(self.store.db)
            view.hitActivated.connect(self.open_hit)
            view.placeActivated.connect(lambda kind, ident: self.open_place(kind, ident))
            self._add_page(view)
        return self._search_view

    @property
    def notes_view(self) -> NotesView:
        if self._notes_view is None:
            from kkrdesk.ui.notes_view import NotesView

            self._notes_view = NotesView(self.notes)
            self._notes_view.noteActivated.connect(self.open_note)
            self._add_page(self._notes_view)
        return self._notes_view

    @property
    def packs_view(self) -> PacksView:
        if self._packs_view is None:
            from kkrdesk.ui.pages.packs import PacksView

            self._packs_view = PacksView()
            self._packs_view.openRequested.connect(self.open_installed_pack)
            self._packs_view.ownStoreRequested.connect(self.open_own_store)
            self._add_page(self._packs_view)
        return self._packs_view

    # --- store ---------------------------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        """Show another store (after an import, or an opened pack); notes stay where they are."""
        self.store = store
        if not store.read_only:
            self.own_store = store
        for view in (self._goal[0] if self._goal else None, self._figures_view, self._search_view):
            if view is not None:
                view.db = store.db
        old = getattr(self, "model", None)
        self.model = NavModel(store.db, self, note_marks=self._note_marks())
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
            f"{name}{state} · {count_text(meetings, 'møde', 'møder')} · "
            f"{count_text(documents, 'dokument', 'dokumenter')} · {count_text(years, 'kontraktår', 'kontraktår')} · "
            f"{count_text(datasets, 'datasæt', 'datasæt')}")
        self.store_label.setToolTip(f"{self.store_label.text()}\n{self.store.path or ''}")

    # --- menus and shortcuts -------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.actions = build_menus(self)
        self.import_action = self.actions["import_documents"]

    # --- navigation ----------------------------------------------------------------------------

    def _readers(self) -> list[ReaderView]:
        """The readers made so far: the reader page's, and the goal page's once it was opened."""
        return [self.reader] + ([self._goal[0].reader] if self._goal else [])

    def _sync_zoom(self, steps: int) -> None:
        """One text size for every page: a reader who needs 150 % needs it everywhere."""
        for reader in self._readers():
            reader.set_zoom(steps)

    def _update_steps(self) -> None:
        index = self.tree.currentIndex()
        for reader in self._readers():
            reader.prev_button.setEnabled(self._neighbour(index, -1).isValid())
            reader.next_button.setEnabled(self._neighbour(index, 1).isValid())

    @staticmethod
    def _neighbour(index: QModelIndex, delta: int) -> QModelIndex:
        """The place Forrige/Næste goes to: a sibling; after an item's last bilag, the next item."""
        if not index.isValid():
            return QModelIndex()
        sibling = index.siblingAtRow(index.row() + delta)
        if not sibling.isValid() and index.data(KindRole) == "bilag":
            item = index.parent()
            sibling = item.siblingAtRow(item.row() + 1) if delta > 0 else item
        return sibling

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
        builder = self.reader_pages.get(kind)
        if builder is not None:
            self._reader(builder(self.store, ident) or MISSING, anchor)
            return
        show = getattr(self, f"_show_{kind}", None)    # the widget pages: goal, dataset, notes, packs
        if show is not None:
            show(self.store.db, ident, anchor)

    def _reader(self, page: ReaderPage, anchor: str | None = None) -> None:
        self.stack.setCurrentWidget(self.reader_page)
        self.reader.show_html(page.html, page.source, anchor)
        if page.document:         # a document: lines to a reading measure, its PDF original's pages if any
            self.reader.set_document(page.original)
        if page.note:
            self.note_panel.set_target(*page.note)
            self.note_panel.show()
            _ensure_side_width(self.reader_page)
        else:
            self.note_panel.set_target(None)
            self.note_panel.hide()

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

    def _show_dataset(self, db, ident, anchor) -> None:
        self.stack.setCurrentWidget(self.figures_view)
        self.figures_view.set_dataset(ident)

    def _show_notes(self, db, _ident, anchor) -> None:
        self.notes_view.refresh()
        self.stack.setCurrentWidget(self.notes_view)

    def step(self, delta: int) -> None:
        """Previous/next in the tree: the next bilag or item; after an item's last bilag, the next item."""
        sibling = self._neighbour(self.tree.currentIndex(), delta)
        if sibling.isValid():
            self.tree.setCurrentIndex(sibling)
            self.tree.scrollTo(sibling)
        else:
            self.statusBar().showMessage("Der er ikke flere i denne gruppe", 3000)

    def previous_place(self) -> None:
        self.step(-1)

    def next_place(self) -> None:
        self.step(1)

    def focus_tree(self) -> None:
        self.tree.setFocus()

    def _show_packs(self, db, _ident, anchor) -> None:
        self.packs_view.refresh()
        self.packs_view.own_button.setEnabled(self.store.read_only and self.own_store is not None)
        self.stack.setCurrentWidget(self.packs_view)

    def show_packs(self) -> None:
        self.open_place("packs", None)

    def open_installed_pack(self, path: Path) -> None:
        from kkrdesk.data.store import StoreError
        from kkrdesk.ui.seal_dialogs import open_pack_asking  # a sealed pack asks for its passphrase (#18)

        try:
            store = open_pack_asking(self, path)
        except StoreError as exc:
            QMessageBox.warning(self, "Pakker", str(exc))
            return
        if store is None:          # the member stopped at the passphrase
            return
        self.set_store(store)
        self.open_place("meetings", None)

    def open_own_store(self) -> None:
        """From a pack back to the member's own store (the one the window started with, or the bundled one)."""
        if not self.store.read_only:
            self.statusBar().showMessage("Du læser allerede dit eget lager", 4000)
            return
        if self.own_store is None:
            from kkrdesk.ui.app import open_app_store

            self.own_store = open_app_store(None)
        self.set_store(self.own_store)
        self.open_default()

    def show_preferences(self) -> None:
        from kkrdesk.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self.notes, self.reader.zoom, self)
        dialog.setObjectName("preferences")
        self.preferences = dialog
        dialog.accepted.connect(lambda: self._sync_zoom(dialog.zoom()))
        dialog.open()      # window-modal, returns at once (tests and people both fill it in, then Gem)

    def show_notes(self) -> None:
        self.open_place("notes", None)

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

    def _note_marks(self) -> dict[str, tuple[bool, bool]]:
        return {n.key: (bool(n.text.strip()), n.starred) for n in self.notes.list_notes()}

    def _note_changed(self, _key: str) -> None:
        self.model.set_note_marks(self._note_marks())
        if self._notes_view is not None and self.stack.currentWidget() is self._notes_view:
            self._notes_view.refresh()

    # --- current-page helpers ------------------------------------------------------------------

    def current_reader(self) -> ReaderView | None:
        page = self.stack.currentWidget()
        if page is self.reader_page:
            return self.reader
        if self._goal and page is self._goal[2]:
            return self._goal[0].reader
        return None

    def current_note_panel(self) -> NotePanel | None:
        page = self.stack.currentWidget()
        if page is self.reader_page and self.note_panel.isEnabled():
            return self.note_panel
        if self._goal and page is self._goal[2] and self._goal[1].isEnabled():
            return self._goal[1]
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

    def import_documents(self, paths: list[Path] | None = None) -> Operation | None:
        """Import files in the background (progress per file and page, Stop); errors come in one dialog."""
        if self.store.read_only:
            QMessageBox.information(self, "Importér dokumenter",
                                    "Det åbne lager er en udgivet pakke og kan ikke ændres.")
            return None
        if not paths:
            chosen, _ = QFileDialog.getOpenFileNames(self, "Importér dokumenter", self.start_folder(),
                                                     IMPORT_FILTER)
            paths = [Path(p) for p in chosen]
        if not paths:
            return None
        paths = list(paths)
        self.last_import: tuple[int, list[str]] | None = None
        self.operation = run_operation(
            self, self.store, lambda ctx: import_paths(ctx, paths), title="Importér dokumenter",
            label=f"Importerer {paths[0].name} …",
            on_done=lambda result: self._imported(result, len(paths)),
            on_error=lambda exc: self._operation_failed("Importér dokumenter", exc),
            on_cancelled=lambda: self._import_stopped(len(paths)))
        return self.operation

    def _refresh_after_change(self) -> None:
        place = self.place
        self.set_store(self.store)
        if place:
            self.open_place(*place)

    def _imported(self, result: tuple[int, list[str]], total: int) -> None:
        imported, errors = result
        self.last_import = result
        self._refresh_after_change()
        self.statusBar().showMessage(f"{imported} af {count_text(total, 'fil', 'filer')} importeret", 5000)
        if errors:
            box = QMessageBox(QMessageBox.Warning, "Importér dokumenter",
                              f"{count_text(len(errors), 'fil', 'filer')} kunne ikke importeres:",
                              QMessageBox.Ok, self)
            box.setInformativeText("\n".join(errors))
            box.setObjectName("importErrors")
            _show_box(box)

    def _import_stopped(self, total: int) -> None:
        self._refresh_after_change()
        self.statusBar().showMessage("Importen blev stoppet; filer der var færdige, er gemt, den påbegyndte er "
                                     "ikke", 8000)

    def _operation_failed(self, title: str, exc: BaseException) -> None:
        box = QMessageBox(QMessageBox.Warning, title, str(exc) or type(exc).__name__, QMessageBox.Ok, self)
        box.setObjectName("operationError")
        _show_box(box)

    def open_pack(self) -> None:
        """Hook for published packs (#7): install (replacing an older version) and open read-only."""
        from kkrdesk.ui.seal_dialogs import install_and_open_asking  # #18: passphrase, new sender, tampered

        path, _ = QFileDialog.getOpenFileName(self, "Åbn pakke", self.start_folder(),
                                              "kkrdesk-pakker (*.kkrpack)")
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

    def export_briefing(self) -> Operation | None:
        """The briefing PDF (kkrdesk.briefing) of the contract year or meeting being read, built in the background."""
        year = self._current_contract_year()
        meeting_id = None if year is not None else self._current_meeting_id()
        if year is None and meeting_id is None:
            QMessageBox.information(self, "Eksportér briefing", "Vælg et møde eller en resultatkontrakt først.")
            return None
        name = f"resultatkontrakt-{year}.pdf" if year is not None else self._meeting_file_name(meeting_id)
        path, _ = QFileDialog.getSaveFileName(self, "Eksportér briefing", str(Path(self.start_folder()) / name),
                                              "PDF (*.pdf)")
        if not path:
            return None
        with_notes = QMessageBox.question(
            self, "Eksportér briefing", "Skal dine private noter med i PDF'en (i gule felter)?",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No) == QMessageBox.Yes
        target, notes_path = Path(path), self.notes.path

        def work(ctx: Context) -> Path:
            build_meeting, build_contract = briefing_builders()
            store = ctx.open_store(read_only=True)
            ctx.progress(0, 0, f"Bygger {target.name} …")
            with pdf_pages(ctx, f"Bygger {target.name}"):     # Stop ends the layout; the temp file goes
                if year is not None:
                    build_contract(store.db, year, target, with_notes=with_notes, notes_path=notes_path)
                else:
                    build_meeting(store.db, meeting_id, target, with_notes=with_notes, notes_path=notes_path)
            return target

        self.operation = run_operation(
            self, self.store, work, title="Eksportér briefing", label=f"Bygger {target.name} …",
            on_done=lambda done: self.statusBar().showMessage(f"Briefing gemt: {done}", 8000),
            on_error=lambda exc: self._operation_failed("Eksportér briefing",
                                                        RuntimeError(f"{target.name}: kunne ikke laves ({exc})")),
            on_cancelled=lambda: self.statusBar().showMessage("Eksporten blev stoppet; intet er gemt", 5000))
        return self.operation

    def _meeting_file_name(self, meeting_id: int) -> str:
        """'2021-06-17-kkr-nordjylland-moede.pdf' rather than 'briefing.pdf'."""
        from kkrdesk.publish import pack_name

        meeting = queries.get_meeting(self.store.db, meeting_id) or {}
        return f"{pack_name(meeting)}.pdf"

    def start_folder(self) -> str:
        """The default export folder from Indstillinger, else the home folder."""
        folder = self.settings.value("export/folder", "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

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
        """Made from the menus' own actions, so it cannot disagree with them."""
        rows = "".join(f"<tr><td><b>{escape(keys)}</b></td><td>{escape(text)}</td></tr>"
                       for keys, text in shortcut_rows(self.actions))
        box = QMessageBox(QMessageBox.Information, "Tastaturgenveje", f"<table>{rows}</table>", QMessageBox.Ok, self)
        box.setObjectName("shortcuts")
        _show_box(box)

    # --- remembered state ----------------------------------------------------------------------

    def restore_state(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry:
            self.restoreGeometry(geometry)
        for name in ("splitter", "reader_page"):      # the goal's and figures' when their page is made
            _restore_splitter(s, name, getattr(self, name))
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
            if index.isValid() or kind in ("notes", "packs"):
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
        made = {"splitter": self.splitter, "reader_page": self.reader_page}
        if self._goal:
            made |= {"goal_page": self._goal[2], "goal": self._goal[0].splitter}
        if self._figures_view is not None:
            made["figures"] = self._figures_view.splitter
        for name, widget in made.items():            # a page never shown keeps what was saved before
            if name in self._unshown_splitters:
                continue
            s.setValue(f"splitters/{name}", widget.saveState())
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


def _fitting_size(width: int, height: int) -> QSize:
    """The first size, never larger than the screen's free area (at 150 % a 1440×900 screen is 960×600)."""
    screen = QApplication.primaryScreen()
    if screen is None:
        return QSize(width, height)
    free = screen.availableGeometry()
    return QSize(min(width, int(free.width() * 0.95)), min(height, int(free.height() * 0.92)))


def _show_box(box: QMessageBox) -> None:
    """Modal for a person; shown without blocking under the offscreen platform, so tests can read it."""
    if QApplication.platformName() == "offscreen":
        box.show()
    else:
        box.exec()


def _restore_splitter(settings: QSettings, name: str, splitter: QSplitter) -> None:
    state = settings.value(f"splitters/{name}")
    if state:
        splitter.restoreState(state)


class _RestoreOnShow(QObject):
    """Restores a page's splitters the first time the page is shown, then removes itself."""

    def __init__(self, page: QWidget, settings: QSettings, splitters: dict[str, QSplitter],
                 unshown: set[str]) -> None:
        super().__init__(page)
        self.settings, self.splitters, self.unshown = settings, splitters, unshown

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Show:
            watched.removeEventFilter(self)
            for name, splitter in self.splitters.items():
                _restore_splitter(self.settings, name, splitter)
                self.unshown.discard(name)
            self.deleteLater()
        return False


def _ensure_side_width(splitter: QSplitter, width: int = 300) -> None:
    """A side panel shown after being hidden can come back at zero width; give it room again."""
    sizes = splitter.sizes()
    total = sum(sizes)
    if len(sizes) == 2 and total > width * 2 and sizes[1] < 150:
        splitter.setSizes([total - width, width])


def import_paths(ctx: Context, paths: list[Path]) -> tuple[int, list[str]]:
    """The import operation: one transaction per file, progress per file (and per page where the reader says).

    Three files or more go through the batch (`ingest/batch.py`): a worker process, spawned, reads and
    parses the next files while this thread writes, and parses each PDF and Word file under the guard's
    time and memory limits, which a thread cannot do itself. Progress is then per file."""
    import inspect

    from kkrdesk.ingest.batch import SPAWN_FROM
    from kkrdesk.ingest.importer import import_file
    from kkrdesk.ingest.readers import ImportProblem
    from kkrdesk.ui.operations import file_progress

    store = ctx.open_store(read_only=False)
    if len(paths) >= SPAWN_FROM:
        return _import_batch(ctx, store, paths)
    pages = "progress" in inspect.signature(import_file).parameters
    errors: list[str] = []
    imported = 0
    for number, path in enumerate(paths):
        ctx.progress(number, len(paths), f"Importerer {path.name} ({number + 1} af {len(paths)}) …")
        try:
            if pages:
                import_file(store, path, progress=file_progress(ctx, paths, number))
            else:
                import_file(store, path)
            imported += 1
        except ImportProblem as exc:
            errors.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            errors.append(f"{path.name}: kunne ikke importeres ({type(exc).__name__}: {exc})")
    ctx.progress(len(paths), len(paths), "Opdaterer søgeindekset …")
    from kkrdesk.data import search_index

    search_index.catch_up(store.conn)   # once for the batch (#20)
    ctx.progress(len(paths), len(paths), "Færdig")
    return imported, errors


def _import_batch(ctx: Context, store, paths: list[Path]) -> tuple[int, list[str]]:
    """`import_paths` for many files; Stop ends the batch after the file being written, and its worker."""
    from kkrdesk.ingest.batch import import_files
    from kkrdesk.ingest.readers import ImportProblem

    total, imported, errors = len(paths), 0, []
    ctx.progress(0, total, f"Importerer {paths[0].name} (1 af {total}) …")
    results = import_files(store, paths)
    try:
        for number, result in enumerate(results, start=1):
            if isinstance(result, ImportProblem):
                errors.append(str(result))
            else:
                imported += 1
            if number < total:
                ctx.progress(number, total, f"Importerer {paths[number].name} ({number + 1} af {total}) …")
            else:     # the batch's search index catches up when it is asked for what comes after the last
                ctx.progress(total, total, "Opdaterer søgeindekset …")
    finally:
        results.close()          # after Stop: the worker ends and its temporary files go
    ctx.progress(total, total, "Færdig")
    return imported, errors


def briefing_builders():
    """(build_meeting_pack, build_contract_pack) from kkrdesk.briefing.

    Imported only when asked for: reportlab must stay off the start-up path.
    """
    from kkrdesk.briefing import build_contract_pack, build_meeting_pack

    return build_meeting_pack, build_contract_pack
