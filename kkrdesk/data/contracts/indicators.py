"""The indicators the genre measures, recognised in a target's or a result's own words (#17).

Every erhvervshus contract measures the same handful of things, set nationally in
the rammeaftaler (kendskab, NPS, henvisninger, mervækst in omsætning …) plus a few
regional counts. A key names the indicator across years, so 2022's NPS and 2024's
NPS share a chart while "andel nye virksomheder" never lands under kendskab.
The words are matched in the clause around the number first, then in its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorKind:
    key: str
    label: str
    pattern: re.Pattern[str]
    strength: int = 2          # a weaker wording loses to a stronger one for the same indicator


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text, re.I)


# Most specific first: "kendskab til deres tilbud" before plain "kendskab", "omsætning per årsværk"
# (produktivitet) before "omsætning".
KINDS: list[IndicatorKind] = [
    IndicatorKind("kendskab_tilbud", "Kendskab til husets tilbud", _p(r"kendskab til (?:deres|erhvervshusenes|erhvervshusets|husets) (?:tilbud|værditilbud)")),
    IndicatorKind("kendskab_groen", "Kendskab til grønne ydelser", _p(r"kendskab til \w+ ydelser inden for (?:bæredygtighed|grøn)|grønne ydelser|har ydelser på dette område")),
    IndicatorKind("kendskabsgrad", "Kendskabsgrad", _p(r"kendskab")),
    IndicatorKind("nye_virksomheder", "Andel nye vejledte virksomheder", _p(r"\bnye\s+(?:vejledte\s+)?virksomheder|skal være nye|andel(?:en)? (?:af )?nye\b")),
    IndicatorKind("nps", "Net Promoter Score (NPS)", _p(r"\bNPS\b|Net Promot[eo]r|promotor score")),
    IndicatorKind("meget_tilfredse", "Andel meget tilfredse", _p(r"tilfreds")),
    IndicatorKind("henvisning", "Andel der har brugt en henvisning", _p(r"henvis")),
    IndicatorKind("produktivitet", "Mervækst i produktivitet", _p(r"produktivitet|per årsværk|pr\. årsværk")),
    IndicatorKind("omsaetning", "Mervækst i omsætning", _p(r"omsætning")),
    IndicatorKind("beskaeftigelse", "Mervækst i beskæftigelse", _p(r"beskæftigelse")),
    IndicatorKind("ivaerksaettere", "Vejledte virksomheder under 3 år", _p(r"under 3 år")),
    IndicatorKind("vaekst_drift", "Vækst- og driftsforløb", _p(r"vækst-\s*(?:&|og)\s*driftsforløb"), 3),
    IndicatorKind("korte_ew", "Korte forløb og Early Warning", _p(r"korte\s*forløb og early warning"), 3),
    IndicatorKind("korte_ew", "Korte forløb og Early Warning", _p(r"korte forløb|early warning")),
    IndicatorKind("unikke", "Unikke vejledte virksomheder", _p(r"unikke virksomheder|1:1 vejledte virksomheder")),
    IndicatorKind("unikke", "Unikke vejledte virksomheder", _p(r"fordelt på [\d.]+ virksomheder"), 1),
    IndicatorKind("regional_andel", "Regional andel af nationale midler", _p(r"regionale andel|andel af (?:de )?nationale")),
    IndicatorKind("effekt", "Andel med effekt »i høj grad«", _p(r"positiv effekt|i høj grad|påvirket|oplevede? effekt|gjort dem bedre")),
]
LABELS: dict[str, str] = {}
for _kind in KINDS:
    LABELS.setdefault(_kind.key, _kind.label)
GOAL_ROW = "Målet samlet"

_CLAUSE_SPLIT = re.compile(
    r",\s|;\s|\s+og\s+(?=(?:(?:mindst|en|et|har|når|de|det)\b|\d))|\s(?=(?:Blandt|For|Vækst|Drift|Samlet)\s)"
    r"|\s(?=i forhold til|sammenlignet med)"
)
_SEG_BOTH = _p(r"drifts-\s*og\s*vækst")
_SEG_DRIFT = _p(r"driftssegment\w*|\bdrift\s+\d")
_SEG_VAEKST = _p(r"vækstsegment\w*|\bvækst\s+\d")
_SEG_SAMLET = _p(r"\bsamlet\b|\bsamlede\b")


def clause_at(sentence: str, pos: int) -> str:
    """The clause of sentence that holds offset pos (split at commas, ';', '… og mindst …', a new 'For …')."""
    start = 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        if m.start() >= pos:
            return sentence[start:m.start()]
        start = m.end()
    return sentence[start:]


def kind_of(text: str) -> IndicatorKind | None:
    for kind in KINDS:
        if kind.pattern.search(text):
            return kind
    return None


def kind_at(sentence: str, pos: int) -> IndicatorKind | None:
    """The indicator a number at pos speaks of: its clause's words first, then the nearest words
    before it in the sentence ("… i beskæftigelsen, som er 8,69 procentpoint"), then after it."""
    found = kind_of(clause_at(sentence, pos))
    if found is not None:
        return found
    best: tuple[tuple[int, int], IndicatorKind] | None = None
    for index, kind in enumerate(KINDS):
        for m in kind.pattern.finditer(sentence):
            rank = (pos - m.end(), index) if m.end() <= pos else (10_000 + m.start() - pos, index)
            if best is None or rank < best[0]:
                best = (rank, kind)
    return best[1] if best else None


def segment_at(sentence: str, pos: int, *, result: bool) -> str | None:
    """drift | vækst | samlet | None. A target "for drifts- og vækstsegment" holds for each (None);
    a result over both is "samlet"."""
    clause = clause_at(sentence, pos)
    for text in (clause, sentence):
        both = _SEG_BOTH.search(text)
        drift, vaekst = _SEG_DRIFT.search(text), _SEG_VAEKST.search(text)
        if both or (drift and vaekst):
            return "samlet" if result and (_SEG_SAMLET.search(text) or both) else None
        if drift:
            return "drift"
        if vaekst:
            return "vækst"
        if result and text is clause and _SEG_SAMLET.search(clause):
            return "samlet"
    return None


def number_offset(sentence: str, value: float | int, start: int = 0) -> int:
    """Where value stands in sentence as printed ("1.200", "5,73"); 0 when not found."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    plain = str(value)
    if isinstance(value, int) and value >= 1000:
        candidates = [f"{value:,}".replace(",", "."), plain]
    else:
        candidates = [plain.replace(".", ","), plain]
    for c in candidates:
        m = re.search(rf"(?<![\d,.]){re.escape(c)}(?![\d]|,\d)", sentence[start:])
        if m:
            return start + m.start()
    return 0
