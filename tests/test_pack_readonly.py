"""A pack is recognised by its content and never changed, whatever its name (#16, point 2)."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from kkrdesk.cli import main
from kkrdesk.data import meetings
from kkrdesk.data.packs import build_pack
from kkrdesk.data.store import is_pack_file, open_store


@pytest.fixture(scope="module")
def pack_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pakke")
    store = open_store(folder / "lager.sqlite")
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-03")
    meetings.add_item(store, meeting_id, "1", "Godkendelse af dagsorden")
    closed = meetings.add_item(store, meeting_id, "2", "Personsag", access="lukket")
    build_pack(store, meeting_id, folder / "P.kkrpack", public=False, version=1, meeting_key="k1")
    store.close()
    return folder / "P.kkrpack", meeting_id, closed


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("how", ["upper", "symlink-db", "no-suffix"])
def test_a_renamed_pack_is_still_read_only(pack_file, tmp_path, capsys, how):
    source, meeting_id, closed = pack_file
    if how == "upper":
        path = tmp_path / "P.KKRPACK"
        shutil.copy(source, path)
    elif how == "symlink-db":
        real = tmp_path / "P.kkrpack"
        shutil.copy(source, real)
        path = tmp_path / "x.db"
        path.symlink_to(real)
    else:
        path = tmp_path / "pakke"
        shutil.copy(source, path)
    assert is_pack_file(path)
    before, names = _digest(path), _names(tmp_path)
    text = tmp_path.parent / f"{tmp_path.name}-tekst.txt"
    text.write_text("Et dokument\n\nMed tekst.\n", encoding="utf-8")
    writes = [
        ["meeting", "set-item", str(closed), "--open"],
        ["import", str(text)],
        ["meeting", "new", "--title", "X", "--date", "2026-12-04"],
        ["meeting", "add-item", str(meeting_id), "--number", "3", "--title", "Nyt"],
        ["tag", str(closed), "paedagog"],
    ]
    for argv in writes:
        assert main(["--db", str(path), *argv]) == 1, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, (argv, err)
        assert "skrivebeskyttet" in err or "pakke" in err, err
    assert main(["--db", str(path), "show", "meeting", str(meeting_id)]) == 0
    assert "Personsag" in capsys.readouterr().out
    assert _digest(path) == before
    assert _names(tmp_path) == names                  # no -wal, -shm or -journal beside it


def test_a_pack_in_a_read_only_folder_opens(pack_file, tmp_path, capsys):
    source, meeting_id, _ = pack_file
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "kopi.db"
    shutil.copy(source, path)
    folder.chmod(0o555)
    try:
        assert main(["--db", str(path), "show", "meeting", str(meeting_id), "--json"]) == 0
        assert main(["--db", str(path), "meeting", "pack-info"]) == 0
    finally:
        folder.chmod(0o755)
    assert _names(folder) == ["kopi.db"]
    assert _digest(path) == _digest(source)
