"""Opening a sealed 100-item pack against the same pack plain (#18): target ≤ 0.3 s more.

Both packs are built in the same run from the same meeting; the figure is the median extra
seconds a member waits for the decryption (scrypt + AES-GCM + deserialising into memory).
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from bench.measure import timed


def _meeting_store(folder: Path, items: int = 100) -> tuple[Path, int]:
    from kkrdesk.data import meetings
    from kkrdesk.data.store import open_store

    db = folder / "sekretariat.sqlite"
    store = open_store(db)
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-04", "Aalborg")
    text = "Sagsfremstilling om uddannelse, beskæftigelse og erhverv i Nordjylland. " * 60
    for number in range(1, items + 1):
        meetings.add_item(store, meeting_id, f"3.{number}", f"Punkt {number}", sagsfremstilling=text,
                          access="lukket" if number % 10 == 0 else "åben")
    store.close()
    return db, meeting_id


def sealed_open(bench) -> list:
    """`sealed_open_extra_s`: median(open sealed) − median(open plain), 100 items, 10 % closed."""
    from kkrdesk.data.packs import build_pack, open_pack
    from kkrdesk.data.store import open_store
    from kkrdesk.publish.sealing import seal_members_pack

    folder = bench.work / "sealed"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KKRDESK_DATA_DIR", str(folder / "brugerdata"))
    db, meeting_id = _meeting_store(folder)
    store = open_store(db)
    plain, public, sealed_path = folder / "plain.kkrpack", folder / "public.kkrpack", folder / "sealed.kkrpack"
    for target, is_public in ((plain, False), (public, True), (sealed_path, False)):
        build_pack(store, meeting_id, target, public=is_public, version=1, meeting_key="bench")
    store.close()
    seal_members_pack(sealed_path, public, meeting_key="bench", version=1, published="2026-12-04T10:00:00+01:00",
                      expires=None, passphrase="bench-adgangskode")
    rounds = 3 if bench.mode == "quick" else 7

    def open_close(path: Path, passphrase: str | None) -> None:
        pack = open_pack(path, passphrase=passphrase)
        pack.conn.execute("SELECT COUNT(*) FROM agenda_items").fetchone()
        pack.close()

    plain_s = statistics.median(timed(lambda: open_close(plain, None))[0] for _ in range(rounds))
    sealed_s = statistics.median(timed(lambda: open_close(sealed_path, "bench-adgangskode"))[0]
                                 for _ in range(rounds))
    return [bench.row("sealed_open_extra_s", round(sealed_s - plain_s, 3), "s", "<= 0.3",
                      peer=round(plain_s, 3), peer_name="the same pack, plain", sealed_s=round(sealed_s, 3))]
