"""#15 point 1: every imported file's own bytes are kept, content-addressed, and come back unchanged."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from kkrdesk.cli import main
from kkrdesk.data.originals import original_bytes, original_info, pack_original_bytes, page_of_line
from kkrdesk.data.store import open_store
from kkrdesk.ingest.importer import import_file
from tests.conftest import TEST_PASSPHRASE
from tests.original_docs import THREE_PAGES, canvas_pdf, docx_file, platypus_pdf


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("make", [canvas_pdf, platypus_pdf, docx_file], ids=["canvas", "platypus", "docx"])
def test_original_comes_back_byte_identical(make, tmp_path, capsys):
    suffix = ".docx" if make is docx_file else ".pdf"
    source = make(tmp_path / f"bilag{suffix}", THREE_PAGES)
    db = tmp_path / "s.sqlite"
    code, _, err = run(capsys, "--db", db, "import", source)
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "list", "documents", "--json")
    (doc,) = json.loads(out)
    assert doc["file_name"] == source.name and doc["has_original"] is True and doc["kind"]
    assert doc["pages"] == (3 if suffix == ".pdf" else None)
    target = tmp_path / "ud" / f"igen{suffix}"
    target.parent.mkdir()
    code, _, err = run(capsys, "--db", db, "original", doc["id"], "-o", target)
    assert code == 0, err
    assert target.read_bytes() == source.read_bytes()
    assert [p.name for p in target.parent.iterdir()] == [target.name]   # no temp file left


def test_text_original_is_stored_once_and_compressed(store, tmp_path):
    text = "Linje om kommunerne og deres samarbejde.\n" * 400
    first = tmp_path / "a.txt"
    first.write_text(text, encoding="utf-8")
    result = import_file(store, first)
    again = tmp_path / "kopi.txt"
    again.write_bytes(first.read_bytes())
    assert import_file(store, again).skipped          # same bytes: one document, one original
    size, stored = store.conn.execute("SELECT size, length(data) FROM originals").fetchone()
    assert store.conn.execute("SELECT COUNT(*) FROM originals").fetchone()[0] == 1
    assert size == len(text.encode()) and stored < size / 10
    info = original_info(store.db, result.document_id)
    assert info["sha256"] == hashlib.sha256(text.encode()).hexdigest() and info["format"] == "text"
    assert original_bytes(store.db, result.document_id) == text.encode()


@pytest.mark.parametrize("make", [canvas_pdf, docx_file], ids=["pdf", "docx"])
def test_the_original_kept_is_the_file_as_it_was_read(make, store, tmp_path):
    """The original is packed from the bytes that were hashed and parsed (a batch's worker packs it),
    so a file changed on disk before its transaction does not put another file's bytes in the store."""
    from kkrdesk.ingest.importer import prepare_file, write_prepared

    source = make(tmp_path / ("bilag.docx" if make is docx_file else "bilag.pdf"), THREE_PAGES)
    read_bytes = source.read_bytes()
    prepared = prepare_file(source)
    source.write_bytes("ikke den fil, der blev læst".encode())
    result = write_prepared(store, prepared)
    assert original_bytes(store.db, result.document_id) == read_bytes
    info = original_info(store.db, result.document_id)
    assert info["sha256"] == hashlib.sha256(read_bytes).hexdigest()
    assert info["pages"] == (3 if make is canvas_pdf else None)


def test_lines_map_to_their_pdf_page(store, tmp_path):
    pdf = canvas_pdf(tmp_path / "tre.pdf", THREE_PAGES)
    result = import_file(store, pdf)
    from kkrdesk.data.texts import original_text  # stored compressed (#20.2)

    text = original_text(store.conn, result.document_id)
    line = next(i for i, t in enumerate(text.split("\n"), start=1) if "Gnavertal" in t)
    assert page_of_line(store.db, result.document_id, line) == 2
    first = next(i for i, t in enumerate(text.split("\n"), start=1) if "baggrunden" in t)
    assert page_of_line(store.db, result.document_id, first) == 1


def test_original_of_unknown_document_is_one_line(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    code, _, err = run(capsys, "--db", db, "original", 99, "-o", tmp_path / "x.pdf")
    assert code == 1 and err == "kkrdesk: intet dokument med id 99\n"


def _meeting_with_closed_canary(tmp_path, capsys):
    db = tmp_path / "sek.sqlite"
    open_pdf = canvas_pdf(tmp_path / "aaben.pdf", THREE_PAGES)
    canary = canvas_pdf(tmp_path / "lukket.pdf", [["Fortroligt", "Kanariefuglen Zyxwvu synger her."]],
                        compress=False)
    _, out, _ = run(capsys, "--db", db, "meeting", "new", "--title", "KKR Nordjylland – møde", "--date", "2026-12-03")
    meeting = int(out)
    _, out, _ = run(capsys, "--db", db, "meeting", "add-item", meeting, "--number", "1", "--title", "Lærepladser")
    open_item = int(out)
    _, out, _ = run(capsys, "--db", db, "meeting", "add-item", meeting, "--number", "2", "--title", "Personsag",
                    "--closed")
    closed_item = int(out)
    assert run(capsys, "--db", db, "meeting", "attach", open_item, open_pdf)[0] == 0
    assert run(capsys, "--db", db, "meeting", "attach", closed_item, canary)[0] == 0
    # done when: the attached PDF bilag comes back byte-identical from `original`
    _, out, _ = run(capsys, "--db", db, "list", "documents", "--json")
    doc = next(d for d in json.loads(out) if d["file_name"] == "aaben.pdf")
    assert doc["has_original"] and doc["pages"] == 3
    back = tmp_path / "tilbage.pdf"
    assert run(capsys, "--db", db, "original", doc["id"], "-o", back)[0] == 0
    assert back.read_bytes() == open_pdf.read_bytes()
    folder = tmp_path / "mappe"
    code, _, err = run(capsys, "--db", db, "meeting", "export", meeting, "--out", folder)
    assert code == 0, err
    return folder, open_pdf, canary


def test_members_pack_carries_originals_and_public_pack_none_of_a_closed_item(tmp_path, capsys):
    folder, open_pdf, canary = _meeting_with_closed_canary(tmp_path, capsys)
    assert b"Zyxwvu" in canary.read_bytes()          # the canary is literal in its file
    members = next(folder.glob("*moede.kkrpack"))
    public = next(folder.glob("*offentlig.kkrpack"))
    blob = pack_original_bytes(canary.read_bytes())   # as the store keeps it
    from kkrdesk.data.sealed_store import plain_bytes

    assert blob not in members.read_bytes()          # sealed at rest (#18) …
    assert blob in plain_bytes(members)              # … and the members' pack holds it (positive control)
    public_bytes = public.read_bytes()
    assert blob not in public_bytes and b"Zyxwvu" not in public_bytes
    from pypdf import PdfReader

    def pdf_text(path):
        reader = PdfReader(path)
        if reader.is_encrypted:                      # the members' briefing is sealed with the passphrase
            reader.decrypt(TEST_PASSPHRASE)
        return "\n".join(page.extract_text() for page in reader.pages)

    assert "Zyxwvu" in pdf_text(next(folder.glob("*moede.pdf")))     # the members' briefing carries its pages
    public_pdf = next(folder.glob("*offentlig.pdf"))
    assert b"Zyxwvu" not in public_pdf.read_bytes() and "Zyxwvu" not in pdf_text(public_pdf)
    conn = sqlite3.connect(public)
    shas = {r[0] for r in conn.execute("SELECT sha256 FROM originals")}
    conn.close()
    assert shas == {hashlib.sha256(open_pdf.read_bytes()).hexdigest()}
    # and the open bilag comes back from the public pack byte-identical
    pack = open_store(public, read_only=True)
    try:
        doc_id = pack.conn.execute("SELECT id FROM documents WHERE file_name = 'aaben.pdf'").fetchone()[0]
        assert original_bytes(pack.db, doc_id) == open_pdf.read_bytes()
    finally:
        pack.close()


def test_page_map_from_lines_that_know_their_page():
    from kkrdesk.data.originals import page_of, page_starts_from_lines

    class L:   # the readers' Line with its page (#13)
        def __init__(self, no, page):
            self.no, self.page = no, page

    lines = [L(1, 1), L(2, 1), L(5, 2), L(6, 2), L(9, 4)]       # page 3 has no text
    starts = page_starts_from_lines(lines, 4)
    assert [page_of(starts, n) for n in (1, 2, 5, 6, 9)] == [1, 1, 2, 2, 4]
    assert page_starts_from_lines([L(1, None)], 2) is None      # a reader without pages: read them again
