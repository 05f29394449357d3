"""Closed means closed on every public path (#16, point 1): one filter at the source (data/access.py).

A canary word sits in a closed item's title and text, in the name of a file attached to it and in that
file's content (a pædagog notat whose figures feed the theme, and a contract whose goals feed another);
no public artefact — JSON, meeting/theme/contract PDF, public .kkrpack — may carry it or their numbers.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from pypdf import PdfReader

from kkrdesk.briefing.readback import outline_titles, page_texts
from kkrdesk.cli import main
from kkrdesk.data import meetings
from kkrdesk.data.store import open_store
from tests.conftest import CONTRACT_2019

CANARY = "KANARIE7Q"
SECRET_PLACES = "987"          # the closed notat's number of study places


def _flat_pdf(path) -> str:
    reader = PdfReader(str(path))
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    outline = " ".join(title for _level, title in outline_titles(path))
    return re.sub(r"\s+", " ", " ".join(page_texts(path)) + " " + meta + " " + outline)


@pytest.fixture
def closed_db(corpus_db_path, tmp_path):
    """The corpus plus a meeting whose closed item carries the canary in every place it can."""
    db = tmp_path / "lager.sqlite"
    shutil.copy(corpus_db_path, db)
    notat = tmp_path / f"{CANARY}-paedagog-notat.txt"
    notat.write_text(
        f"Notat om pædagoguddannelsen {CANARY}\n\nKKR godkendte på mødet d. 4. februar 2026 en\n"
        f"dimensionering på {SECRET_PLACES} studerende for studieåret 2026/27.\n"
        "Pædagoguddannelsen og pædagogerne: pædagogdimensioneringen drøftes igen.\n",
        encoding="utf-8")
    contract = tmp_path / f"{CANARY}-kontrakt.txt"
    contract.write_text(CONTRACT_2019.read_text(encoding="utf-8").replace(
        "Resultatkontrakt", f"Resultatkontrakt {CANARY}", 1), encoding="utf-8")
    store = open_store(db)
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-03", "Aalborg")
    meetings.add_item(store, meeting_id, "1", "Godkendelse af dagsorden", sagsfremstilling="Åben tekst.")
    closed = meetings.add_item(store, meeting_id, "2", f"Pædagogdimensionering {CANARY}", access="lukket",
                               sagsfremstilling=f"Fortrolig sag om pædagoger {CANARY}")
    meetings.attach_file(store, closed, notat)
    meetings.attach_file(store, closed, contract)
    from kkrdesk.data.themes import retag_all

    retag_all(store.db)
    store.close()
    return db, meeting_id


def _cli_out(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_the_full_store_does_show_the_closed_content(closed_db, capsys):
    """Guard for the test itself: the canary is really there for a reader with access."""
    db, meeting_id = closed_db
    assert CANARY in _cli_out(capsys, "--db", str(db), "show", "theme", "paedagog", "--json")
    assert CANARY in _cli_out(capsys, "--db", str(db), "show", "meeting", str(meeting_id), "--json")


def test_public_json_never_carries_the_canary(closed_db, capsys):
    db, meeting_id = closed_db
    for theme in ("paedagog", "erhvervshus"):
        out = _cli_out(capsys, "--db", str(db), "show", "theme", theme, "--public", "--json")
        assert CANARY not in out
        thread = json.loads(out)
        assert all(item["title"] != "Lukket punkt" for item in thread["items"])   # not even listed
    paedagog = json.loads(_cli_out(capsys, "--db", str(db), "show", "theme", "paedagog", "--public", "--json"))
    assert paedagog["items"] and all(i["meeting_id"] != meeting_id for i in paedagog["items"])
    meeting = _cli_out(capsys, "--db", str(db), "show", "meeting", str(meeting_id), "--public", "--json")
    assert CANARY not in meeting and "Lukket punkt" in meeting
    full = {t["key"]: t["items"] for t in json.loads(_cli_out(capsys, "--db", str(db), "themes", "--json"))}
    public = {t["key"]: t["items"] for t in json.loads(_cli_out(capsys, "--db", str(db), "themes", "--public",
                                                                "--json"))}
    assert public["paedagog"] == full["paedagog"] - 1      # the closed item's theme tag does not count


def test_public_theme_packs_leave_out_the_closed_bilag_figures_and_goals(closed_db, tmp_path, capsys):
    db, _ = closed_db
    full = tmp_path / "fuld.pdf"
    _cli_out(capsys, "--db", str(db), "pack", "--theme", "paedagog", "-o", str(full))
    assert SECRET_PLACES in _flat_pdf(full)
    out = tmp_path / "paedagog.pdf"
    _cli_out(capsys, "--db", str(db), "pack", "--theme", "paedagog", "--public", "-o", str(out))
    text = _flat_pdf(out)
    assert CANARY not in text and SECRET_PLACES not in text
    assert "517" in text                                  # the open meeting's figures are still there
    erhverv = tmp_path / "erhverv.pdf"
    _cli_out(capsys, "--db", str(db), "pack", "--theme", "erhvervshus", "--public", "-o", str(erhverv))
    assert CANARY not in _flat_pdf(erhverv)
    meeting = tmp_path / "moede.pdf"
    _cli_out(capsys, "--db", str(db), "pack", "--meeting", str(closed_db[1]), "--public", "-o", str(meeting))
    assert CANARY not in _flat_pdf(meeting) and "Lukket punkt" in _flat_pdf(meeting)
    contract = tmp_path / "kontrakt.pdf"
    _cli_out(capsys, "--db", str(db), "pack", "--contract", "2019", "--public", "-o", str(contract))
    assert CANARY not in _flat_pdf(contract)


def test_goals_of_a_closed_contract_do_not_count_in_public(closed_db):
    from kkrdesk.data.contracts.repo import list_contracts
    from kkrdesk.data.themes import find_theme, theme_goals

    db, _ = closed_db
    store = open_store(db)
    try:
        full = theme_goals(store.db, find_theme("erhvervshus"))
        public = theme_goals(store.db, find_theme("erhvervshus"), public=True)
        assert len(public) < len(full)
        assert [c["file_name"] for c in list_contracts(store.db, 2019, public=True)] == ["resultatkontrakt-2019.txt"]
    finally:
        store.close()


def test_exported_public_files_never_carry_the_canary(closed_db, tmp_path, capsys):
    db, meeting_id = closed_db
    folder = tmp_path / "mappe"
    _cli_out(capsys, "--db", str(db), "meeting", "export", str(meeting_id), "--out", str(folder))
    public = sorted(folder.glob("*offentlig*"))
    assert len(public) == 2
    for path in public:
        assert CANARY.encode() not in path.read_bytes()
        assert CANARY.encode("utf-16-le") not in path.read_bytes()
    pdf = next(p for p in public if p.suffix == ".pdf")
    assert CANARY not in _flat_pdf(pdf)
    full_pack = next(p for p in folder.glob("*.kkrpack") if "offentlig" not in p.name)
    # The members' pack has it (the check can fail), sealed: readable only with the passphrase (#18).
    assert CANARY.encode() not in full_pack.read_bytes()
    from kkrdesk.data.packs import open_pack

    members = open_pack(full_pack)
    try:
        assert CANARY in str(members.conn.execute("SELECT title FROM agenda_items").fetchall())
    finally:
        members.close()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def _exported(closed_db, tmp_path, capsys):
    db, meeting_id = closed_db
    folder = tmp_path / "mappe"
    _cli_out(capsys, "--db", str(db), "meeting", "export", str(meeting_id), "--out", str(folder))
    public = next(folder.glob("*-offentlig.kkrpack"))
    full = next(p for p in folder.glob("*.kkrpack") if p != public)
    return db, meeting_id, full, public


def test_notes_on_a_closed_item_never_print_from_a_public_pack(closed_db, tmp_path, capsys):
    """Point 9: `--with-notes` without `--public` on a public pack printed the member's note on a closed item."""
    from kkrdesk.data import queries
    from kkrdesk.data.notes import NotesStore, item_key

    db, meeting_id, _full, public = _exported(closed_db, tmp_path, capsys)
    store = open_store(db)
    meeting = queries.get_meeting(store.db, meeting_id)
    store.close()
    notes = NotesStore()
    notes.set_text(item_key(meeting, "2"), "Min hemmelige note NOTEKANARIE")
    notes.set_text(item_key(meeting, "1"), "Min åbne note")
    notes.close()
    out = tmp_path / "med-noter.pdf"
    _cli_out(capsys, "--db", str(public), "pack", "--meeting", str(meeting_id), "--with-notes", "-o", str(out))
    text = _flat_pdf(out)
    assert "Min åbne note" in text
    assert "NOTEKANARIE" not in text


