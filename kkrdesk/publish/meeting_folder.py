"""The meeting folder: briefing PDF, public PDF, pack and public pack, as one new version.

Built in a private temp folder outside the target (the full store's copy that a pack
starts from never sits in the target, under any name); the public pack is made from
a redacted copy in that private folder and the public PDF from the public pack. The
four files then go into the target together (`swap`), and the version is recorded in
`publications` only once they are in place. A run that was killed is finished or
rolled back by the next one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kkrdesk.data import queries
from kkrdesk.data.packs import PACK_SUFFIX, PUBLIC_TAG, build_pack
from kkrdesk.data.store import Store, StoreError, open_store
from kkrdesk.publish import sealing, swap

if TYPE_CHECKING:
    from sqlite_utils import Database

BUILD_PREFIX = "kkrdesk-export-"


@dataclass
class ExportResult:
    version: int
    folder: Path
    briefing_pdf: Path
    public_pdf: Path
    pack: Path
    public_pack: Path

    @property
    def files(self) -> list[Path]:
        return [self.briefing_pdf, self.public_pdf, self.pack, self.public_pack]


def pack_name(meeting: dict) -> str:
    """A file name stem from date and title: '2026-12-03-kkr-nordjylland-moede'."""
    text = f"{meeting.get('date') or ''} {meeting.get('title') or 'moede'}".lower()
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "moede"


def next_version(store: Store, meeting_id: int) -> int:
    row = store.conn.execute("SELECT MAX(version) FROM publications WHERE meeting_id = ?", (meeting_id,)).fetchone()
    return (row[0] or 0) + 1


def publications(db: Database, meeting_id: int) -> list[dict]:
    """The versions of a meeting published so far, newest first."""
    cursor = db.execute("SELECT version, published_at FROM publications WHERE meeting_id = ? ORDER BY version DESC",
                        (meeting_id,))
    return [{"version": v, "published_at": p} for v, p in cursor.fetchall()]


def _build_pdf(pack_path: Path, meeting_id: int, target: Path, public: bool) -> None:
    from kkrdesk.briefing import build_meeting_pack

    pack = open_store(pack_path, read_only=True, immutable=True)
    try:
        build_meeting_pack(pack.db, meeting_id, target, public=public)
    finally:
        pack.close()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _clean_private_builds() -> None:
    """Private build folders of killed runs (their process is gone)."""
    root = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for folder in root.glob(f"{BUILD_PREFIX}*"):
            match = re.match(rf"{BUILD_PREFIX}(\d+)-", folder.name)
            if match and not _pid_alive(int(match.group(1))) and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)


def _token(meeting_id: int, version: int, published: str) -> str:
    return f"{meeting_id}|{version}|{published}"


def _committed(store: Store):
    def check(token: str) -> bool:
        try:
            meeting_id, version, published = token.split("|", 2)
            return store.conn.execute(
                "SELECT 1 FROM publications WHERE meeting_id = ? AND version = ? AND published_at = ?",
                (int(meeting_id), int(version), published)).fetchone() is not None
        except ValueError:
            return False
    return check


def recover_folder(store: Store, out_dir: Path) -> None:
    """Finish or roll back a killed export into `out_dir`, and remove what it left behind."""
    if out_dir.is_dir():
        swap.recover(out_dir, _committed(store))
    _clean_private_builds()


def export_meeting(store: Store, meeting_id: int, out_dir: Path | str, *,
                   published: str | None = None, passphrase: str | None = None,
                   expires: dt.date | None = None) -> ExportResult:
    """Write the meeting folder as version N+1: all four files or none, the version recorded last.

    The members' pack is sealed (signed; encrypted under `passphrase`, required when the meeting
    has closed items) and the members' PDF encrypted with it (#18).
    """
    from kkrdesk.data.meetings import ensure_meeting_uid

    store.ensure_writable()
    meeting = queries.get_meeting(store.db, meeting_id)
    if meeting is None:
        raise StoreError(f"intet møde med id {meeting_id}")
    if passphrase is None:
        from kkrdesk.data.sealed_store import configured_passphrase

        passphrase = configured_passphrase()
    if passphrase is None and sealing.has_closed_items(store, meeting_id):
        raise StoreError(sealing.NEEDS_PASSPHRASE)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{out_dir.name}: mappen kan ikke oprettes ({exc.strerror or exc})") from exc
    recover_folder(store, out_dir)
    key = ensure_meeting_uid(store, meeting_id)
    version = next_version(store, meeting_id)
    published = published or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    name = pack_name(meeting)
    names = {
        "pack": f"{name}{PACK_SUFFIX}",
        "public_pack": f"{name}-{PUBLIC_TAG}{PACK_SUFFIX}",
        "briefing_pdf": f"{name}.pdf",
        "public_pdf": f"{name}-{PUBLIC_TAG}.pdf",
    }
    work = Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{os.getpid()}-"))   # private: mode 700, outside out_dir
    token = _token(meeting_id, version, published)
    try:
        build_pack(store, meeting_id, work / names["pack"], public=False, version=version, meeting_key=key,
                   published=published)
        build_pack(store, meeting_id, work / names["public_pack"], public=True, version=version, meeting_key=key,
                   published=published)
        _build_pdf(work / names["pack"], meeting_id, work / names["briefing_pdf"], public=False)
        _build_pdf(work / names["public_pack"], meeting_id, work / names["public_pdf"], public=True)
        sealing.seal_members_pack(work / names["pack"], work / names["public_pack"], meeting_key=key,
                                  version=version, published=published, expires=expires,
                                  passphrase=passphrase, body=meeting.get("body") or "KKR Nordjylland")
        if passphrase is not None:
            sealing.encrypt_pdf(work / names["briefing_pdf"], passphrase)
        built = {file_name: work / file_name for file_name in names.values()}
        try:
            swap.stage(built, out_dir, token)
            swap.swap_in(out_dir, list(built), token)
        except BaseException:
            swap.roll_back(out_dir, list(built), swapping=False)
            raise
        try:
            with store.db.atomic():
                store.db["publications"].insert({"meeting_id": meeting_id, "version": version,
                                                 "published_at": published})
        except BaseException:
            swap.roll_back(out_dir, list(built))
            raise
        swap.finish(out_dir, list(built))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ExportResult(version, out_dir, *(out_dir / names[k] for k in ("briefing_pdf", "public_pdf", "pack",
                                                                        "public_pack")))
