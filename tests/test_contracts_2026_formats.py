"""The 2026 contract as Word and PDF (the readers' test kit, three layouts each, and Word → PDF through
LibreOffice) gives its text version's facts.

Facts compared: goal numbers, titles and scopes; every printed delmål with its title; every target
(value, unit, comparator, year); the fulfilment rules; the basisbevilling rows. A PDF's facts also
carry the page they were printed on, so provenance is document, page and line.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from kkrdesk.data.contracts import list_contracts
from kkrdesk.data.store import open_store
from kkrdesk.ingest.importer import import_file
from tests.conftest import CORPUS
from tests.kit.spec import spec
from tests.kit.story import LAYOUTS
from tests.kit.write_docx import write_docx
from tests.kit.write_pdf import convert_to_pdf, soffice, write_pdf

NAME = "resultatkontrakt-2026.txt"


def facts(store, document_id: int) -> set[tuple]:
    (c,) = [c for c in list_contracts(store.db) if c["document_id"] == document_id]
    out: set[tuple] = {("goals", len(c["goals"]))}
    for g in c["goals"]:
        out.add(("goal", g["number"], g["title"], g["scope"]))
        out.add(("rule", g["number"], " ".join((g["fulfilment_rule"] or "").split())))
        out |= {("delmål", g["number"], i["label"], i["title"]) for i in g["indicators"] if i["printed_label"]}
        out |= {("target", g["number"], t["value"], t["unit"], t["comparator"], t["year"]) for t in g["targets"]}
    rows = store.db.execute(
        "SELECT label, value FROM figures WHERE dataset = 'basisbevilling' AND document_id = ?", (document_id,)).fetchall()
    return out | {("budget", label, value) for label, value in rows}


@cache
def text_facts() -> frozenset:
    s = open_store(None)
    result = import_file(s, CORPUS / NAME)
    found = frozenset(facts(s, result.document_id))
    s.close()
    return found


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("kit2026")
    out: dict[tuple[str, str], Path] = {}
    for layout in LAYOUTS:
        out[(layout.name, "docx")] = write_docx(spec(NAME), layout, folder / f"{layout.name}.docx")
        out[(layout.name, "pdf")] = write_pdf(spec(NAME), layout, folder / f"{layout.name}.pdf")
    return out


def test_the_text_version_has_the_golden_facts():
    found = text_facts()
    assert ("goals", 9) in found
    assert {f[2] for f in found if f[0] == "delmål"} == {
        "Delmål 5.1", "Delmål 5.2", "Delmål 7.1", "Delmål 7.2", "Delmål 8.1", "Delmål 8.2", "Delmål 8.3", "Delmål 8.4",
        "Delmål 9.1", "Delmål 9.2", "Delmål 9.3", "Delmål 9.4"}
    assert ("delmål", "7", "Delmål 7.2", "Flest mulige nationale midler til Nordjylland") in found
    assert ("target", "7", 700, "virksomheder", ">=", 2026) in found
    assert ("budget", "I alt", 19337) in found and ("budget", "Læsø", 56) in found


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("layout", [layout.name for layout in LAYOUTS])
def test_word_and_pdf_give_the_text_facts(store, written, layout, fmt):
    result = import_file(store, written[(layout, fmt)])
    assert result.kind == "contract"
    assert store.db.execute("SELECT COUNT(*) FROM contracts").fetchone()[0] == 1   # one contract, no overview twin
    assert store.db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] == 0    # not filed as a bundle
    found = facts(store, result.document_id)
    expected = text_facts()
    assert found - expected == set() and expected - found == set()


def test_word_through_libreoffice_gives_the_text_facts(store, written, tmp_path):
    """Word exported to PDF by LibreOffice (its own line breaks, a title wrapped over two lines)."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    docs = [written[(layout.name, "docx")] for layout in LAYOUTS]
    for pdf in convert_to_pdf(docs, tmp_path):
        result = import_file(store, pdf)
        assert result.kind == "contract"
        found = facts(store, result.document_id)
        assert found ^ text_facts() == set(), pdf.name
    assert store.db.execute("SELECT COUNT(*) FROM contracts").fetchone()[0] == len(LAYOUTS)


def test_pdf_facts_know_their_page(store, written):
    result = import_file(store, written[(LAYOUTS[0].name, "pdf")])
    (c,) = list_contracts(store.db)
    pages = [g["source"]["page"] for g in c["goals"]]
    assert pages == sorted(pages) and pages[0] >= 1 and pages[-1] > pages[0]
    g9 = c["goals"][8]
    delmaal_pages = [i["source"]["page"] for i in g9["indicators"]]
    assert delmaal_pages == sorted(delmaal_pages) and delmaal_pages[0] >= g9["source"]["page"]
    t700 = next(t for t in c["goals"][6]["targets"] if t["value"] == 700)
    assert t700["source"]["page"] >= c["goals"][6]["source"]["page"]
    stored = store.db.execute("SELECT COUNT(*) FROM targets WHERE page IS NOT NULL").fetchone()[0]
    assert stored == store.db.execute("SELECT COUNT(*) FROM targets").fetchone()[0] > 0
    assert result.document_id == c["document_id"]
