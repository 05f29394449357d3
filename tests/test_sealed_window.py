"""Sealed packs in the window (#18), clicked through as a member and the secretariat would.

A member opens a sealed pack from File → Åbn pakke…: the passphrase is asked once (wrong → asked
again, Annullér → nothing happens), may be kept in the keyring (an in-memory backend here, never
the real one), the first sender's fingerprint is shown, another key is refused until accepted and
a tampered pack is refused. The secretariat's export asks for the passphrase twice and an expiry
date. At start, an expired installed pack loses its closed content.
"""

from __future__ import annotations

import datetime as dt

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QPushButton

from kkrdesk.data import meetings, pack_install, queries, sealed, sealed_store, signing
from kkrdesk.data.notes import NotesStore
from kkrdesk.data.store import open_store
from kkrdesk.publish import export_meeting
from kkrdesk.ui.app import create_main_window, make_settings, run_app
from kkrdesk.ui.seal_dialogs import PassphraseDialog
from kkrdesk.ui.seal_export_dialog import ExportSealDialog

CANARY = "KANARIE-VINDUE-5512"
PASSPHRASE = "Blå måge over Hals 2026"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        self.passwords.pop((service, username), None)


class BrokenKeyring(KeyringBackend):
    """What a headless Linux without a secret service feels like: every call fails."""
    priority = 1

    def get_password(self, service, username):
        raise KeyringError("ingen nøglering")

    def set_password(self, service, username, password):
        raise KeyringError("ingen nøglering")

    def delete_password(self, service, username):
        raise KeyringError("ingen nøglering")


@pytest.fixture(autouse=True)
def _member_without_passphrase_file(monkeypatch):
    """A member who has only been told the passphrase: no file, nothing remembered, a private keyring."""
    monkeypatch.delenv("KKRDESK_PASSPHRASE_FILE")
    monkeypatch.setattr(sealed_store, "_session_passphrases", {})
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def secretariat(tmp_path):
    attachment = tmp_path / "notat.txt"
    attachment.write_text(f"Fortroligt notat {CANARY}\n", encoding="utf-8")
    store = open_store(tmp_path / "sekretariat.sqlite")
    meeting_id = meetings.create_meeting(store, "Møde i KKR Nordjylland", "2026-12-04", "Aalborg")
    meetings.add_item(store, meeting_id, "1", "Godkendelse af dagsorden", sagsfremstilling="Åben tekst.")
    closed = meetings.add_item(store, meeting_id, "2", f"Personalesag {CANARY}", access="lukket",
                               sagsfremstilling=f"Fortrolig sag {CANARY}")
    meetings.attach_file(store, closed, attachment)
    yield store, meeting_id
    store.close()


def _export(secretariat, folder, **kw):
    store, meeting_id = secretariat
    result = export_meeting(store, meeting_id, folder, passphrase=PASSPHRASE, **kw)
    return next(p for p in result.files if p.suffix == ".kkrpack" and "offentlig" not in p.name)


class DialogScript:
    """Answers the modal dialogs the window opens, in order; records each dialog's text.

    A dialog nobody expected is rejected (so a test never hangs) and recorded as unexpected.
    """

    def __init__(self, *actions) -> None:
        self.actions = list(actions)
        self.seen: list[QDialog] = []
        self.texts: list[str] = []
        self.unexpected: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(15)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or any(dialog is d for d in self.seen) or not dialog.isVisible():
            return
        self.seen.append(dialog)
        text = dialog.windowTitle()
        if isinstance(dialog, QMessageBox):
            text += " | " + dialog.text() + " | " + dialog.informativeText()
        self.texts.append(text)
        if not self.actions:
            self.unexpected.append(text)
            dialog.reject()
            return
        self.actions.pop(0)(dialog)

    def done(self) -> bool:
        return not self.actions

    def stop(self) -> None:
        self.timer.stop()


