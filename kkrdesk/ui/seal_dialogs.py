"""Opening a sealed pack in the window (#18): the passphrase, a new sender, a tampered pack.

The data side (`data/sealed_store.py`, `data/signing.py`) verifies, decrypts and trusts; this
module asks the member what only a person can answer, before anything is installed or trusted:

- a pack altered after publication is refused with a dialog;
- a pack signed by another key than the one trusted for its body is refused unless the member
  accepts the new key ("Stol på den nye nøgle"), after seeing its fingerprint;
- an encrypted pack asks for its passphrase once ("Adgangskode til pakken"), trying first the
  passphrase given earlier in this run, KKRDESK_PASSPHRASE_FILE and the OS keyring; a wrong one
  asks again, "Annullér" stops; ticking "Husk på denne computer" keeps it in the keyring;
- the first pack of a body shows the secretariat's fingerprint (trust on first use).

The two entry points are `install_and_open_asking` (File → Åbn pakke…) and `open_pack_asking`
(`kkrdesk --db PACK`); both return None when the member stopped, and raise StoreError (one line)
for anything else the window already shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from kkrdesk.data import sealed, signing
from kkrdesk.data.store import Store, StoreError

OPEN_TITLE = "Åbn pakke"
PASSPHRASE_TITLE = "Adgangskode til pakken"
REMEMBER_TEXT = "Husk på denne computer"
WRONG_TEXT = "Forkert adgangskode – prøv igen."
ACCEPT_KEY_TEXT = "Stol på den nye nøgle"
REJECT_KEY_TEXT = "Afvis pakken"
NEW_SIGNER_TITLE = "Ny udgiver"


class PassphraseDialog(QDialog):
    """Asks for a pack's passphrase: a masked field, "Husk på denne computer", Åbn / Annullér."""

    def __init__(self, parent: QWidget | None, pack_name: str, wrong: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(PASSPHRASE_TITLE)
        self.setModal(True)
        intro = QLabel(f"<b>{_escape(pack_name)}</b> indeholder lukkede punkter og er krypteret.<br>"
                       "Skriv den adgangskode, sekretariatet har givet dig.")
        intro.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.Password)
        self.field.setObjectName("passphrase")
        self.field.setAccessibleName("Adgangskode")
        self.field.setPlaceholderText("Adgangskode")
        self.error = QLabel(WRONG_TEXT)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.setVisible(wrong)
        self.remember = QCheckBox(REMEMBER_TEXT)
        self.remember.setToolTip("Gemmer adgangskoden i styresystemets nøglering, så du ikke bliver spurgt igen")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok = buttons.button(QDialogButtonBox.Ok)
        self.ok.setText("Åbn")
        self.ok.setEnabled(False)
        buttons.button(QDialogButtonBox.Cancel).setText("Annullér")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        layout = QVBoxLayout(self)
        for widget in (intro, self.field, self.error, self.remember, buttons):
            layout.addWidget(widget)
        layout.addStretch(1)                 # spare height below the buttons, not around the text
        self.setMinimumWidth(440)
        self.field.setFocus(Qt.OtherFocusReason)

    def passphrase(self) -> str:
        return self.field.text()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class SenderDecision:
    accept_new_signer: bool       # the member accepted another key for a known body
    first: bool                   # no key was trusted for this body yet (trust on first use)


def _meeting_key(pack: sealed.SealedPack) -> str:
    return str(pack.header.get("meeting_key") or "")


def _fits(pack: sealed.SealedPack, passphrase: str | None) -> bool:
    if not passphrase:
        return False
    try:
        sealed.open_payload(pack, passphrase)
    except (sealed.WrongPassphrase, sealed.PassphraseNeeded):
        return False
    return True


def _needs_passphrase(pack: sealed.SealedPack) -> bool:
    return pack.encrypted and pack.has_payload and not pack.expired()


def check_sender(parent: QWidget | None, path: Path, pack: sealed.SealedPack) -> SenderDecision | None:
    """Refuse a tampered pack; ask about another key for a known body. None: refused or not accepted."""
    try:
        sealed.verify(pack)
    except sealed.Tampered:
        QMessageBox.warning(parent, OPEN_TITLE, f"{path.name}: {sealed.TAMPERED} – pakken er ikke åbnet.")
        return None
    known = signing.trusted_keys().get(pack.body)
    if known is None:
        return SenderDecision(False, True)
    if known == pack.signer.hex():
        return SenderDecision(False, False)
    return SenderDecision(True, False) if ask_accept_new_key(parent, path, pack) else None


