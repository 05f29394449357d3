"""Golden facts from the notes about contracts, goals, targets, outcomes and basisbevilling.

The extractor runs on the normalised corpus files (as the importer hands them
over); the 2021 contract and the framework agreement are read from the item 3.4
range of the meeting pack, and the 2024 report also from the whole file.
"""

from __future__ import annotations

from functools import cache

import pytest

from kkrdesk.data.contracts.model import Contract, Goal
from kkrdesk.ingest.contracts import extract_contracts, looks_like_contract
from kkrdesk.ingest.normalise import normalise
from tests.conftest import BUNDLE_2024, CONTRACT_2019, MEETING_PACK, REPORT_2022


@cache
def _lines(path, first=1, last=10**9):
    return tuple(x for x in normalise(path.read_text(encoding="utf-8")) if first <= x.no <= last)


@cache
def _contracts(path, first=1, last=10**9) -> tuple[Contract, ...]:
    return tuple(extract_contracts(list(_lines(path, first, last))))


def c2019() -> Contract:
    (c,) = _contracts(CONTRACT_2019)
    return c


def c2021() -> Contract:
    return _contracts(MEETING_PACK, 2200, 3448)[0]


def framework2021() -> Contract:
    return _contracts(MEETING_PACK, 2200, 3448)[1]


def r2022() -> Contract:
    (c,) = _contracts(REPORT_2022)
    return c


def r2024() -> Contract:
    (c,) = _contracts(BUNDLE_2024, 1, 1614)
    return c


def goal(c: Contract, number: int) -> Goal:
    return next(g for g in c.goals if g.number == str(number))


def targets(g: Goal) -> list[tuple]:
    return [(t.value, t.unit, t.comparator, t.year) for t in g.all_targets()]


def outcome_values(g: Goal, measure: str | None = None) -> list:
    return [o.value for o in g.outcomes if measure is None or o.measure == measure]


# ------------------------------------------------------------------ kinds

def test_kind_detection_on_every_genre():
    assert looks_like_contract(list(_lines(CONTRACT_2019))) == "contract"
    assert looks_like_contract(list(_lines(REPORT_2022))) == "report"
    assert looks_like_contract(list(_lines(BUNDLE_2024, 1, 1614))) == "report"
    assert looks_like_contract(list(_lines(MEETING_PACK, 2200, 2878))) == "contract"
    # a letter and a survey from the same bundle are not contracts
    assert looks_like_contract(list(_lines(BUNDLE_2024, 1615, 1689))) is None
    assert looks_like_contract(list(_lines(BUNDLE_2024, 1690, 2183))) is None


# ------------------------------------------------------------------ 2019

def test_2019_contract_metadata():
    c = c2019()
    assert c.year == 2019 and c.kind == "resultatkontrakt" and not c.is_report
    assert c.parties == ["KKR Nordjylland", "Erhvervshus Nordjylland"]
    assert c.framework == "Aftale om rammerne for Erhvervshuse 2019-2020"
    assert c.in_force_from == "2019-01-01"
    assert c.overall_fulfilment_pct is None  # a contract, nothing reported


def test_2019_signatories_with_blank_date():
    sigs = c2019().signatories
    assert [(s["name"], s["role"]) for s in sigs] == [
        ("Arne Boelt", "Formand for KKR Nordjylland"),
        ("Mogens Christen Gade", "Formand for Erhvervshus Nordjylland"),
    ]
    assert all(s["date"] is None for s in sigs)  # "d.      /" is a blank template, not a date


def test_2019_nine_goals_split_by_scope():
    c = c2019()
    assert [g.number for g in c.goals] == [str(n) for n in range(1, 10)]
    assert [g.scope for g in c.goals] == ["national"] * 3 + ["fælles"] * 4 + ["regional"] * 2


def test_2019_exact_titles_including_wrapped_and_page_vs_overview():
    c = c2019()
    assert goal(c, 1).title == "Virksomhedernes tilfredshed med den specialiserede vejledning"
    assert goal(c, 3).title == "Etablering af fælles digital indgang til Erhvervshusene"
    assert goal(c, 3).overview_title == "Etablering af en fælles digital indgang til Erhvervshusene"
    assert goal(c, 5).title == "Specialiseret vejledning til Erhvervshusenes forskellige målgrupper"
    assert goal(c, 6).title == "Erhvervshusene som knudepunkter i erhvervsfremmesystemet"
    assert goal(c, 1).line_start == 642 and goal(c, 6).line_start == 878


