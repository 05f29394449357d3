"""The goal page and the diff page, clicked to as a board member would (#17)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kkrdesk.ui.nav_model import ROOTS
from tests.conftest import shown_window

ROW = {kind: row for row, (kind, _label) in enumerate(ROOTS)}


@pytest.fixture
def window(qtbot, corpus_store):
    with shown_window(qtbot, corpus_store, (1280, 800)) as w:
        yield w


def _child(model, parent, label_start):
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data().startswith(label_start):
            return index
    raise AssertionError(f"{label_start!r} not under {parent.data()!r}")


def _click(qtbot, window, index):
    window.tree.scrollTo(index)
    rect = window.tree.visualRect(index)
    qtbot.mouseClick(window.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.tree.currentIndex() == index


def test_diff_page_under_resultatkontrakter(qtbot, window):
    model = window.model
    contracts = model.index(ROW["contracts"], 0)
    window.tree.expand(contracts)
    _click(qtbot, window, _child(model, contracts, "Ændringer fra 2024 til 2026"))
    text = window.reader.text()
    assert "Ændringer fra 2024 til 2026" in text
    assert "Mål 10: Specialiseret vejledning til Erhvervshusenes forskellige målgrupper" in text
    assert "mindst 800 virksomheder → mindst 700 virksomheder i 2026 (sænket)" in text
    assert "Basisbevilling pr. kommune (1.000 kr.)" in text and "19.337" in text


def test_goal_page_shows_each_result_against_its_target_and_the_indicator_chart(qtbot, window):
    model = window.model
    contracts = model.index(ROW["contracts"], 0)
    window.tree.expand(contracts)
    year = _child(model, contracts, "Resultatkontrakt 2024")
    window.tree.expand(year)
    _click(qtbot, window, _child(model, year, "Mål 3:"))
    text = window.goal_view.reader.text()
    assert "Afrapporteringen står for 2024" in text or "Afrapporteringen for 2024" in text
    assert "Net Promoter Score (NPS), drift: NPS 93 mod NPS mindst 70 – opfyldt" in text
    assert "Net Promoter Score (NPS), vækst: NPS 94 mod NPS mindst 70 – opfyldt" in text
    for _ in range(3):
        QApplication.processEvents()
    canvas = window.goal_view.chart.canvas
    assert canvas is not None
    # the chart is as tall as its rows need; the pane scrolls instead of squeezing them
    assert canvas.minimumHeight() == window.goal_view.chart.figure.kkr_min_height
    titles = [ax.get_title(loc="left") for ax in window.goal_view.chart.figure.axes]
    assert titles[0].startswith("Net Promoter Score (NPS)") and "Andel meget tilfredse (%)" in titles
