import json

import pytest

from kkrdesk.cli import main
from kkrdesk.data.themes import detect_themes, find_theme, list_themes, retag_all, set_tag, theme_thread
from kkrdesk.ingest.importer import import_file

SECOND_PACK = """KKR Nordjylland, møde den 3. marts 2022

Indholdsfortegnelse - Bilag\t1
4.2 Pædagogdimensionering 2022-2023\t2
Bilag 1: Notat om dimensionering af pædagoguddannelsen 2022-2023\t2

4.2

Pædagogdimensionering 2022-2023

Notat om pædagoguddannelsen

Sparringsgruppen anbefaler, at dimensioneringen af pædagoguddannelsen fastholdes på 517 studiepladser.
Pædagogområdet i Nordjylland har fortsat brug for flere pædagoger.
"""


def test_rules_detect_by_title_or_repeated_text():
    assert "sosu" in detect_themes("Fordeling af lærepladser på SOSU-uddannelserne 2026", "")
    assert "paedagog" in detect_themes("Pædagogdimensionering 2021-2022", "")
    assert "paedagog" not in detect_themes("Et notat", "pædagoguddannelsen nævnes en gang")
    assert "klima" not in detect_themes("Masterplan", "")


def test_find_theme_by_key_name_or_part():
    assert find_theme("sosu").key == "sosu"
    assert find_theme("Pædagogdimensionering").key == "paedagog"
    assert find_theme("socialområdet").key == "socialomraadet"
    assert find_theme("findes ikke") is None


def test_bundled_store_has_the_three_threads_with_figures(corpus_store):
    counts = {t["key"]: t["items"] for t in list_themes(corpus_store.db)}
    for key, dataset in (("sosu", "sosu-dimensionering"), ("paedagog", "paedagog-dimensionering"),
                         ("socialomraadet", "komponentanalyse")):
        assert counts[key] >= 1
        thread = theme_thread(corpus_store.db, find_theme(key))
        assert thread["items"], key
        assert [d["name"] for d in thread["datasets"]] == [dataset]


def test_2025_material_is_filed_as_agenda_items(corpus_store):
    rows = corpus_store.conn.execute(
        "SELECT m.date, m.title, a.number, a.title FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id "
        "WHERE m.date = '2025-06-20'"
    ).fetchall()
    assert rows == [("2025-06-20", "Møde i KKR Nordjylland", "3.5",
                     "Nordjyske principper – fremtidssikring af indsatsen på det specialiserede voksensocialområde")]
    undated = corpus_store.conn.execute(
        "SELECT a.title FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id "
        "WHERE m.date IS NULL AND m.year = 2025 ORDER BY a.position"
    ).fetchall()
    titles = [r[0] for r in undated]
    assert "Fordeling af lærepladser på SOSU-uddannelserne 2026 - Region Nordjylland" in titles
    assert any(t.startswith("KKR-undersøgelse") for t in titles)
    # the survey's data report and its summary are one item with two bilag
    survey_bilag = corpus_store.conn.execute(
        "SELECT COUNT(*) FROM bilag b JOIN agenda_items a ON a.id = b.agenda_item_id WHERE a.title = 'KKR-undersøgelse'"
    ).fetchone()[0]
    assert survey_bilag == 2


def test_second_pack_joins_the_thread_in_date_order(tmp_path, corpus_db_path):
    import shutil

    from kkrdesk.data.store import open_store

    db = tmp_path / "copy.sqlite"
    shutil.copy(corpus_db_path, db)
    store = open_store(db)
    pack = tmp_path / "kkr-moede-2022-bilag.txt"
    pack.write_text(SECOND_PACK, encoding="utf-8")
    result = import_file(store, pack)
    assert result.kind == "meeting-pack"
    meeting = store.conn.execute("SELECT date FROM meetings WHERE id = ?", (result.meeting_id,)).fetchone()
    assert meeting == ("2022-03-03",)
    thread = theme_thread(store.db, find_theme("paedagog"))
    assert [(i["number"], i["title"]) for i in thread["items"]] == [
        ("4.2", "Pædagogdimensionering 2022-2023"),
        ("3.5", "Pædagogdimensionering 2021-2022"),
    ]
    store.close()


def test_secretariat_tags_survive_retagging(store, tmp_path):
    pack = tmp_path / "pack.txt"
    pack.write_text(SECOND_PACK, encoding="utf-8")
    result = import_file(store, pack)
    item_id = store.conn.execute("SELECT id FROM agenda_items WHERE meeting_id = ?", (result.meeting_id,)).fetchone()[0]
    set_tag(store.db, "paedagog", "item", item_id, on=False)
    set_tag(store.db, "klima", "item", item_id, on=True)
    retag_all(store.db)
    assert theme_thread(store.db, find_theme("paedagog"))["items"] == []
    assert [i["item_id"] for i in theme_thread(store.db, find_theme("klima"))["items"]] == [item_id]


def test_closed_items_left_out_of_public_thread(store, tmp_path):
    pack = tmp_path / "pack.txt"
    pack.write_text(SECOND_PACK, encoding="utf-8")
    import_file(store, pack)
    assert theme_thread(store.db, find_theme("paedagog"), public=True)["items"]
    store.conn.execute("UPDATE agenda_items SET access = 'lukket', indstilling = 'Hemmelig indstilling'")
    # a closed item's theme tag is itself closed: the public thread does not even say "Lukket punkt" (#16)
    assert theme_thread(store.db, find_theme("paedagog"), public=True)["items"] == []
    assert theme_thread(store.db, find_theme("paedagog"))["items"]


def test_cli_themes_and_show_theme(capsys):
    assert main(["themes", "--json"]) == 0
    themes = json.loads(capsys.readouterr().out)
    assert all(set(t) >= {"name", "items"} for t in themes)
    assert main(["show", "theme", "sosu", "--json"]) == 0
    thread = json.loads(capsys.readouterr().out)
    assert set(thread) >= {"name", "items", "datasets", "goals"}
    assert set(thread["items"][0]) >= {"meeting", "date", "number", "title"}
    assert main(["show", "theme", "ukendt-tema"]) == 1
    assert "ukendt tema" in capsys.readouterr().err


@pytest.mark.parametrize("key", ["sosu", "paedagog", "socialomraadet", "erhvervshus", "klima", "infrastruktur"])
def test_every_rule_has_a_name(key):
    assert find_theme(key).name


def test_the_windows_theme_count_is_the_number_of_themes_with_items(corpus_store, store):
    from kkrdesk.data.themes import count_themes_with_items

    for db in (corpus_store.db, store.db):
        assert count_themes_with_items(db) == len([t for t in list_themes(db) if t["items"]])
    assert count_themes_with_items(corpus_store.db) >= 3
