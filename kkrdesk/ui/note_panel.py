"""The note + star beside an agenda item, bilag or goal: saved as it is typed, no Save button."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from kkrdesk.data.notes import NotesStore
from kkrdesk.ui.notes_view import changed_text


class NotePanel(QWidget):
    """Every keystroke is committed to the notes store, so a crash loses nothing."""

    changed = Signal(str)  # note key

    def __init__(self, notes: NotesStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notes = notes
        self.key: str | None = None
        self.title = ""
        self.context = ""
        self._loading = False
        self.heading = QLabel("<b>Min note</b>")
        self.star = QCheckBox("★ Stjernemarkér")
        self.star.setAccessibleName("Stjernemarkér")
        self.star.setToolTip("Markér med en stjerne, så det samles under Mine noter")
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName("Min note")
        self.edit.setPlaceholderText("Skriv en privat note … (gemmes mens du skriver)")
        self.edit.setTabChangesFocus(True)
        self.saved = QLabel("")
        self.saved.setObjectName("savedLabel")
        self.saved.setAccessibleName("Gemt")
        self.saved.setStyleSheet("color: #2e7d32;")
        self.hint = QLabel("Privat: gemmes kun på denne computer, ikke i mødematerialet.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #7a7a7a; font-size: small;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.star)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.saved)
        layout.addWidget(self.hint)
        self.star.toggled.connect(self._star_changed)
        self.edit.textChanged.connect(self._text_changed)
        self.setMinimumWidth(160)
        self.setMaximumWidth(420)
        self.setEnabled(False)

    def set_target(self, key: str | None, title: str = "", context: str = "") -> None:
        self.key, self.title, self.context = key, title, context
        note = self.notes.get(key) if key else None
        self._loading = True
        try:
            self.edit.setPlainText(note.text if note else "")
            self.star.setChecked(bool(note and note.starred))
        finally:
            self._loading = False
        self.heading.setText("<b>Min note</b>")
        self.heading.setToolTip(title)
        self.saved.setText(f"Gemt {changed_text(note.updated_at)}" if note and not note.empty else "")
        self.setEnabled(key is not None)

    def _text_changed(self) -> None:
        if self._loading or not self.key:
            return
        self.notes.set_text(self.key, self.edit.toPlainText(), title=self.title, context=self.context)
        self._say_saved()
        self.changed.emit(self.key)

    def _star_changed(self, checked: bool) -> None:
        if self._loading or not self.key:
            return
        self.notes.set_starred(self.key, checked, title=self.title, context=self.context)
        self._say_saved()
        self.changed.emit(self.key)

    def _say_saved(self) -> None:
        """'Gemt kl. 9.41': the member sees that there is nothing to save."""
        self.saved.setText(f"Gemt kl. {dt.datetime.now():%H.%M}")
