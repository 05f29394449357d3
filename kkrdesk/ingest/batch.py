"""Importing many files: the next file is read, parsed and extracted in a worker process while this
one is written (#20.3).

An import is two halves. `importer.prepare_file` reads the file, normalises it, splits it into
documents and sections and runs the extractors: pure work, about half of it. `write_prepared`
writes the result in one transaction. With two cores the halves overlap: a worker process
prepares the next files (`batch_worker`, up to AHEAD) while the store takes file n. Each file is
still its own transaction, in the order given, and the store is only ever written by this process.

The two halves are kept even: the sections' rows and their words for the search are made by the
worker while the writer is behind, by the writer while it is ahead, and a writer that would wait
for the next file builds a postings segment from what it has written instead.

The worker is forked where the guard may fork (the main thread: the command line). From another
thread (the window's import) or without fork (Windows) it is spawned, a new interpreter, for three
files or more; fewer files, or KKRDESK_PARSE_IN_PROCESS, are imported one by one through
`import_file`, with the same results. Anything unexpected in the worker (it died, a result that does
not travel) sends that file through `import_file` as well.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kkrdesk.data import search_index
from kkrdesk.data.search_numbering import NumberedWords, WordNumbering, WorkerTerms
from kkrdesk.data.store import Store
from kkrdesk.ingest.importer import (
    ImportResult,
    Prepared,
    file_sha256,
    import_file,
    imported_before,
    prepare_file,
    write_prepared,
)
from kkrdesk.ingest.readers import ImportProblem

AHEAD = 8        # files sent ahead of the one being written: the worker never waits; results wait on disk
# When the next file is not ready, the writer indexes what it has written so far for the search, once it
# holds this many tokens: the catch-up after the last file, when the worker has nothing left to do, is
# then only the rest. A decade makes a handful of segments (search_index merges at MERGE_FAN_IN).
IDLE_INDEX_TOKENS = 2_500_000
# How much of the sections' work the worker does — their rows (split, packed) and their words for the
# search, a third of either half's work — follows who is ahead, a step per file, from the next file
# the worker starts: more while two or more files wait for the writer, less while none does.
NOTHING, SECTIONS, SECTIONS_AND_WORDS = 0, 1, 2


_numbering: WordNumbering | None = None     # the worker's, for its batch (search_numbering)


def _worker_numbering() -> WordNumbering:
    global _numbering
    if _numbering is None or _numbering.pid != os.getpid():     # a new worker: a new vocabulary
        _numbering = WordNumbering()
    return _numbering


def _prepare(path: str, kind: str, share: int = SECTIONS_AND_WORDS) -> tuple[str, Prepared | str]:
    """In the worker: ("ok", prepared), ("problem", reason) for bad input, ("error", why) otherwise.
    `share`: how much of the sections' work the worker does (`importer.prepare`)."""
    numbering = _worker_numbering() if share >= SECTIONS_AND_WORDS else None
    try:
        return "ok", prepare_file(path, kind, numbering, rows=share >= SECTIONS)
    except ImportProblem as exc:
        outcome: tuple[str, str] = ("problem", exc.reason)
    except Exception as exc:  # noqa: BLE001 - the parent imports this file itself and says what is wrong
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    if numbering is not None:
        numbering.rollback()          # the writer never hears of this file's words
    return outcome


def _work(path: str, kind: str, share: int) -> tuple[str, Prepared | str]:
    """What the worker is handed (by name): `_prepare`, looked up when it runs."""
    return _prepare(path, kind, share)


SPAWN_FROM = 3      # files: a spawned worker starts in about half a second, won back from the third file on


def _can_use_worker(count: int) -> str | None:
    """How the worker is started, or None for one file at a time: forked where the guard may fork (the
    main thread), spawned from another thread (the window's import), never under KKRDESK_PARSE_IN_PROCESS."""
    from kkrdesk.ingest.guard import can_fork, parse_in_process

    if count < 2 or parse_in_process():
        return None
    if can_fork():
        return "fork"
    return "spawn" if count >= SPAWN_FROM else None


def import_files(store: Store, paths: Iterable[Path | str], kind: str = "auto") -> Iterator[ImportResult | ImportProblem]:
    """Each file's ImportResult, or its ImportProblem (one bad file does not stop the others), in order;
    after the last, the search's postings catch up once for the batch."""
    paths = [Path(p) for p in paths]
    method = _can_use_worker(len(paths))
    if method is None:
        yield from _one_by_one(store, paths, kind)
        return
    yield from _pipelined(store, paths, kind, method)


