"""Which kind of document is this: resultatkontrakt, afrapportering, meeting pack or other?

Decided from the text, not the file name; `--kind` on the command line overrides.
"""

from __future__ import annotations

import re

from kkrdesk.data.lines import Line
from kkrdesk.ingest.agenda import detect_agenda_kind
from kkrdesk.ingest.meeting_pack import is_meeting_pack

KINDS = ("contract", "report", "meeting-pack", "dagsorden", "referat", "document")
# "Mål 3 – Titel", "Mål 3: Titel", "## Mål 3 Titel" (2026: no separator, markdown level kept)
# also under a section number ("3.1 Mål 1 – Kendskab"), as Word and PDF contracts number them; not a TOC line
_GOAL_HEADING = re.compile(r"^(?:#{1,6}\s*)?(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?Mål\s+\d{1,2}(?:\s+Mål\s+\d{1,2})?"
                           r"(?:\s*[-–:]\s*\S|\s+[A-ZÆØÅ])(?!.*(?:\.{4}|\t)\s*\d{1,3}$)")
_REPORT_MARK = re.compile(r"afrapportering og målopfyldelse|målopfyldelse(?:n)?\s+(?:er|vurderes)", re.IGNORECASE)


def detect_kind(lines: list[Line]) -> str:
    if is_meeting_pack(lines):
        return "meeting-pack"
    if agenda := detect_agenda_kind(lines):   # dagsorden | referat (#14)
        return agenda
    texts = [line.text for line in lines if line.text]
    opening = " ".join(texts[:40]).lower()
    if "resultatkontrakt" not in opening and "erhvervshus" not in opening:
        return "document"       # the test below needs one of the two words, whatever the goal count (#20)
    goals = sum(1 for text in texts if _GOAL_HEADING.match(text))
    if "resultatkontrakt" in opening and goals >= 2 or goals >= 3 and "erhvervshus" in opening:
        reports = sum(1 for text in texts if _REPORT_MARK.search(text))
        return "report" if reports >= 2 or "afrapportering" in " ".join(texts[:5]).lower() else "contract"
    return "document"
