"""The "Oversigt over mål …" list: overview titles, scope groups and the report's fulfilment column."""

from __future__ import annotations

import re

from kkrdesk.data.danish import parse_number
from kkrdesk.data.lines import Line
from kkrdesk.ingest.contracts.headings import heading_match
from kkrdesk.ingest.contracts.patterns import is_scope_label


def parse_overview(lines: list[Line]) -> dict[str, tuple[str, str | None, float | None, int]]:
    """Goal number → (overview title, scope, fulfilment % or None, line) from 'Oversigt over mål …'."""
    out: dict[str, tuple[str, str | None, float | None, int]] = {}
    start = next((i for i, x in enumerate(lines) if re.search(r"Oversigt over (?:mål|resultatmål)", x.text, re.I)), None)
    if start is None:
        return out
    scope: str | None = None
    last: str | None = None
    item = re.compile(r"^(\d{1,2})\.\s+(\S.*?)(?:\s+(\d{1,3}(?:,\d+)?)\s*%?)?\s*$")
    for line in lines[start + 1:]:
        text = line.text
        if not text:
            continue
        if heading_match(text):
            break
        sk = is_scope_label(text, short_only=False)
        if sk:
            scope, last = sk, None
            continue
        m = item.match(text)
        if m and int(m.group(1)) <= 40:
            number = m.group(1)
            pct = parse_number(m.group(3)) if m.group(3) else None
            out[number] = (m.group(2).strip().rstrip(".").strip(), scope, pct, line.no)
            last = number
            continue
        lone = re.match(r"^(\d{1,3}(?:,\d+)?)\s*%?$", text)
        if lone and last is not None:
            title, sc, pct, ln = out[last]
            if pct is None:
                out[last] = (title, sc, parse_number(lone.group(1)), line.no)
            continue
        if last is not None and text[:1].islower() and out[last][2] is None:
            title, sc, pct, ln = out[last]
            out[last] = (f"{title} {text}".strip(), sc, pct, ln)
    return out
