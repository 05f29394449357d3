"""The briefing's cheap first pass and chart cache (#20.4): same PDF, less work."""

import contextlib
import datetime as dt
import re
from io import BytesIO

from pypdf import PdfReader
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph

from kkrdesk.briefing import build_contract_pack, build_meeting_pack, contract_pack
from kkrdesk.briefing import doc as pack_doc
from kkrdesk.briefing import figures as pack_figures
from kkrdesk.briefing.text import clean
from kkrdesk.data import queries


def _meeting_2021(db):
    return next(m["id"] for m in queries.list_meetings(db) if "2021" in m["title"])


def test_first_pass_lays_out_only_and_contents_still_point_right(corpus_store, tmp_path, monkeypatch):
    draws = []
    original = Flowable.drawOn

    def counting(self, canvas, x, y, _sW=0):
        draws.append(canvas.getPageNumber())
        return original(self, canvas, x, y, _sW)

    monkeypatch.setattr(Flowable, "drawOn", counting)
    result = build_meeting_pack(corpus_store.db, _meeting_2021(corpus_store.db), tmp_path / "a.pdf")
    # drawn once: no page is drawn in two passes (page numbers would then repeat from 1)
    assert draws and max(draws) == result.pages and draws == sorted(draws)
    reader = PdfReader(tmp_path / "a.pdf")
    contents = reader.pages[1].extract_text()
    assert "Pædagogdimensionering 2021-2022" in contents
    # the contents' page number of item 3.5 is the page its heading is on
    number = int(re.search(r"3\.5 Pædagogdimensionering 2021-2022[\s.]*?(\d+)\n", contents).group(1))
    assert number > 3
    assert "Pædagogdimensionering 2021-2022" in reader.pages[number - 1].extract_text()


def test_charts_are_rendered_once_per_dataset_and_rows(corpus_store, tmp_path, monkeypatch):
    pack_figures._CHART_CACHE.clear()
    charts, no_data = pack_figures._chart_builders()
    calls = []

    def counted(name, builder):
        def build(rows, title):
            calls.append(name)
            return builder(rows, title)
        return build

    monkeypatch.setattr(pack_figures, "_chart_builders",
                        lambda: ({n: counted(n, b) for n, b in charts.items()}, no_data))
    meeting = _meeting_2021(corpus_store.db)
    build_meeting_pack(corpus_store.db, meeting, tmp_path / "a.pdf")
    first = len(calls)
    assert first >= 2
    build_meeting_pack(corpus_store.db, meeting, tmp_path / "b.pdf")
    assert len(calls) == first                       # the second export reuses the rendered charts
    assert len(PdfReader(tmp_path / "b.pdf").pages) == len(PdfReader(tmp_path / "a.pdf").pages)


def test_clean_keeps_text_and_drops_control_characters():
    assert clean("Børnehus\tNord\n1.234,5") == "Børnehus\tNord\n1.234,5"
    assert clean("a\u00adb\u200bc\x07d") == "abcd"


