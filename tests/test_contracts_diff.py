"""What changed from one contract year to the next (#17): goals by theme and wording, targets, delmål, budget.

2024 → 2026 is checked against the notes of both documents; a contract year nobody has seen
(2027, written here as a Word file in another layout, with Kendskab moved to Mål 1, a raised
target, a dropped goal and a new basisbevilling) must diff correctly against 2026.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from kkrdesk.cli import main
from kkrdesk.data.contracts.diff import contract_diff
from kkrdesk.data.store import open_store
from kkrdesk.ingest.importer import import_file
from tests.conftest import CORPUS


def _goal(diff: dict, *, to: str | None = None, frm: str | None = None) -> dict:
    return next(g for g in diff["goals"] if (to is None or (g["to"] or {}).get("number") == to)
                and (frm is None or (g["from"] or {}).get("number") == frm))


@pytest.fixture(scope="module")
def diff_2024_2026(corpus_db_path):
    s = open_store(corpus_db_path)
    try:
        yield contract_diff(s.db, 2024, 2026)
    finally:
        s.close()


def test_national_goals_are_matched_and_unchanged_by_the_notes(diff_2024_2026):
    d = diff_2024_2026
    assert (d["from"], d["to"]) == (2024, 2026)
    for number in ("2", "3", "4", "6"):
        g = _goal(d, to=number)
        assert g["change"] == "unchanged" and g["from"]["number"] == number, g
    kendskab = _goal(d, to="2")
    assert kendskab["theme"] == "Kendskab"
    assert {(t["from"]["text"], t["to"]["text"]) for t in kendskab["targets"]} == {
        ("mindst 50 %", "mindst 50 %"), ("mindst 55 % i 2025", "mindst 55 % i 2025"), ("mindst 65 % i 2027", "mindst 65 % i 2027")}
    effect = _goal(d, to="5")
    assert effect["change"] == "unchanged"        # the 2024 box's two bullets are 2026's Delmål 5.1 and 5.2
    assert effect["delmaal"] == {"added": [], "removed": []}


def test_mål_1_gets_the_2026_delmål_of_100_vejledninger(diff_2024_2026):
    g = _goal(diff_2024_2026, to="1")
    assert g["change"] == "changed"
    added = [t for t in g["targets"] if t["change"] == "added"]
    assert [(t["to"]["value"], t["to"]["unit"], t["to"]["year"]) for t in added] == [(100, "vejledninger", 2026)]
    kept = [t for t in g["targets"] if t["change"] == "unchanged"]
    assert [(t["to"]["value"], t["to"]["year"]) for t in kept] == [(1200, 2027)]


def test_regional_goals_matched_by_wording_not_number(diff_2024_2026):
    d = diff_2024_2026
    guidance = _goal(d, to="7")
    assert guidance["from"]["number"] == "10" and guidance["renumbered"]
    unique = next(t for t in guidance["targets"] if t["indicator_key"] == "unikke")
    assert (unique["change"], unique["from"]["value"], unique["to"]["value"]) == ("lowered", 800, 700)
    assert {d["label"] for d in guidance["delmaal"]["added"]} == {"Delmål 7.1", "Delmål 7.2"}
    assert _goal(d, to="8")["from"]["number"] == "7"        # styrket regional strategi → strategisk erhvervsudvikling
    assert _goal(d, to="9")["from"]["number"] == "8"        # regionalt samarbejde → bredt samarbejde
    removed = [g for g in d["goals"] if g["change"] == "removed"]
    assert [(g["from"]["number"], g["from"]["title"]) for g in removed] == [("9", "Bæredygtig og digital omstilling")]
    assert not [g for g in d["goals"] if g["change"] == "added"]


def test_basisbevilling_per_municipality_old_to_new(diff_2024_2026):
    b = diff_2024_2026["budget"]
    assert b["unit"] == "1.000 kr."
    assert b["total"] == {"from": 18238, "to": 19337, "change": 1099}
    rows = {m["municipality"]: m for m in b["municipalities"]}
    assert len(rows) == 11
    assert rows["Aalborg"] == {"municipality": "Aalborg", "from": None, "to": 7327, "change": None}   # 2024 prints only the total
    assert rows["Læsø"]["to"] == 56


def test_cli_diff_json_and_text(corpus_db_path, capsys):
    assert main(["--db", str(corpus_db_path), "contracts", "diff", "2024", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"from", "to", "goals", "budget"}
    assert set(data["goals"][0]) >= {"change", "theme", "from", "to", "targets"}
    assert set(data["goals"][0]["targets"][0]) >= {"indicator", "from", "to"}
    assert main(["--db", str(corpus_db_path), "contracts", "diff", "2024", "2026"]) == 0
    out = capsys.readouterr().out
    assert "mindst 800 virksomheder → mindst 700 virksomheder i 2026 (sænket)" in out
    assert "Basisbevilling (1.000 kr.): 18.238 → 19.337" in out
    assert main(["--db", str(corpus_db_path), "contracts", "diff", "2024", "2030"]) == 1
    assert "Ingen resultatkontrakt for 2030" in capsys.readouterr().err


# ---------------------------------------------------------------- a contract year we do not have, in another layout

def _contract_2027(tmp_path):
    from tests.kit.spec import spec
    from tests.kit.story import LAYOUTS
    from tests.kit.write_docx import write_docx

    base = spec("resultatkontrakt-2026.txt")
    goals = {g.number: g for g in base.goals}
    kendskab = dataclasses.replace(goals["2"], number="1",
                                   goal_text=goals["2"].goal_text.replace("mindst 50 procent", "mindst 60 procent"))
    order = [kendskab] + [dataclasses.replace(goals[n], number=str(i)) for i, n in enumerate(["1", "3", "4", "5", "6", "7", "9"], start=2)]
    funding = [(name, value + (100 if name == "Aalborg" else 0)) for name, value in base.funding]
    doc = dataclasses.replace(base, key="2027", title="Resultatkontrakt for Erhvervshus Nordjylland 2027", year=2027,
                              intro=[p.replace("2026", "2027") for p in base.intro], goals=order, funding=funding,
                              funding_total=sum(v for _, v in funding))
    return write_docx(doc, LAYOUTS[1], tmp_path / "resultatkontrakt-2027.docx")


def test_a_new_contract_year_in_another_layout_diffs_against_2026(tmp_path):
    s = open_store(tmp_path / "s.sqlite")
    try:
        import_file(s, CORPUS / "resultatkontrakt-2026.txt")
        import_file(s, _contract_2027(tmp_path))
        d = contract_diff(s.db, 2026, 2027)
    finally:
        s.close()
    kendskab = _goal(d, to="1")
    assert (kendskab["theme"], kendskab["from"]["number"], kendskab["renumbered"]) == ("Kendskab", "2", True)
    raised = [t for t in kendskab["targets"] if t["change"] == "raised"]
    assert [(t["from"]["value"], t["to"]["value"]) for t in raised] == [(50, 60)]
    assert _goal(d, to="2")["from"]["number"] == "1"          # iværksættere moved from Mål 1 to Mål 2
    removed = [g["from"]["title"] for g in d["goals"] if g["change"] == "removed"]
    assert removed == ["Styrket strategisk erhvervsudvikling"]
    aalborg = next(m for m in d["budget"]["municipalities"] if m["municipality"] == "Aalborg")
    assert (aalborg["from"], aalborg["to"], aalborg["change"]) == (7327, 7427, 100)
