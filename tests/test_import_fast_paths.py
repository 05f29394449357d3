"""The import's fast paths (#20.3) give exactly what the full rules give.

Each fast path skips work only where that work cannot change the answer: a line without any
trigger character, a text without letterheads, a reading without blocks. These tests run the
full rules (written out here as the reference) next to the fast code on the corpus, the
generated documents, and many random lines built from the characters the rules react to.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from kkrdesk.data.lines import Line
from kkrdesk.ingest import normalise as norm
from kkrdesk.ingest.guard import read_guarded
from kkrdesk.ingest.readers import read_model
from kkrdesk.ingest.readers.text import parse_text, text_pages
from tests.conftest import CORPUS
from tests.kit.spec import spec
from tests.kit.story import LAYOUTS
from tests.kit.write_docx import write_docx
from tests.kit.write_pdf import write_pdf


def _every_rule(text: str) -> str:
    """clean_line as it was before its fast paths: every rule on every line."""
    text = norm._INVISIBLE_RE.sub("", unicodedata.normalize("NFC", text)).replace("\u00a0", " ")
    text = text.rstrip()
    stripped = text.lstrip(" ")
    if norm._LEADING_BULLET.match(stripped) or norm._O_SLASH_BULLET.match(stripped):
        rest = norm._O_SLASH_BULLET.sub("", norm._LEADING_BULLET.sub("", stripped), count=1).lstrip()
        stripped = "• " + rest if rest else ""
    stripped = norm._INLINE_GLYPH.sub("•", stripped)
    stripped = norm._HTML_TAG.sub(" ", stripped)
    stripped = norm._MD_LINK.sub(r"\1", stripped)
    stripped = norm._ANGLE_URL.sub(r"\1", stripped)
    stripped = norm._BOLD.sub(" ", stripped) if re.search(r"\w\*\*\w", stripped) else norm._BOLD.sub("", stripped)
    stripped = norm._ITALIC.sub(r"\1", stripped)
    stripped = re.sub(r"(?<=\S) {2,}", " ", stripped)
    stripped = stripped.strip(" ")
    return "" if norm._TABLE_RULE.match(stripped) else stripped


def _letterheads_every_line(lines: list[Line]) -> list[Line]:
    """_drop_letterheads as it was: the start pattern tried on every line."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        if norm._LETTERHEAD_START.match(lines[i].text):
            end = next((j for j in range(i + 1, min(i + norm._LETTERHEAD_MAX_LINES, len(lines)))
                        if norm._LETTERHEAD_END.match(lines[j].text)), None)
            if end is not None:
                i = end + 1
                j = i
                while j < len(lines) and not lines[j].text:
                    j += 1
                if j < len(lines) and lines[j].text == "NOTAT":
                    i = j + 1
                continue
        out.append(lines[i])
        i += 1
    return out


def _reference_normalise(text: str) -> list[Line]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [Line(i + 1, _every_rule(t)) for i, t in enumerate(raw.split("\n"))]
    lines = _letterheads_every_line(lines)
    lines = norm._drop_page_numbers(lines)
    lines = norm._join_wrapped(lines)
    return norm._collapse_blank_runs(lines)


PIECES = list("ab Øø-|:*<>[]()#\t\n\r\f.,;0") + [
    "  ", "**", "<b>", "</b>", "<p class='x'>", "[x](#)", "<https://kkr.dk>", "\u00a0", "\u00ad", "\u200b", "\ufeff",
    "\uf0b7", "\uf02d", "\u2022", "\u00b7", "\u27a2", "e\u0301", "\u0301", "\u2028", "\x0b", "\u3000", "---",
    "Dato: 3. maj 2021", "DATO: 12. Januar 2020", "Side 1 af 2", "12", "\n\n\n", "NOTAT", "Brønders-", "og ", "A" * 72,
]


def _random_texts(count: int, seed: int = 20) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 60))) for _ in range(count)]


def test_clean_line_equals_every_rule_on_random_lines():
    for text in _random_texts(4000):
        for line in text.split("\n"):
            assert norm.clean_line(line) == _every_rule(line), repr(line)


def test_normalise_equals_the_line_by_line_rules():
    """The whole-text NFC and invisible-character pass, the trigger test and the letterhead scan."""
    for text in _random_texts(4000, seed=21):
        assert norm.normalise(text) == _reference_normalise(text), repr(text)
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert norm.normalise(text) == _reference_normalise(text), path.name


