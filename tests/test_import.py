import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kkrdesk.data.store import open_store
from kkrdesk.ingest.importer import import_file
from kkrdesk.ingest.readers import ImportProblem, read_document
from tests.conftest import BUNDLE_2024, CONTRACT_2019, MEETING_PACK


def make_pdf(path: Path, lines: list[str] | None, *, encrypt: str | None = None) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=encrypt)
    if lines is None:
        c.rect(100, 100, 200, 200, fill=1)  # a page with no text layer
    else:
        y = 800
        for text in lines:
            c.drawString(72, y, text)
            y -= 14
    c.showPage()
    c.save()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def file_store(tmp_path):
    path = tmp_path / "store.sqlite"
    s = open_store(path)
    import_file(s, CONTRACT_2019)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    yield s, path
    s.close()


def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "tom.txt"
    empty.write_text("")
    random_bytes = tmp_path / "stoej.txt"
    random_bytes.write_bytes(os.urandom(2048) + b"\x00\xff\xfe")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Brønderslev og Læsø".encode("latin-1"))
    corrupt = tmp_path / "ødelagt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    docx = tmp_path / "ødelagt.docx"
    docx.write_bytes(b"PK\x03\x04 not really a zip")
    unknown = tmp_path / "regneark.xlsx"
    unknown.write_bytes(b"whatever")
    return {
        "empty": empty,
        "random": random_bytes,
        "latin1": latin1,
        "corrupt_pdf": corrupt,
        "encrypted_pdf": make_pdf(tmp_path / "krypteret.pdf", ["Hemmelig tekst"], encrypt="hemmeligt"),
        "no_text_pdf": make_pdf(tmp_path / "scannet.pdf", None),
        "corrupt_docx": docx,
        "unknown": unknown,
        "missing": tmp_path / "findes-ikke.txt",
    }


EXPECTED_REASON = {
    "empty": "tom",
    "random": "tekst",
    "latin1": "UTF-8",
    "corrupt_pdf": "PDF",
    "encrypted_pdf": "krypteret",
    "no_text_pdf": "intet tekstlag",
    "corrupt_docx": "Word",
    "unknown": "ukendt filtype",
    "missing": "findes ikke",
}


@pytest.mark.parametrize("case", list(EXPECTED_REASON))
def test_bad_input_is_one_line_and_leaves_store_unchanged(case, tmp_path, file_store):
    store, path = file_store
    bad = bad_inputs(tmp_path)[case]
    before = digest(path)
    counts = store.db["documents"].count
    with pytest.raises(ImportProblem) as info:
        import_file(store, bad)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(bad.name + ":")
    assert EXPECTED_REASON[case] in message
    assert store.db["documents"].count == counts
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert digest(path) == before


def test_failure_inside_the_transaction_rolls_back(monkeypatch, file_store):
    store, path = file_store
    import kkrdesk.ingest.importer as importer

    def broken(*args, **kwargs):
        raise RuntimeError("boom midway")

    monkeypatch.setattr(importer, "_write_sections", broken)     # the last write of the transaction
    before = {t: store.db[t].count for t in ("documents", "sections", "meetings")}
    with pytest.raises(ImportProblem):
        import_file(store, MEETING_PACK)
    assert {t: store.db[t].count for t in before} == before


def test_same_file_twice_changes_nothing(tmp_path, file_store):
    store, path = file_store
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(path)
    result = import_file(store, CONTRACT_2019)
    assert result.skipped
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert digest(path) == before
    copy = tmp_path / "kopi.txt"
    copy.write_bytes(CONTRACT_2019.read_bytes())
    assert import_file(store, copy).skipped  # same bytes under another name


def test_meeting_pack_import_builds_meeting_items_and_bilag(store):
    result = import_file(store, MEETING_PACK)
    assert result.kind == "meeting-pack" and result.parts == 16
    assert store.db["meetings"].count == 1
    assert store.db["agenda_items"].count == 9
    assert store.db["bilag"].count == 16
    row = store.conn.execute(
        "SELECT b.title, d.kind, d.line_start FROM bilag b JOIN documents d ON d.id = b.document_id "
        "JOIN agenda_items a ON a.id = b.agenda_item_id WHERE a.number = '3.4' AND b.number = '1'"
    ).fetchone()
    assert row == ("Resultatkontrakt 2021 for ERHN", "contract", 2200)


def test_joined_file_becomes_parts_with_kinds(store):
    result = import_file(store, BUNDLE_2024)
    assert result.parts == 7
    parts = store.conn.execute(
        "SELECT kind, line_start FROM documents WHERE parent_id = ? ORDER BY part_index", (result.document_id,)
    ).fetchall()
    assert parts[0] == ("report", 1)
    assert [p[1] for p in parts] == [1, 1615, 1690, 1903, 2184, 2238, 2367]


def test_kind_override(store):
    result = import_file(store, CONTRACT_2019, kind="document")
    assert store.conn.execute("SELECT kind FROM documents WHERE id = ?", (result.document_id,)).fetchone()[0] == "document"


def test_pdf_and_docx_readers(tmp_path):
    pdf = make_pdf(tmp_path / "brev.pdf", ["Kære Læsø Kommune", "Vi støtter pædagogdimensioneringen."])
    assert "Læsø" in read_document(pdf) and "pædagogdimensioneringen" in read_document(pdf)

    import docx

    document = docx.Document()
    document.add_paragraph("Før tabellen")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Kommune", "Pladser"
    table.cell(1, 0).text, table.cell(1, 1).text = "Aalborg", "98"
    document.add_paragraph("Efter tabellen")
    path = tmp_path / "notat.docx"
    document.save(path)
    text = read_document(path)
    assert text.index("Før tabellen") < text.index("Aalborg\t98") < text.index("Efter tabellen")


def test_pdf_import_end_to_end(tmp_path, store):
    pdf = make_pdf(tmp_path / "notat.pdf", ["Notat om SOSU", "", "1. Baggrund", "Teksten om lærepladser."])
    result = import_file(store, pdf)
    assert not result.skipped
    from kkrdesk.data.search import search

    assert search(store.db, "lærepladser")[0].document == "notat.pdf"


def test_cli_bad_input_exits_nonzero_without_traceback(tmp_path):
    bad = tmp_path / "tom.txt"
    bad.write_text("")
    db = tmp_path / "cli.sqlite"
    proc = subprocess.run(
        [sys.executable, "-m", "kkrdesk", "--db", str(db), "import", str(bad)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert "tom.txt" in proc.stderr
