"""Each reported result placed on the indicator and target it answers, with one status word (#17).

A report prints its results as prose beside the reprinted targets; the extractor
keeps them as outcomes of the goal. Here every outcome is read again in its own
sentence: which indicator it speaks of (`indicators.kind_at`), which segment
(drift/vækst/samlet), which period, and whether the report states its
fulfilment ("Drift 79% = 98,75% i målopfyldelse", "Delmålet for omsætning er
således opfyldt 57,3%"). It is paired only with a target of the same indicator
and the same unit — a procentpoint never meets a procent, an NPS neither — and
for the same year; a result that fits no target stays on the goal with a warning.
"""

from __future__ import annotations

import re

from kkrdesk.data.contracts.indicators import GOAL_ROW, LABELS, clause_at, kind_at, number_offset, segment_at
from kkrdesk.data.contracts.model import Goal, Outcome, Result, Target
from kkrdesk.data.danish import format_number

MET, PARTLY, NOT_MET, NOT_YET = "opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke målt endnu"
STATUSES = (MET, PARTLY, NOT_MET, NOT_YET)
_SHARE_UNITS = {"procent", "NPS"}
# "over målet på 50%", "(mål 70)", "Målet på 80% skal …": the target restated, not a result
_RESTATED = re.compile(r"(?:målet|mål|måltal(?:let)?)\s+(?:på|er|var)?\s*(?:mindst\s+)?$", re.I)
_GOAL_LEVEL = re.compile(r"samlede\s+målopfyldelse|^(?:samlet vurdering på målet\s+)?målopfyldelsen\b|samlet\s+\d+\s*%$", re.I)
_PART = re.compile(r"\bdelmål|del af mål|dette mål|denne del|delmålet", re.I)
_SAYS_MET = re.compile(r"opfylder\s+(?:derfor\s+)?målet|(?:målet|denne del af målet) er (?:også |derfor |således )*opfyldt", re.I)
_SAYS_NOT_MET = re.compile(r"ikke opfyldt|opfylder ikke", re.I)
_LOWER = re.compile(r"^\s*(?:procentpoint|%|pct\.?)?\s*lavere", re.I)
_COHORT = re.compile(r"(?:tilmeldt|vejledt)[^.]{0,40}?\bi\s+((?:19|20)\d{2})")
_WHEN = re.compile(r"\b((?:ultimo|primo|medio|efteråret|foråret|sommeren)\s+(?:19|20)\d{2})", re.I)
_NATIONAL_TOTAL = re.compile(r"samlet set|alle seks erhvervshuse", re.I)
_EFFECT_KEYS = ("omsaetning", "beskaeftigelse", "produktivitet")
_NO_NUMBER_PRODUCTIVITY = re.compile(r"mervækst i produktivitet|øget produktivitet", re.I)


_UNIT_FAMILY = {"vejledninger": "forløb"}   # "antal vejledninger: Vækst- & Driftsforløb: 350" counts forløb


def same_unit(a: str | None, b: str | None) -> bool:
    return _UNIT_FAMILY.get(a or "", a) == _UNIT_FAMILY.get(b or "", b)


def _past(year: int | None) -> bool:
    """A contract year before this one: its results are due, so a missing report is not "ikke målt endnu"."""
    import datetime as dt

    return year is not None and year < dt.date.today().year


def status_from_pct(pct: float | int | None) -> str | None:
    if pct is None:
        return None
    if pct >= 100:
        return MET
    return PARTLY if pct > 0 else NOT_MET


def compare(value: float | int, target: Target) -> str:
    """The comparator's verdict; a "Målet er 50 pct. opfyldt"-level is handled by the caller."""
    t = float(target.value)
    comparator = target.comparator or ">="
    if comparator == "=":       # a måltal ("Vækst- & Driftsforløb: 350", "47% i 2022") is a floor
        comparator = ">="
    ok = {">=": value >= t, ">": value > t, "<=": value <= t, "<": value < t}.get(comparator, value >= t)
    return MET if ok else NOT_MET


def _target_key(t: Target, fallback: str | None) -> tuple[str | None, str | None]:
    pos = number_offset(t.text, t.value)
    if t.measure:
        kind = kind_at(t.measure, 0)
        if kind:
            return kind.key, None
    kind = kind_at(t.text, pos)
    return (kind.key if kind else fallback), segment_at(t.text, pos, result=False)


