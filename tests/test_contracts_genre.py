"""The 2026 contract's golden facts in layouts the corpus does not show (tests/contract_layouts.py).

Every layout must give one contract with the same nine goals, scopes, delmål, targets,
fulfilment rules and basisbevilling as the bundled text; the variants cover headings with
colon/dash/none at any level or in bold, scope by section / overview Type column / overview
list / page label, delmål in one cell or one per paragraph, page breaks with page furniture
inside the delmål list, the budget by name or by size, with or without a header.
"""

from __future__ import annotations

import dataclasses

import pytest

from kkrdesk.data.contracts import list_contracts
from kkrdesk.data.contracts.model import Contract
from kkrdesk.ingest.contracts import extract_contracts, looks_like_contract
from kkrdesk.ingest.importer import import_file
from kkrdesk.ingest.kinds import detect_kind
from kkrdesk.ingest.normalise import normalise
from tests.contract_layouts import (
    BUDGET,
    EXPECTED_DELMAAL,
    EXPECTED_TARGETS,
    GOALS,
    LAYOUTS,
    TITLE,
    TOTAL,
    Layout,
    contract_text,
)


def extract(text: str, *, with_raw: bool = True) -> list[Contract]:
    raw = {i + 1: t for i, t in enumerate(text.split("\n"))} if with_raw else None
    return extract_contracts(normalise(text), raw=raw)


def assert_golden_facts(c: Contract) -> None:
    assert (c.title, c.year, c.kind) == (TITLE, 2026, "resultatkontrakt")
    assert c.parties == ["KKR Nordjylland", "Erhvervshus Nordjylland"]
    assert [(g.number, g.title, g.scope) for g in c.goals] == [(str(n), t, s) for n, t, s, _, _ in GOALS]
    for g in c.goals:
        found = {(t.value, t.unit, t.comparator, t.year) for t in g.all_targets()}
        assert found == EXPECTED_TARGETS[g.number], f"Mål {g.number}"
        labelled = [(i.label, i.title) for i in g.indicators if i.printed_label]
        assert labelled == EXPECTED_DELMAAL.get(g.number, []), f"Mål {g.number}"
        rule = next(r for n, _, _, _, r in GOALS if str(n) == g.number)
        assert g.fulfilment_rule == (rule or ""), f"Mål {g.number}"
        assert "Side" not in g.goal_text and "---" not in g.goal_text
        assert g.method == "Målet opgøres af Erhvervshus Nordjylland ultimo 2026."
        assert g.reporting == "Afrapportering til KKR sker en gang årligt.", f"Mål {g.number}"
    d84 = next(i for i in c.goals[7].indicators if i.label == "Delmål 8.4")
    assert "plan for kompetenceudvikling" in d84.text
    d92 = next(i for i in c.goals[8].indicators if i.label == "Delmål 9.2")
    assert "Bæredygtighed, Digitalisering og Internationalisering" in d92.text
    funding = {r.label: r.value for r in c.funding}
    assert funding == {**dict(BUDGET), "I alt": TOTAL} and c.funding_flag is None
    assert [s["name"] for s in c.signatories] == ["Michael Klitgaard"] and c.signatories[0]["date"] == "2026-03-27"
    assert c.in_force_from == "2026-01-01"
    assert not [w for w in c.warnings if "oversigten" in w[1] or "afsnittet" in w[1]]


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name() for layout in LAYOUTS])
def test_every_layout_gives_the_golden_facts(layout: Layout):
    text = contract_text(layout)
    lines = normalise(text)
    assert detect_kind(lines) == "contract" and looks_like_contract(lines) == "contract"
    (c,) = extract(text)   # exactly one contract: no second one from the contents or the overview
    assert_golden_facts(c)


@pytest.mark.parametrize("layout", LAYOUTS[:4], ids=[layout.name() for layout in LAYOUTS[:4]])
def test_delmaal_titles_without_marks(layout: Layout):
    """Without the raw marks (a PDF has no <u>), the titles come from where the sentence starts."""
    (c,) = extract(contract_text(layout), with_raw=False)
    assert {g.number: [(i.label, i.title) for i in g.indicators if i.printed_label] for g in c.goals if g.number in EXPECTED_DELMAAL} == EXPECTED_DELMAAL


