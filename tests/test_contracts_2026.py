"""Golden facts of the 2026 contract (notes: resultatkontrakt-2026.md), read from the bundled text.

The extractor runs on the normalised text as the importer hands it over, with the raw lines
(their underlined delmål titles); the CLI test reads the bundled store a first start builds.
"""

from __future__ import annotations

import json
import shutil
from functools import cache

import kkrdesk.data.bundled as bundled
from kkrdesk.cli import main
from kkrdesk.data.contracts import list_contracts
from kkrdesk.data.contracts.model import Contract, Goal
from kkrdesk.data.store import open_store
from kkrdesk.ingest.contracts import extract_contracts
from kkrdesk.ingest.kinds import detect_kind
from kkrdesk.ingest.normalise import normalise
from tests.conftest import CORPUS

CONTRACT_2026 = CORPUS / "resultatkontrakt-2026.txt"


@cache
def c2026() -> Contract:
    text = CONTRACT_2026.read_text(encoding="utf-8")
    raw = {i + 1: t for i, t in enumerate(text.split("\n"))}
    (c,) = extract_contracts(normalise(text), raw=raw)
    return c


def goal(number: int) -> Goal:
    return next(g for g in c2026().goals if g.number == str(number))


def targets(g: Goal) -> list[tuple]:
    return [(t.value, t.unit, t.comparator, t.year) for t in g.all_targets()]


def indicator(g: Goal, label: str):
    return next(i for i in g.indicators if i.label == label)


def test_kind_title_year_parties_and_one_contract():
    assert detect_kind(normalise(CONTRACT_2026.read_text(encoding="utf-8"))) == "contract"
    c = c2026()
    assert (c.kind, c.is_report, c.year) == ("resultatkontrakt", False, 2026)
    assert c.title == "Resultatkontrakt for Erhvervshus Nordjylland 2026"          # fact 1
    assert c.parties == ["KKR Nordjylland", "Erhvervshus Nordjylland"]
    assert c.framework == "Aftale om rammerne for erhvervshuse 2024-2027"
    assert c.in_force_from == "2026-01-01"


def test_nine_goals_scope_and_titles():
    c = c2026()
    assert [g.number for g in c.goals] == [str(n) for n in range(1, 10)]          # fact 2
    assert [g.scope for g in c.goals] == ["national"] * 6 + ["regional"] * 3
    assert goal(9).title == "Bredt samarbejde til gavn for nordjyske virksomheder"  # fact 3 (an H3 heading)
    assert goal(7).title == "Øget konkurrencekraft i nordjyske virksomheder"        # fact 4
    assert [g.title for g in c.goals] == [g.overview_title for g in c.goals]
    assert [g.line_start for g in c.goals] == [157, 165, 173, 181, 189, 197, 205, 222, 247]
    assert not c.warnings


def test_mal1_national_and_own_targets():
    g = goal(1)
    assert (1200, "virksomheder", ">=", 2027) in targets(g)                         # fact 6
    assert (100, "vejledninger", "=", 2026) in targets(g)                           # fact 5
    assert "Nordjylland: 119" in g.goal_text and "Fordeling 2024" in g.goal_text    # fact 7
    assert "fælles CRM" in g.method and "medio 2026" in g.reporting


def test_mal2_to_mal4_targets():
    t2 = targets(goal(2))
    assert (50, "procent", ">=", None) in t2                                        # fact 9
    assert (55, "procent", ">=", 2025) in t2 and (65, "procent", ">=", 2027) in t2  # fact 8
    assert not [t for t in t2 if t[3] == 2026]                                     # no 2026 value is printed
    assert targets(goal(3)) == [(70, "NPS", ">=", None)]                            # fact 10
    assert targets(goal(4)) == [(50, "procent", ">=", None)]                        # fact 11


def test_mal5_delmaal_and_method():
    g = goal(5)
    assert [(i.label, i.title) for i in g.indicators] == [
        ("Delmål 5.1", "Vækstsegment"), ("Delmål 5.2", "Driftssegment")]
    assert [(t.value, t.unit, t.comparator) for t in indicator(g, "Delmål 5.1").targets] == [
        (10, "procentpoint", ">="), (5, "procentpoint", ">=")]                       # fact 12
    assert "mervækst i produktivitet" in indicator(g, "Delmål 5.2").text
    assert "omsætning per årsværk" in g.method and "brugerevaluering i 2024" in g.method  # fact 13


