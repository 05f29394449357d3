"""Contracts in layouts the corpus does not show: the extractor must handle the genre.

Each text is written here the way a future document could arrive: markdown with
HTML table debris and a page break inside a row, goal headings at other levels
and without a dash, labelled delmål, a contract with no reported outcome, a
report whose result is missing, and a contract followed by unrelated material.
"""

from __future__ import annotations

from kkrdesk.data.lines import Line
from kkrdesk.ingest.contracts import extract_contracts, looks_like_contract
from kkrdesk.ingest.normalise import normalise


def lines_of(text: str) -> list[Line]:
    return [Line(i + 1, t) for i, t in enumerate(text.split("\n"))]


MARKDOWN_2026 = """\
# Resultatkontrakt 2026

Denne resultatkontrakt er en aftale mellem de 11 nordjyske kommuner i KKR Nordjylland og Erhvervshus Nordjylland.
Den aftales inden for rammerne af Aftale om rammerne for erhvervshuse 2024-2027.

## 5. Oversigt over mål for Erhvervshus Nordjylland i 2026

**Nationalt fastsatte mål**

1. Styrket indsats for iværksættere
2. Kendskab

**Regionale mål**

3. Bæredygtig og digital omstilling

## Mål 1 – Styrket indsats for iværksættere

Iværksættere skal have mere specialiseret vejledning.

| | |
|---|---|
| <b>Mål</b> | Erhvervshusene vejleder mindst 1.200 virksomheder under 3 år om året. I 2026 er måltallet for Erhvervshus Nordjylland |

14

| | mindst 107 virksomheder under 3 år. |
| <b>Metode</b> | Erhvervsstyrelsen opgør målet i det fælles CRM. |
| <b>Afrapportering</b> | Afrapportering til KKR sker en gang årligt. |

### Mål 2: Kendskab

| <b>Mål</b> | <p>Mindst 55 procent af virksomhederne kender erhvervshusets tilbud i 2026.</p> |
| <b>Metode</b> | <p>Erhvervsstyrelsen måler kendskabet.</p> |
| <b>Afrapportering</b> | <p>Afrapportering til KKR sker en gang årligt.</p> <p>Målet er 100 pct. opfyldt, når kendskabet er mindst 55 procent. Målet er 50 pct. opfyldt, når kendskabet er mindst 50 procent.</p> |

#### Mål 3 Bæredygtig og digital omstilling

| <b>Mål</b> | Delmål 3.1 – Grøn vejledning: Mindst 250 vejledninger inden for bæredygtighed i 2026. |
| | Delmål 3.2 – Digital vejledning: Mindst 150 vejledninger inden for digitalisering i 2026. |
| | Delmål 3.3 – ESG-rapport: Erhvervshuset udgiver en ESG-rapport. |
| <b>Metode</b> | Erhvervshuset afrapporterer ultimo 2026. |
| <b>Begrundelse</b> | Virksomhederne efterspørger grøn og digital vejledning. |
| <b>Afrapportering</b> | Afrapportering til KKR sker en gang årligt. |

## 6. Økonomi

De 11 nordjyske kommuner finansierer basisbevillingen.

| Kommune | 1.000 kr. |
|---|---|
| Morsø | 600 |
| Thisted | 1.300 |
| Brønderslev | 1.100 |
| Frederikshavn | 1.800 |
| Vesthimmerland | 1.100 |
| Læsø | 55 |
| Rebild | 950 |
| Mariagerfjord | 1.250 |
| Jammerbugt | 1.150 |
| Aalborg | 6.700 |
| Hjørring | 1.900 |
| Nordjylland i alt | 17.905 |
"""


def md_contract():
    (c,) = extract_contracts(normalise(MARKDOWN_2026))
    return c


def test_markdown_contract_metadata_and_goals():
    c = md_contract()
    assert (c.year, c.kind, c.is_report) == (2026, "resultatkontrakt", False)
    assert c.parties == ["KKR Nordjylland", "Erhvervshus Nordjylland"]
    assert c.framework == "Aftale om rammerne for erhvervshuse 2024-2027"
    assert [(g.number, g.title, g.scope) for g in c.goals] == [
        ("1", "Styrket indsats for iværksættere", "national"),
        ("2", "Kendskab", "national"),
        ("3", "Bæredygtig og digital omstilling", "regional"),
    ]
    assert [g.theme for g in c.goals] == [
        "Styrket indsats for iværksættere", "Kendskab", "Grøn omstilling – regionalt mål"]


