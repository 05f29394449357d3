"""The secretariat's export of a meeting with closed items (#18): passphrase and expiry date.

A meeting with closed items is exported only with a passphrase: the members' pack is encrypted
under it and the secretariat tells the members out of band. The dialog asks twice (a typo would
lock every member out), refuses an empty one and takes an optional expiry date, Danish
("31.12.2026") or ISO ("2026-12-31"), after which the members' apps keep only "Lukket punkt
(udløbet)". A meeting without closed items, or a secretariat with KKRDESK_PASSPHRASE_FILE set,
exports as before without a question.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kkrdesk.data.danish import format_date
from kkrdesk.data.store import Store, StoreError

TITLE = "Forsegl medlemmernes pakke"


class ExportSealDialog(QDialog):
    """Passphrase (twice) and an optional expiry date; `options()` after Accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setModal(True)
        intro = QLabel("Mødet har lukkede punkter. Medlemmernes pakke og PDF krypteres med en adgangskode, "
                       "som du giver medlemmerne ad en anden vej (fx sms eller telefon).")
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.Password)
        self.passphrase.setObjectName("passphrase")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.Password)
        self.repeat.setObjectName("repeat")
        self.expiry = QLineEdit()
        self.expiry.setObjectName("expiry")
        self.expiry.setPlaceholderText("fx 31.12.2026 – tom: udløber ikke")
        form = QFormLayout()
        form.addRow("&Adgangskode:", self.passphrase)
        form.addRow("&Gentag adgangskoden:", self.repeat)
        form.addRow("&Udløber (valgfri):", self.expiry)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Eksportér")
        buttons.button(QDialogButtonBox.Cancel).setText("Annullér")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self._expires: dt.date | None = None

    def _problem(self) -> str | None:
        from kkrdesk.publish.sealing import parse_expiry

        if not self.passphrase.text():
            return "Skriv en adgangskode."
        if self.passphrase.text() != self.repeat.text():
            return "De to adgangskoder er ikke ens."
        try:
            self._expires = parse_expiry(self.expiry.text())
        except StoreError as exc:
            return f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        if self._expires is not None and self._expires < dt.date.today():
            return f"Udløbsdatoen {format_date(self._expires.isoformat())} er allerede passeret."
        return None

    def accept(self) -> None:
        problem = self._problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()

    def options(self) -> dict:
        return {"passphrase": self.passphrase.text(), "expires": self._expires}


def ask_export_options(parent: QWidget | None, store: Store, meeting_id: int) -> dict | None:
    """{"passphrase", "expires"} for export_meeting; {} when no question is needed; None when cancelled."""
    from kkrdesk.data.sealed_store import configured_passphrase
    from kkrdesk.publish.sealing import has_closed_items

    if not has_closed_items(store, meeting_id):
        return {}
    try:
        if configured_passphrase() is not None:
            return {}
    except StoreError:
        pass
    dialog = ExportSealDialog(parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.options()
