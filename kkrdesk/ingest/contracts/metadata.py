"""Contract-level facts: year, title, parties and signatories (with their blank or placeholder dates)."""

from __future__ import annotations

import datetime as dt
import re

from kkrdesk.data.danish import find_date
from kkrdesk.data.lines import Line

# (pattern, the words it opens with, lower case: a case-blind regex has no fast scan, `in` has)
_YEAR_PATTERNS = [
    (re.compile(r"\bresultatkontrakt(?:\s+for\s+Erhvervshus\s+\w+)?\s+((?:19|20)\d{2})\b", re.I), "resultatkontrakt"),
    (re.compile(r"Oversigt over mål for .*?\bi\s+((?:19|20)\d{2})\b", re.I), "oversigt over mål for "),
    (re.compile(r"aktiviteter for Erhvervshus\s+\w+\s+i\s+((?:19|20)\d{2})\b", re.I), "aktiviteter for erhvervshus"),
]
TITLE_LINE = re.compile(
    r"^(?:Resultatkontrakt(?:\s+for\s+Erhvervshus\s+\w+)?\s+(?:19|20)\d{2}|Resultatkontrakt\s+mellem\s.{5,80}|"
    r"Afrapportering\s.{0,40}resultatkontrakt\s.{0,40}|Aftale om rammerne for erhvervshuse(?:ne)?\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2})\s*$"
)
FRAMEWORK = re.compile(r"Aftale om rammerne for [Ee]rhvervshuse(?:ne)?\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}")


def contract_year(text: str) -> int | None:
    low = text.lower()
    for pattern, opening in _YEAR_PATTERNS:
        m = pattern.search(text) if opening in low else None
        if m:
            return int(m.group(1))
    return None


def find_parties(lines: list[Line]) -> list[str]:
    head = lines[:80]
    for i, line in enumerate(head):
        if line.text.lower() == "mellem":
            names = [x.text for x in head[i + 1: i + 12] if x.text]
            if "og" in names:
                k = names.index("og")
                if k >= 1 and k + 1 < len(names):
                    return [names[0], names[k + 1]]
    text = " ".join(x.text for x in head)
    m = re.search(r"\bmellem\s+(.{3,120}?)\s+og\s+(Erhvervshus\s+[A-ZÆØÅ]\w+|KKR\s+[A-ZÆØÅ]\w+)", text, re.I)
    if m:
        first = m.group(1)
        kkr = re.search(r"KKR\s+[A-ZÆØÅ]\w+", first)
        eh = re.search(r"Erhvervshus\s+[A-ZÆØÅ]\w+", first)
        parties = [(kkr or eh).group(0) if (kkr or eh) else first.strip(), m.group(2)]
        return sorted(parties, key=lambda p: not p.startswith("KKR"))
    return []


def _columns(text: str, raw: dict[int, str] | None, no: int) -> list[str]:
    """Cells of a flattened two-column line; the raw line keeps the wide gaps the normaliser collapses."""
    source = raw.get(no, text) if raw else text
    if raw and re.sub(r"\s+", "", source) != re.sub(r"\s+", "", text):
        source = text
    return [p.strip() for p in re.split(r"\s{2,}|\t", source.strip()) if p.strip()]


def _split_names(words: list[str], n: int) -> list[str]:
    """'Arne Boelt Mogens Christen Gade' for two people: the first gets two words (a guess, warned about)."""
    if n == 2 and len(words) >= 4:
        return [" ".join(words[:2]), " ".join(words[2:])]
    return [" ".join(words)]


_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\s*[/.]\s*(\d{1,2})\s*(?:[-–/.]\s*)?((?:19|20)\d{2})\b")


def _signature_date(text: str) -> str | None:
    """'d. 27. marts 2026', 'd. 18/03 - 2026', 'd. 27/03 – 2026' → ISO date, or None (a blank date line)."""
    d = find_date(text)
    if d:
        return d.isoformat()
    m = _NUMERIC_DATE.search(text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return None
    return None


def find_signatories(lines: list[Line], raw: dict[int, str] | None = None) -> tuple[list[dict], list[tuple[int | None, str]]]:
    warnings: list[tuple[int | None, str]] = []
    out: list[dict] = []
    roles = [i for i, x in enumerate(lines) if re.match(r"^(?:Formand|Næstformand|Direktør|Adm\. direktør)\b", x.text)]
    date_text: list[str] = []
    for x in lines:
        if re.match(r"^d\.\s", x.text):
            date_text.extend(p.strip() for p in re.split(r"\s{2,}|\t|(?<=\d)\s+(?=d\.)|(?<=/)\s+(?=d\.)", x.text) if p.strip())
    for i in roles:
        prev = next((j for j in range(i - 1, max(-1, i - 4), -1) if lines[j].text and not lines[j].text.startswith("_")), None)
        if prev is None:
            continue
        names = _columns(lines[prev].text, raw, lines[prev].no)
        role_parts = [p.strip() for c in _columns(lines[i].text, raw, lines[i].no)
                      for p in re.split(r"(?<=\w)\s+(?=(?:Formand|Næstformand) for)", c) if p.strip()]
        if len(names) < len(role_parts) and len(names) == 1:
            names = _split_names(names[0].split(), len(role_parts))
            if len(names) == len(role_parts) and len(role_parts) > 1:
                warnings.append((lines[prev].no, f"Underskrivernes navne står på én linje ('{lines[prev].text}'); de er delt efter ordantal"))
        for k, role in enumerate(role_parts):
            if k >= len(names) or re.match(r"^(?:d\.|For\s)", names[k]):
                continue
            out.append({"name": names[k], "role": role, "date": None, "line": lines[i].no})
    for k, sig in enumerate(out):
        raw_date = date_text[k] if k < len(date_text) else None
        sig["date"] = _signature_date(raw_date) if raw_date else None
        sig["date_text"] = raw_date
    return out, warnings
