"""Indstillinger: text size, default export folder, and exporting one's private notes.

Kept in the same INI file as the window's state (ui/app.py `make_settings`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from kkrdesk.data.danish import count_text, format_date
from kkrdesk.data.notes import NotesStore

ZOOM_STEPS = [(-2, "Lille"), (0, "Normal"), (2, "Større"), (4, "Stor"), (7, "Meget stor")]


def notes_markdown(notes: NotesStore) -> str:
    """All notes and stars as a Markdown text a member can keep or print (newest first)."""
    lines = ["# Mine noter", "", f"Eksporteret {format_date(dt.date.today())}.", ""]
    for note in notes.list_notes():
        star = "★ " if note.starred else ""
        lines.append(f"## {star}{note.title or note.key}")
        if note.context:
            lines.append(f"*{note.context}*")
        lines.append("")
        lines.extend([note.text.strip(), ""] if note.text.strip() else [])
    return "\n".join(lines).rstrip() + "\n"


def export_notes(notes: NotesStore, target: Path) -> int:
    """Write the notes to `target` (temp file + rename); returns the number of notes."""
    text = notes_markdown(notes)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(target)
    return len(notes.list_notes())


class PreferencesDialog(QDialog):
    def __init__(self, settings: QSettings, notes: NotesStore, zoom: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.notes = notes
        self.setWindowTitle("Indstillinger")
        self.text_size = QComboBox()
        self.text_size.setAccessibleName("Tekststørrelse")
        for steps, label in ZOOM_STEPS:
            self.text_size.addItem(label, steps)
        nearest = min(range(len(ZOOM_STEPS)), key=lambda i: abs(ZOOM_STEPS[i][0] - zoom))
        self.text_size.setCurrentIndex(nearest)
        self.folder = QLineEdit(settings.value("export/folder", "") or "")
        self.folder.setAccessibleName("Standardmappe til eksport")
        self.folder.setPlaceholderText(str(Path.home()))
        choose = QPushButton("Vælg…")
        choose.setAccessibleName("Vælg mappe")
        choose.clicked.connect(self._choose_folder)
        self.export_notes_button = QPushButton("Eksportér mine noter…")
        self.export_notes_button.setAccessibleName("Eksportér mine noter")
        self.export_notes_button.clicked.connect(self._export_notes)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Gem")
        buttons.button(QDialogButtonBox.Cancel).setText("Annullér")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        form = QFormLayout(self)
        form.addRow("Tekststørrelse", self.text_size)
        form.addRow("Standardmappe til eksport", row)
        form.addRow("Mine noter", self.export_notes_button)
        form.addRow(self.message)
        form.addRow(buttons)

    def zoom(self) -> int:
        return int(self.text_size.currentData())

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Standardmappe til eksport", self.folder.text() or
                                                  str(Path.home()))
        if folder:
            self.folder.setText(folder)

    def _export_notes(self) -> None:
        start = Path(self.folder.text() or Path.home()) / "mine-noter.md"
        path, _ = QFileDialog.getSaveFileName(self, "Eksportér mine noter", str(start), "Markdown (*.md);;Tekst (*.txt)")
        if path:
            count = export_notes(self.notes, Path(path))
            self.message.setText(f"{count_text(count, 'note', 'noter')} gemt i {Path(path).name}.")

    def accept(self) -> None:
        folder = self.folder.text().strip()
        if folder and not Path(folder).is_dir():
            self.message.setText(f"Mappen findes ikke: {folder}")
            return
        self.settings.setValue("export/folder", folder)
        super().accept()
