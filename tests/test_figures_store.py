"""Figures through the store: store_figures, the read API, the importer and the CLI commands."""

from __future__ import annotations

import argparse
import json

import pytest

from kkrdesk.cli import figures as figures_cli
from kkrdesk.data.figures import dataset_rows, ensure_municipalities, list_datasets
from kkrdesk.data.lines import Line
from kkrdesk.data.municipalities import MUNICIPALITIES
from kkrdesk.data.store import open_store
from kkrdesk.ingest.context import ExtractContext
from kkrdesk.ingest.figures import store_figures
from kkrdesk.ingest.importer import import_file
from tests.conftest import BUNDLE_2024, MEETING_PACK

SOSU_TEXT = """\
Fordeling af lærepladser på SOSU-uddannelserne 2026 - Region Nordjylland
Social-
og sundhedshjælpere
Social-
og sundhedsassistenter
Dimensionering, 2025
Dimensionering, 2026
Dimensionering, 2025
Dimensionering, 2026
Aalborg 98 98 196 196
Læsø 1 1 4 4
Brønders-
lev 20 20 40 40
I alt 119 119 240 240
"""


def _document(store, text: str, title: str | None = "Testbilag") -> int:
    return store.db["documents"].insert({
        "file_name": "test.txt", "sha256": "x", "kind": "document", "title": title,
        "imported_at": "2026-11-23", "original_text": text, "normalised_text": text,
        "line_start": 1, "line_end": len(text.splitlines()),
    }).last_pk


def test_store_figures_writes_rows_with_provenance_and_warns(store):
    doc_id = _document(store, SOSU_TEXT)
    lines = [Line(i + 1, t) for i, t in enumerate(SOSU_TEXT.splitlines())]
    ctx = ExtractContext(store.db, doc_id, "document", "Testbilag", 2026, "test.txt", lines)
    store_figures(ctx)
    rows = dataset_rows(store.db, "sosu-dimensionering")
    aalborg = next(r for r in rows if r["label"] == "Aalborg" and r["period"] == "2026"
                   and r["measure"] == "Social- og sundhedsassistenter")
    assert aalborg["value"] == 196 and isinstance(aalborg["value"], int)
    assert (aalborg["document_id"], aalborg["document"], aalborg["line"]) == (doc_id, "Testbilag", 10)
    assert aalborg["municipality"] == "Aalborg"
    assert next(r for r in rows if r["label"] == "Brønderslev")["line"] == 12
    # 98 + 1 + 20 = 119: no warning; 196 + 4 + 40 = 240: none either
    assert ctx.warnings == []
    assert sum(1 for r in rows if r["is_total"]) == 4


def test_store_figures_flags_a_wrong_total_but_keeps_it(store):
    text = SOSU_TEXT.replace("I alt 119 119 240 240", "I alt 119 119 240 250")
    doc_id = _document(store, text, title=None)
    ctx = ExtractContext(store.db, doc_id, "document", None, None, "test.txt",
                         [Line(i + 1, t) for i, t in enumerate(text.splitlines())])
    store_figures(ctx)
    assert len(ctx.warnings) == 1 and ctx.warnings[0][0] == 14 and "250" in ctx.warnings[0][1]
    total = next(r for r in dataset_rows(store.db, "sosu-dimensionering")
                 if r["is_total"] and r["value"] == 250)
    assert total["flag"] and total["document"] == "test.txt"     # no title: the file name is the source


def test_municipalities_and_dataset_titles_seeded(store):
    ensure_municipalities(store.db)
    ensure_municipalities(store.db)   # idempotent
    names = [r[0] for r in store.db.execute("SELECT name FROM municipalities ORDER BY name")]
    assert names == sorted(MUNICIPALITIES)
    variants = json.loads(store.db.execute(
        "SELECT variants FROM municipalities WHERE name = 'Vesthimmerland'").fetchone()[0])
    assert "Vesthimmerlands Kommune" in variants
    doc_id = _document(store, "tom")
    store_figures(ExtractContext(store.db, doc_id, "document", None, None, "x.txt", [Line(1, "tom")]))
    titles = {d["name"]: d["title"] for d in list_datasets(store.db)}
    assert titles["sosu-dimensionering"] == "Lærepladser på SOSU-uddannelserne pr. kommune"
    assert titles["komponentanalyse"].startswith("Komponentanalysen")


