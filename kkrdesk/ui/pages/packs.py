"""Pakker: the meeting packs installed on this computer, what changed in a newer version, and the way back.

Installed packs live in the user data dir (data/pack_install.py), so they are
found again after a restart. For a newer version the view lists the changed
items and shows, for the one selected, a text diff against the version it replaced.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkrdesk.data.danish import count_text, format_date
from kkrdesk.data.store import StoreError

KeyRole = Qt.UserRole + 1


def _when(iso: str) -> str:
    """'4. december 2026 kl. 9.30' from an ISO date-time."""
    if not iso:
        return "–"
    date = format_date(iso[:10])
    return f"{date} kl. {int(iso[11:13])}.{iso[14:16]}" if len(iso) >= 16 else date


class PacksView(QWidget):
    openRequested = Signal(object)       # Path of the installed pack to open read-only
    ownStoreRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list = []
        self.heading = QLabel("<h2>Pakker</h2>")
        self.intro = QLabel("Mødepakker fra sekretariatet, installeret på denne computer. "
                            "En nyere version erstatter den ældre; dine noter bliver.")
        self.intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setAccessibleName("Installerede pakker")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Møde", "Version", "Udgivet", "Hentet", "Ændret"])
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        header.setStretchLastSection(False)
        self.open_button = QPushButton("Åbn pakken")
        self.open_button.setAccessibleName("Åbn pakken")
        self.own_button = QPushButton("Tilbage til mit eget lager")
        self.own_button.setAccessibleName("Tilbage til mit eget lager")
        self.changes = QListWidget()
        self.changes.setAccessibleName("Ændrede punkter")
        self.diff = QTextBrowser()
        self.diff.setAccessibleName("Hvad er ændret")
        self.diff.setMinimumHeight(120)
        self.empty = QLabel("Ingen pakker installeret endnu. Brug Filer → Åbn pakke…")

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.own_button)
        buttons.addStretch(1)
        lower = QSplitter(Qt.Horizontal)
        lower.addWidget(self.changes)
        lower.addWidget(self.diff)
        lower.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.setObjectName("packsSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([140, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)

        self.table.currentItemChanged.connect(lambda *_: self._pack_chosen())
        self.table.itemActivated.connect(lambda *_: self._open_current())
        self.changes.currentItemChanged.connect(lambda *_: self._change_chosen())
        self.open_button.clicked.connect(self._open_current)
        self.own_button.clicked.connect(self.ownStoreRequested)

    def refresh(self) -> None:
        from kkrdesk.data.pack_install import installed_packs, pack_changes

        try:
            self.entries = installed_packs()
        except StoreError as exc:
            self.entries = []
            self.empty.setText(str(exc))
        self.table.clear()
        for entry in self.entries:
            try:
                changed = len(pack_changes(entry.meeting_key))
            except StoreError:
                changed = 0
            row = QTreeWidgetItem([entry.title + (" (offentlig udgave)" if entry.public else ""),
                                   str(entry.version), _when(entry.published), _when(entry.installed),
                                   count_text(changed, "punkt", "punkter") if changed else "–"])
            row.setToolTip(0, f"{entry.title}\n{entry.path}")
            row.setData(0, KeyRole, entry.meeting_key)
            self.table.addTopLevelItem(row)
        self.empty.setVisible(not self.entries)
        if self.entries:
            self.table.setCurrentItem(self.table.topLevelItem(0))
        else:
            self.changes.clear()
            self.diff.clear()

    def current_entry(self):
        row = self.table.indexOfTopLevelItem(self.table.currentItem()) if self.table.currentItem() else -1
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _open_current(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.openRequested.emit(Path(entry.path))

    def _pack_chosen(self) -> None:
        from kkrdesk.data.pack_install import pack_changes

        self.changes.clear()
        self.diff.clear()
        entry = self.current_entry()
        if entry is None:
            return
        try:
            changes = pack_changes(entry.meeting_key)
        except StoreError as exc:
            self.diff.setPlainText(str(exc))
            return
        for change in changes:
            item = QListWidgetItem(f"{change.number} {change.title} — {change.status}")
            item.setToolTip(f"{change.number} {change.title}: {change.status.lower()} siden du læste den")
            item.setData(Qt.UserRole, change.number)
            self.changes.addItem(item)
        if changes:
            self.changes.setCurrentRow(0)
        else:
            self.diff.setHtml(f"<p>Intet ændret siden version {entry.read_version}, som du har læst.</p>")

    def _change_chosen(self) -> None:
        from kkrdesk.data.pack_diff import item_diff, pack_items

        entry, current = self.current_entry(), self.changes.currentItem()
        if entry is None or current is None:
            return
        ref = current.data(Qt.UserRole)
        if entry.previous_path is None:
            self.diff.setHtml("<p>Den forrige version er ikke gemt på denne computer, så kun markeringen vises.</p>")
            return
        try:
            old = pack_items(entry.previous_path).get(ref)
            new = pack_items(entry.path).get(ref)
        except StoreError as exc:
            self.diff.setPlainText(str(exc))
            return
        rows = []
        for line in item_diff(old, new):
            style = {"-": "background:#fde2e2; text-decoration:line-through;", "+": "background:#dff5df;"}.get(
                line.kind, "color:#555;")
            mark = {"-": "− ", "+": "+ "}.get(line.kind, "  ")
            rows.append(f'<p style="margin:0; {style}">{mark}{escape(line.text)}</p>')
        self.diff.setHtml(f"<h3>{escape(current.text())}</h3><p style='color:#7a7a7a'>Fra version "
                          f"{entry.previous_version} til version {entry.version}: − fjernet, + tilføjet</p>"
                          + "".join(rows))

    def diff_text(self) -> str:
        return self.diff.toPlainText()