def _one_by_one(store: Store, paths: list[Path], kind: str) -> Iterator[ImportResult | ImportProblem]:
    for path in paths:
        yield _one(store, path, kind)
    search_index.catch_up(store.conn)


def _pipelined(store: Store, paths: list[Path], kind: str, method: str) -> Iterator[ImportResult | ImportProblem]:
    # the extractors' modules, imported once here, so the forked worker does not import them again
    import kkrdesk.ingest.contracts  # noqa: F401
    import kkrdesk.ingest.figures  # noqa: F401

    # What exists before the batch (modules, the store) is frozen out of the cyclic collector's full
    # passes, here and in the worker (batch_worker): the files' many short-lived objects made those
    # 5–7 % of the work. (What the window's operations froze before stays frozen after.)
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield from _rounds(store, paths, kind, method)
    finally:
        if not frozen_before:
            gc.unfreeze()


def _rounds(store: Store, paths: list[Path], kind: str, method: str) -> Iterator[ImportResult | ImportProblem]:
    from kkrdesk.ingest.batch_worker import Worker

    fed = search_index.BatchIndexer()      # the written sections tokenised while the worker prepares
    terms = WorkerTerms()                  # the worker's numbering of the words, as far as heard

    def written(sections: list[tuple], words: NumberedWords | None) -> None:
        if words is None or not fed.add_numbered(sections, words, terms):
            for section in sections:
                fed.add(*section)

    try:
        worker = Worker(kind, _work, SECTIONS, method)
    except (OSError, ValueError, RuntimeError):    # no process to be had: one by one, as without a worker
        yield from _one_by_one(store, paths, kind)
        return
    try:
        pending: deque = deque()           # (path, its ImportResult when known before, or how it is made)
        queue = iter(paths)
        sent = 0

        def send_more() -> None:
            """Keep AHEAD files with the worker, skipping what the store has already (a folder imported
            again); a file the worker cannot take (it has died) is imported here."""
            nonlocal sent
            while sent < AHEAD:
                path = next(queue, None)
                if path is None:
                    return
                known = _imported_before(store, path)
                if known is not None:
                    pending.append((path, known))
                elif worker.send(str(path)):
                    pending.append((path, "worker"))
                    sent += 1
                else:
                    pending.append((path, "here"))

        first = next(queue, None)       # imported here while the worker starts on the next ones
        if first is not None:
            known = _imported_before(store, first)
            pending.append((first, known if known is not None else "first"))
        send_more()
        while pending:
            path, how = pending.popleft()
            if isinstance(how, ImportResult):
                yield how
                continue
            if how == "first":
                yield _written(store, written, path, kind)
                continue
            if how == "here":
                yield _one(store, path, kind)
                send_more()
                continue
            ready = worker.ready()          # files prepared and waiting: 2 or more, the worker is ahead
            if ready >= 2:
                worker.share = min(worker.share + 1, SECTIONS_AND_WORDS)
            elif not ready:
                worker.share = max(worker.share - 1, NOTHING)
            if not ready and fed.tokens >= IDLE_INDEX_TOKENS:
                search_index.catch_up(store.conn, fed)     # the writer would wait: index meanwhile
                fed = search_index.BatchIndexer()
            outcome, value = worker.take()
            sent -= 1
            send_more()
            if outcome == "ok":
                if value.words is not None:
                    terms.hear(value.words)    # as it arrives, whether or not the file is then written
                yield _written(store, written, path, kind, value)
            elif outcome == "problem":
                yield ImportProblem(path, value)
            else:                       # the worker died (killed, out of memory), or its result did not travel
                yield _one(store, path, kind)
    finally:
        worker.close()
    search_index.catch_up(store.conn, fed)


def _imported_before(store: Store, path: Path) -> ImportResult | None:
    try:
        sha = file_sha256(path)
    except OSError:
        return None                # the worker's reading says what is wrong with it
    return imported_before(store, path, sha)


def _one(store: Store, path: Path, kind: str) -> ImportResult | ImportProblem:
    try:
        return import_file(store, path, kind=kind)
    except ImportProblem as exc:
        return exc


def _written(store: Store, written: Callable[[list[tuple], NumberedWords | None], None], path: Path, kind: str,
             prepared: Prepared | None = None) -> ImportResult | ImportProblem:
    """A file written from what the worker prepared (or prepared here), its sections handed to
    `written` (the batch's search index); or what is wrong with it."""
    try:
        return write_prepared(store, prepared or prepare_file(path, kind), written)
    except ImportProblem as exc:
        return exc