def test_mal6_sustainability():
    g = goal(6)
    assert targets(g) == [(70, "procent", "=", None)]                               # fact 14
    assert '"i høj grad"' in g.goal_text and "miljø- og klimaforhold" in g.goal_text


def test_mal7_both_delmaal_across_the_page_break():
    g = goal(7)
    d71, d72 = g.indicators
    assert (d71.label, d71.title) == ("Delmål 7.1", "Specialiseret vejledning")
    assert [(t.value, t.unit, t.comparator, t.year) for t in d71.targets] == [(700, "virksomheder", ">=", 2026)]  # fact 15
    assert "Vækstforløb, Driftsforløb, Korte forløb samt Early Warning forløb" in d71.text  # fact 17
    assert "forsvarsindustrien og den grønne omstilling" in d71.text            # the continuation after the break
    assert (d72.label, d72.title) == ("Delmål 7.2", "Flest mulige nationale midler til Nordjylland")  # fact 16
    assert [(t.value, t.unit, t.comparator) for t in d72.targets] == [(10, "procent", ">=")]
    assert (d71.line_start, d72.line_start) == (215, 218)
    assert g.fulfilment_rule.startswith("Målet er 100 pct. opfyldt, når der foreligger en afrapportering")


def test_mal8_four_delmaal_and_the_continued_8_4():
    g = goal(8)
    assert [(i.label, i.title) for i in g.indicators] == [
        ("Delmål 8.1", "Målrettet indsats ift. produktiviteten i Nordjylland"),
        ("Delmål 8.2", "Flere internationale medborgere til Nordjylland"),
        ("Delmål 8.3", "Erhvervsfyrtårn CO2Vision"),
        ("Delmål 8.4", "Forsvarsrettet vejledningsindsats i Nordjylland"),
    ]
    assert "Samarbejdsplatform, Infrastruktur, Anlægsinvesteringer og Arbejdskraft" in indicator(g, "Delmål 8.3").text  # fact 18
    d84 = indicator(g, "Delmål 8.4")
    assert "plan for kompetenceudvikling af Erhvervshusets forretningsudviklere" in d84.text   # fact 19
    assert "dialogværktøj" in d84.text and (d84.line_start, d84.line_end) == (240, 243)
    assert g.all_targets() == []   # qualitative milestones: no number to chart
    assert "ultimo 2026" in g.method
    assert g.fulfilment_rule == (
        "Målet er 100% opfyldt, når de fire indsatser er tilfredsstillende gennemført efter vurdering af KKR Nordjylland.")


def test_mal9_four_delmaal_and_the_rule_after_the_box():
    g = goal(9)
    assert [(i.label, i.title) for i in g.indicators] == [
        ("Delmål 9.1", "Samarbejdsaftaler med erhvervsfremmeaktører"),
        ("Delmål 9.2", "Faglige ressourcegrupper med regionalt fokus på tværs af aktører"),
        ("Delmål 9.3", "Samarbejdsindsats ift. iværksættere"),
        ("Delmål 9.4", "Samlet netværks- og samarbejdsindsats ift. forsvar"),
    ]
    assert "Digital Lead, Energy Cluster Denmark, MADE, Odense Robotics og We Build Denmark" in indicator(g, "Delmål 9.1").text  # 21
    assert "Bæredygtighed, Digitalisering og Internationalisering" in indicator(g, "Delmål 9.2").text  # fact 20
    assert "Styrket nordjysk iværksætterindsats" in indicator(g, "Delmål 9.3").text
    assert "DI, Censec, STAR, EIFO samt FMI, ETK og NFC" in indicator(g, "Delmål 9.4").text
    assert g.reporting == "Afrapportering til KKR sker en gang årligt."
    # line 266: the criterion stands outside the table, and the stray "--" after it is no text
    assert g.fulfilment_rule == (
        "Målet er 100% opfyldt, når de fire indsatser er gennemført tilfredsstillende efter vurdering af KKR Nordjylland.")
    assert "--" not in g.reporting and g.line_end < 269


def test_basisbevilling_table_in_source_order_with_total():
    rows = c2026().funding
    parts = [(r.label, r.value, r.line) for r in rows if not r.is_total]
    assert len(parts) == 11 and parts[0] == ("Morsø", 637, 276) and parts[-1] == ("Hjørring", 2065, 286)
    values = dict((label, value) for label, value, _ in parts)
    assert values["Aalborg"] == 7327 and values["Læsø"] == 56                       # fact 23
    (total,) = [r for r in rows if r.is_total]
    assert (total.value, total.line, total.raw) == (19337, 287, "19.337")           # fact 22
    assert sum(values.values()) == 19337 and c2026().funding_flag is None


