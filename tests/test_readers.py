"""The readers (#13): one structured reading of text, Word and PDF, flattened to the lines the extractors read."""

from __future__ import annotations

from pathlib import Path

import pytest

from kkrdesk.data.lines import Line
from kkrdesk.ingest.model import Heading, ListItem, PageBreak, Paragraph, Table
from kkrdesk.ingest.normalise import normalise, with_pages
from kkrdesk.ingest.readers import ImportProblem, read_document, read_model
from kkrdesk.ingest.readers.text import parse_text
from tests.conftest import CORPUS

# --- text and markdown ---------------------------------------------------------------------------


def test_text_keeps_its_own_text_and_reads_the_genre_marks():
    text = (
        "# **Resultatkontrakt 2026**\n\n"
        "Indledning med <b>fed</b> og <u>understreget</u> tekst.\n\n"
        "<b>Mål</b>\t<p><u>Delmål 7.1 Vejledning</u> Mindst 700 virksomheder.</p>\n"
        "------------\t---\n\n"
        "\t<p><u>Delmål 7.2 Midler</u> Op til 10 procent.</p>\n"
        "<b>Metode</b>\tErhvervshuset opgør målet.\n\n"
        "• et punkt\n\n"
        " Ny side med tekst.\n"
    )
    document = parse_text(text)
    assert document.text == text                         # the corpus path is untouched
    heading, paragraph, table, item, page_break, last = document.blocks
    assert isinstance(heading, Heading) and (heading.level, heading.text) == (1, "Resultatkontrakt 2026")
    assert [(r.text, r.bold, r.underline) for r in paragraph.runs if r.bold or r.underline] == [
        ("fed", True, False), ("understreget", False, True)]
    assert isinstance(table, Table) and len(table.rows) == 2          # the page-break row continued the Mål cell
    assert "Delmål 7.2" in table.rows[0][1].text and table.rows[1][0].text == "Metode"
    assert (table.line_start, table.line_end) == (5, 9)
    assert isinstance(item, ListItem) and item.text == "et punkt"
    assert isinstance(page_break, PageBreak) and isinstance(last, Paragraph) and last.page == 2
    assert document.page_of(13) == 2 and document.page_of(1) == 1


def test_corpus_text_reads_as_before():
    path = CORPUS / "resultatkontrakt-2019.txt"
    seen: list[tuple[int, int]] = []
    assert read_document(path, progress=lambda done, total: seen.append((done, total))) == path.read_text(encoding="utf-8")
    assert seen == [(1, 1)]


# --- Word ------------------------------------------------------------------------------------------


