"""Packs: only this meeting's content, no closed content in a public pack, read-only, versions and changes."""

import json
import sqlite3

import pytest

from kkrdesk.cli import main
from kkrdesk.data import corrections, meetings, queries
from kkrdesk.data.pack_install import change_marks, install_pack, installed_packs, mark_read, pack_changes
from kkrdesk.data.packs import build_pack, item_changes, open_pack, read_pack_info
from kkrdesk.data.search import search
from kkrdesk.data.store import ReadOnlyStoreError, StoreError, open_store
from kkrdesk.ingest.importer import import_file
from kkrdesk.publish import pack_name
from tests.conftest import CONTRACT_2019, MEETING_PACK

# Golden: the only occurrence, in item 3.11's bilag (Sexisme i kommunalpolitik, l.3970).
CLOSED_SENTENCE = "Kommunalbestyrelsesmedlemmer er ikke beskyttet mod sexismen"
OTHER_DOCUMENT_WORD = "omstillingssår"   # resultatkontrakt-2019 l.80 only


@pytest.fixture
def imported_meeting(tmp_path):
    """The 2021 bilag pack imported as a meeting, item 3.11 closed, plus an unrelated contract."""
    store = open_store(tmp_path / "sekretariat.sqlite")
    result = import_file(store, MEETING_PACK)
    import_file(store, CONTRACT_2019)
    closed = store.conn.execute("SELECT id FROM agenda_items WHERE number = '3.11'").fetchone()[0]
    meetings.update_item(store, closed, access="lukket", sagsfremstilling="Sagen om Plimsoll-rådmanden.")
    yield store, result.meeting_id
    store.close()


def test_public_pack_of_an_imported_meeting_holds_no_closed_content(imported_meeting, tmp_path):
    store, meeting_id = imported_meeting
    assert CLOSED_SENTENCE.encode() in (tmp_path / "sekretariat.sqlite").read_bytes() or search(store.db, "bolværk")
    full = tmp_path / "full.kkrpack"
    public = tmp_path / "public.kkrpack"
    build_pack(store, meeting_id, full, public=False, version=1, meeting_key="m1")
    build_pack(store, meeting_id, public, public=True, version=1, meeting_key="m1")

    full_bytes, public_bytes = full.read_bytes(), public.read_bytes()
    assert CLOSED_SENTENCE.encode() in full_bytes and b"Plimsoll" in full_bytes
    # Not in tables (the file the meeting was read from holds every bilag's text: kept only as an empty shell),
    # not in the full-text index (tokens are folded to lower case), not in free pages.
    for secret in (CLOSED_SENTENCE, "Plimsoll", "plimsoll", "Sexisme i kommunalpolitik", "bolværk"):
        assert secret.encode() not in public_bytes, secret
    # Only this meeting: the unrelated contract is in neither pack.
    assert OTHER_DOCUMENT_WORD.encode() not in full_bytes and OTHER_DOCUMENT_WORD.encode() not in public_bytes

    pack = open_pack(public)
    try:
        assert pack.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert pack.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert search(pack.db, "bolværk") == [] and search(pack.db, "Klimaambition")   # FTS rebuilt and working
        meeting = queries.get_meeting(pack.db, meeting_id)
        closed = next(i for i in meeting["items"] if i["number"] == "3.11")
        assert (closed["title"], closed["sagsfremstilling"], closed["bilag"]) == ("Lukket punkt", None, [])
        assert len(meeting["items"]) == 9 and queries.list_meetings(pack.db)[0]["id"] == meeting_id
        assert [d["file_name"] for d in queries.list_documents(pack.db)] == ["kkr-moede-2021-bilag.txt"]
        info = read_pack_info(pack.db)
        assert (info.version, info.public, info.meeting_key) == (1, True, "m1")
        assert set(info.item_hashes) == {i["number"] for i in meeting["items"]}
    finally:
        pack.close()


