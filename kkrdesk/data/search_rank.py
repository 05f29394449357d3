"""Exact bm25 top k from the search's own postings (#20.1), the same answer as FTS5's.

FTS5's `bm25(sections_fts, 1.0, 4.0)` for a row is −Σ idf(p) · f(p)·(k1+1) / (f(p) + k1·(1−b+b·D/avgdl))
over the query's phrases p, with f(p) the phrase's hits weighted by column, D the row's length
in tokens, avgdl and idf(p) = ln((N − n(p) + 0.5)/(n(p) + 0.5)) from the whole table (n(p): rows
with p; idf ≤ 0 becomes 1e-6). `search_index` holds f per word and D per section, so a query of
words and prefixes is scored here with the same double arithmetic in the same order (numpy's
elementwise + − × ÷ round as C's do; the idf is `math.log`, the C library's), and sorted as
`ORDER BY score, rowid DESC`.

A phrase ("grøn omstilling") needs word positions, which the postings do not hold. Its rows and
n(p) come from FTS5 (a match without scoring, a twentieth of the cost), and the smallest f of its
words bounds its f from above (each occurrence of the phrase is an occurrence of each word).
Rows are then taken in order of that bound and scored exactly by FTS5 itself, a few at a time,
until no unscored row's bound can beat the k-th exact score: the threshold algorithm.

`rank` returns None whenever it cannot promise FTS5's answer (no index, a stale one, a query
form it does not model); the caller then asks FTS5.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from typing import TYPE_CHECKING

from kkrdesk.data import search_index

if TYPE_CHECKING:
    import numpy as np

K1 = 1.2
B = 0.75
_PART = re.compile(r'"([^"]*)"(\*?)')
_WHOLE = re.compile(r'"[^"]*"\*?(?: "[^"]*"\*?)*')
_FIRST_EXACT = 32      # rows scored by FTS5 in the first round of a phrase query (then doubling)


def parse(match: str) -> list[tuple[list[str], bool, str]] | None:
    """The phrases of an FTS5 expression as search.fts_query writes it: (words, last word a prefix,
    the part as written), or None for anything else."""
    if not _WHOLE.fullmatch(match):
        return None
    parts = []
    for found in _PART.finditer(match):
        words = search_index.tokens(found.group(1))
        if not words:
            return None
        parts.append((words, bool(found.group(2)), found.group(0)))
    return parts


def _postings(conn: sqlite3.Connection, word: str, prefix: bool, segments: np.ndarray,
              table: str = "search_postings") -> tuple[np.ndarray, np.ndarray]:
    """(ascending ids, f) of a word (or a pair "a b" in search_pairs), or of every word that starts
    with it, in the sections' current text."""
    import numpy as np

    if prefix:
        upper = word[:-1] + chr(ord(word[-1]) + 1)
        rows = conn.execute(f"SELECT segment, data FROM {table} WHERE segment IN (SELECT id FROM search_segments) "
                            "AND term >= ? AND term < ?", (word, upper))
    else:
        rows = conn.execute(f"SELECT segment, data FROM {table} WHERE segment IN (SELECT id FROM search_segments) "
                            "AND term = ?", (word,))
    id_parts, f_parts, owners = [], [], []
    for segment, data in rows:
        ids, weights = search_index.decode(data)
        id_parts.append(ids)
        f_parts.append(weights)
        owners.append(segment)
    if not id_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    if len(id_parts) == 1:
        ids, weights = id_parts[0], f_parts[0]
        live = segments[ids] == owners[0]
        return ids[live], weights[live].astype(np.float64)
    ids = np.concatenate(id_parts)
    weights = np.concatenate(f_parts).astype(np.float64)
    live = segments[ids] == np.repeat(np.asarray(owners, dtype=segments.dtype), [len(p) for p in id_parts])
    ids, weights = ids[live], weights[live]
    # several words (a prefix) or segments: one sum per section (whole numbers, so exact in any order)
    summed = np.bincount(ids, weights=weights, minlength=len(segments))
    ids = np.flatnonzero(np.bincount(ids, minlength=len(segments)))
    return ids, summed[ids]


