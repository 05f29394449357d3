"""The reader: a page of HTML with zoom, find in page, previous/next and a quiet source line."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


def _button(text: str) -> QToolButton:
    """A compact text button: the bar must fit beside the note at 1024 px and 150 % text."""
    button = QToolButton()
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonTextOnly)
    button.setAutoRaise(False)
    return button


class ReaderView(QWidget):
    linkActivated = Signal(str)     # "item:12", "bilag:3", "goal:7", "dataset:name", ...
    previousRequested = Signal()
    nextRequested = Signal()
    zoomChanged = Signal(int)       # zoom steps from the default size

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zoom = 0
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Læsevisning")
        self.browser.setTabChangesFocus(True)   # Tab leaves the page (the tree reaches every link target)
        self.browser.anchorClicked.connect(self._anchor)
        self.browser.document().setDocumentMargin(18)
        # Relative sizes, so zoom scales headings with the text.
        self.browser.document().setDefaultStyleSheet(
            "h1 { font-size: x-large; margin-bottom: 8px; } "
            "h2 { font-size: large; margin-top: 16px; margin-bottom: 6px; } "
            "h3 { font-size: medium; margin-top: 12px; margin-bottom: 4px; } "
            "h4 { font-size: medium; font-style: italic; margin-top: 10px; margin-bottom: 4px; } "
            "p { margin-bottom: 6px; } td, th { padding: 4px; }")

        self.prev_button = _button("◀ Forrige")
        self.prev_button.setAccessibleName("Forrige")
        self.prev_button.setToolTip("Forrige punkt (Alt+Op)")
        self.next_button = _button("Næste ▶")
        self.next_button.setAccessibleName("Næste")
        self.next_button.setToolTip("Næste punkt (Alt+Ned)")
        self.zoom_out_button = _button("A−")
        self.zoom_out_button.setAccessibleName("Mindre tekst")
        self.zoom_out_button.setToolTip("Mindre tekst (Ctrl+-)")
        self.zoom_in_button = _button("A+")
        self.zoom_in_button.setAccessibleName("Større tekst")
        self.zoom_in_button.setToolTip("Større tekst (Ctrl++)")
        self.prev_button.clicked.connect(self.previousRequested)
        self.next_button.clicked.connect(self.nextRequested)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)

        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText("Find i siden")
        self.find_field.setAccessibleName("Find i siden")
        self.find_field.setClearButtonEnabled(True)
        self.find_status = QLabel("")
        find_next = _button("Næste")
        find_next.setAccessibleName("Find næste")
        find_prev = _button("Forrige")
        find_prev.setAccessibleName("Find forrige")
        find_close = _button("Luk")
        find_close.setAccessibleName("Luk søgning i siden")
        self.find_bar = QWidget()
        fb = QHBoxLayout(self.find_bar)
        fb.setContentsMargins(0, 0, 0, 0)
        fb.addWidget(QLabel("Find:"))
        fb.addWidget(self.find_field, 1)
        fb.addWidget(find_prev)
        fb.addWidget(find_next)
        fb.addWidget(self.find_status)
        fb.addWidget(find_close)
        self.find_bar.hide()
        self.find_field.textChanged.connect(lambda _t: self.find(from_start=True))
        self.find_field.returnPressed.connect(self.find)
        find_next.clicked.connect(self.find)
        find_prev.clicked.connect(lambda: self.find(backward=True))
        find_close.clicked.connect(self.close_find)
        QShortcut(QKeySequence(Qt.Key_Escape), self.find_bar, self.close_find,
                  context=Qt.WidgetWithChildrenShortcut)

        self.source = QLabel("")
        self.source.setStyleSheet("color: #7a7a7a; font-size: small;")
        self.source.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.source.setAccessibleName("Kilde")
        self.source.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)   # a long source never widens

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.source)
        self.setFocusProxy(self.browser)

    # --- content -------------------------------------------------------------------------------

    def show_html(self, html: str, source: str = "", anchor: str | None = None) -> None:
        self.browser.setHtml(html)
        self.source.setText(f"Kilde: {source}" if source else "")
        self.source.setToolTip(self.source.text())
        if anchor:
            self.scroll_to(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
        if self.find_bar.isVisible() and self.find_field.text():
            self.find(from_start=True)

    def scroll_to(self, anchor: str) -> None:
        self.browser.scrollToAnchor(anchor)

    def select_from_top(self, words: list[str]) -> bool:
        """Select the first of `words` from the top of the visible page (a search hit's match)."""
        start = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft())
        for word in words:
            found = self.browser.document().find(word, start)
            if not found.isNull():
                value = self.browser.verticalScrollBar().value()
                self.browser.setTextCursor(found)
                self.browser.verticalScrollBar().setValue(value)   # keep the hit's line at the top
                self.browser.ensureCursorVisible()
                return True
        return False

    def text(self) -> str:
        return self.browser.toPlainText()

    def _anchor(self, url: QUrl) -> None:
        self.linkActivated.emit(url.toString())

    # --- zoom ----------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom - 1)

    def set_zoom(self, steps: int) -> None:
        """Zoom in whole steps from the default size (-4 … +12), so it can be remembered."""
        steps = max(-4, min(12, int(steps)))
        delta = steps - self.zoom
        if delta > 0:
            self.browser.zoomIn(delta)
        elif delta < 0:
            self.browser.zoomOut(-delta)
        if delta:
            self.zoom = steps
            self.zoomChanged.emit(steps)

    def font_size(self) -> float:
        return self.browser.font().pointSizeF()

    # --- find in page --------------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.browser.setFocus()

    def find(self, backward: bool = False, from_start: bool = False) -> bool:
        text = self.find_field.text()
        if not text:
            self.find_status.setText("")
            return False
        if from_start:
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.browser.find(text, flags)
        if not found and not from_start:   # wrap around once
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(text, flags)
        self.find_status.setText("" if found else "Ikke fundet")
        return found
