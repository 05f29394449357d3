"""Search everything: one field, ranked hits with highlighted snippets as you type."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

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

from kkrdesk.data.danish import count_text
from kkrdesk.data.search import HIGHLIGHT_END, HIGHLIGHT_START, Hit, Place, SearchResult, run_search

if TYPE_CHECKING:
    from sqlite_utils import Database

HitRole = Qt.UserRole + 1
DEBOUNCE_MS = 150
SECTIONS_SHOWN = 50
PLACE_KINDS = {"item": "Dagsordenspunkt", "goal": "Mål", "dataset": "Nøgletal", "theme": "Tema"}


def _where(hit: Hit) -> str:
    """Meeting and agenda item a hit belongs to, else its document; always with the line."""
    parts = [p for p in (hit.meeting, hit.item) if p] or [hit.document_title]
    page = f", side {hit.page}" if hit.page else ""
    return " · ".join(parts) + f" · linje {hit.line}{page}"


def hit_html(hit: Hit) -> str:
    """Heading, meeting and item (or document) and line, and the snippet with the matches marked."""
    snippet = escape(hit.snippet)
    snippet = snippet.replace(HIGHLIGHT_START, '<b style="background-color:#ffe58a; color:#000">')
    snippet = snippet.replace(HIGHLIGHT_END, "</b>")
    # No fixed colour on the source line: it must stay legible on the selection and in dark themes.
    lock = "🔒 Lukket punkt · " if hit.locked else ""   # the secretariat's own store shows closed text, marked (#14)
    return (f"<b>{lock}{escape(hit.section)}</b><br>{snippet}<br>"
            f"<small><i>{escape(_where(hit))}</i></small>")


def place_html(place: Place) -> str:
    return (f"<b>{escape(PLACE_KINDS.get(place.kind, place.kind))}: {escape(place.title)}</b><br>"
            f"<small><i>{escape(place.context)}</i></small>")


def summary_text(result: SearchResult) -> str:
    """'«pædagoger»: 37 forekomster i 12 afsnit' (and what was searched instead, when folded)."""
    parts = []
    if result.folded:
        parts.append(f"Intet fundet for det skrevne; viser »{result.query}« (ae/oe/aa læst som æ/ø/å).")
    if result.sections:
        found = count_text(result.occurrences, "forekomst", "forekomster")
        where = count_text(result.sections, "afsnit", "afsnit")
        if result.shown_sections < result.sections:
            where = f"de {result.shown_sections} bedste af {where}"
        parts.append(f"»{result.query}«: {found} i {where}")
    if result.places:
        parts.append(count_text(len(result.places), "punkt, mål eller tema", "punkter, mål og temaer") + " med navnet")
    if not parts:
        return "Ingen resultater"
    return " – ".join(parts) + " – Enter åbner det markerede, ↓ går til listen"


class SearchModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.hits: list[Hit] = []
        self.places: list[Place] = []

    def set_hits(self, hits: list[Hit], places: list[Place] | None = None) -> None:
        self.beginResetModel()
        self.hits = hits
        self.places = places or []
        self.endResetModel()

    def row_object(self, row: int) -> Hit | Place | None:
        """Places (items, goals, datasets, themes) first, then the text hits."""
        if 0 <= row < len(self.places):
            return self.places[row]
        if 0 <= row - len(self.places) < len(self.hits):
            return self.hits[row - len(self.places)]
        return None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.places) + len(self.hits)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        hit = self.row_object(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if isinstance(hit, Place):
            if role == Qt.DisplayRole:
                return place_html(hit)
            if role in (Qt.AccessibleTextRole, Qt.ToolTipRole):
                return f"{PLACE_KINDS.get(hit.kind, hit.kind)}: {hit.title} ({hit.context})"
            return hit if role == HitRole else None
        if role == Qt.DisplayRole:
            return hit_html(hit)
        if role in (Qt.AccessibleTextRole, Qt.ToolTipRole):
            plain = hit.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
            lock = "Lukket punkt: " if hit.locked else ""
            return f"{lock}{hit.section}: {plain} ({_where(hit)})"
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
    placeActivated = Signal(str, object)   # kind, ident of an item, goal, dataset or theme

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.result: SearchResult | None = None
        self.field = QLineEdit()
        self.field.setPlaceholderText("Søg i alt materiale – møder, bilag, kontrakter (Ctrl+K)")
        self.field.setAccessibleName("Søg")
        self.field.setClearButtonEnabled(True)
        self.summary = QLabel("Skriv et eller flere ord. Brug \"anførselstegn\" for en hel frase.")
        self.summary.setAccessibleName("Søgeresultat")
        self.summary.setWordWrap(True)   # a long summary wraps; unwrapped it made the window wider than 1024 px
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
        self.result = run_search(self.db, text, limit=SECTIONS_SHOWN) if text.strip() else None
        result = self.result
        self.model.set_hits(result.hits if result else [], result.places if result else [])
        if self.model.rowCount():
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.summary.setText(summary_text(result) if result else "Skriv et eller flere ord.")

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
        if isinstance(hit, Place):
            self.placeActivated.emit(hit.kind, hit.ident)
        elif hit is not None:
            self.hitActivated.emit(hit)

    def match_pattern(self):
        """What the open hit should select: the query actually searched (folded or not)."""
        from kkrdesk.data.search import query_pattern

        return query_pattern(self.result.query if self.result else self.field.text())


def show_match(browser, pattern, line_anchor_top: bool = True) -> bool:
    """Select the first match of `pattern` at or after the top of the view and scroll it into the middle.

    The page was scrolled to the hit's line anchor just before, so the view's top is that line.
    """
    if pattern is None:
        return False
    from PySide6.QtCore import QRegularExpression
    from PySide6.QtGui import QTextCursor

    regex = QRegularExpression(pattern.pattern, QRegularExpression.CaseInsensitiveOption
                               | QRegularExpression.UseUnicodePropertiesOption)
    document = browser.document()
    start = browser.cursorForPosition(browser.viewport().rect().topLeft()) if line_anchor_top else QTextCursor(document)
    found = document.find(regex, start)
    if found.isNull():
        found = document.find(regex, 0)
    if found.isNull():
        return False
    browser.setTextCursor(found)
    rect = browser.cursorRect(found)
    bar = browser.verticalScrollBar()
    bar.setValue(bar.value() + rect.center().y() - browser.viewport().height() // 3)
    browser.ensureCursorVisible()
    return True