def type_passphrase(qtbot, text, remember=False, expect_wrong=False):
    def act(dialog):
        assert isinstance(dialog, PassphraseDialog)
        assert dialog.field.echoMode() == dialog.field.EchoMode.Password
        assert dialog.error.isHidden() is not expect_wrong
        qtbot.keyClicks(dialog.field, text)
        if remember:
            box = dialog.remember                                 # click the box itself, not the row's end
            qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))
            assert box.isChecked()
        qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    return act


def cancel(qtbot):
    def act(dialog):
        button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Annullér")
        qtbot.mouseClick(button, Qt.LeftButton)
    return act


def press(qtbot, label):
    def act(dialog):
        buttons = [b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == label]
        assert buttons, [b.text() for b in dialog.findChildren(QPushButton)]
        qtbot.mouseClick(buttons[0], Qt.LeftButton)
    return act


@pytest.fixture
def member(qtbot, tmp_path):
    own = open_store(tmp_path / "eget.sqlite")
    notes = NotesStore(tmp_path / "noter.sqlite")
    window = create_main_window(own, notes, make_settings())
    qtbot.addWidget(window)
    yield window, own
    window.close()
    if window.store is not own:
        window.store.close()
    notes.close()
    own.close()


def _open_from_menu(qtbot, window, monkeypatch, path, *actions) -> DialogScript:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    action = next(a for a in window.findChildren(QAction) if a.text().replace("&", "") == "Åbn pakke…")
    script = DialogScript(*actions)
    try:
        action.trigger()
        qtbot.waitUntil(script.done, timeout=5000)
    finally:
        script.stop()
    assert not script.unexpected, script.unexpected
    return script


def _start_app(monkeypatch, path) -> int:
    """`kkrdesk --db PATH` up to the shown window, then quit (the start-up probe of bench/).

    The quit closes the window; with quitOnLastWindowClosed that would post a second quit that the
    next test's first dialog would swallow, so it is off while the app runs here.
    """
    monkeypatch.setenv("KKRDESK_EXIT_AFTER_SHOWN", "1")
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)
    try:
        return run_app(path)
    finally:
        app.setQuitOnLastWindowClosed(True)


def _item_labels(window, meeting_id) -> list[str]:
    index = window.model.find("meeting", meeting_id)
    return [window.model.index(r, 0, index).data() for r in range(window.model.rowCount(index))]


def test_a_wrong_passphrase_is_asked_again_and_the_right_one_opens_the_closed_item(
        qtbot, member, secretariat, tmp_path, monkeypatch, _member_without_passphrase_file):
    window, own = member
    pack = _export(secretariat, tmp_path / "mappe")
    script = _open_from_menu(qtbot, window, monkeypatch, pack,
                             type_passphrase(qtbot, "gæt"),
                             type_passphrase(qtbot, PASSPHRASE, expect_wrong=True),
                             press(qtbot, "OK"))                       # "Ny udgiver …"
    assert script.texts[0] == script.texts[1] == "Adgangskode til pakken"
    assert script.texts[2].startswith("Ny udgiver")
    assert window.store is not own and window.store.read_only
    assert any(CANARY in label for label in _item_labels(window, secretariat[1]))
    assert _member_without_passphrase_file.passwords == {}            # not ticked: nothing kept
    key = sealed_store.read_sealed(pack).header["meeting_key"]
    assert pack_install.pack_changes(key) == []   # later reads of the installed copy need no second question


def test_annuller_stops_and_installs_nothing(qtbot, member, secretariat, tmp_path, monkeypatch):
    window, own = member
    pack = _export(secretariat, tmp_path / "mappe")
    _open_from_menu(qtbot, window, monkeypatch, pack, cancel(qtbot))
    assert window.store is own
    assert pack_install.installed_packs() == []
    assert signing.trusted_keys() == {}                               # nothing trusted before the passphrase


