"""Sealed packs end to end (#18), through the command line as the secretariat and a member use it.

A closed item with a canary in its title, text, attachment name and attachment content is exported
with a passphrase; no file of the meeting folder shows the canary in its raw bytes; a member opens
the pack only with the right passphrase; a flipped byte, another sender and the expiry date are
refused or honoured as the issue asks.
"""

from __future__ import annotations

import json
import os

import pytest

from kkrdesk.cli import main
from kkrdesk.data import meetings
from kkrdesk.data.store import open_store

CANARY = "KANARIE-SEGL-4471"
PASSPHRASE = "Rød hest på Limfjorden 2026"


@pytest.fixture
def secretariat_db(tmp_path):
    db = tmp_path / "sekretariat.sqlite"
    attachment = tmp_path / f"{CANARY}-notat.txt"
    attachment.write_text(f"Fortroligt notat {CANARY}\n\nPersonalesag om ansættelse {CANARY}.\n", encoding="utf-8")
    store = open_store(db)
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-04", "Aalborg")
    meetings.add_item(store, meeting_id, "1", "Godkendelse af dagsorden", sagsfremstilling="Åben tekst.")
    closed = meetings.add_item(store, meeting_id, "2", f"Personalesag {CANARY}", access="lukket",
                               sagsfremstilling=f"Fortrolig sag {CANARY}")
    meetings.attach_file(store, closed, attachment)
    store.close()
    return db, meeting_id


@pytest.fixture
def passphrase_file(tmp_path):
    path = tmp_path / "kode.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def _export(db, meeting_id, folder, passphrase_file, *extra) -> None:
    assert main(["--db", str(db), "meeting", "export", str(meeting_id), "--out", str(folder),
                 "--passphrase-file", str(passphrase_file), *extra]) == 0


def _members_pack(folder):
    return next(p for p in folder.glob("*.kkrpack") if "offentlig" not in p.name)


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def sealed_folder(secretariat_db, passphrase_file, tmp_path, monkeypatch):
    monkeypatch.delenv("KKRDESK_PASSPHRASE_FILE")
    db, meeting_id = secretariat_db
    folder = tmp_path / "mappe"
    _export(db, meeting_id, folder, passphrase_file)
    return folder


def test_no_byte_of_the_closed_item_is_readable_anywhere_in_the_folder(sealed_folder):
    files = sorted(p for p in sealed_folder.rglob("*") if p.is_file())
    assert len(files) == 4
    for path in files:
        data = path.read_bytes()
        for needle in (CANARY.encode(), CANARY.encode("utf-16-be"), CANARY.lower().encode()):
            assert needle not in data, path.name


def test_the_members_pack_is_refused_without_or_with_a_wrong_passphrase(sealed_folder, tmp_path, capsys):
    pack = _members_pack(sealed_folder)
    code, out, err = _run(capsys, "--db", str(pack), "list", "meetings")
    assert code == 1 and out == ""
    assert err.strip() == f"kkrdesk: {pack.name}: pakken er krypteret – angiv adgangskoden"
    wrong = tmp_path / "forkert.txt"
    wrong.write_text("gæt\n", encoding="utf-8")
    code, _out, err = _run(capsys, "--passphrase-file", str(wrong), "--db", str(pack), "list", "meetings")
    assert code == 1 and err.strip() == f"kkrdesk: {pack.name}: forkert adgangskode"


def test_with_the_right_passphrase_the_closed_item_reads_as_written(sealed_folder, passphrase_file, capsys,
                                                                   monkeypatch):
    pack = _members_pack(sealed_folder)
    code, out, _err = _run(capsys, "--passphrase-file", str(passphrase_file), "--db", str(pack),
                           "list", "meetings", "--json")
    assert code == 0
    [meeting] = json.loads(out)
    code, out, _err = _run(capsys, "--passphrase-file", str(passphrase_file), "--db", str(pack),
                           "show", "meeting", str(meeting["id"]), "--json")
    assert code == 0 and f"Personalesag {CANARY}" in out
    monkeypatch.setenv("KKRDESK_PASSPHRASE_FILE", str(passphrase_file))      # the same through the environment
    code, out, _err = _run(capsys, "--db", str(pack), "show", "meeting", str(meeting["id"]), "--json")
    assert code == 0 and CANARY in out
    assert not [p for p in sealed_folder.iterdir() if p.name.endswith(("-wal", "-shm", "-journal"))]


@pytest.mark.parametrize("offset", [200, 0.5, -10])
def test_a_flipped_byte_is_refused_as_changed_after_publication(sealed_folder, passphrase_file, capsys, offset):
    pack = _members_pack(sealed_folder)
    data = bytearray(pack.read_bytes())
    at = int(len(data) * offset) if isinstance(offset, float) else offset
    data[at] ^= 0x20
    pack.write_bytes(bytes(data))
    code, _out, err = _run(capsys, "--passphrase-file", str(passphrase_file), "--db", str(pack), "list", "meetings")
    assert code == 1 and err.count("\n") == 1
    assert "pakken er ændret efter udgivelse" in err or "ikke en gyldig forseglet" in err


def test_a_meeting_with_closed_items_is_not_exported_without_a_passphrase(secretariat_db, tmp_path, capsys,
                                                                         monkeypatch):
    monkeypatch.delenv("KKRDESK_PASSPHRASE_FILE")
    db, meeting_id = secretariat_db
    code, _out, err = _run(capsys, "--db", str(db), "meeting", "export", str(meeting_id), "--out",
                           str(tmp_path / "mappe"))
    assert code == 1 and "angiv en adgangskode" in err
    assert not (tmp_path / "mappe").exists() or not any((tmp_path / "mappe").iterdir())


