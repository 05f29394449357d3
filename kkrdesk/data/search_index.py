"""The search's own postings (#20.1): per word, which sections hold it and how often, weighted.

FTS5 scores every matching row through its auxiliary-function API, about 2 µs a row, so a
common word at five times the archive costs 50–100 ms before anything is shown. This index
holds what bm25 needs and nothing else: per term the section ids and `f` (hits in the body
× 1 + hits in the title × 4, the search's column weights), per section its length in
tokens. `search_rank` scores from it with numpy, exactly as FTS5's bm25 does.

It is a derived cache beside `sections_fts`, never a second truth:

* Triggers on `sections` note every changed id in `search_dirty`; `catch_up` indexes them
  after a batch of imports (the command line's, the window's, the bundle's, a bilag
  attached), and opening a writable store catches up what an interrupted batch left. Until
  then the index is not current, and the search asks FTS5 alone: never a stale answer.
* Every indexed section's token count is checked against FTS5's own (`sections_fts_docsize`):
  one disagreement (a character the two tokenisers treat differently) marks the index
  unusable and the search falls back to FTS5, so a wrong score is never shown.
* Postings are written as immutable segments, like FTS5's own: one per transaction, merged
  eight at a time into the next level; a section's postings count only in the segment that
  indexed its current text (`search_docs`), so deleting or re-importing needs no rewrite.
* Packs and redacted copies drop the whole index (`drop`): it would keep closed words.
"""

from __future__ import annotations

import re
import sqlite3
from array import array
from collections import Counter
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from kkrdesk.data import zstd_codec
from kkrdesk.data.section_text import unpack_body

if TYPE_CHECKING:
    import numpy as np

    from kkrdesk.data.search_numbering import NumberedWords, WorkerTerms

# FTS5's unicode61 (remove_diacritics 0) takes runs of letters and digits (categories L*, N*),
# folded to lower case; the underscore is a separator.
TOKEN = re.compile(r"[^\W_]+")
BODY_WEIGHT = 1
TITLE_WEIGHT = 4
CHUNK_BITS = 12                  # search_docs holds 4096 section ids per row
MERGE_FAN_IN = 8                 # segments of one level merged into one of the next
FORMAT = "3"                     # bump to rebuild every store's index
_COMPRESS_OVER = 256             # bytes: smaller postings are stored raw
_SEGMENT_TOKENS = 8_000_000      # tokens indexed in memory at once (about 20 bytes each at the peak)
_MERGE_POSTINGS = 500_000        # postings merged in memory at once (about 50 MB)
_MERGE_KEPT = 20_000             # lists carried over unchanged, held before they are written
_LEVEL_BASE = 100_000            # tokens: segments below this are level 0
_TABLES = ("search_meta", "search_segments", "search_postings", "search_pairs", "search_docs", "search_dirty")
_TRIGGERS = ("search_dirty_ai", "search_dirty_ad", "search_dirty_au")
_WIDTHS = {1: "<u1", 2: "<u2", 4: "<u4"}
# A segment's rows are contiguous (the key starts with it): a new segment is appended page by page,
# a merged one frees whole pages; a search seeks each segment (a handful) for its words.
_POSTINGS_TABLE = ("(segment INTEGER NOT NULL, term TEXT NOT NULL, data BLOB NOT NULL, "
                   "PRIMARY KEY (segment, term)) WITHOUT ROWID")
_CUT = {"search_postings": "temp.search_cut_postings", "search_pairs": "temp.search_cut_pairs"}


# The same tokens, found faster (#20.3): every run of characters that are not letters or digits becomes
# a space — the non-ASCII ones by a regex, the ASCII ones (and "_") by a byte table on the UTF-8, whose
# multi-byte sequences use only bytes ≥ 0x80 — and the text is split at the spaces. A third less time
# than `TOKEN.findall` (each token is then made by `split`, in C); tested equal for every character.
_NON_ASCII_SEPARATORS = re.compile(r"[^\x00-\x7f\w]+")
_ASCII_SEPARATORS_TO_SPACE = bytes(b if b >= 0x80 or chr(b).isalnum() else 0x20 for b in range(256))


