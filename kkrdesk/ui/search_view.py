"""Search everything: one field, ranked hits with highlighted snippets as you type."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QAbstractListModel, QModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from kkrdesk.data.search import HIGHLIGHT_END, HIGHLIGHT_START, Hit, search

HitRole = Qt.UserRole + 1
DEBOUNCE_MS = 150


def hit_html(hit: Hit) -> str:
    """Heading, document and line, and the snippet with the matches in bold on a soft marker."""
    snippet = escape(hit.snippet)
    snippet = snippet.replace(HIGHLIGHT_START, '<b style="background-color:#ffe58a; color:#000">')
    snippet = snippet.replace(HIGHLIGHT_END, "</b>")
    # No fixed colour on the source line: it must stay legible on the selection and in dark themes.
    lock = "🔒 Lukket punkt · " if hit.locked else ""   # the secretariat's own store shows closed text, marked (#14)
    return (f"<b>{lock}{escape(hit.section)}</b><br>{snippet}<br>"
            f"<small><i>{escape(hit.document_title)} · linje {hit.line}</i></small>")


class SearchModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.DisplayRole:
            return hit_html(hit)
        if role in (Qt.AccessibleTextRole, Qt.ToolTipRole):
            plain = hit.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
            lock = "Lukket punkt: " if hit.locked else ""
            return f"{lock}{hit.section}: {plain} ({hit.document_title}, linje {hit.line})"
        if role == HitRole:
            return hit
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Paints the rich-text result rows (QListView shows plain text only)."""

    def _document(self, option: QStyleOptionViewItem, html: str) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(html)
        doc.setTextWidth(max(100, option.rect.width() - 12))
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        html = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt, html)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.State_Selected:
            ctx.palette.setColor(QPalette.Text, opt.palette.color(QPalette.HighlightedText))
        else:
            ctx.palette.setColor(QPalette.Text, opt.palette.color(QPalette.Text))
        painter.save()
        painter.translate(opt.rect.left() + 6, opt.rect.top() + 4)
        painter.setClipRect(QRectF(0, 0, opt.rect.width() - 12, opt.rect.height() - 4))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = opt.widget.viewport().width() if opt.widget else 600
        opt.rect.setWidth(width)
        doc = self._document(opt, opt.text)
        return QSize(width, int(doc.size().height()) + 10)


class SearchView(QWidget):
    hitActivated = Signal(object)   # Hit

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.field = QLineEdit()
        self.field.setPlaceholderText("Søg i alt materiale – møder, bilag, kontrakter (Ctrl+K)")
        self.field.setAccessibleName("Søg")
        self.field.setClearButtonEnabled(True)
        self.summary = QLabel("Skriv et eller flere ord. Brug \"anførselstegn\" for en hel frase.")
        self.summary.setAccessibleName("Søgeresultat")
        self.model = SearchModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setAccessibleName("Søgeresultater")
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setVerticalScrollMode(QListView.ScrollPerPixel)
        self.results.setAlternatingRowColors(True)
        self.results.setResizeMode(QListView.Adjust)   # re-wrap the snippets when the width changes
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(lambda _t: self.timer.start())
        self.field.returnPressed.connect(self.open_current)
        self.results.activated.connect(self._activated)
        self.field.installEventFilter(self)
        self.setFocusProxy(self.field)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        # Down arrow from the field walks into the results, so no mouse is needed.
        if obj is self.field and event.type() == event.Type.KeyPress and event.key() == Qt.Key_Down:
            if self.model.rowCount():
                self.results.setFocus()
                self.results.setCurrentIndex(self.model.index(0, 0))
                return True
        return super().eventFilter(obj, event)

    def run_search(self) -> None:
        self.timer.stop()
        text = self.field.text()
        hits = search(self.db, text, limit=50) if text.strip() else []
        self.model.set_hits(hits)
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
            count = "1 resultat" if len(hits) == 1 else f"{len(hits)} resultater"
            self.summary.setText(f"{count}{' (de 50 bedste)' if len(hits) == 50 else ''} – "
                                 "Enter åbner det markerede, ↓ går til listen")
        else:
            self.summary.setText("Ingen resultater" if text.strip() else "Skriv et eller flere ord.")

    def open_current(self) -> None:
        if self.timer.isActive():
            self.run_search()
        index = self.results.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._activated(index)

    def _activated(self, index: QModelIndex) -> None:
        hit = self.model.data(index, HitRole)
        if hit is not None:
            self.hitActivated.emit(hit)