def test_markdown_bold_cells_and_page_break_inside_a_row():
    g = md_contract().goals[0]
    assert g.method == "Erhvervsstyrelsen opgør målet i det fælles CRM."
    assert g.reporting == "Afrapportering til KKR sker en gang årligt."
    found = {(t.value, t.unit, t.comparator, t.year) for t in g.all_targets()}
    # the second target starts before the page break ("I 2026 … måltallet") and ends after it
    assert found == {(1200, "virksomheder", ">=", None), (107, "virksomheder", ">=", 2026)}
    t107 = next(t for t in g.all_targets() if t.value == 107)
    assert MARKDOWN_2026.split("\n")[t107.line - 1].strip().startswith("| | mindst 107")
    assert "14" not in g.description and "14" not in " ".join(i.text for i in g.indicators)


def test_html_paragraphs_in_cells_and_partial_fulfilment_rule():
    g = md_contract().goals[1]
    assert [(t.value, t.unit, t.comparator, t.year) for t in g.all_targets() if t.fulfilment_level == 100] == [
        (55, "procent", ">=", 2026)]
    assert [(t.value, t.fulfilment_level) for t in g.targets] == [(50, 50)]
    assert g.fulfilment_rule.splitlines()[0] == "Målet er 100 pct. opfyldt, når kendskabet er mindst 55 procent."
    assert g.reporting == "Afrapportering til KKR sker en gang årligt."


def test_labelled_delmaal_with_titles():
    g = md_contract().goals[2]
    assert [(i.label, i.title, i.printed_label) for i in g.indicators] == [
        ("Delmål 3.1", "Grøn vejledning", True),
        ("Delmål 3.2", "Digital vejledning", True),
        ("Delmål 3.3", "ESG-rapport", True),
    ]
    assert [(t.value, t.unit, t.comparator, t.year) for t in g.indicators[0].targets] == [
        (250, "vejledninger", ">=", 2026)]
    assert [(t.value, t.unit) for t in g.indicators[1].targets] == [(150, "vejledninger")]
    assert g.indicators[2].targets == [] and g.indicators[2].text == "Erhvervshuset udgiver en ESG-rapport."
    assert g.rationale == "Virksomhederne efterspørger grøn og digital vejledning."


def test_contract_without_outcomes_has_no_results_and_no_report_warning():
    c = md_contract()
    assert c.overall_fulfilment_pct is None
    assert all(g.fulfilment_pct is None and g.outcomes == [] for g in c.goals)
    assert not [m for _, m in c.warnings if "målopfyldelse" in m]


def test_markdown_funding_table_and_its_flag():
    c = md_contract()
    rows = {r.label: r.value for r in c.funding}
    assert rows["Aalborg"] == 6700 and rows["Læsø"] == 55 and rows["I alt"] == 17905
    assert c.funding_flag is None  # the rows add up
    broken = MARKDOWN_2026.replace("| Nordjylland i alt | 17.905 |", "| Nordjylland i alt | 17.900 |")
    (c2,) = extract_contracts(normalise(broken))
    assert c2.funding_flag and "17.905" in c2.funding_flag and "17.900" in c2.funding_flag


PLAIN_2025 = """\
Resultatkontrakt 2025
Mellem KKR Nordjylland og Erhvervshus Nordjylland

Indhold
Mål 1 Kendskab\t4
Mål 2 Effekt i virksomhederne\t5

1. Indledning
Kontrakten gælder for 2025.

Nationalt fastsat mål

Mål 1 Kendskab

Mål Virksomhedernes kendskabsgrad til erhvervshuset skal i 2025 være
mindst 50 procent.
Metode Erhvervsstyrelsen måler.
Afrapportering Afrapportering til KKR sker en gang årligt.

Nationalt fastsat mål

Mål 2 Effekt i virksomhederne

Mål Målet er, at mindst halvdelen af de vejledte virksomheder oplever effekt.
Metode Brugerevalueringen.
Afrapportering Afrapportering til KKR sker en gang årligt.

8. Ikrafttrædelse
Kontrakten træder i kraft d. 1. januar 2025.

For KKR Nordjylland
d. 3. februar 2025
Ib Jensen
Formand for KKR Nordjylland

Bilag 1. Programmer
Mål 3 – Ikke et mål men en bilagstabel
"""