def tokens(text: str | None) -> list[str]:
    """The terms FTS5 indexes for this text, in order: `TOKEN.findall(text.lower())`."""
    if not text:
        return []
    low = text.lower()
    if not low.isascii():
        low = _NON_ASCII_SEPARATORS.sub(" ", low)
    return low.encode("utf-8", "surrogatepass").translate(_ASCII_SEPARATORS_TO_SPACE).decode(
        "utf-8", "surrogatepass").split()


def exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_meta'").fetchone() is not None


def create(conn: sqlite3.Connection) -> None:
    """The tables and triggers, every section marked for indexing (the caller's transaction; `sync` fills it)."""
    for statement in (
        "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS search_segments (id INTEGER PRIMARY KEY, level INTEGER NOT NULL, "
        "docs INTEGER NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS search_postings {_POSTINGS_TABLE}",
        f"CREATE TABLE IF NOT EXISTS search_pairs {_POSTINGS_TABLE}",
        "CREATE TABLE IF NOT EXISTS search_docs (chunk INTEGER PRIMARY KEY, lengths BLOB NOT NULL, "
        "segments BLOB NOT NULL)",
        "CREATE TABLE IF NOT EXISTS search_dirty (id INTEGER PRIMARY KEY)",
        "CREATE TRIGGER IF NOT EXISTS search_dirty_ai AFTER INSERT ON sections BEGIN "
        "INSERT OR IGNORE INTO search_dirty (id) VALUES (new.id); END",
        "CREATE TRIGGER IF NOT EXISTS search_dirty_ad AFTER DELETE ON sections BEGIN "
        "INSERT OR IGNORE INTO search_dirty (id) VALUES (old.id); END",
        "CREATE TRIGGER IF NOT EXISTS search_dirty_au AFTER UPDATE OF id, body, title ON sections BEGIN "
        "INSERT OR IGNORE INTO search_dirty (id) VALUES (old.id); "
        "INSERT OR IGNORE INTO search_dirty (id) VALUES (new.id); END",
        "INSERT OR IGNORE INTO search_dirty (id) SELECT id FROM sections",
    ):
        conn.execute(statement)
    conn.executemany("INSERT OR REPLACE INTO search_meta (key, value) VALUES (?, ?)",
                     [("format", FORMAT), ("rows", 0), ("tokens", 0), ("usable", 1)])


def drop(conn: sqlite3.Connection) -> None:
    """Remove the index (packs and redacted copies: it holds every section's words)."""
    for trigger in _TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in _TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")


def current(conn: sqlite3.Connection) -> bool:
    """Whether the index exists, agrees with FTS5 and has nothing waiting: then it may rank."""
    try:
        usable = conn.execute("SELECT value FROM search_meta WHERE key = 'usable'").fetchone()
        if not usable or int(usable[0]) != 1:
            return False
        return conn.execute("SELECT 1 FROM search_dirty LIMIT 1").fetchone() is None
    except sqlite3.OperationalError:
        return False


def needs_build(conn: sqlite3.Connection) -> bool:
    """A writable store without the index (made before it existed) or with an older format."""
    if not exists(conn):
        return True
    row = conn.execute("SELECT value FROM search_meta WHERE key = 'format'").fetchone()
    return row is None or str(row[0]) != FORMAT


def ensure(conn: sqlite3.Connection) -> None:
    """Build the index if the store has none (or an older format), or index what an interrupted
    batch left waiting; in one transaction of its own."""
    from kkrdesk.data.store import write_transaction

    if needs_build(conn):
        with write_transaction(conn):
            if needs_build(conn):      # still, now that we hold the lock (another process may have built it)
                drop(conn)
                create(conn)
            sync(conn)
    else:
        catch_up(conn)


def pending(conn: sqlite3.Connection) -> int:
    """Sections changed since the index last caught up (0 without an index)."""
    try:
        return conn.execute("SELECT COUNT(*) FROM search_dirty").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def catch_up(conn: sqlite3.Connection, fed: BatchIndexer | None = None) -> None:
    """Index what changed, in a write transaction of its own: called once after a batch of imports
    (the command line's, the window's, the bundle's), since a segment per file would cost a
    posting row per word and pair of every file, and the merges to follow. `fed`: the batch's
    sections already tokenised as they were written."""
    if pending(conn):
        from kkrdesk.data.store import write_transaction

        with write_transaction(conn):
            sync(conn, fed)


