"""Full-text search over section text (FTS5, Danish-aware), exact bm25 ranking.

Any user input is a valid search: the query is rebuilt from the words the
user typed (each quoted, so `co2-afgift`, `AND`, `"`, `NEAR(` are just words),
"quoted phrases" stay phrases, every word is a prefix so "kommune" also finds
"kommunerne", and a number such as "3.5" or "2021" is matched whole.

Ranking is exact: every matching section is scored with bm25 (title 4×, body 1×)
and the best `limit` sections are kept; nothing is left out because it is old
(issue #20 replaced the earlier "newest 600" window). The scores come from the
search's own postings (`search_rank`, `search_index`), bit for bit FTS5's bm25 at
a fraction of its cost; SQLite ranks whenever they cannot promise that. Hits are then
listed per line that contains a match, with the meeting and agenda item they
belong to, and snippets are made only for the sections shown.

A query that finds nothing is tried once more with Danish letters folded back
("paedagog" → "pædagog", "laerepladser" → "lærepladser", "aa" → "å"); the result
says so (`SearchResult.folded`).
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kkrdesk.data.section_text import body_bytes, unpack_body, unpack_line_numbers

_PHRASE = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"\w+")
# A number written with decimal or thousands separators ("3.5", "1.234,5") is one term, matched whole.
_TERM = re.compile(r"\d+(?:[.,]\d+)+|\w+")
HIGHLIGHT_START = "«"
HIGHLIGHT_END = "»"
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0
BM25 = f"bm25(sections_fts, {BODY_WEIGHT}, {TITLE_WEIGHT})"   # the index's columns: body, title (schema 3)


def _terms(text: str) -> tuple[list[list[str]], list[str]]:
    """(phrases as word lists, loose terms) of the user's text, NFC-normalised."""
    text = unicodedata.normalize("NFC", text)
    phrases = [words for phrase in _PHRASE.findall(text) if (words := _WORD.findall(phrase))]
    return phrases, _TERM.findall(_PHRASE.sub(" ", text))


def _is_number(term: str) -> bool:
    return term[:1].isdigit() and all(c.isdigit() or c in ".," for c in term)


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression that cannot be a syntax error, or None for no words."""
    phrases, loose = _terms(user_text)
    terms = ['"' + " ".join(words) + '"' for words in phrases]
    for term in loose:
        if _is_number(term):   # "3.5" is the phrase "3 5"; "2021" does not find "20210"
            terms.append('"' + " ".join(_WORD.findall(term)) + '"')
        else:
            terms.append(f'"{term}"*')
    return " ".join(terms) if terms else None


def query_terms(user_text: str) -> list[str]:
    """The words of a query, lower-cased: for highlighting and finding the hit's line."""
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFC", user_text))]


@lru_cache(maxsize=64)
def query_pattern(user_text: str) -> re.Pattern | None:
    """What a hit shows highlighted: each "quoted phrase" as a whole, other words as prefixes,
    numbers whole (so "3.5" never marks the 3 of "2023" or the 5 of "35")."""
    phrases, loose = _terms(user_text)
    parts = [r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"\w*" for words in phrases]
    for term in loose:
        if _is_number(term):
            body = r"[.,]".join(re.escape(w) for w in _WORD.findall(term))
            parts.append(r"(?<![\w.,])" + body + r"(?![\w]|[.,]\d)")
        else:
            parts.append(r"(?<!\w)" + re.escape(term) + r"\w*")
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


@lru_cache(maxsize=64)
def _count_patterns(user_text: str) -> tuple[tuple[re.Pattern, str], ...]:
    """The parts of query_pattern() for lower-cased text, each starting with its literal word, so `re`
    can jump to it (a leading look-behind or IGNORECASE makes it try every position, 6× slower);
    with the characters that must not come just before a match."""
    phrases, loose = _terms(user_text)
    parts = [(r"\W+".join(re.escape(w.lower()) for w in words) + r"\w*", "") for words in phrases]
    for term in loose:
        if _is_number(term):
            parts.append((r"[.,]".join(re.escape(w) for w in _WORD.findall(term)) + r"(?![\w]|[.,]\d)", ".,"))
        else:
            parts.append((re.escape(term.lower()) + r"\w*", ""))
    return tuple((re.compile(body), extra) for body, extra in parts)


def _match_starts(low: str, user_text: str) -> list[int]:
    """Offsets in lower-cased text where the query's words, phrases and numbers start, as query_pattern finds them."""
    starts: set[int] = set()
    for pattern, extra in _count_patterns(user_text):
        for match in pattern.finditer(low):
            at = match.start()
            before = low[at - 1] if at else " "
            if not (before.isalnum() or before == "_" or before in extra):
                starts.add(at)
    return sorted(starts)


