"""File → reader → normaliser → parts/structure → extractors → store, in one transaction.

A failed import leaves the store exactly as it was: everything is written
inside one transaction (`store.db.atomic()`), and the checks that can fail without touching
the store (reading, decoding, parsing) run before it opens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kkrdesk.data.danish import find_dates
from kkrdesk.data.lines import Line, join_text
from kkrdesk.data.originals import PackedOriginal, file_format, keep_original, pack_file
from kkrdesk.data.search_numbering import NumberedWords, WordNumbering
from kkrdesk.data.section_text import pack_body, pack_line_numbers
from kkrdesk.data.store import Store
from kkrdesk.data.texts import pack_original
from kkrdesk.data.themes import load_themes, tag_document, tag_meeting
from kkrdesk.ingest.context import ExtractContext
from kkrdesk.ingest.filing import FiledPart, file_parts_as_meetings, meeting_date_in, meeting_title
from kkrdesk.ingest.guard import quiet_libraries, read_guarded
from kkrdesk.ingest.kinds import detect_kind
from kkrdesk.ingest.line_columns import Runs, from_columns, to_columns
from kkrdesk.ingest.meeting_pack import MeetingPack, parse_meeting_pack
from kkrdesk.ingest.normalise import normalise, with_pages
from kkrdesk.ingest.parts import split_parts
from kkrdesk.ingest.readers import ImportProblem, Progress
from kkrdesk.ingest.structure import guess_title, guess_year, split_sections

KIND_CHOICES = ("auto", "contract", "report", "meeting-pack", "dagsorden", "referat", "document")
KIND_LABELS = {
    "contract": "Resultatkontrakt",
    "report": "Afrapportering",
    "meeting-pack": "Bilagspakke",
    "dagsorden": "Dagsorden",
    "referat": "Referat",
    "agenda-item": "Dagsordenspunkt",
    "document": "Dokument",
    "bundle": "Samlet fil",
}


@dataclass
class ImportResult:
    path: Path
    document_id: int
    skipped: bool = False            # the same file (sha256) was imported before
    kind: str = "document"
    parts: int = 1
    meeting_id: int | None = None
    meeting_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Doc:
    """A document to write: a whole file, one part of it, or one bilag of a pack."""
    title: str
    kind: str
    lines: list[Line]
    raw: str
    year: int | None = None


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _raw_slice(raw_lines: list[str], lines: list[Line]) -> str:
    if not lines:
        return ""
    return "\n".join(raw_lines[lines[0].no - 1:lines[-1].no])


def _fallback_title(path: Path, kind: str, year: int | None) -> str:
    if kind == "contract":
        return f"Resultatkontrakt {year}" if year else "Resultatkontrakt"
    if kind == "report":
        return f"Afrapportering af resultatkontrakt {year}" if year else "Afrapportering"
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize()


def _plan_documents(path: Path, raw: str, lines: list[Line], kind: str) -> tuple[list[_Doc], MeetingPack | None]:
    """Decide which documents a file holds, before anything is written."""
    raw_lines = raw.split("\n")
    if kind == "meeting-pack":
        pack = parse_meeting_pack(lines)
        if pack is None:
            raise ImportProblem(path, "ligner ikke en bilagspakke (ingen punkter i indholdsfortegnelsen)")
        docs = []
        for _item, bilag in pack.all_bilag:
            if not bilag.lines:
                continue
            part_kind = detect_kind(bilag.lines)
            part_kind = part_kind if part_kind in ("contract", "report") else "document"
            docs.append(_Doc(bilag.title, part_kind, bilag.lines, _raw_slice(raw_lines, bilag.lines), guess_year(bilag.lines)))
        return docs, pack
    parts = split_parts(raw, lines)
    docs = []
    for index, part in enumerate(parts):
        part_kind = kind if len(parts) == 1 else detect_kind(part.lines)
        if index == 0 and kind in ("contract", "report"):
            part_kind = kind
        if part_kind in ("meeting-pack", "dagsorden", "referat"):
            part_kind = "document"
        year = guess_year(part.lines)
        title = guess_title(part.lines, _fallback_title(path, part_kind, year))
        docs.append(_Doc(title, part_kind, part.lines, _raw_slice(raw_lines, part.lines), year))
    return docs, None


_DOCUMENT_COLUMNS = ("parent_id", "part_index", "file_name", "sha256", "kind", "title", "year", "imported_at",
                     "original_text", "normalised_text", "line_start", "line_end")


def _section_rows(source: _Doc, numbering: WordNumbering | None = None) -> list[tuple]:
    """A document's sections as rows without their document id: split, packed and numbered before
    the store is touched (a batch's worker process can make them). With `numbering` (a batch's
    worker), each section's words for the search are numbered too (search_numbering)."""
    sections = split_sections(source.lines, source.title) if source.lines else []
    if numbering is not None:
        for section in sections:
            numbering.add(section.body, section.title)
    return [(position, section.number, section.title, section.level, pack_body(section.body),
             pack_line_numbers([line.no for line in section.body_lines]), section.line_start, section.line_end)
            for position, section in enumerate(sections)]