# --- reading ---------------------------------------------------------------------------------------


def _meta(conn: sqlite3.Connection) -> dict[str, Any]:
    return dict(conn.execute("SELECT key, value FROM search_meta"))


def stats(conn: sqlite3.Connection) -> tuple[int, int]:
    """(sections, tokens in all of them): FTS5's row count and total size."""
    meta = _meta(conn)
    return int(meta["rows"]), int(meta["tokens"])


def docs(conn: sqlite3.Connection, size: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(length, segment) per section id: numpy arrays long enough for every id (0 = not indexed)."""
    import numpy as np

    rows = conn.execute("SELECT chunk, lengths, segments FROM search_docs ORDER BY chunk").fetchall()
    top = (rows[-1][0] + 1) << CHUNK_BITS if rows else 0
    size = max(size or 0, top)
    lengths = np.zeros(size, dtype=np.uint32)
    segments = np.zeros(size, dtype=np.uint32)
    for chunk, length_data, segment_data in rows:
        start = chunk << CHUNK_BITS
        lengths[start:start + (1 << CHUNK_BITS)] = np.frombuffer(length_data, dtype="<u4")
        segments[start:start + (1 << CHUNK_BITS)] = np.frombuffer(segment_data, dtype="<u4")
    return lengths, segments


def encode(ids: np.ndarray, weights: np.ndarray) -> bytes:
    """Ascending section ids (as gaps) and their f, each in the narrowest width that holds it:
    one list as `_encoded_groups` writes every list."""
    import numpy as np

    ((_key, data),) = _encoded_groups(np.zeros(len(ids), np.int64), ids.astype(np.int64), weights.astype(np.int64))
    return data


def _framed(body: bytes, count: int, id_width: int, f_width: int) -> bytes:
    """One flags byte (widths; 0x80: zstd), the count, the body (packed when that is smaller)."""
    flags = id_width | (f_width << 3)
    if len(body) > _COMPRESS_OVER:
        packed = zstd_codec.compress(body, 1)
        if len(packed) < len(body):
            body, flags = packed, flags | 0x80
    return bytes([flags]) + count.to_bytes(4, "little") + body


def decode(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(ids, f) of one stored posting list; ValueError for one that is not ours."""
    import numpy as np

    flags, count = data[0], int.from_bytes(data[1:5], "little")
    id_width, f_width = flags & 0x7, (flags >> 3) & 0x7
    if id_width not in _WIDTHS or f_width not in _WIDTHS:
        raise ValueError("ukendt postingformat")
    body = zstd_codec.decompress(data[5:]) if flags & 0x80 else data[5:]
    if len(body) != count * (id_width + f_width):
        raise ValueError("postingliste har forkert længde")
    gaps = np.frombuffer(body, dtype=_WIDTHS[id_width], count=count)
    weights = np.frombuffer(body, dtype=_WIDTHS[f_width], count=count, offset=count * id_width)
    return gaps.cumsum(dtype=np.int64), weights


def _width(value: int) -> int:
    return 1 if value < 1 << 8 else 2 if value < 1 << 16 else 4


# --- writing ---------------------------------------------------------------------------------------


class BatchIndexer:
    """The sections a batch of imports writes, tokenised as each file is committed — while the batch's
    worker prepares the next file — so the catch-up after the batch only encodes (#20.3).

    What it holds is checked against the store before it is used (every section still marked
    changed, its text what was given): anything else indexes the batch from the store instead.
    It takes no more than one segment's tokens; the rest is read from the store as usual."""

    def __init__(self) -> None:
        self.vocabulary, self.columns = _Vocabulary(), _Columns()
        self.sizes: dict[int, int] = {}
        self.digests: dict[int, int] = {}
        self._mapped: np.ndarray | None = None       # a worker's number → this vocabulary's (add_numbered)

    @property
    def tokens(self) -> int:
        return len(self.columns.terms)

    def add(self, section: int, body: Any, title: str) -> None:
        """A section as written: its body as stored (packed or not) and its title."""
        if self.tokens >= _SEGMENT_TOKENS or section in self.sizes:
            return
        size = self.columns.add(section, self.vocabulary, tokens(unpack_body(body)), BODY_WEIGHT)
        size += self.columns.add(section, self.vocabulary, tokens(title), TITLE_WEIGHT)
        self.sizes[section] = size
        self.digests[section] = hash((body, title))

    def add_numbered(self, sections: list[tuple[int, Any, str]], words: NumberedWords, worker: WorkerTerms) -> bool:
        """A file's sections as written (id, body as stored, title) with the words the batch's worker
        numbered for them (search_numbering), whose terms `worker` has heard: the same as `add` for
        each, False where it cannot be."""
        import numpy as np

        if worker.broken or words.base + len(words.new_terms) > len(worker.terms):
            return False
        counts = np.frombuffer(words.counts, dtype=np.uint32)
        numbers = np.frombuffer(words.numbers, dtype=np.uint32)
        if (len(counts) != 2 * len(sections) or int(counts.sum()) != len(numbers)
                or self.tokens >= _SEGMENT_TOKENS or any(sid in self.sizes for sid, _, _ in sections)):
            return False
        unmapped = np.uint32(0xFFFFFFFF)
        mapped = self._mapped if self._mapped is not None else np.zeros(0, dtype=np.uint32)
        if len(mapped) < len(worker.terms):
            mapped = self._mapped = np.concatenate(
                [mapped, np.full(len(worker.terms) - len(mapped), unmapped, dtype=np.uint32)])
        if len(numbers):
            for number in np.unique(numbers[mapped[numbers] == unmapped]).tolist():
                mapped[number] = self.vocabulary[worker.terms[number]]
            self.columns.terms.frombytes(mapped[numbers].tobytes())
        runs, sizes = self.columns.runs, self.columns.sizes
        for (sid, body, title), body_count, title_count in zip(sections, counts[0::2].tolist(), counts[1::2].tolist(),
                                                                strict=True):
            if body_count:
                runs.append((sid, BODY_WEIGHT))
                sizes.append(body_count)
            if title_count:
                runs.append((sid, TITLE_WEIGHT))
                sizes.append(title_count)
            self.sizes[sid] = body_count + title_count
            self.digests[sid] = hash((body, title))
        return True


class _Stale(Exception):
    """A section given to a BatchIndexer changed or went before the catch-up."""


def _rows_by_id(conn: sqlite3.Connection, select: str, ids: list[int]) -> Iterator[tuple[list[int], list[tuple]]]:
    """(ids asked, rows found) of `select` ("SELECT id, … FROM table") for these ids, 500 at a time."""
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        yield batch, conn.execute(f"{select} WHERE id IN ({','.join('?' * len(batch))})", batch).fetchall()


def _check_fed(conn: sqlite3.Connection, fed: BatchIndexer, dirty: list[int]) -> None:
    if not set(fed.sizes) <= set(dirty):
        raise _Stale
    for batch, found in _rows_by_id(conn, "SELECT id, body, title FROM sections", list(fed.sizes)):
        if len(found) != len(batch):
            raise _Stale
        for sid, body, title in found:
            if hash((body, title)) != fed.digests[sid]:     # as stored: nothing unpacked
                raise _Stale


def sync(conn: sqlite3.Connection, fed: BatchIndexer | None = None) -> None:
    """Index the sections changed since the last sync (inside the caller's write transaction); with
    `fed`, the sections it holds are not tokenised again."""
    if fed is not None and fed.sizes:
        conn.execute("SAVEPOINT search_fed")
        try:
            _sync(conn, fed)
        except _Stale:          # something changed them since: index them from the store
            conn.execute("ROLLBACK TO search_fed")
            conn.execute("RELEASE search_fed")
            _sync(conn, None)
            return
        conn.execute("RELEASE search_fed")
        return
    _sync(conn, None)


def _sync(conn: sqlite3.Connection, fed: BatchIndexer | None) -> None:
    try:
        dirty = [r[0] for r in conn.execute("SELECT id FROM search_dirty ORDER BY id")]
    except sqlite3.OperationalError:
        return   # no index in this store (a pack, a redacted copy)
    if not dirty:
        return
    meta = _meta(conn)
    rows, total = int(meta["rows"]), int(meta["tokens"])
    lengths, segments = docs(conn, dirty[-1] + 1)
    touched = set()
    usable = int(meta["usable"]) == 1
    segment, vocabulary, columns, counted = 0, _Vocabulary(), _Columns(), {}
    written: list[int] = []
    cutting = False          # a big batch: its segments go to temp tables first, then merge into one
    if fed is not None:      # its sections are the first segment's, tokenised already
        _check_fed(conn, fed, dirty)
        segment = conn.execute("INSERT INTO search_segments (level, docs) VALUES (0, 0)").lastrowid
        written.append(segment)
        vocabulary, columns = fed.vocabulary, fed.columns
        for sid, size in fed.sizes.items():
            if segments[sid]:
                rows, total = rows - 1, total - int(lengths[sid])
            lengths[sid], segments[sid] = size, segment
            touched.add(sid >> CHUNK_BITS)
            counted[sid] = size
            rows, total = rows + 1, total + size
        dirty = [sid for sid in dirty if sid not in fed.sizes]
    for batch, found in _rows_by_id(conn, "SELECT id, body, title FROM sections", dirty):
        texts = {r[0]: r[1:] for r in found}
        for sid in batch:
            if segments[sid]:
                rows, total = rows - 1, total - int(lengths[sid])
            lengths[sid] = segments[sid] = 0
            touched.add(sid >> CHUNK_BITS)
            if sid not in texts:
                continue
            if not segment:
                segment = conn.execute("INSERT INTO search_segments (level, docs) VALUES (0, 0)").lastrowid
                written.append(segment)
            body, title = texts[sid]
            size = columns.add(sid, vocabulary, tokens(unpack_body(body)), BODY_WEIGHT)
            size += columns.add(sid, vocabulary, tokens(title), TITLE_WEIGHT)
            lengths[sid], segments[sid] = size, segment
            counted[sid] = size
            rows, total = rows + 1, total + size
            if len(columns.terms) >= _SEGMENT_TOKENS:     # bounded memory: this much makes a segment
                if not cutting:
                    for cut in _CUT.values():
                        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {cut.split('.')[1]} {_POSTINGS_TABLE}")
                    cutting = True
                usable = usable and _agrees_with_fts(conn, counted)
                _write_segment(conn, segment, len(counted), vocabulary, columns, _tables(cutting))
                segment, vocabulary, columns, counted = 0, _Vocabulary(), _Columns(), {}
    if counted:
        usable = usable and _agrees_with_fts(conn, counted)
        _write_segment(conn, segment, len(counted), vocabulary, columns, _tables(cutting))
    _write_docs(conn, lengths, segments, touched)
    if cutting:      # the cuts of a big batch become one segment in the store
        _merge_segments(conn, written, 0, lengths, segments, _CUT)
        for cut in _CUT.values():
            conn.execute(f"DROP TABLE IF EXISTS {cut}")   # the temp file's pages, not the store's
    elif written:
        conn.execute("UPDATE search_segments SET level = ? WHERE id = ?",
                     (_level(int(lengths[segments == written[0]].sum())), written[0]))
    conn.executemany("INSERT OR REPLACE INTO search_meta (key, value) VALUES (?, ?)",
                     [("rows", rows), ("tokens", total), ("usable", int(usable))])
    conn.execute("DELETE FROM search_dirty")
    _merge(conn, lengths, segments)


def _tables(cutting: bool) -> dict[str, str]:
    """Where a new segment's rows go: the store's tables, or a big batch's temp tables."""
    return dict(_CUT) if cutting else {table: table for table in _CUT}


class _Vocabulary(dict):
    """Term → number, numbering new terms as they come (lookups of known ones stay in C)."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number

    def terms(self) -> list[str]:
        return list(self)     # insertion order is number order


class _Columns:
    """Every token of the sections being indexed, as term numbers (4 bytes each), and the postings
    they make, written in term order in pieces of bounded size (numpy)."""

    def __init__(self) -> None:
        self.terms = array("I")
        self.runs: list[tuple[int, int]] = []    # (section, weight) per column with words
        self.sizes: list[int] = []

    def add(self, section: int, vocabulary: _Vocabulary, words: list[str], weight: int) -> int:
        count = len(words)
        if count:
            self.terms.extend(map(vocabulary.__getitem__, words))
            self.runs.append((section, weight))
            self.sizes.append(count)
        return count

    def postings(self, vocabulary: _Vocabulary, piece: int) -> Iterator[tuple[str, Iterator[tuple[str, bytes]]]]:
        """("search_postings" | "search_pairs", (term, stored postings) in term order) — each table's
        lists built a piece of about `piece` tokens at a time, so a decade needs no merge after it.
        The tokens are renumbered by rank (4 bytes each) and the numbering by arrival is let go."""
        import numpy as np

        names = vocabulary.terms()
        order = sorted(range(len(names)), key=names.__getitem__)
        ranked = [names[number] for number in order]
        del names
        rank = np.empty(len(ranked), dtype=np.uint32)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(ranked), dtype=np.uint32)
        del order
        tokens = rank[np.frombuffer(self.terms, dtype=np.uint32)] if self.terms else np.zeros(0, np.uint32)
        self.terms = array("I")
        sizes = np.asarray(self.sizes, dtype=np.int64)
        starts = np.cumsum(sizes) - sizes                  # each column's first token
        runs = np.asarray(self.runs, dtype=np.int64).reshape(-1, 2)
        follows = np.ones(len(tokens), dtype=np.bool_)
        follows[starts] = False                            # a column's first word follows nothing
        yield "search_postings", _pieces(tokens, None, starts, runs, ranked, piece)
        yield "search_pairs", _pieces(tokens, follows, starts, runs, ranked, piece)


def _pieces(tokens, follows, starts, runs, ranked: list[str], piece: int) -> Iterator[tuple[str, bytes]]:
    """(term, stored postings) in term order, for a range of first terms (by rank) of about `piece`
    tokens at a time; with `follows`, of pairs (a word and the next in its column)."""
    import numpy as np

    width = len(ranked) or 1
    counts = np.bincount(tokens, minlength=width)
    if follows is not None:       # a pair's first word is any but the last of its column
        counts -= np.bincount(tokens[np.r_[starts[1:], len(tokens)] - 1], minlength=width) if len(starts) else 0
    counts = np.cumsum(counts)
    bounds = [0]
    while bounds[-1] < width:
        reached = int(counts[bounds[-1] - 1]) if bounds[-1] else 0
        bounds.append(max(bounds[-1] + 1, int(np.searchsorted(counts, reached + piece, side="right"))))
    del counts
    for low, high in zip(bounds, bounds[1:], strict=False):
        if follows is None:
            at = np.flatnonzero((tokens >= low) & (tokens < high))
            keys = tokens[at].astype(np.int64)
        else:
            at = np.flatnonzero(follows[1:] & (tokens[:-1] >= low) & (tokens[:-1] < high)) + 1
            keys = tokens[at - 1].astype(np.int64) * width + tokens[at]
        if not len(at):
            continue
        owner = np.searchsorted(starts, at, side="right") - 1
        for key, data in _encoded_groups(keys, runs[owner, 0], runs[owner, 1]):
            yield (ranked[key] if follows is None else f"{ranked[key // width]} {ranked[key % width]}"), data


def _encoded_groups(keys, sections, weights) -> Iterator[tuple[int, bytes]]:
    """(key, stored postings) per key, from (key, section, weight) triples; the weights of a
    section's repeated key are summed. One sort of the triples packed into one int64 when they fit."""
    import numpy as np

    if not len(keys):
        return
    low, high = int(sections.min()), int(sections.max())
    span, top_weight = high - low + 1, int(weights.max()) + 1
    if (int(keys.max()) + 1) * span * top_weight < 1 << 62:
        packed = np.sort((keys * span + (sections - low)) * top_weight + weights)
        weights = packed % top_weight
        packed //= top_weight
        keys, sections = packed // span, packed % span + low
    else:
        order = np.lexsort((sections, keys))
        keys, sections, weights = keys[order], sections[order], weights[order]
    starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]) | (sections[1:] != sections[:-1])])
    weights = np.add.reduceat(weights, starts)
    keys, sections = keys[starts], sections[starts]
    first = np.r_[True, keys[1:] != keys[:-1]]
    gaps = np.where(first, sections, sections - np.r_[0, sections[:-1]])
    bounds = np.flatnonzero(np.r_[first, True])
    heads = bounds[:-1]
    gap_width = np.maximum.reduceat(gaps, heads)
    f_width = np.maximum.reduceat(weights, heads)
    cast = {}
    for width in (1, 2, 4):
        cast[width] = (gaps.astype(_WIDTHS[width]), weights.astype(_WIDTHS[width]))
    for key, start, end, top_gap, top_f in zip(keys[heads].tolist(), heads.tolist(), bounds[1:].tolist(),
                                               gap_width.tolist(), f_width.tolist(), strict=True):
        id_width, weight_width = _width(top_gap), _width(top_f)
        body = cast[id_width][0][start:end].tobytes() + cast[weight_width][1][start:end].tobytes()
        yield key, _framed(body, end - start, id_width, weight_width)