class _Keyed:
    def __init__(self, target: Target, key: str | None, segment: str | None, label: str | None) -> None:
        self.target, self.key, self.segment, self.label = target, key, segment, label
        self.national_total = bool(_NATIONAL_TOTAL.search(target.text))


def _keyed_targets(goal: Goal) -> list[_Keyed]:
    found: list[tuple[Target, str | None]] = [(t, i.label) for i in goal.indicators for t in i.targets]
    found += [(t, None) for t in goal.targets]
    keyed: list[_Keyed] = []
    for t, label in found:
        key, segment = _target_key(t, None)
        if keyed and re.search(r"\bdette\s+(?:kendskab|mål|tal|andel)", clause_at(t.text, number_offset(t.text, t.value))):
            key = keyed[-1].key          # "I 2027 er dette kendskab øget til mindst 65 procent"
        keyed.append(_Keyed(t, key, segment, label))
    # a target in a clause without the indicator's words ("… steget til 47% i 2022") takes the key
    # the goal's other targets of that unit share
    for k in keyed:
        if k.key is None:
            same = {x.key for x in keyed if x.key and x.target.unit == k.target.unit}
            every = {x.key for x in keyed if x.key}
            if len(same) == 1:
                k.key = same.pop()
            elif len(every) == 1:     # "et delmål for 2026 på 100 vejledninger" in the iværksætter goal
                k.key = every.pop()
    seen: set[tuple] = set()
    out: list[_Keyed] = []
    for k in keyed:
        ident = (k.key, k.segment, k.target.value, k.target.unit, k.target.year, k.target.fulfilment_level)
        if ident in seen:
            continue
        seen.add(ident)
        out.append(k)
    return out


def _period(goal: Goal, outcome: Outcome, year: int | None, key: str | None) -> tuple[int | None, str | None]:
    """(year measured, period as printed): an effect result is the cohort guided two years before."""
    if key in _EFFECT_KEYS:
        cohort = _COHORT.search(goal.method or "") or _COHORT.search(goal.goal_text or "")
        if cohort:
            return year, f"{year} (virksomheder vejledt i {cohort.group(1)})" if year else cohort.group(1)
        return year, str(year) if year else None
    when = _WHEN.search(outcome.text)
    if when is None and goal.report_text:
        at = goal.report_text.find(outcome.text[:40])
        if at > 0:
            before = list(_WHEN.finditer(goal.report_text[max(0, at - 300):at]))
            when = before[-1] if before else None
    if when is not None:
        y = re.search(r"(?:19|20)\d{2}", when.group(1))
        return int(y.group(0)), when.group(1)
    return year, str(year) if year else None


def _choose_target(cands: list[_Keyed], year: int | None) -> tuple[_Keyed | None, str | None]:
    """The target for the result's year, else one without a year; a later or earlier one is named, not used."""
    same = [c for c in cands if c.target.year == year]
    if same:
        return same[0], None
    free = [c for c in cands if c.target.year is None and not c.national_total]
    if free:
        return free[0], None
    later = sorted((c for c in cands if c.target.year and year and c.target.year > year and not c.national_total),
                   key=lambda c: c.target.year)
    if later:
        t = later[0].target
        return None, f"Intet måltal for {year}; næste måltal er {format_number(t.value)} {t.unit or ''} i {t.year}".replace("  ", " ")
    return None, None


