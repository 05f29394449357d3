"""Secretariat mode in the window: drag-and-drop order via moveRows, editing, attach, export, read-only."""

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from kkrdesk.data import meetings, queries
from kkrdesk.data.packs import build_pack, open_pack
from kkrdesk.data.store import open_store
from kkrdesk.ui.secretariat import AgendaItemsModel, SecretariatView, next_number


def _meeting(store):
    meeting_id = meetings.create_meeting(store, "KKR Nordjylland – møde", "2026-12-03", "Aalborg")
    ids = [meetings.add_item(store, meeting_id, n, f"Punkt {n}") for n in ("1", "2", "3", "4")]
    return meeting_id, ids


def _order(store, meeting_id):
    return [i["number"] for i in queries.get_meeting(store.db, meeting_id)["items"]]


def test_model_moves_rows_and_stores_the_order(qtbot, store):
    meeting_id, ids = _meeting(store)
    model = AgendaItemsModel(store, meeting_id)
    assert model.flags(model.index(0)) & Qt.ItemIsDragEnabled and model.supportedDropActions() == Qt.MoveAction
    with qtbot.waitSignal(model.rowsMoved):
        assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)    # "1" dropped before "4"
    assert _order(store, meeting_id) == ["2", "3", "1", "4"]
    assert model.item_ids() == [ids[1], ids[2], ids[0], ids[3]]
    assert model.moveRows(QModelIndex(), 3, 1, QModelIndex(), 0)        # "4" to the top
    assert _order(store, meeting_id) == ["4", "2", "3", "1"]
    assert not model.moveRows(QModelIndex(), 1, 1, QModelIndex(), 2)    # onto itself: nothing
    assert model.index(0).data() == "4  Punkt 4"


def test_view_edits_items_and_moves_with_buttons(qtbot, store):
    meeting_id, ids = _meeting(store)
    view = SecretariatView(store)
    qtbot.addWidget(view)
    assert view.meeting_id == meeting_id and view.meeting_place.text() == "Aalborg"
    assert view.items_view.dragDropMode() == QAbstractItemView.InternalMove

    view.select_item(ids[1])
    view.title.setText("Siden sidst")
    view.access.setCurrentIndex(view.access.findData("lukket"))
    view.indstilling.setPlainText("Til efterretning.")
    with qtbot.waitSignal(view.changed):
        assert view.save_item()
    item = queries.get_agenda_item(store.db, ids[1])
    assert (item["title"], item["access"], item["indstilling"]) == ("Siden sidst", "lukket", "Til efterretning.")
    assert view.model.index(1).data() == "2  Siden sidst  [Lukket]"

    view.move_current(-1)
    assert _order(store, meeting_id) == ["2", "1", "3", "4"] and view.current_item_id() == ids[1]
    new = view.add_item()
    assert queries.get_agenda_item(store.db, new)["number"] == "5" and view.current_item_id() == new
    view.number.setText("3")
    assert not view.save_item() and "allerede et punkt 3" in view.status.text()


def test_attach_failure_is_shown_and_adds_nothing(qtbot, store, tmp_path):
    meeting_id, ids = _meeting(store)
    view = SecretariatView(store)
    qtbot.addWidget(view)
    view.select_item(ids[0])
    good = tmp_path / "notat.txt"
    good.write_text("Notat\n\nEt kort notat.\n", encoding="utf-8")
    bad = tmp_path / "tom.txt"
    bad.write_text("", encoding="utf-8")
    problems = view.attach([good, bad])
    assert len(problems) == 1 and problems[0].startswith("tom.txt:") and "intet vedhæftet" in problems[0]
    assert "tom.txt" in view.status.text()
    assert view.bilag_list.count() == 1 and store.db["documents"].count == 1


def test_export_from_the_view_and_read_only_pack(qtbot, store, tmp_path):
    meeting_id, ids = _meeting(store)
    view = SecretariatView(store)
    qtbot.addWidget(view)
    view.export_to(tmp_path / "mappe")                  # a store in memory: the operation runs at once
    result = view.last_export
    assert result is not None and result.version == 1 and all(p.exists() for p in result.files)
    assert "Version 1" in view.status.text()

    path = tmp_path / "p.kkrpack"
    build_pack(store, meeting_id, path, public=False, version=1, meeting_key="k")
    pack = open_pack(path)
    read_only = SecretariatView(pack)
    qtbot.addWidget(read_only)
    assert "skrivebeskyttet" in read_only.status.text()
    assert not read_only.add_item_button.isEnabled() and not read_only.export_button.isEnabled()
    assert not read_only.model.flags(read_only.model.index(0)) & Qt.ItemIsDragEnabled
    assert not read_only.model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    assert "skrivebeskyttet" in read_only.status.text()
    assert [i["number"] for i in queries.get_meeting(pack.db, meeting_id)["items"]] == ["1", "2", "3", "4"]
    pack.close()