def _write_rows(conn: sqlite3.Connection, table: str, segment: int, kept: list[tuple[str, bytes]],
                batch: list[tuple[str, Any, Any]]) -> None:
    """Write kept and merged lists of one segment in key order, so its pages are appended and full."""
    rows = kept + (_merged(batch) if batch else [])
    rows.sort(key=itemgetter(0))
    conn.executemany(f"INSERT INTO {table} (segment, term, data) VALUES (?, ?, ?)",
                     ((segment, term, data) for term, data in rows))


def _merged(batch: list[tuple[str, Any, Any]]) -> list[tuple[str, bytes]]:
    """(term, stored postings) from (term, ids, f) parts of older segments."""
    import numpy as np

    numbers = _Vocabulary()
    keys = np.concatenate([np.full(len(ids), numbers[term], np.int64) for term, ids, _f in batch])
    ids = np.concatenate([part[1] for part in batch])
    weights = np.concatenate([part[2].astype(np.int64) for part in batch])
    names = numbers.terms()
    return [(names[key], data) for key, data in _encoded_groups(keys, ids, weights)]


def _write_segment(conn: sqlite3.Connection, segment: int, docs: int, vocabulary: _Vocabulary,
                   columns: _Columns, tables: dict[str, str]) -> None:
    conn.execute("UPDATE search_segments SET docs = ? WHERE id = ?", (docs, segment))
    for table, postings in columns.postings(vocabulary, _MERGE_POSTINGS):
        # in key order: the B-tree is appended to, its pages stay full
        conn.executemany(f"INSERT INTO {tables[table]} (segment, term, data) VALUES (?, ?, ?)",
                         ((segment, term, data) for term, data in postings))


