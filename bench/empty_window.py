"""`python -m bench.empty_window`: the peer of the app's start — PySide6 and an empty QMainWindow shown.

Prints the same marker as the app on the first turn of the event loop after show(), then quits.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

MARKER = "kkrdesk: main window shown"


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()

    def shown() -> None:
        print(MARKER, flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
