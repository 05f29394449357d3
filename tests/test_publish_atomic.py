"""Meeting export: private build, all files or none, version recorded last, leftovers cleaned (#16, point 3)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile

from kkrdesk.data import meetings
from kkrdesk.data.packs import open_pack, read_pack_info
from kkrdesk.data.store import open_store
from kkrdesk.publish import export_meeting, meeting_folder, publications, swap


def _store_with_meeting(path):
    store = open_store(path)
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-03")
    meetings.add_item(store, meeting_id, "1", "Godkendelse af dagsorden")
    meetings.add_item(store, meeting_id, "2", "Personsag HEMMELIGSAG", access="lukket")
    return store, meeting_id


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _pack_versions(folder):
    versions = {}
    for path in folder.glob("*.kkrpack"):
        store = open_pack(path)
        versions[path.name] = read_pack_info(store.db).version
        store.close()
    return versions


def _kill_after_renames(db_path, meeting_id, folder, renames):
    """In a forked child: export, and SIGKILL the process right after the given number of renames."""
    store = open_store(db_path)
    real = os.replace
    count = [0]

    def replace(src, dst):
        real(src, dst)
        if str(src).endswith(swap.NEW):
            count[0] += 1
            if count[0] == renames:
                os.kill(os.getpid(), signal.SIGKILL)

    swap.os.replace = replace
    export_meeting(store, meeting_id, folder)
    os._exit(0)


def test_a_kill_after_the_third_rename_is_rolled_back_by_the_next_run(tmp_path):
    db = tmp_path / "lager.sqlite"
    store, meeting_id = _store_with_meeting(db)
    folder = tmp_path / "mappe"
    export_meeting(store, meeting_id, folder)
    before = _snapshot(folder)
    meetings.add_item(store, meeting_id, "3", "Nyt punkt")
    store.close()
    child = multiprocessing.get_context("fork").Process(target=_kill_after_renames, args=(db, meeting_id, folder, 3))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == -signal.SIGKILL
    assert _snapshot(folder) != before                   # the kill really left a half-swapped folder
    store = open_store(db)
    try:
        assert [p["version"] for p in publications(store.db, meeting_id)] == [1]
        meeting_folder.recover_folder(store, folder)
        assert _snapshot(folder) == before                # all four files of version 1, nothing else
        result = export_meeting(store, meeting_id, folder)
        assert result.version == 2
        assert set(_pack_versions(folder).values()) == {2}
        assert [p["version"] for p in publications(store.db, meeting_id)] == [2, 1]
        assert sorted(p.name for p in folder.iterdir()) == sorted(before)
    finally:
        store.close()


def test_leftovers_of_killed_runs_are_removed_and_never_public(tmp_path):
    db = tmp_path / "lager.sqlite"
    store, meeting_id = _store_with_meeting(db)
    folder = tmp_path / "mappe"
    folder.mkdir()
    old_build = folder / ".kkrdesk-export-abc123"            # what older versions left beside the target
    old_build.mkdir()
    (old_build / "x.kkrpack").write_bytes(db.read_bytes())
    (folder / ".2026-12-03-moede-offentlig.kkrpack.4242.ab12.tmp").write_bytes(db.read_bytes())
    (folder / ".2026-12-03-moede.pdf.kkrdesk-ny").write_bytes(b"half")
    dead = tempfile.mkdtemp(prefix=f"{meeting_folder.BUILD_PREFIX}999999999-")
    try:
        result = export_meeting(store, meeting_id, folder)
    finally:
        store.close()
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in result.files)
    assert not os.path.exists(dead)
    for path in folder.glob("*offentlig*"):
        assert b"HEMMELIGSAG" not in path.read_bytes()


def test_the_build_happens_outside_the_target(tmp_path, monkeypatch):
    """While the packs are built, nothing appears in the target folder (no full copy under any name)."""
    db = tmp_path / "lager.sqlite"
    store, meeting_id = _store_with_meeting(db)
    folder = tmp_path / "mappe"
    folder.mkdir()
    seen = []
    real = meeting_folder.build_pack

    def watching(*args, **kwargs):
        seen.append(sorted(p.name for p in folder.iterdir()))
        info = real(*args, **kwargs)
        seen.append(sorted(p.name for p in folder.iterdir()))
        return info

    monkeypatch.setattr(meeting_folder, "build_pack", watching)
    try:
        export_meeting(store, meeting_id, folder)
    finally:
        store.close()
    assert seen and all(names == [] for names in seen)
