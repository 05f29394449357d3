"""#15 points 2–3: a PDF bilag read as its own pages, switched with the text at the same place,
and a search hit on page 2 opens page 2 with the match marked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kkrdesk.data import meetings
from kkrdesk.data.notes import NotesStore
from kkrdesk.data.originals import page_of_line
from kkrdesk.data.search import search
from kkrdesk.data.store import open_store
from kkrdesk.ui.app import create_main_window, make_settings
from tests.conftest import SCREENSHOTS, shown_window
from tests.original_docs import THREE_PAGES, canvas_pdf, platypus_pdf


@pytest.fixture(params=[canvas_pdf, platypus_pdf], ids=["canvas", "platypus"])
def pdf_store(request, tmp_path):
    store = open_store(tmp_path / "s.sqlite")
    pdf = request.param(tmp_path / "notat-om-laerepladser.pdf", THREE_PAGES)
    meeting = meetings.create_meeting(store, "KKR Nordjylland – møde", "2026-12-03")
    item = meetings.add_item(store, meeting, "3.4", "Lærepladser")
    attached = meetings.attach_file(store, item, pdf)
    yield store, attached
    store.close()


@pytest.fixture
def window(qtbot, pdf_store):
    store, _ = pdf_store
    with shown_window(qtbot, store, (1280, 900), active=True) as w:
        yield w


def test_search_hit_on_page_two_says_page_two(pdf_store):
    store, _ = pdf_store
    (hit,) = search(store.db, "Gnavertal")
    assert page_of_line(store.db, hit.document_id, hit.line) == 2
    assert hit.page == 2


def test_search_json_says_page_two(pdf_store, capsys):
    """`search --json` hits carry the page of a PDF original (#15 point 3), through the command line."""
    import json

    from kkrdesk.cli import main

    store, _ = pdf_store
    assert main(["--db", str(store.path), "search", "Gnavertal", "--json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["page"] == 2


def test_search_hit_opens_the_page_view_at_its_page_with_the_match_marked(qtbot, window):
    qtbot.keyClick(window, Qt.Key_K, Qt.ControlModifier)
    view = window.search_view
    qtbot.keyClicks(view.field, "Gnavertal")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=2000)
    qtbot.keyClick(view.field, Qt.Key_Return)
    reader = window.reader
    assert window.place[0] == "bilag"
    assert reader.showing_pages() and reader.pages_button.isVisible() and reader.pages_button.isChecked()
    qtbot.waitUntil(lambda: reader.page_view.highlighted() is not None, timeout=3000)
    assert reader.page_view.highlighted() == (2, "gnavertal")
    assert reader.page_view.current_page() == 2
    assert reader.page_label.text() == "Side 2 af 3"
    qtbot.wait(400)                                  # QtPdf renders pages in the background
    QApplication.processEvents()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "page-view.png"))


def test_pages_and_text_switch_at_the_same_place_by_key_and_toggle(qtbot, window, pdf_store):
    _, attached = pdf_store
    window.open_place("bilag", attached.bilag_id)
    reader = window.reader
    assert not reader.showing_pages() and reader.pages_button.isVisible() and reader.pages_button.text() == "Sider"
    assert "Gnavertal" in reader.text()
    reader.browser.setFocus()
    qtbot.keyClick(reader.browser, Qt.Key_P, Qt.ControlModifier | Qt.ShiftModifier)
    assert reader.showing_pages() and reader.pages_button.text() == "Tekst"
    pages = reader.page_view
    assert pages.page_count() == 3 and reader.page_label.text() == "Side 1 af 3"
    # page down / up go a whole page
    qtbot.keyClick(pages.view, Qt.Key_PageDown)
    qtbot.waitUntil(lambda: pages.current_page() == 2, timeout=2000)
    qtbot.keyClick(pages.view, Qt.Key_PageDown)
    qtbot.waitUntil(lambda: pages.current_page() == 3, timeout=2000)
    qtbot.keyClick(pages.view, Qt.Key_PageUp)
    qtbot.waitUntil(lambda: pages.current_page() == 2, timeout=2000)
    assert reader.page_label.text() == "Side 2 af 3"
    # zoom through the window's own shortcut, then back to the page's width
    fitted = pages.zoom()
    qtbot.keyClick(window, Qt.Key_Plus, Qt.ControlModifier)
    assert pages.zoom() == pytest.approx(fitted * 1.2)
    qtbot.mouseClick(reader.fit_button, Qt.LeftButton)
    assert pages.zoom() == pytest.approx(fitted) and pages.view.zoomMode() == pages.view.ZoomMode.FitToWidth
    assert pages.current_page() == 2                 # zooming keeps the page being read
    # the visible toggle goes back to the text, at the same place
    qtbot.mouseClick(reader.pages_button, Qt.LeftButton)
    assert not reader.showing_pages() and window.place == ("bilag", attached.bilag_id)
    assert "Gnavertal" in reader.text()


def test_text_only_documents_have_no_page_toggle(qtbot, window, tmp_path, pdf_store):
    store, _ = pdf_store
    text = tmp_path / "notat.txt"
    text.write_text("Et notat\n\nMed tekst.\n", encoding="utf-8")
    from kkrdesk.ingest.importer import import_file

    doc = import_file(store, text).document_id
    window.open_place("document", doc)
    assert not window.reader.pages_button.isVisible()
    qtbot.keyClick(window.reader.browser, Qt.Key_P, Qt.ControlModifier | Qt.ShiftModifier)
    assert not window.reader.showing_pages()


