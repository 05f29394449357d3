"""What a contract or report holds once read: plain dataclasses, no database.

extract.py fills them from lines, repo.py writes and reads them, so parsing can
be tested without a store and the store never parses.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Target:
    value: float | int
    unit: str | None
    comparator: str            # ">=", ">", "=", "<=", "<"
    year: int | None
    text: str                  # the sentence it was read from
    line: int
    fulfilment_level: float = 100   # 50 for "Målet er 50 pct. opfyldt, når …"
    measure: str | None = None      # "Vækst- & Driftsforløb" for a labelled count
    source: str = "kontrakt"        # "kontrakt" | "rapport" (a måltal restated in the report)
    page: int | None = None         # page of the source document, where the reader knows it


@dataclass
class Outcome:
    measure: str               # "resultat" | "målopfyldelse" | a printed label
    value: float | int | None
    unit: str | None
    text: str
    line: int
    indicator_label: str | None = None
    page: int | None = None


@dataclass
class Indicator:
    label: str                 # "Delmål 7.1" as printed, or "Målepunkt 2.1" when the text has no labels
    title: str | None
    text: str
    line_start: int
    line_end: int
    targets: list[Target] = field(default_factory=list)
    printed_label: bool = True
    page: int | None = None


@dataclass
class Goal:
    number: str
    title: str
    line_start: int
    line_end: int
    scope: str | None = None   # national | fælles | regional | lokal
    theme: str | None = None
    description: str = ""
    goal_text: str = ""        # the "Mål" row of the box, as printed
    method: str = ""
    rationale: str = ""
    reporting: str = ""
    fulfilment_rule: str = ""
    report_text: str = ""      # the "Afrapportering og målopfyldelse" text of a report
    fulfilment_pct: float | None = None
    fulfilment_line: int | None = None
    overview_title: str | None = None
    overview_pct: float | None = None
    page: int | None = None
    indicators: list[Indicator] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)    # targets not tied to one indicator
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)

    def all_targets(self) -> list[Target]:
        return [t for i in self.indicators for t in i.targets] + self.targets


@dataclass
class FundingRow:
    label: str                 # municipality canonical name, or "I alt"
    value: float | int
    line: int
    is_total: bool = False
    raw: str | None = None     # as printed ("1.224", "18,238 mio. kr.")


@dataclass
class Contract:
    kind: str                  # resultatkontrakt | rammeaftale
    is_report: bool
    year: int | None
    title: str
    line_start: int
    line_end: int
    parties: list[str] = field(default_factory=list)
    framework: str | None = None
    signatories: list[dict] = field(default_factory=list)
    date: str | None = None            # ISO date printed on the document (a framework agreement)
    in_force_from: str | None = None
    in_force_to: str | None = None
    overall_fulfilment_pct: float | None = None
    overall_line: int | None = None
    goals: list[Goal] = field(default_factory=list)
    funding: list[FundingRow] = field(default_factory=list)
    funding_unit: str = "1.000 kr."
    funding_flag: str | None = None
    portfolio: FundingRow | None = None   # the programme portfolio in mio. kr. as printed ("i omegnen af 31,8")
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
