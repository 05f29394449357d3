"""Charts and figure tables for a pack, from the nøgletal (#4) and the chart builders.

Charts are matplotlib Figures saved as 200 dpi PNG: reportlab cannot place
vector SVG/PDF without extra libraries, and 200 dpi prints sharp on paper.
A dataset's chart is rendered once per process and also encoded for the PDF
once (`ChartImage`), so a second export of the same meeting pays for neither.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from io import BytesIO

from reportlab import rl_config
from reportlab.lib.boxstuff import aspectRatioFix
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFObjectReference
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer

from kkrdesk.briefing.styles import styles
from kkrdesk.briefing.tables import build_table
from kkrdesk.briefing.text import markup
from kkrdesk.data.danish import format_number

CHART_DPI = 200
SMALL_DATASET = 30   # up to this many rows a figure table is printed too (larger ones are in the text)


def figure_image(fig, width: float, max_height: float = 125 * mm) -> Image:
    """A matplotlib Figure as a PNG Image at most `width` × `max_height` points, aspect kept."""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=CHART_DPI)
    w_in, h_in = fig.get_size_inches()
    return _image(buffer.getvalue(), (w_in, h_in), width, max_height)


def _image(png: bytes, size_in: tuple[float, float], width: float, max_height: float) -> Image:
    w_in, h_in = size_in
    scale = min(width / w_in, max_height / h_in)
    image = Image(BytesIO(png), width=w_in * scale, height=h_in * scale)
    image.hAlign = "LEFT"
    return image


class ChartImage(Image):
    """A cached chart's PNG, drawn from image objects encoded once per process (#20.4).

    reportlab's `drawImage` decodes the PNG, hashes its pixels and zlib-compresses them again
    for every PDF (a 200 dpi chart: about 0.1 s). The encoded objects are the same each time,
    so they are made once by reportlab's own PDFImageXObject and then only registered with
    each new document: the PDF comes out byte for byte as drawImage would write it.
    """

    def __init__(self, png: bytes, encoded: dict, width: float, height: float) -> None:
        super().__init__(BytesIO(png), width=width, height=height)
        self._png = png
        self._encoded = encoded      # useA85 → (name, image object, soft mask or None); shared via the cache

    def draw(self) -> None:
        canv = self.canv
        key = bool(rl_config.useA85)
        if key not in self._encoded:
            self._encoded[key] = _encode_png(self._png)
        name, template, smask_template = self._encoded[key]
        doc = canv._doc
        reg_name = doc.getXObjectName(name)
        image = doc.idToObject.get(reg_name)
        if not image:   # first use in this document: register a copy (as Canvas.drawImage does)
            image = copy.copy(template)
            canv._setXObjects(image)
            doc.Reference(image, reg_name)
            doc.addForm(name, image)
            if smask_template is not None:
                mask_reg_name = doc.getXObjectName(smask_template.name)
                if not doc.idToObject.get(mask_reg_name):
                    smask = copy.copy(smask_template)
                    canv._setXObjects(smask)
                    image.smask = doc.Reference(smask, mask_reg_name)
                else:
                    image.smask = PDFObjectReference(mask_reg_name)
        x, y, width, height, _scaled = aspectRatioFix(False, "c", getattr(self, "_offs_x", 0),
                                                      getattr(self, "_offs_y", 0), self.drawWidth,
                                                      self.drawHeight, image.width, image.height)
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.translate(x, y)
        canv.scale(width, height)
        canv._code.append(f"/{reg_name} Do")
        canv.restoreState()
        canv._formsinuse.append(name)


def _encode_png(png: bytes) -> tuple[str, PDFImageXObject, PDFImageXObject | None]:
    """(name, image object, soft-mask object) exactly as Canvas.drawImage(mask="auto") makes them."""
    reader = ImageReader(BytesIO(png))
    rgb = reader.getRGBData()   # also splits off the alpha channel (_dataA)
    alpha = reader._dataA
    name = _digester(rgb + (alpha.getRGBData() if alpha else b"auto"))
    image = PDFImageXObject(name, reader, mask="auto")
    image.name = name
    smask = image.__dict__.pop("_smask", None)
    return name, image, smask


# Rendered charts per dataset and its rows (#20.4): drawing and encoding a 200 dpi chart is the
# costliest part of a pack after the text, and the same dataset comes back in every export of
# the meeting, its theme pack and the contract pack. Keyed by the rows, so a correction redraws it.
_CHART_CACHE: dict[tuple, tuple[bytes, tuple[float, float], dict] | None] = {}
_CHART_CACHE_SIZE = 32


def chart_image(builder, no_data, name: str, rows: list[dict], title: str, width: float) -> Image | None:
    """The dataset's chart as an Image, rendered (and encoded for the PDF) once per (dataset, title, rows)
    in this process."""
    key = (name, title, json.dumps(rows, sort_keys=True, default=str))
    if key not in _CHART_CACHE:
        try:
            fig = builder(rows, title)
        except no_data:
            fig = None
        cached = None            # no chart for these rows is remembered too
        if fig is not None:
            buffer = BytesIO()
            fig.savefig(buffer, format="png", dpi=CHART_DPI)
            cached = (buffer.getvalue(), tuple(fig.get_size_inches()), {})
        if len(_CHART_CACHE) >= _CHART_CACHE_SIZE:
            _CHART_CACHE.pop(next(iter(_CHART_CACHE)))
        _CHART_CACHE[key] = cached
    cached = _CHART_CACHE[key]
    if cached is None:
        return None
    png, (w_in, h_in), encoded = cached
    scale = min(width / w_in, 125 * mm / h_in)
    image = ChartImage(png, encoded, w_in * scale, h_in * scale)
    image.hAlign = "LEFT"
    return image


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
