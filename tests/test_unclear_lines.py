"""The other tracebacks and unclear lines of #16, point 7: each one line now, or read as it should be."""

from __future__ import annotations

import io
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kkrdesk.cli import main
from kkrdesk.data.store import open_store

TEXT = "Notat om samarbejdet i KKR Nordjylland\n\nKommunerne og regionen drøfter pædagoguddannelsen.\n"


def _one_line(capsys, *names: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for name in names:
        assert name in err, err
    return err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read(tmp_path, capsys, encoding):
    path = tmp_path / "notat.txt"
    path.write_bytes(TEXT.encode(encoding))
    db = tmp_path / "lager.sqlite"
    assert main(["--db", str(db), "import", str(path)]) == 0
    store = open_store(db)
    try:
        from kkrdesk.data.texts import original_text  # stored compressed (#20.2)

        text = original_text(store.conn, store.conn.execute("SELECT id FROM documents").fetchone()[0])
    finally:
        store.close()
    assert "drøfter pædagoguddannelsen" in text


def _pdf(encrypt: str | None) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Notat om samarbejdet i KKR Nordjylland")
    pdf.drawString(72, 700, "Kommunerne drøfter pædagoguddannelsen.")
    pdf.save()
    if encrypt is None:
        return buffer.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.encrypt("", owner_password="ejer", algorithm=encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_an_aes_pdf_with_an_empty_password_is_read(tmp_path, capsys, algorithm):
    path = tmp_path / "aes.pdf"
    path.write_bytes(_pdf(algorithm))
    assert main(["--db", str(tmp_path / "lager.sqlite"), "import", str(path)]) == 0
    err = capsys.readouterr().err
    assert "DependencyError" not in err and "importeret" in err


def test_pypdf_warnings_add_no_lines(tmp_path):
    """In a real process (pytest's own log capture would hide what pypdf logs on stderr)."""
    data = _pdf(None)
    start = data.rindex(b"startxref")
    damaged = data[:start] + b"startxref\n" + str(int(data[start + 10:].split()[0]) + 7).encode() + b"\n%%EOF\n"
    path = tmp_path / "skaev-xref.pdf"
    path.write_bytes(damaged)
    done = subprocess.run([sys.executable, "-c", "import sys; from kkrdesk.cli import main; sys.exit(main(sys.argv[1:]))",
                           "--db", str(tmp_path / "lager.sqlite"), "import", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert done.stderr.count("\n") == 1 and "importeret" in done.stderr, done.stderr


def test_a_file_in_an_unreadable_folder_is_one_line(tmp_path, capsys, monkeypatch):
    """As root chmod does not stop reading, so the PermissionError that Path.exists/stat raises is simulated."""
    path = tmp_path / "laast" / "notat.txt"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    real_stat = os.stat

    def stat(target, *args, **kwargs):
        if str(target).startswith(str(path.parent)):
            raise PermissionError(13, "Permission denied", str(target))
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setenv("KKRDESK_PARSE_IN_PROCESS", "1")
    db = tmp_path / "lager.sqlite"
    assert main(["--db", str(db), "import", str(path)]) == 1
    _one_line(capsys, "notat.txt", "ingen adgang")
    open_store(db).close()
    item = _item(db)
    assert main(["--db", str(db), "meeting", "attach", str(item), str(path)]) == 1
    _one_line(capsys, "notat.txt", "ingen adgang")
    assert main(["--db", str(db), "meeting", "set-item", str(item), "--text-file", str(path)]) == 1
    _one_line(capsys, "notat.txt", "ingen adgang")


def _item(db: Path) -> int:
    from kkrdesk.data import meetings

    store = open_store(db)
    try:
        meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
        return meetings.add_item(store, meeting_id, "1", "Punkt")
    finally:
        store.close()


def test_a_folder_as_db_is_one_line(tmp_path, capsys):
    assert main(["--db", str(tmp_path), "list", "meetings"]) == 1
    _one_line(capsys, tmp_path.name, "mappe")


def test_search_on_a_damaged_store_is_one_line(tmp_path, capsys):
    db = tmp_path / "lager.sqlite"
    path = tmp_path / "notat.txt"
    path.write_text(TEXT * 50, encoding="utf-8")
    assert main(["--db", str(db), "import", str(path)]) == 0
    conn = sqlite3.connect(str(db))
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("UPDATE sections_fts_data SET block = zeroblob(length(block)) WHERE id > 1")
    conn.commit()
    conn.close()
    capsys.readouterr()
    code = main(["--db", str(db), "search", "pædagoguddannelsen"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") <= 1
    if code:
        assert db.name in err


def _die_mid_transaction(db: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")      # pages spill into the file: the journal is hot
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta (key, value) VALUES ('halv', ?)", ("x" * 1_000_000,))
    conn.execute("UPDATE documents SET title = 'halvt skrevet'")
    os._exit(0)   # killed: the rollback journal stays behind, hot


def test_a_hot_journal_is_rolled_back_not_called_a_foreign_file(tmp_path, capsys):
    db = tmp_path / "lager.sqlite"
    path = tmp_path / "notat.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["--db", str(db), "import", str(path)]) == 0
    conn = sqlite3.connect(str(db))
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA cache_size = 1")
    conn.close()
    child = multiprocessing.get_context("fork").Process(target=_die_mid_transaction, args=(str(db),))
    child.start()
    child.join(timeout=60)
    assert Path(f"{db}-journal").exists()                  # really a hot journal
    from kkrdesk.data.store import StoreError

    with pytest.raises(StoreError, match="afbrudt") as caught:
        open_store(db, read_only=True)                      # read-only cannot roll it back: says so
    assert "ikke et kkrdesk-lager" not in str(caught.value)
    capsys.readouterr()
    assert main(["--db", str(db), "list", "documents"]) == 0
    out = capsys.readouterr()
    assert "halvt skrevet" not in out.out and "ikke et kkrdesk-lager" not in out.err