def test_section_wins_over_a_disagreeing_overview_and_says_so():
    layout = Layout(scope="section", overrides={3: "regional"})
    (c,) = extract(contract_text(layout))
    g3 = c.goals[2]
    assert g3.scope == "national"
    assert any("Mål 3: oversigten siger regionalt mål, afsnittet siger nationalt" in msg for _, msg in c.warnings)
    assert [g.scope for g in c.goals] == ["national"] * 6 + ["regional"] * 3


def test_type_column_wins_over_nothing_and_list_alone_is_enough():
    for scope in ("table", "list", "label"):
        (c,) = extract(contract_text(Layout(scope=scope)))
        assert [g.scope for g in c.goals] == ["national"] * 6 + ["regional"] * 3, scope


def test_overview_table_disagreeing_with_the_section_is_flagged():
    text = contract_text(Layout(scope="section"))
    table = "\n".join(["Mål\tTitel\tType"] + [
        f"{n}\t{title}\t{'Regionalt aftalt' if n == 5 else ('Nationalt fastsat' if scope == 'national' else 'Regionalt aftalt')}"
        for n, title, scope, _, _ in GOALS])
    text = text.replace("## 1. Indledning", f"## 2. Oversigt over mål\n\n{table}\n\n## 1. Indledning")
    (c,) = extract(text)
    assert c.goals[4].scope == "national"
    assert any("Mål 5: oversigtstabellen siger regionalt mål, afsnittet siger nationalt" in msg for _, msg in c.warnings)


def test_a_wrong_printed_total_is_kept_and_flagged():
    text = contract_text(Layout()).replace("<b>19.337</b>", "<b>19.373</b>")
    (c,) = extract(text)
    assert {r.label: r.value for r in c.funding}["I alt"] == 19373
    assert c.funding_flag == "Summen af kommunerne er 19.337, men totalen er trykt som 19.373"


def test_budget_in_full_kroner_is_read_in_thousands():
    layout = Layout(budget="size", budget_header="Kommune\tkr.")
    text = contract_text(layout)
    for name, value in BUDGET:
        text = text.replace(f"{name}\t{value:,}".replace(",", "."), f"{name}\t{value * 1000:,}".replace(",", "."))
    text = text.replace("<b>19.337</b>", "<b>19.337.000</b>")
    (c,) = extract(text)
    assert {r.label: r.value for r in c.funding}["Aalborg"] == 7327 and c.funding_flag is None
    assert {r.label: r.raw for r in c.funding}["Aalborg"] == "7.327.000"


def test_wrapped_overview_lines_never_make_a_second_contract():
    """A PDF overview table read as text: 'Mål 7 Øget konkurrencekraft i' / 'nordjyske virksomheder' …"""
    overview = []
    for n, title, scope, _, _ in GOALS:
        words = title.split()
        overview += [f"Mål {n} {' '.join(words[:2])}", " ".join(words[2:]) or "", "Nationalt" if scope == "national" else "Regionalt"]
    text = contract_text(Layout(scope="section")).replace(
        "## 1. Indledning", "## Oversigt over målene\n\n" + "\n".join(overview) + "\n\n## 1. Indledning")
    contracts = extract(text)
    assert len(contracts) == 1
    assert_golden_facts(contracts[0])


def test_a_document_without_goal_headings_is_not_a_contract():
    text = contract_text(Layout(box="tab"))
    headless = "\n".join(line for line in text.split("\n") if "Mål " not in line[:10] and not line.startswith("#"))
    lines = normalise(headless)
    assert looks_like_contract(lines) is None
    assert extract_contracts(lines) == []


def test_mal9_rule_inside_or_after_the_box():
    for layout in (Layout(rule_after_box=True), Layout(rule_after_box=False)):
        (c,) = extract(contract_text(layout))
        assert c.goals[8].fulfilment_rule.startswith("Målet er 100% opfyldt, når de fire indsatser")