def pair_results(goal: Goal, *, year: int | None, is_report: bool) -> list[Result]:
    """The goal's results, one per reported result plus one per target not yet answered and one for the goal."""
    keyed = _keyed_targets(goal)
    share_keys = {u: {k.key for k in keyed if k.key and k.target.unit == u} for u in _SHARE_UNITS}
    results: list[Result] = []
    strength: dict[int, int] = {}
    pending_fulfil: list[tuple[Outcome, str]] = []
    for o in goal.outcomes:
        if o.value is None:
            continue
        if o.unit in ("antal",) or (o.unit == "procent" and o.measure not in ("resultat", "målopfyldelse")):
            continue   # a row of a breakdown table (forløb per theme), not a result against a target
        pos = number_offset(o.text, o.value)
        before = o.text[:pos]
        if o.measure == "målopfyldelse":
            pending_fulfil.append((o, before))
            _attach_fulfilment(results, o, before)
            continue
        if _RESTATED.search(before[-30:]) or re.search(r"\(\s*mål\s*$", before):
            continue
        measure_text = o.measure if o.measure not in ("resultat",) else ""
        kind = kind_at(measure_text, 0) if measure_text else None
        kind = kind or kind_at(o.text, pos)
        unit = o.unit
        value = o.value
        warning = None
        if o.measure not in ("resultat",) and unit is None:
            unit = next((k.target.unit for k in keyed if kind and k.key == kind.key), None)
        key = kind.key if kind else None
        if key is None and unit in _SHARE_UNITS and len(share_keys.get(unit, ())) == 1:
            key = next(iter(share_keys[unit]))     # "Det har 51% gjort." in a goal with one share target
        if key == "nps" and unit == "procent":
            unit = "NPS"
            warning = f"NPS er trykt som {format_number(value)} % i rapporten; læst som en NPS-værdi"
        if _LOWER.match(o.text[pos + len(format_number(value)):]) and isinstance(value, int | float):
            value = -abs(value)                    # "7,02 procentpoint lavere end kontrolgruppen"
        segment = segment_at(o.text, pos, result=True)
        measured_year, period = _period(goal, o, year, key)
        cands = [k for k in keyed if key and k.key == key and same_unit(k.target.unit, unit)
                 and k.target.fulfilment_level >= 100 and (k.segment is None or k.segment == segment
                                                             or segment == "samlet")]
        chosen, note = _choose_target(cands, measured_year)
        # one result per indicator and segment: a weaker wording of the same count is context
        dup = next((r for r in results if r.key and r.key == key and r.segment == segment and r.target is not None), None)
        this_strength = kind.strength if kind else 0
        if dup is not None:
            if dup.value == value:
                continue
            if strength.get(id(dup), 0) >= this_strength:
                results.append(Result(LABELS.get(key or "", "Resultat"), key, value, unit, segment, period, None, None,
                                      None, None, o.text, o.line, None,
                                      f"Endnu et tal for {LABELS.get(key or '', 'indikatoren').lower()}; det første er parret med målet"))
                continue
            dup.target, dup.warning = None, f"Et tydeligere tal for {LABELS.get(key or '', 'indikatoren').lower()} står længere nede"
        if key is None and any(x.key is None and x.value == value and x.unit == unit for x in results):
            continue      # the same unplaced number again ("1,17% engagement rate" in a list and in the text)
        if key is None or (chosen is None and note is None):
            why = ("hører ikke til et af målets måltal" if key is None
                   else f"intet måltal for {LABELS.get(key, key).lower()} i enheden {unit or 'uden enhed'}")
            warning = f"Resultatet {format_number(value)} {unit or ''} {why}".replace("  ", " ")
        r = Result(LABELS.get(key or "", "Resultat"), key, value, unit, segment, period, None, None, None,
                   chosen.target if chosen else None, o.text, o.line, chosen.label if chosen else None,
                   warning if warning else note, outcome=o)
        if _SAYS_MET.search(o.text) and not _SAYS_NOT_MET.search(o.text):
            r.status, r.status_source = MET, "rapport"
        results.append(r)
        strength[id(r)] = this_strength
    for o, before in pending_fulfil:     # a fulfilment printed before its result ("Den første del … 100%")
        if not any(r.fulfilment_pct is not None for r in results):
            _attach_fulfilment(results, o, before, late=True)
    placed = [r for r in results if r.target is not None or (r.key is not None and not _unplaced(r))]
    if len(placed) == 1 and placed[0].fulfilment_pct is None and goal.fulfilment_pct is not None:
        placed[0].fulfilment_pct = goal.fulfilment_pct   # the goal's one result carries the goal's assessment
    for r in results:
        _settle_status(r, year=year)
    results.extend(_unanswered(goal, keyed, results, year=year, is_report=is_report))
    results.extend(_productivity_without_number(goal, results))
    results.append(_goal_row(goal, year=year, is_report=is_report))
    return results


def _unplaced(r: Result) -> bool:
    return bool(r.warning) and r.warning.startswith(("Resultatet ", "Endnu ", "Et tydeligere"))