def _restrict(ids: np.ndarray, weights: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    mask = np.isin(ids, keep, assume_unique=True)
    return ids[mask], weights[mask]


def _phrase_bound(conn: sqlite3.Connection, words: list[str], prefix: bool, written: str,
                  segments: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """A longer phrase's rows (from FTS5) and an upper bound of its f in each: the least f of its
    word pairs (each occurrence of the phrase is one of each pair), and of its last word when that
    is a prefix."""
    import numpy as np

    ids = np.fromiter((r[0] for r in conn.execute(
        "SELECT rowid FROM sections_fts WHERE sections_fts MATCH ? ORDER BY rowid", (written,))), np.int64)
    whole = words[:-1] if prefix else words          # a prefix last word pairs with nothing
    pieces = [(f"{a} {b}", False, "search_pairs") for a, b in zip(whole, whole[1:], strict=False)]
    if prefix:
        pieces.append((words[-1], True, "search_postings"))
    weights = None
    for key, is_prefix, table in pieces:
        piece_ids, piece_f = _restrict(*_postings(conn, key, is_prefix, segments, table), ids)
        if len(piece_ids) != len(ids):
            return None, None    # FTS5 and the postings disagree on which rows hold the words
        weights = piece_f if weights is None else np.minimum(weights, piece_f)
    return ids, weights


def _term(idf: float, weights: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """idf · f·(k1+1) / (f + k1·norm), as FTS5 computes it."""
    return idf * ((weights * (K1 + 1.0)) / (weights + K1 * norm))


def rank(conn: sqlite3.Connection, match: str, limit: int | None, document_ids: list[int] | None = None,
         exclude: set[int] | None = None, count: bool = True) -> tuple[list[tuple[float, int]], int | None] | None:
    """([(bm25, section id)] best first, matching sections after the filters) as FTS5 ranks them, or None."""
    if limit is None or limit <= 0 or not search_index.current(conn):
        return None
    parts = parse(match)
    if parts is None:
        return None
    try:
        return _rank(conn, parts, match, limit, document_ids, exclude, count)
    except (ValueError, IndexError, sqlite3.Error):
        return None    # a postings row this version cannot read: FTS5 answers


def _rank(conn, parts, match, limit, document_ids, exclude, count):
    import numpy as np

    rows, total_tokens = search_index.stats(conn)
    if rows == 0:
        return [], 0
    lengths, segments = search_index.docs(conn)
    avgdl = float(total_tokens) / float(rows)
    scored = []            # (idf, ids, f, exact) per phrase, in the query's order
    for words, prefix, written in parts:
        if len(words) == 1:
            ids, weights = _postings(conn, words[0], prefix, segments)
            exact = True
        elif len(words) == 2 and not prefix:      # a pair of words: its own postings
            ids, weights = _postings(conn, " ".join(words), False, segments, "search_pairs")
            exact = True
        else:
            ids, weights = _phrase_bound(conn, words, prefix, written, segments)
            if ids is None:
                return None
            exact = False
        hits = len(ids)
        idf = math.log((rows - hits + 0.5) / (hits + 0.5))
        scored.append((idf if idf > 0.0 else 1e-6, ids, weights, exact))
        if not hits:
            return [], 0
    ids = min((part[1] for part in scored), key=len)
    for _idf, other, _f, _exact in scored:
        if other is not ids:          # sections in every phrase: a lookup table per phrase, linear time
            member = np.zeros(len(lengths), dtype=np.bool_)
            member[other] = True
            ids = ids[member[ids]]
    if document_ids is not None:
        allowed = np.fromiter((r[0] for r in conn.execute(
            f"SELECT id FROM sections WHERE document_id IN ({','.join('?' * len(document_ids))})", document_ids)),
            np.int64)
        ids = ids[np.isin(ids, allowed)]
    if exclude:
        ids = ids[~np.isin(ids, np.fromiter(exclude, np.int64, len(exclude)))]
    total = len(ids) if count else None
    if not len(ids):
        return [], total
    norm = (1.0 - B) + B * lengths[ids].astype(np.float64) / avgdl
    score = np.zeros(len(ids), dtype=np.float64)
    for idf, phrase_ids, weights, _exact in scored:
        if len(phrase_ids) != len(ids):
            weights = weights[np.searchsorted(phrase_ids, ids)]
        score += _term(idf, weights, norm)
    if all(exact for *_rest, exact in scored):
        return _top(score, ids, limit), total
    return _threshold(conn, match, score, ids, limit), total


def _order(score: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Indexes best first: the higher score, then the higher id (FTS5: ORDER BY −score, rowid DESC)."""
    import numpy as np

    return np.lexsort((-ids, -score))


def _top(score: np.ndarray, ids: np.ndarray, limit: int) -> list[tuple[float, int]]:
    import numpy as np

    if len(ids) > 4 * limit:
        kth = np.partition(-score, limit - 1)[limit - 1]
        near = np.flatnonzero(-score <= kth)       # the best `limit` and everything tied with the last
        score, ids = score[near], ids[near]
    best = _order(score, ids)[:limit]
    return [(-1.0 * float(score[i]), int(ids[i])) for i in best]


def _threshold(conn: sqlite3.Connection, match: str, bound: np.ndarray, ids: np.ndarray,
               limit: int) -> list[tuple[float, int]]:
    """Score rows exactly (FTS5) in order of their upper bound until no bound can beat the k-th."""
    order = _order(bound, ids)
    exact: list[tuple[float, int]] = []     # (bm25 as FTS5 gives it: lower is better, id)
    done, step = 0, max(_FIRST_EXACT, 2 * limit)
    while done < len(order):
        batch = [int(ids[i]) for i in order[done:done + step]]
        done += len(batch)
        exact.extend(conn.execute(
            f"SELECT {_bm25()}, rowid FROM sections_fts WHERE sections_fts MATCH ? "
            "AND +rowid IN (SELECT value FROM json_each(?))", (match, json.dumps(batch))).fetchall())
        exact.sort(key=lambda row: (row[0], -row[1]))
        if len(exact) >= limit and done < len(order):
            kth_score, kth_id = exact[limit - 1]
            following = order[done]
            if (-1.0 * float(bound[following]), -int(ids[following])) > (kth_score, -kth_id):
                break     # the best unscored row cannot reach the k-th: no later one can
        step *= 2
    return exact[:limit]


def _bm25() -> str:
    from kkrdesk.data.search import BM25

    return BM25
