"""The reader: a page of HTML with zoom, find in page, previous/next and a quiet source line.

A document whose original is a PDF can also be read as its own pages (the page view, #15),
switched at the same place with the "Sider" toggle or Ctrl+Shift+P.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFontMetricsF, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

READING_MEASURE = 76      # characters a line at the default size (a document reads best at ~70–80)


class DocumentBrowser(QTextBrowser):
    """A QTextBrowser that keeps a document's lines to a reading measure and draws `chart:` images.

    The measure is kept with viewport margins, recomputed on resize and zoom, so the
    column of text stays centred and ~76 characters wide at any window width and text size.
    """

    def __init__(self) -> None:
        super().__init__()
        self.measure: int | None = None
        self.chart_images = None      # callable(name) -> QImage | None, set by the window

    def set_measure(self, chars: int | None) -> None:
        self.measure = chars
        self.apply_measure()

    def apply_measure(self) -> None:
        if not self.measure:
            self.setViewportMargins(0, 0, 0, 0)
            return
        column = QFontMetricsF(self.font()).averageCharWidth() * self.measure
        column += 2 * self.document().documentMargin()
        scrollbar = self.verticalScrollBar().sizeHint().width()
        side = max(0, int((self.width() - scrollbar - 2 * self.frameWidth() - column) / 2))
        self.setViewportMargins(side, 0, side, 0)

    def line_width(self) -> float:
        """The text column's width in pixels, for tests and the status line."""
        return self.viewport().width() - 2 * self.document().documentMargin()

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.apply_measure()
        super().resizeEvent(event)

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802
        if url.scheme() == "chart" and self.chart_images is not None:
            image = self.chart_images(url.path())
            if image is not None:
                return image
        return super().loadResource(kind, url)


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
        self.browser = DocumentBrowser()
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
        self.pages_button = QPushButton("Sider")
        self.pages_button.setCheckable(True)
        self.pages_button.setAccessibleName("Vis originalens sider")
        self.pages_button.setToolTip("Skift mellem teksten og originalens sider (Ctrl+Shift+P)")
        self.pages_button.toggled.connect(self._pages_toggled)
        self.pages_button.hide()
        self.fit_button = QPushButton("Tilpas bredde")
        self.fit_button.setAccessibleName("Tilpas bredde")
        self.fit_button.setToolTip("Siden fylder vinduets bredde")
        self.fit_button.clicked.connect(lambda: self.page_view and self.page_view.fit_width())
        self.fit_button.hide()
        self.page_label = QLabel("")
        self.page_label.setAccessibleName("Side")
        self.page_label.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.page_label)
        bar.addWidget(self.pages_button)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        self.original: bytes | None = None
        self.page_view = None       # made on first use: QtPdf loads only when a member looks at pages
        self.pages_preferred = False
        self._loaded: bytes | None = None
        self.content = QStackedWidget()
        self.content.addWidget(self.browser)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self.toggle_pages, context=Qt.WidgetWithChildrenShortcut)

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
        layout.addWidget(self.content, 1)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.source)
        self.setFocusProxy(self.browser)

    # --- content -------------------------------------------------------------------------------

    def show_html(self, html: str, source: str = "", anchor: str | None = None) -> None:
        self.set_original(None)
        self.browser.set_measure(None)
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

    # --- the original's pages ----------------------------------------------------------------

    def set_document(self, pdf: bytes | None) -> None:
        """What is shown is a document: lines to a reading measure, and its PDF original's pages if any."""
        self.browser.set_measure(READING_MEASURE)
        self.set_original(pdf)

    def set_original(self, pdf: bytes | None) -> None:
        """The PDF original of what is shown (None: text only); the toggle appears with it."""
        self.original = pdf
        self.pages_button.setVisible(pdf is not None)
        if pdf is None:
            self._set_mode(pages=False)
            return
        self._set_mode(pages=self.pages_preferred)

    def showing_pages(self) -> bool:
        return self.page_view is not None and self.content.currentWidget() is self.page_view

    def toggle_pages(self) -> None:
        if self.original is not None:
            self.pages_button.toggle()

    def show_page(self, page: int, words: list[str] | None = None) -> None:
        """Open the page view at `page` (1-based), marking the first of `words` found there."""
        if self.original is None:
            return
        self._set_mode(pages=True)
        if words:
            self.page_view.highlight(page, words)
        else:
            self.page_view.go_to(page)

    def _pages_toggled(self, checked: bool) -> None:
        if self.original is not None:
            self.pages_preferred = checked
            self._set_mode(pages=checked)

    def _set_mode(self, pages: bool) -> None:
        if pages and self.original is not None:
            if self.page_view is None:
                from kkrdesk.ui.page_view import PageView

                self.page_view = PageView()
                self.page_view.pageChanged.connect(self._page_changed)
                self.content.addWidget(self.page_view)
            if self._loaded is not self.original:
                if not self.page_view.load(self.original):   # Qt cannot read this PDF: say so, keep the text
                    self.original = None
                    self.pages_button.hide()
                    self.source.setText("Originalens sider kan ikke vises (PDF'en kan ikke læses); teksten vises")
                    self._set_mode(pages=False)
                    return
                self._loaded = self.original
            self.content.setCurrentWidget(self.page_view)
            self.setFocusProxy(self.page_view)
        else:
            self.content.setCurrentWidget(self.browser)
            self.setFocusProxy(self.browser)
        self.pages_button.blockSignals(True)
        self.pages_button.setChecked(self.showing_pages())
        self.pages_button.setText("Tekst" if self.showing_pages() else "Sider")
        self.pages_button.blockSignals(False)
        for widget in (self.fit_button, self.page_label):
            widget.setVisible(self.showing_pages())
        if self.showing_pages():
            self._page_changed(self.page_view.current_page(), self.page_view.page_count())

    def _page_changed(self, page: int, count: int) -> None:
        self.page_label.setText(f"Side {page} af {count}")

    def _anchor(self, url: QUrl) -> None:
        self.linkActivated.emit(url.toString())

    # --- zoom ----------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        if self.showing_pages():
            self.page_view.zoom_in()
        else:
            self.set_zoom(self.zoom + 1)

    def zoom_out(self) -> None:
        if self.showing_pages():
            self.page_view.zoom_out()
        else:
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
            self.browser.apply_measure()
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
