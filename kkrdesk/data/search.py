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

from sqlite_utils import Database

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

    def as_json(self) -> dict:
        return {
            "document": self.document,
            "document_id": self.document_id,
            "document_title": self.document_title,
            "section": self.section,
            "section_id": self.section_id,
            "line": self.line,
            "snippet": self.snippet,
        }


def _hit_line(body: str, body_lines: list[int], fallback: int, terms: list[str]) -> int:
    for index, text in enumerate(body.split("\n")):
        folded = text.casefold()
        if any(term in folded for term in terms):
            return body_lines[index] if index < len(body_lines) else fallback
    return fallback


def search(db: Database, user_text: str, limit: int = 20, document_ids: list[int] | None = None) -> list[Hit]:
    """Ranked hits (best first); an empty list for input without words."""
    match = fts_query(user_text)
    if match is None:
        return []
    where = ""
    params: list = [match]
    if document_ids is not None:
        where = f" AND s.document_id IN ({','.join('?' * len(document_ids))})"
        params.extend(document_ids)
    params.append(limit)
    sql = f"""
        SELECT s.id, s.document_id, d.file_name, d.title, s.number, s.title, s.line_start, s.body, s.body_lines,
               snippet(sections_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 14) AS snip,
               snippet(sections_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 14) AS title_snip
        FROM sections_fts
        JOIN sections s ON s.id = sections_fts.rowid
        JOIN documents d ON d.id = s.document_id
        WHERE sections_fts MATCH ? AND sections_fts.rank MATCH 'bm25(4.0, 1.0)'{where}
        ORDER BY sections_fts.rank
        LIMIT ?
    """
    # `ORDER BY rank` (bm25 with the title weighted 4×) is sorted inside FTS5, so the snippets
    # are made for the `limit` rows returned, not for every match before a sort (bench, #8).
    terms = query_terms(user_text)
    hits: list[Hit] = []
    for (sid, did, file_name, doc_title, number, title, line_start, body, body_lines, snip, title_snip) in db.execute(sql, params):
        heading = f"{number} {title}" if number and not title.startswith(number) else title
        snippet = snip if HIGHLIGHT_START in snip else (title_snip if HIGHLIGHT_START in title_snip else snip)
        hits.append(Hit(sid, did, file_name, doc_title or file_name, heading,
                        _hit_line(body, json.loads(body_lines), line_start, terms), snippet.replace("\n", " ")))
    return hits
