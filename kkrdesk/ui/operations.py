"""Long work off the GUI thread: import, briefing export, meeting folder (packs + PDFs) and publishing.

The pattern of Anki's `CollectionOp`/`QueryOp`: the work is a plain function
`work(ctx)` run on a worker thread. It opens its own store connection there
(`ctx.open_store()`; SQLite connections belong to one thread), reports progress
through `ctx.progress(done, total, text)` per file, page or bilag, and calls
`ctx.check()` between units, which raises `Cancelled` after Stop. Each unit is
all-or-nothing at its source (one transaction per import, temp file + rename for
exports), so stopping leaves only whole units behind. The result or the error
comes back on the GUI thread through `on_done` / `on_error`; Stop ends in
`on_cancelled`.

A store without a file (in memory) cannot get a second connection; then the work
runs on the GUI thread with the same store, still with progress and Stop between
units.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from kkrdesk.data.store import Store

_loop: QEventLoop | None = None


def _events() -> QEventLoop:
    global _loop
    if _loop is None:
        _loop = QEventLoop()
    return _loop


class Cancelled(BaseException):  # noqa: N818 - like KeyboardInterrupt: `except Exception` must not swallow it
    """Raised inside the work after Stop; the unit in progress is rolled back (its transaction, its temp file)."""


class Context:
    """What the work sees: its own store, progress reporting and the Stop flag."""

    def __init__(self, store: Store, op: Operation, same_thread: bool) -> None:
        self._store = store
        self._op = op
        self._same_thread = same_thread
        self._opened: list[Store] = []

    @property
    def cancelled(self) -> bool:
        return self._op.stop_requested.is_set()

    def check(self) -> None:
        if self._op.stop_requested.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Report progress (any thread) and stop here if Stop was pressed."""
        self._op.progressed.emit(done, total, text)
        if self._same_thread:
            _events().processEvents()   # the instance method: PySide6 6.12's static one drops a ref of None
        self.check()

    def open_store(self, *, read_only: bool | None = None) -> Store:
        """A connection of this thread to the same store file (the store itself when it has no file)."""
        if self._same_thread or self._store.path is None:
            return self._store
        from kkrdesk.data.packs import open_pack
        from kkrdesk.data.store import open_store

        read_only = self._store.read_only if read_only is None else read_only
        if self._store.path.suffix == ".kkrpack":
            store = open_pack(self._store.path)
        else:
            store = open_store(self._store.path, read_only=read_only)
        self._opened.append(store)
        return store

    def close(self) -> None:
        for store in self._opened:
            store.close()
        self._opened.clear()


_running = 0
_default_switch = sys.getswitchinterval()


def _keep_the_window_quick(delta: int) -> None:
    """While work runs beside the window, the GUI thread waits less for the GIL.

    The worker is Python (reportlab, sqlite-utils), so the GUI thread takes turns
    with it: a 1 ms switch interval (Python's default is 5) shortens each wait, and
    `gc.freeze()` keeps the window's own objects out of the worker's full garbage
    collections, which otherwise pause both threads for a large heap.
    """
    global _running
    _running += delta
    if delta > 0 and _running == 1:
        gc.freeze()
        sys.setswitchinterval(0.001)
    elif _running == 0:
        sys.setswitchinterval(_default_switch)


class _Worker(QThread):
    def __init__(self, op: Operation) -> None:
        super().__init__()
        self.op = op

    def run(self) -> None:
        self.op._execute(same_thread=False)


class Operation(QObject):
    """One running piece of work. Signals arrive on the GUI thread (queued across threads)."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, store: Store, work: Callable[[Context], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.work = work
        self.stop_requested = threading.Event()
        self.thread: QThread | None = None
        self.running = False

    def stop(self) -> None:
        self.stop_requested.set()

    def start(self) -> None:
        self.running = True
        _keep_the_window_quick(+1)
        self.ended.connect(lambda: _keep_the_window_quick(-1))
        if self.store.path is None:
            self._execute(same_thread=True)
            return
        self.thread = _Worker(self)
        self.thread.finished.connect(self.thread.deleteLater)
        self.thread.start()

    def _execute(self, same_thread: bool) -> None:
        ctx = Context(self.store, self, same_thread)
        try:
            result = self.work(ctx)
        except Cancelled:
            self.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure is reported on the GUI thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            ctx.close()
            self.ended.emit()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the worker ends (tests and closing the window); True if it ended."""
        return self.thread.wait(timeout_ms) if self.thread is not None else True


def run_operation(parent: QWidget, store: Store, work: Callable[[Context], object], *, title: str,
                  on_done: Callable[[object], None] | None = None,
                  on_error: Callable[[BaseException], None] | None = None,
                  on_cancelled: Callable[[], None] | None = None,
                  label: str = "Arbejder …") -> Operation:
    """Start `work` in the background with a progress dialog (Stop) that does not block the window."""
    op = Operation(store, work, parent)
    dialog = QProgressDialog(label, "Stop", 0, 0, parent)
    dialog.setObjectName("operationProgress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.NonModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    op.dialog = dialog

    def progressed(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    def stop() -> None:
        dialog.setLabelText("Stopper … (det påbegyndte rulles tilbage)")
        op.stop()

    def ended() -> None:
        dialog.hide()
        dialog.deleteLater()
        op.running = False

    op.progressed.connect(progressed)
    dialog.canceled.connect(stop)
    if on_done:
        op.succeeded.connect(on_done)
    if on_error:
        op.failed.connect(on_error)
    if on_cancelled:
        op.cancelled.connect(on_cancelled)
    op.ended.connect(ended)
    dialog.show()
    op.start()
    return op


def pdf_pages(ctx: Context, text: str):
    """Page progress (and Stop) while a briefing PDF is laid out in this thread: `with pdf_pages(ctx, …):`."""
    from contextlib import contextmanager

    from kkrdesk.briefing.doc import page_progress

    @contextmanager
    def scope():
        def report(page: int, pages: int) -> None:
            # the first layout pass does not know the page count yet: a busy bar, not a false 100 %
            ctx.progress(page if pages else 0, max(pages, page) if pages else 0,
                         f"{text}: side {page}" + (f" af {pages}" if pages else "") + " …")

        token = page_progress.set(report)
        try:
            yield
        finally:
            page_progress.reset(token)

    return scope()


def file_progress(ctx: Context, paths: list[Path], index: int):
    """A per-page progress callback for one file of a multi-file import (readers call it per page)."""
    total = len(paths)

    def report(done: int, pages: int, *_rest) -> None:
        ctx.progress(index, total, f"{paths[index].name} ({index + 1} af {total}): side {done} af {pages} …")

    return report
