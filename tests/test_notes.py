"""The private notes store: autosave semantics, stable keys, and finding the content again."""

from kkrdesk.data import notes as notes_mod
from kkrdesk.data.notes import NotesStore, bilag_key, goal_key, item_key, resolve_key
from kkrdesk.paths import notes_store_path

MEETING = {"title": "Møde i KKR Nordjylland 2021", "date": None}


def test_note_is_committed_at_once_and_read_by_another_connection(tmp_path):
    path = tmp_path / "notes.sqlite"
    writer = NotesStore(path)
    writer.set_text(item_key(MEETING, "3.5"), "Spørg til de 38 ekstra pladser", title="3.5", context="møde")
    reader = NotesStore(path)           # a second connection sees it without any save/close
    note = reader.get(item_key(MEETING, "3.5"))
    assert note is not None and note.text == "Spørg til de 38 ekstra pladser"
    assert note.kind == "item" and not note.starred
    writer.close()
    reader.close()


def test_emptied_unstarred_note_disappears_but_a_star_alone_is_kept(tmp_path):
    store = NotesStore(tmp_path / "n.sqlite")
    key = goal_key(2022, "6")
    store.set_text(key, "x")
    store.set_text(key, "  ")
    assert store.get(key) is None
    store.set_starred(key, True, title="Mål 6")
    note = store.get(key)
    assert note is not None and note.starred and note.text == "" and note.title == "Mål 6"
    store.set_text(key, "Effekt 76 %")
    assert store.get(key).starred        # text change keeps the star
    assert [n.key for n in store.list_notes(starred_only=True)] == [key]
    store.close()


def test_default_path_is_the_user_data_dir_and_module_helpers_read_it():
    store = NotesStore()
    assert store.path == notes_store_path()
    ikey = item_key(MEETING, "3.5")
    store.set_text(ikey, "note on the item")
    store.set_text(bilag_key(ikey, "1"), "note on the bilag")
    store.set_text(item_key({"title": "Et andet møde", "date": "2025-06-20"}, "3.5"), "other meeting")
    store.close()
    found = notes_mod.notes_for_meeting(MEETING)
    assert set(found) == {ikey, bilag_key(ikey, "1")}
    assert notes_mod.note_for_key(ikey).text == "note on the item"
    assert len(notes_mod.list_notes()) == 3


def test_keys_are_built_from_printed_numbers_not_row_ids():
    assert item_key(MEETING, "3.5") == "item:Møde i KKR Nordjylland 2021|:3.5"
    assert bilag_key(item_key(MEETING, "3.5"), "1") == "bilag:item:Møde i KKR Nordjylland 2021|:3.5:1"
    assert goal_key(2022, "6") == "goal:2022:6"


def test_resolve_key_finds_item_bilag_and_goal_in_a_content_store(corpus_store):
    db = corpus_store.db
    meeting = db.execute("SELECT title, date FROM meetings m WHERE EXISTS "
                         "(SELECT 1 FROM agenda_items a WHERE a.meeting_id = m.id AND a.number = '3.5')").fetchone()
    mdict = {"title": meeting[0], "date": meeting[1]}
    kind, item_id = resolve_key(db, item_key(mdict, "3.5"))
    assert kind == "item"
    assert db.execute("SELECT title FROM agenda_items WHERE id = ?", (item_id,)).fetchone()[0] == \
        "Pædagogdimensionering 2021-2022"
    kind, bilag_id = resolve_key(db, bilag_key(item_key(mdict, "3.5"), "1"))
    assert kind == "bilag"
    assert db.execute("SELECT agenda_item_id FROM bilag WHERE id = ?", (bilag_id,)).fetchone()[0] == item_id
    kind, goal_id = resolve_key(db, goal_key(2022, "6"))
    assert kind == "goal"
    assert db.execute("SELECT title FROM goals WHERE id = ?", (goal_id,)).fetchone()[0] == "Effekt i virksomhederne"
    assert resolve_key(db, item_key({"title": "Findes ikke", "date": None}, "1.1")) is None
    assert resolve_key(db, "nonsense") is None


def test_unnumbered_items_are_keyed_by_title_and_found_again(store):
    db = store.db
    db.execute("INSERT INTO meetings (id, title, date) VALUES (1, 'Møde i KKR Nordjylland', '2025-06-20')")
    db.execute("INSERT INTO agenda_items (id, meeting_id, position, number, title) VALUES "
               "(7, 1, 1, '', 'KKR-undersøgelse: opsamling'), (8, 1, 2, '', 'Andet bilag')")
    meeting = {"title": "Møde i KKR Nordjylland", "date": "2025-06-20"}
    key = item_key(meeting, "", "KKR-undersøgelse: opsamling")
    assert key == "item:Møde i KKR Nordjylland|2025-06-20:KKR-undersøgelse  opsamling"
    assert resolve_key(db, key) == ("item", 7)
    assert resolve_key(db, item_key(meeting, "", "Andet bilag")) == ("item", 8)
