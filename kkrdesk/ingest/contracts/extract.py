"""Read resultatkontrakter and their afrapporteringer from lines: pure parsing, no store.

The genre, not one file: a goal is headed "Mål N – Titel" (or "Mål N Titel",
"Mål N: Titel", the doubled "Mål 1 Mål 1 - Titel" of a flattened table, a
markdown "## Mål N …"), followed by a flattened two-column box whose label is
glued to its first line ("Mål …", "Metode …", "Begrundelse …",
"Afrapportering …"), fulfilment rules ("Målet er 100 pct. opfyldt, når …") and,
in a report, "Afrapportering og målopfyldelse – Mål N" with the result. Reports
interleave box and result text, so every line is classified by its label, not
by its position. A goal block ends at the next goal heading or at a clearly new
part (a "Bilag N." heading, "6. Økonomi", an agenda item "3.3 …"), which is what
keeps a whole multi-document file from leaking into the last goal.
"""

from __future__ import annotations

import re
from collections import Counter

from kkrdesk.data.contracts.model import Contract, Goal
from kkrdesk.data.danish import find_date, format_number, parse_number
from kkrdesk.data.lines import Line
from kkrdesk.ingest.contracts.cleanup import clean_lines
from kkrdesk.ingest.contracts.funding import funding_from_text, funding_table, portfolio_from_text
from kkrdesk.ingest.contracts.goals import build_goal
from kkrdesk.ingest.contracts.headings import Heading, find_headings
from kkrdesk.ingest.contracts.metadata import (
    FRAMEWORK,
    TITLE_LINE,
    contract_year,
    find_parties,
    find_signatories,
)
from kkrdesk.ingest.contracts.overview import parse_overview, parse_overview_table, section_scopes
from kkrdesk.ingest.contracts.patterns import (
    BILAG,
    DELMAAL,
    DOC_TITLE,
    LABEL,
    OVERALL,
    REPORT_HEADING,
    TERMINATOR,
)
from kkrdesk.ingest.contracts.themes import theme_for


def _block_end(lines: list[Line], start: int, stop: int) -> int:
    """Index where a goal's text stops: the next heading (stop) or an earlier 'Bilag 1.', '6. Økonomi', '3.3 …'."""
    for j in range(start, stop):
        if TERMINATOR.match(lines[j].text):
            return j
    return stop


def _segments(lines: list[Line], headings: list[Heading]) -> list[tuple[int, int, list[Heading]]]:
    """(start, end, headings) per document in the lines.

    A goal numbering that starts again begins a new document (a meeting pack's
    contract followed by the framework agreement); it is split at that
    document's title line so each keeps its own economy and signatures.
    """
    groups: list[list[Heading]] = [[]]
    closed = False  # a "Bilag N." after the goals: later headings of the same numbering belong to the bilag
    for h in headings:
        restart = bool(groups[-1]) and int(h.number) <= int(groups[-1][-1].number)
        if restart:
            groups.append([])
            closed = False
        elif groups[-1] and any(BILAG.match(x.text) for x in lines[groups[-1][-1].body_start:h.index]):
            closed = True
        if not closed:
            groups[-1].append(h)
    groups = [g for g in groups if g]
    # an overview or contents printed as "Mål N Titel" lines (wrapped, so not caught as a run)
    # comes before the real goals with the same numbers: it is not a contract of its own
    groups = [g for k, g in enumerate(groups) if not (k + 1 < len(groups) and _is_overview(lines, g, groups[k + 1]))]
    out: list[tuple[int, int, list[Heading]]] = []
    start = 0
    for k, group in enumerate(groups):
        if k + 1 < len(groups):
            nxt_first = groups[k + 1][0].index
            last = group[-1]
            end_of_goals = _block_end(lines, last.body_start, nxt_first)
            split = next(
                (j for j in range(end_of_goals, nxt_first) if DOC_TITLE.match(lines[j].text) and len(lines[j].text) < 120),
                end_of_goals,
            )
            # a meeting-pack item number ("3.4") just before the title belongs to the next document
            while split > end_of_goals and re.match(r"^\d{1,2}\.\d{1,2}$|^$", lines[split - 1].text):
                split -= 1
        else:
            split = len(lines)
        out.append((start, split, group))
        start = split
    return out


