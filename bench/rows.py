"""The benchmark's output: one JSON object per figure, with the machine it ran on.

A row carries its own context (machine, mode, how many repetitions), so a line
copied out of a log still says what it measured; `met` saves the reader from
parsing the target text.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

ROW_KEYS = ("name", "value", "unit", "target", "machine")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@lru_cache(maxsize=1)
def machine() -> dict[str, Any]:
    """Cores, CPU model, Python and SQLite versions: what a figure depends on."""
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
    }


def target_met(value: float | None, target: str | None) -> bool | None:
    """'<= 1.0' / '>= 5' against a value; None when either is missing."""
    if value is None or not target:
        return None
    op, _, bound = target.partition(" ")
    limit = float(bound)
    return value <= limit if op == "<=" else value >= limit if op == ">=" else None


def make_row(name: str, value: float | None, unit: str, target: str | None = None, *,
             mode: str = "full", note: str | None = None, digits: int = 3, **extra: Any) -> dict[str, Any]:
    """A figure row; value None means 'not measured' and then a note must say why."""
    if value is None and not note:
        raise ValueError(f"{name}: a missing value needs a note")
    rounded = None if value is None else round(float(value), digits)
    row: dict[str, Any] = {"name": name, "value": rounded, "unit": unit, "target": target,
                           "machine": machine(), "mode": mode, "met": target_met(rounded, target)}
    row.update(extra)
    if note:
        row["note"] = note
    return row


def emit(row: dict[str, Any]) -> None:
    print(json.dumps(row, ensure_ascii=False), flush=True)
