"""The path to the first window stays light: no numpy, matplotlib, reportlab or sqlite-utils, and only
the reader page built (#20.5)."""

import os
import subprocess
import sys

from kkrdesk.data import search_index
from kkrdesk.data.store import open_store
from kkrdesk.ingest.importer import import_file

PROBE = """
import sys
from kkrdesk.cli import main
main(["--db", sys.argv[1]])
heavy = sorted(m for m in ("numpy", "matplotlib", "reportlab", "sqlite_utils", "pypdf", "docx") if m in sys.modules)
print("HEAVY:" + ",".join(heavy))
pages = ("kkrdesk.ui.goal_view", "kkrdesk.ui.figures_view", "kkrdesk.ui.search_view", "kkrdesk.ui.pages.packs")
print("PAGES:" + ",".join(m for m in pages if m in sys.modules))
"""


def test_first_window_loads_no_heavy_modules(tmp_path):
    store = open_store(tmp_path / "store.sqlite")
    (tmp_path / "a.txt").write_text("1. Budget\nKommunerne drøfter budget 2021.\n", encoding="utf-8")
    import_file(store, tmp_path / "a.txt")
    search_index.catch_up(store.conn)        # as every import does at the end of its batch (#20)
    store.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KKRDESK_EXIT_AFTER_SHOWN="1",
               KKRDESK_DATA_DIR=str(tmp_path / "userdata"))
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "store.sqlite")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert "kkrdesk: main window shown" in done.stdout + done.stderr, done.stderr[-2000:]
    assert "HEAVY:\n" in done.stdout, done.stdout
    assert "PAGES:\n" in done.stdout, done.stdout        # the other pages are made when first opened
