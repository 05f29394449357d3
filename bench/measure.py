"""Timing and memory primitives: wall-clock runs, percentiles, and child processes.

Start-up and memory are measured on a real child process (`python -m kkrdesk`),
because what a board member feels includes the interpreter and Qt starting.
The child is started from the small `bench.child` launcher, whose
RUSAGE_CHILDREN then holds just that child's peak RSS (see bench/child.py for
why not straight from the benchmark's own, much larger, process).
"""

from __future__ import annotations

import json
import os
import selectors
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call, by the monotonic high-resolution clock."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def timed_cpu(fn: Callable[[], T]) -> tuple[float, float, T]:
    """(wall seconds, this process's CPU seconds, result): on a shared machine the gap shows contention."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the two nearest samples (numpy's default)."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass
class ChildRun:
    seconds: float | None     # start → marker line; None when the marker never came
    peak_rss_mb: float        # the child's own maximum resident set size
    returncode: int
    output: str               # stdout + stderr, for the note when something failed


def _peak_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def run_via_launcher(cmd: list[str], marker: str, env: dict[str, str], timeout: float = 60.0) -> ChildRun:
    """run_until_marker, but from the small `bench.child` process, so the peak RSS is the child's own."""
    launcher = [sys.executable, "-m", "bench.child", marker, *cmd]
    env = {**env, "BENCH_CHILD_TIMEOUT": str(timeout)}
    done = subprocess.run(launcher, capture_output=True, text=True, env=env, timeout=timeout + 30)
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return ChildRun(None, 0.0, done.returncode, (done.stdout + done.stderr)[-2000:])
    return ChildRun(report["seconds"], report["peak_rss_mb"], report["returncode"], report["output"])


def run_until_marker(cmd: list[str], marker: str, env: dict[str, str], timeout: float = 60.0) -> ChildRun:
    """Run cmd, time from spawn to the first output line containing marker, wait for exit, read its peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    seen: float | None = None
    chunks: list[bytes] = []
    buffer = b""
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = start + timeout
    while time.perf_counter() < deadline:
        if not selector.select(timeout=max(0.0, deadline - time.perf_counter())):
            break
        data = os.read(proc.stdout.fileno(), 65536)
        if not data:
            break
        chunks.append(data)
        buffer += data
        if seen is None and marker.encode() in buffer:
            seen = time.perf_counter() - start
    selector.close()
    if time.perf_counter() >= deadline:   # never proc.poll(): it would reap the child before wait4 sees it
        proc.kill()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)   # tell Popen the child is reaped
    proc.stdout.close()
    return ChildRun(seen, _peak_mb(usage.ru_maxrss), proc.returncode, b"".join(chunks).decode("utf-8", "replace"))