def _field(paragraph, instruction: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", shown), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def test_word_styles_tables_merged_cells_fields_and_headers(tmp_path):
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Sidehoved der ikke er tekst"
    _field(document.sections[0].footer.paragraphs[0], " PAGE ", "7")
    document.add_heading("Resultatkontrakt 2030", level=0)
    _field(document.add_paragraph(), ' TOC \\o "1-3" ', "Indhold ..... 3")
    document.add_heading("5. Regionale mål", level=1)
    bold = document.add_paragraph()
    bold.add_run("Mål 3: Virksomhedernes tilfredshed").bold = True
    document.add_paragraph("Første punkt", style="List Bullet")
    document.add_paragraph("Nummereret", style="List Number")
    document.add_paragraph("Nummereret igen", style="List Number")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Fælles overskrift"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Mål"
    table.cell(1, 1).text, table.cell(1, 2).text = "Delmål 8.1", "Første"
    cell = table.cell(2, 1)
    cell.text = "Delmål 8.2"
    run = cell.add_paragraph().add_run("Delmål 8.3 i samme celle")
    run.bold = True
    table.cell(2, 2).text = "Anden"
    page = document.add_paragraph("Side med sideskift før")
    page.runs[0].add_break(WD_BREAK.PAGE)
    document.add_paragraph("Efter sideskiftet side ")
    _field(document.paragraphs[-1], " PAGE ", "2")
    path = tmp_path / "kontrakt.docx"
    document.save(str(path))

    model = read_model(path)
    kinds = [type(b).__name__ for b in model.blocks]
    assert kinds[:6] == ["Heading", "Heading", "Paragraph", "ListItem", "ListItem", "ListItem"]
    assert (model.blocks[0].level, model.blocks[1].level) == (1, 2)
    assert model.blocks[2].bold                                     # a heading candidate for the extractors
    assert [b.marker for b in model.blocks[3:6]] == ["•", "1.", "2."]
    lines = model.text.split("\n")
    assert "Sidehoved" not in model.text and "Indhold" not in model.text and "7" not in lines
    assert "\tFælles overskrift" not in model.text                # merged across: read once
    assert "Fælles overskrift" in lines
    rows = [line for line in lines if "Delmål 8" in line]
    assert rows[0] == "Mål\tDelmål 8.1\tFørste"
    assert rows[1] == "\t<p>Delmål 8.2</p> <p><b>Delmål 8.3 i samme celle</b></p>\tAnden"   # merged down: empty below
    assert lines[-1] == " Efter sideskiftet side"                  # a new page opens with one space; no "2"
    after = next(i for i, t in enumerate(lines) if "Efter sideskiftet" in t) + 1
    assert model.page_of(after) == 2 and model.page_of(1) == 1


def test_broken_word_file_is_one_danish_line(tmp_path):
    path = tmp_path / "ødelagt.docx"
    path.write_bytes(b"PK\x03\x04 ikke en zip")
    with pytest.raises(ImportProblem, match=r"^ødelagt.docx: ødelagt eller ulæselig Word-fil"):
        read_model(path)


# --- PDF -------------------------------------------------------------------------------------------


def _canvas(path: Path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), pagesize=A4), A4


def test_pdf_two_columns_and_side_by_side_signatures(tmp_path):
    path = tmp_path / "spalter.pdf"
    c, (width, height) = _canvas(path)
    c.setFont("Helvetica", 10)
    left = ["Venstre spalte har en første linje", "som fortsætter i erhvervsfremme-", "systemet og slutter her."]
    right = ["Højre spalte begynder her og", "fortsætter i højre spalte og", "slutter i højre spalte."] * 3
    for i, a in enumerate(left * 3):
        c.drawString(60, height - 100 - 13 * i, a)
    for i, b in enumerate(right):
        c.drawString(320, height - 100 - 13 * i, b)
    signature = [("For Erhvervshus Nordjylland", "For KKR Nordjylland"), ("d. 18/03 - 2026", "d. 27/03 – 2026"),
                 ("Mogens Christen Gade", "Michael Klitgaard")]
    for i, (a, b) in enumerate(signature):
        c.drawString(60, height - 300 - 14 * i, a)
        c.drawString(320, height - 300 - 14 * i, b)
    c.save()
    lines = [t for t in read_document(path).split("\n") if t.strip()]
    assert lines[:3] == ["Venstre spalte har en første linje som fortsætter i erhvervsfremmesystemet og slutter her."] * 3
    assert lines[3:6] == ["Højre spalte begynder her og fortsætter i højre spalte og slutter i højre spalte."] * 3
    assert lines[6:] == ["For Erhvervshus Nordjylland", "d. 18/03 - 2026", "Mogens Christen Gade",
                         "For KKR Nordjylland", "d. 27/03 – 2026", "Michael Klitgaard"]


