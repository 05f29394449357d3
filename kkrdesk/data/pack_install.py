"""Packs installed in a board member's app: one file per meeting, newest version wins.

A member opens a pack the secretariat sent; it is copied into the user data
dir (`pakker/`), replacing an older version of the same meeting (same meeting
key). Notes and stars live in the separate notes store keyed by meeting
title/date and item number (see notes.py), so replacing the pack never touches
them.

For "what changed since I read it", the index keeps, per meeting, the item
hashes of the version the member last marked as read (on first install: that
version). A newer version is compared against those, so a member who skipped
version 2 still sees everything that changed since version 1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kkrdesk.data.packs import (
    REMOVED,
    ItemChange,
    PackInfo,
    item_changes,
    item_ref,
    open_pack,
    read_pack_info,
)
from kkrdesk.data.store import Store, StoreError
from kkrdesk.paths import user_data_dir

if TYPE_CHECKING:
    from sqlite_utils import Database

INDEX_NAME = "installerede.json"


@dataclass
class InstalledPack:
    meeting_key: str
    path: Path
    title: str
    version: int
    published: str
    public: bool
    read_version: int
    read_hashes: dict[str, dict]
    installed: str = ""                    # when this version was fetched ("Hentet"), ISO date-time
    previous_path: Path | None = None      # the version it replaced, kept for the text diff of changed items
    previous_version: int | None = None


@dataclass
class InstallResult:
    path: Path                       # the installed copy to open
    info: PackInfo
    previous_version: int | None     # None on first install
    changes: list[ItemChange]        # since the version the member read
    new_signer: str | None = None    # fingerprint of a sender trusted just now (first pack of a body)


def packs_dir() -> Path:
    path = user_data_dir() / "pakker"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _load_index() -> dict[str, dict]:
    path = packs_dir() / INDEX_NAME
    if not path.exists():
        return {}
    try:
        packs = json.loads(path.read_text(encoding="utf-8")).get("packs", {})
        return packs if isinstance(packs, dict) else {}
    except (OSError, ValueError, AttributeError) as exc:
        raise StoreError(f"{path.name}: kan ikke læses ({exc})") from exc


def _write_atomically(target: Path, data: bytes) -> None:
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _save_index(index: dict[str, dict]) -> None:
    data = json.dumps({"packs": index}, ensure_ascii=False, indent=2).encode("utf-8")
    _write_atomically(packs_dir() / INDEX_NAME, data)


def _valid_entry(raw: object) -> bool:
    """An index entry as install_pack writes it (an older or hand-edited index may hold others)."""
    if not isinstance(raw, dict):
        return False
    kinds = {"file": str, "title": str, "version": int, "published": str, "public": bool, "read_version": int,
             "read_hashes": dict}
    if not all(isinstance(raw.get(k), t) for k, t in kinds.items()):
        return False
    if "/" in raw["file"] or raw["file"].startswith("."):
        return False
    try:
        dt.datetime.fromisoformat(raw["published"])
    except ValueError:
        return False
    return True


def _entry(key: str, raw: dict) -> InstalledPack:
    previous = packs_dir() / raw["previous_file"] if raw.get("previous_file") else None
    return InstalledPack(key, packs_dir() / raw["file"], raw["title"], raw["version"], raw["published"],
                         raw["public"], raw["read_version"], raw["read_hashes"], raw.get("installed", ""),
                         previous if previous and previous.exists() else None, raw.get("previous_version"))


def expire_installed_packs(today: dt.date | None = None) -> int:
    """Drop the closed content of every installed sealed pack past its expiry date (#18); how many."""
    from kkrdesk.data.sealed_store import expire_installed

    done = 0
    for raw in _load_index().values():
        if _valid_entry(raw):
            with contextlib.suppress(StoreError, OSError):
                done += expire_installed(packs_dir() / raw["file"], today)
    return done


def installed_packs() -> list[InstalledPack]:
    """Installed packs, newest publication first (expired closed content removed first)."""
    expire_installed_packs()
    entries = [_entry(k, v) for k, v in _load_index().items() if _valid_entry(v)]
    return sorted(entries, key=lambda e: e.published, reverse=True)


def find_installed(meeting_key: str) -> InstalledPack | None:
    raw = _load_index().get(meeting_key)
    return _entry(meeting_key, raw) if raw and _valid_entry(raw) else None


def _file_name(meeting_key: str) -> str:
    return f"moede-{hashlib.sha1(meeting_key.encode()).hexdigest()[:12]}.kkrpack"


def _check_sender(path: Path, accept_new_signer: bool) -> str | None:
    """A sealed pack's signature and sender (trust on first use); the new fingerprint, if any."""
    from kkrdesk.data import sealed, signing
    from kkrdesk.data.sealed_store import SealedPackError, read_sealed

    pack = read_sealed(path)
    if pack is None:
        return None
    try:
        sealed.verify(pack)
        return signing.check_signer(pack.body, pack.signer, accept_new=accept_new_signer, record=False)
    except sealed.SealError as exc:
        raise SealedPackError(path, exc) from None


def install_pack(source: Path | str, *, accept_new_signer: bool = False) -> InstallResult:
    """Install (or update to) the pack at `source`; refuses an older version than the one installed.

    The file is copied first and the *copy* validated (pack_check) and installed, so a
    source that changes meanwhile cannot slip past the checks.
    """
    from kkrdesk.data.store import check_path

    source = Path(source)
    if not check_path(source):
        raise StoreError(f"{source.name}: findes ikke")
    folder = packs_dir()
    temp = folder / f".installerer.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        try:
            shutil.copyfile(source, temp)
        except OSError as exc:
            raise StoreError(f"{source.name}: kan ikke læses ({exc.strerror or exc})") from None
        try:
            new_signer = _check_sender(temp, accept_new_signer)
            store = open_pack(temp, accept_new_signer=accept_new_signer)
        except StoreError as exc:
            raise StoreError(str(exc).replace(temp.name, source.name, 1)) from None
        try:
            info = read_pack_info(store.db)
        finally:
            store.close()
        assert info is not None  # open_pack refuses files without pack_info
        index = _load_index()
        previous = index.get(info.meeting_key)
        if previous is not None and not _valid_entry(previous):
            previous = None
        if previous and previous["version"] > info.version:
            raise StoreError(f"{source.name}: version {info.version} er ældre end den installerede version "
                             f"{previous['version']}")
        if previous and info.public and not previous["public"] and info.version <= previous["version"]:
            raise StoreError(f"{source.name}: en offentlig udgave erstatter ikke den installerede fulde udgave "
                             f"(version {previous['version']}) med lukkede punkter")
        target = folder / (previous["file"] if previous else _file_name(info.meeting_key))
        kept = {}
        if previous and previous["version"] < info.version and target.exists() and source.resolve() != target.resolve():
            # keep the version being replaced, so the window can show *what* changed in an item (a text diff)
            kept_name = f"{target.stem}.forrige{target.suffix}"
            shutil.copyfile(target, folder / kept_name)
            kept = {"previous_file": kept_name, "previous_version": previous["version"]}
        elif previous:
            kept = {k: previous[k] for k in ("previous_file", "previous_version") if k in previous}
        if source.resolve() != target.resolve():
            os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    index[info.meeting_key] = {
        "file": target.name, "title": info.title, "version": info.version, "published": info.published,
        "public": info.public,
        "hashes": info.item_hashes,
        "read_version": previous["read_version"] if previous else info.version,
        "read_hashes": previous["read_hashes"] if previous else info.item_hashes,
        "installed": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        **kept,
    }
    _save_index(index)
    changes = item_changes(index[info.meeting_key]["read_hashes"], info.item_hashes)
    return InstallResult(target, info, previous["version"] if previous else None, changes, new_signer)


def pack_changes(meeting_key: str) -> list[ItemChange]:
    """What changed in the installed version since the version the member read."""
    entry = find_installed(meeting_key)
    if entry is None:
        return []
    return item_changes(entry.read_hashes, _current_hashes(_load_index().get(meeting_key) or {}, entry.path))


def _current_hashes(raw: dict, path: Path) -> dict[str, dict]:
    """The installed version's item hashes: kept in the index at install, so a sealed pack (#18) need not
    be decrypted to mark what changed; older index entries read them from the pack."""
    if isinstance(raw.get("hashes"), dict):
        return raw["hashes"]
    store = open_pack(path)
    try:
        info = read_pack_info(store.db)
    finally:
        store.close()
    return info.item_hashes if info else {}


def change_marks(meeting_key: str) -> dict[str, str]:
    """{item number: "Ændret" | "Ny" | "Udgået"} for the window's item list."""
    return {c.number: c.status for c in pack_changes(meeting_key)}


def mark_read(meeting_key: str, item_number: str | None = None) -> None:
    """The member has read the installed version (or one item of it): its marks go away."""
    index = _load_index()
    raw = index.get(meeting_key)
    if raw is None:
        return
    current = _current_hashes(raw, packs_dir() / raw["file"])
    if item_number is None:
        raw["read_hashes"], raw["read_version"] = current, raw["version"]
    else:
        hashes = dict(raw["read_hashes"])
        if item_number in current:
            hashes[item_number] = current[item_number]
        else:
            hashes.pop(item_number, None)
        raw["read_hashes"] = hashes
    _save_index(index)


def install_and_open(source: Path | str) -> tuple[Store, InstallResult]:
    """What File → Åbn pakke… does: install (or update) the pack, then open the installed copy read-only.

    Returns (store, InstallResult); show `result.info.label` and mark items with `change_marks(key)`.
    """
    result = install_pack(source)
    return open_pack(result.path), result


def _changes_for_pack(db: Database) -> list[ItemChange]:
    info = read_pack_info(db)
    try:
        entry = find_installed(info.meeting_key) if info else None
    except StoreError:  # an unreadable index must not stop the window showing the pack
        return []
    if info is None or entry is None:
        return []
    return item_changes(entry.read_hashes, info.item_hashes)


def removed_for_pack(db: Database) -> list[ItemChange]:
    """Items the member read that this version no longer has ("Udgået"), for the meeting page."""
    return [c for c in _changes_for_pack(db) if c.status == REMOVED]


def marks_for_pack(db: Database) -> dict[str, str]:
    """{item ref: "Ændret" | "Ny"} for the pack open in `db`, against what the member has read; {} otherwise.

    Compares the open pack's own hashes with the read baseline, so it also works for a
    pack opened directly (`--db FILE.kkrpack`) as long as its meeting was installed once.
    """
    return {c.number: c.status for c in _changes_for_pack(db) if c.status != REMOVED}


def mark_item_read_in(db: Database, item: dict) -> None:
    """The member has opened this item of the pack in `db`: its mark goes away next time (no-op outside packs)."""
    info = read_pack_info(db)
    try:
        if info is not None and find_installed(info.meeting_key) is not None:
            mark_read(info.meeting_key, item_ref(item))
    except (StoreError, OSError):  # reading must never fail because the marks could not be saved
        pass
