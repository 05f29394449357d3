"""#15 point 4: the text view reads like a document — tables as tables (with the nøgletal chart beside a
recognised table, linking to Nøgletal), headings as headings, lists as lists, a ~76-character line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QFontMetricsF, QTextDocument
from PySide6.QtWidgets import QApplication

from kkrdesk.ingest.importer import import_file
from kkrdesk.ui.text_blocks import blocks
from tests.conftest import SCREENSHOTS, shown_window


@pytest.fixture
def window(qtbot, corpus_store):
    with shown_window(qtbot, corpus_store, (1400, 900)) as w:
        yield w


def _bilag(db, title_start):
    return db.execute("SELECT id FROM bilag WHERE title LIKE ?", (title_start + "%",)).fetchone()[0]


def _cell(table, row, column) -> str:
    return table.cellAt(row, column).firstCursorPosition().block().text()


def _click_link(qtbot, browser, text):
    cursor = browser.document().find(text)
    assert not cursor.isNull(), text
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    qtbot.mouseClick(browser.viewport(), Qt.LeftButton, pos=browser.cursorRect(cursor).center())


def test_a_table_without_tabs_reads_as_a_table_with_its_chart_and_a_link_to_noegletal(qtbot, window, corpus_store):
    window.open_place("bilag", _bilag(corpus_store.db, "Fordeling af lærepladser på SOSU"))
    browser = window.reader.browser
    doc = browser.document()
    table = doc.find("Morsø").currentTable()
    assert table is not None and table.columns() == 5
    row = next(r for r in range(table.rows()) if _cell(table, r, 0) == "Morsø")
    assert [_cell(table, row, c) for c in range(5)] == ["Morsø", "13", "13", "26", "26"]   # golden: SOSU 2026
    assert "Morsø 13 13 26 26" not in browser.toPlainText()
    chart = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl("chart:sosu-dimensionering"))
    assert chart is not None and not chart.isNull() and chart.width() == 440
    browser.scrollToAnchor(f"L{corpus_store.db.execute('SELECT MIN(line) FROM figures WHERE dataset = ?', ('sosu-dimensionering',)).fetchone()[0]}")
    for _ in range(3):
        QApplication.processEvents()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "text-view-table.png"))
    _click_link(qtbot, browser, "Se i Nøgletal")
    assert window.place == ("dataset", "sosu-dimensionering")


def test_a_tab_table_gets_a_header_row_and_right_aligned_numbers(window, corpus_store):
    window.open_place("bilag", _bilag(corpus_store.db, "Bilag Børnehus Nord - objektiv"))
    table = window.reader.browser.document().find("Brønderslev").currentTable()
    assert table is not None
    row = next(r for r in range(table.rows()) if _cell(table, r, 0) == "Brønderslev")
    assert [_cell(table, row, c) for c in range(3)] == ["Brønderslev", "7.827", "304.927"]
    assert table.cellAt(row, 1).firstCursorPosition().blockFormat().alignment() & Qt.AlignRight


def test_headings_lists_and_a_reading_measure(qtbot, window, corpus_store, tmp_path):
    text = tmp_path / "notat-om-indsatser.txt"
    text.write_text(
        "Notat om indsatser\n\n1. Baggrund\n\nKommunerne har aftalt tre indsatser:\n\n"
        "• Flere lærepladser i ældreplejen\n• Bedre vejledning af de unge\n• En fælles opfølgning\n\n"
        "Forløbet er:\n\n1) Kortlægning\n2) Handleplan\n3) Opfølgning\n\n"
        + "Teksten om indsatsen fortsætter i et langt afsnit, der skal brydes pænt. " * 12 + "\n",
        encoding="utf-8")
    doc_id = import_file(corpus_store, text).document_id
    try:
        window.open_place("document", doc_id)
        browser = window.reader.browser
        document = browser.document()
        heading = document.find("Baggrund")
        assert heading.blockFormat().headingLevel() >= 2
        bullets = document.find("Bedre vejledning af de unge").currentList()
        assert bullets is not None and bullets.count() == 3
        numbered = document.find("Handleplan").currentList()
        assert numbered is not None and numbered.count() == 3 and numbered.format().style().value < 0 \
            and numbered.format().style() not in (bullets.format().style(),)
        per_line = browser.line_width() / QFontMetricsF(browser.font()).averageCharWidth()
        assert 66 <= per_line <= 82, per_line
        qtbot.keyClick(window, Qt.Key_Plus, Qt.ControlModifier)
        qtbot.keyClick(window, Qt.Key_Plus, Qt.ControlModifier)
        per_line = browser.line_width() / QFontMetricsF(browser.font()).averageCharWidth()
        assert 66 <= per_line <= 82, per_line                 # the measure follows the text size
    finally:
        corpus_store.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def test_blocks_keep_every_line_number():
    body = "Intro\n\nMorsø 13 13 26 26\n\nThisted 25 25 51 51\n\nLæsø 1 1 4 4\n\n• a\n• b"
    found = blocks(body, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    assert [b.kind for b in found] == ["p", "table", "ul"]
    assert [no for b in found for no, _ in b.lines] == [10, 12, 14, 16, 18, 19]