def _insert_document(store: Store, doc: _Doc, rows: list[tuple], section_rows: list[tuple], *, file_name: str,
                     sha: str, parent_id: int | None, part_index: int | None,
                     text_file: bool = False) -> int:
    """One row, each text once (#20.2): the file's original compressed on the file's document, a part's
    original only where it differs from its lines of the file, the normalised text only without sections
    (`text_file`: a text file that is exactly its UTF-8 text, whose original is its bytes in `originals`).

    `rows` are its sections (`_section_rows`; a pack's TOC for a pack); they go to `section_rows`,
    written by `_write_sections` at the end of the file's transaction."""
    first, last = (doc.lines[0].no, doc.lines[-1].no) if doc.lines else (1, 1)
    if parent_id is None:   # a UTF-8 text file is its bytes, kept once in `originals` (keep_original)
        original: str | bytes = "" if text_file else pack_original(doc.raw)
    else:
        # a part's raw text is its lines of the file (_raw_slice), so it is read from there
        original = "" if doc.lines else doc.raw
    values = (parent_id, part_index, file_name, sha, doc.kind, doc.title, doc.year, _now(), original,
              "" if rows else join_text(doc.lines), first, last)
    cursor = store.conn.execute(
        f"INSERT INTO documents ({', '.join(_DOCUMENT_COLUMNS)}) VALUES ({', '.join('?' * len(values))})", values)
    doc_id = cursor.lastrowid
    section_rows.extend((doc_id, *row) for row in rows)
    return doc_id


_SECTION_COLUMNS = ("document_id", "position", "number", "title", "level", "body", "body_lines",
                    "line_start", "line_end")


def _write_sections(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """A file's sections in as few statements as SQLite's variable limit allows, last in its transaction.

    Why: FTS5 writes its pending index to a new segment at every savepoint, and each INSERT into
    `sections` (its trigger writes to the index) opens one. A row per statement made a segment per
    section and the merges after them: twice the time of the same rows in one statement (#20.3).
    Nothing in the import reads `sections` before this.
    """
    width = len(_SECTION_COLUMNS)
    per_statement = max(1, min(2000, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    head = f"INSERT INTO sections ({', '.join(_SECTION_COLUMNS)}) VALUES "
    one = "(" + ", ".join("?" * width) + ")"
    for start in range(0, len(rows), per_statement):
        part = rows[start:start + per_statement]
        conn.execute(head + ", ".join([one] * len(part)), [value for row in part for value in row])


@dataclass
class _Facts:
    """What the extractors found in one document, before anything is written."""
    contracts: list = field(default_factory=list)
    contract_warnings: list[tuple[int | None, str]] = field(default_factory=list)
    figures: Any = None


def _find_facts(doc: _Doc, raw_text: str) -> _Facts:
    """The domain extractors on one document (pure): contracts and reports, then figures.

    `raw_text`: the document's lines as the file printed them, '' where the store would not have
    them yet while the import runs (a plain text file's bytes are kept at its end) — the contract
    reader uses them only to split two-column lines at their wide gaps."""
    from kkrdesk.data.contracts.pairing import pair_results
    from kkrdesk.ingest.contracts import find_contracts, raw_line_map
    from kkrdesk.ingest.figures import extract_all

    first = doc.lines[0].no if doc.lines else 1
    contracts, warnings = find_contracts(doc.kind, doc.year, doc.lines,
                                         lambda: raw_line_map(raw_text, first, doc.lines) if raw_text else None)
    for contract in contracts:      # paired here, where a batch's worker does it, not in the transaction
        for goal in contract.goals:
            goal.results = pair_results(goal, year=contract.year, is_report=contract.is_report)
    return _Facts(contracts, warnings, extract_all(doc.lines))


def _write_facts(store: Store, document_id: int, doc: _Doc, facts: _Facts, file_name: str) -> list[tuple[int | None, str]]:
    from kkrdesk.ingest.contracts import write_contracts
    from kkrdesk.ingest.figures import write_extraction

    ctx = ExtractContext(store.db, document_id, doc.kind, doc.title, doc.year, file_name, doc.lines)
    for line, message in facts.contract_warnings:
        ctx.warn(line, message)
    write_contracts(ctx, facts.contracts)
    write_extraction(ctx, facts.figures)
    return ctx.warnings


def _newest_year(lines: list[Line]) -> int | None:
    """The year of the newest long-form date in the text ("29. januar 2021")."""
    dates = find_dates(join_text(lines))
    return max(dates).year if dates else None


def _pack_meeting_when(pack: MeetingPack, lines: list[Line]) -> tuple[dt.date | None, int | None]:
    """A date printed above the pack's TOC; otherwise only the year of its newest dated text."""
    head = lines[:pack.toc_end]
    date = meeting_date_in(head) or next(iter(find_dates(join_text(head))), None)
    return date, (date.year if date else _newest_year(lines))


def _insert_row(store: Store, table: str, row: dict) -> int:
    """Plain INSERT: sqlite-utils' insert() opens a SAVEPOINT per row and reads the table's schema (#20.3)."""
    columns = ", ".join(row)
    return store.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})",
                              tuple(row.values())).lastrowid