def test_letterhead_dropped_once_and_the_notat_stamp_with_it():
    text = "Før\nDato: 3. maj 2021\nSags ID: 1\nSide 1 af 2\n\nNOTAT\nEfter\nDato: 4. maj 2021\nuden slut"
    assert [x.text for x in norm.normalise(text)] == ["Før", "Efter", "Dato: 4. maj 2021", "uden slut"]


PAGED = [
    "Første side\n\n Anden side\nmere\n\f\nTredje\n",
    " indrykket fra start\n\n  to mellemrum er ikke en side\n\n En side\r\nslut\rOK",
    "ingen sider\nher\n",
]


def test_text_pages_are_the_pages_parse_text_finds():
    for text in PAGED + [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]:
        lean, full = text_pages(text), parse_text(text)
        assert (lean.pages, lean.line_pages, lean.text) == (full.pages, full.line_pages, full.text)
        assert lean.blocks == []
    assert text_pages(PAGED[0]).line_pages == [1, 1, 2, 2, 3, 3, 3]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lean")
    doc = spec("resultatkontrakt-2026.txt")
    return [write_docx(doc, LAYOUTS[1], folder / "kontrakt.docx"), write_pdf(doc, LAYOUTS[2], folder / "kontrakt.pdf"),
            CORPUS / "kkr-moede-2021-bilag.txt"]


def test_reading_without_blocks_keeps_text_pages_and_warnings(written):
    for path in written:
        full, lean = read_model(path), read_guarded(path, blocks=False)
        assert full.blocks and lean.blocks == []
        assert (lean.text, lean.line_pages, lean.pages, lean.warnings) == (
            full.text, full.line_pages, full.pages, full.warnings), path.name


def test_contract_reading_is_shared_and_gives_the_same_contracts():
    from kkrdesk.ingest.contracts.extract import contract_kind, extract_contracts, looks_like_contract

    for path in sorted(CORPUS.glob("*.txt")):
        lines = norm.normalise(path.read_text(encoding="utf-8"))
        kind, reading = contract_kind(lines)
        assert kind == looks_like_contract(lines)
        if reading is not None:
            assert extract_contracts(lines, reading=reading) == extract_contracts(lines), path.name


def test_figure_readers_share_one_reading_per_line_list(monkeypatch):
    from kkrdesk.ingest.figures import extract_all, tables

    lines = norm.normalise((CORPUS / "kkr-moede-2021-bilag.txt").read_text(encoding="utf-8"))
    alone = extract_all(list(lines))
    calls = []
    split = tables._tab_tables
    monkeypatch.setattr(tables, "_tab_tables", lambda ls: calls.append(1) or split(ls))
    shared = extract_all(lines)
    assert len(calls) == 1               # faelles and boernehus both read the TAB tables
    assert shared.rows == alone.rows and shared.warnings == alone.warnings
    assert alone.rows                    # the pack has figures: the comparison compares something
    tables.tab_tables(lines)
    assert len(calls) == 2               # outside extract_all nothing is kept


def test_theme_hits_stop_counting_at_the_minimum():
    from kkrdesk.data.themes import _hits_at_least, load_themes

    text = (CORPUS / "kkr-moede-2021-bilag.txt").read_text(encoding="utf-8").lower()
    for theme in load_themes():
        for chunk in (text[:2000], text[:20000], text):
            counted = sum(len(p.findall(chunk)) for p in theme.text_patterns)
            for wanted in (0, 1, theme.min_text_hits, counted, counted + 1):
                assert _hits_at_least(theme.text_patterns, chunk, wanted) == (counted >= wanted)


def test_paedagog_phrasings_skipped_without_pladser_all_need_it():
    from kkrdesk.ingest.figures import paedagog

    assert paedagog._PLACES.flags & re.IGNORECASE
    for pattern in (paedagog._REDUCED, paedagog._FROM_TO, paedagog._MAY_CREATE, paedagog._PLACES_IN,
                    paedagog._YEAR_IS, paedagog._EXTRA):
        assert "pladser" in pattern.pattern and pattern.flags & re.IGNORECASE, pattern.pattern


