"""Pakker: installed packs are found after a restart, with version, Udgivet, Hentet, what changed, the way back."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from kkrdesk.data import meetings
from kkrdesk.data.notes import NotesStore
from kkrdesk.data.packs import build_pack
from kkrdesk.data.store import open_store
from kkrdesk.ui.app import create_main_window, make_settings
from tests.test_ui_window import SCREENSHOTS, _menu_action, _shot, _show_active


def _two_versions(store, tmp_path):
    meeting_id = meetings.create_meeting(store, "KKR Nordjylland – møde", "2026-12-03", "Aalborg")
    ids = [meetings.add_item(store, meeting_id, n, f"Punkt {n}") for n in ("1", "2", "3")]
    meetings.update_item(store, ids[2], sagsfremstilling="Budgettet er 2,1 mio. kr.\nSagen drøftes.")
    key = meetings.ensure_meeting_uid(store, meeting_id)
    build_pack(store, meeting_id, tmp_path / "v1.kkrpack", public=False, version=1, meeting_key=key,
               published="2026-11-20T10:00:00+01:00")
    meetings.update_item(store, ids[2], sagsfremstilling="Budgettet er 2,4 mio. kr.\nSagen drøftes.")
    build_pack(store, meeting_id, tmp_path / "v2.kkrpack", public=False, version=2, meeting_key=key,
               published="2026-11-27T14:30:00+01:00")
    return meeting_id


def _window(qtbot, store, notes):
    w = create_main_window(store, notes, make_settings())
    qtbot.addWidget(w)
    w.resize(1100, 760)
    _show_active(qtbot, w)
    return w


def test_installed_pack_is_found_after_a_restart_and_shows_what_changed(qtbot, tmp_path, monkeypatch):
    own = open_store(tmp_path / "eget.sqlite")
    _two_versions(own, tmp_path)
    notes = NotesStore(tmp_path / "noter.sqlite")
    chosen = [str(tmp_path / "v1.kkrpack")]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen[0], ""))

    first = _window(qtbot, own, notes)
    _menu_action(first, "Åbn pakke").trigger()                   # install version 1 and open it
    assert first.store.read_only and "version 1" in first.store_label.text()
    first.close()

    second = _window(qtbot, own, notes)                          # a restart on one's own store
    assert not second.store.read_only
    qtbot.keyClick(second, Qt.Key_M, Qt.ControlModifier | Qt.ShiftModifier)
    view = second.packs_view
    assert second.stack.currentWidget() is view
    assert view.table.topLevelItemCount() == 1
    row = view.table.topLevelItem(0)
    assert [row.text(c) for c in range(3)] == ["KKR Nordjylland – møde", "1", "20. november 2026 kl. 10.00"]
    assert "2026" in row.text(3)                                 # Hentet: when it was installed

    chosen[0] = str(tmp_path / "v2.kkrpack")
    _menu_action(second, "Åbn pakke").trigger()                  # the newer version replaces it
    qtbot.keyClick(second, Qt.Key_M, Qt.ControlModifier | Qt.ShiftModifier)
    row = view.table.topLevelItem(0)
    assert row.text(1) == "2" and row.text(4) == "1 punkt"
    assert view.changes.count() == 1 and view.changes.item(0).text() == "3 Punkt 3 — Ændret"
    diff = view.diff_text()
    assert "− Budgettet er 2,1 mio. kr." in diff and "+ Budgettet er 2,4 mio. kr." in diff
    assert "Fra version 1 til version 2" in diff
    if SCREENSHOTS:
        _shot(second, "packs-diff.png")

    assert view.own_button.isEnabled()
    qtbot.mouseClick(view.own_button, Qt.LeftButton)            # the way back to one's own store
    assert second.store is own and not second.store.read_only
    second.close()
    notes.close()
    own.close()