@lru_cache(maxsize=64)
def _byte_patterns(user_text: str) -> tuple[re.Pattern, ...] | None:
    """The query's loose words as patterns over UTF-8 text whose ASCII letters are lower-cased
    (`bytes.lower`, ten times faster than `str.lower` on the sections a search shows): an ASCII
    letter as itself, any other as each single character that lower-cases to it (æ|Æ). None when the
    query has a phrase or a number: those keep the text patterns (their separators and look-aheads
    are about characters)."""
    phrases, loose = _terms(user_text)
    if phrases or not loose or any(_is_number(term) for term in loose):
        return None
    parts = []
    for term in loose:
        pattern = b""
        for char in term.lower():
            if char < "\x80":
                pattern += re.escape(char.encode())
            else:
                forms = sorted({form for form in (char, char.upper(), char.title())
                                if len(form) == 1 and form.lower() == char})
                pattern += b"(?:" + b"|".join(re.escape(form.encode()) for form in forms) + b")"
        parts.append(re.compile(pattern))
    return tuple(parts)


def _byte_match_starts(low: bytes, patterns: tuple[re.Pattern, ...]) -> list[int]:
    """Byte offsets where a loose word starts a word, as `_match_starts` finds them in text."""
    starts: set[int] = set()
    for pattern in patterns:
        for match in pattern.finditer(low):
            at = match.start()
            if at:
                before = low[at - 1]
                if before < 0x80:
                    if before == 0x5F or chr(before).isalnum():
                        continue
                else:      # the last byte of a longer character: read the character
                    first = at - 1
                    while first > 0 and 0x80 <= low[first] < 0xC0 and at - first < 4:
                        first -= 1
                    if low[first:at].decode("utf-8", "replace")[-1:].isalnum():
                        continue
            starts.add(at)
    return sorted(starts)


def _line_matches(stored: Any, user_text: str) -> tuple[dict[int, int], Any]:
    """{line index: matches that start on it} of a section's text, and a function giving a line's text."""
    counts: dict[int, int] = {}
    patterns = _byte_patterns(user_text)
    if patterns is not None:
        raw = body_bytes(stored)
        low = raw.lower()
        found = _byte_match_starts(low, patterns)
        newline: Any = b"\n"
    else:
        raw = unpack_body(stored)
        low = raw.lower()
        found = _match_starts(low, user_text)
        newline = "\n"
    index, position = 0, 0
    for at in found:   # each match counted on the line it starts in (lowering keeps the line breaks)
        index += low.count(newline, position, at)
        position = at
        counts[index] = counts.get(index, 0) + 1
    if not counts:
        return counts, None
    lines = raw.split(newline)
    if patterns is not None:
        return counts, lambda i: lines[i].decode("utf-8")
    return counts, lines.__getitem__


_FOLDS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))


def fold_danish(user_text: str) -> str:
    """The query with ae/oe/aa written as æ/ø/å (keeps the case of the first letter)."""
    def fold(match: re.Match) -> str:
        word = match.group(0)
        for plain, letter in _FOLDS:
            word = re.sub(plain, lambda m, letter=letter: letter.upper() if m.group(0)[0].isupper() else letter,
                          word, flags=re.IGNORECASE)
        return word
    return _WORD.sub(fold, unicodedata.normalize("NFC", user_text))


@dataclass(slots=True)
class Hit:
    """One line of a section with at least one match (a search hit per occurrence).

    The snippet is made when first read: a common word has hundreds of matching lines in the
    sections shown, and a list shows only the rows on screen. Slots: a search makes hundreds.
    """

    section_id: int
    document_id: int
    document: str            # file name
    document_title: str
    section: str             # section heading (with number)
    line: int                # original line of the matching line
    text: str = field(default="", repr=False)        # that line (normalised)
    pattern: re.Pattern | None = field(default=None, repr=False, compare=False)
    occurrences: int = 1     # matches on this line
    page: int | None = None  # page of the original, when the document has pages (text files have none)
    meeting: str | None = None   # "Møde i KKR Nordjylland 4. december 2026"
    item: str | None = None      # "3.5 Titel"
    rank: int = 0            # 0 for the best section, 1 for the next …
    locked: bool = False     # from a closed agenda item: the secretariat's own store shows it, marked (#14)
    _snippet: str | None = field(default=None, repr=False, compare=False)

    @property
    def snippet(self) -> str:
        """About 14 words around the first match, with «…» around every match (made once)."""
        if self._snippet is None:
            self._snippet = make_snippet(self.text, self.pattern)
        return self._snippet

    def as_json(self) -> dict:
        return {
            "document": self.document,
            "document_id": self.document_id,
            "document_title": self.document_title,
            "section": self.section,
            "section_id": self.section_id,
            "line": self.line,
            "page": self.page,
            "snippet": self.snippet,
            "occurrences": self.occurrences,
            "meeting": self.meeting,
            "item": self.item,
            "locked": self.locked,
        }