def test_theme_literal_precheck_is_each_patterns_word():
    from kkrdesk.data.themes import _LITERALS, _compile

    for word in ("klima*", "sosu", "Pædagog*"):
        pattern = _compile(word)
        literal = _LITERALS[pattern]
        assert pattern.pattern.startswith(re.escape(literal)) and literal == word.lower().rstrip("*")


def test_heading_patterns_open_only_with_the_first_characters_the_fast_test_lets_through():
    from kkrdesk.ingest import structure

    patterns = (structure._MARKDOWN, structure._REPORT_GOAL, structure._GOAL_IN_BOX, structure._GOAL,
                structure._BILAG, structure._NUMBERED)
    pieces = ["Mål 1", " – ", "Afrapportering og målopfyldelse", "Bilag 2", "## ", "3.2 ", "1. ", "Titel", " ",
              "\u00a0", "²", "٣", "x", "Mål", "\t", "-", "Økonomi"]
    rng = random.Random(3)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 6))) for _ in range(20000)]
    texts += [line.text for path in sorted(CORPUS.glob("*.txt")) for line in norm.normalise(path.read_text("utf-8"))]
    for text in texts:
        if any(p.match(text) for p in patterns):
            assert text[:1] in structure._HEADING_FIRST or text[:1].isdigit(), repr(text)
        if structure._heading(text) is not None:
            assert any(p.match(text) for p in patterns)


def test_contract_cleanup_rule_test_only_skips_lines_no_rule_can_match():
    from kkrdesk.ingest.contracts import cleanup

    rng = random.Random(5)
    pieces = list("-|:+= \tab1") + ["--", "\u3000", "Mål"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 8))).strip()
        if cleanup._TABLE_RULE.match(text):
            assert text[:1] in cleanup._RULE_FIRST, repr(text)
    assert cleanup._expand(Line(4, "---|---")) == [Line(4, "")]
    assert cleanup._expand(Line(5, "Metode\tTekst")) == [Line(5, "Metode\tTekst")]


def test_originals_kept_as_zstd_and_zlib_rows_still_read(tmp_path):
    import zlib

    from kkrdesk.data.originals import original_bytes
    from kkrdesk.data.store import open_store
    from kkrdesk.data.texts import original_text
    from kkrdesk.ingest.importer import import_file

    path = tmp_path / "pakke.txt"
    path.write_bytes((CORPUS / "kkr-moede-2021-bilag.txt").read_bytes())
    store = open_store(tmp_path / "s.sqlite")
    result = import_file(store, path)
    data = path.read_bytes()
    compression, stored = store.conn.execute("SELECT compression, data FROM originals").fetchone()
    assert compression == "zstd" and len(stored) < len(data) / 2
    bilag = store.conn.execute("SELECT id, line_start, line_end FROM documents WHERE parent_id = ? "
                               "ORDER BY id LIMIT 1", (result.document_id,)).fetchone()
    lines = data.decode("utf-8").split("\n")
    expected = "\n".join(lines[bilag[1] - 1:bilag[2]])
    assert original_bytes(store.db, result.document_id) == data
    assert original_text(store.conn, bilag[0]) == expected      # a bilag's lines, read from the file's bytes
    store.conn.execute("UPDATE originals SET compression = 'zlib', data = ?", (zlib.compress(data, 6),))
    assert original_bytes(store.db, result.document_id) == data   # a store written by an earlier build
    assert original_text(store.conn, bilag[0]) == expected


def test_join_hyphenated_fast_path_is_the_loop():
    from kkrdesk.ingest.figures import tables

    rng = random.Random(9)
    pieces = ["Brønders-", "lev 20 20", "og ", "-", " ", "\t", "\u2028", "abc", "2020-2021", "\n", "Aal-", "borg", ""]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
        lines = [Line(i, t) for i, t in enumerate(text.split("\n"), start=1)]
        assert tables._join_hyphenated(lines) == _join_hyphenated_loop(lines), repr(text)


def _join_hyphenated_loop(lines: list[Line]) -> list[Line]:
    """tables._join_hyphenated without its fast path (the reference)."""
    from kkrdesk.ingest.figures.tables import _HYPHEN_END, _STARTS_LOWER

    out: list[Line] = []
    pending: Line | None = None
    for line in lines:
        text = line.text.strip()
        if pending is not None:
            if not text:
                continue
            if _STARTS_LOWER.match(text) and not text.startswith(("og ", "eller ")):
                out.append(Line(pending.no, pending.text[:-1] + text))
                pending = None
                continue
            out.append(pending)
            pending = None
        if text.endswith("-") and _HYPHEN_END.search(text) and "\t" not in text:
            pending = Line(line.no, text)
            continue
        out.append(Line(line.no, line.text))
    if pending is not None:
        out.append(pending)
    return out