def _wrapped_titles(lines: list[Line]) -> list[Line]:
    """'Resultatkontrakt for' / 'Erhvervshus Nordjylland 2026': a title a PDF wrapped over two lines, joined."""
    texts = [x for x in lines if x.text]
    out: list[Line] = []
    for a, b in zip(texts, texts[1:], strict=False):
        if DOC_TITLE.match(a.text) and len(a.text) < 60:
            joined = f"{a.text} {b.text}"
            if TITLE_LINE.match(joined):
                out.append(a._replace(text=joined))
    return out


def _is_overview(lines: list[Line], group: list[Heading], following: list[Heading]) -> bool:
    """Headings with (almost) nothing under them, whose numbers come again as real goals."""
    if not {h.number for h in group} <= {h.number for h in following}:
        return False
    stops = [h.index for h in group[1:]] + [following[0].index]
    pairs = list(zip(group, stops, strict=True))
    for h, stop in pairs[:-1] if len(pairs) > 1 else pairs:   # the last one runs into the text before the goals
        body = [x for x in lines[h.body_start:stop] if x.text]
        if len(body) > 3 or any(LABEL.match(x.text) or DELMAAL.match(x.text) for x in body):
            return False
    return True


def _is_report(lines: list[Line]) -> bool:
    return any(REPORT_HEADING.match(x.text) for x in lines) or bool(
        re.search(r"Denne afrapportering|afrapportering er .{0,40}dokumentation", " ".join(x.text for x in lines[:40]), re.I)
    )


def _goal_blocks(lines: list[Line], headings: list[Heading]) -> list[list[Line]]:
    """Each goal's lines. A report section headed "Afrapportering og målopfyldelse – Mål N" belongs to
    goal N wherever it stands, so a report that gathers all results after the goal boxes still lines up."""
    numbers = {h.number for h in headings}
    blocks: dict[str, list[Line]] = {h.number: [] for h in headings}
    for k, h in enumerate(headings):
        stop = headings[k + 1].index if k + 1 < len(headings) else len(lines)
        owner = h.number
        for line in lines[h.body_start:_block_end(lines, h.body_start, stop)]:
            m = REPORT_HEADING.match(line.text)
            if m and m.group(1) in numbers:
                owner = m.group(1)
            blocks[owner].append(line)
    return [blocks[h.number] for h in headings]


_MARKED_DELMAAL = re.compile(
    r"<(?P<tag>u|b|strong)>\s*(?P<a>Delmål\s+\d{1,2}(?:\.\d{1,2})?[^<]*?)\s*</(?P=tag)>|\*\*(?P<b>Delmål\s+\d{1,2}(?:\.\d{1,2})?[^*]*?)\*\*"
)


def marked_titles(raw: dict[int, str] | None) -> dict[int, dict[str, str]]:
    """Line → delmål label → its underlined or bold text, as the source marked it ("<u>Delmål 7.2 Flest …</u>").

    The marks end the title exactly where the document does; the normalised lines have lost them.
    """
    out: dict[int, dict[str, str]] = {}
    for no, text in (raw or {}).items():
        if "Delmål" not in text:
            continue
        for m in _MARKED_DELMAAL.finditer(text):
            marked = " ".join((m.group("a") or m.group("b")).split())
            label = " ".join(marked.split()[:2])
            out.setdefault(no, {})[label] = marked
    return out


_SCOPE_WORD = {"national": "nationalt", "regional": "regionalt", "fælles": "fælles", "lokal": "lokalt"}


def _set_scope(goal: Goal, section: tuple[str, int] | None, table: tuple | None, listed: tuple | None) -> None:
    """Scope by trust: the enclosing section, the overview table's Type column, the overview list.

    Where two of them disagree the trusted one is kept and the goal says so.
    """
    said = [(where, scope, line) for where, scope, line in (
        ("afsnittet", section[0] if section else None, section[1] if section else None),
        ("oversigtstabellen", table[1] if table else None, table[3] if table else None),
        ("oversigten", listed[1] if listed else None, listed[3] if listed else None),
    ) if scope]
    if not said:
        return
    where, goal.scope, _ = said[0]
    for other, scope, line in said[1:]:
        if scope != goal.scope and {scope, goal.scope} != {"regional", "lokal"}:   # KKR says both for the same
            goal.warnings.append((line, (
                f"Mål {goal.number}: {other} siger {_SCOPE_WORD.get(scope, scope)} mål, {where} siger "
                f"{_SCOPE_WORD.get(goal.scope, goal.scope)}; {where} er brugt")))


