"""What a new board member noticed first (#19), each through the user's own entry point."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from kkrdesk.data.notes import NotesStore
from kkrdesk.ui.app import create_main_window, make_settings
from kkrdesk.ui.nav_model import KindRole
from tests.test_ui_window import ROW, _child, _click, _item_id, _menu_action, _shot, _show_active

DATASETS = ["basisbevilling", "boernehus-nord", "faellessekretariater", "komponentanalyse",
            "paedagog-dimensionering", "sosu-dimensionering"]


def _window(qtbot, store, width=1024, height=700):
    notes = NotesStore()
    w = create_main_window(store, notes, make_settings())
    qtbot.addWidget(w)
    w.resize(width, height)
    _show_active(qtbot, w)
    return w, notes


def _open_dataset(qtbot, window, title_start):
    model = window.model
    root = model.index(ROW["datasets"], 0)
    window.tree.expand(root)
    _click(qtbot, window, _child(model, root, title_start))
    for _ in range(3):
        QApplication.processEvents()


def _headers(view):
    return [view.model.headerData(c, Qt.Horizontal) for c in range(view.model.columnCount())]


def test_next_goes_on_to_the_next_item_after_the_last_bilag(qtbot, corpus_store):
    window, notes = _window(qtbot, corpus_store)
    bilag_id = corpus_store.db.execute("SELECT id FROM bilag WHERE agenda_item_id = ?",
                                       (_item_id(corpus_store.db),)).fetchone()[0]
    window.open_place("bilag", bilag_id)                     # 3.5's only bilag
    assert window.reader.next_button.isEnabled()
    qtbot.mouseClick(window.reader.next_button, Qt.LeftButton)
    assert window.tree.currentIndex().data(KindRole) == "item"
    assert window.reader.text().startswith("3.7 ")
    window.open_place("bilag", bilag_id)
    qtbot.mouseClick(window.reader.prev_button, Qt.LeftButton)   # back up: the item the bilag belongs to
    assert window.reader.text().startswith("3.5 ")
    window.tree.expand(window.tree.currentIndex())
    _shot(window, "window-1024x700.png")
    window.close()
    notes.close()


def test_goal_text_pane_gets_most_of_the_height(qtbot, corpus_store):
    window, notes = _window(qtbot, corpus_store, 1280, 800)
    goal_id = corpus_store.db.execute("SELECT g.id FROM goals g JOIN contracts c ON c.id = g.contract_id "
                                      "WHERE c.year = 2022 AND g.number = '6'").fetchone()[0]
    window.open_place("goal", goal_id)
    text_height, chart_height = window.goal_view.splitter.sizes()
    assert text_height > 330 and text_height > chart_height
    sheet = window.reader.browser.document().defaultStyleSheet()
    assert "h2 { font-size: large; margin-top: 16px; margin-bottom: 6px; }" in sheet   # headings keep a gap
    window.close()
    notes.close()


def test_figures_periods_sorted_lines_once_and_a_legend_for_yellow(qtbot, corpus_store):
    window, notes = _window(qtbot, corpus_store)
    view = window.figures_view
    _open_dataset(qtbot, window, "Erhvervshusets basisbevilling")
    headers = _headers(view)
    assert headers[0] == "Betegnelse" and headers[-1] == "Enhed"
    years = headers[1:-1]
    assert years == sorted(years) and years[:3] == ["2019", "2021", "2024"]    # as periods, not as printed
    assert window.width() == 1024                                  # the wide source line no longer forces it
    assert view.legend.isVisible() and "Gult felt" in view.legend.text()
    _open_dataset(qtbot, window, "Børnehus Nord")
    labels = [view.model.index(r, 1).data() for r in range(view.model.rowCount())]
    assert labels.count("Afdelingsleder") == 1                     # once, with its amounts and difference
    row = labels.index("Afdelingsleder")
    headers = _headers(view)
    assert headers[:2] == ["Gruppe", "Betegnelse"] and headers.index("Budget 2020") < headers.index("2020-2021")
    values = {headers[c]: view.model.index(row, c).data() for c in range(len(headers))}
    assert (values["Budget 2020"], values["Budget 2021"], values["2020-2021"]) == ("545.000", "577.000", "32.000")
    _open_dataset(qtbot, window, "Studiepladser på pædagog")
    headers = _headers(view)
    assert headers.index("før 2015") < headers.index("2015-2018") < headers.index("2016")
    ax = view.chart.figure.axes[0]
    assert ax.get_ylim()[0] == 0                                   # not "near 360"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[:3] == ["før 2015", "2015-2018", "2016"]
    _open_dataset(qtbot, window, "Lærepladser på SOSU")
    assert not view.legend.isVisible()                             # nothing flagged there
    window.close()
    notes.close()


def test_at_1024_pixels_the_chart_goes_under_the_table_and_nothing_is_cut(qtbot, corpus_store):
    from PySide6.QtCore import Qt

    window, notes = _window(qtbot, corpus_store)                   # 1024 × 700, the tree open
    view = window.figures_view
    _open_dataset(qtbot, window, "Erhvervshusets basisbevilling")
    qtbot.waitUntil(lambda: view.chart.canvas is not None, timeout=3000)
    assert view.splitter.orientation() == Qt.Vertical
    assert not view.table.horizontalScrollBar().isVisible()       # every column, "Enhed" too
    assert not view.chart.scroll.horizontalScrollBar().isVisible()  # the whole width of the chart
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Horizontal, timeout=2000)
    window.close()
    notes.close()


def test_chart_labels_do_not_overlap(qtbot, corpus_store):
    """Fællessekretariater's value axis and Komponentanalyse's paragraph labels, as drawn in the window."""
    window, notes = _window(qtbot, corpus_store)
    for title in ("Fælleskommunale sekretariater", "Komponentanalysen"):
        _open_dataset(qtbot, window, title)
        figure = window.figures_view.chart.figure
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        for ax in figure.axes:
            axis = ax.xaxis
            boxes = [t.get_window_extent(renderer) for t in axis.get_ticklabels() if t.get_text()]
            for left, right in zip(boxes, boxes[1:], strict=False):
                assert not left.overlaps(right), f"{title}: tick labels overlap"
            for legend in [ax.get_legend(), *figure.legends]:
                if legend is None:
                    continue
                box = legend.get_window_extent(renderer)
                for text in [*ax.texts, ax.title, ax._left_title, figure._supxlabel, figure._suptitle]:
                    if text is None:
                        continue
                    if text.get_text():
                        assert not box.overlaps(text.get_window_extent(renderer)), f"{title}: legend on a text"
            for value in ax.texts:                              # a value on a tall bar stays under the panel title
                assert not value.get_window_extent(renderer).overlaps(ax._left_title.get_window_extent(renderer))
            values = sorted((t.get_window_extent(renderer) for t in ax.texts), key=lambda b: b.x0)
            for left, right in zip(values, values[1:], strict=False):
                assert not left.overlaps(right), f"{title}: values on the bars overlap"
    window.close()
    notes.close()


def test_each_dataset_at_1024_by_700(qtbot, corpus_store):
    window, notes = _window(qtbot, corpus_store)
    titles = {"basisbevilling": "Erhvervshusets", "boernehus-nord": "Børnehus", "faellessekretariater": "Fælles",
              "komponentanalyse": "Komponent", "paedagog-dimensionering": "Studiepladser",
              "sosu-dimensionering": "Lærepladser"}
    for name in DATASETS:
        _open_dataset(qtbot, window, titles[name])
        assert window.figures_view.name == name
        assert (window.width(), window.height()) == (1024, 700)
        assert window.figures_view.chart.canvas is not None
        _shot(window, f"nogletal-{name}.png")
    window.close()
    notes.close()


def test_notes_say_saved_and_mark_the_tree(qtbot, corpus_store):
    window, notes = _window(qtbot, corpus_store)
    item_id = _item_id(corpus_store.db)
    window.open_place("item", item_id)
    assert window.note_panel.saved.text() == ""
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    qtbot.keyClicks(window.note_panel.edit, "Spørg til 517")
    assert window.note_panel.saved.text().startswith("Gemt kl. ")
    index = window.model.find("item", item_id)
    assert index.data(Qt.DecorationRole) is not None
    assert "med din note" in index.data(Qt.ToolTipRole)
    qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier)
    assert "stjernemarkeret" in index.data(Qt.ToolTipRole)
    other = window.model.find("item", window.model.index(index.row() + 1, 0, index.parent()).data(Qt.UserRole + 2))
    assert other.data(Qt.DecorationRole) is None
    _menu_action(window, "Mine noter").trigger()
    table = window.notes_view.table
    note_width = table.columnWidth(4)
    assert note_width >= 200 and note_width >= table.columnWidth(2)   # the note is not the one cut
    window.close()
    notes.close()


def test_truncated_tree_rows_have_their_whole_text_as_tooltip(qtbot, corpus_store):
    window, notes = _window(qtbot, corpus_store)
    meetings = window.model.index(ROW["meetings"], 0)
    window.tree.expand(meetings)
    tips = [window.model.index(r, 0, meetings).data(Qt.ToolTipRole) for r in range(window.model.rowCount(meetings))]
    labels = [window.model.index(r, 0, meetings).data() for r in range(window.model.rowCount(meetings))]
    assert all(tip.startswith(label) for tip, label in zip(tips, labels, strict=True))
    assert len(set(tips)) == len(tips)                              # two meetings no longer read alike
    window.close()
    notes.close()


def test_usable_at_150_percent(corpus_db_path, tmp_path):
    """QT_FONT_DPI=144: the first window fits the screen and can be made as small as 1024×700 device pixels."""
    code = (
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from kkrdesk.data.store import open_store\n"
        "from kkrdesk.ui.app import create_main_window\n"
        f"w = create_main_window(open_store({str(corpus_db_path)!r}))\n"
        "w.show(); app.processEvents()\n"
        "free = app.primaryScreen().availableGeometry()\n"
        "w.open_place('dataset', 'basisbevilling'); app.processEvents()\n"
        "ratio = w.devicePixelRatioF()\n"
        "print(ratio, w.width() <= free.width(), w.height() <= free.height(), "
        "w.minimumSizeHint().width() * ratio <= 1024, w.minimumSizeHint().height() * ratio <= 700)\n"
        + (f"w.resize(int(1024 / ratio), int(700 / ratio)); app.processEvents(); "
           f"w.grab().save({str(Path(os.environ.get('KKRDESK_SCREENSHOTS') and 'docs/screenshots' or tmp_path) / 'window-150.png')!r})\n")
    )
    screen = tmp_path / "screen.json"          # a 1440×900 laptop screen, as the tester had
    screen.write_text('{"screens": [{"name": "s", "x": 0, "y": 0, "width": 1440, "height": 900}]}')
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "QT_FONT_DPI": "144",
           "KKRDESK_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1.5", "True", "True", "True", "True"], out.stdout


def test_qt_dialogs_speak_danish_and_the_store_line_agrees_in_number(qtbot, tmp_path):
    from kkrdesk.data.store import open_store
    from kkrdesk.ingest.importer import import_file
    from kkrdesk.ui.app import ensure_app
    from tests.conftest import CONTRACT_2019

    ensure_app()
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Kig i:"
    assert ":focus" in QApplication.instance().styleSheet()          # visible keyboard focus
    store = open_store(tmp_path / "s.sqlite")
    import_file(store, CONTRACT_2019)
    window, notes = _window(qtbot, store)
    text = window.store_label.text()
    assert "0 møder · 1 dokument · 1 kontraktår · " in text             # singular where it is one
    assert window.tree.hasFocus()                                    # the first Tab starts in the contents
    window.close()
    notes.close()
    store.close()


def test_make_run_names_the_missing_xcb_library(monkeypatch):
    import ctypes.util

    from kkrdesk.ui import platform_check

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else f"lib{name}.so")
    assert platform_check.missing_library() == platform_check.MISSING_XCB_CURSOR
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if "xcb-icccm" in name else f"lib{name}.so")
    assert "sudo apt install libxcb-icccm4 " in platform_check.missing_library()   # the one really missing
    assert "libxcb-cursor0" in platform_check.MISSING_XCB_CURSOR and "\n" not in platform_check.MISSING_XCB_CURSOR
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.missing_library() is None
    assert "libxcb-cursor0" in (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "platform_check" in (Path(__file__).resolve().parent.parent / "Makefile").read_text()


def test_chart_exports_as_pdf_through_its_button(qtbot, corpus_store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window, notes = _window(qtbot, corpus_store)
    window.open_place("dataset", "paedagog-dimensionering")
    filters = []
    target = tmp_path / "diagram.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _p, _t, _s, f: filters.append(f) or (str(target), "PDF-dokument (*.pdf)"))
    qtbot.mouseClick(window.figures_view.export_button, Qt.LeftButton)
    assert "PDF-dokument (*.pdf)" in filters[0]
    assert target.read_bytes()[:5] == b"%PDF-"
    assert [b for b in window.figures_view.findChildren(QPushButton) if "Eksportér diagram" in b.text()]
    window.close()
    notes.close()