def test_next_number():
    assert next_number([]) == "1"
    assert next_number(["3.4", "3.5"]) == "3.6"
    assert next_number(["3", "4"]) == "5"
    assert next_number(["Eventuelt"]) == "Eventuelt.1"
    assert next_number(["2", "1"]) == "2.1"   # "2" exists: never reuse a number


def test_file_store_view(qtbot, tmp_path):
    store = open_store(tmp_path / "s.sqlite")
    view = SecretariatView(store)
    qtbot.addWidget(view)
    assert view.meeting_id is None and view.add_item() is None
    assert "Opret eller vælg et møde" in view.status.text()
    meeting_id = view.create_meeting("KKR Nordjylland – møde", "2026-12-03")
    assert view.meeting_id == meeting_id and view.meeting_box.count() == 1
    assert view.create_meeting("Andet møde", "i morgen") is None and "ugyldig dato" in view.status.text()
    store.close()


def test_main_window_hooks(qtbot, store, tmp_path):
    """Filer → Sekretariat… opens the mode; a window on a pack says when it was published and which version."""
    from kkrdesk.data.notes import NotesStore
    from kkrdesk.ui.app import create_main_window, make_settings

    meeting_id, _ids = _meeting(store)
    notes = NotesStore(tmp_path / "noter.sqlite")
    window = create_main_window(store, notes, make_settings())
    qtbot.addWidget(window)
    window.open_secretariat()
    view = window._secretariat
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.changed):
        view.add_item("5", "Eventuelt")
    assert "skrivebeskyttet" not in window.store_label.text()

    path = tmp_path / "p.kkrpack"
    build_pack(store, meeting_id, path, public=False, version=4, meeting_key="k",
               published="2026-12-01T09:00:00+01:00")
    pack = open_pack(path)
    window.set_store(pack)
    assert "Udgivet 1. december 2026, version 4" in window.store_label.text()
    window.close()
    pack.close()
    notes.close()


def test_window_marks_changed_items_of_a_newer_pack_until_read(qtbot, store, tmp_path):
    from kkrdesk.data.notes import NotesStore
    from kkrdesk.data.pack_install import install_and_open, install_pack, marks_for_pack
    from kkrdesk.ui.app import create_main_window, make_settings

    meeting_id, ids = _meeting(store)
    build_pack(store, meeting_id, tmp_path / "v1.kkrpack", public=False, version=1, meeting_key="k")
    meetings.update_item(store, ids[2], sagsfremstilling="Ny tekst")
    meetings.add_item(store, meeting_id, "5", "Eventuelt")
    build_pack(store, meeting_id, tmp_path / "v2.kkrpack", public=False, version=2, meeting_key="k")
    install_pack(tmp_path / "v1.kkrpack")
    pack, _result = install_and_open(tmp_path / "v2.kkrpack")
    assert marks_for_pack(pack.db) == {"3": "Ændret", "5": "Ny"}

    notes = NotesStore(tmp_path / "noter.sqlite")
    window = create_main_window(pack, notes, make_settings())
    qtbot.addWidget(window)
    meeting_index = window.model.find("meeting", meeting_id)
    labels = [window.model.index(r, 0, meeting_index).data() for r in range(window.model.rowCount(meeting_index))]
    assert labels == ["1 Punkt 1", "2 Punkt 2", "3 Punkt 3 — Ændret", "4 Punkt 4", "5 Eventuelt — Ny"]
    window.open_place("item", ids[2])
    assert marks_for_pack(pack.db) == {"5": "Ny"}
    window.close()
    pack.close()
    notes.close()


def test_link_an_item_to_a_goal_and_a_dataset(qtbot, store):
    from kkrdesk.ingest.importer import import_file
    from tests.conftest import CONTRACT_2019

    import_file(store, CONTRACT_2019)
    store.db["datasets"].insert({"name": "basisbevilling", "title": "Erhvervshusets basisbevilling"}, ignore=True)
    meeting_id, ids = _meeting(store)
    view = SecretariatView(store)
    qtbot.addWidget(view)
    view.select_item(ids[0])
    labels = [view.link_choice.itemText(i) for i in range(view.link_choice.count())]
    assert labels[0].startswith("Mål 1: ") and labels[0].endswith("(2019)")
    assert len([x for x in labels if x.startswith("Mål 1: ")]) == 1     # contract and report goals once
    view.link_choice.setCurrentIndex(0)
    view._add_chosen_link()
    assert view.add_link("dataset", "basisbevilling")
    assert view.links_list.count() == 2 and view.links_list.item(0).text() == labels[0]
    view.links_list.setCurrentRow(0)
    view._remove_chosen_link()
    assert [link["target"] for link in queries.get_agenda_item(store.db, ids[0])["links"]] == ["basisbevilling"]
    assert not view.add_link("dataset", "findes-ikke") and "intet datasæt" in view.status.text()


