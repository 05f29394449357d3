"""Sealing the members' files of a meeting folder (#18): the pack encrypted and signed, the PDF encrypted.

The members' pack carries closed items (personnel matters, negotiations) onto laptops that travel,
so when a meeting has closed items its pack is encrypted under the secretariat's passphrase and
its briefing PDF too (AES-256, pypdf): no byte of a closed item is readable in the folder without
the passphrase. Every members' pack is signed with the secretariat's key, so a member's app can
tell a pack altered after publication, or one from somebody else.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from pathlib import Path

from kkrdesk.data import sealed
from kkrdesk.data.access import CLOSED_TITLE
from kkrdesk.data.sealed_store import EXPIRED_TITLE
from kkrdesk.data.signing import secretariat_key
from kkrdesk.data.store import Store, StoreError

NEEDS_PASSPHRASE = ("mødet har lukkede punkter: angiv en adgangskode (--passphrase-file), "
                    "så medlemmernes pakke kan krypteres")


def has_closed_items(store: Store, meeting_id: int) -> bool:
    return store.conn.execute(
        "SELECT 1 FROM agenda_items WHERE meeting_id = ? AND access = 'lukket' LIMIT 1", (meeting_id,)
    ).fetchone() is not None


def parse_expiry(text: str | None) -> dt.date | None:
    """'2026-12-31' (or a Danish '31.12.2026') → date; one Danish line when it is not a date."""
    if not text:
        return None
    from kkrdesk.data.danish import find_date

    text = text.strip()
    value = None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        with contextlib.suppress(ValueError):
            value = dt.date(int(match[3]), int(match[2]), int(match[1])) if match else find_date(text)
    if value is None:
        raise StoreError(f"udløbsdatoen '{text}' er ikke en dato (skriv ÅÅÅÅ-MM-DD)")
    return value


def _fallback_bytes(public_pack: Path, work: Path) -> bytes:
    """The public pack with closed titles reading "Lukket punkt (udløbet)": what is left after expiry."""
    copy = work / ".udloebet.sqlite"
    copy.write_bytes(public_pack.read_bytes())
    conn = sqlite3.connect(str(copy), isolation_level=None)
    try:
        conn.execute("UPDATE agenda_items SET title = ? WHERE access = 'lukket' AND title = ?",
                     (EXPIRED_TITLE, CLOSED_TITLE))
        conn.execute("UPDATE pack_info SET public = 0")
        conn.execute("VACUUM")
    finally:
        conn.close()
    data = copy.read_bytes()
    copy.unlink()
    return data


def seal_members_pack(pack: Path, public_pack: Path, *, meeting_key: str, version: int, published: str,
                      expires: dt.date | None, passphrase: str | None, body: str = "KKR Nordjylland") -> None:
    """Replace the plain members' pack at `pack` by its sealed container (temp file + rename)."""
    header = {"body": body, "meeting_key": meeting_key, "version": version, "published": published,
              "expires": expires.isoformat() if expires else None}
    data = sealed.seal(pack.read_bytes(), _fallback_bytes(public_pack, pack.parent), header=header,
                       signing_key=secretariat_key(), passphrase=passphrase)
    temp = pack.with_name(f".{pack.name}.sealed.tmp")
    temp.write_bytes(data)
    os.replace(temp, pack)


def encrypt_pdf(path: Path, passphrase: str) -> None:
    """The members' briefing PDF encrypted with AES-256 under the same passphrase (in place, atomically)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.encrypt(user_password=passphrase, owner_password=None, algorithm="AES-256")
    temp = path.with_name(f".{path.name}.enc.tmp")
    with temp.open("wb") as handle:
        writer.write(handle)
    os.replace(temp, path)