def test_2019_mal1_nps_target_split_over_lines_and_half_fulfilment_level():
    g = goal(c2019(), 1)
    main = [t for t in g.all_targets() if t.fulfilment_level == 100]
    half = [t for t in g.all_targets() if t.fulfilment_level == 50]
    assert [(t.value, t.unit, t.comparator, t.year) for t in main] == [(60, "NPS", ">=", 2019)]
    assert main[0].line == 647  # "mindst" on 646, "60." on 647
    assert [(t.value, t.unit, t.comparator) for t in half] == [(50, "NPS", ">=")]
    assert half[0].line == 684


def test_2019_mal2_effect_target_and_50_pct_level_without_mindst():
    g = goal(c2019(), 2)
    assert (70, "procent", ">=", 2019) in targets(g)
    half = [t for t in g.targets if t.fulfilment_level == 50]
    assert [(t.value, t.unit, t.comparator) for t in half] == [(60, "procent", "=")]
    assert "Erhvervsstyrelsen" in g.method and "syv underspørgsmål" in g.method


def test_2019_rules_are_rules_not_results():
    c = c2019()
    assert all(not g.outcomes and g.fulfilment_pct is None for g in c.goals)
    g3 = goal(c, 3)
    assert g3.fulfilment_rule.startswith("Målet er 100 pct. opfyldt, når erhvervshusene har etableret")
    assert not [t for t in g3.all_targets() if t.fulfilment_level == 50]  # Mål 3 has only a 100 % criterion
    assert "de 4 indsatser er opfyldt" in goal(c, 6).fulfilment_rule
    assert "NES - Nordjyske Erhvervschefer" in goal(c, 4).method
    # Mål 8 and Mål 9 have identical rules and must stay two goals
    assert goal(c, 8).fulfilment_rule == goal(c, 9).fulfilment_rule


def test_2019_basisbevilling_table():
    c = c2019()
    rows = {r.label: (r.value, r.line) for r in c.funding}
    assert rows["Aalborg"] == (5976, 1143)
    assert rows["Læsø"] == (48, 1135)
    assert rows["I alt"] == (16488, 1147)
    assert len(rows) == 12 and c.funding_flag is None  # the 11 rows sum to the printed total


def test_2019_junk_tail_is_not_a_goal():
    # lines 1599-1721 hold an agenda heading "3.3 …" and URLs: no goal, no target from there
    c = c2019()
    assert max(g.line_end for g in c.goals) < 1110


# ------------------------------------------------------------------ 2021 (meeting pack, item 3.4)

def test_2021_contract_and_framework_are_told_apart():
    c, fw = c2021(), framework2021()
    assert (c.kind, c.year, c.title) == ("resultatkontrakt", 2021, "Resultatkontrakt for Erhvervshus Nordjylland 2021")
    assert (fw.kind, fw.year) == ("rammeaftale", 2021)
    assert fw.title == "Aftale om rammerne for erhvervshuse 2021-2023"
    assert fw.parties == ["Erhvervsministeriet (EM)", "Kommunernes Landsforening (KL)"]
    assert (fw.date, fw.in_force_from, fw.in_force_to) == ("2021-01-27", "2021-01-01", "2023-12-31")


def test_2021_twelve_goals_eight_national_four_regional():
    c = c2021()
    assert [g.number for g in c.goals] == [str(n) for n in range(1, 13)]
    assert [g.scope for g in c.goals] == ["national"] * 8 + ["regional"] * 4
    assert goal(c, 1).title == "Virksomhedernes kendskab til Erhvervshusene"
    assert goal(c, 1).line_start == 2393
    assert goal(c, 5).title == "Erhvervshusenes kriseberedskab"
    assert goal(c, 11).overview_title == "Grøn omstilling og cirkulær økonomi (regionalt)"


def test_2021_signatories_and_placeholder_dates():
    c = c2021()
    assert [s["name"] for s in c.signatories] == ["Arne Boelt", "Mogens Christen Gade"]
    assert all(s["date"] is None and "x/2" in s["date_text"] for s in c.signatories)
    assert c.in_force_from == "2021-01-01"


def test_2021_awareness_targets():
    g = goal(c2021(), 1)
    found = targets(g)
    assert (45, "procent", "=", 2021) in found          # ERHN 45 pct. in efteråret 2021
    assert (5, "procentpoint", "=", 2021) in found
    assert (50, "procent", ">=", 2023) in found
    # the baseline footnote (33 / NJ 40 pct.) is not a target
    assert not [t for t in g.all_targets() if t.value in (33, 40)]


