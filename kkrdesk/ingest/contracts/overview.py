"""Where a goal's scope (nationalt / regionalt fastsat) and overview title come from.

Three places say it, trusted in this order: the section the goal stands in ("4. Nationalt
fastsatte mål", a "Regionale mål" heading or page label just before the goal), an overview
table with a "Type" column, and the overview list ("Nationalt fastsatte mål" followed by
"1. Styrket indsats …"). The report's overview also carries the fulfilment column.
"""

from __future__ import annotations

import re

from kkrdesk.data.danish import parse_number
from kkrdesk.data.lines import Line
from kkrdesk.ingest.contracts.headings import Heading, heading_match
from kkrdesk.ingest.contracts.patterns import (
    BILAG,
    SCOPE_LABEL,
    SCOPE_TAIL,
    SCOPE_WORDS,
    TERMINATOR,
    TYPE_CELL,
    is_scope_label,
    scope_key,
)

Entry = tuple[str, str | None, float | None, int]   # (title, scope, fulfilment %, line)

_ITEM = re.compile(r"^(\d{1,2})\.(?:\s+\S|[A-ZÆØÅ])")
_OVERVIEW_START = re.compile(r"Oversigt over (?:mål|resultatmål)", re.I)
# "4. Nationalt fastsatte mål", "5 Regionale mål", "Nationale mål:" as a heading line of its own
_SECTION = re.compile(rf"^(?:(?P<num>\d{{1,2}})\.?\s+)?(?P<label>{SCOPE_WORDS}){SCOPE_TAIL}\s*:?\s*$", re.I)


def parse_overview(lines: list[Line]) -> dict[str, Entry]:
    """Goal number → (overview title, scope, fulfilment % or None, line) from the 'Oversigt over mål …' list."""
    out: dict[str, Entry] = {}
    start = next((i for i, x in enumerate(lines) if _OVERVIEW_START.search(x.text)), None)
    if start is None:
        return out
    scope: str | None = None
    last: str | None = None
    # "10.Specialiseret …": a PDF may lose the space after the number
    item = re.compile(r"^(\d{1,2})\.(?:\s+|(?=[A-ZÆØÅ]))(\S.*?)(?:\s+(\d{1,3}(?:,\d+)?)\s*%?)?\s*$")
    for line in lines[start + 1:]:
        text = line.text
        if not text or "\t" in text:
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


def type_scope(text: str) -> str | None:
    """'Nationalt', 'Regionalt aftalt mål', 'National' in a Type column → scope key."""
    m = TYPE_CELL.match(text.strip())
    return scope_key(m.group("word")) if m else None


def parse_overview_table(lines: list[Line]) -> dict[str, Entry]:
    """Goal number → (title, scope, fulfilment %, line) from TAB rows with a goal number and a Type cell.

    'Mål\tTitel\tType' / '1\tStyrket indsats for iværksættere\tNationalt' or
    'Mål 1\tKendskab\tNationalt fastsat'; a row without a type cell only gives the title.
    """
    out: dict[str, Entry] = {}
    for line in lines:
        if "\t" not in line.text:
            continue
        cells = [c.strip() for c in line.text.split("\t") if c.strip()]
        if len(cells) < 2:
            continue
        m = re.match(r"^(?:Mål\s*)?(\d{1,2})\.?(?:\s+(\S.*))?$", cells[0])
        if not m:
            continue
        rest = ([m.group(2)] if m.group(2) else []) + cells[1:]
        scope = next((s for c in rest if (s := type_scope(c))), None)
        if scope is None:
            continue   # a table of contents ("Mål 1 – Kendskab\t9") has no Type column
        pct = next((parse_number(p.group(1)) for c in rest if (p := re.fullmatch(r"(\d{1,3}(?:,\d+)?)\s*%?", c))), None)
        titles = [re.sub(r"\s*\.{2,}.*$", "", c) for c in rest if type_scope(c) is None and not re.fullmatch(r"[\d,.\s%]+", c)]
        titles = [t for t in titles if t]
        if not titles:
            continue
        out[m.group(1)] = (max(titles, key=len), scope, pct, line.no)
    return out


def _is_group_label(lines: list[Line], i: int) -> bool:
    """A scope label that heads a list of "1. Titel" items (the overview), not a section of goals."""
    seen = 0
    for x in lines[i + 1:]:
        if not x.text:
            continue
        if heading_match(x.text):
            return False
        if _ITEM.match(x.text):
            return True
        seen += 1
        if seen >= 8:
            return False
    return False


def section_scopes(lines: list[Line], headings: list[Heading]) -> dict[str, tuple[str, int]]:
    """Goal number → (scope, line of the section heading) for goals that stand in a scoped section.

    A numbered section ("4. Nationalt fastsatte mål") lasts until the next number ("5. …");
    an unnumbered one (a heading or a page label) until the next scope label, the overview,
    or the end of the goals (a "6. Økonomi", a "Bilag").
    """
    at = {h.index: h.number for h in headings}
    out: dict[str, tuple[str, int]] = {}
    current: tuple[str, int, int | None] | None = None   # (scope, line, section number)
    for i, line in enumerate(lines):
        text = line.text
        if i in at:
            if current is not None:
                out[at[i]] = (current[0], current[1])
            continue
        if not text:
            continue
        sm = _SECTION.match(text)
        if sm and not _is_group_label(lines, i):
            num = int(sm.group("num")) if sm.group("num") else None
            current = (scope_key(sm.group("label")), line.no, num)
            continue
        if current is None:
            continue
        if _OVERVIEW_START.search(text) or TERMINATOR.match(text) or BILAG.match(text) or SCOPE_LABEL.match(text):
            current = None
            continue
        nm = re.match(r"^(\d{1,2})\.?\s+[A-ZÆØÅ]", text)
        if nm and current[2] is not None and int(nm.group(1)) == current[2] + 1 and len(text) < 100 and not text.endswith("."):
            current = None
    return out
