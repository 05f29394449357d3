"""Charts and figure tables for a pack, from the nøgletal (#4) and the chart builders.

Charts are matplotlib Figures as 200 dpi images: reportlab cannot place
vector SVG/PDF without extra libraries, and 200 dpi prints sharp on paper.
A dataset's chart is rendered and encoded for the PDF once per process
(`chart_image`, `ChartImage`), so a second export of the same meeting pays for neither.
"""

from __future__ import annotations

import copy
import json
import math
import sqlite3
from dataclasses import dataclass
from io import BytesIO

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFObjectReference
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from kkrdesk.briefing.styles import styles
from kkrdesk.briefing.tables import build_table
from kkrdesk.briefing.text import markup
from kkrdesk.data.danish import format_number

CHART_DPI = 200
SMALL_DATASET = 30   # up to this many rows a figure table is printed too (larger ones are in the text)


def figure_image(fig, width: float, max_height: float = 125 * mm) -> ChartImage:
    """A matplotlib Figure as an image at most `width` × `max_height` points, aspect kept."""
    return _sized(encode_chart(fig), width, max_height)


def _sized(chart: EncodedChart, width: float, max_height: float) -> ChartImage:
    w_in, h_in = chart.size_in
    scale = min(width / w_in, max_height / h_in)
    return ChartImage(chart, w_in * scale, h_in * scale)


@dataclass(frozen=True)
class EncodedChart:
    """A chart's pixels as the PDF image objects Canvas.drawImage(mask="auto") would make of them."""

    name: str                          # reportlab's digest of the pixels: the XObject's name
    image: PDFImageXObject             # RGB, Flate-compressed
    smask: PDFImageXObject | None      # the alpha channel as a soft mask
    size_in: tuple[float, float]       # the figure's size in inches (its aspect)


class ChartImage(Flowable):
    """A chart drawn from image objects encoded once per process (#20.4).

    reportlab's `drawImage` hashes an image's pixels and zlib-compresses them again for
    every PDF (a 200 dpi chart: about 0.1 s). The encoded objects are the same each time,
    so they are made once by reportlab's own PDFImageXObject and then only registered with
    each new document: the PDF comes out byte for byte as drawImage would write it.
    """

    def __init__(self, chart: EncodedChart, width: float, height: float) -> None:
        super().__init__()
        self.chart = chart
        self.drawWidth, self.drawHeight = width, height
        self.hAlign = "LEFT"

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        canv, chart = self.canv, self.chart
        doc = canv._doc
        reg_name = doc.getXObjectName(chart.name)
        image = doc.idToObject.get(reg_name)
        if not image:   # first use in this document: register a copy (as Canvas.drawImage does)
            image = copy.copy(chart.image)
            canv._setXObjects(image)
            doc.Reference(image, reg_name)
            doc.addForm(chart.name, image)
            if chart.smask is not None:
                mask_reg_name = doc.getXObjectName(chart.smask.name)
                if not doc.idToObject.get(mask_reg_name):
                    smask = copy.copy(chart.smask)
                    canv._setXObjects(smask)
                    image.smask = doc.Reference(smask, mask_reg_name)
                else:
                    image.smask = PDFObjectReference(mask_reg_name)
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.scale(self.drawWidth, self.drawHeight)
        canv._code.append(f"/{reg_name} Do")
        canv.restoreState()
        canv._formsinuse.append(chart.name)


def encode_chart(fig) -> EncodedChart:
    """Render a Figure at CHART_DPI straight to pixels (no PNG in between: the same pixels, without
    encoding and decoding a PNG) and encode them for the PDF as Canvas.drawImage would."""
    from PIL import Image as PILImage

    buffer = BytesIO()
    fig.savefig(buffer, format="rgba", dpi=CHART_DPI)
    w_in, h_in = fig.get_size_inches()
    raw = buffer.getvalue()
    pixels = _raster_size(w_in * CHART_DPI, h_in * CHART_DPI, len(raw))
    reader = ImageReader(PILImage.frombuffer("RGBA", pixels, raw, "raw", "RGBA", 0, 1))
    rgb = reader.getRGBData()   # also splits off the alpha channel (_dataA)
    alpha = reader._dataA
    name = _digester(rgb + (alpha.getRGBData() if alpha else b"auto"))
    old = rl_config.useA85
    rl_config.useA85 = 0        # binary streams, as write_pack writes every pack
    try:
        image = PDFImageXObject(name, reader, mask="auto")
    finally:
        rl_config.useA85 = old
    image.name = name
    smask = image.__dict__.pop("_smask", None)
    return EncodedChart(name, image, smask, (float(w_in), float(h_in)))


