"""Editing meetings and agenda items; attaching files all-or-nothing; links to goals and datasets."""

import pytest

from kkrdesk.data import meetings, queries
from kkrdesk.data.meetings import MeetingError
from kkrdesk.data.search import search
from kkrdesk.ingest.importer import import_file
from kkrdesk.ingest.readers import ImportProblem
from tests.conftest import CONTRACT_2019


def _counts(store) -> dict:
    return {t: store.db[t].count for t in ("documents", "sections", "bilag", "warnings", "contracts", "figures")}


def _numbers(store, meeting_id):
    return [i["number"] for i in queries.get_meeting(store.db, meeting_id)["items"]]


def test_create_edit_reorder_remove(store):
    meeting_id = meetings.create_meeting(store, "KKR Nordjylland – møde", "2026-12-03", "Aalborg")
    meetings.update_meeting(store, meeting_id, place="Hjørring", date="2026-12-04")
    first = meetings.add_item(store, meeting_id, "1", "Godkendelse af dagsorden")
    second = meetings.add_item(store, meeting_id, "2", "Siden sidst", sagsfremstilling="Orientering.")
    third = meetings.add_item(store, meeting_id, "3", "Eventuelt")
    meeting = queries.get_meeting(store.db, meeting_id)
    assert (meeting["place"], meeting["date"]) == ("Hjørring", "2026-12-04")
    assert _numbers(store, meeting_id) == ["1", "2", "3"]

    meetings.move_item(store, third, 0)
    assert _numbers(store, meeting_id) == ["3", "1", "2"]
    meetings.reorder_items(store, meeting_id, [first, second, third])
    assert _numbers(store, meeting_id) == ["1", "2", "3"]
    meetings.add_item(store, meeting_id, "1.5", "Indskudt punkt", position=1)
    assert _numbers(store, meeting_id) == ["1", "1.5", "2", "3"]

    meetings.update_item(store, second, title="Siden sidst – breve", access="lukket", beslutning="Taget til efterretning.")
    item = queries.get_agenda_item(store.db, second)
    assert (item["title"], item["access"], item["beslutning"]) == ("Siden sidst – breve", "lukket", "Taget til efterretning.")
    assert item["sagsfremstilling"] == "Orientering."  # untouched fields stay

    meetings.remove_item(store, first)
    items = queries.get_meeting(store.db, meeting_id)["items"]
    assert [(i["number"], i["position"]) for i in items] == [("1.5", 0), ("2", 1), ("3", 2)]


def test_bad_input_is_refused_in_danish(store):
    with pytest.raises(MeetingError, match="ugyldig dato"):
        meetings.create_meeting(store, "Møde", "3/12-2026")
    meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
    item = meetings.add_item(store, meeting_id, "2", "Siden sidst")
    with pytest.raises(MeetingError, match="allerede et punkt 2"):
        meetings.add_item(store, meeting_id, "2", "Dublet")  # notes are keyed by item number
    other = meetings.add_item(store, meeting_id, "3", "Eventuelt")
    with pytest.raises(MeetingError, match="allerede et punkt 2"):
        meetings.update_item(store, other, number="2")
    with pytest.raises(MeetingError, match="åben eller lukket"):
        meetings.update_item(store, item, access="hemmelig")
    with pytest.raises(MeetingError, match="netop mødets punkter"):
        meetings.reorder_items(store, meeting_id, [item])
    with pytest.raises(MeetingError, match="intet dagsordenspunkt"):
        meetings.update_item(store, 999, title="x")


