"""Nøgletal: a dataset's table and its chart side by side; export the chart, copy the table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkrdesk.data.danish import count_text, format_number
from kkrdesk.data.figures.pivot import pivot_figures
from kkrdesk.ui import sources
from kkrdesk.ui.charting import ChartBox, dataset_chart
from kkrdesk.ui.csv_text import pivot_cell, pivot_columns, pivot_to_csv

if TYPE_CHECKING:
    from sqlite_utils import Database


class DatasetTableModel(QAbstractTableModel):
    """A dataset as a wide table (municipality × period); values in Danish format, each cell's source on hover."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []
        self.table = pivot_figures([])
        self.columns: list[tuple[str, str]] = pivot_columns(self.table)

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.table = pivot_figures(rows)
        self.columns = pivot_columns(self.table)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.table.rows[index.row()]
        key = self.columns[index.column()][0]
        is_value = key.startswith("period:")
        value = pivot_cell(row, key)
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            if is_value:
                return format_number(value)
            return "" if value is None else str(value)
        if role == Qt.TextAlignmentRole and is_value:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and is_value:
            cell = row.cells.get(key[len("period:"):])
            if cell is None:
                return None
            parts = [f"Trykt som: {cell['raw']}" if cell.get("raw") else ""]
            if cell.get("flag"):
                parts.append(f"Bemærk: {cell['flag']}")
            if cell.get("correction"):
                parts.append(cell["correction"]["note"])
            if cell.get("file_name"):
                parts.append(f"Kilde: {cell['file_name']}, linje {cell.get('line')}")
            return "\n".join(p for p in parts if p) or None
        if role == Qt.BackgroundRole and is_value:
            cell = row.cells.get(key[len("period:"):])
            if cell and (cell.get("flag") or cell.get("correction")):
                return QColor(255, 236, 179)  # a flagged figure (e.g. a total that differs from its rows)
        if role == Qt.ToolTipRole and not is_value and value:
            return str(value)          # a long group or label is cut in a narrow column: the whole text on hover
        if role == Qt.FontRole and row.is_total:
            font = QApplication.font()
            font.setBold(True)
            return font
        return None

    def flagged_count(self) -> int:
        """Cells shown in yellow (flagged or corrected figures)."""
        return sum(1 for row in self.table.rows for cell in row.cells.values()
                   if cell.get("flag") or cell.get("correction"))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section][1]
        if orientation == Qt.Vertical:
            return str(section + 1)
        return None


class FiguresView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.name: str | None = None
        self.title = QLabel("")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.description = QLabel("")
        self.description.setWordWrap(True)
        self.model = DatasetTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Tabel med nøgletal")
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setMaximumSectionSize(170)     # long group names elide (tooltip has them)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setTabKeyNavigation(False)
        self.legend = QLabel('<span style="background:#ffecb3; border:1px solid #c9a400">&nbsp;&nbsp;&nbsp;&nbsp;</span>'
                             "&nbsp;Gult felt: tallet er markeret (fx en sum, der ikke passer med rækkerne, "
                             "eller en rettelse). Hold musen over feltet for at se hvorfor.")
        self.legend.setObjectName("flagLegend")
        self.legend.setWordWrap(True)
        self.legend.hide()
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.legend)
        self.chart = ChartBox()
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("figuresSplitter")
        self.splitter.addWidget(table_box)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([480, 480])
        self.chart.setMinimumWidth(200)
        table_box.setMinimumWidth(200)
        self.copy_button = QPushButton("Kopiér tabel som CSV")
        self.copy_button.setAccessibleName("Kopiér tabel som CSV")
        self.export_button = QPushButton("Eksportér diagram…")
        self.export_button.setAccessibleName("Eksportér diagram som PNG, SVG eller PDF")
        self.copy_button.clicked.connect(self.copy_csv)
        self.export_button.clicked.connect(self.export_chart)
        self.status = QLabel("")
        self.status.setStyleSheet("color: #7a7a7a;")
        # a long source list must not force the window wider (it did: 1024 → 1291 px); full text on hover
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        bar = QHBoxLayout()
        bar.addWidget(self.copy_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

    # Table and chart side by side need room for both: the chart is never squeezed below ~600 px (charting.py).
    SIDE_BY_SIDE_MIN = 1000

    def resizeEvent(self, event) -> None:  # noqa: N802
        """Below SIDE_BY_SIDE_MIN px the chart goes under the table, full width, instead of being cut off beside it
        (at 1024 px with the tree open, half the chart and the table's last column were off-screen)."""
        super().resizeEvent(event)
        wanted = Qt.Horizontal if self.width() >= self.SIDE_BY_SIDE_MIN else Qt.Vertical
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            if wanted == Qt.Horizontal:
                self.splitter.setSizes([self.width() // 2, self.width() - self.width() // 2])
            else:                      # the chart needs the height more than the table (which scrolls)
                height = self.splitter.height()
                self.splitter.setSizes([height * 2 // 5, height - height * 2 // 5])

    def set_dataset(self, name: str) -> None:
        self.name = name
        info = next((d for d in sources.datasets(self.db) if d["name"] == name), None)
        self.title.setText(info["title"] if info else name)
        self.description.setText((info or {}).get("description") or "")
        rows = sources.dataset_rows(self.db, name)
        self.model.set_rows(rows)
        self.legend.setVisible(self.model.flagged_count() > 0)
        docs = sorted({r.get("file_name") or "" for r in rows} - {""})
        self.status.setText(f"{count_text(len(rows), 'tal', 'tal')} · kilde: {', '.join(docs)}" if rows
                            else "Ingen tal")
        self.status.setToolTip(self.status.text())
        self.chart.draw_when_shown(lambda: dataset_chart(self.db, name))

    def csv_text(self) -> str:
        return pivot_to_csv(self.model.table)

    def copy_csv(self) -> None:
        QApplication.clipboard().setText(self.csv_text())
        rows = count_text(self.model.rowCount(), "række", "rækker")
        self.status.setText(f"{rows} kopieret – indsæt i et regneark")

    def export_chart(self) -> None:
        if self.chart.figure is None:
            QMessageBox.information(self, "Eksportér diagram", "Der er intet diagram at eksportere.")
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Eksportér diagram", f"{self.name or 'diagram'}.png",
            "PNG-billede (*.png);;SVG-tegning (*.svg);;PDF-dokument (*.pdf)")
        if not path:
            return
        try:
            self.chart.save(Path(path))
        except OSError as exc:
            QMessageBox.warning(self, "Eksportér diagram", f"{Path(path).name}: kunne ikke gemmes ({exc})")
            return
        self.status.setText(f"Diagram gemt: {Path(path).name}")