def test_bare_headings_toc_lines_and_scope_labels():
    (c,) = extract_contracts(lines_of(PLAIN_2025))
    assert [(g.number, g.title, g.scope, g.line_start) for g in c.goals] == [
        ("1", "Kendskab", "national", 13),
        ("2", "Effekt i virksomhederne", "national", 22),
    ]
    assert c.title == "Resultatkontrakt 2025" and c.year == 2025
    assert c.in_force_from == "2025-01-01"
    assert c.signatories == [{
        "name": "Ib Jensen", "role": "Formand for KKR Nordjylland", "date": "2025-02-03",
        "line": 34, "date_text": "d. 3. februar 2025"}]


def test_target_without_a_number_is_kept_and_warned_about():
    (c,) = extract_contracts(lines_of(PLAIN_2025))
    g1, g2 = c.goals
    assert [(t.value, t.unit, t.comparator, t.year, t.line) for t in g1.all_targets()] == [
        (50, "procent", ">=", 2025, 16)]
    assert g2.all_targets() == []
    assert g2.goal_text == "Målet er, at mindst halvdelen af de vejledte virksomheder oplever effekt."
    assert any("intet tal" in m for _, m in g2.warnings)
    assert any("Mål 2" in m and "intet tal" in m for _, m in c.warnings)


def test_goal_heading_in_a_bilag_is_not_a_goal():
    (c,) = extract_contracts(lines_of(PLAIN_2025))
    assert [g.number for g in c.goals] == ["1", "2"]
    # the bilag heading ends the last goal block: nothing after it is read into Mål 2
    assert c.goals[1].line_end < 28


REPORT_NO_PCT = """\
Afrapportering af resultatkontrakt 2027

Den samlede målopfyldelse på resultatkontrakten er 90%.

Mål 1 – Kendskab
Mål Mindst 60 procent kender erhvervshuset i 2027.
Metode Erhvervsstyrelsen måler.
Afrapportering Afrapportering til KKR sker en gang årligt.
Målet er 100 pct. opfyldt, når kendskabet er mindst 60 procent.

Afrapportering og målopfyldelse – Mål 1
Målingen er forsinket og foreligger først i 2028.

Mål 2 – Effekt i virksomhederne
Afrapportering og målopfyldelse – Mål 2
Resultatet er, at 72% af virksomhederne oplever effekt.
Målopfyldelsen er således 100 %

3.3 KKR-bidrag til den decentrale erhvervsfremmestrategi
Mål 9 – et andet dokument: mindst 99 procent
"""


def test_report_with_a_missing_result_and_an_unrelated_tail():
    lines = lines_of(REPORT_NO_PCT)
    assert looks_like_contract(lines) == "report"
    (c,) = extract_contracts(lines)
    assert c.is_report and c.year == 2027 and c.overall_fulfilment_pct == 90 and c.overall_line == 3
    g1, g2 = c.goals[:2]
    assert g1.fulfilment_pct is None and g1.outcomes == []
    assert any("ingen målopfyldelse" in m for _, m in g1.warnings)
    # the rule sentence is a rule, not a 100 % result
    assert g1.fulfilment_rule.startswith("Målet er 100 pct. opfyldt")
    assert (g2.fulfilment_pct, g2.fulfilment_line) == (100, 17)
    assert [(o.measure, o.value, o.unit, o.line) for o in g2.outcomes] == [
        ("resultat", 72, "procent", 16), ("målopfyldelse", 100, "procent", 17)]
    assert g2.line_end < 19  # the agenda item "3.3 …" ends the contract's last goal


def test_looks_like_contract_says_no_to_ordinary_text():
    letter = lines_of("Kære minister\n\nVi skriver om målet for 2025.\nMål og midler hænger sammen.\n")
    assert looks_like_contract(letter) is None
    assert extract_contracts(letter) == []


RESULTS_AT_THE_END = """\
Afrapportering af resultatkontrakt 2028

Mål 1 – Kendskab
Mål Mindst 60 procent kender erhvervshuset i 2028.

Mål 2 – Effekt i virksomhederne
Mål I 2028 vurderer 70 pct. af virksomhederne, at vejledningen har effekt.

Resultater

Afrapportering og målopfyldelse – Mål 1
Kendskabet er målt til 58%.
Målopfyldelsen er således 97 %

Afrapportering og målopfyldelse – Mål 2
Det har 74% gjort.
Målopfyldelsen er således 100 %
"""


