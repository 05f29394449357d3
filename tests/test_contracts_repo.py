"""Storing contracts through the importer's interface and reading them back (API, JSON, CLI)."""

from __future__ import annotations

import json

from kkrdesk.cli import main
from kkrdesk.data.contracts.repo import goals_by_theme, list_contracts, themes
from kkrdesk.ingest.context import ExtractContext
from kkrdesk.ingest.contracts import store_contract
from kkrdesk.ingest.normalise import normalise
from tests.conftest import MEETING_PACK

SMALL = """\
Resultatkontrakt 2026
Denne resultatkontrakt er en aftale mellem de 11 nordjyske kommuner i KKR Nordjylland og Erhvervshus Nordjylland.

Mål 1 – Kendskab
Mål Mindst 55 procent kender erhvervshuset i 2026.
Metode Erhvervsstyrelsen måler.
Afrapportering Afrapportering til KKR sker en gang årligt.

Mål 2 – Effekt i virksomhederne
Mål Målet er, at mindst halvdelen oplever effekt.

6. Økonomi
Kommune 1.000 kr.
Aalborg 6.700
Læsø 55
Nordjylland i alt 6.750
"""


def _document(store, text: str, first_line: int = 1, kind: str = "contract") -> int:
    return store.db["documents"].insert({
        "file_name": "test.txt", "sha256": f"x{first_line}{len(text)}", "kind": kind, "title": None,
        "imported_at": "2026-11-23T06:00:00", "original_text": text, "normalised_text": text,
        "line_start": first_line, "line_end": first_line + text.count("\n"),
    }).last_pk


def _ctx(store, text: str, kind: str = "contract") -> ExtractContext:
    doc = _document(store, text, kind=kind)
    return ExtractContext(store.db, doc, kind, None, None, "test.txt", normalise(text))


def test_store_contract_writes_inside_the_callers_transaction(store):
    ctx = _ctx(store, SMALL)
    store.conn.execute("BEGIN")
    store_contract(ctx)
    assert store.conn.in_transaction  # nothing committed behind the importer's back
    store.conn.execute("ROLLBACK")
    assert store.db.execute("SELECT COUNT(*) FROM contracts").fetchone()[0] == 0


def test_goals_json_has_the_issue_structure(store):
    ctx = _ctx(store, SMALL)
    store_contract(ctx)
    (c,) = list_contracts(store.db)
    assert {"year", "document", "title", "overall_fulfilment_pct", "goals"} <= set(c)
    assert (c["year"], c["document_id"], c["title"], c["overall_fulfilment_pct"]) == (2026, ctx.document_id, "Resultatkontrakt 2026", None)
    assert c["document"] == "test.txt"  # the document's title, or its file name when it has none
    g1, g2 = c["goals"]
    assert {"number", "title", "scope", "theme", "indicators", "fulfilment_pct", "warnings", "source"} <= set(g1)
    assert (g1["number"], g1["title"], g1["theme"]) == ("1", "Kendskab", "Kendskab")
    (ind,) = g1["indicators"]
    assert {"label", "title", "text", "targets"} <= set(ind)
    assert ind["targets"][0]["value"] == 55 and isinstance(ind["targets"][0]["value"], int)
    assert {k: ind["targets"][0][k] for k in ("value", "unit", "comparator", "year")} == {
        "value": 55, "unit": "procent", "comparator": ">=", "year": 2026}
    assert ind["targets"][0]["source"] == {"document": "test.txt", "document_id": ctx.document_id, "line": 5}
    assert g1["source"] == {"document": "test.txt", "document_id": ctx.document_id, "line": 4}
    assert g1["key"] == "goal:2026:1"
    assert g1["warnings"] == [] and g2["warnings"] and "intet tal" in g2["warnings"][0]
    assert json.loads(json.dumps(c, ensure_ascii=False)) == c  # plain JSON all the way down


def test_warnings_reach_the_document_and_funding_becomes_figures(store):
    ctx = _ctx(store, SMALL)
    store_contract(ctx)
    assert any(line == 9 and "Mål 2" in msg for line, msg in ctx.warnings)
    rows = store.db.execute(
        "SELECT label, period, value, unit, is_total, flag, raw, line FROM figures WHERE dataset = 'basisbevilling' ORDER BY id"
    ).fetchall()
    assert rows == [
        ("Aalborg", "2026", 6700, "1.000 kr.", 0, None, "6.700", 14),
        ("Læsø", "2026", 55, "1.000 kr.", 0, None, "55", 15),
        ("I alt", "2026", 6750, "1.000 kr.", 1, "Summen af kommunerne er 6.755, men totalen er trykt som 6.750", "6.750", 16),
    ]
    assert store.db.execute("SELECT title FROM datasets WHERE name = 'basisbevilling'").fetchone()


def test_store_contract_is_quiet_on_other_documents(store):
    ctx = _ctx(store, "Kære minister\n\nTak for mødet.\n", kind="document")
    store_contract(ctx)
    assert ctx.warnings == [] and store.db.execute("SELECT COUNT(*) FROM contracts").fetchone()[0] == 0
    ctx = _ctx(store, "Resultatkontrakt 2026\n\nIngen mål her.\n", kind="contract")
    store_contract(ctx)
    assert ctx.warnings and "Ingen mål" in ctx.warnings[0][1]