@dataclass
class Place:
    """A named thing whose title matches: an agenda item, a goal, a dataset or a theme."""

    kind: str        # item | goal | dataset | theme (the window's place kinds)
    ident: Any       # id or key, as the window opens it
    title: str
    context: str     # meeting, contract year, "Nøgletal", "Tema"

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.ident, "title": self.title, "context": self.context}


@dataclass
class SearchResult:
    query: str                       # what was searched (the folded query when `folded`)
    hits: list[Hit] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    sections: int = 0                # matching sections in all (M places)
    shown_sections: int = 0          # of those, ranked and listed here
    occurrences: int = 0             # matches in the listed sections (N hits)
    folded: bool = False             # nothing for the typed words; æ/ø/å were tried


_SNIPPET_WORDS = 14


def make_snippet(text: str, pattern: re.Pattern | None, words: int = _SNIPPET_WORDS) -> str:
    """About `words` words around the first match, with «» around every match."""
    tokens = text.split()
    match = pattern.search(text) if pattern else None
    if match is None:
        return " ".join(tokens[:words]) + (" …" if len(tokens) > words else "")
    first = len(text[:match.start()].split())
    start = max(0, first - words // 3)
    chosen = " ".join(tokens[start:start + words])
    marked = pattern.sub(lambda m: f"{HIGHLIGHT_START}{m.group(0)}{HIGHLIGHT_END}", chosen)
    return ("…" if start else "") + marked + ("…" if start + words < len(tokens) else "")


def _conn(db) -> sqlite3.Connection:
    """A sqlite3 connection from a sqlite-utils Database or a connection (the start path uses the latter)."""
    return db if isinstance(db, sqlite3.Connection) else db.conn


def closed_section_ids(conn: sqlite3.Connection) -> set[int]:
    """Sections a public reader may not see, by the one public filter (data/access.py, #16): those of
    documents attached to closed items (with their parts), and those in a closed item's lines of its file."""
    from kkrdesk.data.access import visibility  # sqlite-utils behind it: not on the window's start
    from kkrdesk.data.lazydb import LazyDatabase

    seen = visibility(LazyDatabase(conn), True)
    closed: set[int] = set()
    if seen.documents:
        marks = ",".join(str(int(d)) for d in seen.documents)
        closed.update(r[0] for r in conn.execute(f"SELECT id FROM sections WHERE document_id IN ({marks})"))
    for document_id, spans in seen.ranges.items():
        for first, last in spans:
            closed.update(r[0] for r in conn.execute(
                "SELECT id FROM sections WHERE document_id = ? AND line_start <= ? AND line_end >= ?",
                (document_id, last, first)))
    return closed


def locked_section_ids(conn: sqlite3.Connection) -> set[int]:
    """What carries the lock in the secretariat's own search (#14): the closed sections, and the sections of
    a file a closed part came from (a bilag pack's contents list names the closed item)."""
    if conn.execute("SELECT 1 FROM agenda_items WHERE access = 'lukket' LIMIT 1").fetchone() is None:
        return set()    # nothing closed: the filter (and sqlite-utils behind it) stays off the window's start
    from kkrdesk.data.access import visibility
    from kkrdesk.data.lazydb import LazyDatabase

    closed = closed_section_ids(conn)
    documents = visibility(LazyDatabase(conn), True).documents
    if documents:
        marks = ",".join(str(int(d)) for d in documents)
        closed.update(r[0] for r in conn.execute(
            f"SELECT s.id FROM sections s WHERE s.document_id IN (SELECT parent_id FROM documents "
            f"WHERE id IN ({marks}) AND parent_id IS NOT NULL)"))
    return closed


def ranked_sections(db, match: str, limit: int | None, document_ids: list[int] | None = None,
                    exclude: set[int] | None = None, count: bool = True) -> tuple[list[tuple[float, int]], int | None]:
    """([(bm25, section id)] best first, matching sections in all): every match is scored.

    Ties are broken by the newer section first. `limit=None` returns the full ranking
    (the tests and the bench compare the two). SQLite keeps the best `limit` itself (a
    top-k sort, no rows to Python); the total is a separate count, which reads the index
    without scoring (a twentieth of the cost), or None with count=False. Excluded sections
    are filtered before they are scored.
    """
    conn = _conn(db)
    from kkrdesk.data.search_rank import rank  # numpy behind it: not on the window's start

    answer = rank(conn, match, limit, document_ids, exclude, count)
    if answer is not None:
        return answer
    where, params = "", [match]
    if document_ids is not None:
        where = f" AND rowid IN (SELECT id FROM sections WHERE document_id IN ({','.join('?' * len(document_ids))}))"
        params.extend(document_ids)
    if exclude:
        where += " AND +rowid NOT IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(exclude)))
    ranking = f"SELECT {BM25}, rowid FROM sections_fts WHERE sections_fts MATCH ?{where} ORDER BY 1, rowid DESC"
    if limit is None:
        best = conn.execute(ranking, params).fetchall()
    else:
        best = conn.execute(ranking + " LIMIT ?", [*params, limit]).fetchall()
    total = None
    if count:
        total = len(best) if limit is None or len(best) < limit else conn.execute(
            f"SELECT COUNT(*) FROM sections_fts WHERE sections_fts MATCH ?{where}", params).fetchone()[0]
    return [(score, sid) for score, sid in best], total


def _owners(conn: sqlite3.Connection, section_rows: list[tuple]) -> dict[int, tuple[str | None, str | None]]:
    """Meeting and agenda item of each section shown: through its bilag, or its lines in the pack."""
    owners: dict[int, tuple[str | None, str | None]] = {}
    doc_ids = sorted({row[1] for row in section_rows})
    if not doc_ids:
        return owners
    marks = ",".join("?" * len(doc_ids))
    by_bilag = {row[0]: row[1:] for row in conn.execute(
        f"""SELECT b.document_id, m.title, m.date, a.number, a.title FROM bilag b
            JOIN agenda_items a ON a.id = b.agenda_item_id JOIN meetings m ON m.id = a.meeting_id
            WHERE b.document_id IN ({marks})""", doc_ids)}
    in_pack: dict[int, list[tuple]] = {}
    for row in conn.execute(
            f"""SELECT a.document_id, a.line_start, COALESCE(a.line_end, a.line_start), m.title, m.date, a.number, a.title
                FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
                WHERE a.document_id IN ({marks}) AND a.line_start IS NOT NULL""", doc_ids):
        in_pack.setdefault(row[0], []).append(row[1:])
    meeting_of = {row[0]: row[1:] for row in conn.execute(
        f"SELECT document_id, title, date FROM meetings WHERE document_id IN ({marks})", doc_ids)}

    def meeting_label(title: str, date: str | None) -> str:
        if not date:
            return title
        from kkrdesk.data.danish import format_date  # light module, no Qt
        shown = format_date(date)
        return title if shown in title else f"{title}, {shown}"

    for sid, did, line_start, _line_end in section_rows:
        if did in by_bilag:
            mtitle, mdate, number, title = by_bilag[did]
            owners[sid] = (meeting_label(mtitle, mdate), f"{number} {title}".strip())
            continue
        item = next((r for r in in_pack.get(did, []) if r[0] <= line_start <= r[1]), None)
        if item is not None:
            owners[sid] = (meeting_label(item[2], item[3]), f"{item[4]} {item[5]}".strip())
        elif did in meeting_of:
            owners[sid] = (meeting_label(*meeting_of[did]), None)
    return owners


def _hits_for(conn: sqlite3.Connection, ranked: list[tuple[float, int]], pattern: re.Pattern | None,
              user_text: str) -> list[Hit]:
    ids = [sid for _score, sid in ranked]
    if not ids:
        return []
    rows = {row[0]: row for row in conn.execute(
        f"""SELECT s.id, s.document_id, d.file_name, d.title, s.number, s.title, s.line_start, s.line_end,
                   s.body, s.body_lines, COALESCE(p.file_name, d.file_name), d.parent_id
            FROM sections s JOIN documents d ON d.id = s.document_id
            LEFT JOIN documents p ON p.id = d.parent_id
            WHERE s.id IN ({','.join('?' * len(ids))})""", ids)}
    owners = _owners(conn, [(r[0], r[1], r[6], r[7]) for r in rows.values()])
    closed = locked_section_ids(conn)
    from kkrdesk.data.originals import PageLookup, page_of

    pages = PageLookup(conn)     # a PDF's page per original line (#15); text files have no pages
    pages.preload({row[1] for row in rows.values()} | {row[11] for row in rows.values() if row[11]})
    hits: list[Hit] = []
    for rank, sid in enumerate(ids):
        _, did, file_name, doc_title, number, title, line_start, _end, body, body_lines, _root, parent = rows[sid]
        starts = pages.starts(did) or pages.starts(parent)   # a part's lines are its file's: the file's pages

        heading = f"{number} {title}" if number and not title.startswith(number) else title
        meeting, item = owners.get(sid, (None, None))
        shown_title, locked = doc_title or file_name, sid in closed
        counts, line_text = _line_matches(body, user_text) if pattern is not None else ({}, None)
        if counts:
            numbers = unpack_line_numbers(body_lines)
            for index, occurrences in sorted(counts.items()):
                line = numbers[index] if index < len(numbers) else line_start
                hits.append(Hit(sid, did, file_name, shown_title, heading, line, line_text(index), pattern, occurrences,
                                page_of(starts, line) if starts else None, meeting, item, rank, locked))
        else:   # the match is in the heading (or only FTS sees it, e.g. across a line break)
            hits.append(Hit(sid, did, file_name, shown_title, heading, line_start, heading, pattern, 1,
                            page_of(starts, line_start) if starts else None, meeting, item, rank, locked))
    return hits


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_places(db, user_text: str, public: bool = False, limit: int = 20) -> list[Place]:
    """Agenda items, goals, datasets and themes whose title matches every word of the query."""
    pattern_words = [w for w in query_terms(user_text) if w]
    if not pattern_words:
        return []
    conn = _conn(db)
    words = [re.compile(r"(?<!\w)" + re.escape(w), re.IGNORECASE) for w in pattern_words]

    def matches(*texts: str | None) -> bool:
        joined = " ".join(t for t in texts if t)
        return all(w.search(joined) for w in words)

    first = _like(max(pattern_words, key=len))
    places: list[Place] = []
    closed = " AND a.access != 'lukket'" if public else ""
    for iid, number, title, mtitle in conn.execute(
            f"""SELECT a.id, a.number, a.title, m.title FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
                WHERE a.title LIKE ? ESCAPE '\\'{closed} ORDER BY m.date DESC, a.position LIMIT 200""", (first,)):
        if matches(number, title):
            places.append(Place("item", iid, f"{number} {title}".strip(), mtitle))
    for gid, number, title, year in conn.execute(
            """SELECT g.id, g.number, g.title, c.year FROM goals g JOIN contracts c ON c.id = g.contract_id
               WHERE g.title LIKE ? ESCAPE '\\' ORDER BY c.year DESC, g.position LIMIT 100""", (first,)):
        if matches(f"Mål {number}", title):
            places.append(Place("goal", gid, f"Mål {number}: {title}", f"Resultatkontrakt {year or ''}".strip()))
    for name, title, description in conn.execute(
            "SELECT name, title, description FROM datasets WHERE title LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\'",
            (first, first)):
        if matches(title, description):
            places.append(Place("dataset", name, title, "Nøgletal"))
    from kkrdesk.data.themes import load_themes  # reads resources/themes.json once (cached)
    for theme in load_themes():
        if matches(theme.name, theme.description):
            places.append(Place("theme", theme.key, theme.name, "Tema"))
    return places[:limit]


def run_search(db, user_text: str, limit: int = 20, document_ids: list[int] | None = None,
               public: bool = False, places: bool = True, count: bool = True) -> SearchResult:
    """The best `limit` sections by exact bm25, their hits per line, and the places that match.

    `public=True` leaves out everything of closed agenda items (lukkede punkter). `count=False`
    skips counting every matching section (`sections` is then those shown).
    """
    conn = _conn(db)
    result = SearchResult(query=user_text)
    match = fts_query(user_text)
    if match is None:
        return result
    exclude = closed_section_ids(conn) if public else None
    ranked, total = ranked_sections(conn, match, limit, document_ids, exclude, count)
    if not ranked:
        folded = fold_danish(user_text)
        if folded != unicodedata.normalize("NFC", user_text) and (fmatch := fts_query(folded)):
            ranked, total = ranked_sections(conn, fmatch, limit, document_ids, exclude, count)
            if ranked:
                result.query, result.folded = folded, True
    pattern = query_pattern(result.query)
    result.hits = _hits_for(conn, ranked, pattern, result.query)
    result.sections, result.shown_sections = (len(ranked) if total is None else total), len(ranked)
    result.occurrences = sum(h.occurrences for h in result.hits)
    if places and document_ids is None:
        result.places = find_places(conn, result.query, public=public)
    return result


def search(db, user_text: str, limit: int = 20, document_ids: list[int] | None = None,
           public: bool = False) -> list[Hit]:
    """Hits (one per matching line) of the best `limit` sections, best section first; [] for no words."""
    return run_search(db, user_text, limit, document_ids, public=public, places=False, count=False).hits
