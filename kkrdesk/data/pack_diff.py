"""What changed in an agenda item between two versions of a meeting pack, as text (for the Pakker view).

The pack hashes say *that* an item changed; a member wants to see *what*: the
item's texts and bilag list from both versions, compared line by line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from kkrdesk.data import queries
from kkrdesk.data.packs import item_ref, open_pack, read_pack_info

FIELDS = (("title", "Titel"), ("access", "Adgang"), ("sagsfremstilling", "Sagsfremstilling"),
          ("indstilling", "Indstilling"), ("beslutning", "Beslutning"))


@dataclass
class DiffLine:
    kind: str      # " " same, "-" removed, "+" added
    text: str


def item_text(item: dict | None) -> list[str]:
    """An item as the lines a member reads: its fields, then its bilag."""
    if item is None:
        return []
    lines: list[str] = []
    for key, label in FIELDS:
        value = (item.get(key) or "").strip()
        if value:
            lines.append(f"{label}:")
            lines.extend(line for line in value.splitlines() if line.strip())
    for bilag in item.get("bilag", []):
        lines.append(f"Bilag {bilag['number']}: {bilag['title']}")
    return lines


def pack_items(path: Path) -> dict[str, dict]:
    """{item ref: item} of the meeting in a pack file."""
    store = open_pack(path)
    try:
        info = read_pack_info(store.db)
        meeting = queries.get_meeting(store.db, info.meeting_id) if info else None
        return {item_ref(item): item for item in (meeting or {}).get("items", [])}
    finally:
        store.close()


def item_diff(old: dict | None, new: dict | None) -> list[DiffLine]:
    """The item's lines with what was removed (-) and added (+); unchanged lines kept for context."""
    out = []
    for line in difflib.ndiff(item_text(old), item_text(new)):
        if line.startswith(("- ", "+ ", "  ")):
            out.append(DiffLine(line[0], line[2:]))
    return out