def _attach_fulfilment(results: list[Result], o: Outcome, before: str, *, late: bool = False) -> None:
    pct = o.value
    clause_kind = kind_at(before[-60:], 0) if before else None
    same_sentence = [r for r in results if r.text == o.text and r.line is not None and r.fulfilment_pct is None]
    if _GOAL_LEVEL.search(before.strip()) or re.search(r"samlet\s+at være", before, re.I):
        return
    if same_sentence and not clause_kind:
        on_line = [r for r in same_sentence if r.line == o.line]
        target = (on_line or same_sentence)[-1]
        target.fulfilment_pct = pct
        return
    if clause_kind:
        match = [r for r in results if r.key == clause_kind.key and r.fulfilment_pct is None]
        if match:
            match[-1].fulfilment_pct = pct
        return
    seg = re.search(r"\b(Samlet|Drift|Vækst)\b\s*=?\s*$", before[-30:])
    if seg:
        want = {"samlet": "samlet", "drift": "drift", "vækst": "vækst"}[seg.group(1).lower()]
        match = [r for r in results if r.segment == want and r.fulfilment_pct is None]
        if match:
            match[-1].fulfilment_pct = pct
        return
    if _PART.search(before) or late:
        open_ = [r for r in results if r.fulfilment_pct is None and r.key is not None]
        if open_:
            open_[-1].fulfilment_pct = pct


def _settle_status(r: Result, *, year: int | None) -> None:
    if r.fulfilment_pct is not None:
        r.status, r.status_source = status_from_pct(r.fulfilment_pct), "rapport"
        return
    if r.status is not None:
        return
    if r.target is not None and r.value is not None:
        r.status, r.status_source = compare(r.value, r.target), "beregnet"


def _unanswered(goal: Goal, keyed: list[_Keyed], results: list[Result], *, year: int | None,
                is_report: bool) -> list[Result]:
    answered = {id(r.target) for r in results if r.target is not None}
    out: list[Result] = []
    for k in keyed:
        t = k.target
        if id(t) in answered or t.fulfilment_level < 100:
            continue
        future = t.year is not None and year is not None and t.year > year
        if future or (not is_report and not _past(year)):
            status, note = NOT_YET, None
        elif not is_report:
            status, note = None, f"Ingen afrapportering for {year} i lageret"
        else:
            status, note = None, "Rapporten angiver intet resultat for dette måltal"
        if k.national_total:
            note = "Måltallet gælder alle seks erhvervshuse samlet"
        elif status == NOT_YET and k.key in _EFFECT_KEYS and year:
            note = f"Effekten måles to år efter endt vejledning: virksomheder vejledt i {year} måles i {year + 2}"
        label = LABELS.get(k.key or "", "Måltal")
        out.append(Result(label, k.key, None, t.unit, k.segment, str(t.year) if t.year else None, None, status,
                          "beregnet" if status else None, t, t.text, t.line, k.label, note))
    return out


def _productivity_without_number(goal: Goal, results: list[Result]) -> list[Result]:
    """Delmål "mervækst i produktivitet" has no number: a result is judged against more than 0."""
    out: list[Result] = []
    for r in results:
        if r.key == "produktivitet" and r.target is None and r.value is not None and r.unit == "procentpoint":
            m = _NO_NUMBER_PRODUCTIVITY.search(goal.goal_text or "") or _NO_NUMBER_PRODUCTIVITY.search(goal.description or "")
            if m:
                text = (goal.goal_text or goal.description or "")
                r.target = Target(0, "procentpoint", ">", None, _sentence_around(text, m.start()), goal.line_start)
                r.warning = None
                if r.fulfilment_pct is None:
                    r.status, r.status_source = compare(r.value, r.target), "beregnet"
    return out


def _sentence_around(text: str, pos: int) -> str:
    """The sentence (or bullet) of text that holds pos."""
    start = 0
    for piece in re.split(r"(?<=[.!?])\s+|\s*[•·]\s*|\n+", text):
        at = text.find(piece, start)
        if at <= pos < at + len(piece) + 1:
            return " ".join(piece.split())
        start = max(start, at)
    return " ".join(text.split())


def _goal_row(goal: Goal, *, year: int | None, is_report: bool) -> Result:
    pct = goal.fulfilment_pct
    if pct is not None:
        status, source = status_from_pct(pct), "rapport"
    elif not is_report and not _past(year):
        status, source = NOT_YET, None
    else:
        status, source = None, None
    return Result(GOAL_ROW, None, None, None, None, str(year) if year else None, pct, status, source, None,
                  "", goal.fulfilment_line or goal.line_start)