def test_list_item_test_counts_text_characters_as_the_full_removal_did():
    from kkrdesk.ingest.structure import _fewer_text_chars

    rng = random.Random(11)
    for _ in range(5000):
        body = "".join(rng.choice(["1", " ", "\n", "%", ".", ",", "a", "æ", "\u00a0", "²", "-"])
                       for _ in range(rng.randrange(0, 140)))
        for limit in (0, 1, 60):
            assert _fewer_text_chars(body, limit) == (len(re.sub(r"[\d\s%.,]", "", body)) < limit), repr(body)


def test_a_files_sections_are_written_in_one_statement_and_indexed_alike(tmp_path):
    """FTS5 starts a new index segment at every savepoint, and each INSERT into `sections` opens one:
    the file's sections go in one statement at the end of its transaction (#20.3). The index is the
    same as row by row: every section found by its own words, FTS5's integrity check passes."""
    from kkrdesk.data.section_text import unpack_body
    from kkrdesk.data.store import open_store
    from kkrdesk.ingest.importer import import_file

    store = open_store(tmp_path / "store.sqlite")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    import_file(store, CORPUS / "kkr-moede-2021-bilag.txt")
    store.conn.set_trace_callback(None)
    # SQLite traces a statement again as each trigger starts: one statement is one distinct text
    inserts = {s for s in statements if s.lstrip().upper().startswith("INSERT INTO SECTIONS ")}
    count = store.conn.execute("SELECT COUNT(*) FROM sections").fetchone()[0]
    assert count > 50 and len(inserts) == 1, (count, len(inserts))
    store.conn.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('integrity-check', 1)")
    for sid, body in store.conn.execute("SELECT id, body FROM sections"):
        word = max(re.findall(r"[^\W\d_]{6,}", unpack_body(body)) or ["x"], key=len)
        found = {r[0] for r in store.conn.execute("SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?",
                                                  (f'"{word}"',))}
        assert word == "x" or sid in found, (sid, word)
    store.close()


def test_a_figure_reader_whose_words_are_missing_finds_nothing():
    """Each figure reader's gate (figures.GATES) is only a necessary condition: on every corpus file,
    whole and in its 200-line parts, a reader the gate would skip finds no rows and no warnings."""
    from kkrdesk.ingest.figures import EXTRACTORS, GATES
    from kkrdesk.ingest.normalise import normalise

    skipped = 0
    for path in sorted(CORPUS.glob("*.txt")):
        lines = normalise(path.read_text(encoding="utf-8"))
        for part in [lines] + [lines[i:i + 200] for i in range(0, len(lines), 200)]:
            low = "\n".join(line.text for line in part).lower()
            for extractor, gate in zip(EXTRACTORS, GATES, strict=True):
                if not gate(low):
                    skipped += 1
                    found = extractor(part)
                    assert not found.rows and not found.warnings, (path.name, extractor.__module__)
    assert skipped > 100


def _tables_docx(path):
    """A Word file with a secretariat budget table and a Børnehus table per municipality (real tables)."""
    from docx import Document

    document = Document()
    for caption, rows in (
            ("Sundhedssekretariatet", [["Poster", "Budget 2025", "Regnskab 2024"], ["Udgifter", "4.200.000", "3.950.000"],
                                      ["Indtægter", "-4.200.000", "-3.990.000"], ["I alt", "0", "-40.000"]]),
            ("Børnehus Nord – objektiv finansiering 2025",
             [["Kommune", "Budget 2025"], ["Aalborg", "1.234.000"], ["Hjørring", "456.000"],
              ["Frederikshavn", "389.000"], ["Thisted", "301.000"]])):
        document.add_paragraph(caption)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.save(path)
    return path


