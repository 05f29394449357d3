"""One goal block → a Goal: box fields, delmål, targets, fulfilment rules and reported outcomes.

Reports interleave the reprinted box with the result text, so every line is
classified by its label ("Mål", "Metode", "Begrundelse", "Afrapportering",
"Afrapportering og målopfyldelse – Mål N"), never by its position. A rule
("Målet er 100 pct. opfyldt, når …") is kept as a rule; only a partial level
(50 pct.) adds a target, and no rule ever becomes a result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkrdesk.data.contracts.model import Goal, Indicator, Outcome, Target
from kkrdesk.data.danish import parse_number
from kkrdesk.data.lines import Line
from kkrdesk.ingest.contracts import targets as tg
from kkrdesk.ingest.contracts.headings import Heading
from kkrdesk.ingest.contracts.patterns import (
    DELMAAL,
    FULFIL_CONTEXT,
    GOAL_PCT,
    LABEL,
    LONE_NUMBER,
    MAALTAL,
    REPORT_HEADING,
    RESTATEMENT,
    RULE,
    TABLE_ROW,
    TOTAL_ROW,
    is_scope_label,
)
from kkrdesk.ingest.contracts.text import Sentence, join_paragraphs, paragraphs, sentence_lines, strip_bullet


@dataclass
class _Block:
    description: list[Line]
    fields: dict[str, list[Line]]
    rules: list[list[Line]]
    report: list[Line]
    has_box: bool
    report_seen: bool
    report_lines: list[Line]
    second_boxes: list[int]


def _classify(block: list[Line], continued: frozenset[int] = frozenset()) -> _Block:
    """Sort a goal's lines into description, box fields, rules and report by their labels.

    `continued` holds the lines that open with an empty first cell (a table row continued after
    a page break); any other paragraph after a blank line below a table's last row is outside the box.
    """
    fields: dict[str, list[Line]] = {"mål": [], "metode": [], "begrundelse": [], "afrapportering": []}
    description: list[Line] = []
    rules: list[list[Line]] = []
    report: list[Line] = []
    state = "intro"
    report_seen = False
    has_box = False
    second_boxes: list[int] = []   # a second "Mål" row after a finished box: a goal heading is missing
    rule_open = False
    skip_blanks = False
    table_box = False   # the Afrapportering row was a table row (label TAB text)
    gap = False         # a blank line since the last text of the current field
    for line in block:
        text = line.text
        if skip_blanks and not text:
            continue
        skip_blanks = False
        if not text:
            if state == "rule":
                rule_open = False
                state = "report" if report_seen else "after_rule"
            gap = gap or state in ("afrapportering", "after_rule")
            target = {"intro": description, "report": report}.get(state, fields.get(state))
            if target is not None:
                target.append(line)
            continue
        if LONE_NUMBER.match(text) and state != "report":
            # a page number inside a box: the row goes on after the break, so the blanks around it go too
            field = fields.get(state) if state in fields else (description if state == "intro" else None)
            while field and not field[-1].text:
                field.pop()
            skip_blanks = True
            continue
        if REPORT_HEADING.match(text):
            state, report_seen = "report", True
            continue
        if is_scope_label(text, short_only=True):
            state = "report" if report_seen else "tail"
            continue
        rule = RULE.match(text)
        if rule:
            rules.append([line])
            state, rule_open = "rule", not text.rstrip().endswith(".")
            continue
        if state == "rule":
            if rule_open:
                rules[-1].append(line)
                rule_open = not text.rstrip().endswith(".")
                continue
            state = "report" if report_seen else "after_rule"
        if (state in ("afrapportering", "after_rule") and table_box and gap and line.no not in continued
                and not text[:1].islower() and not LABEL.match(text) and not re.match(r"^[¹²³⁴⁵⁶⁷⁸⁹]", text)):
            state = "between"   # text between two tables (the next goal's lead-in), not the Afrapportering cell
            continue
        gap = False
        label = LABEL.match(text)
        if (label and state in fields and state == label.group("label").lower().replace("afreportering", "afrapportering")
                and not any(x.text for x in fields[state]) and label.group("rest")):
            label = None   # "Afrapportering" alone on its line, then "Afrapportering til KKR …": the cell's text
        if label and not (state == "report" and label.group("label") == "Mål" and not label.group("rest")):
            key = label.group("label").lower().replace("afreportering", "afrapportering")
            rest = re.sub(r"^[-–•·]\s*$", "", label.group("rest").strip())
            rest = re.sub(r"^[•·]\s*", "• ", rest)
            if key == "mål" and has_box and (fields["metode"] or fields["afrapportering"]) and state != "report":
                second_boxes.append(line.no)
            state, has_box = key, True
            table_box = key == "afrapportering" and "\t" in text
            if rest:
                fields[key].append(Line(line.no, rest))
            continue
        if state == "mål" and not fields["metode"] and text.startswith("Målet opgøres"):
            state = "metode"  # the Metode label fell off in the extraction
        if state == "intro":
            description.append(line)
        elif state == "report":
            report.append(line)
        elif state in fields:
            fields[state].append(line)
        elif state == "after_rule":
            fields["afrapportering"].append(line)
    return _Block(description, fields, rules, report, has_box, report_seen, report, second_boxes)


_NPS = re.compile(r"\bNPS\b|Net Promot[eo]r", re.I)
_COUNT_UNIT = re.compile(r"antal vejledninger", re.I)


def _indicators(
    goal_number: str, source: list[Line], nps: bool, count_unit: str | None,
    marked: dict[int, dict[str, str]] | None = None,
) -> list[Indicator]:
    """Delmål from the goal's target text; unlabelled paragraphs with targets become 'Målepunkt N.k'.

    Several delmål in one table cell arrive on one line ("… omstilling. Delmål 7.2 Flest …"); they
    are split first, so each gets its own indicator wherever the page broke the cell.
    `marked` (line → label → underlined/bold title as printed) gives the exact titles when the source kept them.
    """
    indicators: list[Indicator] = []
    source = split_delmaal(source, goal_number)
    labelled = [i for i, line in enumerate(source) if DELMAAL.match(strip_bullet(line.text) or "")]
    if labelled:
        # targets stated before the first "Delmål" still count, as unlabelled målepunkter
        indicators = _indicators(goal_number, source[: labelled[0]], nps, count_unit, marked) if labelled[0] else []
        bounds = labelled + [len(source)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            chunk = [line for line in source[a:b]]
            m = DELMAAL.match(strip_bullet(chunk[0].text))
            assert m is not None
            mark = (marked or {}).get(chunk[0].no, {}).get(" ".join(m.group("label").split()))
            title, rest = delmaal_title(m.group("rest"), m.group("sep"), mark)
            body = ([Line(chunk[0].no, rest)] if rest else []) + [x for x in chunk[1:]]
            text = join_paragraphs(body).replace("\n\n", " ")
            ind = Indicator(m.group("label"), title, text, chunk[0].no, chunk[-1].no)
            ind.targets = _targets_in(body, nps=nps, count_unit=count_unit)
            indicators.append(ind)
        return indicators
    k = 0
    for para in paragraphs(source):
        found = _targets_in(para, nps=nps, count_unit=count_unit)
        if not found:
            continue
        k += 1
        text = " ".join(strip_bullet(x.text) for x in para)
        ind = Indicator(f"Målepunkt {goal_number}.{k}", None, text, para[0].no, para[-1].no, printed_label=False)
        ind.targets = found
        indicators.append(ind)
    return indicators


# "Delmål 7.2" inside a line: a new label of this goal (not a reference "jf. delmål 7.1")
_INLINE_DELMAAL = re.compile(r"(?<=\S)\s+(?=Delmål\s+(?P<num>\d{1,2}(?:\.\d{1,2})?)(?:\s|:|$))")
_REFERENCE_BEFORE = re.compile(r"(?:\bjf\.|\bi|\bse|\bunder|\baf|\bog|\bsom|\bfor|\bved)$", re.I)


def split_delmaal(source: list[Line], goal_number: str) -> list[Line]:
    """Lines split before every inline "Delmål N.k" that opens a new delmål of this goal.

    A label counts when it belongs to this goal ("Delmål 9.3" in Mål 9, or an undotted
    "Delmål 3" next in line) and has not been seen yet; a reference ("jf. Delmål 7.1") does not.
    """
    seen: set[str] = set()
    last_plain = 0
    out: list[Line] = []
    for line in source:
        text = line.text
        m0 = DELMAAL.match(strip_bullet(text) or "")
        if m0:
            num = m0.group("label").split()[-1]
            seen.add(num)
            last_plain = int(num) if "." not in num else last_plain
        cuts: list[int] = []
        for m in _INLINE_DELMAAL.finditer(text):
            num = m.group("num")
            if num in seen or _REFERENCE_BEFORE.search(text[: m.start()].rstrip()):
                continue
            major, _, minor = num.partition(".")
            if minor and major != goal_number:
                continue
            if not minor and int(major) != last_plain + 1:
                continue
            seen.add(num)
            last_plain = int(major) if not minor else last_plain
            cuts.append(m.end())
        if not cuts:
            out.append(line)
            continue
        bounds = [0, *cuts, len(text)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            piece = text[a:b].strip()
            if piece:
                out.append(line._replace(text=piece))
    return out


_TITLE_GLUE = frozenset(
    "i til for ift. af på med mod om fra og eller samt ved under over hos the of and".split()
)


_VERBS = frozenset("skal vil er har kan bliver blev sker at var".split())


def _is_name(word: str) -> bool:
    """CO2Vision, EU-kontor, NES: a proper name may stand anywhere in a title."""
    core = word.strip(",.;:()")
    return bool(re.search(r"\d", core)) or any(c.isupper() for c in core[1:])


def delmaal_title(rest: str, sep: str | None, marked: str | None = None) -> tuple[str | None, str]:
    """(title, text) of a delmål's first line after its label.

    The printed mark (underlined or bold title) wins. Otherwise "Titel: tekst" and "Titel – tekst";
    and after a bare label ("Delmål 7.1 Specialiseret vejledning Med afsæt i …") the title ends
    before the first capitalised word that starts a sentence (not a name after "i", "til", "ift.").
    """
    rest = rest.strip()
    if marked:
        body = re.sub(r"^Delmål\s+\d{1,2}(?:\.\d{1,2})?\s*[:.–—-]?\s*", "", marked).strip()
        if body and rest.startswith(body):
            return body.rstrip(":. "), rest[len(body):].lstrip(" :.–—-")
    tm = re.match(r"^(?P<title>[^:.\d]{3,80}?)\s*(?::|\s[-–—]\s)\s*(?P<text>.+)$", rest)
    if tm:
        return tm.group("title").strip(), tm.group("text")
    alone = bool(rest) and len(rest) <= 100 and not re.search(r"[.!?]$", rest) and len(rest.split()) <= 12
    if sep and sep in ":.":
        return (rest, "") if alone and sep == ":" else (None, rest)   # "Delmål 8.1: Titel" as a bold line
    words = rest.split(" ")
    for i in range(1, min(len(words), 14)):
        w = words[i]
        if not w[:1].isupper() or _is_name(w):
            continue
        if words[i - 1].lower() in _TITLE_GLUE or words[i - 1].endswith(","):
            continue
        title = " ".join(words[:i])
        if "," in title or re.search(r"\d{3,}", title) or _VERBS.intersection(t.lower() for t in words[:i]):
            return None, rest   # a sentence, not a title ("Virksomhederne skal i 2026 vejlede …")
        return title, " ".join(words[i:])
    if alone:
        return rest, ""   # the title alone on its line (a bold paragraph in Word)
    return None, rest


_LABELLED = re.compile(
    rf"(?:^|(?<=[•:.]\s)|(?<=•))\s*(?P<label>[A-ZÆØÅ][^:•.\d]{{2,60}}?):\s*(?P<num>{tg.NUMBER})(?![\d,.]\d)(?!\s*(?:%|pct|procent))"
)


def _targets_in(para: list[Line], *, nps: bool, count_unit: str | None) -> list[Target]:
    out: list[Target] = []
    for orig, _ in sentence_lines(para):
        sentence = strip_bullet(orig)
        shift = max(0, orig.find(sentence[:12])) if sentence else 0

        def at(pos: int, o: Sentence = orig, s: int = shift) -> int:
            return o.line_of(pos + s)

        labelled_spans: list[tuple[int, int]] = []
        for m in _LABELLED.finditer(sentence):
            label = m.group("label").strip()
            if not re.search(r"forløb|warning|vejledning", label, re.I):
                continue
            value = parse_number(m.group("num"))
            if value is None:
                continue
            unit = count_unit or ("forløb" if "forløb" in label.lower() else None)
            out.append(Target(value, unit, "=", None, sentence, at(m.start("num")), measure=label))
            labelled_spans.append(m.span("num"))
        for q in tg.quantities(sentence, nps_context=True if nps and re.search(r"NPS|Score|score", sentence) else None):
            if any(a <= q.start <= b for a, b in labelled_spans):
                continue
            out.append(Target(q.value, q.unit, q.comparator, q.year, sentence, at(q.start)))
    return out


def _rule_targets(rule: list[Line], *, nps: bool) -> list[Target]:
    text = " ".join(x.text for x in rule)
    m = RULE.match(text)
    if not m:
        return []
    level = parse_number(m.group("level") or "100") or 100
    if level >= 100:
        return []
    rest = re.sub(r"^når\s+", "", m.group("rest"))
    found = tg.quantities(rest, nps_context=True if nps else None)
    return [Target(q.value, q.unit, q.comparator, q.year, text, rule[0].no, fulfilment_level=level) for q in found]


def _table_rows(goal: Goal, report: list[Line]) -> list[Line]:
    """Rows of flattened count/share tables as labelled outcomes; returns the report without them."""
    taken: set[int] = set()
    for i, line in enumerate(report):
        text = line.text
        if not re.search(r"\d\s*%$", text):
            continue
        prev = report[i - 1].text if i > 0 else ""
        if text[:1].islower() and prev and not re.search(r"[.:%]$", prev):
            text = f"{prev} {text}"  # a label wrapped over two lines
            wrapped = True
        else:
            wrapped = False
        row = TABLE_ROW.match(text) or TOTAL_ROW.match(text)
        if not row:
            continue
        label = row.groupdict().get("label") or "I alt"
        share = row.group("share")
        if re.fullmatch(r"\d+\.\d{1,2}", share):
            share = share.replace(".", ",")  # "15.9 %" in a share column is a decimal
        goal.outcomes.append(Outcome(label, parse_number(row.group("count")), "antal", text, line.no))
        goal.outcomes.append(Outcome(label, parse_number(share), "procent", text, line.no))
        taken.add(i)
        if wrapped:
            taken.add(i - 1)
    return [Line(x.no, "") if i in taken else x for i, x in enumerate(report)]


def _report_outcomes(goal: Goal, report: list[Line]) -> None:
    pcts: list[tuple[float, int]] = []
    for idx, line in enumerate(report):
        if not line.text or re.match(r"^(?:[-•]\s*)?Delmål", line.text):
            continue
        text = line.text
        if re.search(r"målopfyldelse", text, re.I) and "%" not in text:
            nxt = next((x for x in report[idx + 1: idx + 3] if x.text), None)
            if nxt is not None and re.match(rf"^{tg.NUMBER}\s*%", nxt.text):
                text = f"{text} {nxt.text}"
        for m in GOAL_PCT.finditer(text):
            value = parse_number(m.group("num"))
            if value is not None:
                pcts.append((value, line.no))
    if pcts:
        goal.fulfilment_pct, goal.fulfilment_line = pcts[-1]
        if len({v for v, _ in pcts}) > 1:
            goal.warnings.append((pcts[-1][1], f"Mål {goal.number}: flere målopfyldelser i rapporten ({', '.join(str(v) for v, _ in pcts)}); den sidste er brugt"))
    report = _table_rows(goal, report)
    current_delmaal: str | None = None
    for para in paragraphs(report):
        for orig, line_no in sentence_lines(para):
            sentence = strip_bullet(orig)
            shift = max(0, orig.find(sentence[:12])) if sentence else 0

            def at(pos: int, o: Sentence = orig, s: int = shift) -> int:
                return o.line_of(pos + s)

            dm = re.match(r"^(Delmål\s+\d+(?:\.\d+)?)", sentence)
            if dm:
                current_delmaal = dm.group(1)
            elif re.search(r"samlede\s+målopfyldelse", sentence, re.I):
                current_delmaal = None
            if MAALTAL.match(sentence):
                first = tg.quantities(sentence)
                unit = first[0].unit if first else None
                for q in tg.quantities(sentence, default_unit=unit):
                    goal.targets.append(Target(q.value, q.unit, q.comparator, q.year, sentence, at(q.start), source="rapport"))
                continue
            if RESTATEMENT.match(sentence):
                continue
            labelled = tg.labelled_count(sentence)
            if labelled and "realiseret" in labelled[2]:
                label, _, tail = labelled
                eq = re.search(rf"=\s*({tg.NUMBER})", tail) or re.search(rf"realiseret\s+({tg.NUMBER})", tail)
                if eq:
                    goal.outcomes.append(Outcome(label, parse_number(eq.group(1)), None, sentence, line_no, current_delmaal))
                continue
            cleaned = re.sub(rf"\((?:mål|målet)\s+{tg.NUMBER}\s*%?\)", "", sentence, flags=re.I)
            for q in tg.quantities(cleaned):
                before = cleaned[: q.start]
                after = cleaned[q.end: q.end + 20]
                is_fulfilment = q.unit == "procent" and (
                    FULFIL_CONTEXT.search(before) is not None or re.match(r"^\s*i\s+målopfyldelse", after) is not None
                )
                measure = "målopfyldelse" if is_fulfilment else "resultat"
                goal.outcomes.append(Outcome(measure, q.value, q.unit, sentence, at(q.start), current_delmaal))


def build_goal(
    heading: Heading, block: list[Line], marked: dict[int, dict[str, str]] | None = None,
    continued: frozenset[int] = frozenset(),
) -> Goal:
    parts = _classify(block, continued)
    goal = Goal(heading.number, heading.title, heading.line, max((x.no for x in block), default=heading.line))
    goal.description = join_paragraphs(parts.description)
    goal.goal_text = join_paragraphs(parts.fields["mål"])
    goal.report_text = join_paragraphs(parts.report)
    goal.method = join_paragraphs(parts.fields["metode"])
    goal.rationale = join_paragraphs(parts.fields["begrundelse"])
    goal.reporting = join_paragraphs(parts.fields["afrapportering"])
    goal.fulfilment_rule = "\n".join(" ".join(x.text for x in rule) for rule in parts.rules)
    context = " ".join(x.text for x in block)
    source = parts.fields["mål"] if parts.fields["mål"] else parts.description
    if not parts.fields["mål"] and parts.has_box:
        goal.warnings.append((heading.line, f"Mål {goal.number}: boksen har ingen 'Mål'-række; målene er læst fra indledningen"))
    # without a box (a framework agreement, plain text) the targets come from the goal's own text
    # footnotes ("² Ved kendskabsmålingen …") are baselines, not targets
    source = [x for x in source if not re.match(r"^[¹²³⁴⁵⁶⁷⁸⁹]", x.text)]
    # an NPS goal and a goal counted in vejledninger, read once from the goal's whole text
    # (a case-blind regex has no fast scan for its first letters: the lower-case text is looked in first)
    low = context.lower()
    nps = ("nps" in low or "net promot" in low) and _NPS.search(context) is not None
    count_unit = "vejledninger" if "antal vejledninger" in low and _COUNT_UNIT.search(context) else None
    goal.indicators = _indicators(goal.number, source, nps, count_unit, marked)
    for line_no in parts.second_boxes:
        goal.warnings.append((line_no, f"Mål {goal.number}: en ny målboks uden egen 'Mål N'-overskrift; teksten er lagt under mål {goal.number}"))
    for rule in parts.rules:
        goal.targets.extend(_rule_targets(rule, nps=nps))
    if parts.report_seen:
        _report_outcomes(goal, parts.report)
        if goal.fulfilment_pct is None:
            goal.warnings.append((heading.line, f"Mål {goal.number}: rapporten angiver ingen målopfyldelse i %"))
    if not goal.all_targets() and re.search(r"\b(mindst|procent|pct\.)", " ".join(x.text for x in source), re.I):
        goal.warnings.append((heading.line, f"Mål {goal.number}: målteksten nævner et mål, men intet tal kunne læses"))
    return goal