def test_signature_columns_are_split_with_the_raw_text(store):
    # the 2019 style: two names on one line, columns separated by a wide gap in the raw text
    text = SMALL + "\nFor KKR Nordjylland   For Erhvervshus Nordjylland\nAnne Bo Hansen    Per Ib\nFormand for KKR Nordjylland  Formand for Erhvervshus Nordjylland\n"
    ctx = _ctx(store, text)
    store_contract(ctx)
    (c,) = list_contracts(store.db)
    assert [s["name"] for s in c["signatories"]] == ["Anne Bo Hansen", "Per Ib"]


# ---------------------------------------------------------------- the whole corpus through the importer

def test_corpus_contracts_by_year(corpus_store):
    found = [(c["year"], c["kind"], c["is_report"], len(c["goals"]), c["overall_fulfilment_pct"])
             for c in list_contracts(corpus_store.db)]
    assert found == [
        (2019, "resultatkontrakt", False, 9, None),
        (2021, "resultatkontrakt", False, 12, None),
        (2021, "rammeaftale", False, 8, None),
        (2022, "resultatkontrakt", True, 11, 98),
        (2024, "resultatkontrakt", True, 10, 97),
        (2026, "resultatkontrakt", False, 9, None),   # the bundled 2026 contract (#13)
    ]
    (c2024,) = list_contracts(corpus_store.db, year=2024)
    g4 = next(g for g in c2024["goals"] if g["number"] == "4")
    assert g4["fulfilment_pct"] == 100 and g4["scope"] == "national"


def test_corpus_theme_across_years(corpus_store):
    kendskab = goals_by_theme(corpus_store.db, "Kendskab")
    assert [(r["year"], r["number"], r["fulfilment_pct"]) for r in kendskab] == [
        (2021, "1", None), (2022, "1", 100), (2024, "2", 100), (2026, "2", None)]
    effekt = goals_by_theme(corpus_store.db, "Effekt i virksomhederne")
    assert [(r["year"], r["number"], r["fulfilment_pct"]) for r in effekt] == [
        (2019, "2", None), (2021, "7", None), (2022, "6", 76), (2024, "5", 82), (2026, "5", None)]
    assert effekt[-2]["outcome"]["value"] == 2.89 and effekt[-1]["outcome"] is None
    assert "Kendskab" in themes(corpus_store.db)


def test_corpus_basisbevilling_figures(corpus_store):
    rows = corpus_store.db.execute(
        "SELECT period, label, value, is_total, flag FROM figures WHERE dataset = 'basisbevilling' "
        "AND label IN ('Aalborg', 'Læsø', 'I alt') ORDER BY period, label"
    ).fetchall()
    assert [(p, label, v) for p, label, v, _, _ in rows] == [
        ("2019", "Aalborg", 5976), ("2019", "I alt", 16488), ("2019", "Læsø", 48),
        ("2021", "Aalborg", 6269), ("2021", "I alt", 17037), ("2021", "Læsø", 52),
        ("2024", "I alt", 18238),
        ("2026", "Aalborg", 7327), ("2026", "I alt", 19337), ("2026", "Læsø", 56),
    ]
    flags = {p: f for p, label, _, is_total, f in rows if is_total}
    assert flags["2019"] is None and "17.039" in flags["2021"] and flags["2026"] is None


def test_cli_goals_json(corpus_db_path, capsys):
    code = main(["--db", str(corpus_db_path), "goals", "--year", "2024", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    (c,) = json.loads(out)
    assert c["year"] == 2024 and c["overall_fulfilment_pct"] == 97
    g1 = c["goals"][0]
    assert g1["number"] == "1" and g1["scope"] == "national" and g1["theme"] == "Styrket indsats for iværksættere"
    assert {"value": 1200, "unit": "virksomheder", "comparator": ">=", "year": 2027}.items() <= g1["indicators"][0]["targets"][0].items()


def test_cli_goals_text_and_theme(corpus_db_path, capsys):
    assert main(["--db", str(corpus_db_path), "goals", "--year", "2019"]) == 0
    out = capsys.readouterr().out
    assert "Mål 1 – Virksomhedernes tilfredshed med den specialiserede vejledning" in out
    assert "mindst 60 NPS i 2019" in out and "mindst 50 NPS (giver 50 % opfyldelse)" in out
    assert main(["--db", str(corpus_db_path), "goals", "--theme", "Kendskab"]) == 0
    assert "2024  Mål 2 – Kendskab: 100 %" in capsys.readouterr().out


def test_a_whole_meeting_pack_is_left_to_its_bilag(store):
    text = MEETING_PACK.read_text(encoding="utf-8")
    doc = _document(store, text, kind="meeting-pack")
    ctx = ExtractContext(store.db, doc, "meeting-pack", None, None, MEETING_PACK.name, normalise(text))
    store_contract(ctx)
    assert store.db.execute("SELECT COUNT(*) FROM contracts").fetchone()[0] == 0
