"""Charts in the window: matplotlib is imported here, and only when a chart is first shown.

Start-up must not pay for matplotlib (about a second on a slow laptop), so
nothing on the path to the first window imports this module's heavy parts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from sqlite_utils import Database


class ChartBox(QWidget):
    """Holds one FigureCanvasQTAgg (or a sentence saying why there is no chart)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = None
        self.canvas = None
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.message)
        self.setAccessibleName("Diagram")

    def clear(self, message: str = "") -> None:
        if self.canvas is not None:
            self.layout_.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas = None
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
        self.layout_.addWidget(self.canvas, 1)
        self.message.hide()

    def save(self, path: Path) -> None:
        """PNG or SVG by the file's suffix."""
        if self.figure is None:
            raise ValueError("Der er intet diagram at gemme")
        fmt = "svg" if path.suffix.lower() == ".svg" else "png"
        self.figure.savefig(str(path), format=fmt, dpi=150 if fmt == "png" else None, bbox_inches="tight")


def dataset_chart(db: Database, name: str):
    """The standard chart of a dataset (kkrdesk.charts), or a Danish reason there is none."""
    try:
        from kkrdesk.charts import NoChartData, chart_for_dataset
    except ImportError:
        return None, "Diagrammer er ikke tilgængelige i denne version"
    try:
        return chart_for_dataset(db, name), ""
    except NoChartData as exc:
        return None, str(exc)


def theme_chart(db: Database, theme: str | None):
    """The chart of a goal's theme across contract years, or a reason there is none."""
    if not theme:
        return None, "Målet har intet tema at sammenligne på tværs af år"
    try:
        from kkrdesk.charts import NoChartData, chart_for_theme
    except ImportError:
        return None, "Diagrammer er ikke tilgængelige i denne version"
    try:
        return chart_for_theme(db, theme), ""
    except NoChartData as exc:
        return None, str(exc)