def test_meeting_page_lists_items_gone_since_the_version_read(qtbot, store, tmp_path):
    from kkrdesk.data.notes import NotesStore
    from kkrdesk.data.pack_install import install_and_open, install_pack
    from kkrdesk.ui.app import create_main_window, make_settings

    meeting_id, ids = _meeting(store)
    build_pack(store, meeting_id, tmp_path / "v1.kkrpack", public=False, version=1, meeting_key="k")
    meetings.remove_item(store, ids[1])
    build_pack(store, meeting_id, tmp_path / "v2.kkrpack", public=False, version=2, meeting_key="k")
    install_pack(tmp_path / "v1.kkrpack")
    pack, _result = install_and_open(tmp_path / "v2.kkrpack")
    notes = NotesStore(tmp_path / "noter.sqlite")
    window = create_main_window(pack, notes, make_settings())
    qtbot.addWidget(window)
    window.open_place("meeting", meeting_id)
    text = window.reader.browser.toPlainText()
    assert "Udgået siden den version, du har læst" in text
    assert "2 Punkt 2" in text.split("Udgået")[1]
    window.close()
    pack.close()
    notes.close()


def _show_active(qtbot, view):
    view.setWindowFlag(Qt.Window, True)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)


def _click_item(qtbot, view, row):
    rect = view.items_view.visualRect(view.model.index(row))
    qtbot.mouseClick(view.items_view.viewport(), Qt.LeftButton, pos=rect.center())


def test_edits_are_saved_when_another_item_is_clicked(qtbot, store):
    """Change title and Lukket, click another item without "Gem punkt": the edits are in the store."""
    meeting_id, ids = _meeting(store)
    view = SecretariatView(store)
    qtbot.addWidget(view)
    _show_active(qtbot, view)
    _click_item(qtbot, view, 1)
    assert view.current_item_id() == ids[1]
    view.title.selectAll()
    qtbot.keyClicks(view.title, "Nyt om økonomi")
    view.access.setCurrentIndex(view.access.findData("lukket"))
    view.access.activated.emit(view.access.currentIndex())        # what a choice in the box sends
    _click_item(qtbot, view, 2)
    assert view.current_item_id() == ids[2]
    item = queries.get_agenda_item(store.db, ids[1])
    assert (item["title"], item["access"]) == ("Nyt om økonomi", "lukket")
    assert view.title.text() == "Punkt 3"                          # the clicked item is shown
    qtbot.keyClicks(view.indstilling, "Godkendes.")
    qtbot.keyClick(view.indstilling, Qt.Key_W, Qt.ControlModifier)  # Ctrl+W closes and saves
    assert not view.isVisible()
    assert queries.get_agenda_item(store.db, ids[2])["indstilling"] == "Godkendes."


def test_esc_closes_the_secretariat_window(qtbot, store):
    _meeting(store)
    view = SecretariatView(store)
    qtbot.addWidget(view)
    _show_active(qtbot, view)
    view.items_view.setFocus()
    qtbot.keyClick(view.items_view, Qt.Key_Escape)
    assert not view.isVisible()


def test_danish_dates_are_read_and_shown(qtbot, store):
    meeting_id, _ids = _meeting(store)
    view = SecretariatView(store)
    qtbot.addWidget(view)
    assert view.meeting_date.text() == "3. december 2026"
    view.meeting_date.clear()
    qtbot.keyClicks(view.meeting_date, "4.12.2026")
    qtbot.mouseClick(view.save_meeting_button, Qt.LeftButton)
    assert queries.get_meeting(store.db, meeting_id)["date"] == "2026-12-04"
    assert view.meeting_date.text() == "4. december 2026"
    assert view.create_meeting("Andet møde", "5. januar 2027") is not None
    assert queries.get_meeting(store.db, view.meeting_id)["date"] == "2027-01-05"


def test_new_meeting_dialog_keeps_an_invalid_date_open_with_its_message(qtbot, store):
    from kkrdesk.ui.secretariat import NewMeetingDialog

    dialog = NewMeetingDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.date, "31.2.2026")
    qtbot.keyClick(dialog.date, Qt.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert "ugyldig dato '31.2.2026'" in dialog.error.text().lower()
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "4. december 2026")
    qtbot.keyClick(dialog.date, Qt.Key_Return)
    assert not dialog.isVisible() and dialog.result() == 1
    assert dialog.values()[1] == "4. december 2026"
