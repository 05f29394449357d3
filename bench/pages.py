"""The page view's figure (#15): rendering one PDF page at 100 % zoom, as the reader does.

Pages are the benchmark document's own (corpus text typeset on A4 by reportlab), rendered
by QtPdf into a QImage at the screen's 100 % size (96 dpi), each page once, cold.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bench.measure import median, percentile
from bench.pdfs import write_pdf

if TYPE_CHECKING:
    from bench.figures import Bench, Row

EXPECTED = [("page_render_p95_ms", "ms", "<= 50")]


def page_render(bench: Bench) -> list[Row]:
    """page_render_p95_ms: one page into a QImage at 100 %, p95 over every page of the document."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPdf import QPdfDocument

    _app = QGuiApplication.instance() or QGuiApplication([])
    pdf = bench.work / "bench-pages.pdf"
    pages = write_pdf(pdf, max(20, bench.pdf_pages))
    document = QPdfDocument()
    document.load(str(pdf))
    times = []
    for index in range(document.pageCount()):
        size = document.pagePointSize(index)
        start = time.perf_counter()
        image = document.render(index, QSize(round(size.width() * 96 / 72), round(size.height() * 96 / 72)))
        times.append((time.perf_counter() - start) * 1000)
        if image.isNull():
            raise RuntimeError(f"side {index + 1} blev ikke tegnet")
    document.close()
    return [bench.row("page_render_p95_ms", percentile(times, 95), "ms", "<= 50", pages=pages,
                      median_ms=round(median(times), 2))]
