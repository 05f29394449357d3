"""A contract goal: its text, delmål, targets and outcome, and its theme's chart across years."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

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
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.setObjectName("goalSplitter")
        self.splitter.addWidget(self.reader)
        self.splitter.addWidget(self.chart)
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