def test_the_gated_figure_readers_read_word_and_pdf_tables(tmp_path):
    """The Børnehus and secretariat gates ask for a TAB: a Word table, and the PDF LibreOffice prints of
    it, reach the readers as TAB rows, so both gates open and both readers find their rows."""
    import shutil
    import subprocess

    from kkrdesk.ingest.figures import EXTRACTORS, GATES, boernehus, faelles
    from kkrdesk.ingest.normalise import normalise

    files = [_tables_docx(tmp_path / "tabeller.docx")]
    if shutil.which("soffice"):
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(files[0])],
                       check=True, capture_output=True, timeout=180)
        files.append(tmp_path / "tabeller.pdf")
    for path in files:
        lines = normalise(read_model(path).text)
        low = "\n".join(line.text for line in lines).lower()
        found = {extractor: extractor(lines).rows for extractor in EXTRACTORS}
        gates = dict(zip(EXTRACTORS, GATES, strict=True))
        assert gates[boernehus.extract](low) and len(found[boernehus.extract]) == 4, path.name
        assert gates[faelles.extract](low) and len(found[faelles.extract]) == 6, path.name
        assert all(not rows for extractor, rows in found.items() if not gates[extractor](low)), path.name


def test_the_contract_heading_hint_is_in_every_line_a_goal_heading_is_read_from():
    """contract_kind skips the cleanup where no "Mål", space(s) or markup and a digit stand together:
    no line the cleanup turns into a goal heading may lack it."""
    from kkrdesk.ingest.contracts.cleanup import clean_lines
    from kkrdesk.ingest.contracts.extract import _HEADING_HINT
    from kkrdesk.ingest.contracts.headings import find_headings

    heads = ["", "<b>", "**", "| ", "### ", "3.1 ", "• ", "\u00a0", "x", "|  | "]
    between = [" ", "</b> ", "** ", "\t", "\u00a0", " | ", "", "  ", "<br>", "x ", "\f"]
    numbers = ["1", "12", "٣", "x", ""]
    tails = [" – ", ": ", " ", "\t", ". ", "</b> – ", " | ", ""]
    titles = ["Kendskab", "kendskab", "Titel", "", "– Titel", "Mål 1 – Titel", "...... 4"]
    rng = random.Random(8)
    found = 0
    for _ in range(30000):
        text = (rng.choice(heads) + "Mål" + "".join(rng.choice(between) for _ in range(rng.randrange(0, 3)))
                + rng.choice(numbers) + rng.choice(tails) + rng.choice(titles) + rng.choice(["", " |", "</b>"]))
        lines = [Line(1, text), Line(2, "Tekst om målet."), Line(3, ""), Line(4, "Mere tekst.")]
        if find_headings(clean_lines(lines)):
            found += 1
            assert _HEADING_HINT.search(text), repr(text)
    assert found > 100          # the generator makes headings, not only noise


def test_a_plain_cell_number_is_read_as_the_full_rule_reads_it():
    """parse_number and the table readers' `number` read ASCII digits directly; everything else by the rules."""
    from kkrdesk.data.danish import _NO_SUPERSCRIPTS, _NUMBER_RE, parse_number
    from kkrdesk.ingest.figures.tables import _FOOTNOTE, number

    def by_the_rules(text: str):
        s = text.strip().translate(_NO_SUPERSCRIPTS).replace("\u00a0", "").replace(" ", "").rstrip("%").strip()
        if not _NUMBER_RE.match(s):
            return None
        negative = s[0] in "-−–"
        s = s.lstrip("-−–").replace(".", "").replace(",", ".")
        value = float(s) if "." in s else int(s)
        return -value if negative else value

    rng = random.Random(9)
    pieces = list("0123456789") + ["٣", "²", " ", "\u00a0", ".", ",", "-", "%", "\t", "x"]
    for _ in range(30000):
        token = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 7)))
        expected = by_the_rules(token)
        assert parse_number(token) == expected and type(parse_number(token)) is type(expected), repr(token)
        assert number(token) == by_the_rules(_FOOTNOTE.sub("", token.strip())), repr(token)


def test_sentences_take_whitespace_runs_as_the_regex_did():
    import sys

    from kkrdesk.ingest.contracts import targets

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c))]
    for space in spaces:
        text = f"{space}Målet er 80 %.{space}{space}Det{space}er godt. "
        assert targets.sentences(text) == [s for s in targets._SENTENCE_SPLIT.split(
            re.sub(r"\s+", " ", text).strip()) if s], repr(space)