def test_husk_keeps_the_passphrase_in_the_keyring_and_the_next_run_asks_nothing(
        qtbot, member, secretariat, tmp_path, monkeypatch, _member_without_passphrase_file):
    window, own = member
    pack = _export(secretariat, tmp_path / "mappe")
    _open_from_menu(qtbot, window, monkeypatch, pack, type_passphrase(qtbot, PASSPHRASE, remember=True),
                    press(qtbot, "OK"))
    key = sealed_store.read_sealed(pack).header["meeting_key"]
    assert _member_without_passphrase_file.passwords == {("kkrdesk", key): PASSPHRASE}

    sealed_store._session_passphrases.clear()                         # the next run of the app
    window.set_store(own)
    _open_from_menu(qtbot, window, monkeypatch, pack)                 # no dialog at all
    assert any(CANARY in label for label in _item_labels(window, secretariat[1]))


def test_a_keyring_that_fails_never_blocks_opening(qtbot, member, secretariat, tmp_path, monkeypatch):
    keyring.set_keyring(BrokenKeyring())
    window, _own = member
    pack = _export(secretariat, tmp_path / "mappe")
    _open_from_menu(qtbot, window, monkeypatch, pack, type_passphrase(qtbot, PASSPHRASE, remember=True),
                    press(qtbot, "OK"))
    assert any(CANARY in label for label in _item_labels(window, secretariat[1]))


def test_first_sender_shows_its_fingerprint_and_another_key_is_refused_until_accepted(
        qtbot, member, secretariat, tmp_path, monkeypatch):
    window, own = member
    first = _export(secretariat, tmp_path / "v1")
    script = _open_from_menu(qtbot, window, monkeypatch, first, type_passphrase(qtbot, PASSPHRASE),
                             press(qtbot, "OK"))
    old_fingerprint = signing.fingerprint(sealed.public_key_bytes(signing.secretariat_key()))
    assert "Ny udgiver: KKR Nordjylland" in script.texts[1] and old_fingerprint in script.texts[1]

    signing.key_path().unlink()                                       # somebody else's key signs version 2
    second = _export(secretariat, tmp_path / "v2")
    new_fingerprint = signing.fingerprint(sealed.public_key_bytes(signing.secretariat_key()))
    assert new_fingerprint != old_fingerprint
    window.set_store(own)
    script = _open_from_menu(qtbot, window, monkeypatch, second, press(qtbot, "Afvis pakken"))
    assert new_fingerprint in script.texts[0] and "anden nøgle" in script.texts[0]
    assert window.store is own
    assert [p.version for p in pack_install.installed_packs()] == [1]

    script = _open_from_menu(qtbot, window, monkeypatch, second, press(qtbot, "Stol på den nye nøgle"))
    assert len(script.texts) == 1                                     # the passphrase is known in this run
    assert window.store is not own and [p.version for p in pack_install.installed_packs()] == [2]
    assert signing.trusted_keys()["KKR Nordjylland"] == sealed.public_key_bytes(signing.secretariat_key()).hex()


def test_a_tampered_pack_is_refused_with_a_dialog(qtbot, member, secretariat, tmp_path, monkeypatch):
    window, own = member
    pack = _export(secretariat, tmp_path / "mappe")
    data = bytearray(pack.read_bytes())
    data[-5] ^= 0x01                                                  # inside the signature
    pack.write_bytes(bytes(data))
    script = _open_from_menu(qtbot, window, monkeypatch, pack, press(qtbot, "OK"))
    assert f"{pack.name}: pakken er ændret efter udgivelse" in script.texts[0]
    assert window.store is own and pack_install.installed_packs() == []


