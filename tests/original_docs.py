"""Generated originals for #15: multi-page PDFs in several layouts, with drawings and canary words.

"Documents you do not have are checked": the genre (a bilag of a few pages, text per page,
a table, a drawing), never one file.
"""

from __future__ import annotations

from pathlib import Path


def canvas_pdf(path: Path, pages: list[list[str]], *, compress: bool = True) -> Path:
    """One drawString per line and a filled drawing on each page (reportlab canvas)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pageCompression=1 if compress else 0)
    for number, lines in enumerate(pages, start=1):
        c.setFillColorRGB(0.1, 0.4, 0.7)
        c.rect(400, 700, 120, 60, fill=1)          # a drawing the text extraction never sees
        c.setFillColorRGB(0, 0, 0)
        y = 780
        for text in lines:
            c.drawString(72, y, text)
            y -= 16
        c.drawString(280, 40, f"{number}")
        c.showPage()
    c.save()
    return path


def platypus_pdf(path: Path, pages: list[list[str]]) -> Path:
    """Flowing paragraphs and a table, one page per entry (reportlab platypus, A4)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    story: list = []
    for index, lines in enumerate(pages):
        if index:
            story.append(PageBreak())
        story.append(Paragraph(lines[0], styles["Heading1"]))
        story.extend(Paragraph(text, styles["BodyText"]) for text in lines[1:])
        story.append(Table([["Kommune", "2025", "2026"], ["Aalborg", "12", "14"], ["Læsø", "1", "2"]]))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def docx_file(path: Path, pages: list[list[str]]) -> Path:
    """A Word file with a page break between the pages' paragraphs (for soffice and DOCX originals)."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for index, lines in enumerate(pages):
        document.add_heading(lines[0], level=1)
        for text in lines[1:]:
            document.add_paragraph(text)
        if index < len(pages) - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.save(str(path))
    return path


THREE_PAGES = [
    ["Notat om lærepladser", "Side et handler om baggrunden.", "Kommunerne har aftalt en indsats."],
    ["Økonomi og tal", "Budgettet viser et Gnavertal for regionen.", "Det samlede beløb er 1.234,5 mio. kr."],
    ["Indstilling", "Det indstilles, at KKR tager orienteringen til efterretning."],
]


def text_as_pdf(path: Path, text: str, lines_per_page: int = 48) -> Path:
    """A text file typeset line for line (reportlab canvas), `lines_per_page` lines a page.

    Turns a corpus text into the PDF it was extracted from, so facts land on known pages.
    """
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    pdfmetrics.registerFont(TTFont("Vera", str(font)))
    c = canvas.Canvas(str(path))
    lines = text.split("\n")
    for start in range(0, len(lines), lines_per_page):
        c.setFont("Vera", 8)
        y = 800
        for line in lines[start:start + lines_per_page]:
            c.drawString(40, y, line.replace("\t", "    ")[:150] or " ")
            y -= 16
        c.showPage()
    c.save()
    return path