def ask_accept_new_key(parent: QWidget | None, path: Path, pack: sealed.SealedPack) -> bool:
    """The refusal of a pack signed by another key, with the choice to trust the new key."""
    box = QMessageBox(QMessageBox.Warning, "Pakken er underskrevet med en ny nøgle",
                      f"{path.name} er underskrevet med en anden nøgle end den, du stoler på for {pack.body}.",
                      QMessageBox.NoButton, parent)
    box.setInformativeText(
        f"Den nye nøgles fingeraftryk:\n{signing.fingerprint(pack.signer)}\n\n"
        "Stol kun på den, hvis sekretariatet har bekræftet fingeraftrykket (fx i telefonen). "
        "Ellers afvises pakken.")
    accept = box.addButton(ACCEPT_KEY_TEXT, QMessageBox.AcceptRole)
    reject = box.addButton(REJECT_KEY_TEXT, QMessageBox.RejectRole)
    box.setDefaultButton(reject)
    box.exec()
    return box.clickedButton() is accept


def announce_new_signer(parent: QWidget | None, body: str, fingerprint: str) -> None:
    """Trust on first use: say whom the app trusts now, so the member can compare the fingerprint."""
    QMessageBox.information(
        parent, NEW_SIGNER_TITLE,
        f"Ny udgiver: {body}.\n\nFra nu af stoler kkrdesk på pakker fra {body}, der er underskrevet med "
        f"nøglen med fingeraftryk\n\n{fingerprint}\n\n"
        "Sammenlign fingeraftrykket med det, sekretariatet har oplyst.")


def unlock(parent: QWidget | None, path: Path, pack: sealed.SealedPack) -> bool:
    """Find the passphrase (this run, KKRDESK_PASSPHRASE_FILE, keyring, else ask); False when cancelled.

    The passphrase that fits is kept in memory for this run, so later reads of the installed copy
    (change marks, "read") need no second question.
    """
    from kkrdesk.data.sealed_store import configured_passphrase, remember_passphrase, remembered_passphrase
    from kkrdesk.ui import seal_keyring

    key = _meeting_key(pack)
    try:
        configured = configured_passphrase()
    except StoreError:
        configured = None
    for candidate in (remembered_passphrase(key), configured):
        if _fits(pack, candidate):
            remember_passphrase(key, candidate)
            return True
    kept = seal_keyring.stored_passphrase(key)
    if _fits(pack, kept):
        remember_passphrase(key, kept)
        return True
    wrong = False
    while True:
        dialog = PassphraseDialog(parent, path.name, wrong)
        if dialog.exec() != QDialog.Accepted:
            return False
        passphrase = dialog.passphrase()
        if _fits(pack, passphrase):
            remember_passphrase(key, passphrase)
            if dialog.remember.isChecked():
                seal_keyring.store_passphrase(key, passphrase)
            return True
        wrong = True


def _prepare(parent: QWidget | None, path: Path) -> tuple[sealed.SealedPack | None, SenderDecision] | None:
    """The questions before a pack is installed or opened; None when the member stopped."""
    from kkrdesk.data.sealed_store import read_sealed

    pack = read_sealed(path)
    if pack is None:
        return None, SenderDecision(False, False)
    decision = check_sender(parent, path, pack)
    if decision is None:
        return None
    if _needs_passphrase(pack) and not unlock(parent, path, pack):
        return None
    return pack, decision


def install_and_open_asking(parent: QWidget | None, source: Path):
    """File → Åbn pakke…: ask, install (replacing an older version), open the installed copy.

    Returns (store, InstallResult), or None when the member stopped.
    """
    from kkrdesk.data.pack_install import install_pack
    from kkrdesk.data.packs import open_pack

    prepared = _prepare(parent, source)
    if prepared is None:
        return None
    pack, decision = prepared
    result = install_pack(source, accept_new_signer=decision.accept_new_signer)
    store = open_pack(result.path)
    if pack is not None and result.new_signer and not decision.accept_new_signer:
        announce_new_signer(parent, pack.body, result.new_signer)
    return store, result


def open_pack_asking(parent: QWidget | None, path: Path) -> Store | None:
    """`kkrdesk --db PACK` in the window: ask, then open the pack read-only (not installed)."""
    from kkrdesk.data.packs import open_pack

    prepared = _prepare(parent, path)
    if prepared is None:
        return None
    pack, decision = prepared
    store = open_pack(path, accept_new_signer=decision.accept_new_signer)
    if pack is not None and decision.first:
        announce_new_signer(parent, pack.body, signing.fingerprint(pack.signer))
    return store
