import contextlib
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from kkrdesk.data.store import open_store  # noqa: E402
from kkrdesk.ingest.importer import import_file  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "resources" / "corpus"
MEETING_PACK = CORPUS / "kkr-moede-2021-bilag.txt"
CONTRACT_2019 = CORPUS / "resultatkontrakt-2019.txt"
REPORT_2022 = CORPUS / "afrapportering-resultatkontrakt-2022.txt"
BUNDLE_2024 = CORPUS / "resultatkontrakt-2024-afrapportering-og-kkr-bilag-2025.txt"


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    """Every test gets its own user data dir: no test sees another's store, notes or settings."""
    monkeypatch.setenv("KKRDESK_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))


TEST_PASSPHRASE = "sekretariatets testadgangskode"


@pytest.fixture(autouse=True)
def _secretariat_passphrase(tmp_path_factory, monkeypatch):
    """Members' packs with closed items are sealed (#18): every test's secretariat and member share
    this passphrase through KKRDESK_PASSPHRASE_FILE, as a real member's app would after being told it.
    Tests of sealing itself remove or replace it."""
    path = tmp_path_factory.mktemp("passphrase") / "adgangskode.txt"
    path.write_text(TEST_PASSPHRASE + "\n", encoding="utf-8")
    monkeypatch.setenv("KKRDESK_PASSPHRASE_FILE", str(path))
    from kkrdesk.data import sealed_store

    monkeypatch.setattr(sealed_store, "_session_passphrases", {})
    monkeypatch.setattr(sealed_store, "_passphrase_file", None)


@pytest.fixture
def store():
    s = open_store(None)
    yield s
    s.close()


@pytest.fixture(scope="session")
def corpus_db_path(tmp_path_factory):
    """A store file with the whole corpus imported once per test session (read it, don't change it)."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.sqlite"
    s = open_store(path)
    for f in sorted(CORPUS.glob("*.txt")):
        import_file(s, f)
    from kkrdesk.data import search_index

    search_index.catch_up(s.conn)    # as every import does at the end of its batch (#20)
    s.close()
    return path


@pytest.fixture
def corpus_store(corpus_db_path):
    s = open_store(corpus_db_path)
    yield s
    s.close()


SCREENSHOTS = (Path(__file__).resolve().parent.parent / "docs" / "screenshots"
               if os.environ.get("KKRDESK_SCREENSHOTS") else Path(tempfile.gettempdir()) / "kkrdesk-screenshots")


@contextlib.contextmanager
def shown_window(qtbot, store, size: tuple[int, int] = (1280, 800), *, active: bool = False):
    """The main window on `store` with its own notes store, shown (and activated, for shortcuts and focus)."""
    from kkrdesk.data.notes import NotesStore
    from kkrdesk.ui.app import create_main_window, make_settings

    notes = NotesStore()
    window = create_main_window(store, notes, make_settings())
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    if active:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    try:
        yield window
    finally:
        window.close()
        notes.close()