def mend_broken_words(title: str, words: Counter[str]) -> str:
    """'Virksomh edernes tilfredshed' → 'Virksomhedernes tilfredshed' when the document uses the whole word elsewhere.

    Both pieces must be rare (printed only where cells broke them; a one- or two-letter head may be
    a word of its own, 'i værksættere') and the joined word known.
    """
    tokens = title.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        a = tokens[i]
        if i + 1 < len(tokens):
            b = tokens[i + 1]
            joined = a + b
            if (a.isalpha() and b.isalpha() and b[:1].islower() and (words[a.lower()] <= 2 or len(a) <= 2)
                    and words[b.lower()] <= 2 and words[joined.lower()] >= 1):
                out.append(joined)
                i += 2
                continue
        out.append(a)
        i += 1
    return " ".join(out)


def _unbroken_title(title: str, other: str | None, words: Counter[str]) -> str:
    """Of two printings of a title that differ only in spaces, the one whose words the document uses elsewhere.

    A narrow PDF cell breaks a word ("Virksomh edernes"), a bad rejoin glues two ("Opsøgendeindsats");
    either way the broken form occurs only where it was broken. Ties keep the heading's own title.
    """
    if not other or title == other or title.replace(" ", "") != other.replace(" ", ""):
        return title

    def rare(text: str) -> int:
        return sum(1 for w in re.findall(r"\w+", text) if words[w.lower()] <= 1)

    return other if rare(other) < rare(title) else title