@pytest.fixture(scope="module")
def imported():
    s = open_store(None)
    import_file(s, BUNDLE_2024)
    import_file(s, MEETING_PACK)
    yield s
    s.close()


def test_import_writes_every_dataset(imported):
    counts = {d["name"]: d["rows"] for d in list_datasets(imported.db)}
    assert counts["sosu-dimensionering"] == 44
    assert counts["komponentanalyse"] == 75
    assert counts["paedagog-dimensionering"] >= 10
    assert counts["boernehus-nord"] > 100 and counts["faellessekretariater"] > 50
    pedagog = dataset_rows(imported.db, "paedagog-dimensionering")
    assert {r["value"] for r in pedagog if r["period"] == "2020/2021"} == {517, 555}
    abl = next(r for r in dataset_rows(imported.db, "komponentanalyse")
               if r["label"] == "ABL § 105/85" and r["period"] == "2024" and r["measure"] == "Udgift (p/l-23)")
    assert abl["value"] == 1_172_227_145 and abl["line"] == 2265
    warnings = [m for (m,) in imported.db.execute("SELECT message FROM warnings")]
    assert any("4.402.802" in m for m in warnings)


def _parser():
    parser = argparse.ArgumentParser()
    figures_cli.register(parser.add_subparsers(dest="command"))
    return parser


def test_cli_figures_json_rows(imported, capsys):
    args = _parser().parse_args(["figures", "--dataset", "sosu-dimensionering", "--json"])
    assert args.handler(args, imported) == 0
    rows = json.loads(capsys.readouterr().out)
    aalborg = next(r for r in rows if r["label"] == "Aalborg" and r["period"] == "2026"
                   and r["measure"] == "Social- og sundhedshjælpere")
    assert aalborg["value"] == 98 and aalborg["unit"] == "lærepladser"
    assert aalborg["dataset"] == "sosu-dimensionering"
    assert aalborg["source"] == {"document": aalborg["source"]["document"], "line": 2235}
    assert "SOSU" in aalborg["source"]["document"]
    assert {"dataset", "label", "period", "measure", "value", "unit", "source"} <= set(aalborg)


def test_cli_figures_list_and_unknown_dataset(imported, capsys):
    args = _parser().parse_args(["figures", "--list", "--json"])
    assert args.handler(args, imported) == 0
    names = {d["name"] for d in json.loads(capsys.readouterr().out)}
    assert {"sosu-dimensionering", "paedagog-dimensionering", "komponentanalyse", "boernehus-nord",
            "faellessekretariater"} <= names
    args = _parser().parse_args(["figures", "--dataset", "findes-ikke", "--json"])
    assert args.handler(args, imported) == 2
    assert "findes-ikke" in capsys.readouterr().err


def test_cli_chart_writes_files(imported, tmp_path, capsys):
    for name, suffix, magic in (("sosu-dimensionering", ".png", b"\x89PNG"),
                                ("faellessekretariater", ".pdf", b"%PDF"),
                                ("paedagog-dimensionering", ".svg", b"<?xml")):
        out = tmp_path / f"{name}{suffix}"
        args = _parser().parse_args(["chart", name, "-o", str(out)])
        assert args.handler(args, imported) == 0
        assert out.read_bytes().startswith(magic)
    args = _parser().parse_args(["chart", "sosu-dimensionering", "-o", str(tmp_path / "x.gif")])
    assert args.handler(args, imported) == 2
    args = _parser().parse_args(["chart", "findes-ikke", "-o", str(tmp_path / "b.png")])
    assert args.handler(args, imported) == 1 and not (tmp_path / "b.png").exists()
    assert "ingen tal" in capsys.readouterr().err