def test_a_public_pack_does_not_replace_an_installed_full_pack(closed_db, tmp_path, capsys):
    """Point 9: a public pack of the same version replaced the member's full pack (closed items gone)."""
    from kkrdesk.data.pack_install import installed_packs

    _db, _meeting_id, full, public = _exported(closed_db, tmp_path, capsys)
    _cli_out(capsys, "meeting", "install", str(full))
    assert main(["meeting", "install", str(public)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and public.name in err
    [entry] = installed_packs()
    assert entry.public is False
    from kkrdesk.data.sealed_store import plain_bytes

    assert CANARY.encode() in plain_bytes(entry.path)


def test_figures_and_goals_public_leave_out_the_closed_bilag(closed_db, capsys):
    db, _ = closed_db
    full = json.loads(_cli_out(capsys, "--db", str(db), "figures", "--dataset", "paedagog-dimensionering", "--json"))
    assert any(CANARY in row["source"]["document"] or row["value"] == int(SECRET_PLACES) for row in full)
    public = _cli_out(capsys, "--db", str(db), "figures", "--dataset", "paedagog-dimensionering", "--public", "--json")
    assert CANARY not in public and all(row["value"] != int(SECRET_PLACES) for row in json.loads(public))
    assert CANARY in _cli_out(capsys, "--db", str(db), "goals", "--year", "2019", "--json")
    assert CANARY not in _cli_out(capsys, "--db", str(db), "goals", "--year", "2019", "--public", "--json")