def _insert_meeting(store: Store, pack: MeetingPack, pack_doc_id: int, bilag_doc_ids: dict[int, int],
                    lines: list[Line], when: tuple[dt.date | None, int | None]) -> int:
    date, year = when
    meeting_id = _insert_row(store, "meetings", {
        "body": "KKR Nordjylland", "date": date.isoformat() if date else None, "year": year,
        "title": meeting_title(date, year), "document_id": pack_doc_id,
        "line_start": lines[0].no, "line_end": lines[-1].no,
    })
    for position, item in enumerate(pack.items):
        spans = [b for b in item.bilag if b.lines]
        item_id = _insert_row(store, "agenda_items", {
            "meeting_id": meeting_id, "position": position, "number": item.number, "title": item.title,
            "access": "åben", "document_id": pack_doc_id,
            "line_start": spans[0].line_start if spans else item.toc_line,
            "line_end": spans[-1].lines[-1].no if spans else item.toc_line,
        })
        for b_position, bilag in enumerate(item.bilag):
            _insert_row(store, "bilag", {
                "agenda_item_id": item_id, "position": b_position, "number": bilag.number, "title": bilag.title,
                "document_id": bilag_doc_ids.get(id(bilag)),
                "line_start": bilag.line_start, "line_end": bilag.lines[-1].no if bilag.lines else None,
            })
    return meeting_id


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_document_by_sha(store: Store, sha: str) -> int | None:
    row = store.conn.execute(
        "SELECT id FROM documents WHERE sha256 = ? AND parent_id IS NULL", (sha,)
    ).fetchone()
    return row[0] if row else None


def _import_agenda(store: Store, path: Path, raw: str, sha: str, lines: list[Line], agenda,
                   packed: PackedOriginal) -> ImportResult:
    """A dagsorden or referat: its own document, its items' documents, and the meeting (new or merged)."""
    from kkrdesk.ingest.agenda_store import store_agenda

    try:
        with store.db.atomic():
            top_id, meeting_id, warnings = store_agenda(store, agenda, raw=raw, lines=lines, file_name=path.name,
                                                        sha=sha, year=guess_year(lines))
            keep_original(store.conn, packed)
    except ImportProblem:
        raise
    except Exception as exc:  # the store rolled back; one line for the user
        raise ImportProblem(path, f"kunne ikke importeres ({type(exc).__name__}: {exc})") from exc
    return ImportResult(path, top_id, kind=agenda.kind, parts=len(agenda.items), meeting_id=meeting_id,
                        meeting_ids=[meeting_id], warnings=warnings)


