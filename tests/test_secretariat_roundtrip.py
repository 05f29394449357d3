"""The whole round trip: prepare a meeting, publish it, a member reads and notes, a new version arrives."""

import os

from pypdf import PdfReader

from kkrdesk.data import queries
from kkrdesk.data.meetings import add_item, attach_file, create_meeting, update_item
from kkrdesk.data.notes import NotesStore, item_key, resolve_key
from kkrdesk.data.pack_install import change_marks, install_pack
from kkrdesk.data.packs import open_pack, read_pack_info
from kkrdesk.data.sealed_store import plain_bytes
from kkrdesk.data.store import open_store
from kkrdesk.publish import export_meeting
from tests.conftest import CONTRACT_2019, REPORT_2022, TEST_PASSPHRASE

SECRET_TITLE = "Fortrolig personalesag Blomqvistsen"
SECRET_SENTENCE = "Direktøren Blomqvistsen fratræder efter aftale med Zyxwquartz-udvalget den 1. marts."
SECRET_BILAG = "Fratrædelsesaftalen indeholder en godtgørelse på Qwplonkbeløb til direktøren."
CONTRACT_WORD = "omstillingssår"    # resultatkontrakt-2019 l.80, a typo found nowhere else in the corpus


def _pdf_text(path) -> str:
    reader = PdfReader(str(path))
    if reader.is_encrypted:            # the members' PDF is sealed with the secretariat's passphrase (#18)
        reader.decrypt(TEST_PASSPHRASE)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _secrets() -> list[bytes]:
    """The sentences as stored text, and single words as the FTS index would hold them (folded)."""
    texts = [SECRET_TITLE, SECRET_SENTENCE, SECRET_BILAG, "zyxwquartz", "qwplonkbeløb", "blomqvistsen",
             CONTRACT_WORD, CONTRACT_WORD.lower()]
    return [t.encode("utf-8") for t in texts]


def test_round_trip_publish_note_republish(tmp_path, monkeypatch):
    secret_file = tmp_path / "fratraedelse.txt"
    secret_file.write_text(f"Notat om fratrædelse\n\n{SECRET_BILAG}\n", encoding="utf-8")

    secretariat = open_store(tmp_path / "sekretariat.sqlite")
    meeting_id = create_meeting(secretariat, "KKR Nordjylland – møde", "2026-12-03", "Aalborg")
    report = add_item(secretariat, meeting_id, "1", "Afrapportering 2022",
                      indstilling="Sekretariatet indstiller, at KKR tager afrapporteringen til efterretning.")
    add_item(secretariat, meeting_id, "2", "Siden sidst", sagsfremstilling="Orientering om breve.")
    closed = add_item(secretariat, meeting_id, "3", SECRET_TITLE, sagsfremstilling=SECRET_SENTENCE)
    attach_file(secretariat, report, REPORT_2022)
    attach_file(secretariat, closed, secret_file)
    attach_file(secretariat, closed, CONTRACT_2019)   # a whole corpus document under the closed item
    update_item(secretariat, closed, access="lukket")

    v1 = export_meeting(secretariat, meeting_id, tmp_path / "v1", published="2026-12-01T10:00:00+01:00")
    assert v1.version == 1
    assert sorted(p.name for p in (tmp_path / "v1").iterdir()) == sorted(p.name for p in v1.files)
    assert "offentlig" in v1.public_pack.name and "offentlig" in v1.public_pdf.name

    # The public files hold none of the closed item's content; the full ones do (so the check means something).
    data = v1.public_pack.read_bytes()
    for secret in _secrets():
        assert secret not in data, secret
    full = plain_bytes(v1.pack)
    assert SECRET_SENTENCE.encode() not in v1.pack.read_bytes()      # sealed at rest (#18)
    assert SECRET_SENTENCE.encode() in full and SECRET_BILAG.encode() in full and CONTRACT_WORD.encode() in full
    public_text, full_text = _pdf_text(v1.public_pdf), _pdf_text(v1.briefing_pdf)
    assert "Zyxwquartz" in full_text and "Blomqvistsen" in full_text
    for word in ("Zyxwquartz", "Blomqvistsen", "Qwplonk", CONTRACT_WORD):
        assert word not in public_text, word

    # A board member, fresh profile: installs version 1, writes a note on item 1, stars item 2.
    secretariat_dir = os.environ["KKRDESK_DATA_DIR"]     # its signing key lives there (#18)
    monkeypatch.setenv("KKRDESK_DATA_DIR", str(tmp_path / "member"))
    first = install_pack(v1.pack)
    assert first.previous_version is None and first.changes == []
    pack = open_pack(first.path)
    info = read_pack_info(pack.db)
    assert info.label == "Udgivet 1. december 2026, version 1"
    meeting = queries.get_meeting(pack.db, info.meeting_id)
    assert [i["number"] for i in meeting["items"]] == ["1", "2", "3"]
    notes = NotesStore()
    note_key = item_key(meeting, "1")
    notes.set_text(note_key, "Spørg til målopfyldelsen for mål 3", title="Afrapportering 2022")
    notes.set_starred(item_key(meeting, "2"), True)
    notes.close()
    pack.close()

    # The secretariat changes item 1, adds item 4 and publishes version 2 (on its own computer).
    monkeypatch.setenv("KKRDESK_DATA_DIR", secretariat_dir)
    update_item(secretariat, report, indstilling="Sekretariatet indstiller, at KKR godkender afrapporteringen.")
    add_item(secretariat, meeting_id, "4", "Eventuelt")
    v2 = export_meeting(secretariat, meeting_id, tmp_path / "v2")
    assert v2.version == 2
    for secret in _secrets():
        assert secret not in v2.public_pack.read_bytes()
    secretariat.close()

    monkeypatch.setenv("KKRDESK_DATA_DIR", str(tmp_path / "member"))
    second = install_pack(v2.pack)
    assert second.path == first.path and second.previous_version == 1
    assert {(c.number, c.status) for c in second.changes} == {("1", "Ændret"), ("4", "Ny")}
    assert change_marks(info.meeting_key) == {"1": "Ændret", "4": "Ny"}

    pack = open_pack(second.path)
    assert read_pack_info(pack.db).version == 2
    meeting = queries.get_meeting(pack.db, info.meeting_id)
    assert meeting["items"][0]["indstilling"] == "Sekretariatet indstiller, at KKR godkender afrapporteringen."
    notes = NotesStore()
    assert notes.get(note_key).text == "Spørg til målopfyldelsen for mål 3"
    assert notes.get(item_key(meeting, "2")).starred
    assert resolve_key(pack.db, note_key) == ("item", meeting["items"][0]["id"])
    notes.close()
    pack.close()
