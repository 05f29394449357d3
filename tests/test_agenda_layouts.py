"""A dagsorden/referat in several layouts comes out as the same meeting: the golden facts of agenda_kit.

Layouts: text (two styles), Word via python-docx (two styles, read by the DOCX reader), PDF via
reportlab, Word → PDF through LibreOffice, another secretariat's text ("Punkt 3.1:", upper-case
labels, running headers) and Word with self-numbered headings. The parser was written against the
text and Word style "a"; the others are the check on layouts it was not tuned on (≥ 95 % each).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from kkrdesk.data import queries
from kkrdesk.data.danish import parse_number
from kkrdesk.ingest.importer import import_file
from tests import agenda_kit as kit

LAYOUTS = ["txt-a", "txt-b-referat", "docx-a", "docx-b-referat", "pdf-referat", "soffice-pdf",
           "txt-other-referat", "docx-autonumbered", "pdf-plain"]


def _squash(text: object) -> object:
    return " ".join(text.split()) if isinstance(text, str) else text


@pytest.fixture(scope="session")
def layout_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agenda-layouts")
    files = {
        "txt-a": folder / "dagsorden-a.txt",
        "txt-b-referat": folder / "referat-b.txt",
    }
    files["txt-a"].write_text(kit.agenda_text(style="a"), encoding="utf-8")
    files["txt-b-referat"].write_text(kit.agenda_text(style="b", referat=True), encoding="utf-8")
    files["docx-a"] = kit.write_docx(folder / "dagsorden-a.docx", style="a")
    files["docx-b-referat"] = kit.write_docx(folder / "referat-b.docx", style="b", referat=True)
    files["pdf-referat"] = kit.write_pdf(folder / "referat.pdf", referat=True)
    files["txt-other-referat"] = folder / "referat-andet.txt"
    files["txt-other-referat"].write_text(kit.agenda_text_other(referat=True), encoding="utf-8")
    files["docx-autonumbered"] = kit.write_docx_autonumbered(folder / "dagsorden-autonummereret.docx")
    files["pdf-plain"] = kit.write_pdf_plain(folder / "dagsorden-uden-indhold.pdf")
    if shutil.which("soffice"):
        (folder / "word").mkdir()
        source = kit.write_docx(folder / "word" / "dagsorden-soffice.docx", style="b")
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=180)
        files["soffice-pdf"] = folder / "dagsorden-soffice.pdf"
    return files


def found_facts(db, meeting_id: int) -> dict[str, object]:
    """The same keys as kit.expected_facts, read back through the read API and the figures table."""
    meeting = queries.get_meeting(db, meeting_id)
    facts: dict[str, object] = {"date": meeting["date"], "time": meeting["time"], "place": meeting["place"],
                                "body": meeting["body"]}
    for item in meeting["items"]:
        n = item["number"]
        facts[f"{n}.title"] = item["title"]
        facts[f"{n}.access"] = item["access"]
        facts[f"{n}.group"] = item["group_title"]
        for key in ("baggrund", "sagsfremstilling", "indstilling", "beslutning"):
            facts[f"{n}.{key}"] = item[key]
        facts[f"{n}.case"] = item["case_number"]
        for b in item["bilag"]:
            facts[f"{n}.bilag{b['number']}"] = b["title"]
    for dataset, label, period, measure, value in db.execute(
            "SELECT dataset, label, period, measure, value FROM figures").fetchall():
        if dataset == "sosu-dimensionering":
            kind = "assistent" if "assistent" in measure else "hjælper"
            facts[f"sosu.{label}.{kind}.{period}"] = value
        elif dataset == "paedagog-dimensionering":
            facts[f"paedagog.{period}.{'extra' if 'ekstra' in measure else 'places'}"] = value
        elif dataset == "komponentanalyse":
            facts[f"social.{label}.{period}"] = value
    return facts


def score(expected: dict, found: dict) -> tuple[float, list[str]]:
    missed = []
    for key, want in expected.items():
        got = found.get(key)
        if key.startswith("social."):
            want = parse_number(want)
        text = key.rsplit(".", 1)[-1] in ("baggrund", "sagsfremstilling", "indstilling", "beslutning")
        if text and isinstance(got, str) and _squash(want) in _squash(got):
            continue   # a section may go on with its table
        if _squash(got) != _squash(want):
            missed.append(f"{key}: want {want!r}, got {got!r}")
    return 1 - len(missed) / len(expected), missed


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_gives_the_meetings_facts(layout, layout_files, store):
    if layout not in layout_files:
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    result = import_file(store, layout_files[layout])
    assert result.kind == ("referat" if "referat" in layout else "dagsorden")
    share, missed = score(kit.expected_facts(referat="referat" in layout), found_facts(store.db, result.meeting_id))
    assert share >= 0.95, f"{layout}: {share:.0%} of the facts; missed:\n" + "\n".join(missed)
    meeting = queries.get_meeting(store.db, result.meeting_id)
    closed = [i["number"] for i in meeting["items"] if i["access"] == "lukket"]
    assert closed == ["3.4"]                       # the one closed item, whatever its marker looked like
    assert [i["number"] for i in meeting["items"]] == [i["number"] for i in kit.items()]   # groups are no items


def test_items_without_sub_number_and_group_headings(layout_files, store):
    result = import_file(store, layout_files["txt-a"])
    items = {i["number"]: i for i in queries.get_meeting(store.db, result.meeting_id)["items"]}
    assert items["1"]["title"] == "Godkendelse af dagsorden" and items["1"]["group_title"] is None
    assert items["4"]["title"] == "Eventuelt"
    assert "2" not in items and "3" not in items            # "2. Meddelelser" heads a group, it is no item
    assert items["3.1"]["group_title"] == "3. Sager til drøftelse og beslutning"


def test_a_dagsorden_without_contents_list(store, tmp_path):
    """No contents list: item headings are found by their numbering and the sections under them."""
    text = kit.agenda_text(style="a")
    start, end = text.index("Indholdsfortegnelse"), text.index("\n1. Godkendelse af dagsorden\n")
    path = tmp_path / "uden-indhold.txt"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = import_file(store, path)
    share, missed = score(kit.expected_facts(), found_facts(store.db, result.meeting_id))
    assert share >= 0.95, "\n".join(missed)
