"""Mine noter: every private note and star in one list; Enter opens what it is about."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from kkrdesk.data.danish import format_date
from kkrdesk.data.notes import Note, NotesStore

KIND_WORDS = {"item": "Punkt", "bilag": "Bilag", "goal": "Mål"}
KeyRole = Qt.UserRole + 1


def changed_text(stamp: str) -> str:
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{format_date(when.date())} kl. {when:%H.%M}"


class NotesTableModel(QAbstractTableModel):
    HEADERS = ["★", "Type", "Om", "Hvor", "Note", "Ændret"]

    def __init__(self, notes: NotesStore, parent=None) -> None:
        super().__init__(parent)
        self.store = notes
        self.starred_only = False
        self.notes: list[Note] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.notes = self.store.list_notes(starred_only=self.starred_only)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.notes)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.notes):
            return None
        note = self.notes[index.row()]
        if role == KeyRole:
            return note.key
        column = index.column()
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            if column == 0:
                return "★" if note.starred else ("" if role == Qt.DisplayRole else "ingen stjerne")
            if column == 1:
                return KIND_WORDS.get(note.kind, note.kind)
            if column == 2:
                return note.title
            if column == 3:
                return note.context
            if column == 4:
                return " ".join(note.text.split())[:200]
            if column == 5:
                return changed_text(note.updated_at)
        if role == Qt.ToolTipRole and column == 4:
            return note.text
        if role == Qt.ToolTipRole and column in (2, 3):
            return note.title if column == 2 else note.context
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


class NotesView(QWidget):
    noteActivated = Signal(str)   # note key

    def __init__(self, notes: NotesStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Mine noter")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.hint = QLabel("Private noter og stjerner på punkter, bilag og mål. "
                           "De gemmes kun på denne computer. Enter eller dobbeltklik åbner.")
        self.hint.setWordWrap(True)
        self.only_starred = QCheckBox("Vis kun stjernemarkerede")
        self.only_starred.setAccessibleName("Vis kun stjernemarkerede")
        self.model = NotesTableModel(notes, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Mine noter")
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setMaximumSectionSize(130)            # long titles elide (whole on hover); the note gets the room
        header.setSectionResizeMode(4, QHeaderView.Stretch)
        header.setMinimumSectionSize(40)
        self.table.setTextElideMode(Qt.ElideRight)
        self.empty = QLabel("Du har ingen noter endnu. Skriv en note i feltet ved siden af et punkt, "
                            "et bilag eller et mål – den gemmes mens du skriver.")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.only_starred)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.only_starred.toggled.connect(self._filter)
        self.table.activated.connect(self._activated)
        self.setFocusProxy(self.table)
        self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        self.table.resizeRowsToContents()
        self.empty.setVisible(self.model.rowCount() == 0)
        if self.model.rowCount():
            self.table.selectRow(0)

    def _filter(self, checked: bool) -> None:
        self.model.starred_only = checked
        self.refresh()

    def _activated(self, index: QModelIndex) -> None:
        key = self.model.data(self.model.index(index.row(), 0), KeyRole)
        if key:
            self.noteActivated.emit(key)