def test_an_all_open_meeting_stays_plain_but_signed(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KKRDESK_PASSPHRASE_FILE")
    db = tmp_path / "aaben.sqlite"
    store = open_store(db)
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-04", "Aalborg")
    meetings.add_item(store, meeting_id, "1", "Godkendelse af dagsorden ÅBENORD")
    store.close()
    assert main(["--db", str(db), "meeting", "export", str(meeting_id), "--out", str(tmp_path / "m")]) == 0
    capsys.readouterr()
    pack = _members_pack(tmp_path / "m")
    code, out, _err = _run(capsys, "--db", str(pack), "show", "meeting", "1", "--json")
    assert code == 0 and "ÅBENORD" in out


def test_an_expired_pack_shows_closed_items_only_as_expired_and_drops_them_on_the_next_start(
        secretariat_db, passphrase_file, tmp_path, capsys, monkeypatch):
    from kkrdesk.data.pack_install import installed_packs
    from kkrdesk.data.sealed_store import plain_bytes

    db, meeting_id = secretariat_db
    folder = tmp_path / "mappe"
    _export(db, meeting_id, folder, passphrase_file, "--expires", "2026-01-31")
    pack = _members_pack(folder)
    code, out, _err = _run(capsys, "--passphrase-file", str(passphrase_file), "--db", str(pack),
                           "show", "meeting", "1", "--json")
    assert code == 0 and CANARY not in out and "Lukket punkt (udløbet)" in out
    code, _out, _err = _run(capsys, "--passphrase-file", str(passphrase_file), "meeting", "install", str(pack))
    assert code == 0
    [entry] = installed_packs()                      # the listing is where expiry is enforced at start
    assert CANARY.encode() not in entry.path.read_bytes()
    assert CANARY.encode() not in plain_bytes(entry.path)


def test_a_pack_signed_by_another_key_is_refused_until_the_member_accepts_it(
        secretariat_db, passphrase_file, tmp_path, capsys, monkeypatch):
    db, meeting_id = secretariat_db
    _export(db, meeting_id, tmp_path / "v1", passphrase_file)
    member = tmp_path / "medlem"
    impostor = tmp_path / "anden-udgiver"
    home = os.environ["KKRDESK_DATA_DIR"]
    monkeypatch.setenv("KKRDESK_DATA_DIR", str(member))
    code, _out, err = _run(capsys, "--passphrase-file", str(passphrase_file), "meeting", "install",
                           str(_members_pack(tmp_path / "v1")))
    assert code == 0 and "fingeraftryk" in err                        # trusted on first use, fingerprint shown
    monkeypatch.setenv("KKRDESK_DATA_DIR", str(impostor))              # another computer, another key
    _export(db, meeting_id, tmp_path / "v2", passphrase_file)
    capsys.readouterr()
    monkeypatch.setenv("KKRDESK_DATA_DIR", str(member))
    forged = _members_pack(tmp_path / "v2")
    code, _out, err = _run(capsys, "--passphrase-file", str(passphrase_file), "meeting", "install", str(forged))
    assert code == 1 and err.count("\n") == 1 and "anden nøgle" in err
    code, _out, err = _run(capsys, "--passphrase-file", str(passphrase_file), "meeting", "install",
                           "--accept-new-key", str(forged))
    assert code == 0 and "version 2" in err
    monkeypatch.setenv("KKRDESK_DATA_DIR", home)


def test_the_signing_key_backup_command(tmp_path, capsys):
    code, out, _err = _run(capsys, "key", "show")
    assert code == 0 and len(out.split()) == 8
    code, _out, err = _run(capsys, "key", "export", str(tmp_path / "nøgle.pem"))
    assert code == 0 and (tmp_path / "nøgle.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY")


def test_the_members_install_index_names_no_closed_item_and_needs_no_passphrase(
        sealed_folder, passphrase_file, capsys, monkeypatch):
    """The plain index beside the installed packs must not hold a closed title, and change marks must
    work in a later run that has no passphrase at hand."""
    from kkrdesk.data import sealed_store
    from kkrdesk.data.pack_install import change_marks, installed_packs, packs_dir

    pack = _members_pack(sealed_folder)
    code, _out, _err = _run(capsys, "--passphrase-file", str(passphrase_file), "meeting", "install", str(pack))
    assert code == 0
    for path in packs_dir().iterdir():
        assert CANARY.encode() not in path.read_bytes(), path.name
    monkeypatch.setattr(sealed_store, "_passphrase_file", None)
    for name in ("_remembered", "_session_passphrases"):
        if hasattr(sealed_store, name):
            monkeypatch.setattr(sealed_store, name, {})
    [entry] = installed_packs()
    assert change_marks(entry.meeting_key) == {}


def test_a_failed_first_install_does_not_trust_the_sender_silently(sealed_folder, passphrase_file, tmp_path,
                                                                     capsys, monkeypatch):
    """Without the passphrase nothing is installed and no key is trusted: the successful install after
    it still shows the fingerprint to compare."""
    from kkrdesk.data.signing import trusted_keys

    monkeypatch.setenv("KKRDESK_DATA_DIR", str(tmp_path / "medlem"))
    pack = _members_pack(sealed_folder)
    code, _out, err = _run(capsys, "meeting", "install", str(pack))
    assert code == 1 and "angiv adgangskoden" in err
    assert trusted_keys() == {}
    code, _out, err = _run(capsys, "--passphrase-file", str(passphrase_file), "meeting", "install", str(pack))
    assert code == 0 and "fingeraftryk" in err