def test_attach_imports_once_and_reuses_same_file(store):
    meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
    a = meetings.add_item(store, meeting_id, "1", "Kontrakten")
    b = meetings.add_item(store, meeting_id, "2", "Kontrakten igen")
    first = meetings.attach_file(store, a, CONTRACT_2019)
    assert not first.reused and first.number == "1"
    again = meetings.attach_file(store, a, CONTRACT_2019)
    assert again.bilag_id == first.bilag_id and again.reused           # no duplicate bilag on the same item
    elsewhere = meetings.attach_file(store, b, CONTRACT_2019)
    assert elsewhere.reused and elsewhere.document_id == first.document_id
    assert store.db["documents"].count == 1
    bilag = queries.get_agenda_item(store.db, a)["bilag"]
    assert [(x["number"], x["document"]) for x in bilag] == [("1", "resultatkontrakt-2019.txt")]


def test_attach_of_a_bad_file_adds_nothing(store, tmp_path):
    meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
    item = meetings.add_item(store, meeting_id, "1", "Punkt")
    broken = tmp_path / "ødelagt.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    before = _counts(store)
    with pytest.raises(ImportProblem, match="ødelagt.pdf"):
        meetings.attach_file(store, item, broken)
    assert _counts(store) == before


def test_attach_failing_after_the_import_leaves_no_document(store, tmp_path, monkeypatch):
    meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
    item = meetings.add_item(store, meeting_id, "1", "Punkt")
    note = tmp_path / "notat.txt"
    note.write_text("Notat\n\nEt helt særligt Frobnitzord i teksten.\n", encoding="utf-8")
    before = _counts(store)

    def fail(*_args):
        raise RuntimeError("disken er fuld")

    monkeypatch.setattr(meetings, "_next_bilag_number", fail)
    with pytest.raises(RuntimeError):
        meetings.attach_file(store, item, note)
    assert _counts(store) == before
    assert search(store.db, "Frobnitzord") == []          # not even in the full-text index
    monkeypatch.undo()
    attached = meetings.attach_file(store, item, note)   # and it can be attached afterwards
    assert not attached.reused and search(store.db, "Frobnitzord")


def test_links_to_goals_and_datasets_show_and_are_hidden_when_closed(store):
    import_file(store, CONTRACT_2019)
    goal_id = store.conn.execute("SELECT id FROM goals ORDER BY id LIMIT 1").fetchone()[0]
    store.db["datasets"].insert({"name": "sosu-dimensionering", "title": "Lærepladser på SOSU-uddannelserne"}, ignore=True)
    meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
    item = meetings.add_item(store, meeting_id, "1", "Erhvervshuset")
    meetings.link_item(store, item, "goal", goal_id)
    meetings.link_item(store, item, "dataset", "sosu-dimensionering")
    meetings.link_item(store, item, "dataset", "sosu-dimensionering")   # idempotent
    links = queries.get_agenda_item(store.db, item)["links"]
    assert [(x["kind"], x["target"]) for x in links] == [("goal", "goal:2019:1"), ("dataset", "sosu-dimensionering")]
    assert links[0]["label"].startswith("Mål 1: ") and links[0]["label"].endswith("(2019)")
    with pytest.raises(MeetingError, match="intet datasæt 'ukendt'"):
        meetings.link_item(store, item, "dataset", "ukendt")
    meetings.update_item(store, item, access="lukket")
    public = queries.get_meeting(store.db, meeting_id, public=True)
    assert public["items"][0]["links"] == []


def test_attach_a_docx_goes_through_the_import_pipeline(store, tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Notat om Hjallerup-ruten", level=1)
    document.add_paragraph("Busruten til Hjallerup foreslås udvidet med Kvistrupforbindelsen.")
    path = tmp_path / "notat.docx"
    document.save(path)
    meeting_id = meetings.create_meeting(store, "Møde", "2026-12-03")
    item = meetings.add_item(store, meeting_id, "1", "Kollektiv trafik")
    attached = meetings.attach_file(store, item, path)
    bilag = queries.get_agenda_item(store.db, item)["bilag"]
    assert [(b["number"], b["document"]) for b in bilag] == [("1", "notat.docx")]
    assert attached.title == "Notat om Hjallerup-ruten"
    assert search(store.db, "Kvistrupforbindelsen")[0].document_id == attached.document_id
