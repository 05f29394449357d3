"""A contract goal as the document standing for its year prints it: each result against its own
target with its status in words, and the theme's chart per indicator across years (#17)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from kkrdesk.data.queries import source_label
from kkrdesk.ui import render, sources
from kkrdesk.ui.charting import ChartBox, theme_chart
from kkrdesk.ui.reader import ReaderView

if TYPE_CHECKING:
    from sqlite_utils import Database


class GoalView(QWidget):
    """The chart is drawn only while the view is visible: matplotlib loads on first use."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.goal: dict | None = None
        self.reader = ReaderView()
        self.chart = ChartBox()
        self.chart.setMinimumHeight(200)
        # a chart with one panel per indicator is taller than the pane: it scrolls, rows never squeeze (#17)
        self.chart_scroll = QScrollArea()
        self.chart_scroll.setObjectName("goalChartScroll")
        self.chart_scroll.setWidgetResizable(True)
        self.chart_scroll.setFrameShape(QFrame.NoFrame)
        self.chart_scroll.setWidget(self.chart)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.setObjectName("goalSplitter")
        self.splitter.addWidget(self.reader)
        self.splitter.addWidget(self.chart_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([480, 340])      # the goal's text first: it was a ~260 px slot above the chart
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setFocusProxy(self.reader)

    def set_goal(self, goal_id: int, anchor: str | None = None) -> dict | None:
        goal = sources.goal_detail(self.db, goal_id)
        self.goal = goal
        if goal is None:
            self.reader.show_html("<h1>Målet findes ikke længere i lageret</h1>")
            self.chart.clear("")
            return None
        self.reader.show_html(render.goal_html(goal), source_label(goal.get("file_name"), goal.get("line_start")),
                              anchor)
        theme = goal.get("theme")
        self.chart.draw_when_shown(lambda: theme_chart(self.db, theme))
        return goal