def test_pdf_ruled_table_narrow_cells_hyphenation_headers_and_progress(tmp_path):
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle
    from reportlab.platypus import Paragraph as P

    style = getSampleStyleSheet()["BodyText"]
    path = tmp_path / "tabel.pdf"
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    flow = [
        P("Resultatkontrakt 2030 for Erhvervshus Nordjylland, som aftales mellem parterne i en lang sætning med et "
          "sammensat ord der deles: erhvervsfremmesystemets aktører og kommunernes erhvervs- og turistkontorer.", style),
        Table([[P("Afrapportering", style), P("Afrapportering til KKR sker en gang årligt.", style)],
               [P("Virksomhedernes", style), P("Mål 3", style)]], colWidths=[1.9 * cm, 9 * cm], style=grid),
        PageBreak(),
        P("Anden side.", style),
    ]

    def running(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 28.5 * cm, "Resultatkontrakt 2030 · KKR Nordjylland")
        canvas.drawString(17 * cm, 1 * cm, f"Side {doc.page} af 2")

    SimpleDocTemplate(str(path)).build(flow, onFirstPage=running, onLaterPages=running)
    seen: list[tuple[int, int]] = []
    model = read_model(path, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    assert "KKR Nordjylland" not in model.text.replace("Resultatkontrakt 2030 for", "")  # running header dropped
    assert "Side" not in model.text and model.page_labels == {1: "1", 2: "2"}
    rows = [line for line in model.text.split("\n") if "\t" in line]
    assert rows == ["Afrapportering\tAfrapportering til KKR sker en gang årligt.", "Virksomhedernes\tMål 3"]
    paragraph = next(b for b in model.blocks if isinstance(b, Paragraph))
    assert "erhvervs- og turistkontorer" in paragraph.text        # a suspended compound keeps its hyphen
    last = model.text.split("\n")[-1]
    assert last == " Anden side." and model.page_of(len(model.line_pages)) == 2


def test_pdf_without_text_layer_is_one_danish_line(tmp_path):
    path = tmp_path / "scannet.pdf"
    c, (width, height) = _canvas(path)
    c.rect(50, 50, 200, 200, fill=1)
    c.save()
    with pytest.raises(ImportProblem, match=r"^scannet.pdf: PDF'en har intet tekstlag"):
        read_model(path)


def test_lines_know_their_page(tmp_path):
    path = tmp_path / "sider.pdf"
    c, (width, height) = _canvas(path)
    for page in range(3):
        c.setFont("Helvetica", 11)
        c.drawString(60, height - 100, f"Afsnit på side {page + 1}.")
        c.showPage()
    c.save()
    model = read_model(path)
    lines = with_pages(normalise(model.text), model.line_pages)
    assert [(line.text, line.page) for line in lines if line.text] == [
        ("Afsnit på side 1.", 1), ("Afsnit på side 2.", 2), ("Afsnit på side 3.", 3)]
    assert Line(1, "x") == (1, "x", None)                 # existing code that builds lines keeps working


def test_contract_pdf_is_one_contract_not_a_bundle(tmp_path, store):
    """#13.5: running headers and numbered goal headings at page tops no longer split a contract into a 'bundle'."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, SimpleDocTemplate
    from reportlab.platypus import Paragraph as P

    from kkrdesk.data.contracts import list_contracts
    from kkrdesk.ingest.importer import import_file

    styles = getSampleStyleSheet()
    flow = [P("Resultatkontrakt 2030", styles["Title"]),
            P("Aftale mellem KKR Nordjylland og Erhvervshus Nordjylland om mål for Erhvervshus Nordjylland i 2030.",
              styles["BodyText"]),
            P("3. Mål for 2030", styles["Heading1"])]
    for n, (title, pct) in enumerate([("Kendskab", 60), ("Tilfredshed", 70), ("Effekt", 10)], start=1):
        flow += [PageBreak(), P(f"3.{n} Mål {n} – {title}", styles["Heading2"]),
                 P(f"Mål: Mindst {pct} procent af virksomhederne kender erhvervshuset i 2030.", styles["BodyText"]),
                 P("Metode: Erhvervsstyrelsen måler.", styles["BodyText"])]

    def running(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 800, "Referat af aftalen · Resultatkontrakt 2030")
        canvas.drawString(480, 30, f"Side {doc.page} af 4")

    path = tmp_path / "kontrakt.pdf"
    SimpleDocTemplate(str(path)).build(flow, onFirstPage=running, onLaterPages=running)
    pages: list[tuple[int, int]] = []
    result = import_file(store, path, progress=lambda done, total: pages.append((done, total)))
    assert pages == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert (result.kind, result.parts, result.meeting_ids) == ("contract", 1, [])
    (contract,) = list_contracts(store.db)
    assert [(g["number"], g["title"]) for g in contract["goals"]] == [("1", "Kendskab"), ("2", "Tilfredshed"), ("3", "Effekt")]
    assert contract["goals"][1]["source"]["line"] > contract["goals"][0]["source"]["line"]


def test_markdown_pipe_table_and_tab_table_are_the_same_table():
    piped = parse_text("| Kommune | 1.000 kr. |\n|---|---|\n| Læsø | 56 |\n| <b>I alt</b> | <b>19.337</b> |\n")
    tabbed = parse_text("Kommune\t1.000 kr.\nLæsø\t56\n<b>I alt</b>\t<b>19.337</b>\n")
    rows = [[[c.text for c in row] for row in doc.blocks[0].rows] for doc in (piped, tabbed)]
    assert rows[0] == rows[1] == [["Kommune", "1.000 kr."], ["Læsø", "56"], ["I alt", "19.337"]]
    assert tabbed.blocks[0].rows[2][0].blocks[0].bold


def test_pdf_two_columns_whose_lines_do_not_line_up(tmp_path):
    path = tmp_path / "spalter-forskudt.pdf"
    c, (width, height) = _canvas(path)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(60, height - 80, "Nyhedsbrev fra KKR Nordjylland")
    c.setFont("Helvetica", 10)
    left = ["Venstre spalte har en første linje", "som fortsætter i erhvervsfremme-", "systemet og slutter her."] * 3
    for i, text in enumerate(left):
        c.drawString(60, height - 120 - 13 * i, text)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(320, height - 120, "Overskrift i højre")
    c.setFont("Helvetica", 10)
    right = ["Højre spalte begynder her og", "fortsætter i højre spalte og", "slutter i højre spalte."] * 3
    for i, text in enumerate(right):
        c.drawString(320, height - 141 - 13 * i, text)     # 8 points off the left column's rhythm
    c.save()
    lines = [t for t in read_document(path).split("\n") if t.strip()]
    assert lines[0] == "# Nyhedsbrev fra KKR Nordjylland"
    assert lines[1:4] == ["Venstre spalte har en første linje som fortsætter i erhvervsfremmesystemet og slutter her."] * 3
    assert lines[4] == "## Overskrift i højre"
    assert lines[5:] == ["Højre spalte begynder her og fortsætter i højre spalte og slutter i højre spalte."] * 3


def test_a_scanned_page_among_text_pages_is_said_in_danish(tmp_path, store):
    from PIL import Image

    from kkrdesk.ingest.importer import import_file

    scan = tmp_path / "scan.png"
    Image.new("RGB", (60, 80), "white").save(scan)
    path = tmp_path / "blandet.pdf"
    c, (width, height) = _canvas(path)
    c.setFont("Helvetica", 11)
    c.drawString(60, height - 100, "Notat om busruten til Hjallerup.")
    c.showPage()
    c.drawImage(str(scan), 60, 300, width=300, height=400)
    c.showPage()
    c.save()
    result = import_file(store, path)
    assert result.warnings == ["blandet.pdf: side 2 har intet tekstlag (scannet billede?); teksten på siden er ikke importeret"]


def test_plain_text_of_a_word_file_has_no_marks(tmp_path):
    import docx

    from kkrdesk.ingest.readers import read_plain

    document = docx.Document()
    document.add_heading("Sagsfremstilling", level=1)
    document.add_paragraph().add_run("Fed indledning.").bold = True
    document.add_paragraph("Et punkt", style="List Bullet")
    path = tmp_path / "sag.docx"
    document.save(str(path))
    assert read_plain(path) == "Sagsfremstilling\n\nFed indledning.\n\n• Et punkt"