def _write_docs(conn: sqlite3.Connection, lengths: np.ndarray, segments: np.ndarray, chunks: set[int]) -> None:
    import numpy as np

    span = 1 << CHUNK_BITS
    for chunk in sorted(chunks):
        part = slice(chunk << CHUNK_BITS, (chunk + 1) << CHUNK_BITS)
        length_part = np.zeros(span, dtype="<u4")
        segment_part = np.zeros(span, dtype="<u4")
        length_part[:len(lengths[part])] = lengths[part]
        segment_part[:len(segments[part])] = segments[part]
        conn.execute("INSERT OR REPLACE INTO search_docs (chunk, lengths, segments) VALUES (?, ?, ?)",
                     (chunk, length_part.tobytes(), segment_part.tobytes()))


def _agrees_with_fts(conn: sqlite3.Connection, counted: dict[int, int]) -> bool:
    """Whether FTS5 counted the same number of tokens in each of these sections."""
    for batch, found in _rows_by_id(conn, "SELECT id, sz FROM sections_fts_docsize", list(counted)):
        if len(found) != len(batch):
            return False
        for sid, size in found:
            if _varint_sum(size) != counted[sid]:
                return False
    return True


def _varint_sum(data: bytes) -> int:
    """The sum of FTS5's per-column sizes (SQLite varints) in a docsize record."""
    total = value = 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            total, value = total + value, 0
    return total