def _toc_numbers_and_targets(reader: PdfReader, page_index: int) -> list[tuple[int, int]]:
    """(printed page number, page its link goes to) for every contents line on one page.

    The contents print each number at the right edge with a link over it; the number is read
    from the text drawn at the link's height, the target from the link itself.
    """
    page = reader.pages[page_index]
    texts: list[tuple[float, str]] = []

    def visit(text, cm, tm, _font, _size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip():
            texts.append((y, text.strip()))

    page.extract_text(visitor_text=visit)
    found = []
    for annot in page.get("/Annots", []):
        annot = annot.get_object()
        x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
        if annot.get("/Subtype") != "/Link" or x1 - x0 > 30:   # the heading's own link, not the number's
            continue
        target = reader.get_page_number(annot["/Dest"][0].get_object()) + 1
        printed = [m.group(1) for y, text in texts if y0 - 1 <= y <= y1 and (m := re.fullmatch(r"[\s.]*\.\s+(\d+)", text))]
        assert len(printed) == 1, (page_index, y0, printed)
        found.append((int(printed[0]), target))
    return found


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    out = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                out.append((entry.title, reader.get_destination_page_number(entry) + 1))

    walk(reader.outline)
    return out


def test_every_contents_number_is_the_page_its_heading_lands_on(corpus_store, tmp_path):
    """One layout pass less must not move a heading away from the number the contents print for it."""
    result = build_meeting_pack(corpus_store.db, _meeting_2021(corpus_store.db), tmp_path / "a.pdf")
    reader = PdfReader(tmp_path / "a.pdf")
    outline = _outline(reader)
    assert len(outline) == result.outline_entries >= 20
    # the contents run from page 2 to the page before the first item
    lines = [pair for i in range(1, outline[0][1] - 1) for pair in _toc_numbers_and_targets(reader, i)]
    # one number per heading, in the order of the outline, each the page its link and its heading are on
    assert [printed for printed, _ in lines] == [page for _, page in outline]
    assert all(printed == target for printed, target in lines)
    for title, page in outline:
        words = " ".join(reader.pages[page - 1].extract_text().split())
        assert " ".join(title.split()[:4]) in words, (title, page)
    assert result.pages == len(reader.pages) == 96                 # the 2021 pack as recorded (#20)


def _png_image(fig, width, max_height=125 * mm):
    """A chart as plain reportlab places it: a 200 dpi PNG in an Image flowable (before #20.4)."""
    png = BytesIO()
    fig.savefig(png, format="png", dpi=pack_figures.CHART_DPI)
    w_in, h_in = fig.get_size_inches()
    scale = min(width / w_in, max_height / h_in)
    image = Image(BytesIO(png.getvalue()), width=w_in * scale, height=h_in * scale)
    image.hAlign = "LEFT"
    return image


def _png_chart(builder, no_data, name, rows, title, width):
    try:
        return _png_image(builder(rows, title), width)
    except no_data:
        return None


def test_speed_ups_leave_the_pdf_byte_for_byte_the_same(corpus_store, tmp_path, monkeypatch):
    """Remembered wraps and charts rendered and encoded once (#20.4) give the PDF that plain
    reportlab gives with PNG charts, on the first export and on the next (from the caches)."""
    monkeypatch.setattr(rl_config, "invariant", 1)     # no creation date or random document id
    breaks = []
    break_lines = Paragraph.breakLines
    monkeypatch.setattr(Paragraph, "breakLines", lambda self, widths: breaks.append(1) or break_lines(self, widths))
    meeting = _meeting_2021(corpus_store.db)
    when = dt.datetime(2026, 12, 5, 9, 0)
    pack_figures._CHART_CACHE.clear()
    cold = build_meeting_pack(corpus_store.db, meeting, tmp_path / "cold.pdf", generated=when)
    fast_breaks = len(breaks)
    build_meeting_pack(corpus_store.db, meeting, tmp_path / "warm.pdf", generated=when)   # cached charts
    breaks.clear()
    with monkeypatch.context() as plain:
        plain.setattr(pack_doc, "_remembered_wraps", contextlib.nullcontext)
        plain.setattr(pack_figures, "chart_image", _png_chart)
        build_meeting_pack(corpus_store.db, meeting, tmp_path / "plain.pdf", generated=when)
    fast = (tmp_path / "cold.pdf").read_bytes()
    assert fast == (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()
    assert fast.count(b"/Subtype /Image") >= 4 and cold.pages == 96   # the charts are in it
    # and the speed-up is there: lines are broken about once per paragraph, not once per wrap and pass
    assert fast_breaks * 2 < len(breaks)


def test_contract_pack_charts_drawn_from_pixels_equal_the_png_charts(corpus_store, tmp_path, monkeypatch):
    """figure_image renders straight to pixels (no PNG in between): the contract pack is unchanged."""
    monkeypatch.setattr(rl_config, "invariant", 1)
    when = dt.datetime(2026, 12, 5, 9, 0)
    build_contract_pack(corpus_store.db, 2021, tmp_path / "fast.pdf", generated=when)
    monkeypatch.setattr(contract_pack, "figure_image", _png_image)
    build_contract_pack(corpus_store.db, 2021, tmp_path / "plain.pdf", generated=when)
    fast = (tmp_path / "fast.pdf").read_bytes()
    assert fast == (tmp_path / "plain.pdf").read_bytes()
    assert fast.count(b"/Subtype /Image") >= 2


def test_a_layout_pass_does_not_blank_a_pdf_built_meanwhile_in_another_thread(tmp_path):
    """The first pass swaps Flowable.drawOn process-wide; another thread's document must still draw."""
    import threading

    from pypdf import PdfReader
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from kkrdesk.briefing.doc import _drawing

    target = tmp_path / "meanwhile.pdf"

    def build():
        SimpleDocTemplate(str(target)).build([Paragraph("Tekst fra en anden tråd", getSampleStyleSheet()["Normal"])])

    with _drawing(False):
        worker = threading.Thread(target=build)
        worker.start()
        worker.join()
    assert "Tekst fra en anden tråd" in PdfReader(target).pages[0].extract_text()
