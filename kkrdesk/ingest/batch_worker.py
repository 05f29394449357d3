"""The batch's worker process: it prepares the files it is sent, in order, and leaves each result in a
file of its own (#20.3).

A prepared file is one to three megabytes. Sent through a pipe (as a process pool does), the worker
waits until the writing process has read all of it, and that process reads only when its thread
gets the interpreter back from the writing: a few milliseconds per file in which neither half
works, a tenth of a decade's import. Here the worker writes the result to a private temporary file
and sends its name, a few bytes; the writer reads the file when it wants it. The worker always has
the next task waiting in its pipe (the writer keeps `AHEAD` files sent), so it never waits either.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections import deque
from collections.abc import Callable
from typing import Any

Work = Callable[[str, str, int], tuple[str, Any]]     # (path, kind, share) → (outcome, prepared or reason)


def _serve(tasks, results, folder: str, kind: str, work: Work, share) -> None:
    """In the worker: paths in, ("file", name) or (outcome, reason) out, until None or EOF; each file
    with the share of its work asked for when the worker starts on it (`Worker.share`)."""
    gc.freeze()           # what was forked is never garbage: keep it out of the collector's passes
    count = 0
    while True:
        try:
            task = tasks.recv()
        except EOFError:
            return
        if task is None:
            return
        outcome = work(task, kind, share.value)
        if outcome[0] == "ok":
            count += 1
            name = os.path.join(folder, f"{count}.pickle")
            try:
                with open(name, "wb") as handle:
                    pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
                outcome = ("file", name)
            except Exception as exc:  # noqa: BLE001 - a result that does not travel: the writer imports it
                outcome = ("error", f"{type(exc).__name__}: {exc}")
        results.send(outcome)


class Worker:
    """A forked process preparing files for this one; `send` a file, `take` the results in that order."""

    def __init__(self, kind: str, work: Work, share: int, method: str = "fork") -> None:
        """`method`: "fork" (from the main thread: the worker starts at once, with this process's modules)
        or "spawn" (from any thread: a new interpreter, which imports what `work` needs)."""
        context = multiprocessing.get_context(method)
        tasks_in, self._tasks = context.Pipe(duplex=False)
        self._results, results_out = context.Pipe(duplex=False)
        self._folder = tempfile.mkdtemp(prefix="kkrdesk-import-")
        self._share = context.Value("b", share, lock=False)     # one byte, read as each file starts
        self.process = context.Process(target=_serve, args=(tasks_in, results_out, self._folder, kind, work,
                                                            self._share), daemon=True)
        self.process.start()
        tasks_in.close()
        results_out.close()       # so that `take` hears of the worker's end (EOF) instead of waiting
        self.alive = True
        self._done: deque = deque()     # results read off the pipe by `ready`, not yet taken

    @property
    def share(self) -> int:
        return self._share.value

    @share.setter
    def share(self, value: int) -> None:
        """How much of a file's work the worker does (`batch.SECTIONS`…), from the next file it starts."""
        self._share.value = value

    def send(self, path: str) -> bool:
        """Hand the worker a file; False when it has died."""
        if self.alive:
            try:
                self._tasks.send(path)
                return True
            except OSError:
                self.alive = False
        return False

    def ready(self) -> int:
        """How many results are there already (their names are read off the pipe, a few bytes each)."""
        try:
            while self._results.poll():
                self._done.append(self._results.recv())
        except (EOFError, OSError):
            pass                  # the worker has ended: `take` says so after what it left
        return len(self._done)

    def take(self) -> tuple[str, Any]:
        """The next result: ("ok", prepared), ("problem", reason), or ("error", why) — also when the
        worker has died or its file cannot be read."""
        try:
            outcome, value = self._done.popleft() if self._done else self._results.recv()
        except (EOFError, OSError):
            self.alive = False
            return "error", ""
        if outcome != "file":
            return outcome, value
        try:
            with open(value, "rb") as handle:
                found = pickle.load(handle)
            os.unlink(value)
            return found
        except Exception as exc:  # noqa: BLE001 - the writer imports this file itself
            return "error", f"{type(exc).__name__}: {exc}"

    def close(self) -> None:
        """Stop the worker and remove what it left (also after a batch that was not read to its end)."""
        try:
            self._tasks.send(None)
        except OSError:
            pass
        self._tasks.close()
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self._results.close()
        shutil.rmtree(self._folder, ignore_errors=True)