def _merge(conn: sqlite3.Connection, lengths: np.ndarray, segments: np.ndarray) -> None:
    """While a level holds MERGE_FAN_IN segments, merge them into one of a higher level."""
    while True:
        full = conn.execute("SELECT level FROM search_segments GROUP BY level HAVING COUNT(*) >= ? ORDER BY level LIMIT 1",
                            (MERGE_FAN_IN,)).fetchone()
        if full is None:
            return
        old = [r[0] for r in conn.execute("SELECT id FROM search_segments WHERE level = ? ORDER BY id", full)]
        _merge_segments(conn, old, full[0] + 1, lengths, segments)


def _level(tokens: int) -> int:
    """A segment's level by its size: 0 below 100,000 tokens (a file or a few), then one per factor
    of MERGE_FAN_IN, so a decade imported at once is not merged again with every small batch."""
    level = 0
    while tokens >= _LEVEL_BASE * MERGE_FAN_IN ** level:
        level += 1
    return level


def _merge_segments(conn: sqlite3.Connection, old: list[int], level: int, lengths: np.ndarray,
                    segments: np.ndarray, sources: dict[str, str] | None = None) -> int:
    """Rewrite these segments' live postings (in the store's tables, or `sources`) as one new
    segment in the store's tables; decoded in pieces of bounded size."""
    import numpy as np

    moved = np.isin(segments, np.asarray(old, dtype=np.uint32))
    level = max(level, _level(int(lengths[moved].sum())))
    live_docs = Counter(segments[moved].tolist())
    whole = {segment for segment, docs in conn.execute(
        f"SELECT id, docs FROM search_segments WHERE id IN ({','.join('?' * len(old))})", old)
        if docs == live_docs.get(segment, 0)}        # nothing of it deleted or re-indexed since
    new = conn.execute("INSERT INTO search_segments (level, docs) VALUES (?, ?)",
                       (level, int(moved.sum()))).lastrowid
    marks = ",".join("?" * len(old))
    for table in ("search_postings", "search_pairs"):
        source = (sources or {}).get(table, table)
        kept: list[tuple[str, bytes]] = []          # lists kept as they are, since the last write
        batch: list[tuple[str, Any, Any]] = []      # lists being merged (decoded)
        held = 0
        # The sorted read is materialised by SQLite's sorter before its first row: writing the new
        # segment (its own id, outside the read) while reading is safe, and memory stays bounded.
        for term, group in groupby(conn.execute(f"SELECT term, segment, data FROM {source} "
                                                f"WHERE segment IN ({marks}) ORDER BY term", old), key=itemgetter(0)):
            group = list(group)
            if len(group) == 1 and group[0][1] in whole:     # one segment's list, all live: kept as it is
                kept.append((term, group[0][2]))
            else:
                for _term, segment, data in group:
                    found, found_f = decode(data)
                    if segment not in whole:
                        live = segments[found] == segment
                        found, found_f = found[live], found_f[live]
                    if len(found):
                        batch.append((term, found, found_f))
                        held += len(found)
            if held >= _MERGE_POSTINGS or len(kept) >= _MERGE_KEPT:
                _write_rows(conn, table, new, kept, batch)
                kept, batch, held = [], [], 0
        _write_rows(conn, table, new, kept, batch)
        conn.execute(f"DELETE FROM {source} WHERE segment IN ({marks})", old)
    conn.execute(f"DELETE FROM search_segments WHERE id IN ({marks})", old)
    segments[moved] = new
    _write_docs(conn, lengths, segments, {int(i) >> CHUNK_BITS for i in np.flatnonzero(moved)})
    return new
