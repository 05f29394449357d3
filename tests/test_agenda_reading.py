"""An item reads as a board member wants it: number and title, Indstilling first, then Sagsfremstilling
and Beslutning, then the bilag — in the window, in the briefing PDF and in `show meeting --json`."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from kkrdesk.cli import main
from kkrdesk.data.notes import NotesStore
from kkrdesk.ingest.importer import import_file
from tests import agenda_kit as kit

ITEM = next(i for i in kit.items() if i["number"] == "3.1")


def _in_order(text: str, *parts: str) -> bool:
    positions = [text.find(p) for p in parts]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


@pytest.fixture
def meeting_store(store, tmp_path):
    import_file(store, kit.write_docx(tmp_path / "dagsorden.docx", style="b"))
    (tmp_path / "bilag.txt").write_text(kit.bilag_pack_text(), encoding="utf-8")
    import_file(store, tmp_path / "bilag.txt")
    referat = tmp_path / "referat.txt"
    referat.write_text(kit.agenda_text(style="a", referat=True), encoding="utf-8")
    result = import_file(store, referat)
    return store, result.meeting_id


def test_show_meeting_json_gives_the_item_fields(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    referat = tmp_path / "referat.txt"
    referat.write_text(kit.agenda_text(style="b", referat=True), encoding="utf-8")
    assert main(["--db", str(db), "import", str(referat)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "show", "meeting", "1", "--json"]) == 0
    meeting = json.loads(capsys.readouterr().out)
    assert (meeting["place"], meeting["time"], meeting["date"]) == (kit.PLACE, kit.TIME, kit.DATE_ISO)
    item = next(i for i in meeting["items"] if i["number"] == "3.1")
    assert item["indstilling"] == ITEM["indstilling"] and item["beslutning"] == ITEM["beslutning"]
    assert item["sagsfremstilling"].startswith(ITEM["sagsfremstilling"])
    assert (item["access"], item["case_number"], item["group"]) == ("åben", ITEM["case"],
                                                                   "3. Sager til drøftelse og beslutning")


def test_the_window_item_page_reads_indstilling_first(qtbot, meeting_store):
    from kkrdesk.ui.app import create_main_window, make_settings

    store, meeting_id = meeting_store
    notes = NotesStore()
    window = create_main_window(store, notes, make_settings())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    try:
        meeting = window.model.find("meeting", meeting_id)
        window.tree.expand(meeting)
        item = next(window.model.index(r, 0, meeting) for r in range(window.model.rowCount(meeting))
                    if window.model.index(r, 0, meeting).data().startswith("3.1 "))
        window.tree.scrollTo(item)
        qtbot.mouseClick(window.tree.viewport(), Qt.LeftButton, pos=window.tree.visualRect(item).center())
        text = window.reader.text()
        assert text.startswith("3.1 Dimensionering af SOSU-uddannelserne 2027")
        assert _in_order(text, "Indstilling", ITEM["indstilling"], "Sagsfremstilling", ITEM["sagsfremstilling"],
                         "Beslutning", ITEM["beslutning"], "Bilag 1: " + ITEM["bilag"][0])
        assert f"Sagsnr. {ITEM['case']}" in text
    finally:
        window.close()
        notes.close()


def test_the_briefing_pdf_reads_indstilling_first(meeting_store, tmp_path):
    from kkrdesk.briefing import build_meeting_pack

    store, meeting_id = meeting_store
    target = tmp_path / "moede.pdf"
    build_meeting_pack(store.db, meeting_id, target)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(str(target)).pages)
    start = text.find("3.1 Dimensionering af SOSU-uddannelserne 2027 Åbent punkt")
    assert start >= 0
    assert _in_order(text[start:], "Indstilling", ITEM["indstilling"], "Sagsfremstilling",
                     ITEM["sagsfremstilling"], "Beslutning", ITEM["beslutning"], "Bilag 1: " + ITEM["bilag"][0])
    assert f"kl. {kit.TIME}" in text and kit.PLACE in text             # the cover says when and where
