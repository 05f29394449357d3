"""A doctored pack opened from the window's File menu: a dialog with one line, no crash (#16, point 6)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kkrdesk.data import meetings
from kkrdesk.data.notes import NotesStore
from kkrdesk.data.packs import build_pack
from kkrdesk.data.store import open_store
from kkrdesk.ui.app import create_main_window, make_settings
from tests.test_fuzz_hostile import _doctor, _flip


def _pack(folder):
    store = open_store(folder / "lager.sqlite")
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-03")
    meetings.add_item(store, meeting_id, "1", "Godkendelse af dagsorden")
    path = folder / "moede.kkrpack"
    build_pack(store, meeting_id, path, public=False, version=1, meeting_key="moede-1")
    store.close()
    return path


def test_doctored_packs_from_the_file_menu_say_why(qtbot, tmp_path, monkeypatch):
    pack = _pack(tmp_path)
    bad = {
        "visning.kkrpack": "CREATE VIEW evig AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                           "SELECT n FROM r",
        "dato.kkrpack": "UPDATE pack_info SET published = 'i går'",
        "offentlig.kkrpack": "UPDATE pack_info SET public = 'ja'",
    }
    for name, sql in bad.items():
        _doctor(pack, tmp_path / name, sql)
    _flip(pack, tmp_path / "bitflip.kkrpack", [4096 + k for k in range(1, 8)])
    store = open_store(tmp_path / "eget.sqlite")
    notes = NotesStore()
    window = create_main_window(store, notes, make_settings())
    qtbot.addWidget(window)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kw: shown.append(args[2]))
    action = next(a for a in window.findChildren(QAction) if a.text().replace("&", "") == "Åbn pakke…")
    for name in [*bad, "bitflip.kkrpack"]:
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, n=name, **k: (str(tmp_path / n), ""))
        action.trigger()
        assert shown and name in shown[-1] and "\n" not in shown[-1], shown
        assert window.store is store                     # the window still shows the member's own store
    assert len(shown) == 4
    window.close()
    notes.close()
    store.close()
