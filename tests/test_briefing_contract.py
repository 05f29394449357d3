"""Contract briefing pack (#6) and the pieces both packs share (tables, atomic write, fonts)."""

from __future__ import annotations

import re

import pytest
from reportlab.platypus import Paragraph

from kkrdesk.briefing import PackError, build_contract_pack
from kkrdesk.briefing.atomic import atomic_target
from kkrdesk.briefing.contract_pack import funding_flowables, target_text
from kkrdesk.briefing.doc import PackInfo, write_pack
from kkrdesk.briefing.figures import figure_rows_table
from kkrdesk.briefing.readback import outline_titles, page_texts, unembedded_fonts
from kkrdesk.briefing.tables import build_table, header_rows, text_table
from kkrdesk.briefing.text import strip_cover_residue
from kkrdesk.cli import main


def _flat(texts: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(texts))


def _cell_text(cell) -> str:
    if isinstance(cell, list | tuple):   # a split table holds its cells as flowable lists
        return " ".join(_cell_text(c) for c in cell)
    return cell.getPlainText() if isinstance(cell, Paragraph) else str(cell)


@pytest.fixture(scope="module")
def report_2022(corpus_db_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("contract") / "kontrakt-2022.pdf"
    assert main(["--db", str(corpus_db_path), "pack", "--contract", "2022", "-o", str(out)]) == 0
    return out, page_texts(out)


def test_contract_pack_outline_has_contract_goals_and_funding(report_2022):
    path, _ = report_2022
    entries = outline_titles(path)
    assert entries[0] == (0, "Afrapportering af resultatkontrakt 2022")
    goals = [t for level, t in entries if level == 1]
    assert len(goals) == 11
    assert goals[0] == "Mål 1 – Virksomhedernes kendskab til Erhvervshusene"
    assert (0, "Basisbevilling pr. kommune") in entries
    assert entries[-1] == (0, "Ændringer fra 2021 til 2022")     # what changed since the year before (#17)


def test_contract_pack_text_goals_targets_and_fulfilment(report_2022):
    path, texts = report_2022
    text = _flat(texts)
    assert "Resultatkontrakt 2022" in texts[0]
    assert "Mål 1 – Virksomhedernes kendskab til Erhvervshusene" in text
    assert "Delmål og måltal" in text and "mindst 50 %" in text
    assert "Samlet målopfyldelse: 98 %" in text
    assert "Kendskab over årene" in text            # the cross-year chart of the theme
    assert f"Side {len(texts)} af {len(texts)}" in texts[-1]
    assert unembedded_fonts(path) == []


def test_funding_table_in_danish_format(corpus_store, tmp_path):
    out = tmp_path / "bevilling.pdf"
    write_pack(funding_flowables(corpus_store.db, 2021), PackInfo("Test", "2021", "test"), out)
    text = _flat(page_texts(out))
    assert "Basisbevilling 2021 (1.000 kr.)" in text
    assert "Aalborg 6.269 2548" in text
    assert "I alt 17.037" in text
    assert unembedded_fonts(out) == []


def test_unknown_contract_year(corpus_store, tmp_path):
    with pytest.raises(PackError):
        build_contract_pack(corpus_store.db, 1999, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_target_text_is_danish():
    assert target_text({"value": 50, "unit": "procent", "comparator": ">="}) == "mindst 50 %"
    assert target_text({"value": 1234.5, "unit": "virksomheder", "comparator": "="}) == "1.234,5 virksomheder"
    assert target_text({"value": 350, "unit": "vejledninger", "comparator": "=", "measure": "Vækst- & Driftsforløb"}) \
        == "Vækst- & Driftsforløb: 350 vejledninger"


def test_table_repeats_its_header_on_the_next_page():
    rows = [["Kommune", "Beløb"]] + [[f"Kommune {i}", "1.234"] for i in range(60)]
    table = build_table(rows, 300)
    assert table.repeatRows == 1
    table.wrap(300, 2000)
    first, second = table.split(300, 200)
    assert _cell_text(second._cellvalues[0][0]) == "Kommune"
    assert _cell_text(first._cellvalues[-1][0]) != "Kommune"


def test_printed_table_header_rows_are_found():
    budget = [["Objektiv finansiering", "4.249.800", "4.402.800"], ["Takst", "13.491", "12.995"]]
    assert header_rows(budget) == 0
    two_line = [["Poster", "Budget 2020", ""], ["", "Udgifter", "Indtægter"], ["Løn", "1.273.623", ""]]
    assert header_rows(two_line) == 2
    assert text_table(two_line, 400).repeatRows == 2


def test_figure_table_formats_numbers_the_danish_way():
    table = figure_rows_table([{"label": "Aalborg", "period": "2021", "measure": "", "value": 1234.5,
                                "unit": "kr.", "line": 12}], 400)
    assert _cell_text(table._cellvalues[1][3]) == "1.234,5 kr."


def test_cover_residue_of_a_bilag_is_dropped():
    body = "3.8\n\nBørnehus Nord – Budget og takster for 2021\n\nBørnehus Nord - budget 2021\n\nTekst"
    assert strip_cover_residue(body, "3.8", "Børnehus Nord – Budget og takster for 2021").lstrip().startswith(
        "Børnehus Nord - budget 2021")
    inline = "3.7 De fælleskommunale sekretariater – regnskab 2020 og budget 2021\nBILAG: REGNSKAB"
    assert strip_cover_residue(inline, "3.7", "De fælleskommunale sekretariater – regnskab 2020 og budget 2021") \
        == "BILAG: REGNSKAB"
    assert strip_cover_residue("Noget helt andet", "3.8", "Titel") == "Noget helt andet"


def test_atomic_target_replaces_only_on_success(tmp_path):
    target = tmp_path / "a.pdf"
    target.write_text("gammel")
    with pytest.raises(ValueError), atomic_target(target) as temp:
        temp.write_text("halv")
        raise ValueError
    assert target.read_text() == "gammel"
    with atomic_target(target) as temp:
        temp.write_text("ny")
    assert target.read_text() == "ny"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_goal_note_is_printed_in_a_box(corpus_store, tmp_path):
    from kkrdesk.briefing.contract_pack import goal_flowables
    from kkrdesk.data.contracts.repo import list_contracts
    from kkrdesk.data.notes import NotesStore, goal_key, list_notes

    notes_file = tmp_path / "noter.sqlite"
    store = NotesStore(notes_file)
    store.set_text(goal_key(2022, "2"), "Hvorfor kun Aalborg og Thisted?")
    store.close()
    contract = next(c for c in list_contracts(corpus_store.db, 2022) if c["kind"] == "resultatkontrakt")
    goal = next(g for g in contract["goals"] if g["number"] == "2")
    notes = {n.key: n for n in list_notes(notes_file)}
    out = tmp_path / "mål.pdf"
    write_pack(goal_flowables(corpus_store.db, contract, 0, goal, notes), PackInfo("Test", "2022", "test"), out)
    text = _flat(page_texts(out))
    assert "Mål 2 – Bred geografisk spredning" in text
    assert "Min note (privat)" in text and "Hvorfor kun Aalborg og Thisted?" in text
