"""#15 point 5: a bilag whose original is a PDF goes into the members' briefing pack as its own pages,
scaled into the frame and stamped with the running header and "Side x af y"."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from kkrdesk.briefing import build_meeting_pack
from kkrdesk.data import meetings
from kkrdesk.data.originals import page_of_line
from kkrdesk.data.search import search
from kkrdesk.data.store import open_store
from tests.original_docs import THREE_PAGES, canvas_pdf, docx_file, platypus_pdf


@pytest.fixture(scope="session")
def soffice_pdf(tmp_path_factory) -> Path:
    """The same three pages written by Word's genre (python-docx) and printed to PDF by LibreOffice, once."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    folder = tmp_path_factory.mktemp("soffice")
    source = docx_file(folder / "notat-soffice.docx", THREE_PAGES)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    return folder / "notat-soffice.pdf"


def _layout(name, tmp_path, soffice):
    if name == "soffice":
        return soffice()
    make = {"canvas": canvas_pdf, "platypus": platypus_pdf}[name]
    return make(tmp_path / f"notat-{name}.pdf", THREE_PAGES)


@pytest.fixture(params=["canvas", "platypus", "soffice"])
def briefing(request, tmp_path):
    pdf = _layout(request.param, tmp_path, lambda: request.getfixturevalue("soffice_pdf"))
    store = open_store(tmp_path / "s.sqlite")
    meeting = meetings.create_meeting(store, "KKR Nordjylland – møde", "2026-12-03")
    item = meetings.add_item(store, meeting, "3.4", "Lærepladser", sagsfremstilling="Sekretariatet orienterer.")
    attached = meetings.attach_file(store, item, pdf, title="Notat om lærepladser")
    text = tmp_path / "trafik.txt"
    text.write_text("Notat om trafik\n\nEn tekst om busruter i Vendsyssel.\n", encoding="utf-8")
    meetings.attach_file(store, item, text)
    result = build_meeting_pack(store.db, meeting, tmp_path / "briefing.pdf")
    yield store, attached, pdf, result
    store.close()


def _fonts(page) -> set[str]:
    """Base font names a page draws with, its form XObjects included (a merged page keeps its own)."""
    names: set[str] = set()
    resources = page.get("/Resources") or {}
    for font in (resources.get("/Font") or {}).values():
        names.add(str(font.get_object().get("/BaseFont")))
    for xobject in (resources.get("/XObject") or {}).values():
        sub = xobject.get_object().get("/Resources")
        if sub:
            for font in (sub.get_object().get("/Font") or {}).values():
                names.add(str(font.get_object().get("/BaseFont")))
    return names


def test_pdf_bilag_goes_in_as_its_own_pages_with_the_stamp(briefing):
    store, _attached, pdf, result = briefing
    original = PdfReader(pdf)
    pack = PdfReader(result.path)
    texts = [page.extract_text() for page in pack.pages]
    total = len(pack.pages)
    assert result.pages == total
    # the original's three pages, in order, each on its own pack page after the item's page
    where = [next(i for i, t in enumerate(texts) if needle in t)
             for needle in ("baggrunden", "Gnavertal", "efterretning")]
    assert where == [where[0], where[0] + 1, where[0] + 2]
    for offset, index in enumerate(where):
        text = texts[index]
        assert "Punkt 3.4 · Bilag 1 · Notat om lærepladser" in text
        assert f"Side {index + 1} af {total}" in text
        # its own fonts: the original's font names are on the pack page, beside the pack's DejaVu
        own = _fonts(original.pages[offset])
        assert own and own <= _fonts(pack.pages[index])
    # the text-only bilag is typeset as before
    assert any("busruter i Vendsyssel" in t and "Bilag 2" in t for t in texts)
    # contents and outline point at the first original page
    outline = {item.title: pack.get_destination_page_number(item) for item in pack.outline if not isinstance(item, list)}
    nested = [o for group in pack.outline if isinstance(group, list) for o in group]
    bilag = next(o for o in nested if o.title.startswith("Bilag 1"))
    assert pack.get_destination_page_number(bilag) == where[0]
    assert any(title.startswith("3.4") for title in outline)
    contents = texts[1]
    assert "Bilag 1: Notat om lærepladser" in contents and str(where[0] + 1) in contents


def test_search_word_on_page_two_says_page_two_in_every_layout(briefing):
    store, attached, _pdf, _result = briefing
    (hit,) = [h for h in search(store.db, "Gnavertal") if h.document_id == attached.document_id]
    assert page_of_line(store.db, hit.document_id, hit.line) == 2


def test_canvas_drawings_survive(tmp_path):
    pdf = canvas_pdf(tmp_path / "tegning.pdf", THREE_PAGES, compress=False)
    store = open_store(tmp_path / "s.sqlite")
    meeting = meetings.create_meeting(store, "KKR Nordjylland – møde", "2026-12-03")
    item = meetings.add_item(store, meeting, "2", "Kort")
    meetings.attach_file(store, item, pdf)
    build_meeting_pack(store.db, meeting, tmp_path / "b.pdf")
    store.close()
    pack = PdfReader(tmp_path / "b.pdf")
    page = next(p for p in pack.pages if "baggrunden" in p.extract_text())
    drawn = page.get_contents().get_data()
    forms = page["/Resources"]["/XObject"]
    (name,) = [n for n in forms if f"{n} Do".encode() in drawn]
    assert b"400 700 120 60 re" in forms[name].get_object().get_data()   # the original's own drawing, as drawn


def test_a_part_of_a_pdf_bilagspakke_is_typeset_not_the_whole_file(tmp_path):
    """A bilag read from one part of a PDF meeting pack has the whole pack as its original: never print that."""
    from kkrdesk.data.originals import original_pdf, whole_file_pdf
    from tests.conftest import BUNDLE_2024
    from tests.original_docs import text_as_pdf

    pdf = text_as_pdf(tmp_path / "samlet-2024-2025.pdf", BUNDLE_2024.read_text(encoding="utf-8"))
    store = open_store(tmp_path / "s.sqlite")
    from kkrdesk.ingest.importer import import_file

    result = import_file(store, pdf)
    assert result.parts > 1 and result.meeting_ids
    part, meeting = store.conn.execute(
        "SELECT b.document_id, i.meeting_id FROM bilag b JOIN agenda_items i ON i.id = b.agenda_item_id "
        "WHERE b.document_id IS NOT NULL LIMIT 1").fetchone()
    assert original_pdf(store.db, part) == pdf.read_bytes() and whole_file_pdf(store.db, part) is None
    build_meeting_pack(store.db, meeting, tmp_path / "b.pdf")
    store.close()
    pages = PdfReader(tmp_path / "b.pdf").pages
    assert not any("/KkrOriginal" in str(page.get("/Resources")) for page in pages)   # typeset, as before
