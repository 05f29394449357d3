"""Putting a set of finished files into a folder all together, or not at all.

The files are first copied into the folder under hidden staging names; then each
existing file is moved aside and its new version renamed into place. A marker file
(`.kkrdesk-publicering.json`) names everything involved, so a run killed at any
moment is finished or rolled back by the next one (`recover`): the folder never
keeps a mix of versions, nor staging files, nor a private build folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

MARKER = ".kkrdesk-publicering.json"
NEW, OLD = ".kkrdesk-ny", ".kkrdesk-gammel"


def _staged(folder: Path, name: str) -> Path:
    return folder / f".{name}{NEW}"


def _aside(folder: Path, name: str) -> Path:
    return folder / f".{name}{OLD}"


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_marker(folder: Path, data: dict) -> None:
    temp = folder / f"{MARKER}.tmp"
    temp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temp, folder / MARKER)
    _fsync_dir(folder)


def stage(built: dict[str, Path], folder: Path, token: str) -> None:
    """Copy the finished files into `folder` under hidden names and write the marker (nothing visible yet)."""
    _write_marker(folder, {"token": token, "names": sorted(built), "state": "staging"})
    for name, source in built.items():
        target = _staged(folder, name)
        shutil.copyfile(source, target)
        with open(target, "rb") as handle:
            os.fsync(handle.fileno())


def swap_in(folder: Path, names: list[str], token: str) -> None:
    """Move the old files aside and the staged ones into place; on failure put everything back."""
    _write_marker(folder, {"token": token, "names": sorted(names), "state": "swapping"})
    try:
        for name in names:
            if (folder / name).exists():
                os.replace(folder / name, _aside(folder, name))
            os.replace(_staged(folder, name), folder / name)
        _fsync_dir(folder)
    except BaseException:
        roll_back(folder, names)
        raise


def roll_back(folder: Path, names: list[str], swapping: bool = True) -> None:
    """The previous files back in place; staged and half-swapped new files gone."""
    for name in names:
        if _aside(folder, name).exists():
            os.replace(_aside(folder, name), folder / name)
        elif swapping and (folder / name).exists() and not _staged(folder, name).exists():
            # a new file that had no previous version: it was swapped in by this run
            _remove(folder / name)
        _remove(_staged(folder, name))
    _remove(folder / MARKER)
    _fsync_dir(folder)


def finish(folder: Path, names: list[str]) -> None:
    """The new version is recorded: the old files and the marker go."""
    for name in names:
        _remove(_aside(folder, name))
        _remove(_staged(folder, name))
    _remove(folder / MARKER)


def recover(folder: Path, committed: Callable[[str], bool]) -> None:
    """Clean up after a run that was killed: finish it if its version was recorded, else roll back.

    `committed(token)` says whether the run's version made it into `publications`.
    """
    marker = folder / MARKER
    if marker.exists():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            names, token = [str(n) for n in data["names"]], str(data["token"])
            swapping = data.get("state") == "swapping"
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            names, token, swapping = [], "", False
        names = [n for n in names if n and "/" not in n and n not in (".", "..")]
        if token and committed(token):
            finish(folder, names)
        else:
            roll_back(folder, names, swapping)
    _remove(folder / f"{MARKER}.tmp")
    for leftover in folder.iterdir():
        # staging files of a run that died before writing its marker, and build folders and temp
        # files of older kkrdesk versions (which built beside the target)
        name = leftover.name
        if name.startswith(".") and (name.endswith(NEW) or (
                (".kkrpack." in name or ".pdf." in name) and name.endswith((".tmp", ".tmp-journal")))):
            _remove(leftover)
        elif leftover.name.startswith(".kkrdesk-export-") and leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