def test_2021_mal4_and_mal12_targets():
    c = c2021()
    assert (45, "procent", ">=", 2021) in targets(goal(c, 4))
    g12 = goal(c, 12)
    assert (800, "virksomheder", ">=", None) in targets(g12)
    counts = {t.measure: t.value for t in g12.all_targets() if t.measure}
    assert counts == {"Vækst- & Driftsforløb": 350, "Korte forløb og Early Warning": 600}


def test_2021_rule_inside_afrapportering_cell():
    assert goal(c2021(), 9).fulfilment_rule == "Målet er 100% opfyldt, når de 4 indsatser er tilfredsstillende gennemført."


def test_2021_basisbevilling_total_differs_from_rows_and_is_flagged():
    c = c2021()
    rows = {r.label: r.value for r in c.funding}
    assert rows["Aalborg"] == 6269 and rows["Læsø"] == 52 and rows["I alt"] == 17037
    assert sum(v for k, v in rows.items() if k != "I alt") == 17039
    assert c.funding_flag and "17.039" in c.funding_flag and "17.037" in c.funding_flag
    assert any(line == 2550 and "17.037" in msg for line, msg in c.warnings)


def test_2021_framework_goal_targets():
    fw = framework2021()
    assert len(fw.goals) == 8 and all(g.scope == "national" for g in fw.goals)
    assert (50, "procent", ">=", 2023) in targets(goal(fw, 4))
    assert (45, "procent", ">=", 2021) in targets(goal(fw, 4))
    assert (70, "NPS", ">=", None) in targets(goal(fw, 3))
    g7 = targets(goal(fw, 7))
    assert (65, "procent", "=", 2021) in g7 and (70, "procent", "=", 2022) in g7 and (70, "procent", "=", 2023) in g7


# ------------------------------------------------------------------ 2022 report

def test_2022_report_overall_and_goal_fulfilment():
    c = r2022()
    assert c.is_report and c.year == 2022
    assert c.overall_fulfilment_pct == 98 and c.overall_line == 67
    assert c.framework == "Aftale om rammerne for Erhvervshuse 2021-2023"
    pcts = {g.number: g.fulfilment_pct for g in c.goals}
    assert pcts == {**{str(n): 100 for n in range(1, 12)}, "3": 99, "6": 76}
    assert [g.scope for g in c.goals] == ["national"] * 7 + ["lokal"] * 4
    assert goal(c, 3).fulfilment_line == 303 and goal(c, 6).fulfilment_line == 491


def test_2022_overview_and_section_titles_differ():
    g5 = goal(r2022(), 5)
    assert g5.title == "Grøn omstilling og cirkulær økonomi – nationalt mål"
    assert g5.overview_title == "Grøn omstilling og cirkulær økonomi"
    assert goal(r2022(), 11).overview_title == "Specialiseret vejledning til Erhvervshusenes forskellige målgrupper"


def test_2022_mal1_targets_and_results():
    g = goal(r2022(), 1)
    found = targets(g)
    assert (45, "procent", "=", 2021) in found and (50, "procent", ">=", 2023) in found
    assert not [t for t in g.all_targets() if t.year == 20203]  # "20203." is 2020 + footnote 3
    assert 83 in outcome_values(g, "resultat")


def test_2022_mal3_segments_nps_and_fulfilment():
    g = goal(r2022(), 3)
    assert (80, "procent", ">=", None) in targets(g) and (70, "NPS", ">=", None) in targets(g)
    assert {79, 83} <= set(outcome_values(g, "resultat"))
    assert 98.75 in outcome_values(g, "målopfyldelse")
    nps = [o for o in g.outcomes if o.unit == "NPS"]
    assert [(o.value, o.line) for o in nps] == [(84, 301)]


def test_2022_mal4_trajectory_and_result():
    g = goal(r2022(), 4)
    found = targets(g)
    assert (45, "procent", ">=", 2021) in found and (47, "procent", "=", 2022) in found and (50, "procent", "=", 2023) in found
    assert 77 in outcome_values(g, "resultat")


def test_2022_mal6_subgoals_targets_and_results():
    g = goal(r2022(), 6)
    found = targets(g)
    assert (65, "procent", "=", 2022) in found
    assert (10, "procentpoint", ">=", None) in found and (5, "procentpoint", ">=", None) in found
    results = {(o.value, o.unit) for o in g.outcomes if o.measure == "resultat"}
    assert {(81, "procent"), (5.73, "procentpoint"), (8.69, "procentpoint"), (7.02, "procentpoint")} <= results
    assert {57.3, 0, 76} <= set(outcome_values(g, "målopfyldelse"))
    # Mål 6's 81 % and Mål 7's 81 % stay two facts
    assert (81, "procent") in {(o.value, o.unit) for o in goal(r2022(), 7).outcomes}


