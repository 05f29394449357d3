"""Fuzz corpus (#16, "Done when"): ≥ 50 hostile files and ≥ 20 doctored packs, all built here.

For every input, run through the CLI in a forked child under a 1 GB address-space limit:
non-zero exit, exactly one line on stderr naming the file and the reason, no traceback,
at most 20 s, and the store given as --db byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import random
import resource
import shutil
import sqlite3
import sys
import time
import zipfile
from pathlib import Path

import pytest

from kkrdesk.data import meetings
from kkrdesk.data.packs import build_pack
from kkrdesk.data.section_text import register
from kkrdesk.data.store import open_store

LIMIT_SECONDS = 20
LIMIT_MEMORY = 1024 * 1024 * 1024
GUARD_ENV = {"KKRDESK_PARSE_SECONDS": "8"}   # the parse limit is lowered so a hanging reader ends well within 20 s


# --- running one input ---------------------------------------------------------------------------

def _vm_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(argv: list[str], err_path: str) -> None:
    fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 2)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.stderr = open(2, "w", closefd=False, encoding="utf-8")   # noqa: SIM115
    sys.stdout = open(1, "w", closefd=False, encoding="utf-8")   # noqa: SIM115
    limit = _vm_bytes() + LIMIT_MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.update(GUARD_ENV)
    code = 3
    try:
        from kkrdesk.cli import main

        code = main(argv)
    except BaseException:   # noqa: BLE001 - a traceback is what the test looks for
        import traceback

        traceback.print_exc()
        code = 99
    finally:
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 98)


def _run(argv: list[str], err_path: Path) -> tuple[int | None, str, float]:
    proc = multiprocessing.get_context("fork").Process(target=_child, args=(argv, str(err_path)))
    start = time.monotonic()
    proc.start()
    proc.join(timeout=LIMIT_SECONDS + 10)
    elapsed = time.monotonic() - start
    if proc.exitcode is None:
        proc.kill()
        proc.join()
        return None, err_path.read_text(encoding="utf-8", errors="replace"), elapsed
    return proc.exitcode, err_path.read_text(encoding="utf-8", errors="replace"), elapsed


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(label: str, code, err: str, elapsed: float, mention: str) -> list[str]:
    problems = []
    lines = err.splitlines()
    if code in (0, None):
        problems.append(f"{label}: exit {code}")
    if "Traceback" in err or code in (98, 99):
        problems.append(f"{label}: traceback: {err[-300:]!r}")
    if len(lines) != 1:
        problems.append(f"{label}: {len(lines)} lines: {err[:300]!r}")
    elif mention not in lines[0]:
        problems.append(f"{label}: does not name {mention!r}: {lines[0]!r}")
    if elapsed > LIMIT_SECONDS:
        problems.append(f"{label}: took {elapsed:.1f} s")
    return problems


# --- the corpus --------------------------------------------------------------------------------------

def _pdf(text: str | None = "Notat om samarbejdet i KKR Nordjylland") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    if text:
        for n in range(40):
            pdf.drawString(72, 800 - n * 18, f"{text} linje {n}")
    else:
        pdf.rect(100, 100, 200, 200, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    writer.encrypt("hemmelig", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Notat om samarbejdet i KKR Nordjylland")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (4 * 1024 * 1024)
            for _ in range(size // len(block)):
                member.write(block)
    return buffer.getvalue()


def _lying_zip() -> bytes:
    """A member whose directory says 10 bytes while it inflates to 8 MB."""
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (8 * 1024 * 1024)}))
    real = (8 * 1024 * 1024).to_bytes(4, "little")
    for offset in range(len(data) - 4):
        if data[offset:offset + 4] == real:
            data[offset:offset + 4] = (10).to_bytes(4, "little")
    return bytes(data)


def _flate_bomb_pdf(size: int) -> bytes:
    import zlib

    packer = zlib.compressobj(1)
    block = b"a" * (4 * 1024 * 1024)
    stream = packer.compress(b"BT /F1 12 Tf 72 712 Td (")
    stream += b"".join(packer.compress(block) for _ in range(size // len(block)))
    stream += packer.compress(b") Tj ET") + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _looping_pdf() -> bytes:
    """A page tree whose Kids point back at itself."""
    body = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 2 >>\nendobj\n")
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _nested_pdf(depth: int) -> bytes:
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X " + b"[" * depth + b"]" * depth
            + b" >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def hostile_files(folder: Path) -> list[tuple[Path, str]]:
    """(path, text the error line must contain) for every hostile file."""
    rng = random.Random(16)
    out: list[tuple[Path, str]] = []

    def write(name: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        out.append((path, name))

    write("tom.txt", b"")
    write("mellemrum.txt", b"  \n\t\n   \n")
    write("nul.txt", b"abc\0def" * 100)
    write("ugyldig-utf8.txt", "Æblegrød ".encode("latin-1") * 50)
    write("kun-kontroltegn.md", bytes(range(1, 9)) * 200)
    write("binaer.markdown", bytes(rng.randrange(256) for _ in range(4096)))
    for n, ext in enumerate((".txt", ".md", ".pdf", ".docx", ".txt", ".pdf", ".docx")):
        write(f"tilfaeldig-{n}{ext}", bytes(rng.randrange(256) for _ in range(2048 + n * 997)))
    write("program.exe", b"MZ" + b"\0" * 100)
    write("uden-endelse", b"tekst uden endelse\n")
    write("tekst-som.pdf", b"Dette er ikke en PDF\n" * 20)
    write("tom.pdf", b"")
    write("kun-hoved.pdf", b"%PDF-1.4\n")
    write("hoved-og-stoej.pdf", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(5000)))
    write("uden-tekstlag.pdf", _pdf(None))
    write("krypteret.pdf", _encrypted_pdf())
    write("side-loekke.pdf", _looping_pdf())
    write("dybt-indlejret.pdf", _nested_pdf(5000))
    write("flate-bombe.pdf", _flate_bomb_pdf(300 * 1024 * 1024))
    good_pdf = _pdf()
    for n, cut in enumerate((9, 60, 200, 400)):
        write(f"afkortet-{n}.pdf", good_pdf[:cut])
    write("tekst-som.docx", b"Ikke en zip\n" * 20)
    write("tom-zip.docx", _zip({}))
    write("uden-dokument.docx", _zip({"[Content_Types].xml": b"<Types/>", "andet.txt": b"hej"}))
    write("zip-bombe.docx", _zip_bomb(212 * 1024 * 1024))
    write("loegnagtig-zip.docx", _lying_zip())
    write("mange-dele.docx", _zip({f"d/{n}.xml": b"" for n in range(20_500)}, level=1))
    write("ugyldig-xml.docx", _zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<<<"}))
    good_docx = _docx()
    for n, cut in enumerate((30, 400, len(good_docx) // 2)):
        write(f"afkortet-{n}.docx", good_docx[:cut])
    write("utf32.txt", "Notat om samarbejdet\n".encode("utf-32-le") * 20)
    write("linje\nskift-binaer.txt", b"\0\1\2" * 100)
    out[-1] = (out[-1][0], "linje\\nskift-binaer.txt")     # shown escaped, on one line
    # not regular files, through symlinks and directly
    for name, target in (("nul-enhed.txt", "/dev/zero"), ("tilfaeldig-enhed.pdf", "/dev/urandom"),
                         ("null.docx", "/dev/null")):
        (folder / name).symlink_to(target)
        out.append((folder / name, name))
    for name in ("fifo.txt", "fifo.pdf", "fifo.docx"):
        os.mkfifo(folder / name)
        out.append((folder / name, name))
    (folder / "mappe.txt").mkdir()
    out.append((folder / "mappe.txt", "mappe.txt"))
    (folder / "loekke.txt").symlink_to(folder / "loekke.txt")
    out.append((folder / "loekke.txt", "loekke.txt"))
    (folder / "haengende.txt").symlink_to(folder / "findes-ikke.txt")
    out.append((folder / "haengende.txt", "haengende.txt"))
    with open(folder / "kaempe.txt", "wb") as handle:   # sparse: 300 MB declared, no disk used
        handle.truncate(300 * 1024 * 1024)
    out.append((folder / "kaempe.txt", "kaempe.txt"))
    with open(folder / "kaempe.pdf", "wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(300 * 1024 * 1024)
    out.append((folder / "kaempe.pdf", "kaempe.pdf"))
    raw_name = os.fsencode(str(folder)) + b"/ugyldigt-\xff\xfe-navn.txt"
    with open(raw_name, "wb") as handle:
        handle.write(b"\0\0binaer")
    out.append((Path(os.fsdecode(raw_name)), "ugyldigt-"))
    return out


# --- doctored packs ----------------------------------------------------------------------------------

def _doctor(source: Path, target: Path, *sql: str, params: tuple = ()) -> None:
    shutil.copy(source, target)
    conn = register(sqlite3.connect(str(target), isolation_level=None))   # the FTS triggers unpack section text
    try:
        for statement in sql:
            conn.execute(statement, params if "?" in statement else ())
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _flip(source: Path, target: Path, offsets: list[int]) -> None:
    data = bytearray(source.read_bytes())
    for offset in offsets:
        data[offset % len(data)] ^= 0xFF
    target.write_bytes(bytes(data))


def doctored_packs(pack: Path, folder: Path) -> list[Path]:
    out: list[Path] = []

    def doctor(name: str, *sql: str, params: tuple = ()) -> None:
        path = folder / f"{name}.kkrpack"
        _doctor(pack, path, *sql, params=params)
        out.append(path)

    page = int.from_bytes(pack.read_bytes()[16:18], "big") or 65536
    pages = len(pack.read_bytes()) // page
    for n, at in enumerate((1, pages // 3, pages // 2, pages - 1)):
        path = folder / f"bitflip-{n}.kkrpack"
        _flip(pack, path, [at * page + k for k in range(1, 8)] + ([page * at + 100] if at else []))
        out.append(path)
    path = folder / "hoved-flip.kkrpack"
    _flip(pack, path, [16, 17, 18, 19, 21])
    out.append(path)
    doctor("tabel-fjernet", "DROP TABLE figures")
    doctor("kolonne-fjernet", "ALTER TABLE agenda_items DROP COLUMN beslutning")
    doctor("kolonne-tilfoejet", "ALTER TABLE meetings ADD COLUMN skjult TEXT")
    doctor("ekstra-tabel", "CREATE TABLE bagdoer (x)")
    doctor("trigger", "CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM meetings; END")
    doctor("rekursiv-visning", "CREATE VIEW evig AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                               "SELECT n FROM r")
    doctor("ekstra-indeks", "CREATE INDEX ix ON meetings(title)")
    doctor("json-fejl", "UPDATE pack_info SET item_hashes = '{ikke json'")
    doctor("json-liste", "UPDATE pack_info SET item_hashes = '[1, 2]'")
    doctor("dato-fejl", "UPDATE pack_info SET published = 'i går'")
    doctor("version-tekst", "UPDATE pack_info SET version = 'abc'")
    doctor("version-nul", "UPDATE pack_info SET version = 0")
    doctor("offentlig-to", "UPDATE pack_info SET public = 2")
    doctor("falsk-offentlig", "UPDATE pack_info SET public = 1")
    doctor("ingen-pakkeinfo", "DELETE FROM pack_info")
    doctor("to-pakkeinfo", "INSERT INTO pack_info SELECT * FROM pack_info")
    doctor("tom-noegle", "UPDATE pack_info SET meeting_key = ''")
    doctor("moede-mangler", "PRAGMA foreign_keys = OFF", "DELETE FROM meetings")
    doctor("moededato-fejl", "UPDATE meetings SET date = '2026-13-45'")
    doctor("body-lines-fejl", "UPDATE sections SET body_lines = '[1,' WHERE id = (SELECT MIN(id) FROM sections)")
    doctor("position-tekst", "UPDATE agenda_items SET position = 'x'")
    doctor("bilag-uden-punkt", "PRAGMA foreign_keys = OFF", "UPDATE bilag SET agenda_item_id = 99999")
    doctor("soegeindeks", "UPDATE sections_fts_data SET block = zeroblob(length(block)) WHERE id > 1")
    doctor("original-stoerrelse", "UPDATE originals SET size = 10")   # unpacks to more than it declares
    doctor("original-komprimering", "UPDATE originals SET compression = 'bz2'")
    doctor("skemaversion-99", "PRAGMA user_version = 99")
    doctor("skemaversion-1", "PRAGMA user_version = 1")
    for name, data in (("tekst", b"Ikke en pakke\n" * 10), ("tom", b"")):
        path = folder / f"{name}.kkrpack"
        path.write_bytes(data)
        out.append(path)
    path = folder / "afkortet.kkrpack"
    path.write_bytes(pack.read_bytes()[: len(pack.read_bytes()) // 2])
    out.append(path)
    return out


@pytest.fixture(scope="module")
def fuzz_setup(tmp_path_factory):
    from kkrdesk.cli import build_parser

    build_parser()                 # every command module imported once here, so each forked run starts fast
    import docx  # noqa: F401
    import pypdf  # noqa: F401

    import kkrdesk.ingest.importer  # noqa: F401
    folder = tmp_path_factory.mktemp("fuzz")
    store_path = folder / "lager.sqlite"
    store = open_store(store_path)
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-03")
    item = meetings.add_item(store, meeting_id, "1", "Pædagogdimensionering", sagsfremstilling="Åben tekst " * 50)
    meetings.add_item(store, meeting_id, "2", "Personsag", access="lukket", sagsfremstilling="Fortroligt " * 50)
    note = folder / "notat.txt"
    note.write_text("Notat om pædagoguddannelsen\n\n" + "Pædagoger og samarbejde i KKR Nordjylland.\n" * 200,
                    encoding="utf-8")
    meetings.attach_file(store, item, note)
    pack = folder / "moede.kkrpack"
    build_pack(store, meeting_id, pack, public=False, version=1, meeting_key="moede-1")
    store.close()
    return folder, store_path, pack


def test_hostile_files_are_refused_in_one_line(fuzz_setup, tmp_path):
    _folder, store_path, _pack = fuzz_setup
    inputs = hostile_files(tmp_path)
    assert len(inputs) >= 50
    before = _digest(store_path)
    problems: list[str] = []
    for n, (path, mention) in enumerate(inputs):
        code, err, elapsed = _run(["--db", str(store_path), "import", os.fsdecode(path)], tmp_path / f"{n}.err")
        problems += _check(mention, code, err, elapsed, mention)
        if os.environ.get("KKRDESK_FUZZ_TIMES"):
            print(f"{elapsed:6.2f}  {mention}")
        if _digest(store_path) != before:
            problems.append(f"{mention}: the store changed")
            before = _digest(store_path)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert not problems, "\n".join(problems)
    assert peak <= LIMIT_MEMORY


def test_doctored_packs_are_refused_in_one_line(fuzz_setup, tmp_path):
    _folder, store_path, pack = fuzz_setup
    from kkrdesk.data.packs import open_pack

    open_pack(pack).close()                            # the untouched pack is fine
    packs = doctored_packs(pack, tmp_path)
    assert len(packs) >= 20
    before = _digest(store_path)
    problems: list[str] = []
    for n, path in enumerate(packs):
        pack_before = _digest(path)
        for k, argv in enumerate((["--db", str(store_path), "meeting", "install", str(path)],
                                  ["--db", str(path), "show", "meeting", "1"])):
            code, err, elapsed = _run(argv, tmp_path / f"{n}-{k}.err")
            problems += _check(f"{path.name} ({argv[2]})", code, err, elapsed, path.name)
        if _digest(path) != pack_before:
            problems.append(f"{path.name}: the pack itself changed")
        if any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm", "-journal")):
            problems.append(f"{path.name}: left a journal beside it")
    assert _digest(store_path) == before
    assert not problems, "\n".join(problems)
    code, err, _ = _run(["meeting", "installed", "--json"], tmp_path / "installed.err")
    assert code == 0 and "Traceback" not in err


def test_meeting_installed_survives_a_doctored_index(fuzz_setup, tmp_path, capsys):
    """After a bad entry got into the index (an older kkrdesk installed a pack with a bad date)."""
    from kkrdesk.cli import main
    from kkrdesk.data.pack_install import INDEX_NAME, packs_dir

    _folder, _store_path, pack = fuzz_setup
    assert main(["meeting", "install", str(pack)]) == 0
    index_path = packs_dir() / INDEX_NAME
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["packs"]["falsk"] = {**next(iter(index["packs"].values())), "published": "i går"}
    index["packs"]["halv"] = {"file": 3}
    index_path.write_text(json.dumps(index), encoding="utf-8")
    capsys.readouterr()
    assert main(["meeting", "installed"]) == 0
    assert "Møde i KKR Nordjylland" in capsys.readouterr().out
