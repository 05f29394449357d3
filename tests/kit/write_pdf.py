"""A story typeset as PDF with reportlab, and a Word file converted to PDF by LibreOffice.

The reportlab layout is deliberately hard in the ways real contracts are: a narrow label
column ("Afrapportering" broken inside its cell), goal boxes that run over a page break,
a budget table with borders in one layout and without any in another, page headers and
"Side N" footers on every page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from tests.kit.spec import DocSpec
from tests.kit.story import Layout, running_texts, story


def _fonts() -> tuple[str, str]:
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "KitSans" not in pdfmetrics.getRegisteredFontNames():
        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont("KitSans", str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("KitSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily("KitSans", normal="KitSans", bold="KitSans-Bold",
                                      italic="KitSans", boldItalic="KitSans-Bold")
    return "KitSans", "KitSans-Bold"


def write_pdf(spec: DocSpec, layout: Layout, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13, spaceAfter=6, bulletIndent=0,
                          bulletFontName=regular)
    cell = ParagraphStyle("cell", parent=body, spaceAfter=3)
    label = ParagraphStyle("label", parent=cell, fontName=bold)
    headings = {level: ParagraphStyle(f"h{level}", parent=body, fontName=bold, fontSize=size, leading=size * 1.25,
                                      spaceBefore=8, spaceAfter=6)
                for level, size in ((0, 20), (1, 15), (2, 12.5), (3, 11))}

    def para(text: str, style=body, lead: str | None = None) -> Paragraph:
        markup = escape(text)
        if lead == "•":
            return Paragraph(markup, style, bulletText="•")
        if lead:
            markup = f"<u><b>{escape(lead)}</b></u> {markup}"
        return Paragraph(markup, style)

    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    flow = []
    for item in story(spec, layout):
        kind = item[0]
        if kind == "title":
            flow.append(para(item[1], headings[0]))
        elif kind == "heading":
            flow.append(para(item[2], headings[min(item[1], 3)]))
        elif kind == "bold":
            flow.append(Paragraph(f"<b>{escape(item[1])}</b>", body))
        elif kind == "para":
            flow.append(para(item[1]))
        elif kind == "item":
            flow.append(para(item[1], ParagraphStyle("item", parent=body, leftIndent=14), "•"))
        elif kind == "numbered":
            flow.append(ListFlowable([ListItem(para(item[2]), value=int(item[1]))], bulletType="1",
                                     bulletFontName=regular, bulletFormat="%s."))
        elif kind == "box" and layout.box == "table":
            rows = [[para(name, label), [para(t, cell, lead) for lead, t in paras]] for name, paras in item[1]]
            flow.append(Table(rows, colWidths=[2.3 * cm, 13.7 * cm], style=grid, splitInRow=1))
            flow.append(Spacer(1, 8))
        elif kind == "box":
            for name, paras in item[1]:
                (lead, text), *rest = paras
                first = f"<b>{escape(name)}:</b> " + (f"<u><b>{escape(lead)}</b></u> " if lead else "") + escape(text)
                flow.append(Paragraph(first, body, bulletText="•") if lead == "•" else Paragraph(first, body))
                flow += [para(t, body, lead) for lead, t in rest]
        elif kind == "table":
            _, head, rows, bold_last = item
            data = [[Paragraph(f"<b>{escape(h)}</b>", cell) for h in head]]
            for r, values in enumerate(rows, start=1):
                style = label if bold_last and r == len(rows) else cell
                data.append([para(str(v), style) for v in values])
            widths = {"Mål": [1.5 * cm, 2.6 * cm, 2.6 * cm], "Kommune": [5 * cm, 3 * cm]}.get(
                head[0], [7 * cm, 2.5 * cm, 2.5 * cm])
            borderless = head[0] == "Kommune" and layout.budget == "size"
            flow.append(Table(data, colWidths=widths, style=None if borderless else grid, hAlign="LEFT"))
            flow.append(Spacer(1, 8))

    header, footer = running_texts(spec)

    def decorate(canvas, doc):
        if not layout.running:
            return
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawString(2.5 * cm, A4[1] - 1.3 * cm, header)
        canvas.drawRightString(A4[0] - 2.5 * cm, 1.2 * cm, f"{footer} {doc.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm,
                                 topMargin=2.2 * cm, bottomMargin=2.2 * cm, title=spec.title)
    document.build(flow, onFirstPage=decorate, onLaterPages=decorate)
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(files: list[Path], out_dir: Path) -> list[Path]:
    """Word → PDF through LibreOffice, all files in one run (it starts slowly)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )
    return [out_dir / (f.stem + ".pdf") for f in files]