def test_2022_mal5_green_awareness_target_2023():
    assert (74, "procent", "=", 2023) in targets(goal(r2022(), 5))
    assert 211 in outcome_values(goal(r2022(), 5), "resultat")


def test_2022_rules_do_not_become_results():
    c = r2022()
    for number in (8, 9, 10, 11):
        g = goal(c, number)
        assert g.fulfilment_rule.startswith("Målet er 100")
        assert g.fulfilment_line not in {639, 793, 936, 1070}
    assert goal(c, 8).fulfilment_line == 584


def test_2022_mal8_and_mal11_results():
    c = r2022()
    assert {1045, 110} <= set(outcome_values(goal(c, 8), "resultat"))
    g11 = goal(c, 11)
    assert {t.measure: t.value for t in g11.all_targets() if t.measure} == {
        "Vækst- & Driftsforløb": 350, "Korte forløb og Early Warning": 600}
    assert (800, "virksomheder", ">=", None) in targets(g11)
    assert {369, 566, 81, 1323, 935} <= set(outcome_values(g11, "resultat"))


def test_2022_no_goal_from_overview_header():
    assert all("indstilling" not in g.title for g in r2022().goals)


# ------------------------------------------------------------------ 2024 contract + report

def test_2024_overall_and_scopes():
    c = r2024()
    assert c.is_report and c.year == 2024 and c.overall_fulfilment_pct == 97
    assert c.framework == "Aftale om rammerne for erhvervshuse 2024-2027"
    assert [g.scope for g in c.goals] == ["national"] * 6 + ["regional"] * 4
    pcts = {g.number: g.fulfilment_pct for g in c.goals}
    assert pcts == {**{str(n): 100 for n in range(1, 11)}, "5": 82, "6": 87}
    assert goal(c, 4).overview_pct == 100  # printed inline with the title in the overview


def test_2024_titles():
    c = r2024()
    assert goal(c, 1).title == "Styrket indsats for iværksættere"
    assert goal(c, 8).title == "Styrket regionalt samarbejde, herunder knudepunktsfunktionen for erhvervsudvikling"
    assert goal(c, 10).title == "Specialiseret vejledning til Erhvervshusenes forskellige målgrupper"
    assert goal(c, 10).overview_title == "Specialiseret vejledning til erhvervshusenes forskellige målgrupper"


def test_2024_mal1_start_up_targets_and_result():
    g = goal(r2024(), 1)
    assert (1200, "virksomheder", ">=", 2027) in targets(g)
    assert (95, "virksomheder", "=", 2025) in targets(g) and (119, "virksomheder", "=", 2027) in targets(g)
    assert [(o.value, o.line) for o in g.outcomes if o.measure == "resultat"] == [(83, 359)]
    # the distribution "Nordjylland: 119" in the contract text is not a target of its own
    assert [t.line for t in g.all_targets() if t.value == 119] == [357]


def test_2024_mal2_awareness_targets_and_result():
    g = goal(r2024(), 2)
    found = targets(g)
    assert (50, "procent", ">=", None) in found
    assert (55, "procent", ">=", 2025) in found and (65, "procent", ">=", 2027) in found
    assert [(o.value, o.line) for o in g.outcomes if o.measure == "resultat"] == [(50, 397)]


def test_2024_mal3_to_mal6_results():
    c = r2024()
    assert (70, "NPS", ">=", None) in targets(goal(c, 3))
    assert [(o.value, o.line) for o in goal(c, 3).outcomes if o.measure == "resultat"] == [(93, 431), (94, 432)]
    assert outcome_values(goal(c, 4), "resultat") == [51]
    g5 = goal(c, 5)
    assert {(2.89, "procentpoint"), (6.13, "procentpoint"), (3.68, "procentpoint")} <= {
        (o.value, o.unit) for o in g5.outcomes}
    assert {28.9, 64.45, 82} <= set(outcome_values(g5, "målopfyldelse"))
    assert [o.indicator_label for o in g5.outcomes if o.value == 3.68] == ["Delmål 2"]
    assert outcome_values(goal(c, 6), "resultat") == [61]
    assert (70, "procent", "=", None) in targets(goal(c, 6))