def test_results_gathered_after_all_goal_boxes_find_their_goal():
    (c,) = extract_contracts(lines_of(RESULTS_AT_THE_END))
    g1, g2 = c.goals
    assert (g1.fulfilment_pct, g1.fulfilment_line) == (97, 13)
    assert [(o.value, o.line) for o in g1.outcomes if o.measure == "resultat"] == [(58, 12)]
    assert (g2.fulfilment_pct, g2.fulfilment_line) == (100, 17)
    assert [(o.value, o.line) for o in g2.outcomes if o.measure == "resultat"] == [(74, 16)]
    assert [(t.value, t.year) for t in g2.all_targets()] == [(70, 2028)]


NUMBERED_AND_HEADLESS = """\
Resultatkontrakt 2029

Mål Mindst 40 procent kender huset.
Metode Erhvervsstyrelsen måler.

5.1 Mål 2 – Effekt i virksomhederne
Mål Mindst 70 procent oplever effekt i 2029.

5.2 Mål 3 – Iværksættere
Mål Mindst 120 virksomheder under 3 år vejledes i 2029.
"""


def test_numbered_goal_headings_and_a_box_without_heading():
    (c,) = extract_contracts(lines_of(NUMBERED_AND_HEADLESS))
    assert [(g.number, g.title) for g in c.goals] == [("2", "Effekt i virksomhederne"), ("3", "Iværksættere")]
    assert [(t.value, t.unit, t.year) for t in c.goals[1].all_targets()] == [(120, "virksomheder", 2029)]
    # the first box has no heading: kept out of the goals, and said so
    assert any(line == 4 and "uden en 'Mål N'-overskrift" in msg for line, msg in c.warnings)
    assert any("ikke nummereret 1–3" in msg for _, msg in c.warnings)


def test_word_contract_with_real_tables(tmp_path):
    import docx

    from kkrdesk.ingest.readers import read_document

    document = docx.Document()
    document.add_heading("Resultatkontrakt 2030", level=1)
    document.add_paragraph("Aftale mellem KKR Nordjylland og Erhvervshus Nordjylland.")
    document.add_heading("Mål 1 – Kendskab", level=3)
    table = document.add_table(rows=3, cols=2)
    for row, (label, text) in zip(table.rows, [
        ("Mål", "Mindst 60 procent af virksomhederne kender erhvervshuset i 2030."),
        ("Metode", "Erhvervsstyrelsen måler kendskabet."),
        ("Afrapportering", "Afrapportering til KKR sker en gang årligt. Målet er 100 pct. opfyldt, når kendskabet er mindst 60 procent."),
    ], strict=True):
        row.cells[0].text, row.cells[1].text = label, text
    path = tmp_path / "kontrakt.docx"
    document.save(str(path))

    (c,) = extract_contracts(normalise(read_document(path)))
    assert (c.year, c.parties) == (2030, ["KKR Nordjylland", "Erhvervshus Nordjylland"])
    (g,) = c.goals
    assert (g.number, g.title, g.method) == ("1", "Kendskab", "Erhvervsstyrelsen måler kendskabet.")
    assert [(t.value, t.unit, t.comparator, t.year) for t in g.all_targets()] == [(60, "procent", ">=", 2030)]
    assert g.fulfilment_rule == "Målet er 100 pct. opfyldt, når kendskabet er mindst 60 procent."
    assert g.reporting == "Afrapportering til KKR sker en gang årligt."


MISSING_HEADING_AND_ODD_TOTAL = """\
Afrapportering af resultatkontrakt 2031

Den samlede målopfyldelse på resultatkontrakten er 95%.

Mål 1 – Kendskab
Mål Mindst 60 procent kender huset i 2031.
Metode Erhvervsstyrelsen måler.
Afrapportering Afrapportering til KKR sker en gang årligt.
Mål Mindst 70 procent oplever effekt i 2031.
Metode Brugerevalueringen.
Afrapportering og målopfyldelse – Mål 1
Målopfyldelsen er 80 %

Mål 2 – Iværksættere
Afrapportering og målopfyldelse – Mål 2
Målopfyldelsen er 90 %
"""


def test_a_second_box_under_one_heading_and_an_overall_that_is_not_the_mean_are_flagged():
    (c,) = extract_contracts(lines_of(MISSING_HEADING_AND_ODD_TOTAL))
    g1 = c.goals[0]
    # the text is kept (both targets stay on Mål 1) but the doubt is recorded where it arose
    assert [t.value for t in g1.all_targets()] == [60, 70]
    assert any(line == 9 and "uden egen 'Mål N'-overskrift" in msg for line, msg in g1.warnings)
    assert any(line == 3 and "trykt som 95 %" in msg and "85 %" in msg for line, msg in c.warnings)
