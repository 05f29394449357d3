"""Corrections keep what the document prints, the corrected value, when/who/why and the source line."""

import pytest

from kkrdesk.data import corrections
from kkrdesk.data.corrections import CorrectionError
from kkrdesk.ingest.importer import import_file
from tests.conftest import BUNDLE_2024, CONTRACT_2019, REPORT_2022


def _file_line(path, number: int) -> str:
    return path.read_text(encoding="utf-8").split("\n")[number - 1].strip()


def _nps_target(store) -> dict:
    """Golden fact (notes, resultatkontrakt-2019 l.646–647): Mål 1's target is a Net Promoter Score of 60."""
    rows = list(store.db.query(
        "SELECT t.id, t.value, t.line FROM targets t JOIN goals g ON g.id = t.goal_id "
        "WHERE g.number = '1' AND t.value = 60 ORDER BY t.id"))
    assert rows, "the extractor (#3) no longer finds the NPS target of 60"
    return rows[0]


def test_correct_a_target_keeps_original_and_source_line(store):
    import_file(store, CONTRACT_2019)
    target = _nps_target(store)
    assert target["line"] in (646, 647)

    correction_id = corrections.correct_value(store, "target", target["id"], "65", reason="tastefejl i kontrakten",
                                              author="HAST")
    # The extracted row itself is untouched: it still says what the document prints.
    assert store.conn.execute("SELECT value FROM targets WHERE id = ?", (target["id"],)).fetchone()[0] == 60

    [row] = corrections.list_corrections(store.db)
    assert row["id"] == correction_id
    assert (row["extracted_value"], row["corrected_value"]) == (60, 65)
    assert (row["reason"], row["author"]) == ("tastefejl i kontrakten", "HAST")
    assert row["file_name"] == "resultatkontrakt-2019.txt" and row["line"] == target["line"]
    assert row["source_text"] == _file_line(CONTRACT_2019, target["line"])
    assert row["corrected_at"][:4].isdigit()

    value, correction = corrections.corrected_value(store.db, "targets", target["id"])
    assert value == 65 and correction["extracted_value"] == 60
    note = correction["note"]
    assert note.startswith("Rettet til 65 (dokumentet: 60)") and "af HAST: tastefejl i kontrakten" in note
    assert f"resultatkontrakt-2019.txt, linje {target['line']}" in note


def test_latest_correction_wins_and_withdrawing_restores(store):
    import_file(store, CONTRACT_2019)
    target = _nps_target(store)
    first = corrections.correct_value(store, "targets", target["id"], 62)
    second = corrections.correct_value(store, "mål", target["id"], "1.234,5")   # Danish input
    rows = corrections.apply_corrections(store.db, "targets", [{"id": target["id"], "value": 60}, {"id": -1, "value": 7}])
    assert rows[0]["value"] == 1234.5 and rows[0]["extracted_value"] == 60
    assert rows[1]["value"] == 7 and rows[1]["correction"] is None
    assert [c["id"] for c in corrections.correction_history(store.db, "targets", target["id"])] == [second, first]
    corrections.withdraw_correction(store, second)
    assert corrections.corrected_value(store.db, "targets", target["id"])[0] == 62
    corrections.withdraw_correction(store, first)
    assert corrections.corrected_value(store.db, "targets", target["id"]) == (60, None)


def test_correct_an_outcome_and_a_figure_records_their_lines(store):
    import_file(store, REPORT_2022)
    outcome = store.conn.execute("SELECT id, value, line FROM outcomes WHERE value IS NOT NULL AND line IS NOT NULL "
                                 "ORDER BY id LIMIT 1").fetchone()
    assert outcome is not None
    corrections.correct_value(store, "outcome", outcome[0], 99)
    [row] = corrections.list_corrections(store.db, "outcomes")
    assert (row["extracted_value"], row["line"]) == (outcome[1], outcome[2])
    assert row["source_text"] == _file_line(REPORT_2022, outcome[2])



