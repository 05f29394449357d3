"""The corpus contracts and reports written as Word and PDF in three layouts give the text version's facts (#13).

Each document of the corpus is written by the kit (`tests/kit`) as DOCX (python-docx), as PDF
typeset by reportlab, and as PDF exported by LibreOffice from the DOCX, in three layouts (goal
box as a table or as paragraphs, colon/dash/bare goal headings, scope by section, overview table
or overview lists, budget by name or by size, with and without page headers and numbers).
Every file goes through `import_file` and is read back through the read API behind
`goals --json` and `figures --json`; its facts are compared with the text version's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kkrdesk.data.store import open_store
from tests.kit.facts import import_facts, store_facts
from tests.kit.spec import spec
from tests.kit.story import LAYOUTS
from tests.kit.write_docx import write_docx
from tests.kit.write_pdf import convert_to_pdf, soffice, write_pdf

DOCUMENTS = [
    "resultatkontrakt-2019.txt",
    "afrapportering-resultatkontrakt-2022.txt",
    "resultatkontrakt-2024-afrapportering-og-kkr-bilag-2025.txt",
    "resultatkontrakt-2026.txt",
]
FORMATS = ["docx", "pdf", "soffice-pdf"]
WANTED = 0.95

def _cases():
    for name in DOCUMENTS:
        for layout in LAYOUTS:
            for fmt in FORMATS:
                yield pytest.param(name, layout.name, fmt, id=f"{name.split('.')[0]}-{layout.name}-{fmt}")


@pytest.fixture(scope="session")
def kit_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kit")


@pytest.fixture(scope="session")
def soffice_pdfs(kit_dir) -> dict[Path, Path]:
    """Every kit DOCX converted by LibreOffice, once per session (it is slow to start)."""
    if soffice() is None:
        return {}
    files = [_docx(kit_dir, name, layout.name) for name in DOCUMENTS for layout in LAYOUTS]
    converted = convert_to_pdf(files, kit_dir / "soffice")
    return dict(zip(files, converted, strict=True))


def _docx(folder: Path, name: str, layout_name: str) -> Path:
    path = folder / f"{Path(name).stem}-{layout_name}.docx"
    if not path.exists():
        layout = next(x for x in LAYOUTS if x.name == layout_name)
        write_docx(spec(name), layout, path)
    return path


_RESULTS: dict[tuple[str, str, str], tuple[set, dict]] = {}


@pytest.fixture(scope="session")
def gold(corpus_db_path) -> dict[str, set]:
    """The facts of each corpus text, imported the ordinary way (the session's corpus store)."""
    store = open_store(corpus_db_path)
    try:
        return {name: store_facts(store, spec(name).year, spec(name).is_report) for name in DOCUMENTS}
    finally:
        store.close()


def _import(kit_dir: Path, soffice_pdfs: dict, name: str, layout_name: str, fmt: str) -> tuple[set, dict]:
    key = (name, layout_name, fmt)
    if key not in _RESULTS:
        s = spec(name)
        layout = next(x for x in LAYOUTS if x.name == layout_name)
        if fmt == "docx":
            path = _docx(kit_dir, name, layout_name)
        elif fmt == "pdf":
            path = write_pdf(s, layout, kit_dir / f"{Path(name).stem}-{layout_name}.pdf")
        else:
            if not soffice_pdfs:
                pytest.skip("LibreOffice (soffice) is not installed: no Word → PDF conversion")
            path = soffice_pdfs[_docx(kit_dir, name, layout_name)]
        _RESULTS[key] = import_facts(path, s.year, s.is_report)
    return _RESULTS[key]


def _score(gold: set, got: set) -> tuple[float, list]:
    missing = sorted(gold - got, key=str)
    return 1 - len(missing) / len(gold), missing


@pytest.mark.parametrize("name,layout_name,fmt", list(_cases()))
def test_reader_gives_the_text_versions_facts(gold, kit_dir, soffice_pdfs, name, layout_name, fmt):
    """What the readers answer for: every fact but the goal's scope (that is the extractor's reading of sections)."""
    got, info = _import(kit_dir, soffice_pdfs, name, layout_name, fmt)
    assert info["meetings"] == 0 and info["contracts"] == 1, info   # one contract, no bundle, no meeting
    wanted = {f for f in gold[name] if f[0] != "scope"}
    score, missing = _score(wanted, {f for f in got if f[0] != "scope"})
    assert score >= WANTED, f"{score:.1%} of {len(wanted)} facts; missing {missing[:12]}"


@pytest.mark.parametrize("name,layout_name,fmt", list(_cases()))
def test_every_golden_fact_on_every_layout(gold, kit_dir, soffice_pdfs, name, layout_name, fmt):
    got, _info = _import(kit_dir, soffice_pdfs, name, layout_name, fmt)
    score, missing = _score(gold[name], got)
    assert score >= WANTED, f"{score:.1%} of {len(gold[name])} facts; missing {missing[:12]}"


def test_the_2026_contract_as_word_and_pdf_keeps_its_golden_facts(kit_dir, soffice_pdfs):
    """Notes, resultatkontrakt-2026 §6: 9 goals, Delmål 7.1–7.2, 8.1–8.4, 9.1–9.4, basisbevilling 19.337 (Aalborg 7.327, Læsø 56)."""
    name = "resultatkontrakt-2026.txt"
    for fmt in ("docx", "pdf"):
        got, info = _import(kit_dir, soffice_pdfs, name, "tabel-bar-lister", fmt)
        goals = sorted((f[1], f[2]) for f in got if f[0] == "mål")
        assert [n for n, _ in goals] == sorted(str(n) for n in range(1, 10)), fmt
        assert ("9", "Bredt samarbejde til gavn for nordjyske virksomheder") in goals
        assert ("7", "Øget konkurrencekraft i nordjyske virksomheder") in goals
        delmaal = sorted(f[2] for f in got if f[0] == "delmål")
        assert delmaal == ["Delmål 5.1", "Delmål 5.2", "Delmål 7.1", "Delmål 7.2", *(f"Delmål 8.{i}" for i in range(1, 5)),
                           *(f"Delmål 9.{i}" for i in range(1, 5))], fmt
        scopes = {f[1]: f[2] for f in got if f[0] == "scope"}
        assert [scopes[str(n)] for n in range(1, 10)] == ["national"] * 6 + ["regional"] * 3
        assert ("basisbevilling", "Aalborg", 7327, False) in got and ("basisbevilling", "Læsø", 56, False) in got
        assert any(f[0] == "basisbevilling" and f[2] == 19337 and f[3] for f in got)
        assert info["kind"] == "contract"
