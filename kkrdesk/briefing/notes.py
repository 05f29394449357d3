"""The reader's private notes in a pack (`--with-notes`): lookup by what the document prints, and the box.

Notes live in their own file (kkrdesk.data.notes) keyed by meeting title/date,
item number and bilag number; this module only reads them. The box is yellow
with a "Min note" label so a printed note is never mistaken for the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from kkrdesk.briefing.doc import FRAME_WIDTH
from kkrdesk.briefing.styles import FONT, NOTE_EDGE, NOTE_FILL, styles
from kkrdesk.briefing.text import markup


@dataclass
class NoteLookup:
    """Notes of one meeting: {note key: Note} plus the meeting they were looked up for."""

    meeting: dict
    notes: dict = field(default_factory=dict)
    hidden_items: frozenset[str] = frozenset()

    def _key(self, item_number: str) -> str:
        from kkrdesk.data.notes import item_key

        return item_key(self.meeting, item_number)

    def item(self, item_number: str):
        if item_number in self.hidden_items:
            return None
        return self.notes.get(self._key(item_number))

    def bilag(self, item_number: str, bilag_number: str):
        if item_number in self.hidden_items:
            return None
        from kkrdesk.data.notes import bilag_key

        return self.notes.get(bilag_key(self._key(item_number), bilag_number))

    def without(self, item_numbers: set[str]) -> NoteLookup:
        """The same notes with those items' (and their bilag's) notes hidden — for closed items in public packs."""
        return NoteLookup(self.meeting, self.notes, frozenset(self.hidden_items | set(item_numbers)))


def meeting_notes(meeting: dict, path: Path | str | None = None) -> NoteLookup:
    """Load the reader's notes on a meeting (empty when there is no notes file yet)."""
    from kkrdesk.data.notes import notes_for_meeting

    return NoteLookup(meeting, notes_for_meeting(meeting, path))


def note_box(note, width: float = FRAME_WIDTH) -> list[Flowable]:
    """A yellow box with the note's text; nothing for no note or an empty one."""
    if note is None or (not (note.text or "").strip() and not note.starred):
        return []
    st = styles()
    head = "Min note (privat)" + ("  ★ stjernemarkeret" if note.starred else "")
    if note.updated_at:
        head += f" · {note.updated_at[:10]}"
    cells: list[Flowable] = [Paragraph(markup(head), st["note_head"])]
    for para in (note.text or "").strip().split("\n\n"):
        if para.strip():
            cells.append(Paragraph(markup(para.strip()).replace("\n", "<br/>"), st["note"]))
    box = Table([[cells]], colWidths=[width], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("BACKGROUND", (0, 0), (-1, -1), NOTE_FILL),
        ("BOX", (0, 0), (-1, -1), 1.2, NOTE_EDGE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return [Spacer(1, 4), box, Spacer(1, 6)]