@dataclass
class Prepared:
    """Everything an import decides before it touches the store: read, normalised, split into documents
    and sections, the extractors' findings. Pure and picklable, so a batch's worker process can make
    the next file's while this one is written (`ingest/batch.py`)."""
    path: Path
    kind: str                        # as asked: auto or a KIND_CHOICES value
    sha: str
    raw: str
    text_file: bool                  # exactly its UTF-8 text: kept as its bytes (keep_original) only
    model_warnings: list[str]
    line_pages: list[int | None] = field(default_factory=list)    # the reader's page per line, until prepared
    lines: list[Line] = field(default_factory=list)
    detected: str = ""
    agenda: Any = None               # a dagsorden or referat, written by agenda_store
    pack: MeetingPack | None = None
    docs: list[_Doc] = field(default_factory=list)
    year: int | None = None
    when: tuple[dt.date | None, int | None] = (None, None)
    top: _Doc | None = None
    top_rows: list[tuple] = field(default_factory=list)
    doc_rows: list[list[tuple]] = field(default_factory=list)
    facts: list[_Facts] = field(default_factory=list)
    words: NumberedWords | None = None             # of the sections written, in order: a batch's (`prepare`)
    data: bytes = b""                              # the file's bytes, until `prepare` packs them as its original
    original: PackedOriginal | None = None         # made by `prepare`: what `write_prepared` keeps
    rows_made: bool = False                        # top_rows and doc_rows are made (`_make_rows`)

    def __getstate__(self) -> dict[str, Any]:
        """Its lines as columns and its documents' and bilag's lines as runs of them (line_columns)."""
        state = dict(self.__dict__)
        if not self.lines:
            return state
        runs, made = Runs(self.lines), {}
        # a text file's original is its bytes, kept from the file itself (keep_original): its raw text
        # is not needed any more, once the extractors have read it
        drop_raw = self.text_file and self.agenda is None

        def as_runs(holder: Any) -> Any:      # one copy per object, so what was shared stays shared
            if id(holder) not in made:
                changes = {"lines": runs.run_of(holder.lines)}
                if drop_raw and isinstance(holder, _Doc) and holder.lines:
                    changes["raw"] = ""
                made[id(holder)] = replace(holder, **changes)
            return made[id(holder)]

        if drop_raw:
            state["raw"] = ""
        state["lines"] = to_columns(self.lines)
        state["top"] = as_runs(self.top) if self.top is not None else None
        state["docs"] = [as_runs(doc) for doc in self.docs]
        if self.pack is not None:
            state["pack"] = replace(self.pack, items=[
                replace(item, bilag=[as_runs(bilag) for bilag in item.bilag]) for item in self.pack.items])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        runs = Runs(from_columns(state["lines"]))
        self.lines = runs.lines
        for holder in ([self.top] if self.top is not None else []) + self.docs + [
                bilag for item in (self.pack.items if self.pack is not None else []) for bilag in item.bilag]:
            holder.lines = runs.lines_of(holder.lines)


def _check_kind(path: Path, kind: str) -> None:
    if kind not in KIND_CHOICES:
        raise ImportProblem(path, f"ukendt dokumenttype '{kind}' (vælg {', '.join(KIND_CHOICES)})")


def read_file(path: Path | str, kind: str = "auto", progress: Progress | None = None) -> Prepared:
    """The checks and the reading: regular file, size caps, parsed under time and memory limits
    (guard.py); the flat text only, no blocks (#20). ImportProblem on bad input."""
    path = Path(path)
    _check_kind(path, kind)
    model = read_guarded(path, progress, blocks=False)
    data = path.read_bytes()      # once more, for its sha256 and the original kept (read_guarded capped its size)
    sha = hashlib.sha256(data).hexdigest()
    text_file = file_format(path.name) == "text" and data == model.text.encode("utf-8")
    return Prepared(path, kind, sha, model.text, text_file, list(model.warnings), line_pages=list(model.line_pages),
                    data=data)