def _raster_size(width: float, height: float, size: int) -> tuple[int, int]:
    """The pixel size of an RGBA raster of `size` bytes for a width × height in (float) pixels:
    matplotlib's Agg truncates its own float product, which may fall either side of ours."""
    for w in (math.floor(width), math.ceil(width)):
        for h in (math.floor(height), math.ceil(height)):
            if w * h * 4 == size:
                return w, h
    raise ValueError(f"a chart of {size} bytes is not {width} × {height} pixels")


# Rendered charts per dataset and its rows (#20.4): drawing and encoding a 200 dpi chart is the
# costliest part of a pack after the text, and the same dataset comes back in every export of
# the meeting, its theme pack and the contract pack. Keyed by the rows, so a correction redraws it.
_CHART_CACHE: dict[tuple, EncodedChart | None] = {}
_CHART_CACHE_SIZE = 32


def chart_image(builder, no_data, name: str, rows: list[dict], title: str, width: float) -> ChartImage | None:
    """The dataset's chart, rendered and encoded for the PDF once per (dataset, title, rows) in this process."""
    key = (name, title, json.dumps(rows, sort_keys=True, default=str))
    if key not in _CHART_CACHE:
        try:
            fig = builder(rows, title)
        except no_data:
            fig = None
        if len(_CHART_CACHE) >= _CHART_CACHE_SIZE:
            _CHART_CACHE.pop(next(iter(_CHART_CACHE)))
        _CHART_CACHE[key] = None if fig is None else encode_chart(fig)   # no chart is remembered too
    chart = _CHART_CACHE[key]
    return None if chart is None else _sized(chart, width, 125 * mm)


def figure_rows_table(rows: list[dict], width: float):
    """Stored figures as a table: label, period, measure, value (Danish format), source line."""
    header = ["Betegnelse", "Periode", "Mål", "Værdi", "Linje"]
    body = []
    for r in rows:
        value = format_number(r["value"])
        if value and r.get("unit") and r["unit"] not in ("stk.",):
            value = f"{value} {r['unit']}"
        body.append([r.get("municipality") or r.get("label") or "", r.get("period") or "", r.get("measure") or "",
                     value, str(r.get("line") or "")])
    return build_table([header, *body], width, numeric_columns={3, 4})


def _chart_builders():
    """The dataset chart builders, imported only when a pack needs a chart (matplotlib is slow to load)."""
    from kkrdesk.charts.datasets import CHARTS, NoChartData

    return CHARTS, NoChartData


def datasets_in_document(db, document_id: int | None) -> list[str]:
    """Names of the nøgletal datasets read from one document (none without the figures table)."""
    if document_id is None:
        return []
    try:
        rows = db.execute("SELECT DISTINCT dataset FROM figures WHERE document_id = ? ORDER BY dataset",
                          [document_id]).fetchall()
    except sqlite3.OperationalError:
        return []
    return [r[0] for r in rows]


def document_figures(db, document_id: int | None, width: float) -> list[Flowable]:
    """Charts (and for small datasets a table) of the nøgletal read from one document."""
    names = datasets_in_document(db, document_id)
    if not names:
        return []
    from kkrdesk.data.figures import dataset_rows, dataset_title

    charts, no_data = _chart_builders()
    st = styles()
    out: list[Flowable] = []
    for name in names:
        rows = [r for r in dataset_rows(db, name) if r["document_id"] == document_id]
        title = dataset_title(db, name)
        block: list[Flowable] = [Paragraph(f"Nøgletal: {markup(title)}", st["section"])]
        builder = charts.get(name)
        if builder is not None and (image := chart_image(builder, no_data, name, rows, title, width)) is not None:
            block.append(image)
        if len(rows) <= SMALL_DATASET:
            block.append(Spacer(1, 4))
            block.append(figure_rows_table(rows, width))
        if len(block) == 1:
            continue
        block.append(Paragraph("Tal som trykt i bilaget; kilde: linjenumre i det importerede dokument.",
                               st["source"]))
        out.append(KeepTogether(block[:2]))   # the heading never stays behind without its chart/table
        out.extend(block[2:])
    return out
