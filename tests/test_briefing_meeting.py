"""Meeting briefing pack (#6): built from the whole corpus and read back with pypdf."""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable, PageBreak, Paragraph

from kkrdesk.briefing import PackError, build_meeting_pack, meeting_pack
from kkrdesk.briefing.readback import flat_text, outline_titles, page_texts, unembedded_fonts
from kkrdesk.briefing.styles import styles
from kkrdesk.cli import main
from kkrdesk.data import queries
from kkrdesk.data.notes import NotesStore, item_key
from kkrdesk.data.store import open_store

CLOSED_ITEM = "3.8"
CLOSED_TITLE = "Børnehus Nord – Budget og takster for 2021"
# A sentence only in the closed item's bilag 1 (the budget table's comment column).
CLOSED_SENTENCE = "Lønfremskrivning jf. P/L samt reguleret i forhold til sagsantal"
NOTE_OPEN = "Spørg til fordelingen mellem specialiseringerne"
NOTE_CLOSED = "Hemmelig bemærkning om taksten"


def _meeting_id(db_path) -> int:
    store = open_store(db_path)
    try:
        meetings = queries.list_meetings(store.db)
        return next(m["id"] for m in meetings if m["items"] == 9)
    finally:
        store.close()


@pytest.fixture(scope="module")
def pack(corpus_db_path, tmp_path_factory):
    """The 2021 meeting pack, made the way a user makes it: through `kkrdesk pack`."""
    out = tmp_path_factory.mktemp("pack") / "møde.pdf"
    code = main(["--db", str(corpus_db_path), "pack", "--meeting", str(_meeting_id(corpus_db_path)), "-o", str(out)])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def pack_texts(pack):
    """Text of every page, extracted once (pypdf takes seconds for ~100 pages)."""
    return page_texts(pack)


def _flat(texts: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(texts))