def prepare(read: Prepared, numbering: WordNumbering | None = None, rows: bool = True) -> Prepared:
    """The rest of what can be decided without the store (ImportProblem where the file is not what it
    claims): the same object, filled in.

    A batch's worker may leave some of it to the writer, to keep the two even (`ingest/batch.py`):
    `rows=False` leaves the sections' rows to `write_prepared`; `numbering` numbers each section's
    words for the search along with the rows (`Prepared.words`, search_numbering)."""
    path, raw = read.path, read.raw
    lines = with_pages(normalise(raw), read.line_pages)
    if not any(line.text for line in lines):
        raise ImportProblem(path, "filen indeholder ingen tekst")
    read.lines, read.line_pages = lines, []
    with quiet_libraries():       # pypdf's page count logs damage the reader already got past
        read.original, read.data = pack_file(path.name, read.data, read.sha, lines), b""
    detected = detect_kind(lines) if read.kind == "auto" else read.kind
    if detected in ("dagsorden", "referat"):
        from kkrdesk.ingest.agenda import (
            parse_agenda,  # here, not at the top: the window's start imports this module
        )

        read.agenda = parse_agenda(lines, detected)
        if read.agenda is not None:
            read.detected = detected
            return read
        if read.kind != "auto":
            raise ImportProblem(path, f"ligner ikke en {detected} (ingen dagsordenspunkter fundet)")
        detected = "document"
    docs, pack = _plan_documents(path, raw, lines, detected)
    if not docs:
        raise ImportProblem(path, "ingen tekst at importere efter opdeling")
    read.detected, read.docs, read.pack, read.year = detected, docs, pack, guess_year(lines)
    if pack is None and len(docs) == 1:
        read.top = docs[0]
    else:
        top_kind = "meeting-pack" if pack is not None else "bundle"
        read.when = _pack_meeting_when(pack, lines) if pack is not None else (None, None)
        top_title = (
            "Bilag til " + meeting_title(*read.when).replace("Møde", "møde", 1)
            if pack is not None else _fallback_title(path, "bundle", read.year)
        )
        read.top = _Doc(top_title, top_kind, lines, raw, read.year)
    if rows:
        _make_rows(read, numbering)
    read.facts = [_find_facts(doc, "" if doc.lines and read.text_file else doc.raw) for doc in docs]
    for doc in docs:       # a part's original is its lines of the file (_insert_document): not carried further
        if doc.lines and doc is not read.top:
            doc.raw = ""
    return read


def _make_rows(read: Prepared, numbering: WordNumbering | None) -> None:
    """The sections of each document as rows (`_section_rows`), with their words numbered when asked."""
    if numbering is not None:
        numbering.start()
    if read.pack is None and len(read.docs) == 1:
        read.top_rows = _section_rows(read.top, numbering)
    else:
        # a pack's document carries its TOC as sections; a bundle's none (its parts have them)
        if read.pack is not None:
            toc = _Doc("Indholdsfortegnelse - Bilag", "meeting-pack", read.lines[:read.pack.toc_end], "", read.year)
            read.top_rows = _section_rows(toc, numbering)
        read.doc_rows = [_section_rows(doc, numbering) for doc in read.docs]
    read.words, read.rows_made = numbering.finish() if numbering is not None else None, True


def prepare_file(path: Path | str, kind: str = "auto", numbering: WordNumbering | None = None,
                 rows: bool = True) -> Prepared:
    """read_file and prepare in one: what a batch's worker process does per file."""
    return prepare(read_file(path, kind), numbering, rows)


def import_file(store: Store, path: Path | str, kind: str = "auto", progress: Progress | None = None) -> ImportResult:
    """Import one file; ImportProblem (one-line message) on bad input, store untouched.

    `progress(done, total)` hears of each page read (PDF), so a window can show a long import advance.
    """
    read = read_file(path, kind, progress)
    skipped = imported_before(store, read.path, read.sha)
    if skipped is not None:
        return skipped
    store.ensure_writable()
    return write_prepared(store, prepare(read))


def imported_before(store: Store, path: Path, sha: str) -> ImportResult | None:
    """The skipped result for a file whose bytes (sha256) the store has."""
    existing = find_document_by_sha(store, sha)
    if existing is None:
        return None
    row = store.conn.execute("SELECT kind FROM documents WHERE id = ?", (existing,)).fetchone()
    return ImportResult(path, existing, skipped=True, kind=row[0])