def test_programme_portfolio_as_printed():
    p = c2026().portfolio                                                           # fact 24
    assert (p.value, p.line, p.raw) == (31.8, 60, "forventet i omegnen af 31,8 mio. kr.")


def test_signatories_and_dates():
    sigs = c2026().signatories                                                      # fact 25
    assert [(s["name"], s["role"], s["date"], s["date_text"]) for s in sigs] == [
        ("Mogens Christen Gade", "Formand for Erhvervshus Nordjylland", "2026-03-18", "d. 18/03 - 2026"),
        ("Michael Klitgaard", "Formand for KKR Nordjylland", "2026-03-27", "d. 27/03 – 2026"),
    ]


def test_titles_without_marks_are_the_same():
    """The normalised lines alone (no raw marks): the sentence-start rule finds the same delmål titles."""
    (plain,) = extract_contracts(normalise(CONTRACT_2026.read_text(encoding="utf-8")))
    assert [(i.label, i.title) for g in plain.goals for i in g.indicators] == [
        (i.label, i.title) for g in c2026().goals for i in g.indicators]


def test_goals_json_on_the_bundled_store(capsys):
    """Done when: `goals --year 2026 --json` on the bundled store gives one contract, 9 goals, every delmål."""
    assert main(["goals", "--year", "2026", "--json"]) == 0
    (c,) = json.loads(capsys.readouterr().out)
    assert (c["year"], c["file_name"], len(c["goals"])) == (2026, "resultatkontrakt-2026.txt", 9)
    labels = [i["label"] for g in c["goals"] for i in g["indicators"] if i["printed_label"]]
    assert labels == ["Delmål 5.1", "Delmål 5.2", "Delmål 7.1", "Delmål 7.2",
                      "Delmål 8.1", "Delmål 8.2", "Delmål 8.3", "Delmål 8.4",
                      "Delmål 9.1", "Delmål 9.2", "Delmål 9.3", "Delmål 9.4"]
    g7 = c["goals"][6]
    assert g7["indicators"][1]["title"] == "Flest mulige nationale midler til Nordjylland"
    assert g7["indicators"][1]["source"]["line"] == 218
    assert main(["figures", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    rows = figures if isinstance(figures, list) else figures.get("figures", [])
    b26 = {r["label"]: r["value"] for r in rows if r.get("dataset") == "basisbevilling" and str(r.get("period")) == "2026"}
    assert b26["I alt"] == 19337 and b26["Aalborg"] == 7327 and len(b26) == 12
    (portfolio,) = [r for r in rows if r.get("dataset") == "programportefolje" and str(r.get("period")) == "2026"]
    assert (portfolio["value"], portfolio["unit"]) == (31.8, "mio. kr.")                 # fact 24


def test_an_older_bundle_store_picks_up_the_2026_contract(tmp_path, monkeypatch):
    """A store built by an app without the 2026 file gets it on the next start; the user's own import stays."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "resultatkontrakt-2026.txt").unlink()
    monkeypatch.setattr(bundled, "corpus_dir", lambda: corpus)
    path = bundled.ensure_default_store()
    s = open_store(path)
    assert list_contracts(s.db, year=2026) == []
    own = tmp_path / "eget-notat.txt"
    own.write_text("Notat om erhvervsfremme i Nordjylland.\n", encoding="utf-8")
    from kkrdesk.ingest.importer import import_file

    import_file(s, own)
    s.close()
    shutil.copy(CONTRACT_2026, corpus / "resultatkontrakt-2026.txt")   # the newer app's bundle
    assert bundled.ensure_default_store() == path
    s = open_store(path)
    (c,) = list_contracts(s.db, year=2026)
    names = {r[0] for r in s.conn.execute("SELECT file_name FROM documents WHERE parent_id IS NULL")}
    origin = s.conn.execute("SELECT origin FROM documents WHERE file_name = 'resultatkontrakt-2026.txt'").fetchone()[0]
    s.close()
    assert len(c["goals"]) == 9 and origin == "bundle"
    assert {"eget-notat.txt", "resultatkontrakt-2024-afrapportering-og-kkr-bilag-2025.txt"} <= names
