"""Starting the window: the store, the notes, the settings and Qt's Danish translations.

Nothing here imports matplotlib or reportlab: the first window must appear fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from kkrdesk import APP_NAME
from kkrdesk.data.notes import NotesStore
from kkrdesk.data.store import Store, StoreError
from kkrdesk.paths import app_icon_path, user_data_dir

T = TypeVar("T")


def settings_path() -> Path:
    return user_data_dir() / "kkrdesk.ini"


def make_settings() -> QSettings:
    """An INI file in the user data dir (not the registry), so it moves with KKRDESK_DATA_DIR."""
    return QSettings(str(settings_path()), QSettings.IniFormat)


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own dialogs (file dialog, message boxes) in Danish."""
    QLocale.setDefault(QLocale(QLocale.Danish, QLocale.Denmark))
    directory = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    installed = []
    for name in ("qtbase_da", "qt_da"):
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            installed.append(translator)
            break
    return installed


UPGRADING = "Opdaterer lageret til denne version af kkrdesk …\nDet sker én gang og kan tage et øjeblik."
BUILDING = "Gør lageret klar med det medfølgende materiale …"
PROGRESS_AFTER_S = 0.3     # work shorter than this shows no dialog


def run_with_progress(label: str, work: Callable[[], T]) -> T:
    """`work()` in a thread while the window's first moments show what happens (a busy dialog without Stop:
    an upgrade is one transaction per step and is not left half done); its error is raised here.

    Before the window exists, a frozen nothing for seconds (a decade's store upgrades in about 8 s)
    looks like a crash. The work opens its own connections; the caller opens the store afterwards.
    """
    import threading

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QProgressDialog

    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="kkrdesk-prepare", daemon=True)
    thread.start()
    thread.join(PROGRESS_AFTER_S)
    if thread.is_alive():
        dialog = QProgressDialog(label, None, 0, 0)      # no Stop button, a busy bar
        dialog.setWindowTitle(APP_NAME)
        dialog.setWindowModality(Qt.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
        timer.start(50)
        loop.exec()
        timer.stop()
        dialog.close()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def open_app_store(db_path: Path | None) -> Store | None:
    """--db PATH (a .kkrpack read-only) or the bundled default store, built on first start.

    None when the member stopped at a sealed pack's question (passphrase, new key, #18). Building
    the default store and upgrading an older one run beside a busy dialog (`run_with_progress`)."""
    from kkrdesk.data.store import needs_upgrade, open_store

    if db_path is None:
        from kkrdesk.data.bundled import ensure_default_store
        from kkrdesk.paths import default_store_path

        path = default_store_path()
        label = UPGRADING if needs_upgrade(path) else BUILDING
        return open_store(run_with_progress(label, ensure_default_store))
    db_path = Path(db_path)
    if db_path.suffix.lower() == ".kkrpack":
        from kkrdesk.ui.seal_dialogs import open_pack_asking  # #18: passphrase, new sender, tampered

        return open_pack_asking(None, db_path)
    if not db_path.exists():
        raise StoreError(f"{db_path}: findes ikke")
    if needs_upgrade(db_path):
        run_with_progress(UPGRADING, lambda: open_store(db_path).close())
    return open_store(db_path)


def create_main_window(store: Store, notes: NotesStore | None = None, settings: QSettings | None = None):
    from kkrdesk.ui.main_window import MainWindow

    return MainWindow(store, notes or NotesStore(), settings or make_settings())


# Keyboard focus must be visible from the first Tab: a blue frame on lists, pages and fields.
FOCUS_CSS = """
QTreeView:focus, QListView:focus, QTableView:focus, QTextBrowser:focus, QPlainTextEdit:focus, QLineEdit:focus {
    border: 2px solid #1f5fa8;
}
"""


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("kkrdesk")
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("kkrdesk")  # matches resources/kkrdesk.desktop (Wayland task bars)
    icon = app_icon_path()
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translations(app)
    if FOCUS_CSS not in app.styleSheet():
        app.setStyleSheet(app.styleSheet() + FOCUS_CSS)
    return app


def expire_sealed_packs() -> None:
    """#18: installed sealed packs past their expiry date lose their closed content at start.

    Without an install index there is nothing to expire, and nothing heavy is imported (start path, #20).
    """
    from kkrdesk.paths import user_data_dir

    if not (user_data_dir() / "pakker" / "installerede.json").exists():
        return
    from kkrdesk.data.pack_install import expire_installed_packs

    try:
        expire_installed_packs()
    except (StoreError, OSError):  # an unreadable index is said where the packs are listed, not here
        pass


SHOWN_MARKER = "kkrdesk: main window shown"


def _exit_after_shown() -> bool:
    """KKRDESK_EXIT_AFTER_SHOWN=1: the benchmark's start-up probe (print SHOWN_MARKER, then quit)."""
    import os

    return os.environ.get("KKRDESK_EXIT_AFTER_SHOWN", "") not in ("", "0")


def run_app(db_path: Path | None) -> int:
    """The `kkrdesk` command without a subcommand: open the window; a bad store is a dialog, not a traceback."""
    from kkrdesk.ui.platform_check import missing_library

    if QApplication.instance() is None and (message := missing_library()):
        print(message, file=sys.stderr)     # Qt would abort the process with a screenful instead
        return 1
    app = ensure_app()
    expire_sealed_packs()
    try:
        store = open_app_store(db_path)
    except (StoreError, OSError) as exc:
        QMessageBox.critical(None, "kkrdesk", f"Lageret kan ikke åbnes.\n\n{exc}")
        return 1
    if store is None:
        return 1
    try:
        notes = NotesStore()
    except Exception as exc:  # noqa: BLE001 - a broken notes file must be said, not crash
        QMessageBox.critical(None, "kkrdesk", f"Dine noter kan ikke åbnes ({exc}).")
        store.close()
        return 1
    window = create_main_window(store, notes)
    window.show()
    if _exit_after_shown():  # bench/ (#8) times start-up: say "shown" once the loop runs, then quit
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: (print(SHOWN_MARKER, flush=True), app.quit()))
    code = app.exec()
    notes.close()
    store.close()
    return code