@pytest.fixture(scope="module")
def public_pack(corpus_db_path, tmp_path_factory):
    """A public pack of a copy of the store where item 3.8 is closed, with notes on 3.5 and on 3.8."""
    folder = tmp_path_factory.mktemp("public")
    db_path = folder / "copy.sqlite"
    shutil.copy(corpus_db_path, db_path)
    meeting_id = _meeting_id(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE agenda_items SET access = 'lukket' WHERE number = ?", (CLOSED_ITEM,))
    # Keep the pack small (fast): the closed item, and item 3.5 as the open neighbour with a note.
    keep = (CLOSED_ITEM, "3.5")
    conn.execute("DELETE FROM bilag WHERE agenda_item_id IN (SELECT id FROM agenda_items WHERE number NOT IN (?, ?))",
                 keep)
    conn.execute("DELETE FROM agenda_items WHERE number NOT IN (?, ?)", keep)
    links = [("3.5", "dataset", "sosu-dimensionering", "SOSU-dimensionering"),
             ("3.5", "goal", "goal:2022:1", "Kendskab"),
             (CLOSED_ITEM, "goal", "goal:2022:2", "Bred geografisk spredning")]
    for number, kind, target, label in links:
        conn.execute("INSERT INTO item_links (agenda_item_id, kind, target, label) "
                     "SELECT id, ?, ?, ? FROM agenda_items WHERE number = ?", (kind, target, label, number))
    conn.commit()
    conn.close()
    store = open_store(db_path)
    try:
        meeting = queries.get_meeting(store.db, meeting_id)
        notes = NotesStore(folder / "notes.sqlite")
        notes.set_text(item_key(meeting, "3.5"), NOTE_OPEN)
        notes.set_text(item_key(meeting, CLOSED_ITEM), NOTE_CLOSED)
        notes.close()
        out = folder / "offentlig.pdf"
        result = build_meeting_pack(store.db, meeting_id, out, public=True, with_notes=True,
                                    notes_path=folder / "notes.sqlite")
    finally:
        store.close()
    return out, result


def test_outline_mirrors_items_and_bilag(pack):
    entries = outline_titles(pack)
    assert len(entries) == 25
    assert sum(1 for level, _ in entries if level == 0) == 9
    assert sum(1 for level, _ in entries if level == 1) == 16
    assert entries[0] == (0, "2.1 Siden sidst")
    assert (0, "3.5 Pædagogdimensionering 2021-2022") in entries
    assert entries[-1] == (1, "Bilag 1: inspirationsmateriale-til-haandtering-og-forebyggelse-af-sexisme-i-"
                              "kommunalbestyrelser (1)")


def test_danish_titles_exact_in_text_layer(pack_texts):
    text = _flat(pack_texts)
    for title in ("Pædagogdimensionering 2021-2022", CLOSED_TITLE,
                  "De fælleskommunale sekretariater – regnskab 2020 og budget 2021",
                  "Bilag 2: Videnspakke - bilag til Den Fælles Nordjyske Klimaambition"):
        assert title in text
    # readable bilag text, not just titles
    assert CLOSED_SENTENCE in text
    assert "Nærværende notat er udarbejdet på baggrund af møde i sparringsgruppen" in text


def test_pages_cover_contents_and_footer(pack_texts):
    texts = pack_texts
    total = len(texts)
    assert total > 50
    cover = texts[0]
    assert "KKR Nordjylland" in cover and "dato ukendt" in cover and "Genereret" in cover
    assert "kkrdesk version" in cover
    assert "Indhold" in texts[1] and "Siden sidst" in texts[1]
    assert f"Side 2 af {total}" in texts[1]
    assert f"Side {total} af {total}" in texts[-1]
    # the running header names the item on the page it starts on, then item and bilag
    start = next(i for i, t in enumerate(texts) if t.startswith("3.5 Pædagogdimensionering 2021-2022"))
    assert texts[start].rstrip().endswith(f"Punkt 3.5\nSide {start + 1} af {total}")
    assert f"Punkt 3.5 · Bilag 1\nSide {start + 2} af {total}" in texts[start + 1]


def test_contents_entries_are_links(pack):
    reader = PdfReader(pack)
    links = [a.get_object() for a in reader.pages[1].get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= 25


def test_fonts_are_embedded(pack):
    assert unembedded_fonts(pack) == []


def test_charts_are_at_least_200_dpi(pack):
    reader = PdfReader(pack)
    widths = []

    def walk(resources):
        xobjects = resources.get("/XObject")
        for ref in (xobjects.get_object() if xobjects is not None else {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                widths.append(int(xobject["/Width"]))
            elif "/Resources" in xobject:  # reportlab wraps each image in a form XObject
                walk(xobject["/Resources"].get_object())

    for page in reader.pages:
        walk(page["/Resources"].get_object())
    assert len(widths) >= 3, "the pædagog/Børnehus/sekretariat charts are missing"
    # 8 in wide figures at 200 dpi, drawn at most 170 mm (6.7 in) wide: ≥ 200 dpi on paper
    assert all(w >= 1600 for w in widths)


def test_metadata(pack):
    meta = PdfReader(pack).metadata
    assert meta.author == "KKR Nordjylland"
    assert "KKR Nordjylland" in meta.title


def test_public_pack_leaves_closed_item_out(public_pack):
    path, result = public_pack
    text = flat_text(path)
    assert "Lukket punkt" in text
    assert CLOSED_TITLE not in text and "Børnehus" not in text
    assert CLOSED_SENTENCE not in text
    titles = [t for _, t in outline_titles(path)]
    assert f"{CLOSED_ITEM} Lukket punkt" in titles
    assert not any("Børnehus" in t for t in titles)
    # items 3.5 (1 bilag) and 3.8: the closed item keeps its number, its 2 bilag are gone
    assert result.outline_entries == len(titles) == 3
    meta = PdfReader(path).metadata
    assert not any("Børnehus" in str(v) for v in meta.values())
    raw = path.read_bytes()
    for needle in ("Børnehus", "Budget og takster", "Lønfremskrivning"):
        for encoding in ("utf-8", "utf-16-be", "latin-1"):
            assert needle.encode(encoding) not in raw


def test_item_links_print_goal_and_dataset_only_for_open_items(public_pack):
    path, _ = public_pack
    text = flat_text(path)
    assert "Relaterede mål og nøgletal" in text
    assert "Lærepladser på SOSU-uddannelserne pr. kommune" in text
    assert "Mål 1 – Virksomhedernes kendskab til Erhvervshusene" in text
    assert "Bred geografisk spredning" not in text      # linked from the closed item


def test_public_pack_prints_notes_only_on_open_items(public_pack):
    path, _ = public_pack
    text = flat_text(path)
    assert "Min note (privat)" in text
    assert NOTE_OPEN in text
    assert NOTE_CLOSED not in text


BODY = styles()["body"]


class _Broken(Flowable):
    """Fails in the middle of the layout, after pages have been written."""

    def wrap(self, available_width, available_height):
        raise RuntimeError("layout failed")


def test_failed_build_leaves_previous_file_untouched(corpus_store, tmp_path, monkeypatch):
    target = tmp_path / "pakke.pdf"
    target.write_bytes(b"%PDF-1.4 last week's pack")
    monkeypatch.setattr(meeting_pack, "meeting_story",
                        lambda *a, **k: [Paragraph("Første side", BODY), PageBreak(), Paragraph("Anden side", BODY),
                                         _Broken()])
    meeting_id = queries.list_meetings(corpus_store.db)[0]["id"]
    with pytest.raises(RuntimeError, match="layout failed"):
        build_meeting_pack(corpus_store.db, meeting_id, target)
    assert target.read_bytes() == b"%PDF-1.4 last week's pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pakke.pdf"]   # no temp file left behind


def test_new_target_is_not_created_by_a_failed_build(corpus_store, tmp_path, monkeypatch):
    monkeypatch.setattr(meeting_pack, "meeting_story", lambda *a, **k: [Paragraph("x", BODY), _Broken()])
    meeting_id = queries.list_meetings(corpus_store.db)[0]["id"]
    with pytest.raises(RuntimeError):
        build_meeting_pack(corpus_store.db, meeting_id, tmp_path / "ny.pdf")
    assert list(tmp_path.iterdir()) == []


def test_unknown_meeting_is_a_pack_error(corpus_store, tmp_path):
    with pytest.raises(PackError):
        build_meeting_pack(corpus_store.db, 99999, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
