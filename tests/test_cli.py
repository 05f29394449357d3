import json

from kkrdesk import __version__
from kkrdesk.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert __version__ in capsys.readouterr().out


def test_import_list_show_search(tmp_path, capsys):
    from tests.conftest import MEETING_PACK

    db = tmp_path / "new.sqlite"
    code, out, err = run(capsys, "--db", str(db), "import", str(MEETING_PACK))
    assert code == 0 and db.exists()
    assert "kkr-moede-2021-bilag.txt" in err

    code, out, _ = run(capsys, "--db", str(db), "list", "meetings", "--json")
    meetings = json.loads(out)
    assert len(meetings) == 1
    assert set(meetings[0]) >= {"id", "title", "date", "items"} and meetings[0]["items"] == 9

    code, out, _ = run(capsys, "--db", str(db), "show", "meeting", str(meetings[0]["id"]), "--json")
    meeting = json.loads(out)
    item = next(i for i in meeting["items"] if i["number"] == "3.5")
    assert item["title"] == "Pædagogdimensionering 2021-2022" and item["access"] == "åben"
    assert item["bilag"] == [{
        "number": "1",
        "title": "Sparringsgruppe på pædagogområdet - notat ift. dimensioneringen 2021-2022",
        "document": "kkr-moede-2021-bilag.txt",
        "document_id": item["bilag"][0]["document_id"],
    }]

    code, out, _ = run(capsys, "--db", str(db), "search", "Børnehus", "--limit", "3", "--json")
    hits = json.loads(out)
    assert 0 < len(hits) <= 3
    assert set(hits[0]) >= {"document", "document_id", "document_title", "section", "section_id", "line", "snippet",
                            "page", "meeting", "item", "occurrences"}
    assert all(h["page"] is None for h in hits)            # a text file has no pages
    assert all("«" in h["snippet"] for h in hits)

    code, out, err = run(capsys, "--db", str(db), "import", str(MEETING_PACK))
    assert code == 0 and "allerede importeret" in err

    code, out, _ = run(capsys, "--db", str(db), "list", "documents", "--json")
    assert [d["file_name"] for d in json.loads(out)] == ["kkr-moede-2021-bilag.txt"]


def test_hostile_search_via_cli(tmp_path, capsys):
    db = tmp_path / "empty.sqlite"
    for query in ['"', "NEAR(", "AND", "*"]:
        code, out, _ = run(capsys, "--db", str(db), "search", query, "--json")
        assert code == 0 and json.loads(out) == []


def test_unknown_meeting_is_an_error(tmp_path, capsys):
    code, _, err = run(capsys, "--db", str(tmp_path / "x.sqlite"), "show", "meeting", "99")
    assert code == 1 and "99" in err


def test_default_store_is_bundled(capsys):
    code, out, _ = run(capsys, "list", "documents", "--json")
    names = {d["file_name"] for d in json.loads(out)}
    assert {"resultatkontrakt-2019.txt", "kkr-moede-2021-bilag.txt"} <= names