def test_correct_a_figure_in_a_part_document_finds_the_files_line(store):
    import_file(store, BUNDLE_2024)   # split into parts: each part's lines are still the file's lines
    figure = store.conn.execute(
        "SELECT f.id, f.value, f.line FROM figures f JOIN documents d ON d.id = f.document_id "
        "WHERE f.value IS NOT NULL AND f.line IS NOT NULL AND d.parent_id IS NOT NULL ORDER BY f.id DESC LIMIT 1"
    ).fetchone()
    assert figure is not None
    corrections.correct_value(store, "figure", figure[0], 1)
    [row] = corrections.list_corrections(store.db, "figures")
    assert (row["extracted_value"], row["line"]) == (figure[1], figure[2])
    assert row["source_text"] == _file_line(BUNDLE_2024, figure[2])


def test_bad_corrections_are_refused(store):
    import_file(store, CONTRACT_2019)
    target = _nps_target(store)
    with pytest.raises(CorrectionError, match="ikke et tal"):
        corrections.correct_value(store, "target", target["id"], "tres")
    with pytest.raises(CorrectionError, match="kan ikke rette 'goals'"):
        corrections.correct_value(store, "goals", target["id"], 1)
    with pytest.raises(CorrectionError, match="ingen mål med id 999999"):
        corrections.correct_value(store, "target", 999999, 1)
    assert corrections.list_corrections(store.db) == []


def test_goal_view_shows_the_corrected_target_with_the_printed_value(store):
    from kkrdesk.ui import render, sources

    import_file(store, CONTRACT_2019)
    target = _nps_target(store)
    goal_id = store.conn.execute("SELECT goal_id FROM targets WHERE id = ?", (target["id"],)).fetchone()[0]
    corrections.correct_value(store, "target", target["id"], "65")
    goal = sources.goal_detail(store.db, goal_id)
    shown = [t for ind in goal["indicators"] for t in ind["targets"]] + goal["targets"]
    corrected = next(t for t in shown if t["id"] == target["id"])
    assert (corrected["value"], corrected["extracted_value"]) == (65, 60)
    assert "65" in render.target_text(corrected) and "(rettet; dokumentet: 60)" in render.target_text(corrected)
    assert "rettet" in render.goal_html(goal)


def test_a_correction_is_what_goals_figures_and_the_contract_pack_show(store, tmp_path):
    """Everyone reads through the same API: the corrected value, with the printed one beside it."""
    from kkrdesk.briefing import build_contract_pack
    from kkrdesk.briefing.readback import flat_text
    from kkrdesk.data.contracts.repo import list_contracts
    from kkrdesk.data.figures import dataset_rows

    import_file(store, CONTRACT_2019)
    import_file(store, BUNDLE_2024)
    target = _nps_target(store)
    corrections.correct_value(store, "target", target["id"], "65", reason="tastefejl")
    goal = next(g for c in list_contracts(store.db, 2019) for g in c["goals"] if g["number"] == "1")
    every_target = [*goal["targets"], *(t for ind in goal["indicators"] for t in ind["targets"])]
    shown = next(t for t in every_target if t["id"] == target["id"])
    assert (shown["value"], shown["extracted_value"]) == (65, 60)
    assert "Rettet til 65 (dokumentet: 60)" in shown["correction"]

    aalborg = next(r for r in dataset_rows(store.db, "sosu-dimensionering")
                   if r["label"] == "Aalborg" and r["value"] == 98)
    corrections.correct_value(store, "figure", aalborg["id"], "99")
    again = next(r for r in dataset_rows(store.db, "sosu-dimensionering") if r["id"] == aalborg["id"])
    assert (again["value"], again["extracted_value"]) == (99, 98)

    pdf = build_contract_pack(store.db, 2019, tmp_path / "k.pdf").path
    assert "(rettet; dokumentet: 60)" in flat_text(pdf)