def test_bench_page_render_gives_its_row(tmp_path):
    from bench.archive import QUICK
    from bench.figures import Bench
    from bench.pages import page_render

    (row,) = page_render(Bench(tmp_path, "quick", QUICK, repeats=1, search_rounds=1, pdf_pages=2))
    assert row["name"] == "page_render_p95_ms" and row["value"] > 0 and row["pages"] >= 20


def _click_link(qtbot, browser, text):
    """Click a link in a QTextBrowser where its words are drawn, as a member would."""
    cursor = browser.document().find(text)
    assert not cursor.isNull(), text
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    rect = browser.cursorRect(cursor)
    qtbot.mouseClick(browser.viewport(), Qt.LeftButton, pos=rect.center())


def test_vis_i_dokumentet_on_a_goal_opens_its_page(qtbot, tmp_path):
    from tests.conftest import CONTRACT_2019
    from tests.original_docs import text_as_pdf

    store = open_store(tmp_path / "k.sqlite")
    pdf = text_as_pdf(tmp_path / "resultatkontrakt-2019.pdf", CONTRACT_2019.read_text(encoding="utf-8"))
    from kkrdesk.ingest.importer import import_file

    import_file(store, pdf)
    goal_id, line = store.conn.execute("SELECT id, line_start FROM goals WHERE number = '3'").fetchone()
    notes = NotesStore()
    w = create_main_window(store, notes, make_settings())
    qtbot.addWidget(w)
    w.resize(1280, 900)
    w.show()
    qtbot.waitExposed(w)
    try:
        w.open_place("goal", goal_id)
        browser = w.goal_view.reader.browser
        # goal 3 starts on line 751 of the text, 48 lines a page: page 16, whichever reader numbered the lines
        assert "Vis i dokumentet (side 16)" in browser.toPlainText() and line > 1
        from pypdf import PdfReader

        assert "Etablering af fælles digital indgang" in PdfReader(pdf).pages[15].extract_text()
        _click_link(qtbot, browser, "Vis i dokumentet")
        assert w.place[0] == "document" and w.reader.showing_pages()
        qtbot.waitUntil(lambda: w.reader.page_view.current_page() == 16, timeout=2000)
    finally:
        w.close()
        notes.close()
        store.close()


def test_a_pdf_qt_cannot_read_falls_back_to_the_text_and_says_so(qtbot):
    from kkrdesk.ui.reader import ReaderView

    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.show()
    reader.show_html("<p>Teksten om lærepladser</p>")
    reader.set_document(b"%PDF-1.4 not really a pdf")
    assert reader.pages_button.isVisible()
    qtbot.mouseClick(reader.pages_button, Qt.LeftButton)
    assert not reader.showing_pages() and not reader.pages_button.isVisible()
    assert "kan ikke vises" in reader.source.text() and "lærepladser" in reader.text()


def test_goal_facts_and_figures_carry_their_page(tmp_path, capsys):
    """Every extracted fact points at its page: a goal's targets, and the nøgletal in `figures --json`."""
    import json

    from pypdf import PdfReader

    from kkrdesk.cli import main
    from kkrdesk.ui import sources
    from tests.conftest import BUNDLE_2024, CONTRACT_2019
    from tests.original_docs import text_as_pdf

    db = tmp_path / "k.sqlite"
    contract = text_as_pdf(tmp_path / "resultatkontrakt-2019.pdf", CONTRACT_2019.read_text(encoding="utf-8"))
    bundle = text_as_pdf(tmp_path / "samlet-2024.pdf", BUNDLE_2024.read_text(encoding="utf-8"))
    assert main(["--db", str(db), "import", str(contract), str(bundle)]) == 0
    capsys.readouterr()

    def printed_on(pdf, page, line_text):
        return " ".join(line_text.split()) in " ".join(PdfReader(pdf).pages[page - 1].extract_text().split())

    store = open_store(db)
    try:
        goal_id, doc_id = store.conn.execute(
            "SELECT g.id, c.document_id FROM goals g JOIN contracts c ON c.id = g.contract_id "
            "WHERE c.year = 2019 AND g.number = '1'").fetchone()
        from kkrdesk.data.texts import original_text  # stored compressed (#20.2)

        raw = original_text(store.conn, doc_id)
        lines = raw.split("\n")
        goal = sources.goal_detail(store.db, goal_id)
        facts = [t for ind in goal["indicators"] for t in ind["targets"]] + goal["targets"] + goal["outcomes"]
        facts = [f for f in facts if f.get("line")]
        assert facts and all(printed_on(contract, f["page"], lines[f["line"] - 1]) for f in facts)
        assert goal["page"] > 1 and printed_on(contract, goal["page"], lines[goal["line_start"] - 1])
    finally:
        store.close()
    assert main(["--db", str(db), "figures", "--dataset", "sosu-dimensionering", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    morsoe = next(r for r in rows if r["label"] == "Morsø")
    assert morsoe["source"]["page"] > 1 and printed_on(bundle, morsoe["source"]["page"], "Morsø 13 13 26 26")
