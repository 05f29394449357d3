"""Opening a sealed pack as a read-only store that lives in memory (#18).

The members' pack is verified (signature, trusted sender), decrypted with the passphrase and
deserialised into an in-memory SQLite database: no decrypted byte is written beside the pack or
anywhere else. After the expiry date only the pack's fallback (closed items as "Lukket punkt
(udløbet)") is opened, and `expire_installed` replaces an installed copy by that fallback so the
closed content is gone from the laptop at the next start.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from kkrdesk.data import sealed, signing
from kkrdesk.data.schema import SCHEMA_VERSION
from kkrdesk.data.store import Store, StoreError, _database

EXPIRED_TITLE = "Lukket punkt (udløbet)"
PASSPHRASE_ENV = "KKRDESK_PASSPHRASE_FILE"
MAX_PACK_BYTES = 1 << 30

_passphrase_file: Path | None = None
_session_passphrases: dict[str, str] = {}     # meeting key → passphrase the member gave in this run


def remember_passphrase(meeting_key: str, passphrase: str) -> None:
    """Keep a member's passphrase for this pack in memory for the rest of the run (never on disk).

    The window asks once; the later reads of the installed copy (change marks, "read") find it here.
    """
    _session_passphrases[meeting_key] = passphrase


def remembered_passphrase(meeting_key: str) -> str | None:
    return _session_passphrases.get(meeting_key)


def set_passphrase_file(path: Path | str | None) -> None:
    """The CLI's global --passphrase-file (it wins over KKRDESK_PASSPHRASE_FILE)."""
    global _passphrase_file
    _passphrase_file = Path(path) if path else None


def configured_passphrase() -> str | None:
    """The passphrase from --passphrase-file or KKRDESK_PASSPHRASE_FILE: the file's first line."""
    path = _passphrase_file or (Path(os.environ[PASSPHRASE_ENV]) if os.environ.get(PASSPHRASE_ENV) else None)
    return read_passphrase_file(path) if path is not None else None


def read_passphrase_file(path: Path) -> str:
    """A passphrase file's first line; one Danish line when it cannot be read or is empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path.name}: adgangskodefilen kan ikke læses ({type(exc).__name__})") from None
    line = text.splitlines()[0] if text.strip() else ""
    if not line:
        raise StoreError(f"{path.name}: adgangskodefilen er tom")
    return line


def read_sealed(path: Path) -> sealed.SealedPack | None:
    """The parsed container when `path` is a sealed pack; None for any other file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(sealed.MAGIC))
            if not sealed.is_sealed(head):
                return None
            if path.stat().st_size > MAX_PACK_BYTES:
                raise StoreError(f"{path.name}: pakken er for stor")
            data = head + handle.read()
    except OSError as exc:
        raise StoreError(f"{path.name}: kan ikke læses ({exc.strerror or type(exc).__name__})") from None
    try:
        return sealed.parse(data)
    except sealed.SealError as exc:
        raise StoreError(f"{path.name}: {exc}") from None


def memory_store(data: bytes, path: Path) -> Store:
    """A read-only store over SQLite bytes, entirely in memory, validated as any pack is."""
    from kkrdesk.data.pack_check import PackInvalid, check_connection

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.deserialize(data)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise StoreError(f"{path.name}: har skemaversion {version}, denne kkrdesk kender {SCHEMA_VERSION}")
        check_connection(conn)
        conn.execute("PRAGMA query_only = ON")
    except PackInvalid as exc:
        conn.close()
        raise StoreError(f"{path.name}: afvist som pakke: {exc}") from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path.name}: {sealed.DAMAGED} ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return Store(_database(conn, path), path, read_only=True)


def unseal_bytes(pack: sealed.SealedPack, path: Path, *, passphrase: str | None = None,
                 accept_new_signer: bool = False, today: dt.date | None = None) -> bytes:
    """The SQLite bytes a member may read now: the full pack, or after expiry its fallback."""
    try:
        sealed.verify(pack)
        new_sender = signing.check_signer(pack.body, pack.signer, accept_new=accept_new_signer, record=False)
        if pack.expired(today) or not pack.has_payload:
            data = sealed.open_fallback(pack)
        else:
            if pack.encrypted and passphrase is None:
                passphrase = (remembered_passphrase(str(pack.header.get("meeting_key") or ""))
                              or configured_passphrase())
            data = sealed.open_payload(pack, passphrase)
        if new_sender:                  # trusted only once the pack has really opened
            signing.trust(pack.body, pack.signer)
        return data
    except sealed.SealError as exc:
        raise SealedPackError(path, exc) from None


class SealedPackError(StoreError):
    """One line "fil: grund"; `reason` is the SealError (PassphraseNeeded, WrongPassphrase, …)."""

    def __init__(self, path: Path, reason: sealed.SealError):
        self.path = path
        self.reason = reason
        super().__init__(f"{path.name}: {reason}")


def open_sealed(path: Path | str, *, passphrase: str | None = None, accept_new_signer: bool = False,
                today: dt.date | None = None) -> Store | None:
    """A sealed pack as an in-memory read-only store; None when `path` is not a sealed pack."""
    path = Path(path)
    pack = read_sealed(path)
    if pack is None:
        return None
    data = unseal_bytes(pack, path, passphrase=passphrase, accept_new_signer=accept_new_signer, today=today)
    return memory_store(data, path)


def expire_installed(path: Path, today: dt.date | None = None) -> bool:
    """Replace an expired installed sealed pack by its fallback (no closed content left). True if done."""
    pack = read_sealed(path)
    if pack is None or not pack.expired(today) or not pack.has_payload:
        return False
    data = sealed.open_fallback(pack)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
    return True


def plain_bytes(path: Path | str, passphrase: str | None = None) -> bytes:
    """A pack's SQLite bytes as a member with the passphrase reads them (a plain pack: its file)."""
    path = Path(path)
    pack = read_sealed(path)
    if pack is None:
        return path.read_bytes()
    return unseal_bytes(pack, path, passphrase=passphrase)
