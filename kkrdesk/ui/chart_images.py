"""A dataset's chart as a QImage for the text view, beside the table it was read from (#15)."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

if TYPE_CHECKING:
    from sqlite_utils import Database

CHART_DPI = 88
WIDTH_IN = 5.0   # × 88 dpi = render.CHART_WIDTH px: fits the reading measure, labels a little smaller


def chart_image(db: Database, name: str) -> QImage | None:
    """The dataset's standard chart (kkrdesk.charts) as a PNG-backed QImage; None when it has none."""
    from kkrdesk.charts import NoChartData, chart_for_dataset

    try:
        figure = chart_for_dataset(db, name)
    except NoChartData:
        return None
    width, height = figure.get_size_inches()
    figure.set_size_inches(WIDTH_IN, WIDTH_IN * height / width)   # drawn at the size shown: legible labels
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI)
    image = QImage.fromData(buffer.getvalue(), "PNG")
    return None if image.isNull() else image
