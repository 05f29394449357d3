"""A spec in one layout, as a list of layout-neutral items the Word and PDF writers both render.

Layouts vary what real contracts vary: the goal box as a table or as plain paragraphs with
run-in labels; goal headings "Mål N – Titel", "Mål N: Titel" or "Mål N Titel", as a heading style
or as a bold paragraph; scope given by the section a goal sits in, by an overview table with a
"Type" column, or by overview lists; the budget in name or size order; page headers and footers
with page numbers or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.kit.spec import SCOPE_HEADINGS, SCOPE_TYPES, DocSpec, pieces

# a statistics row run into one line: "Innovation 178 13,5 %" (label, count, share)
_STAT_ROW = re.compile(r"([A-ZÆØÅ][^\d%]*?)\s+(\d[\d.]*)\s+(\d{1,3}(?:[,.]\d)?\s?%)")
_STAT_HEAD = re.compile(r"^(Forløbstype pr\. [\d.]+) Antal Andel\s*")

# Items: ("title", text) ("heading", level, text) ("bold", text) ("para", text) ("numbered", n, text)
#        ("box", [(label, [(lead or None, text)])]) ("table", header, rows, bold_last)


@dataclass(frozen=True)
class Layout:
    name: str
    box: str            # table | paragraphs
    heading: str        # dash | colon | bare
    heading_as: str     # style | bold
    scope: str          # sections | overview | lists
    budget: str         # name | size
    running: bool       # page header and footer with page numbers

    def goal_heading(self, number: str, title: str) -> str:
        sep = {"dash": " – ", "colon": ": ", "bare": " "}[self.heading]
        return f"Mål {number}{sep}{title}"


LAYOUTS = [
    Layout("tabel-tankestreg-afsnit", "table", "dash", "style", "sections", "name", True),
    Layout("afsnit-kolon-oversigt", "paragraphs", "colon", "bold", "overview", "size", False),
    Layout("tabel-bar-lister", "table", "bare", "bold", "lists", "size", True),
]


def _danish(value: float | int) -> str:
    whole = int(round(value))
    return f"{whole:,}".replace(",", ".") if abs(value - whole) < 1e-9 else f"{value:.1f}".replace(".", ",")


def story(spec: DocSpec, layout: Layout) -> list[tuple]:
    items: list[tuple] = [("title", spec.title), ("bold", "Mellem KKR Nordjylland og Erhvervshus Nordjylland")]
    section = 1
    items += [("heading", 1, f"{section}. Indledning"), *[("para", p) for p in spec.intro]]
    if not spec.funding and spec.funding_total:
        mio = f"{spec.funding_total / 1000:.3f}".replace(".", ",")
        items.append(("para", f"Basisbevillingen er på {mio} mio. kr."))
    scopes = spec.scopes()
    if layout.scope != "sections" and scopes:
        section += 1
        items.append(("heading", 1, f"{section}. Oversigt over mål for Erhvervshus Nordjylland i {spec.year}"))
        if layout.scope == "overview":
            rows = [[g.number, g.title, SCOPE_TYPES.get(g.scope or "", "")] for g in spec.goals]
            items.append(("table", ["Mål", "Titel", "Type"], rows, False))
        else:
            for scope in scopes:
                items.append(("bold", SCOPE_HEADINGS[scope]))
                items += [("numbered", g.number, g.title) for g in spec.goals if g.scope == scope]
    groups = [(s, [g for g in spec.goals if g.scope == s]) for s in scopes] if layout.scope == "sections" else [
        (None, spec.goals)]
    if layout.scope == "sections" and any(g.scope is None for g in spec.goals):
        groups.append((None, [g for g in spec.goals if g.scope is None]))
    for scope, goals in groups:
        level = 1
        if scope is not None:
            section += 1
            items.append(("heading", 1, f"{section}. {SCOPE_HEADINGS[scope]}"))
            level = 2
        for goal in goals:
            text = layout.goal_heading(goal.number, goal.title)
            items.append(("heading", level + 1, text) if layout.heading_as == "style" else ("bold", text))
            if goal.description:
                items.append(("para", goal.description))
            box = [("Mål", goal.goal_paragraphs()), ("Metode", [(None, goal.method)] if goal.method else []),
                   ("Afrapportering", [(None, t) for t in (goal.reporting, goal.rule) if t])]
            items.append(("box", [(label, paras) for label, paras in box if paras]))
            if goal.report_text:
                items.append(("bold", f"Afrapportering og målopfyldelse – Mål {goal.number}"))
                items += report_items(goal.report_text)
    if spec.funding:
        section += 1
        items.append(("heading", 1, f"{section}. Økonomi"))
        items.append(("para", "De 11 nordjyske kommuner finansierer Erhvervshus Nordjyllands basisbevilling "
                              f"i {spec.year}. Fordelingen på kommuner:"))
        rows = list(spec.funding)
        if layout.budget == "name":
            rows.sort(key=lambda r: r[0])
        else:
            rows.sort(key=lambda r: -r[1])
        table = [[label, _danish(value)] for label, value in rows]
        if spec.funding_total is not None:
            table.append(["I alt", _danish(spec.funding_total)])
        items.append(("table", ["Kommune", "1.000 kr."], table, spec.funding_total is not None))
    section += 1
    items += [("heading", 1, f"{section}. Ikrafttrædelse"),
              ("para", f"Resultatkontrakten træder i kraft d. 1. januar {spec.year}.")]
    return items


def report_items(text: str) -> list[tuple]:
    """A report's text: paragraphs, list items, and its statistics tables as tables again."""
    items: list[tuple] = []
    rows: list[list[str]] = []
    head: list[str] | None = None

    def flush() -> None:
        nonlocal rows, head
        if rows:
            items.append(("table", head or ["Forløbstype", "Antal", "Andel"], rows, False))
        rows, head = [], None

    text = re.sub(r"(?<=%)(?=[A-ZÆØÅ])", "\n\n", text)     # "… målet på 50%Virksomhedernes …": two lines run together
    for block in (" ".join(p.split()) for p in text.split("\n\n")):
        if not block:
            continue
        if m := _STAT_HEAD.match(block):
            flush()
            head, block = [m.group(1), "Antal", "Andel"], block[m.end():]
        found = list(_STAT_ROW.finditer(block))
        if head is not None and found and sum(len(f.group(0)) for f in found) >= 0.6 * len(block):
            rows += [[f.group(1).strip(), f.group(2), f.group(3)] for f in found]
            if total := re.search(r"(?<=%)\s+(\d[\d.]*)\s+(\d{1,3}(?:[,.]\d)?\s?%)\s*$", block):
                rows.append(["I alt", total.group(1), total.group(2)])
            continue
        if head is not None and re.fullmatch(r"[\d.]+ [\d,]+ ?%", block):
            rows.append(["I alt", *block.rsplit(" ", 1)] if block.count(" ") == 1 else ["I alt", *block.split(" ", 1)])
            continue
        flush()
        for lead, part in pieces(block):
            items.append(("item", part) if lead == "•" else ("para", part))
    flush()
    return items


def running_texts(spec: DocSpec) -> tuple[str, str]:
    """Page header, and the footer's text before its page number."""
    return f"{spec.title} · KKR Nordjylland", "Side"