def test_every_layout_through_the_importer_gives_one_contract(store, tmp_path):
    for k, layout in enumerate(LAYOUTS):
        path = tmp_path / f"kontrakt-{k}.md"
        path.write_text(contract_text(layout), encoding="utf-8")
        result = import_file(store, path)
        assert result.kind == "contract"
    found = list_contracts(store.db, year=2026)
    assert len(found) == len(LAYOUTS)
    for c in found:
        assert [len(g["indicators"]) for g in c["goals"]] == [2, 3, 1, 1, 2, 1, 2, 4, 4] or all(
            len([i for i in g["indicators"] if i["printed_label"]]) == len(EXPECTED_DELMAAL.get(g["number"], []))
            for g in c["goals"])
        assert store.db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] == 0


def test_layout_names_are_unique():
    names = [layout.name() for layout in LAYOUTS]
    assert len(set(names)) == len(names)
    assert dataclasses.replace(LAYOUTS[0]).name() == LAYOUTS[0].name()


def test_rule_wordings_inside_and_after_the_box():
    text = contract_text(Layout(box="tab")).replace(
        "Målet er 100% opfyldt, når de fire indsatser er tilfredsstillende",
        "Målet anses for opfyldt, når de fire indsatser er tilfredsstillende").replace(
        "Målet er 100% opfyldt, når de fire indsatser er gennemført", "Målet er opfyldt, når de fire indsatser er gennemført")
    (c,) = extract(text)
    assert c.goals[7].fulfilment_rule.startswith("Målet anses for opfyldt, når de fire indsatser")
    assert c.goals[8].fulfilment_rule.startswith("Målet er opfyldt, når de fire indsatser")
    assert c.goals[7].reporting == c.goals[8].reporting == "Afrapportering til KKR sker en gang årligt."


def test_words_broken_in_a_narrow_cell_are_mended_in_titles():
    """A PDF heading cell broke 'Virksomh edernes' and 'i værksættere'; the document uses the whole words elsewhere."""
    text = contract_text(Layout(scope="section", heading="bare", level="plain")).replace(
        "Mål 3 Virksomhedernes tilfredshed", "Mål 3 Virksomh edernes tilfredshed").replace(
        "Mål 1 Styrket indsats for iværksættere", "Mål 1 Styrket indsats for i værksættere").replace(
        "Delmål 9.3 Samarbejdsindsats ift. iværksættere", "Delmål 9.3 Samarbejdsindsats ift. i værksættere")
    (c,) = extract(text, with_raw=False)
    assert c.goals[0].title == "Styrket indsats for iværksættere"
    assert c.goals[2].title == "Virksomhedernes tilfredshed"
    assert c.goals[8].indicators[2].title == "Samarbejdsindsats ift. iværksættere"


def test_another_municipality_table_is_not_the_budget():
    """Eleven municipalities with a total, but counting agreements: not the basisbevilling."""
    text = contract_text(Layout())
    other = "\n".join(["Antal bilaterale møder i 2025 fordelt på kommunerne:", "", *[f"{name}\t{k + 1}" for k, (name, _) in enumerate(BUDGET)],
                       "I alt\t66", ""])
    text = text.replace("## 6. Økonomi", other + "\n## 6. Økonomi")
    (c,) = extract(text)
    assert {r.label: r.value for r in c.funding}["I alt"] == 19337


