"""The secretariat's command line: meeting new/add-item/attach/export, install, correct."""

import json

from kkrdesk.cli import main
from tests.conftest import CONTRACT_2019


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_prepare_and_export_a_meeting(tmp_path, capsys):
    db = tmp_path / "sekretariat.sqlite"
    text = tmp_path / "sag.txt"
    text.write_text("Sekretariatet foreslår en fælles indsats.\n", encoding="utf-8")
    secret = tmp_path / "fortroligt.md"
    secret.write_text("# Notat\n\nDen fortrolige Vrimpelsag om ansættelsen.\n", encoding="utf-8")

    code, out, _ = run(capsys, "--db", db, "meeting", "new", "--title", "KKR Nordjylland – møde",
                       "--date", "2026-12-03", "--place", "Aalborg")
    assert code == 0
    meeting = int(out)
    code, out, _ = run(capsys, "--db", db, "meeting", "add-item", meeting, "--number", "1", "--title", "Indsats",
                       "--text-file", text)
    item = int(out)
    code, out, _ = run(capsys, "--db", db, "meeting", "add-item", meeting, "--number", "2", "--title", "Ansættelse",
                       "--closed")
    closed = int(out)
    code, out, err = run(capsys, "--db", db, "meeting", "attach", closed, secret)
    assert code == 0 and "bilag 1" in err

    broken = tmp_path / "tom.txt"
    broken.write_text("   \n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "meeting", "attach", item, broken)
    assert code == 1 and err.startswith("kkrdesk: tom.txt:") and "intet vedhæftet" in err
    assert err.count("\n") == 1

    code, out, _ = run(capsys, "--db", db, "show", "meeting", meeting, "--json")
    shown = json.loads(out)
    assert [(i["number"], i["access"], len(i["bilag"])) for i in shown["items"]] == [("1", "åben", 0), ("2", "lukket", 1)]

    code, out, err = run(capsys, "--db", db, "meeting", "move-item", closed, "1")
    code, out, _ = run(capsys, "--db", db, "show", "meeting", meeting, "--json")
    assert [i["number"] for i in json.loads(out)["items"]] == ["2", "1"]

    folder = tmp_path / "mappe"
    code, out, err = run(capsys, "--db", db, "meeting", "export", meeting, "--out", folder)
    assert code == 0 and "Version 1" in err
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted(["2026-12-03-kkr-nordjylland-moede.pdf", "2026-12-03-kkr-nordjylland-moede-offentlig.pdf",
                            "2026-12-03-kkr-nordjylland-moede.kkrpack",
                            "2026-12-03-kkr-nordjylland-moede-offentlig.kkrpack"])
    assert b"Vrimpelsag" not in (folder / "2026-12-03-kkr-nordjylland-moede-offentlig.kkrpack").read_bytes()
    assert sorted(out.split()) == sorted(str(folder / f) for f in files)

    code, out, err = run(capsys, "--db", db, "meeting", "install", folder / "2026-12-03-kkr-nordjylland-moede.kkrpack")
    assert code == 0 and err.startswith("Installeret: KKR Nordjylland – møde – Udgivet ") and "version 1" in err
    code, out, err = run(capsys, "--db", db, "meeting", "set-item", item, "--title", "Indsats (revideret)")
    code, out, err = run(capsys, "--db", db, "meeting", "export", meeting, "--out", folder)
    assert "Version 2" in err
    code, out, err = run(capsys, "--db", db, "meeting", "install", folder / "2026-12-03-kkr-nordjylland-moede.kkrpack")
    assert err.startswith("Opdateret:") and "Ændret" in out and "Indsats (revideret)" in out
    code, out, _ = run(capsys, "--db", db, "meeting", "installed", "--json")
    [installed] = json.loads(out)
    assert installed["version"] == 2 and installed["changes"] == [
        {"number": "1", "title": "Indsats (revideret)", "status": "Ændret"}]


def test_bad_meeting_input_is_one_line(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    code, out, err = run(capsys, "--db", db, "meeting", "new", "--title", "Møde", "--date", "3. december")
    assert code == 1 and out == "" and err == "kkrdesk: ugyldig dato '3. december' (skriv fx 4.12.2026 eller 4. december 2026)\n"
    code, out, err = run(capsys, "--db", db, "meeting", "add-item", "42", "--number", "1", "--title", "X")
    assert code == 1 and err == "kkrdesk: intet møde med id 42\n"


def test_correct_from_the_command_line(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    run(capsys, "--db", db, "import", CONTRACT_2019)
    from kkrdesk.data.store import open_store

    store = open_store(db)
    target, line = store.conn.execute(
        "SELECT t.id, t.line FROM targets t JOIN goals g ON g.id = t.goal_id WHERE g.number = '1' AND t.value = 60"
    ).fetchone()
    store.close()
    code, out, _ = run(capsys, "--db", db, "correct", "set", "target", target, "62,5", "--reason", "aftalt på mødet",
                       "--by", "Sekretariatet")
    assert code == 0 and out.strip().isdigit()
    code, out, _ = run(capsys, "--db", db, "correct", "list")
    assert f"mål {target}: 60 → 62,5" in out
    assert "af Sekretariatet: aftalt på mødet" in out and f"resultatkontrakt-2019.txt, linje {line}" in out
    code, out, _ = run(capsys, "--db", db, "correct", "show", "target", target)
    assert out.startswith("62,5 (rettet; dokumentet: 60)\n") and "Kildelinje: «" in out
    code, out, err = run(capsys, "--db", db, "correct", "set", "target", target, "mange")
    assert code == 1 and err == "kkrdesk: 'mange' er ikke et tal\n"
