"""Secretariat mode: prepare a meeting — items in order (drag and drop), texts, bilag, export.

A separate window opened from the main window (`open_secretariat`), so the
member's reading window stays as it is. All editing goes through
kkrdesk.data.meetings / packs; this file only lays it out. The methods that do
things (`add_item`, `save_item`, `attach`, `export_to`, …) take their input as
arguments and report through `message`, so they are testable without dialogs;
the buttons wrap them in file and input dialogs.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kkrdesk.data import meetings, queries
from kkrdesk.data.danish import format_date
from kkrdesk.data.store import Store, StoreError
from kkrdesk.ingest.readers import ImportProblem

ItemIdRole = Qt.UserRole + 1
AccessRole = Qt.UserRole + 2
ATTACH_FILTER = "Dokumenter (*.pdf *.docx *.txt *.md);;Alle filer (*)"
ACCESS_LABELS = {"åben": "Åben", "lukket": "Lukket"}


def next_number(numbers: list[str]) -> str:
    """The number after the last one: '3.5' → '3.6', '4' → '5'; unused, so notes never collide."""
    last = numbers[-1] if numbers else "0"
    match = re.match(r"^(.*?)(\d+)$", last)
    candidate = f"{match.group(1)}{int(match.group(2)) + 1}" if match else f"{last}.1"
    while candidate in numbers:
        candidate += ".1"
    return candidate


class AgendaItemsModel(QAbstractListModel):
    """A meeting's agenda items in order. Moving rows (drag and drop) writes the new order to the store.

    The store is written before the view is told, so a refused move (a read-only
    pack) leaves both unchanged and says why through `errorOccurred`.
    """

    errorOccurred = Signal(str)
    orderChanged = Signal()

    def __init__(self, store: Store, meeting_id: int | None = None, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.meeting_id = meeting_id
        self._items: list[dict] = []
        self.reload()

    def set_meeting(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._items = queries.meeting_items(self.store.db, self.meeting_id) if self.meeting_id else []
        self.endResetModel()

    def item_ids(self) -> list[int]:
        return [item["id"] for item in self._items]

    def numbers(self) -> list[str]:
        return [item["number"] for item in self._items]

    def row_of(self, item_id: int) -> int:
        ids = self.item_ids()
        return ids.index(item_id) if item_id in ids else -1

    # --- read ------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.DisplayRole:
            lock = "  [Lukket]" if item["access"] == "lukket" else ""
            return f"{item['number']}  {item['title']}{lock}"
        if role == Qt.ToolTipRole:
            bilag = len(item.get("bilag", []))
            return f"Punkt {item['number']} · {ACCESS_LABELS[item['access']]} · {bilag} bilag"
        if role == Qt.AccessibleTextRole:
            return f"Punkt {item['number']}: {item['title']}, {ACCESS_LABELS[item['access']].lower()}"
        if role == ItemIdRole:
            return item["id"]
        if role == AccessRole:
            return item["access"]
        return None

    # --- drag and drop ---------------------------------------------------------------------------

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemIsDropEnabled if not self.store.read_only else Qt.NoItemFlags
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return flags | Qt.ItemIsDragEnabled if not self.store.read_only else flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.MoveAction

    def moveRows(self, source_parent: QModelIndex, source_row: int, count: int,
                 destination_parent: QModelIndex, destination_child: int) -> bool:
        """Move `count` rows to before `destination_child` (Qt's convention) and store the order."""
        if source_parent.isValid() or destination_parent.isValid() or count < 1:
            return False
        if source_row < 0 or source_row + count > len(self._items):
            return False
        if source_row <= destination_child <= source_row + count:
            return False  # onto itself
        moved = self._items[source_row:source_row + count]
        rest = self._items[:source_row] + self._items[source_row + count:]
        insert_at = destination_child - count if destination_child > source_row else destination_child
        new_order = rest[:insert_at] + moved + rest[insert_at:]
        try:
            meetings.reorder_items(self.store, self.meeting_id, [item["id"] for item in new_order])
        except StoreError as exc:
            self.errorOccurred.emit(str(exc))
            return False
        self.beginMoveRows(QModelIndex(), source_row, source_row + count - 1, QModelIndex(), destination_child)
        self._items = new_order
        for position, item in enumerate(self._items):
            item["position"] = position
        self.endMoveRows()
        self.orderChanged.emit()
        return True


class SecretariatView(QWidget):
    """Prepare one meeting at a time: its details, its items in order, each item's texts and bilag."""

    message = Signal(str)       # one line for the user (errors and confirmations)
    changed = Signal()          # the store changed: the main window refreshes its tree

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Sekretariat")
        self._dirty = False              # the shown item's fields differ from the store
        self._meeting_dirty = False
        self._shown_item_id: int | None = None
        self._loading = False
        self.last_export = None
        self.operation = None

        self.meeting_box = QComboBox()
        self.meeting_box.setAccessibleName("Møde")
        self.new_meeting_button = QPushButton("Nyt møde…")
        self.meeting_title = QLineEdit()
        self.meeting_date = QLineEdit()
        self.meeting_date.setPlaceholderText("fx 4.12.2026 eller 4. december 2026")
        self.meeting_place = QLineEdit()
        self.save_meeting_button = QPushButton("Gem mødet")

        self.model = AgendaItemsModel(store, parent=self)
        self.items_view = QListView()
        self.items_view.setAccessibleName("Dagsordenspunkter")
        self.items_view.setModel(self.model)
        self.items_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.items_view.setDragDropMode(QAbstractItemView.InternalMove)
        self.items_view.setDefaultDropAction(Qt.MoveAction)
        self.items_view.setDragEnabled(True)
        self.items_view.setAcceptDrops(True)
        self.items_view.setDropIndicatorShown(True)
        self.add_item_button = QPushButton("Tilføj punkt")
        self.remove_item_button = QPushButton("Fjern punkt")
        self.up_button = QPushButton("Op")
        self.down_button = QPushButton("Ned")

        self.number = QLineEdit()
        self.title = QLineEdit()
        self.access = QComboBox()
        for value, label in ACCESS_LABELS.items():
            self.access.addItem(label, value)
        self.sagsfremstilling = QPlainTextEdit()
        self.indstilling = QPlainTextEdit()
        self.beslutning = QPlainTextEdit()
        self.bilag_list = QListWidget()
        self.bilag_list.setAccessibleName("Bilag")
        self.links_list = QListWidget()
        self.links_list.setAccessibleName("Vedrører")
        self.links_list.setMaximumHeight(90)
        self.link_choice = QComboBox()
        self.link_choice.setAccessibleName("Knyt til mål eller datasæt")
        self.add_link_button = QPushButton("Knyt til")
        self.remove_link_button = QPushButton("Fjern henvisning")
        self.save_item_button = QPushButton("Gem punkt")
        self.attach_button = QPushButton("Vedhæft filer…")
        self.export_button = QPushButton("Eksportér mødemappe…")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Besked")

        self._layout()
        self.meeting_box.currentIndexChanged.connect(self._meeting_chosen)
        self.new_meeting_button.clicked.connect(self._ask_new_meeting)
        self.save_meeting_button.clicked.connect(self.save_meeting)
        self.items_view.selectionModel().currentChanged.connect(self._current_item_changed)
        for edit in (self.number, self.title):
            edit.textEdited.connect(self._mark_dirty)
        for text in (self.sagsfremstilling, self.indstilling, self.beslutning):
            text.textChanged.connect(self._mark_dirty)
        self.access.activated.connect(self._mark_dirty)
        for edit in (self.meeting_title, self.meeting_date, self.meeting_place):
            edit.textEdited.connect(self._mark_meeting_dirty)
        for keys in (QKeySequence.StandardKey.Close, QKeySequence("Esc")):
            QShortcut(keys, self, self.close, context=Qt.WidgetWithChildrenShortcut)
        self.add_item_button.clicked.connect(lambda: self.add_item())
        self.remove_item_button.clicked.connect(self.remove_current_item)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.save_item_button.clicked.connect(self.save_item)
        self.attach_button.clicked.connect(self._ask_attach)
        self.export_button.clicked.connect(self._ask_export)
        self.add_link_button.clicked.connect(self._add_chosen_link)
        self.remove_link_button.clicked.connect(self._remove_chosen_link)
        self.model.errorOccurred.connect(self.message)
        self.model.orderChanged.connect(self.changed)
        self.message.connect(self.status.setText)

        self._load_link_choices()
        self._set_editable(not store.read_only)
        self.reload_meetings()
        if store.read_only:
            self.message.emit("Pakken er skrivebeskyttet: en udgivet pakke kan ikke ændres.")

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Møde:"))
        top.addWidget(self.meeting_box, 1)
        top.addWidget(self.new_meeting_button)
        meeting_form = QFormLayout()
        meeting_form.addRow("Titel", self.meeting_title)
        meeting_form.addRow("Dato", self.meeting_date)
        meeting_form.addRow("Sted", self.meeting_place)
        meeting_form.addRow("", self.save_meeting_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(meeting_form)
        left_layout.addWidget(QLabel("Dagsorden (træk for at flytte):"))
        left_layout.addWidget(self.items_view, 1)
        buttons = QHBoxLayout()
        for button in (self.add_item_button, self.remove_item_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)

        right = QWidget()
        form = QFormLayout(right)
        form.addRow("Nummer", self.number)
        form.addRow("Titel", self.title)
        form.addRow("Adgang", self.access)
        form.addRow("Sagsfremstilling", self.sagsfremstilling)
        form.addRow("Indstilling", self.indstilling)
        form.addRow("Beslutning", self.beslutning)
        form.addRow("Bilag", self.bilag_list)
        form.addRow("Vedrører", self.links_list)
        link_row = QHBoxLayout()
        link_row.addWidget(self.link_choice, 1)
        link_row.addWidget(self.add_link_button)
        link_row.addWidget(self.remove_link_button)
        form.addRow("", link_row)
        row = QHBoxLayout()
        row.addWidget(self.save_item_button)
        row.addWidget(self.attach_button)
        row.addStretch(1)
        form.addRow("", row)

        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)

    def _set_editable(self, editable: bool) -> None:
        for widget in (self.new_meeting_button, self.save_meeting_button, self.add_item_button,
                       self.remove_item_button, self.up_button, self.down_button, self.save_item_button,
                       self.attach_button, self.export_button):
            widget.setEnabled(editable)
        for edit in (self.meeting_title, self.meeting_date, self.meeting_place, self.number, self.title):
            edit.setReadOnly(not editable)
        for text in (self.sagsfremstilling, self.indstilling, self.beslutning):
            text.setReadOnly(not editable)
        self.access.setEnabled(editable)

    def _attempt(self, action, *args, **kwargs) -> tuple[bool, object]:
        """Run one store change; a refusal (StoreError) becomes the one-line message. (ok, result)."""
        try:
            return True, action(*args, **kwargs)
        except StoreError as exc:
            self.message.emit(str(exc))
            return False, None

    # --- meetings --------------------------------------------------------------------------------

    @property
    def meeting_id(self) -> int | None:
        return self.model.meeting_id

    def reload_meetings(self, select: int | None = None) -> None:
        select = select if select is not None else self.meeting_id
        self.meeting_box.blockSignals(True)
        self.meeting_box.clear()
        for meeting in queries.list_meetings(self.store.db):
            self.meeting_box.addItem(f"{format_date(meeting['date'])} – {meeting['title']}", meeting["id"])
        self.meeting_box.blockSignals(False)
        index = self.meeting_box.findData(select) if select is not None else 0
        self.meeting_box.setCurrentIndex(max(index, 0))
        self._meeting_chosen()

    def _meeting_chosen(self, *_args) -> None:
        self.select_meeting(self.meeting_box.currentData())

    def select_meeting(self, meeting_id: int | None) -> None:
        if self._dirty and self._shown_item_id is not None:
            self._save_item(self._shown_item_id, reload=False)
        self._meeting_dirty = False
        self.model.set_meeting(meeting_id)
        meeting = queries.get_meeting(self.store.db, meeting_id) if meeting_id else None
        self.meeting_title.setText(meeting["title"] if meeting else "")
        self.meeting_date.setText(format_date(meeting["date"]) if meeting and meeting["date"] else "")
        self.meeting_place.setText((meeting["place"] or "") if meeting else "")
        if self.model.rowCount():
            self.items_view.setCurrentIndex(self.model.index(0))
        self._show_item()

    def create_meeting(self, title: str, date: str, place: str = "") -> int | None:
        ok, meeting_id = self._attempt(meetings.create_meeting, self.store, title, date, place)
        if not ok:
            return None
        self.reload_meetings(select=meeting_id)
        self.changed.emit()
        self.message.emit(f"Mødet «{title}» er oprettet.")
        return meeting_id

    def save_meeting(self) -> bool:
        if self.meeting_id is None:
            return False
        ok, _ = self._attempt(meetings.update_meeting, self.store, self.meeting_id, title=self.meeting_title.text(),
                              date=self.meeting_date.text(), place=self.meeting_place.text())
        if not ok:
            return False
        self._meeting_dirty = False
        self.reload_meetings()
        self.changed.emit()
        self.message.emit("Mødet er gemt.")
        return True

    def _ask_new_meeting(self) -> None:
        dialog = NewMeetingDialog(self)
        if dialog.exec() == QDialog.Accepted:
            self.create_meeting(*dialog.values())

    # --- items -----------------------------------------------------------------------------------

    def current_item_id(self) -> int | None:
        index = self.items_view.currentIndex()
        return index.data(ItemIdRole) if index.isValid() else None

    def select_item(self, item_id: int) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.items_view.setCurrentIndex(self.model.index(row))
        self._show_item()

    def _mark_dirty(self, *_args) -> None:
        if not self._loading and self._shown_item_id is not None:
            self._dirty = True

    def _mark_meeting_dirty(self, *_args) -> None:
        if not self._loading:
            self._meeting_dirty = True

    def save_pending(self) -> bool:
        """Save what was typed and not yet saved (leaving an item, a meeting or the window). False if refused."""
        ok = True
        if self._dirty and self._shown_item_id is not None:
            ok = self._save_item(self._shown_item_id, reload=False)
        if self._meeting_dirty and self.meeting_id is not None:
            ok = self.save_meeting() and ok
        return ok

    def _current_item_changed(self, *_args) -> None:
        if self._dirty and self._shown_item_id is not None and self._shown_item_id != self.current_item_id():
            self._save_item(self._shown_item_id, reload=True)
        self._show_item()

    def closeEvent(self, event) -> None:  # noqa: N802
        """Nothing typed is lost: save on leaving; if the store refuses, say why and stay open."""
        if self.save_pending():
            event.accept()
        else:
            event.ignore()

    def _show_item(self) -> None:
        self._loading = True
        try:
            self._fill_item()
        finally:
            self._loading = False
        self._dirty = False
        self._shown_item_id = self.current_item_id()

    def _fill_item(self) -> None:
        item_id = self.current_item_id()
        item = queries.get_agenda_item(self.store.db, item_id) if item_id else None
        self.number.setText(item["number"] if item else "")
        self.title.setText(item["title"] if item else "")
        self.access.setCurrentIndex(max(self.access.findData(item["access"] if item else "åben"), 0))
        self.sagsfremstilling.setPlainText((item or {}).get("sagsfremstilling") or "")
        self.indstilling.setPlainText((item or {}).get("indstilling") or "")
        self.beslutning.setPlainText((item or {}).get("beslutning") or "")
        self.bilag_list.clear()
        for bilag in (item or {}).get("bilag", []):
            source = f"  ({bilag['document']})" if bilag.get("document") else ""
            self.bilag_list.addItem(f"Bilag {bilag['number']}: {bilag['title']}{source}")
        self.links_list.clear()
        for link in (item or {}).get("links", []):
            entry = QListWidgetItem(link["label"])
            entry.setData(Qt.UserRole, link["id"])
            self.links_list.addItem(entry)
        editable = item is not None and not self.store.read_only
        for widget in (self.save_item_button, self.attach_button, self.remove_item_button, self.up_button,
                       self.down_button, self.add_link_button, self.remove_link_button, self.link_choice):
            widget.setEnabled(editable)

    def add_item(self, number: str | None = None, title: str = "Nyt punkt") -> int | None:
        """Add an item after the last one (next free number) and select it for editing."""
        if self.meeting_id is None:
            self.message.emit("Opret eller vælg et møde først.")
            return None
        ok, item_id = self._attempt(meetings.add_item, self.store, self.meeting_id,
                                    number or next_number(self.model.numbers()), title)
        if not ok:
            return None
        self.model.reload()
        self.select_item(item_id)
        self.changed.emit()
        return item_id

    def save_item(self) -> bool:
        item_id = self.current_item_id()
        if item_id is None:
            return False
        return self._save_item(item_id, reload=True)

    def _save_item(self, item_id: int, reload: bool) -> bool:
        """Write the shown fields to item `item_id` (the item they were typed for, even after a click away)."""
        number = self.number.text()
        ok, _ = self._attempt(
            meetings.update_item, self.store, item_id, number=number, title=self.title.text(),
            access=self.access.currentData(), sagsfremstilling=self.sagsfremstilling.toPlainText(),
            indstilling=self.indstilling.toPlainText(), beslutning=self.beslutning.toPlainText())
        if not ok:
            return False
        self._dirty = False
        current = self.current_item_id()
        self.model.reload()
        if reload and current is not None:
            row = self.model.row_of(current)
            self.items_view.selectionModel().blockSignals(True)
            self.items_view.setCurrentIndex(self.model.index(row))
            self.items_view.selectionModel().blockSignals(False)
            if current == item_id:
                self._show_item()
        self.changed.emit()
        self.message.emit(f"Punkt {number} er gemt.")
        return True

    def remove_current_item(self) -> None:
        item_id = self.current_item_id()
        if item_id is None:
            return
        ok, _ = self._attempt(meetings.remove_item, self.store, item_id)
        if not ok:
            return
        self.model.reload()
        if self.model.rowCount():
            self.items_view.setCurrentIndex(self.model.index(0))
        self._show_item()
        self.changed.emit()

    def move_current(self, step: int) -> None:
        """Keyboard alternative to drag and drop (Op/Ned)."""
        row = self.items_view.currentIndex().row()
        if row < 0:
            return
        target = row + step
        if not 0 <= target < self.model.rowCount():
            return
        destination = target + 1 if step > 0 else target
        if self.model.moveRows(QModelIndex(), row, 1, QModelIndex(), destination):
            self.items_view.setCurrentIndex(self.model.index(target))

    def _load_link_choices(self) -> None:
        self.link_choice.clear()
        for choice in meetings.link_choices(self.store.db):
            self.link_choice.addItem(choice["label"], (choice["kind"], choice["target"]))

    def add_link(self, kind: str, target: int | str) -> bool:
        """Link the current item to a goal (id) or a dataset (name); shown with the item and in the pack."""
        item_id = self.current_item_id()
        if item_id is None:
            return False
        ok, _ = self._attempt(meetings.link_item, self.store, item_id, kind, target)
        if not ok:
            return False
        self._show_item()
        self.changed.emit()
        return True

    def _add_chosen_link(self) -> None:
        choice = self.link_choice.currentData()
        if choice:
            self.add_link(*choice)

    def _remove_chosen_link(self) -> None:
        entry = self.links_list.currentItem()
        if entry is None:
            return
        ok, _ = self._attempt(meetings.unlink_item, self.store, entry.data(Qt.UserRole))
        if not ok:
            return
        self._show_item()
        self.changed.emit()

    def attach(self, paths: list[Path | str]) -> list[str]:
        """Attach files to the current item; each is all-or-nothing. Returns the problems (one line each)."""
        item_id = self.current_item_id()
        if item_id is None:
            return ["Vælg et punkt først."]
        problems, attached = [], []
        for path in paths:
            try:
                result = meetings.attach_file(self.store, item_id, path)
            except (ImportProblem, StoreError) as exc:
                problems.append(f"{exc} (intet vedhæftet)")
                continue
            attached.append(f"bilag {result.number}")
        self.model.reload()
        self.select_item(item_id)
        if attached:
            self.changed.emit()
        self.message.emit("\n".join(problems) if problems else f"Vedhæftet: {', '.join(attached)}.")
        return problems

    def _ask_attach(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Vedhæft filer", str(Path.home()), ATTACH_FILTER)
        if paths:
            self.attach(paths)

    def export_to(self, folder: Path | str, passphrase: str | None = None, expires=None):
        """Write the meeting folder (new version) in the background; the result lands in `last_export`.

        Returns the running Operation (None after a message). `passphrase`/`expires` seal the
        members' pack (#18, from seal_export_dialog).
        """
        from kkrdesk.publish import export_meeting
        from kkrdesk.ui.operations import pdf_pages, run_operation

        if self.meeting_id is None:
            self.message.emit("Opret eller vælg et møde først.")
            return None
        if not self.save_pending():
            return None
        meeting_id = self.meeting_id
        self.last_export = None

        def work(ctx):
            ctx.progress(0, 0, "Bygger pakker og PDF'er (alle fire filer eller ingen) …")
            with pdf_pages(ctx, "Mødemappe: briefing-PDF'erne"):   # Stop: nothing moved, no version counted
                return export_meeting(ctx.open_store(read_only=False), meeting_id, folder,
                                      passphrase=passphrase, expires=expires)

        def done(result) -> None:
            self.last_export = result
            self.message.emit(f"Version {result.version} er skrevet til {result.folder}.")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, (StoreError, OSError)):
                self.message.emit(f"Mødemappen kunne ikke skrives: {exc}")
            else:
                self.message.emit(f"Mødemappen kunne ikke skrives ({type(exc).__name__}: {exc})")

        self.message.emit("Eksporterer mødemappen … (vinduet kan bruges imens)")
        self.operation = run_operation(self, self.store, work, title="Eksportér mødemappe",
                                       label="Bygger pakker og PDF'er …", on_done=done, on_error=failed,
                                       on_cancelled=lambda: self.message.emit("Eksporten blev stoppet."))
        return self.operation

    def _ask_export(self) -> None:
        from kkrdesk.ui.seal_export_dialog import ask_export_options  # #18: passphrase + expiry

        if self.meeting_id is None:
            self.message.emit("Opret eller vælg et møde først.")
            return
        options = ask_export_options(self, self.store, self.meeting_id)
        if options is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "Eksportér mødemappe", str(Path.home()))
        if folder:
            self.export_to(folder, **options)