def _word_contract(path):
    """A Word layout of its own: the heading as the box's merged first row, delmål as bold runs in one paragraph,
    scope by Heading 1 sections, the budget by size with 'Total', a page header and footer."""
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "KKR Nordjylland · Resultatkontrakt 2026"
    d.sections[0].footer.paragraphs[0].text = "Side 1"
    d.add_heading(TITLE, level=0)
    d.add_paragraph("Mellem KKR Nordjylland og Erhvervshus Nordjylland")
    d.add_heading("1. Indledning", level=1)
    d.add_paragraph("Resultatkontrakten aftales inden for rammerne af Aftale om rammerne for erhvervshuse 2024-2027.")
    current = None
    for n, title, scope, target, rule in GOALS:
        if scope != current:
            d.add_heading("4. Nationalt fastsatte mål" if scope == "national" else "5. Regionale mål", level=1)
            current = scope
        d.add_paragraph(f"Målet for {title.lower()} er fastsat således:")
        table = d.add_table(rows=4, cols=2)
        table.style = "Table Grid"   # what Word inserts
        head = table.rows[0].cells[0].merge(table.rows[0].cells[1])
        head.text = ""
        head.paragraphs[0].add_run(f"Mål {n}: {title}").bold = True
        cell = table.rows[1].cells[1]
        table.rows[1].cells[0].text = "Mål"
        if isinstance(target, str):
            cell.text = target
        else:
            para = cell.paragraphs[0]
            for label, dtitle, text in target:
                para.add_run(f"{label} {dtitle}").bold = True
                para.add_run(f" {text} ")
        table.rows[2].cells[0].text, table.rows[2].cells[1].text = "Metode", "Målet opgøres af Erhvervshus Nordjylland ultimo 2026."
        table.rows[3].cells[0].text = "Afrapportering"
        table.rows[3].cells[1].text = "Afrapportering til KKR sker en gang årligt."
        if rule:
            table.rows[3].cells[1].add_paragraph(rule)
    d.add_heading("6. Økonomi", level=1)
    d.add_paragraph("De 11 nordjyske kommuner finansierer basisbevillingen.")
    rows = sorted(BUDGET, key=lambda r: -r[1]) + [("Total", TOTAL)]
    table = d.add_table(rows=len(rows) + 1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Kommune", "Beløb (1.000 kr.)"
    for row, (name, value) in zip(table.rows[1:], rows, strict=True):
        row.cells[0].text, row.cells[1].text = name, f"{value:,}".replace(",", ".")
    d.add_heading("8. Ikrafttrædelse", level=1)
    d.add_paragraph("Resultatkontrakten træder i kraft d. 1. januar 2026.")
    for text in ("For KKR Nordjylland", "d. 27/03 – 2026", "Michael Klitgaard", "Formand for KKR Nordjylland"):
        d.add_paragraph(text)
    d.save(str(path))
    return path


def test_a_word_layout_of_its_own(store, tmp_path):
    result = import_file(store, _word_contract(tmp_path / "kontrakt-2026.docx"))
    assert result.kind == "contract"
    (c,) = list_contracts(store.db, year=2026)
    assert [(g["number"], g["title"], g["scope"]) for g in c["goals"]] == [(str(n), t, s) for n, t, s, _, _ in GOALS]
    for g in c["goals"]:
        assert {(t["value"], t["unit"], t["comparator"], t["year"]) for t in g["targets"]} == EXPECTED_TARGETS[g["number"]]
        assert [(i["label"], i["title"]) for i in g["indicators"] if i["printed_label"]] == EXPECTED_DELMAAL.get(g["number"], [])
    assert c["goals"][8]["fulfilment_rule"].startswith("Målet er 100% opfyldt")
    rows = dict(store.db.execute("SELECT label, value FROM figures WHERE dataset = 'basisbevilling'").fetchall())
    assert rows == {**dict(BUDGET), "I alt": TOTAL}


def test_the_same_word_layout_through_libreoffice_pdf(store, tmp_path):
    import shutil

    from tests.kit.write_pdf import convert_to_pdf

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    (pdf,) = convert_to_pdf([_word_contract(tmp_path / "kontrakt-2026.docx")], tmp_path / "pdf")
    assert import_file(store, pdf).kind == "contract"
    (c,) = list_contracts(store.db, year=2026)
    assert [(g["number"], g["title"], g["scope"]) for g in c["goals"]] == [(str(n), t, s) for n, t, s, _, _ in GOALS]
    for g in c["goals"]:
        assert {(t["value"], t["unit"], t["comparator"], t["year"]) for t in g["targets"]} == EXPECTED_TARGETS[g["number"]]
        assert [(i["label"], i["title"]) for i in g["indicators"] if i["printed_label"]] == EXPECTED_DELMAAL.get(g["number"], [])
        assert all("page" in t["source"] for t in g["targets"])
    rows = dict(store.db.execute("SELECT label, value FROM figures WHERE dataset = 'basisbevilling'").fetchall())
    assert rows == {**dict(BUDGET), "I alt": TOTAL}
