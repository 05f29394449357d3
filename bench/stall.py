"""`python -m bench.stall STORE OUT.pdf`: the longest event-loop stall while the window exports a briefing.

Runs the real window (offscreen) on STORE, opens the meeting read from kkr-moede-2021-bilag.txt,
answers the save dialog with OUT.pdf and the notes question with "Nej", and triggers
Filer → Eksportér briefing… through its menu action. A 5 ms timer records the gaps between
its ticks until the PDF is written (export on the GUI thread stalls for all of it; a
background operation only for its hand-overs). Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    store_path, out = Path(argv[0]), Path(argv[1])
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    app = QApplication.instance() or QApplication([])
    from kkrdesk.data.store import open_store
    from kkrdesk.ui.app import create_main_window

    store = open_store(store_path)
    meeting = store.conn.execute(
        "SELECT m.id FROM meetings m JOIN documents d ON d.id = m.document_id "
        "WHERE d.file_name = 'kkr-moede-2021-bilag.txt' ORDER BY m.id LIMIT 1").fetchone()
    if meeting is None:
        print(json.dumps({"stall_ms": None, "note": "mødet fra 2021 findes ikke i lageret"}))
        return 0
    window = create_main_window(store)   # the app's own entry, whatever the window needs
    window.show()
    window.open_place("meeting", meeting[0])
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(out), "PDF (*.pdf)"))
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.No)
    action = next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                  if a.text().replace("&", "").startswith("Eksportér briefing"))
    for _ in range(5):
        app.processEvents()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    start = time.perf_counter()
    last[0] = start
    QTimer.singleShot(0, action.trigger)
    deadline = start + 120
    size = -1
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)
        if out.exists() and out.stat().st_size > 0 and out.stat().st_size == size:
            break
        size = out.stat().st_size if out.exists() else -1
    total = time.perf_counter() - start
    timer.stop()
    stall = max(gaps) * 1000 if gaps else total * 1000
    print(json.dumps({"stall_ms": round(stall, 1), "export_s": round(total, 3), "ticks": len(gaps),
                      "pdf_bytes": out.stat().st_size if out.exists() else None,
                      "background": "operations" in sys.modules.get("kkrdesk.ui.main_window").__dict__
                      or "kkrdesk.ui.operations" in sys.modules}))
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
