"""The genre's fixed phrases as regular expressions, shared by the contract readers.

Goal headings ("Mål N – Titel" and its variants), box labels, fulfilment rules,
scope labels, report headings and the lines that end a contract's goal section.
"""

from __future__ import annotations

import re

from kkrdesk.ingest.contracts import targets as tg

HEADING_DOUBLE = re.compile(r"^Mål\s+(\d{1,2})\s+Mål\s+\1\s*[-–—:.]?\s*(\S.*)$")
HEADING_SEP = re.compile(r"^Mål\s+(\d{1,2})\s*[-–—:]\s*(\S.*)$")
HEADING_BARE = re.compile(r"^Mål\s+(\d{1,2})\.?\s+([A-ZÆØÅ].*)$")
TOC_TAIL = re.compile(r"(?:\.{2,}|\t)\s*\d{1,3}\s*$")
REPORT_HEADING = re.compile(r"^Afrapportering og målopfyldelse\s*[-–—:]?\s*(?:Mål\s+(\d{1,2}))?", re.I)
LABEL = re.compile(
    r"^(?P<label>Mål|Metode|Begrundelse|Afrapportering|Afreportering)(?=[\s:]|$)\s*:?\s*(?P<rest>.*)$"
)
# "Målet er 100 pct. opfyldt, når …", "Målet anses for 50 % opfyldt, når …", "Målet er opfyldt, når …" (= 100)
RULE = re.compile(
    r"^Målet\s+(?:er|anses\s+for|betragtes\s+som)\s+(?:(?P<level>\d{1,3}(?:,\d+)?)\s*(?:%|pct\.?|procent)\s+)?"
    r"opfyldt\b(?(level),?|,?(?=\s*når))\s*(?P<rest>.*)$",
    re.I,
)
SCOPE_WORDS = (
    r"Nationalt fastsat(?:te)? mål|Nationale mål|Fælles indsatsmål|Fælles mål|Regionale målsætninger|"
    r"Regionale mål|Regionalt aftalte mål|Regionalt fastsat(?:te)? mål|Lokale mål"
)
# "… for erhvervshusene", "… for Erhvervshus Nordjylland i 2026": a section heading may go on a little
SCOPE_TAIL = r"(?:\s+(?:for|i|aftalt|mellem)\b[^.:]{0,60})?"
SCOPE_LABEL = re.compile(rf"^(?P<label>{SCOPE_WORDS})\b:?(?P<rest>.*)$", re.I)
TERMINATOR = re.compile(
    rf"^(?:\d{{1,2}}\.?\s+(?:{SCOPE_WORDS}){SCOPE_TAIL}\s*:?\s*$|"   # "5. Regionale mål": the next section of goals
    r"Bilag\s+\d+[a-z]?\s*[.:]\s|Bilag til resultatkontrakt|"
    r"\d{1,2}\.\s+(?:Økonomi|Resultatop\w+|Ikrafttr\w+|Underskrift\w*)\b|"
    r"\d{1,2}\.\d{1,2}\.?\s+[A-ZÆØÅ])"
)
BILAG = re.compile(r"^(?:Bilag\s+\d+[a-z]?\s*[.:]\s|Bilag til resultatkontrakt)")
DOC_TITLE = re.compile(r"^(?:Resultatkontrakt\b|Aftale om rammerne for erhvervshuse|Afrapportering\b.*resultatkontrakt)", re.I)
LONE_NUMBER = re.compile(r"^\d{1,3}$")
DELMAAL = re.compile(r"^(?:•\s*|-\s*)?(?P<label>Delmål\s+\d{1,2}(?:\.\d{1,2})?)\s*(?P<sep>[:.–—-])?\s*(?P<rest>.*)$")
GOAL_PCT = re.compile(rf"\bmålopfyldelse(?:n)?\b(?!\s+i\b)[^%]*?(?P<num>{tg.NUMBER})\s*%", re.I)
OVERALL = re.compile(rf"samlede\s+målopfyldelse[^%]*?(?P<num>{tg.NUMBER})\s*%", re.I)
FULFIL_CONTEXT = re.compile(r"(?<!i\s)\b(?:opfyldt|opnået|målopfyldelse(?:n)?)\b(?:[^%\d=]|mål\s+\d+){0,50}$", re.I)
RESTATEMENT = re.compile(
    r"^(?:Delmål\s+\d+[.:]?\s*)?(?:Målet\s+(?:for\s+\d{4}\s+)?var|Målsætning|Måltal|Der har ikke været|Målet er,)", re.I
)
# a flattened table row "Bæredygtighed 363 38,2 %" and its unlabelled total "950 100,0 %"
TABLE_ROW = re.compile(r"^(?P<label>[A-ZÆØÅ][^\d%=]{2,80}?)\s+(?P<count>\d{1,3}(?:\.\d{3})+|\d+)\s+(?P<share>\d+(?:[,.]\d+)?)\s*%$")
TOTAL_ROW = re.compile(r"^(?P<count>\d{1,3}(?:\.\d{3})+|\d+)\s+(?P<share>100(?:[,.]0+)?)\s*%$")
MAALTAL = re.compile(r"^Måltal(?:let)?\b", re.I)


def scope_key(label: str) -> str:
    low = label.lower()
    if low.startswith("national"):
        return "national"
    if low.startswith("fælles"):
        return "fælles"
    if low.startswith("lokal"):
        return "lokal"
    return "regional"


def is_scope_label(text: str, *, short_only: bool) -> str | None:
    m = SCOPE_LABEL.match(text)
    if not m:
        return None
    rest = m.group("rest").strip()
    if short_only and rest:
        return None
    return scope_key(m.group("label"))
# a Type column's cell: "Nationalt", "Regionalt aftalt mål", "National"
TYPE_CELL = re.compile(
    r"^(?P<word>nationalt?|nationale|national|regionalt?|regionale|fælles|lokalt?|lokale)\b(?:\s+(?:fastsat\w*|aftalt\w*|mål))*\s*$",
    re.I,
)