class NewMeetingDialog(QDialog):
    """Title, date and place of a new meeting; a date that cannot be read keeps the dialog open and says why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nyt møde")
        self.title = QLineEdit("KKR Nordjylland – møde")
        self.title.setAccessibleName("Titel")
        self.date = QLineEdit()
        self.date.setAccessibleName("Dato")
        self.date.setPlaceholderText("fx 4.12.2026 eller 4. december 2026")
        self.place = QLineEdit()
        self.place.setAccessibleName("Sted")
        self.error = QLabel("")
        self.error.setObjectName("dateError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Opret")
        buttons.button(QDialogButtonBox.Cancel).setText("Annullér")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Titel", self.title)
        form.addRow("Dato", self.date)
        form.addRow("Sted", self.place)
        form.addRow(self.error)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, str]:
        return self.title.text().strip(), self.date.text().strip(), self.place.text().strip()

    def accept(self) -> None:
        from kkrdesk.data.meetings import check_date

        if not self.title.text().strip():
            self.error.setText("Skriv en titel.")
            return
        try:
            check_date(self.date.text())
        except StoreError as exc:
            self.error.setText(str(exc).capitalize())
            self.date.setFocus()
            return
        super().accept()


def open_secretariat(store: Store, parent: QWidget | None = None) -> SecretariatView:
    """The hook for the main window: a separate window on the same store."""
    view = SecretariatView(store, parent)
    view.setWindowFlag(Qt.Window, True)
    view.resize(1100, 720)
    view.show()
    return view