def test_2024_mal10_volume_targets_and_realised():
    g = goal(r2024(), 10)
    assert (800, "virksomheder", ">=", None) in targets(g)
    assert {t.measure: t.value for t in g.all_targets() if t.measure} == {
        "Vækst- & Driftsforløb": 350, "Korte forløb og Early Warning": 600}
    realised = {o.measure: o.value for o in g.outcomes}
    assert realised["Vækst- og driftsforløb"] == 576
    assert realised["Korte forløb og Early Warning"] == 440
    assert (823, 1373) in {(o.value, o.line) for o in g.outcomes}
    assert (38.2, 1384) in {(o.value, o.line) for o in g.outcomes}


def test_2024_basisbevilling_only_printed_as_a_total_in_prose():
    rows = r2024().funding
    assert [(r.label, r.value, r.line, r.is_total) for r in rows] == [("I alt", 18238, 53, True)]


def test_2024_whole_file_stops_at_the_contract():
    (whole,) = _contracts(BUNDLE_2024)
    assert [g.number for g in whole.goals] == [str(n) for n in range(1, 11)]
    assert max(g.line_end for g in whole.goals) <= 1410  # Bilag 1 and the six other parts stay out
    assert goal(whole, 10).all_targets() == goal(r2024(), 10).all_targets()


# ------------------------------------------------------------------ themes across years

@pytest.mark.parametrize(
    ("contract", "number", "theme"),
    [
        (c2019, 1, "Virksomhedernes tilfredshed"),
        (c2019, 2, "Effekt i virksomhederne"),
        (c2021, 1, "Kendskab"),
        (r2022, 3, "Virksomhedernes tilfredshed"),
        (r2022, 10, "Grøn omstilling – regionalt mål"),
        (r2024, 1, "Styrket indsats for iværksættere"),
        (r2024, 2, "Kendskab"),
        (r2024, 5, "Effekt i virksomhederne"),
        (r2024, 8, "Styrket regionalt samarbejde"),
        (r2024, 9, "Grøn omstilling – regionalt mål"),
        (r2024, 10, "Specialiseret vejledning til målgrupperne"),
    ],
)
def test_themes_link_goals_across_years(contract, number, theme):
    assert goal(contract(), number).theme == theme


# ------------------------------------------------------------------ texts kept with each goal

def test_2019_goal_texts_keep_method_and_deliverables():
    c = c2019()
    g1 = goal(c, 1)
    assert "Erhvervsstyrelsen" in g1.method and "9-10 (promotors)" in g1.method and "0-6 (detractors)" in g1.method
    g6 = goal(c, 6)
    assert "Udenrigsministeriet, Vækstfonden og Innovationsfonden" in g6.goal_text
    assert "de kommende 3 år" in g6.goal_text
    assert "de 4 indsatser er realiseret" in g6.method


def test_report_texts_carry_the_narrative_results():
    c22 = r2022()
    assert "Bæredygtighedshjulet" in goal(c22, 5).report_text
    assert "Alle 5 indsatser er gennemført tilfredsstillende" in goal(c22, 9).report_text
    assert "oktober-december 2022" in goal(c22, 1).report_text
    assert {1.17, 1.85} <= set(outcome_values(goal(c22, 1), "resultat"))
    c24 = r2024()
    assert "5. december 2024" in goal(c24, 7).report_text
    assert "ca. DKK 79 mio." in goal(c24, 7).report_text
    assert "Nordjylland: 119" in goal(c24, 1).goal_text
    assert goal(c2019(), 1).report_text == ""  # a contract has no report text


def test_report_tables_become_labelled_outcomes():
    rows24 = {(o.measure, o.unit): o.value for o in goal(r2024(), 10).outcomes}
    assert rows24[("Bæredygtighed", "antal")] == 363 and rows24[("Bæredygtighed", "procent")] == 38.2
    assert rows24[("I alt", "antal")] == 950
    rows22 = {(o.measure, o.unit): (o.value, o.line) for o in goal(r2022(), 11).outcomes}
    # "17.9 %" with a decimal point in the share column, "17,6 %" with a comma
    assert rows22[("Internationalisering", "procent")] == (17.9, 1121)
    assert rows22[("Internationalisering", "antal")] == (236, 1121)
    assert rows22[("Digitalisering og automatisering", "antal")] == (233, 1113)
    assert rows22[("Bæredygtighed, grøn omstilling og cirkulær økonomi", "antal")][0] == 211
