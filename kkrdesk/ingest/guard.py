"""Guards the importer runs before any reader touches a file (#16, point 5).

Hostile or unlucky input must end in one line, fast, not hang or eat the machine:
- only regular files (a FIFO would block for ever, a symlink to /dev/zero never ends);
- a size cap on the file, and on a DOCX per zip member and in total — declared in the zip
  directory *and* counted while inflating, since the directory can lie;
- the parse itself runs in a forked child with a memory limit and a time limit, where
  that is possible (the main thread on POSIX); elsewhere the cheap checks still hold.
Limits can be lowered (never needed raised for real material) through environment variables.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import pickle
import select
import signal
import stat
import threading
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from kkrdesk.ingest.readers import ImportProblem

MB = 1024 * 1024


def _limit(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def max_file_bytes() -> int:
    return int(_limit("KKRDESK_MAX_FILE_MB", 200) * MB)


def max_unpacked_bytes() -> int:
    return int(_limit("KKRDESK_MAX_UNPACKED_MB", 200) * MB)


def max_member_bytes() -> int:
    return int(_limit("KKRDESK_MAX_MEMBER_MB", 100) * MB)


def parse_seconds() -> float:
    return _limit("KKRDESK_PARSE_SECONDS", 30)


def parse_memory_bytes() -> int:
    return int(_limit("KKRDESK_PARSE_MEMORY_MB", 768) * MB)


MAX_MEMBERS = 20_000


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB"


def check_file(path: Path) -> os.stat_result:
    """A readable regular file within the size cap, or ImportProblem; symlinks are followed."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ImportProblem(path, "filen findes ikke") from None
    except PermissionError:
        raise ImportProblem(path, "ingen adgang til filen (eller mappen den ligger i)") from None
    except OSError as exc:
        raise ImportProblem(path, f"kan ikke læses ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportProblem(path, "er en mappe, ikke en fil")
    if not stat.S_ISREG(info.st_mode):
        kind = ("en navngiven pipe (FIFO)" if stat.S_ISFIFO(info.st_mode)
                else "en enhed" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "en socket" if stat.S_ISSOCK(info.st_mode) else "ikke en almindelig fil")
        raise ImportProblem(path, f"er {kind}, ikke en almindelig fil")
    if info.st_size > max_file_bytes():
        raise ImportProblem(path, f"filen er for stor ({_mb(info.st_size)}; højst {_mb(max_file_bytes())})")
    if not os.access(path, os.R_OK):
        raise ImportProblem(path, "ingen adgang til filen")
    return info


def check_zip(path: Path) -> None:
    """A DOCX (a zip) whose members are within the caps, declared and actually inflated."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ImportProblem(path, f"Word-filen har for mange dele ({len(members)})")
            declared = sum(m.file_size for m in members)
            for member in members:
                if member.file_size > max_member_bytes():
                    raise ImportProblem(path, f"Word-filen udpakker til for meget ({member.filename}: "
                                              f"{_mb(member.file_size)})")
            if declared > max_unpacked_bytes():
                raise ImportProblem(path, f"Word-filen udpakker til for meget ({_mb(declared)})")
            total = 0
            for member in members:
                size = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(1 * MB):
                        size += len(chunk)
                        total += len(chunk)
                        if size > max_member_bytes() or total > max_unpacked_bytes():
                            raise ImportProblem(path, f"Word-filen udpakker til mere end den angiver "
                                                      f"({member.filename})")
    except ImportProblem:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError, KeyError) as exc:
        raise ImportProblem(path, f"ødelagt eller ulæselig Word-fil ({type(exc).__name__})") from None


def check_input(path: Path | str) -> Path:
    """Everything that can be decided without parsing; returns the path for the reader."""
    path = Path(path)
    check_file(path)
    if path.suffix.lower() == ".docx":
        check_zip(path)
    return path


def read_guarded(path: Path | str, progress: Callable[[int, int], None] | None = None, *, blocks: bool = True):
    """What the importer calls instead of a reader: the checks, then the reader under limits.

    Returns the reader's `Document` (ingest.model); `progress(done, total)` hears of each page read,
    forwarded from the child that parses. `blocks=False`: without its blocks (see `read_model`).
    """
    from kkrdesk.ingest.readers import TEXT_SUFFIXES, read_model

    path = check_input(path)
    reader = functools.partial(read_model, blocks=blocks)
    if path.suffix.lower() in TEXT_SUFFIXES:
        # a text file is decoded and split into lines: linear in a file already within the size cap,
        # so there is nothing to limit, and a fork per file cost more than the reading (#20.3)
        with quiet_libraries():
            document = reader(path) if progress is None else reader(path, progress)
    else:
        document = run_reader(path, reader, progress)
    text = document.text
    if not any(ch.isalnum() for ch in text[:1_000_000]) and not any(ch.isalnum() for ch in text):
        raise ImportProblem(path, "filen indeholder ingen tekst (kun tegn uden bogstaver eller tal)")
    return document


@contextlib.contextmanager
def quiet_libraries():
    """pypdf and friends log warnings about damaged files on stderr: one line per problem is ours to say."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR + 10)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def parse_in_process() -> bool:
    """KKRDESK_PARSE_IN_PROCESS=1: every file is parsed in this process, none by a child or a worker."""
    return os.environ.get("KKRDESK_PARSE_IN_PROCESS") == "1"


def can_fork() -> bool:
    """Whether a child may be forked here: the main thread only (a thread's fork copies other threads'
    locks), and not under KKRDESK_PARSE_IN_PROCESS=1. The guard's reader and a batch's worker ask."""
    return hasattr(os, "fork") and threading.current_thread() is threading.main_thread() and not parse_in_process()


def _child(path: Path, reader: Callable, write_fd: int, progress_fd: int | None) -> None:
    import resource

    limit = _vm_bytes() + parse_memory_bytes()
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def forward(done: int, total: int) -> None:
        os.write(progress_fd, f"{done} {total}\n".encode())

    try:
        with quiet_libraries():
            result: tuple = ("ok", reader(path) if progress_fd is None else reader(path, forward))
    except ImportProblem as exc:
        result = ("problem", exc.reason)
    except MemoryError:
        result = ("problem", f"filen kræver for meget hukommelse at læse (over {_mb(parse_memory_bytes())})")
    except RecursionError:
        result = ("problem", "filen er for dybt indlejret til at læse")
    except BaseException as exc:  # noqa: BLE001 - any reader crash is one line in the parent
        result = ("problem", f"kan ikke læses ({type(exc).__name__})")
    try:
        data = pickle.dumps(result)
        view = memoryview(data)
        while view:
            written = os.write(write_fd, view[:1 * MB])
            view = view[written:]
    finally:
        os._exit(0)


def run_reader(path: Path, reader: Callable, progress: Callable[[int, int], None] | None = None):
    """The reader's result, parsed under a time and memory limit (a forked child) where possible.

    With `progress`, the reader is called as reader(path, progress) and the child's progress
    reaches the caller through a second pipe, one "done total" line per step.
    """
    if not can_fork():
        with quiet_libraries():
            return reader(path) if progress is None else reader(path, progress)
    read_fd, write_fd = os.pipe()
    progress_r, progress_w = os.pipe() if progress is not None else (None, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # "multi-threaded fork": the child only parses
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        if progress_r is not None:
            os.close(progress_r)
        _child(path, reader, write_fd, progress_w)
    os.close(write_fd)
    if progress_w is not None:
        os.close(progress_w)
    chunks: list[bytes] = []
    pending = b""
    deadline = time.monotonic() + parse_seconds()
    timed_out = stopped = False

    def report(data: bytes) -> bytes:
        *complete, rest = data.split(b"\n")
        for line in complete:
            done, total = (int(x) for x in line.split())
            progress(done, total)
        return rest

    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            watched = [read_fd] + ([progress_r] if progress_r is not None else [])
            ready, _, _ = select.select(watched, [], [], min(left, 1.0))
            if progress_r is not None and progress_r in ready:
                data = os.read(progress_r, 65536)
                if data:
                    pending = report(pending + data)
                else:
                    os.close(progress_r)
                    progress_r = None
            if read_fd not in ready:
                continue
            chunk = os.read(read_fd, 1 * MB)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        stopped = True          # the caller's progress callback stopped the import: end the child now
        raise
    finally:
        os.close(read_fd)
        if progress_r is not None and not timed_out and not stopped:
            with contextlib.suppress(OSError):
                while data := os.read(progress_r, 65536):   # the last pages' lines, sent before the result
                    pending = report(pending + data)
        if progress_r is not None:
            os.close(progress_r)
        if timed_out or stopped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise ImportProblem(path, f"læsningen tog for lang tid (over {parse_seconds():.0f} s); filen er afvist")
    try:
        kind, value = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - the child died (memory limit, signal) before it could answer
        if os.WIFSIGNALED(status):
            raise ImportProblem(path, "filen kunne ikke læses inden for grænserne for hukommelse og tid") from None
        raise ImportProblem(path, "filen kunne ikke læses") from None
    if kind == "problem":
        raise ImportProblem(path, value)
    return value
