"""Starting the window on an older store: it is upgraded beside a busy dialog that says so, then opened."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6 import QtWidgets

from kkrdesk.data.schema import SCHEMA_VERSION
from kkrdesk.ui import app as app_module
from tests.test_migrations import _make_v1


@pytest.fixture
def shown_dialogs(monkeypatch):
    """The labels of the progress dialogs the start shows (every one, however short the work)."""
    labels: list[str] = []

    class Recording(QtWidgets.QProgressDialog):
        def show(self) -> None:
            labels.append(self.labelText())
            super().show()

    monkeypatch.setattr(QtWidgets, "QProgressDialog", Recording)
    monkeypatch.setattr(app_module, "PROGRESS_AFTER_S", 0.0)
    return labels


_START_RECORDING_DIALOGS = """
import sys
from PySide6 import QtWidgets
from kkrdesk.ui import app

class Recording(QtWidgets.QProgressDialog):
    def show(self):
        print("DIALOG:" + self.labelText().replace("\\n", " "), flush=True)
        super().show()

QtWidgets.QProgressDialog = Recording
app.PROGRESS_AFTER_S = 0.0
sys.exit(app.run_app(sys.argv[1]))
"""


def test_an_older_store_is_upgraded_with_a_dialog_that_says_so(corpus_db_path, tmp_path):
    """`kkrdesk --db gammelt.sqlite` in its own process (the window quits once shown), every dialog recorded."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "gammelt.sqlite"
    _make_v1(path, corpus_db_path).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KKRDESK_EXIT_AFTER_SHOWN": "1",
           "KKRDESK_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-c", _START_RECORDING_DIALOGS, str(path)], capture_output=True,
                         text=True, env=env, timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    dialogs = [line[len("DIALOG:"):] for line in out.stdout.splitlines() if line.startswith("DIALOG:")]
    assert dialogs == [app_module.UPGRADING.replace("\n", " ")]
    assert app_module.SHOWN_MARKER in out.stdout                 # the window came up on the upgraded store
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] > 0
    finally:
        conn.close()
    assert (tmp_path / "gammelt.sqlite.v1.bak").exists()


def test_a_current_store_opens_without_a_dialog(qtbot, corpus_db_path, shown_dialogs):
    store = app_module.open_app_store(corpus_db_path)
    store.close()
    assert shown_dialogs == []


def test_an_upgrade_that_fails_is_one_clear_error_and_keeps_the_store(qtbot, tmp_path, shown_dialogs):
    from kkrdesk.data.store import StoreError

    path = tmp_path / "halvt.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('behold', 'mig')")
    conn.execute("PRAGMA user_version = 1")                # claims version 1 but has none of its tables
    conn.close()
    with pytest.raises(StoreError, match="halvt.sqlite"):  # run_app shows it in a dialog
        app_module.open_app_store(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT value FROM meta").fetchall() == [("mig",)]
    finally:
        conn.close()