def _extract_segment(
    lines: list[Line], headings: list[Heading], default_year: int | None, raw: dict[int, str] | None,
    continued: frozenset[int] = frozenset(),
) -> Contract:
    first = headings[0]
    preamble = lines[: first.index]
    all_text = " ".join(x.text for x in lines)
    head_text = " ".join(x.text for x in lines[:60])
    framework_m = FRAMEWORK.search(all_text)
    titles = [x for x in lines[:40] if TITLE_LINE.match(x.text)] or _wrapped_titles(lines[:40])
    title_line = next((x for x in titles if re.search(r"(?:19|20)\d{2}\s*$", x.text)), titles[0] if titles else None)
    is_framework = bool(title_line and title_line.text.startswith("Aftale om rammerne")) or (
        not re.search(r"resultatkontrakt", head_text, re.I) and bool(re.search(r"Aftale om rammerne", head_text))
    )
    # in a framework agreement the title line is the framework itself; prefer it over an item title
    fw_title = next((x for x in lines[:40] if x.text.startswith("Aftale om rammerne")), None)
    if fw_title is not None and not re.search(r"resultatkontrakten?\s+(?:er|aftales)", head_text, re.I):
        is_framework, title_line = True, fw_title
    is_report = _is_report(lines) and not is_framework
    year = contract_year(all_text) if not is_framework else None
    if is_framework and framework_m is None:
        framework_m = FRAMEWORK.search(title_line.text) if title_line else None
    if is_framework:
        fy = re.search(r"((?:19|20)\d{2})\s*[-–]\s*(?:19|20)\d{2}", title_line.text if title_line else "")
        year = int(fy.group(1)) if fy else None
    year = year or default_year
    if title_line is not None:
        title = title_line.text
    else:
        title = f"Resultatkontrakt {year}" if year else "Resultatkontrakt"
    if is_report and not title.lower().startswith("afrapportering"):
        title = f"Afrapportering af {title[0].lower()}{title[1:]}" if title_line is None else title
    contract = Contract(
        kind="rammeaftale" if is_framework else "resultatkontrakt",
        is_report=is_report,
        year=year,
        title=title,
        line_start=next((x.no for x in lines if x.text), lines[0].no),
        line_end=next((x.no for x in reversed(lines) if x.text), lines[-1].no),
    )
    contract.parties = find_parties(lines)
    contract.framework = framework_m.group(0) if framework_m and not is_framework else None
    if is_framework:
        d = find_date(" ".join(x.text for x in lines[:15]))
        contract.date = d.isoformat() if d else None
    m = re.search(r"træder i kraft\s+(?:d\.|den)?\s*(\d{1,2}\.\s*\w+\s+\d{4})", all_text)
    if m and find_date(m.group(1)):
        contract.in_force_from = find_date(m.group(1)).isoformat()
    m = re.search(r"gælder (?:frem )?til\s+(?:og med\s+)?(?:den\s+)?(\d{1,2}\.\s*\w+\s+\d{4})", all_text)
    if m and find_date(m.group(1)):
        contract.in_force_to = find_date(m.group(1)).isoformat()
    for line in preamble:
        om = OVERALL.search(line.text)
        if om:
            contract.overall_fulfilment_pct = parse_number(om.group("num"))
            contract.overall_line = line.no
            break
    overview = parse_overview(preamble)
    overview_table = parse_overview_table(preamble)
    sections = section_scopes(lines, headings)
    orphan = next((x for x in preamble if (m := LABEL.match(x.text)) and m.group("label") in ("Metode", "Begrundelse")), None)
    if orphan is not None:
        contract.warnings.append((orphan.no, "En målboks ('Metode …') står uden en 'Mål N'-overskrift; teksten er ikke læst som et mål"))

    marks = marked_titles(raw)
    words = Counter(re.findall(r"\w+", "\n".join(x.text for x in lines).lower()))
    for h, block in zip(headings, _goal_blocks(lines, headings), strict=True):
        goal = build_goal(h, block, marks, continued)
        goal.title = mend_broken_words(goal.title, words)
        for ind in goal.indicators:
            ind.title = mend_broken_words(ind.title, words) if ind.title else ind.title
        _set_scope(goal, sections.get(h.number), overview_table.get(h.number), overview.get(h.number))
        ov = overview_table.get(h.number) or overview.get(h.number)
        if ov:
            goal.overview_title, _, goal.overview_pct, ov_line = ov
            goal.title = _unbroken_title(goal.title, goal.overview_title, words)
            if goal.overview_pct is not None:
                if goal.fulfilment_pct is None:
                    goal.fulfilment_pct, goal.fulfilment_line = goal.overview_pct, ov_line
                elif abs(goal.overview_pct - goal.fulfilment_pct) > 1e-9:
                    goal.warnings.append((ov_line, f"Mål {h.number}: oversigten siger {goal.overview_pct} %, afsnittet {goal.fulfilment_pct} %"))
        if goal.scope is None and re.search(r"–\s*nationalt mål\s*$", goal.title):
            goal.scope = "national"
        if goal.scope is None and is_framework:
            goal.scope = "national"
        goal.theme = theme_for(goal.title, goal.scope)
        contract.goals.append(goal)
    numbers = [int(g.number) for g in contract.goals]
    expected = list(range(1, max(numbers) + 1)) if numbers else []
    if numbers != expected:
        contract.warnings.append((first.line, f"Målene er ikke nummereret 1–{max(numbers)} i rækkefølge: {numbers}"))
    pcts = [g.fulfilment_pct for g in contract.goals]
    if contract.overall_fulfilment_pct is not None and pcts and None not in pcts:
        mean = sum(pcts) / len(pcts)
        if abs(mean - contract.overall_fulfilment_pct) >= 1:
            contract.warnings.append((contract.overall_line, (
                f"Den samlede målopfyldelse er trykt som {format_number(contract.overall_fulfilment_pct)} %, "
                f"men gennemsnittet af målene er {format_number(round(mean, 1))} %")))
    for number, entry in {**overview, **overview_table}.items():
        if number not in {g.number for g in contract.goals}:
            contract.warnings.append((entry[3], f"Mål {number} står i oversigten, men har intet afsnit"))
    last_end = _block_end(lines, headings[-1].body_start, len(lines))
    post = lines[last_end:]
    contract.signatories, swarn = find_signatories(post, raw)
    contract.warnings.extend(swarn)
    rows, flag, fwarn = funding_table(lines, year)
    if not rows and not is_framework:
        rows = funding_from_text(lines)
    contract.funding, contract.funding_flag = rows, flag
    contract.portfolio = portfolio_from_text(lines) if not is_framework else None
    contract.warnings.extend(fwarn)
    for goal in contract.goals:
        contract.warnings.extend(goal.warnings)
    return contract


Reading = tuple[list[Line], list[Heading]]
_EMPTY_FIRST_CELL = re.compile(r"^\|\s*\|")


