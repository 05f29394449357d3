"""One meeting from two documents: the dagsorden (later the referat) and the bilag pack, in either order."""

from __future__ import annotations

import pytest

from kkrdesk.data import queries
from kkrdesk.data.notes import NotesStore, bilag_key, item_key, resolve_key
from kkrdesk.ingest.agenda_store import FLAG_NOT_LATEST, FLAG_ONLY_PACK
from kkrdesk.ingest.importer import import_file
from tests import agenda_kit as kit


@pytest.fixture
def files(tmp_path):
    dagsorden = tmp_path / "dagsorden.txt"
    dagsorden.write_text(kit.agenda_text(style="a"), encoding="utf-8")
    pack = tmp_path / "bilag.txt"
    pack.write_text(kit.bilag_pack_text(), encoding="utf-8")
    referat = kit.write_docx(tmp_path / "referat.docx", style="b", referat=True)
    return {"dagsorden": dagsorden, "pack": pack, "referat": referat}


def _shape(db) -> list[tuple]:
    (meeting,) = queries.list_meetings(db)
    full = queries.get_meeting(db, meeting["id"])
    return [(i["number"], i["title"], i["access"], bool(i["indstilling"]),
             tuple((b["number"], b["document_id"] is not None) for b in i["bilag"])) for i in full["items"]]


@pytest.mark.parametrize("order", [("dagsorden", "pack"), ("pack", "dagsorden")])
def test_dagsorden_and_pack_become_one_meeting_in_either_order(order, files, store):
    results = [import_file(store, files[name]) for name in order]
    assert results[0].meeting_id == results[1].meeting_id
    (meeting,) = queries.list_meetings(store.db)
    full = queries.get_meeting(store.db, meeting["id"])
    assert (full["date"], full["time"], full["place"]) == (kit.DATE_ISO, kit.TIME, kit.PLACE)
    items = {i["number"]: i for i in full["items"]}
    assert list(items) == [i["number"] for i in kit.items()]          # agenda order, no duplicates
    assert items["3.4"]["access"] == "lukket" and items["3.1"]["indstilling"].startswith("Det indstilles")
    # every bilag the dagsorden lists now has the pack's text behind it
    assert all(b["document_id"] for i in full["items"] for b in i["bilag"])
    assert not any(i["flags"] for i in full["items"])


def test_both_orders_give_the_same_meeting(files, tmp_path):
    from kkrdesk.data.store import open_store

    shapes = []
    for order in (("dagsorden", "pack"), ("pack", "dagsorden")):
        s = open_store(None)
        for name in order:
            import_file(s, files[name])
        shapes.append(_shape(s.db))
        s.close()
    assert shapes[0] == shapes[1]


def test_the_referat_adds_beslutning_and_keeps_notes(files, store, tmp_path):
    first = import_file(store, files["dagsorden"])
    import_file(store, files["pack"])
    meeting = queries.get_meeting(store.db, first.meeting_id)
    item_31 = next(i for i in meeting["items"] if i["number"] == "3.1")
    assert item_31["beslutning"] is None
    notes = NotesStore(tmp_path / "noter.sqlite")
    key = item_key(meeting, "3.1")
    notes.set_text(key, "Spørg til Læsø", title="3.1")
    notes.set_text(bilag_key(key, "1"), "Tjek tallene")

    second = import_file(store, files["referat"])
    assert second.kind == "referat" and second.meeting_id == first.meeting_id
    after = queries.get_meeting(store.db, first.meeting_id)
    items = {i["number"]: i for i in after["items"]}
    assert items["3.1"]["beslutning"] == "Fordelingen blev godkendt."
    assert items["3.1"]["id"] == item_31["id"]                       # updated in place
    assert items["3.1"]["bilag"][0]["document_id"]                   # the pack's bilag stay linked
    # the member's notes find their item and bilag again
    assert resolve_key(store.db, key) == ("item", item_31["id"])
    assert resolve_key(store.db, bilag_key(key, "1")) == ("bilag", items["3.1"]["bilag"][0]["id"])
    assert notes.get(key).text == "Spørg til Læsø"
    notes.close()
    # the older dagsorden is gone: nothing links to it any more
    kinds = [d["kind"] for d in queries.list_documents(store.db)]
    assert sorted(kinds) == ["meeting-pack", "referat"]


def test_items_only_in_one_document_are_kept_and_flagged(files, store, tmp_path):
    pack_text = kit.bilag_pack_text(extra={"number": "3.9", "title": "Ekstra punkt fra bilagspakken",
                                           "bilag": ["Ekstra bilag"]})
    pack = tmp_path / "bilag-ekstra.txt"
    pack.write_text(pack_text, encoding="utf-8")
    import_file(store, files["dagsorden"])
    result = import_file(store, pack)
    items = {i["number"]: i for i in queries.get_meeting(store.db, result.meeting_id)["items"]}
    assert items["3.9"]["flags"] == [FLAG_ONLY_PACK]
    assert list(items).index("3.9") == list(items).index("3.5") + 1   # placed by its number
    # a newer dagsorden without item 2.2: the item stays, flagged
    newer = tmp_path / "dagsorden-ny.txt"
    text = kit.agenda_text(style="a")
    start = text.index("2.2 Orientering om Nordjysk Socialaftale\n")
    newer.write_text(text[:start] + text[text.index("3. Sager til", start):], encoding="utf-8")
    import_file(store, newer)
    items = {i["number"]: i for i in queries.get_meeting(store.db, result.meeting_id)["items"]}
    assert items["2.2"]["flags"] == [FLAG_NOT_LATEST] and items["2.2"]["indstilling"]
    assert items["3.1"]["flags"] == []


@pytest.mark.parametrize("pack_first", [True, False])
def test_an_undated_bilag_pack_finds_its_meeting_by_its_items(pack_first, files, store, tmp_path):
    undated = tmp_path / "bilag-uden-dato.txt"
    undated.write_text(kit.bilag_pack_text().replace(f"KKR Nordjylland – møde den {kit.DATE_TEXT}",
                                                     "KKR Nordjylland"), encoding="utf-8")
    order = [undated, files["dagsorden"]] if pack_first else [files["dagsorden"], undated]
    results = [import_file(store, path) for path in order]
    assert results[0].meeting_id == results[1].meeting_id
    (meeting,) = queries.list_meetings(store.db)
    assert meeting["date"] == kit.DATE_ISO and meeting["title"] == "Møde i KKR Nordjylland"
    full = queries.get_meeting(store.db, meeting["id"])
    assert all(b["document_id"] for i in full["items"] for b in i["bilag"])
    assert not any(i["flags"] for i in full["items"])


def test_a_pack_headed_bilagsoversigt_joins_its_dagsorden(files, store, tmp_path):
    pack = tmp_path / "bilagsoversigt.txt"
    pack.write_text(kit.bilag_pack_text().replace("Indholdsfortegnelse - Bilag", "Bilagsoversigt"), encoding="utf-8")
    first = import_file(store, files["dagsorden"])
    second = import_file(store, pack)
    assert second.kind == "meeting-pack" and second.meeting_id == first.meeting_id
    full = queries.get_meeting(store.db, first.meeting_id)
    assert all(b["document_id"] for i in full["items"] for b in i["bilag"])
