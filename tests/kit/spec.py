"""What a generated contract or report says, independent of its layout.

The content is the corpus document's own (read once from its text extraction through the
ordinary importer pipeline), so a generated Word or PDF file must give the same facts as the
text version: that is the promise of #13. The layouts only change how it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "resources" / "corpus"
SHARED = Path("/work/shared/corpus")

SCOPE_HEADINGS = {
    "national": "Nationalt fastsatte mål",
    "fælles": "Fælles mål",
    "regional": "Regionale mål",
    "lokal": "Lokale mål",
}
SCOPE_TYPES = {"national": "National", "fælles": "Fælles", "regional": "Regional", "lokal": "Lokal"}


@dataclass
class GoalSpec:
    number: str
    title: str
    scope: str | None
    description: str
    goal_text: str
    method: str
    reporting: str
    rule: str
    report_text: str

    def goal_paragraphs(self) -> list[tuple[str | None, str]]:
        """The Mål cell as paragraphs: (lead, text), lead a "Delmål N.M" label, "•" for a list item, or None."""
        out: list[tuple[str | None, str]] = []
        for block in self.goal_text.split("\n\n"):
            for part in re.split(r"(?=\bDelmål \d{1,2}\.\d{1,2}\b)", " ".join(block.split())):
                part = part.strip()
                if not part:
                    continue
                m = re.match(r"(Delmål \d{1,2}\.\d{1,2})\s*(.*)$", part)
                if m:
                    out.append((m.group(1), m.group(2)))
                else:
                    out.extend(pieces(part))
        return out


_INLINE_ITEM = re.compile(r"(?:^|\s)(?:•|o|-)\s+(?=[A-ZÆØÅ])")


def pieces(text: str) -> list[tuple[str | None, str]]:
    """A paragraph whose list items were run together ("… o Vækstforløb o Driftsforløb"): text, then items."""
    parts = _INLINE_ITEM.split(" ".join(text.split()))
    out: list[tuple[str | None, str]] = []
    if parts[0].strip():
        out.append((None, parts[0].strip()))
    out += [("•", p.strip()) for p in parts[1:] if p.strip()]
    return out


@dataclass
class DocSpec:
    key: str
    title: str
    year: int
    is_report: bool
    intro: list[str]
    goals: list[GoalSpec]
    funding: list[tuple[str, int | float]] = field(default_factory=list)   # municipality rows, print order
    funding_total: int | float | None = None

    def scopes(self) -> list[str]:
        return list(dict.fromkeys(g.scope for g in self.goals if g.scope))


def _source(name: str) -> Path:
    for folder in (CORPUS, SHARED):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


@cache
def spec(name: str) -> DocSpec:
    """The first contract or report of a corpus text, as a layout-free spec."""
    from kkrdesk.ingest.contracts import extract_contracts
    from kkrdesk.ingest.normalise import normalise

    text = _source(name).read_text(encoding="utf-8")
    contract = extract_contracts(normalise(text))[0]
    goals = [
        GoalSpec(g.number, g.title, g.scope, " ".join(g.description.split()), g.goal_text, " ".join(g.method.split()),
                 " ".join(g.reporting.replace("--", " ").split()), " ".join(g.fulfilment_rule.split()),
                 g.report_text)
        for g in contract.goals
    ]
    rows = [(r.label, r.value) for r in contract.funding if not r.is_total]
    total = next((r.value for r in contract.funding if r.is_total), None)
    kind = "Afrapportering af resultatkontrakt" if contract.is_report else "Resultatkontrakt for Erhvervshus Nordjylland"
    intro = [
        f"Denne resultatkontrakt er en aftale mellem de 11 nordjyske kommuner i KKR Nordjylland og "
        f"Erhvervshus Nordjylland om samarbejdsrelationer, mål og aktiviteter for Erhvervshus Nordjylland i {contract.year}.",
        "Resultatkontrakten aftales inden for rammerne af Aftale om rammerne for erhvervshuse.",
    ]
    return DocSpec(name, f"{kind} {contract.year}", contract.year, contract.is_report, intro, goals, rows, total)