def read_contract_lines(lines: list[Line]) -> Reading:
    """The cleaned lines and the goal headings found in them: what both the kind test and the extraction read."""
    clean = clean_lines(lines)
    return clean, find_headings(clean)


def extract_contracts(
    lines: list[Line], *, default_year: int | None = None, raw: dict[int, str] | None = None,
    reading: Reading | None = None,
) -> list[Contract]:
    """Every contract, report or framework agreement found in lines (usually one).

    `raw` (original line number → unnormalised text) is optional; it lets the
    signature block's two columns be split where the PDF put a wide gap.
    `reading` is `read_contract_lines(lines)` when the caller has it already (from `contract_kind`).
    """
    clean, headings = reading if reading is not None else read_contract_lines(lines)
    if not headings:
        return []
    # rows that open with an empty cell continue the row above (a table broken over a page)
    continued = frozenset(x.no for x in lines if x.text.startswith("\t") or (x.text.startswith("|") and _EMPTY_FIRST_CELL.match(x.text)))
    contracts = [
        _extract_segment(clean[a:b], [_shift(h, a) for h in group], default_year, raw, continued)
        for a, b, group in _segments(clean, headings)
    ]
    pages = {x.no: x.page for x in lines if getattr(x, "page", None) is not None}
    if pages:
        for contract in contracts:
            _set_pages(contract, pages)
    return contracts


def _set_pages(contract: Contract, pages: dict[int, int]) -> None:
    """Each fact's page from the line it cites, so provenance is document, page and line."""
    for goal in contract.goals:
        goal.page = pages.get(goal.line_start)
        for ind in goal.indicators:
            ind.page = pages.get(ind.line_start)
        for t in goal.all_targets():
            t.page = pages.get(t.line)
        for o in goal.outcomes:
            o.page = pages.get(o.line)


def _shift(h: Heading, offset: int) -> Heading:
    return Heading(h.index - offset, h.body_start - offset, h.number, h.title, h.line)


# A goal heading or a box label opening a line (after markup such as "### ", "| ", "<b>" or a bullet).
_CONTRACT_LINE = re.compile(r"^[\s#*|>•<b/]*(?:Mål\s*\d|Mål\b|Metode\b|Afrapportering\b|Afreportering\b)", re.M)
# Every goal heading (patterns.HEADING_*) is "Mål", space and a number once the lines are cleaned, and
# cleaning only takes away tags, "**" and table bars and turns cells into TABs: without this in the raw
# text no heading can be found, and a document without one is not a contract (`_kind_of`).
_HEADING_HINT = re.compile(r"Mål(?:[\s|*]|<[^>\n]{0,200}>)*\d")


def looks_like_contract(lines: list[Line]) -> str | None:
    """'report', 'contract' or None: lets the importer pick a document's kind from its text."""
    return contract_kind(lines)[0]


def contract_kind(lines: list[Line]) -> tuple[str | None, Reading | None]:
    """`looks_like_contract`, with the reading it made (None when the cheap test ended it), so
    `extract_contracts` need not clean the lines and find the headings a second time (#20)."""
    # Headings start "Mål N" and the counted labels are Metode/Afrapportering: without two lines
    # opening with such a word there is nothing to find, so skip the costly cleanup (bench, issue #8).
    text = "\n".join(x.text for x in lines)
    if not _HEADING_HINT.search(text) or len(_CONTRACT_LINE.findall(text)) < 2:
        return None, None
    reading = read_contract_lines(lines)
    return _kind_of(*reading), reading


def _kind_of(clean: list[Line], headings: list[Heading]) -> str | None:
    text = " ".join(x.text for x in clean[:200])
    labels = sum(1 for x in clean if LABEL.match(x.text) and x.text.split()[0] in ("Metode", "Afrapportering", "Afreportering"))
    if not headings or (len(headings) < 2 and labels < 2):
        return None   # a document with no goal headings is not a contract, however many boxes it has
    if any(REPORT_HEADING.match(x.text) for x in clean) or re.search(r"målopfyldelse[^%]{0,60}\d+\s*%", text, re.I) and re.search(r"afrapportering", text, re.I):
        return "report"
    if re.search(r"resultatkontrakt|Aftale om rammerne for erhvervshuse", " ".join(x.text for x in clean), re.I):
        return "contract"
    return "contract" if labels >= 2 else None