def test_a_pack_refuses_every_change(imported_meeting, tmp_path):
    store, meeting_id = imported_meeting
    path = tmp_path / "møde.kkrpack"
    build_pack(store, meeting_id, path, public=False, version=1, meeting_key="m1")
    before = path.read_bytes()
    pack = open_pack(path)
    item_id = queries.get_meeting(pack.db, meeting_id)["items"][0]["id"]
    target = pack.conn.execute("SELECT id FROM targets LIMIT 1").fetchone()
    attempts = [
        lambda: meetings.create_meeting(pack, "Nyt møde", "2026-12-03"),
        lambda: meetings.update_item(pack, item_id, title="Ændret"),
        lambda: meetings.add_item(pack, meeting_id, "9.9", "Nyt punkt"),
        lambda: meetings.remove_item(pack, item_id),
        lambda: meetings.attach_file(pack, item_id, CONTRACT_2019),
        lambda: corrections.correct_value(pack, "target", target[0], 1),
        lambda: import_file(pack, CONTRACT_2019),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyStoreError, match="møde.kkrpack: er skrivebeskyttet"):
            attempt()
    with pytest.raises(sqlite3.OperationalError):   # even raw SQL cannot write
        pack.conn.execute("DELETE FROM agenda_items")
    pack.close()
    assert path.read_bytes() == before


def test_cli_refuses_writes_to_a_pack_in_one_line(imported_meeting, tmp_path, capsys):
    store, meeting_id = imported_meeting
    path = tmp_path / "møde.kkrpack"
    build_pack(store, meeting_id, path, public=False, version=3, meeting_key="m1",
               published="2026-12-01T09:00:00+01:00")
    for argv in (["meeting", "new", "--title", "X", "--date", "2026-12-03"],
                 ["meeting", "add-item", str(meeting_id), "--number", "9", "--title", "X"],
                 ["correct", "set", "target", "1", "5"],
                 ["import", str(CONTRACT_2019)]):
        code = main(["--db", str(path), *argv])
        out, err = capsys.readouterr()
        assert code == 1 and out == "", argv
        assert err.count("\n") == 1 and err.startswith("kkrdesk: møde.kkrpack: er skrivebeskyttet"), err
    assert main(["--db", str(path), "meeting", "pack-info"]) == 0
    assert capsys.readouterr().out.strip().endswith(": Udgivet 1. december 2026, version 3")
    assert main(["--db", str(path), "show", "meeting", str(meeting_id), "--json"]) == 0   # reading works
    assert len(json.loads(capsys.readouterr().out)["items"]) == 9


def test_an_ordinary_store_is_not_a_pack(tmp_path, capsys):
    plain = tmp_path / "plain.kkrpack"
    open_store(plain).close()
    with pytest.raises(StoreError, match="ikke en kkrdesk-pakke"):
        open_pack(plain)
    assert main(["--db", str(plain), "list", "meetings"]) == 1
    assert "ikke en kkrdesk-pakke" in capsys.readouterr().err


def _small_meeting(store):
    meeting_id = meetings.create_meeting(store, "KKR Nordjylland – møde", "2026-12-03")
    ids = {n: meetings.add_item(store, meeting_id, n, f"Punkt {n}", sagsfremstilling=f"Tekst {n}.")
           for n in ("1", "2", "3")}
    return meeting_id, ids


def test_new_versions_replace_and_mark_changes_since_what_was_read(store, tmp_path):
    meeting_id, ids = _small_meeting(store)
    build_pack(store, meeting_id, tmp_path / "v1.kkrpack", public=False, version=1, meeting_key="møde-a")
    meetings.update_item(store, ids["1"], sagsfremstilling="Ny tekst.")
    meetings.remove_item(store, ids["3"])
    build_pack(store, meeting_id, tmp_path / "v2.kkrpack", public=False, version=2, meeting_key="møde-a")
    meetings.add_item(store, meeting_id, "4", "Punkt 4")
    build_pack(store, meeting_id, tmp_path / "v3.kkrpack", public=False, version=3, meeting_key="møde-a")

    install_pack(tmp_path / "v1.kkrpack")
    second = install_pack(tmp_path / "v2.kkrpack")
    assert [(c.number, c.status) for c in second.changes] == [("1", "Ændret"), ("3", "Udgået")]
    assert second.changes[1].title == "Punkt 3"     # a removed item is still named
    # The member skips version 2 without reading it: version 3 shows everything since version 1.
    third = install_pack(tmp_path / "v3.kkrpack")
    assert change_marks("møde-a") == {"1": "Ændret", "4": "Ny", "3": "Udgået"}
    assert [p.version for p in installed_packs()] == [3] and third.path == second.path
    mark_read("møde-a", "1")
    assert change_marks("møde-a") == {"4": "Ny", "3": "Udgået"}
    mark_read("møde-a")
    assert pack_changes("møde-a") == []
    with pytest.raises(StoreError, match="version 2 er ældre end den installerede version 3"):
        install_pack(tmp_path / "v2.kkrpack")


