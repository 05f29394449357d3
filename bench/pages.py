"""The figures of the original pages (#15).

page_render_p95_ms: one PDF page at 100 % zoom, as the reader's page view draws it. The pages
are the benchmark document's own (corpus text typeset on A4 by reportlab), rendered by QtPdf
into a QImage at the screen's 100 % size (96 dpi), each page once, cold.

pack_mixed_150_s: a members' briefing PDF of about 150 pages, half of them bilag merged in as
their original PDF pages and half typeset from text bilag, as the secretariat's export makes it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bench.figures import time_meeting_packs
from bench.measure import median, percentile
from bench.pdfs import write_pdf

if TYPE_CHECKING:
    from bench.figures import Bench, Row

EXPECTED = [("page_render_p95_ms", "ms", "<= 50"), ("pack_mixed_150_s", "s", "<= 3")]


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


def _mixed_meeting(bench: Bench, pdf_bilag: int, pdf_pages: int, text_bilag: int):
    """A meeting with `pdf_bilag` PDF originals of `pdf_pages` pages and `text_bilag` long text bilag."""
    from bench.archive import corpus_paragraphs
    from kkrdesk.data import meetings
    from kkrdesk.data.store import open_store

    path = bench.work / "mixed.sqlite"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    store = open_store(path)
    meeting = meetings.create_meeting(store, "KKR Nordjylland – møde", "2026-12-03")
    paragraphs = [p for group in corpus_paragraphs().values() for p in group if p.strip()]
    for number in range(pdf_bilag + text_bilag):
        item = meetings.add_item(store, meeting, f"3.{number + 1}", f"Punkt nummer {number + 1}",
                                 sagsfremstilling=paragraphs[number % len(paragraphs)])
        if number < pdf_bilag:
            pdf = bench.work / f"mixed-{number}.pdf"
            write_pdf(pdf, pdf_pages, seed=number)
            meetings.attach_file(store, item, pdf)
        else:
            text = bench.work / f"mixed-{number}.txt"
            chunk = paragraphs[(number * 37) % len(paragraphs):][:60] or paragraphs[:60]
            text.write_text(f"Notat {number}\n\n" + "\n\n".join(chunk), encoding="utf-8")
            meetings.attach_file(store, item, text)
    return store, meeting


def pack_mixed(bench: Bench) -> list[Row]:
    """pack_mixed_150_s: build the members' briefing of a ~150-page mixed meeting, median of runs."""
    store, meeting = _mixed_meeting(bench, pdf_bilag=8, pdf_pages=10, text_bilag=17)
    try:
        times, cpus, pages = time_meeting_packs(bench, store.db, meeting, "pack-mixed")
    finally:
        store.close()
    return [bench.row("pack_mixed_150_s", median(times), "s", "<= 3", pages=pages, runs=len(times),
                      cpu_s=round(median(cpus), 3))]


def run(bench: Bench) -> list[Row]:
    """The 'pages' group: both figures."""
    return page_render(bench) + pack_mixed(bench)
