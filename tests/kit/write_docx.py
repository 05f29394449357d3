"""A story as a Word document (python-docx), the way a secretary would write it in Word."""

from __future__ import annotations

from pathlib import Path

from tests.kit.spec import DocSpec
from tests.kit.story import Layout, running_texts, story


def _page_field(paragraph) -> None:
    """A PAGE field, as Word puts page numbers in a footer."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _paragraphs(container, paras: list[tuple[str | None, str]]) -> None:
    for index, (lead, text) in enumerate(paras):
        paragraph = container.paragraphs[0] if index == 0 and not container.paragraphs[0].text else container.add_paragraph()
        if lead == "•":
            paragraph.style = "List Bullet"
            paragraph.add_run(text)
        elif lead:
            run = paragraph.add_run(lead)
            run.bold = run.underline = True
            paragraph.add_run(" " + text)
        else:
            paragraph.add_run(text)


def write_docx(spec: DocSpec, layout: Layout, path: Path) -> Path:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    if layout.running:
        header, footer = running_texts(spec)
        section = document.sections[0]
        section.header.paragraphs[0].text = header
        paragraph = section.footer.paragraphs[0]
        paragraph.add_run(footer + " ")
        _page_field(paragraph)
    for item in story(spec, layout):
        kind = item[0]
        if kind == "title":
            document.add_heading(item[1], level=0)
        elif kind == "heading":
            document.add_heading(item[2], level=item[1])
        elif kind == "bold":
            document.add_paragraph().add_run(item[1]).bold = True
        elif kind == "para":
            document.add_paragraph(item[1])
        elif kind == "item":
            document.add_paragraph(item[1], style="List Bullet")
        elif kind == "numbered":
            document.add_paragraph(item[2], style="List Number")
        elif kind == "box" and layout.box == "table":
            table = document.add_table(rows=len(item[1]), cols=2)
            table.style = "Table Grid"
            for row, (label, paras) in zip(table.rows, item[1], strict=True):
                row.cells[0].width, row.cells[1].width = Cm(3), Cm(13)
                row.cells[0].paragraphs[0].add_run(label).bold = True
                _paragraphs(row.cells[1], paras)
        elif kind == "box":
            for label, paras in item[1]:
                first, *rest = paras
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}:").bold = True
                lead, text = first
                if lead:
                    run = paragraph.add_run(" " + lead)
                    run.bold = run.underline = True
                paragraph.add_run(" " + text)
                for lead, text in rest:
                    paragraph = document.add_paragraph(style="List Bullet" if lead == "•" else None)
                    if lead == "•":
                        paragraph.add_run(text)
                        continue
                    if lead:
                        run = paragraph.add_run(lead)
                        run.bold = run.underline = True
                    paragraph.add_run(" " + text if lead else text)
        elif kind == "table":
            _, head, rows, bold_last = item
            table = document.add_table(rows=1 + len(rows), cols=len(head))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, head, strict=True):
                cell.paragraphs[0].add_run(text).bold = True
            for r, values in enumerate(rows, start=1):
                for cell, text in zip(table.rows[r].cells, values, strict=True):
                    cell.paragraphs[0].add_run(str(text)).bold = bold_last and r == len(rows)
    document.save(str(path))
    return path
