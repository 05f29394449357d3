"""Write the 2026 contract's facts (notes: resultatkontrakt-2026.md) as text in many layouts.

The genre, not the file: headings with or without a dash or colon, at any markdown level or as
a bold line; the scope given by the section, an overview table's Type column, the overview
list or a page label; the box as TAB rows, label lines or markdown table rows; several delmål
in one cell or one per paragraph; page breaks (with page furniture) inside a delmål list;
the budget by name, by size or in the invoice order. `EXPECTED` is what every layout must give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TITLE = "Resultatkontrakt for Erhvervshus Nordjylland 2026"

# number, title, scope, delmål [(label, title, text)] or a plain target text, fulfilment rule
GOALS: list[tuple[int, str, str, list[tuple[str, str, str]] | str, str | None]] = [
    (1, "Styrket indsats for iværksættere", "national",
     "Erhvervshusene fordobler frem til 2027 antallet af vejledte virksomheder under 3 år til mindst 1.200 "
     "virksomheder om året samlet set. Erhvervshus Nordjylland har sat et delmål for 2026 på 100 vejledninger.", None),
    (2, "Kendskab", "national",
     "Virksomhedernes kendskabsgrad til hvert erhvervshus skal være mindst 50 procent. Blandt virksomheder, som "
     "kender erhvervshuset, har mindst 55 procent kendskab til deres tilbud i 2025. I 2027 er dette kendskab øget "
     "til mindst 65 procent.", None),
    (3, "Virksomhedernes tilfredshed", "national",
     "Erhvervshusene opnår hvert år en Net Promotor Score (NPS) på mindst 70 for deres drifts- og vækstsegment.", None),
    (4, "Erhvervshusenes knudepunktsfunktion", "national",
     "Mindst 50 procent af de virksomheder, der henvises af erhvervshuset til ekstern rådgivning, angiver i "
     "brugerevalueringen, at de har anvendt en eller flere af henvisningerne.", None),
    (5, "Effekt i virksomhederne", "national", [
        ("Delmål 5.1", "Vækstsegment", "For virksomheder i erhvervshusenes vækstsegment skal der to år efter endt "
         "vejledning kunne måles en mervækst på mindst 10 procentpoint i omsætning og mindst 5 procentpoint i beskæftigelse."),
        ("Delmål 5.2", "Driftssegment", "Virksomheder i erhvervshusenes driftssegment har to år efter endt vejledning "
         "en mervækst i produktivitet sammenlignet med en kontrolgruppe."),
    ], None),
    (6, "Bæredygtighed", "national",
     '70 pct. af de vejledte virksomheder tilkendegiver, at vejledningen "i høj grad" har gjort dem bedre i stand '
     "til at prioritere arbejdet med bæredygtighed.", None),
    (7, "Øget konkurrencekraft i nordjyske virksomheder", "regional", [
        ("Delmål 7.1", "Specialiseret vejledning", "Med afsæt i Nordjyllands styrker prioriteres digitalisering, "
         "bæredygtighed og internationalisering. Erhvervshus Nordjylland vil i 2026 vejlede mindst 700 unikke virksomheder. "
         "Vejledningerne kategoriseres hhv.: Vækstforløb, Driftsforløb, Korte forløb samt Early Warning forløb."),
        ("Delmål 7.2", "Flest mulige nationale midler til Nordjylland", "Erhvervshus Nordjylland vil fortsat arbejde "
         "for at trække nationale midler til regionen. Målet er, at den regionale andel på op til 10% som minimum skal opfyldes."),
    ], "Målet er 100 pct. opfyldt, når der foreligger en afrapportering, og at dette er godkendt af KKR Nordjylland."),
    (8, "Styrket strategisk erhvervsudvikling", "regional", [
        ("Delmål 8.1", "Målrettet indsats ift. produktiviteten i Nordjylland", "Med afsæt i produktivitetsanalysen "
         "vil Erhvervshus Nordjylland i 2026 drøfte resultaterne med relevante aktører, herunder NES."),
        ("Delmål 8.2", "Flere internationale medborgere til Nordjylland", "Erhvervshus Nordjylland vil i 2026 sammen "
         "med NES udarbejde et oplæg om internationale medborgere."),
        ("Delmål 8.3", "Erhvervsfyrtårn CO2Vision", "En roadmap er udarbejdet medio 2025. Tematikkerne dækker: "
         "Samarbejdsplatform, Infrastruktur, Anlægsinvesteringer og Arbejdskraft."),
        ("Delmål 8.4", "Forsvarsrettet vejledningsindsats i Nordjylland", "Erhvervshus Nordjylland skal i 2026 "
         "intensivere sin indsats. Målet for indsatsen er udarbejdelse af plan for kompetenceudvikling af "
         "Erhvervshusets forretningsudviklere."),
    ], "Målet er 100% opfyldt, når de fire indsatser er tilfredsstillende gennemført efter vurdering af KKR Nordjylland."),
    (9, "Bredt samarbejde til gavn for nordjyske virksomheder", "regional", [
        ("Delmål 9.1", "Samarbejdsaftaler med erhvervsfremmeaktører", "Erhvervshus Nordjylland vil i 1. kvartal 2026 "
         "indgå bilaterale aftaler med hver af de 11 nordjyske kommuner, og med erhvervsklyngerne Digital Lead, "
         "Energy Cluster Denmark, MADE, Odense Robotics og We Build Denmark."),
        ("Delmål 9.2", "Faglige ressourcegrupper med regionalt fokus på tværs af aktører", "Der er etableret tre "
         "faglige ressourcegrupper. Grupperne dækker henholdsvis Bæredygtighed, Digitalisering og Internationalisering."),
        ("Delmål 9.3", "Samarbejdsindsats ift. iværksættere", "Erhvervshus Nordjylland etablerede i 2025 den fælles "
         "indsats Styrket nordjysk iværksætterindsats."),
        ("Delmål 9.4", "Samlet netværks- og samarbejdsindsats ift. forsvar", "Med baggrund i de stigende "
         "forsvarsbudgetter etablerede Erhvervshus Nordjylland netværksgruppen Forsvar Nordjylland."),
    ], "Målet er 100% opfyldt, når de fire indsatser er gennemført tilfredsstillende efter vurdering af KKR Nordjylland."),
]

# the invoice order of the 2026 contract (1.000 kr.)
BUDGET = [("Morsø", 637), ("Thisted", 1393), ("Brønderslev", 1198), ("Frederikshavn", 1888), ("Vesthimmerland", 1168),
          ("Læsø", 56), ("Rebild", 1009), ("Mariagerfjord", 1358), ("Jammerbugt", 1238), ("Aalborg", 7327), ("Hjørring", 2065)]
TOTAL = 19337

EXPECTED_TARGETS = {
    "1": {(1200, "virksomheder", ">=", 2027), (100, "vejledninger", "=", 2026)},
    "2": {(50, "procent", ">=", None), (55, "procent", ">=", 2025), (65, "procent", ">=", 2027)},
    "3": {(70, "NPS", ">=", None)},
    "4": {(50, "procent", ">=", None)},
    "5": {(10, "procentpoint", ">=", None), (5, "procentpoint", ">=", None)},
    "6": {(70, "procent", "=", None)},
    "7": {(700, "virksomheder", ">=", 2026), (10, "procent", ">=", None)},
    "8": set(),
    "9": set(),
}
EXPECTED_DELMAAL = {str(n): [(label, title) for label, title, _ in d] for n, _, _, d, _ in GOALS if isinstance(d, list)}


def _dk(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass
class Layout:
    heading: str = "bare"          # bare | dash | colon
    level: str = "md"              # md (## / ### varying) | bold | plain | row (the box's first row "Mål N | Titel")
    scope: str = "list"            # section | table | list | label
    box: str = "tab"               # tab | lines | markdown
    delmaal: str = "inline"        # inline | underlined | lines | bold | bold-colon
    page_break: str = "none"       # none | separator | furniture
    break_at: str = "delmål"       # delmål (between two) | sentence (inside one, as Delmål 7.1 in 2026)
    budget: str = "source"         # source | name | size
    budget_header: str = "Kommune\t1.000 kr."
    total_label: str = "I alt"
    toc: str = "none"              # none | dots | plain
    rule_after_box: bool = True    # Mål 9's rule as a paragraph after the box (as in 2026)
    section_tail: str = ""         # "4. Nationalt fastsatte mål{tail}", e.g. " for erhvervshusene"
    overrides: dict[int, str] = field(default_factory=dict)  # goal → scope printed in the overview (to disagree)

    def name(self) -> str:
        return "-".join(f"{v}" for k, v in self.__dict__.items() if k not in ("overrides", "budget_header") and v not in ("none",))


def _heading(layout: Layout, n: int, title: str) -> str:
    sep = {"bare": " ", "dash": " – ", "colon": ": "}[layout.heading]
    text = f"Mål {n}{sep}{title}"
    if layout.level == "md":
        return f"{'#' * (2 + n % 3)} {text}"   # levels 2–4 mixed, as the corpus does
    if layout.level == "bold":
        return f"**{text}**"
    if layout.level == "row":
        return f"<b>Mål {n}</b>\t<b>{title}</b>"
    return text


def _section(layout: Layout, text: str) -> str:
    return f"## {text}" if layout.level == "md" else (f"**{text}**" if layout.level == "bold" else text)


def _scope_word(scope: str) -> str:
    return {"national": "Nationalt fastsat", "regional": "Regionalt aftalt"}[scope]


def _cell_pieces(layout: Layout, delmaal: list[tuple[str, str, str]]) -> list[str]:
    """The Mål cell as printed lines (first is the row with the label; the rest continue it)."""
    if layout.delmaal == "inline":
        return ["  ".join(f"{label} {title}  {text}" for label, title, text in delmaal)]
    if layout.delmaal == "underlined":
        return [" ".join(f"<p><u>{label} {title}</u> {text}</p>" for label, title, text in delmaal)]
    if layout.delmaal == "lines":
        return [f"{label} {title} {text}" for label, title, text in delmaal]
    out: list[str] = []
    for label, title, text in delmaal:
        out += [f"**{label}: {title}**" if layout.delmaal == "bold-colon" else f"**{label} {title}**", text]
    return out


def _sentence_end(text: str, start: int) -> int:
    """Offset just after the first full stop from start that ends a sentence ('ift.' does not)."""
    for m in re.finditer(r"(?<!ift)(?<!hhv)\. (?=[A-ZÆØÅ])", text[start:]):
        return start + m.start() + 1
    return len(text)


def _break(layout: Layout, page: int) -> list[str]:
    if layout.page_break == "separator":
        return ["------------\t---", ""]
    if layout.page_break == "furniture":
        return ["", f"Resultatkontrakt 2026 · Side {page}", "", str(page + 1), ""]
    return []


def _box(layout: Layout, n: int, target: list[tuple[str, str, str]] | str, rule: str | None) -> list[str]:
    pieces = [target] if isinstance(target, str) else _cell_pieces(layout, target)
    if layout.page_break != "none" and n in (7, 8, 9):
        # the page breaks inside the delmål list: in the middle of one line, or between two
        if len(pieces) == 1:
            text = pieces[0]
            half = len(text) // 2
            if layout.break_at == "sentence":
                cut = _sentence_end(text, half)
                while text[cut:].lstrip(" </p>").startswith(("Delmål", "<u>")):
                    cut = _sentence_end(text, cut + 1)
            else:
                cut = text.find("Delmål", half)
                cut = cut - 3 if text[cut - 3:cut] == "<u>" else cut
                cut = cut - 3 if text[cut - 3:cut] == "<p>" else cut
            pieces = [text[:cut].rstrip(), "\x00BREAK", text[cut:].lstrip()]
        else:
            mid = len(pieces) // 2
            if layout.break_at == "sentence":
                cut = _sentence_end(pieces[mid], 0)
                pieces = pieces[:mid] + [pieces[mid][:cut], "\x00BREAK", pieces[mid][cut:].strip()] + pieces[mid + 1:]
            else:
                pieces = pieces[:mid] + ["\x00BREAK"] + pieces[mid:]
    method = "Målet opgøres af Erhvervshus Nordjylland ultimo 2026."
    reporting = "Afrapportering til KKR sker en gang årligt."
    after: list[str] = []
    if rule and n == 9 and layout.rule_after_box:
        after = ["", rule, "--"]
    elif rule:
        reporting = f"{reporting}  {rule}"
    out: list[str] = []
    if layout.box == "markdown":
        out += ["| | |", "|---|---|"]
    first = True
    for piece in pieces:
        if piece == "\x00BREAK":
            out += _break(layout, 10 + n)
            continue
        if layout.box == "tab":
            out.append(f"<b>Mål</b>\t{piece}" if first else f"\t{piece}")
        elif layout.box == "markdown":
            out.append(f"| <b>Mål</b> | {piece} |" if first else f"| | {piece} |")
        else:
            out += (["Mål", piece] if first else [piece])
        first = False
    for label, text in (("Metode", method), ("Afrapportering", reporting)):
        if layout.box == "tab":
            out.append(f"<b>{label}</b>\t{text}")
        elif layout.box == "markdown":
            out.append(f"| <b>{label}</b> | {text} |")
        else:
            out += [label, text]
    return out + after


def _overview(layout: Layout) -> list[str]:
    scopes = {n: layout.overrides.get(n, scope) for n, _, scope, _, _ in GOALS}
    if layout.scope == "table":
        rows = ["Mål\tTitel\tType"] + [f"Mål {n}\t{title}\t{_scope_word(scopes[n])}" for n, title, _, _, _ in GOALS]
        return [_section(layout, "3. Oversigt over mål for Erhvervshus Nordjylland i 2026"), "", *rows, ""]
    if layout.scope in ("list", "section", "label") and (layout.scope == "list" or layout.overrides):
        out = [_section(layout, "3. Oversigt over mål for Erhvervshus Nordjylland i 2026"), ""]
        for scope, label in (("national", "Nationalt fastsatte mål"), ("regional", "Regionale mål")):
            out.append(f"**{label}**")
            out += [f"{n}. {title}" for n, title, _, _, _ in GOALS if scopes[n] == scope]
        return out + [""]
    return []


def _toc(layout: Layout) -> list[str]:
    if layout.toc == "none":
        return []
    entries = [("1. Indledning", 3), ("3. Oversigt over mål for Erhvervshus Nordjylland i 2026", 5)]
    entries += [(f"Mål {n} {title}", 6 + n) for n, title, _, _, _ in GOALS] + [("6. Økonomi", 16)]
    if layout.toc == "dots":
        return ["## Indhold", "", *[f"{t}.....\t{p}" for t, p in entries], ""]
    return ["Indhold", "", *[f"{t} {p}" for t, p in entries], ""]


def _budget(layout: Layout) -> list[str]:
    rows = list(BUDGET)
    if layout.budget == "name":
        rows.sort(key=lambda r: r[0].replace("Aa", "Å"))   # Danish order: Aalborg sorts as Å, last
    elif layout.budget == "size":
        rows.sort(key=lambda r: -r[1])
    out = [_section(layout, "6. Økonomi"), "",
           "De 11 nordjyske kommuner finansierer Erhvervshus Nordjyllands basisbevilling med 19,3 mio. kr. i 2026.", ""]
    if layout.budget_header:
        out.append(layout.budget_header)
    out += [f"{name}\t{_dk(value)}" for name, value in rows]
    out.append(f"<b>{layout.total_label}</b>\t<b>{_dk(TOTAL)}</b>")
    return out + [""]


def contract_text(layout: Layout) -> str:
    out = ["", f"# **{TITLE}**", "", "**Mellem KKR Nordjylland og Erhvervshus Nordjylland**", ""]
    out += _toc(layout)
    out += [_section(layout, "1. Indledning"), "",
            "Denne resultatkontrakt er en aftale mellem de 11 nordjyske kommuner i KKR Nordjylland og Erhvervshus "
            "Nordjylland. Resultatkontrakten aftales inden for rammerne af Aftale om rammerne for erhvervshuse 2024-2027.", ""]
    out += _overview(layout)
    current_scope = None
    for n, title, scope, target, rule in GOALS:
        if layout.scope == "section" and scope != current_scope:
            number = 4 if scope == "national" else 5
            name = "Nationalt fastsatte mål" if scope == "national" else "Regionale mål"
            out += [_section(layout, f"{number}. {name}{layout.section_tail}"), "",
                    "De mål, der følger, er fastsat som beskrevet i rammeaftalen.", ""]
            current_scope = scope
        if layout.scope == "label":
            out += ["Nationalt fastsat mål" if scope == "national" else "Regionale mål", ""]
        if layout.level == "row":   # the heading is the box's first row; the lead-in stands before the table
            out += [f"På den baggrund fastsættes følgende mål for {title.lower()}:", "", _heading(layout, n, title)]
        else:
            out += [_heading(layout, n, title), "", f"På den baggrund fastsættes følgende mål for {title.lower()}:", ""]
        out += _box(layout, n, target, rule)
        out.append("")
    out += _budget(layout)
    out += [_section(layout, "8. Ikrafttrædelse"), "", "Resultatkontrakten træder i kraft d. 1. januar 2026.", "",
            "For KKR Nordjylland  ", "d. 27/03 – 2026  ", "Michael Klitgaard  ", "*Formand for KKR Nordjylland*", ""]
    return "\n".join(out)


LAYOUTS = [
    Layout(),
    Layout(heading="colon", level="md", scope="section", box="tab", delmaal="lines", page_break="separator", budget="name"),
    Layout(heading="dash", level="bold", scope="table", box="lines", delmaal="bold", page_break="furniture", budget="size",
           budget_header="Kommune\tBeløb (1.000 kr.)", total_label="Total", toc="dots"),
    Layout(heading="bare", level="plain", scope="label", box="markdown", delmaal="inline", page_break="furniture",
           budget="name", budget_header="", total_label="Nordjylland i alt", toc="plain"),
    Layout(heading="colon", level="bold", scope="list", box="tab", delmaal="inline", page_break="separator", budget="size"),
    Layout(heading="dash", level="md", scope="section", box="markdown", delmaal="bold", page_break="none", budget="source",
           toc="dots"),
    Layout(heading="bare", level="md", scope="table", box="tab", delmaal="lines", page_break="furniture", budget="name",
           rule_after_box=False),
    Layout(heading="colon", level="md", scope="table", box="tab", delmaal="underlined", page_break="separator",
           break_at="sentence", budget="size", budget_header=""),
    Layout(heading="dash", level="plain", scope="section", box="lines", delmaal="lines", page_break="furniture",
           break_at="sentence", budget="name", toc="plain"),
    Layout(heading="colon", level="row", scope="section", box="tab", delmaal="bold-colon", page_break="separator",
           budget="size", section_tail=" for Erhvervshus Nordjylland i 2026", toc="dots"),
    Layout(heading="bare", level="row", scope="table", box="tab", delmaal="underlined", page_break="furniture",
           break_at="sentence", budget="name", budget_header="Kommune\tBeløb i 1.000 kr."),
]
