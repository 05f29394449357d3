"""Full-text search over section text (FTS5, Danish-aware).

Any user input is a valid search: the query is rebuilt from the words the
user typed (each quoted, so `co2-afgift`, `AND`, `"`, `NEAR(` are just words),
"quoted phrases" stay phrases, and every word is a prefix so "kommune" also
finds "kommunerne".
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlite_utils import Database

from kkrdesk.data.item_access import closed_document_ids

_PHRASE = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"\w+")
HIGHLIGHT_START = "«"
HIGHLIGHT_END = "»"


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression that cannot be a syntax error, or None for no words."""
    text = unicodedata.normalize("NFC", user_text)
    terms: list[str] = []
    for phrase in _PHRASE.findall(text):
        words = _WORD.findall(phrase)
        if words:
            terms.append('"' + " ".join(words) + '"')
    rest = _PHRASE.sub(" ", text)
    terms.extend(f'"{word}"*' for word in _WORD.findall(rest))
    return " ".join(terms) if terms else None


def query_terms(user_text: str) -> list[str]:
    """The words of a query, lower-cased: for highlighting and finding the hit's line."""
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFC", user_text))]


@dataclass
class Hit:
    section_id: int
    document_id: int
    document: str            # file name
    document_title: str
    section: str             # section heading (with number)
    line: int                # original line of the first matching line
    snippet: str             # with «…» around matches
    locked: bool = False     # from a closed agenda item (the secretariat's own store, #14)

    def as_json(self) -> dict:
        return {
            "locked": self.locked,
            "document": self.document,
            "document_id": self.document_id,
            "document_title": self.document_title,
            "section": self.section,
            "section_id": self.section_id,
            "line": self.line,
            "snippet": self.snippet,
        }


@lru_cache(maxsize=32)
def query_pattern(user_text: str) -> re.Pattern | None:
    """What a hit shows highlighted: each "quoted phrase" as a whole, other words as prefixes."""
    text = unicodedata.normalize("NFC", user_text)
    parts = [r"\W+".join(re.escape(w) for w in _WORD.findall(phrase)) for phrase in _PHRASE.findall(text)]
    parts += [re.escape(w) for w in _WORD.findall(_PHRASE.sub(" ", text))]
    parts = [p for p in parts if p]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")\w*", re.IGNORECASE)


def _hit_line(lines: list[str], pattern: re.Pattern | None) -> int | None:
    """Index of the first body line the query matches, or None."""
    if pattern is None:
        return None
    return next((i for i, text in enumerate(lines) if pattern.search(text)), None)


_SNIPPET_WORDS = 14


def make_snippet(text: str, pattern: re.Pattern | None, words: int = _SNIPPET_WORDS) -> str:
    """About `words` words around the first match, with «» around every match.

    Made here rather than with FTS5's snippet(), which would need a second pass over the
    index for the rows shown (see search()).
    """
    tokens = text.split()
    match = pattern.search(text) if pattern else None
    if match is None:
        return " ".join(tokens[:words]) + (" …" if len(tokens) > words else "")
    first = len(text[:match.start()].split())
    start = max(0, first - words // 3)
    chosen = " ".join(tokens[start:start + words])
    marked = pattern.sub(lambda m: f"{HIGHLIGHT_START}{m.group(0)}{HIGHLIGHT_END}", chosen)
    return ("…" if start else "") + marked + ("…" if start + words < len(tokens) else "")


# Ranking costs a few microseconds per matching section, and a prefix query pays once for
# merging the index entries of every word it covers. A word found in most sections of a large
# archive ("kommun*") would take tens of milliseconds to rank in full, so one pass over the
# index, newest section first, scores at most RANK_WINDOW matches; the best `limit` of those
# are shown. Rarer queries (most) score every match. Snippets are made in Python from the
# stored text, so the index is read once per search.
RANK_WINDOW = 600


def search(db: Database, user_text: str, limit: int = 20, document_ids: list[int] | None = None) -> list[Hit]:
    """Ranked hits (best first); an empty list for input without words."""
    match = fts_query(user_text)
    if match is None:
        return []
    where = ""
    params: list = [match]
    if document_ids is not None:
        where = f" AND rowid IN (SELECT id FROM sections WHERE document_id IN ({','.join('?' * len(document_ids))}))"
        params.extend(document_ids)
    params.append(RANK_WINDOW)
    # bm25 with the title weighted 4×; lower is better
    scored = db.execute(
        f"SELECT rowid, bm25(sections_fts, 4.0, 1.0) FROM sections_fts WHERE sections_fts MATCH ?{where} "
        "ORDER BY rowid DESC LIMIT ?", params).fetchall()
    best = [rowid for rowid, _score in sorted(scored, key=lambda r: (r[1], -r[0]))[:limit]]
    if not best:
        return []
    rows = {row[0]: row for row in db.execute(
        f"""SELECT s.id, s.document_id, d.file_name, d.title, s.number, s.title, s.line_start, s.body, s.body_lines
            FROM sections s JOIN documents d ON d.id = s.document_id
            WHERE s.id IN ({','.join('?' * len(best))})""", best)}
    pattern = query_pattern(user_text)
    closed = closed_document_ids(db)
    hits: list[Hit] = []
    for sid in best:
        _, did, file_name, doc_title, number, title, line_start, body, body_lines = rows[sid]
        heading = f"{number} {title}" if number and not title.startswith(number) else title
        lines = body.split("\n")
        numbers = json.loads(body_lines)
        index = _hit_line(lines, pattern)
        line = numbers[index] if index is not None and index < len(numbers) else line_start
        snippet = make_snippet(lines[index] if index is not None else heading, pattern)
        hits.append(Hit(sid, did, file_name, doc_title or file_name, heading, line, snippet, did in closed))
    return hits