def test_export_asks_the_passphrase_twice_and_an_expiry_date(qtbot, secretariat, tmp_path, monkeypatch):
    from kkrdesk.ui.secretariat import SecretariatView

    store, meeting_id = secretariat
    view = SecretariatView(store)
    qtbot.addWidget(view)
    view.select_meeting(meeting_id)
    expires = dt.date.today() + dt.timedelta(days=30)
    folder = tmp_path / "mappe"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))

    def fill(dialog):
        assert isinstance(dialog, ExportSealDialog)
        ok = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Eksportér")
        qtbot.mouseClick(ok, Qt.LeftButton)                           # empty: refused
        assert dialog.isVisible() and dialog.error.text() == "Skriv en adgangskode."
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClicks(dialog.repeat, PASSPHRASE + "x")
        qtbot.mouseClick(ok, Qt.LeftButton)                           # not the same: refused
        assert dialog.isVisible() and dialog.error.text() == "De to adgangskoder er ikke ens."
        qtbot.keyClick(dialog.repeat, Qt.Key_Backspace)
        qtbot.keyClicks(dialog.expiry, "31.13.2026")
        qtbot.mouseClick(ok, Qt.LeftButton)                           # not a date: refused
        assert dialog.isVisible() and "er ikke en dato" in dialog.error.text()
        dialog.expiry.clear()
        qtbot.keyClicks(dialog.expiry, expires.strftime("%d.%m.%Y"))  # Danish
        qtbot.mouseClick(ok, Qt.LeftButton)

    script = DialogScript(fill)
    try:
        qtbot.mouseClick(view.export_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: any(folder.glob("*.kkrpack")), timeout=10000)
    finally:
        script.stop()
    assert script.texts == ["Forsegl medlemmernes pakke"]
    pack = next(p for p in folder.glob("*.kkrpack") if "offentlig" not in p.name)
    sealed_pack = sealed_store.read_sealed(pack)
    assert sealed_pack.encrypted and sealed_pack.expires == expires
    for path in folder.iterdir():
        assert CANARY.encode() not in path.read_bytes(), path.name
    opened = sealed_store.open_sealed(pack, passphrase=PASSPHRASE)
    assert any(CANARY in item["title"] for item in queries.get_meeting(opened.db, meeting_id)["items"])
    opened.close()


def test_export_cancelled_at_the_passphrase_writes_nothing(qtbot, secretariat, tmp_path, monkeypatch):
    from kkrdesk.ui.secretariat import SecretariatView

    store, meeting_id = secretariat
    view = SecretariatView(store)
    qtbot.addWidget(view)
    view.select_meeting(meeting_id)
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: asked.append("mappe") or "")
    script = DialogScript(cancel(qtbot))
    try:
        qtbot.mouseClick(view.export_button, Qt.LeftButton)
        qtbot.waitUntil(script.done, timeout=5000)
    finally:
        script.stop()
    assert asked == [] and not script.unexpected


def test_expired_pack_loses_its_closed_content_at_start_and_shows_udloebet(
        qtbot, member, secretariat, tmp_path, monkeypatch):
    window, own = member
    pack = _export(secretariat, tmp_path / "mappe", expires=dt.date.today() - dt.timedelta(days=1))
    result = pack_install.install_pack(pack)                          # installed (the day before, say)
    assert sealed_store.read_sealed(result.path).has_payload

    assert _start_app(monkeypatch, tmp_path / "eget.sqlite") == 0                    # the next start
    assert sealed_store.read_sealed(result.path) is None              # only the fallback is left
    assert CANARY.encode() not in result.path.read_bytes()
    assert "Lukket punkt (udløbet)".encode() in result.path.read_bytes()

    _open_from_menu(qtbot, window, monkeypatch, pack)                 # no passphrase for an expired pack
    labels = _item_labels(window, secretariat[1])
    assert any("Lukket punkt (udløbet)" in label for label in labels), labels
    assert not any(CANARY in label for label in labels)


def test_starting_with_a_sealed_pack_asks_for_its_passphrase(qtbot, secretariat, tmp_path, monkeypatch):
    pack = _export(secretariat, tmp_path / "mappe")
    script = DialogScript(cancel(qtbot))
    try:
        assert _start_app(monkeypatch, pack) == 1                                    # Annullér: no window
    finally:
        script.stop()
    assert script.texts == ["Adgangskode til pakken"]
    script = DialogScript(type_passphrase(qtbot, PASSPHRASE), press(qtbot, "OK"))
    try:
        assert _start_app(monkeypatch, pack) == 0
    finally:
        script.stop()
    assert script.texts[0] == "Adgangskode til pakken" and script.texts[1].startswith("Ny udgiver")
    assert not script.unexpected
