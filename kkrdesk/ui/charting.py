"""Charts in the window: matplotlib is imported here, and only when a chart is first shown.

Start-up must not pay for matplotlib (about a second on a slow laptop), so
nothing on the path to the first window imports this module's heavy parts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from sqlite_utils import Database

MIN_SCALE = 0.75


class ChartBox(QWidget):
    """Holds one FigureCanvasQTAgg (or a sentence saying why there is no chart)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = None
        self.canvas = None
        self.scroll = None
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.message)
        self.setAccessibleName("Diagram")
        self._pending: Callable[[], tuple[object, str]] | None = None

    def draw_when_shown(self, build: Callable[[], tuple[object, str]]) -> None:
        """Draw `build()` → (figure or None, reason) now if visible, else the first time the box is shown.

        Building a figure costs matplotlib time; a view that is not on screen should not pay it.
        """
        self.clear("Diagrammet tegnes …")
        self._pending = build
        if self.isVisible():
            self._draw_pending()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pending is not None:
            self._draw_pending()

    def _draw_pending(self) -> None:
        build, self._pending = self._pending, None
        figure, reason = build()
        if figure is None:
            self.clear(reason)
        else:
            self.show_figure(figure)

    def clear(self, message: str = "") -> None:
        self._pending = None
        if self.canvas is not None:
            self.layout_.removeWidget(self.scroll)
            self.scroll.deleteLater()
            self.canvas = None
            self.scroll = None
        self.figure = None
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def show_figure(self, figure) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        self.clear()
        self.figure = figure
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setAccessibleName("Diagram")
        self.canvas.setFocusPolicy(Qt.NoFocus)
        # Never squeezed below ~70 % of its drawn size: in a narrow window the chart scrolls
        # instead of its labels, values and legend running into each other.
        width, height = figure.get_size_inches() * figure.dpi * MIN_SCALE
        self.canvas.setMinimumSize(int(width), int(height))
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        self.scroll.setWidget(self.canvas)
        self.layout_.addWidget(self.scroll, 1)
        self.message.hide()

    def save(self, path: Path) -> None:
        """PNG, SVG or PDF by the file's suffix."""
        if self.figure is None:
            raise ValueError("Der er intet diagram at gemme")
        fmt = {".svg": "svg", ".pdf": "pdf"}.get(path.suffix.lower(), "png")
        self.figure.savefig(str(path), format=fmt, dpi=150 if fmt == "png" else None, bbox_inches="tight")


def dataset_chart(db: Database, name: str):
    """The standard chart of a dataset (kkrdesk.charts), or a Danish reason there is none."""
    from kkrdesk.charts import NoChartData, chart_for_dataset

    try:
        return chart_for_dataset(db, name), ""
    except NoChartData as exc:
        return None, str(exc)


def theme_chart(db: Database, theme: str | None):
    """The chart of a goal's theme across contract years, or a reason there is none."""
    if not theme:
        return None, "Målet har intet tema at sammenligne på tværs af år"
    from kkrdesk.charts import NoChartData, chart_for_theme

    try:
        return chart_for_theme(db, theme), ""
    except NoChartData as exc:
        return None, str(exc)