def test_item_changes_and_names():
    old = {"1": {"hash": "a", "title": "A"}, "2": {"hash": "b", "title": "B"}}
    new = {"2": {"hash": "b2", "title": "B"}, "5": {"hash": "e", "title": "E"}}
    assert [(c.number, c.status) for c in item_changes(old, new)] == [("2", "Ændret"), ("5", "Ny"), ("1", "Udgået")]
    assert item_changes(old, old) == []
    assert pack_name({"title": "KKR Nordjylland – møde", "date": "2026-12-03"}) == "2026-12-03-kkr-nordjylland-moede"
    assert pack_name({"title": "Ærø/Åbybro: Øst", "date": None}) == "aeroe-aabybro-oest"


def test_public_pack_drops_a_small_closed_bilag_from_the_fts_index(store, tmp_path):
    """Few deletions leave FTS5 tokens in old segments unless the index is rebuilt; the pack rebuilds it."""
    meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
    open_item = meetings.add_item(store, meeting_id, "1", "Åbent")
    closed_item = meetings.add_item(store, meeting_id, "2", "Lukket", access="lukket")
    (tmp_path / "aaben.txt").write_text("Vejen\n\nEt åbent notat om vejen.\n", encoding="utf-8")
    (tmp_path / "lukket.txt").write_text("Notat\n\nEt fortroligt Snorklefjord-notat.\n", encoding="utf-8")
    meetings.attach_file(store, open_item, tmp_path / "aaben.txt")
    meetings.attach_file(store, closed_item, tmp_path / "lukket.txt")
    build_pack(store, meeting_id, tmp_path / "p.kkrpack", public=True, version=1, meeting_key="k")
    data = (tmp_path / "p.kkrpack").read_bytes()
    assert b"snorklefjord" not in data and b"Snorklefjord" not in data
    assert b"vejen" in data     # the open bilag's tokens are there


def test_a_failed_export_leaves_the_previous_folder_and_version(store, tmp_path, monkeypatch):
    from kkrdesk.publish import meeting_folder as packs

    meeting_id, _ids = _small_meeting(store)
    folder = tmp_path / "mappe"
    first = packs.export_meeting(store, meeting_id, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken_pdf(*_args, **_kwargs):
        raise RuntimeError("skrifttypen mangler")

    monkeypatch.setattr(packs, "_build_pdf", broken_pdf)
    meetings.add_item(store, meeting_id, "4", "Nyt punkt")
    with pytest.raises(RuntimeError):
        packs.export_meeting(store, meeting_id, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before      # no temp files left either
    assert packs.next_version(store, meeting_id) == first.version + 1 == 2
    assert [p["version"] for p in packs.publications(store.db, meeting_id)] == [1]


def test_public_change_marks_do_not_reveal_edits_to_closed_items(store, tmp_path):
    meeting_id, ids = _small_meeting(store)
    meetings.update_item(store, ids["2"], access="lukket")
    first = build_pack(store, meeting_id, tmp_path / "v1.kkrpack", public=True, version=1, meeting_key="k")
    meetings.update_item(store, ids["2"], sagsfremstilling="Ny fortrolig tekst.", title="Ny titel")
    meetings.update_item(store, ids["1"], title="Punkt 1 (rettet)")
    second = build_pack(store, meeting_id, tmp_path / "v2.kkrpack", public=True, version=2, meeting_key="k")
    assert [(c.number, c.status) for c in item_changes(first.item_hashes, second.item_hashes)] == [("1", "Ændret")]
    full = build_pack(store, meeting_id, tmp_path / "f.kkrpack", public=False, version=3, meeting_key="k")
    # The full pack's hash covers the closed item's content, but its title is never kept in the hashes,
    # which also live in the member's plain install index (#18).
    assert full.item_hashes["2"]["title"] == second.item_hashes["2"]["title"] == "Lukket punkt"
    assert full.item_hashes["2"]["hash"] != second.item_hashes["2"]["hash"]
