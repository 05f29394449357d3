"""Closed at import, safe by default: item 3.4 of the kit meeting carries CANARY in title, text, table,
case number and bilag; no public output may hold it, and the secretariat's own search marks it."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from kkrdesk.cli import main
from kkrdesk.data.access import visibility
from kkrdesk.data.lines import Line
from kkrdesk.data.search import search
from kkrdesk.data.store import open_store
from kkrdesk.ingest.agenda import parse_agenda
from kkrdesk.ingest.normalise import normalise
from tests import agenda_kit as kit
from tests.agenda_kit import CANARY


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.fixture
def meeting_db(tmp_path, capsys):
    """Dagsorden (Word), its bilag pack and the referat, imported as the secretariat would."""
    db = tmp_path / "sekretariat.sqlite"
    files = [kit.write_docx(tmp_path / "dagsorden.docx", style="a"), tmp_path / "bilag.txt",
             kit.write_pdf(tmp_path / "referat.pdf", referat=True)]
    files[1].write_text(kit.bilag_pack_text(), encoding="utf-8")
    for path in files:
        code, _, err = run(capsys, "--db", db, "import", path)
        assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "list", "meetings", "--json")
    (meeting,) = json.loads(out)
    return db, meeting["id"]


def test_the_closed_item_is_closed_with_everything_it_brings(meeting_db):
    db, meeting_id = meeting_db
    store = open_store(db)
    try:
        item = store.conn.execute("SELECT id, access, document_id FROM agenda_items WHERE number = '3.4'").fetchone()
        assert item[1] == "lukket"
        closed = visibility(store.db, True).documents
        assert item[2] in closed                                     # its text, as a document of its own
        bilag_docs = [r[0] for r in store.conn.execute("SELECT document_id FROM bilag WHERE agenda_item_id = ?",
                                                       (item[0],))]
        assert bilag_docs and all(d in closed for d in bilag_docs)   # its bilag from the pack
        figures = store.conn.execute("SELECT document_id FROM figures WHERE value = 9876.5").fetchall()
        assert figures and all(row[0] in closed for row in figures)  # its table's figures
        tags = store.conn.execute("SELECT theme FROM theme_tags WHERE target_type = 'item' AND target_id = ?",
                                  (item[0],)).fetchall()
        assert ("socialomraadet",) in tags                           # tagged on the item, so a filter sees it
        open_ids = [r[0] for r in store.conn.execute(
            "SELECT document_id FROM agenda_items WHERE access = 'åben' AND meeting_id = ?", (meeting_id,))]
        assert not closed & set(open_ids)
    finally:
        store.close()


def test_search_in_the_secretariats_store_marks_closed_hits(meeting_db, capsys):
    db, _ = meeting_db
    store = open_store(db)
    try:
        hits = search(store.db, CANARY)
        assert hits and all(hit.locked for hit in hits)
        open_hits = search(store.db, "frikommuneforsøg")
        assert open_hits and not any(hit.locked for hit in open_hits if "Siden sidst" in hit.section)
    finally:
        store.close()
    code, out, _ = run(capsys, "--db", db, "search", CANARY)
    assert code == 0 and out.startswith("[Lukket] ")


def test_public_json_of_meeting_and_theme_hold_no_canary(meeting_db, capsys):
    db, meeting_id = meeting_db
    code, full, _ = run(capsys, "--db", db, "show", "meeting", meeting_id, "--json")
    assert CANARY in full                       # the secretariat sees it: the canary is really there
    code, public, _ = run(capsys, "--db", db, "show", "meeting", meeting_id, "--json", "--public")
    assert code == 0 and CANARY not in public
    item = next(i for i in json.loads(public)["items"] if i["number"] == "3.4")
    assert (item["access"], item["title"], item["sagsfremstilling"], item["indstilling"], item["beslutning"],
            item["case_number"], item["group"], item["bilag"]) == ("lukket", "Lukket punkt", None, None, None, None,
                                                                   None, [])
    code, theme_full, _ = run(capsys, "--db", db, "show", "theme", "socialomraadet", "--json")
    assert CANARY in theme_full
    code, theme_public, _ = run(capsys, "--db", db, "show", "theme", "socialomraadet", "--json", "--public")
    assert code == 0 and CANARY not in theme_public


def test_public_pdfs_hold_no_canary(meeting_db, tmp_path, capsys):
    db, meeting_id = meeting_db
    full, public = tmp_path / "fuld.pdf", tmp_path / "offentlig.pdf"
    assert run(capsys, "--db", db, "pack", "--meeting", meeting_id, "-o", full)[0] == 0
    assert run(capsys, "--db", db, "pack", "--meeting", meeting_id, "--public", "-o", public)[0] == 0
    assert CANARY in pdf_text(full)
    assert CANARY not in pdf_text(public) and CANARY.encode() not in public.read_bytes()
    theme = tmp_path / "tema-offentlig.pdf"
    assert run(capsys, "--db", db, "pack", "--theme", "socialomraadet", "--public", "-o", theme)[0] == 0
    assert CANARY not in pdf_text(theme)


def test_meeting_export_public_files_hold_no_canary(meeting_db, tmp_path, capsys):
    db, meeting_id = meeting_db
    out_dir = tmp_path / "mappe"
    code, out, err = run(capsys, "--db", db, "meeting", "export", meeting_id, "--out", out_dir)
    assert code == 0, err
    files = sorted(out_dir.iterdir())
    public = [f for f in files if "offentlig" in f.name]
    assert len(public) == 2
    for path in files:
        assert CANARY not in path.name
    for path in public:
        assert CANARY.encode() not in path.read_bytes() and CANARY.lower().encode() not in path.read_bytes()
        if path.suffix == ".pdf":
            assert CANARY not in pdf_text(path)
    assert len(files) == 4    # the members' PDF and pack carry it, sealed (#18); `pack --meeting` shows it is there


def test_public_theme_figures_leave_out_the_closed_items_table(meeting_db, tmp_path, capsys):
    db, _ = meeting_db
    theme = tmp_path / "tema.pdf"
    run(capsys, "--db", db, "pack", "--theme", "socialomraadet", "--public", "-o", theme)
    assert kit.CANARY_NUMBER not in pdf_text(theme)


# --- the markers ---------------------------------------------------------------------------------


def _agenda(item_heading: str, first_lines: list[str], cover: list[str] | None = None):
    text = "\n".join(["KKR Nordjylland", "Dagsorden", "Mødedato: 4. december 2026", *(cover or []), "",
                      "1. Godkendelse af dagsorden", "Indstilling", "Det indstilles, at dagsordenen godkendes.", "",
                      item_heading, *first_lines, "Indstilling", "Det indstilles, at KKR tager det til efterretning.",
                      "", "3. Eventuelt", "Beslutning", "Intet."])
    return parse_agenda(normalise(text))


@pytest.mark.parametrize("heading, first", [
    ("2. Ansættelse af direktør (Lukket)", []),
    ("2. Ansættelse af direktør – Lukket punkt", []),
    ("2. Ansættelse af direktør [Lukket punkt]", []),
    ("2. Ansættelse af direktør", ["Lukket punkt"]),
    ("2. Ansættelse af direktør", ["Fortroligt"]),
    ("2. Ansættelse af direktør", ["Sagsnr.: SAG-1", "(Lukket)"]),
    ("2. Lukket møde: ansættelse af direktør", []),
])
def test_closed_markers(heading, first):
    agenda = _agenda(heading, first)
    item = next(i for i in agenda.items if i.number == "2")
    assert item.access.closed and not item.access.warnings
    assert item.title == "Ansættelse af direktør" or item.title.endswith("ansættelse af direktør")
    assert [i.number for i in agenda.items if i.access.closed] == ["2"]


def test_an_uncertain_marker_closes_the_item_and_warns():
    agenda = _agenda("2. Lukkede botilbud i Nordjylland", ["Status for de lukkede pladser."])
    item = next(i for i in agenda.items if i.number == "2")
    assert item.access.closed
    assert item.access.warnings and "lukket" in item.access.warnings[0]
    assert any("punkt 2" in message for _, message in agenda.warnings)


def test_lukket_moede_on_the_cover_closes_every_item():
    agenda = _agenda("2. Ansættelse af direktør", [], cover=["Lukket møde"])
    assert agenda.closed_meeting and all(i.access.closed for i in agenda.items)


def test_an_open_item_stays_open_without_warning():
    agenda = _agenda("2. Orientering om Nordjysk Socialaftale", [])
    assert not any(i.access.closed for i in agenda.items) and agenda.warnings == []
    assert isinstance(agenda.items[0].lines[0], Line)


def test_the_window_search_list_shows_the_lock(meeting_db):
    from kkrdesk.ui.search_view import hit_html

    db, _ = meeting_db
    store = open_store(db)
    try:
        hits = search(store.db, CANARY)
        assert hits and all("🔒 Lukket punkt" in hit_html(hit) for hit in hits)
        assert not any("🔒" in hit_html(hit) for hit in search(store.db, "efterretning") if not hit.locked)
    finally:
        store.close()


def test_pack_first_then_dagsorden_closes_the_packs_item_in_public_files(tmp_path, capsys):
    """The pack made item 3.4 open; the dagsorden closes it — and its bilag from the pack with it."""
    db = tmp_path / "s.sqlite"
    pack = tmp_path / "bilag.txt"
    pack.write_text(kit.bilag_pack_text(), encoding="utf-8")
    for path in (pack, kit.write_pdf(tmp_path / "dagsorden.pdf")):
        assert run(capsys, "--db", db, "import", path)[0] == 0
    code, out, _ = run(capsys, "--db", db, "meeting", "export", 1, "--out", tmp_path / "ud")
    assert code == 0
    public = [f for f in (tmp_path / "ud").iterdir() if "offentlig" in f.name]
    assert len(public) == 2
    for path in public:
        data = path.read_bytes()
        assert CANARY.encode() not in data and CANARY.lower().encode() not in data


def test_import_says_which_item_it_closed_on_an_uncertain_marker_and_refuses_a_non_agenda(tmp_path, capsys):
    path = tmp_path / "dagsorden.txt"
    path.write_text(kit.agenda_text(style="a").replace("2.2 Orientering om Nordjysk Socialaftale",
                                                       "2.2 Lukkede botilbud i Nordjysk Socialaftale"),
                    encoding="utf-8")
    db = tmp_path / "s.sqlite"
    code, _, err = run(capsys, "--db", db, "import", path)
    assert code == 0 and "punkt 2.2" in err and "lukket" in err
    code, out, _ = run(capsys, "--db", db, "show", "meeting", 1, "--json", "--public")
    assert "Lukkede botilbud" not in out
    letter = tmp_path / "brev.txt"
    letter.write_text("Kære minister\n\nVi skriver om frikommuneforsøgene.\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "import", letter, "--kind", "dagsorden")
    assert code != 0 and err.strip().count("\n") == 0 and "brev.txt" in err and "dagsorden" in err


def test_packs_keep_the_open_items_figures_and_drop_the_closed_items(meeting_db, tmp_path):
    from kkrdesk.data.packs import build_pack, open_pack

    db, meeting_id = meeting_db
    store = open_store(db)
    try:
        for public in (False, True):
            target = tmp_path / f"pakke-{public}.kkrpack"
            build_pack(store, meeting_id, target, public=public, version=1, meeting_key="m")
            pack = open_pack(target)
            try:
                values = {row[0] for row in pack.conn.execute("SELECT value FROM figures")}
                assert 200 in values and 514.7 in values            # the SOSU and paragraph tables of open items
                assert (9876.5 in values) is not public             # the closed item's table: members only
            finally:
                pack.close()
    finally:
        store.close()