def write_prepared(store: Store, prepared: Prepared,
                   written: Callable[[list[tuple[int, Any, str]], NumberedWords | None], None] | None = None,
                   ) -> ImportResult:
    """Write a prepared file in one transaction; the store is untouched if anything fails.

    `written(sections, words)` hears of the file's sections — (id, body as stored, title) each, in
    order — once the transaction has committed, with the words a batch's worker numbered for them
    or None (a batch indexes them for the search, search_index.BatchIndexer)."""
    path, raw, sha, lines = prepared.path, prepared.raw, prepared.sha, prepared.lines
    skipped = imported_before(store, path, sha)
    if skipped is not None:
        return skipped
    store.ensure_writable()
    if prepared.agenda is not None:
        return _import_agenda(store, path, raw, sha, lines, prepared.agenda, prepared.original)
    if not prepared.rows_made:        # left by a batch's worker that was behind
        _make_rows(prepared, None)
    docs, pack, year, top = prepared.docs, prepared.pack, prepared.year, prepared.top
    warnings: list[str] = []
    try:
        # one transaction per file, the write lock taken up front (#16); no sqlite-utils on the way (#20.3)
        with store.db.atomic():
            again = imported_before(store, path, sha)   # imported by another process while we waited (#16)
            if again is not None:
                return again
            section_rows: list[tuple] = []
            top_id = _insert_document(store, top, prepared.top_rows, section_rows, file_name=path.name, sha=sha,
                                      parent_id=None, part_index=None, text_file=prepared.text_file)
            if pack is None and len(docs) == 1:
                leaf_ids = [(top_id, top)]
            else:
                leaf_ids = []
                for index, (doc, rows) in enumerate(zip(docs, prepared.doc_rows, strict=True)):
                    doc_id = _insert_document(store, doc, rows, section_rows, file_name=path.name, sha=sha,
                                              parent_id=top_id, part_index=index)
                    leaf_ids.append((doc_id, doc))
            for message in prepared.model_warnings:     # what the reader could not read (a page without text)
                _insert_row(store, "warnings", {"document_id": top_id, "line": None, "message": message})
                warnings.append(f"{path.name}: {message}")
            for (doc_id, doc), facts in zip(leaf_ids, prepared.facts, strict=True):
                for line_no, message in _write_facts(store, doc_id, doc, facts, path.name):
                    _insert_row(store, "warnings", {"document_id": doc_id, "line": line_no, "message": message})
                    warnings.append(f"{path.name}, linje {line_no}: {message}" if line_no else f"{path.name}: {message}")
            meeting_ids: list[int] = []
            if pack is None and len(docs) > 1:
                filed = [FiledPart(doc_id, doc.title, doc.lines) for doc_id, doc in leaf_ids]
                meeting_ids = file_parts_as_meetings(store.db, top_id, filed, _newest_year(lines) or year)
            if pack is not None:
                bilag_doc_ids: dict[int, int] = {}
                with_text = [b for _, b in pack.all_bilag if b.lines]
                for (doc_id, _doc), bilag in zip(leaf_ids, with_text, strict=True):
                    bilag_doc_ids[id(bilag)] = doc_id
                for line_no, message in pack.warnings:
                    _insert_row(store, "warnings", {"document_id": top_id, "line": line_no, "message": message})
                    warnings.append(f"{path.name}, linje {line_no}: {message}")
                from kkrdesk.ingest.agenda_store import find_meeting, find_meeting_by_items, merge_pack

                when = prepared.when
                same = find_meeting(store, "KKR Nordjylland", when[0]) if when[0] else find_meeting_by_items(
                    store, [(i.number, i.title) for i in pack.items], dated=True)   # its dagsorden came first (#14)
                if same is not None:
                    merge_pack(store, same, pack, top_id, bilag_doc_ids)
                    meeting_ids = [same]
                else:
                    meeting_ids = [_insert_meeting(store, pack, top_id, bilag_doc_ids, lines, when)]
            keep_original(store.conn, prepared.original)
            themes = load_themes()
            for meeting in meeting_ids:
                tag_meeting(store.db, meeting, themes)
            for doc_id, _doc in leaf_ids:
                tag_document(store.db, doc_id, themes)
            _write_sections(store.conn, section_rows)
            if written is not None:
                documents = sorted({row[0] for row in section_rows})
                ids = [r[0] for r in store.conn.execute(   # the rows' order: by document, then position
                    f"SELECT id FROM sections WHERE document_id IN ({','.join('?' * len(documents))}) "
                    "ORDER BY document_id, position", documents)] if documents else []
    except ImportProblem:
        raise
    except Exception as exc:  # keep the one-line promise even for our own bugs; the store rolled back
        raise ImportProblem(path, f"kunne ikke importeres ({type(exc).__name__}: {exc})") from exc
    if written is not None:
        written([(sid, row[5], row[3]) for sid, row in zip(ids, section_rows, strict=True)], prepared.words)
    return ImportResult(path, top_id, kind=top.kind if pack is None and len(docs) == 1 else prepared.detected,
                        parts=len(docs), meeting_id=meeting_ids[0] if meeting_ids else None,
                        meeting_ids=meeting_ids, warnings=warnings)
