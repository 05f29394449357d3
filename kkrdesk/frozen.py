"""Entry point of the PyInstaller build (build.spec points here, not at __main__.py).

A frozen app differs from a source checkout in three ways that matter:
- a windowed executable (Windows/macOS, `console=False`) starts with
  `sys.stdout`/`sys.stderr` set to None, so any write would raise;
- nobody sees a traceback, so errors must land in a log file under the
  per-user log dir (platformdirs), never next to the program;
- resources live under `sys._MEIPASS` (handled by `kkrdesk.paths`);
- PyInstaller's matplotlib runtime hook points MPLCONFIGDIR at a fresh temp dir on every
  start, so matplotlib would rescan all system fonts each time (seconds on a desktop with
  many fonts). We keep its cache in the per-user cache dir instead.

`--selftest` (only here, not in the normal CLI) prints a JSON report on what the
bundle contains (resources, fonts, FTS5, Qt's Danish catalogue, the QtAgg canvas, a spawned
import worker, and the ICU data Qt relies on: Danish collation, text boundaries, codecs) so the
packaging test can check the built folder without opening a window. The Linux build ships a trimmed ICU data
library (packaging/icu_trim.py); the ICU checks prove the trimmed data still serves Danish.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from typing import Any

LOG_NAME = "kkrdesk.log"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def guard_std_streams() -> None:
    """Windowed builds have no stdout/stderr: point them at os.devnull so print() and json.dump work."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def persistent_matplotlib_cache() -> None:
    """Point MPLCONFIGDIR at <user_cache_dir>/matplotlib (before matplotlib is imported).

    Safe for onedir: the font paths in the cache stay valid while the app folder stays put,
    and matplotlib rebuilds the cache by itself if a cached font file has gone.
    """
    from kkrdesk.paths import user_cache_dir

    try:
        folder = user_cache_dir() / "matplotlib"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # keep PyInstaller's temp dir
    os.environ["MPLCONFIGDIR"] = str(folder)


def setup_logging() -> str | None:
    """Log warnings and uncaught exceptions to <user_log_dir>/kkrdesk.log; returns the file path or None."""
    from kkrdesk.paths import user_log_dir

    try:
        path = user_log_dir() / LOG_NAME
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None  # a read-only or missing home must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    previous = sys.excepthook

    def log_uncaught(exc_type, exc, tb) -> None:
        logging.getLogger("kkrdesk").critical("Ufanget fejl", exc_info=(exc_type, exc, tb))
        previous(exc_type, exc, tb)

    sys.excepthook = log_uncaught
    return str(path)


# Danish collation (CLDR "da"): æ, ø, å come after z, and the old spelling "aa" sorts as "å".
DANISH_PLACES = ["Åbybro", "Aalborg", "Østerild", "Zealand", "Ærø"]
DANISH_ORDER = ["Zealand", "Ærø", "Østerild", "Åbybro", "Aalborg"]
DANISH_TEXT = "Kontaktrådet mødes i Ærøskøbing. Økonomiudvalget følger op."
DANISH_WORDS = ["Kontaktrådet", "mødes", "i", "Ærøskøbing", "Økonomiudvalget", "følger", "op"]
# Codecs kept in the trimmed ICU data (ISO-8859-1 is built into ICU; the rest are data tables).
ICU_CODECS = ["ISO-8859-1", "ISO-8859-15", "windows-1252", "IBM850", "IBM865"]


def icu_checks() -> dict[str, Any]:
    """Text handling a Danish user relies on; QtCore only, no application object needed.

    Collation and the codecs go through ICU's data (trimmed in the Linux build). Qt 6 finds word
    and line boundaries with its own Unicode tables, not ICU's break rules, but they are checked
    here too so that a future Qt that does use ICU for them is covered by the same test.
    Returns check name -> True or a description of what came out instead.
    """
    from PySide6.QtCore import QCollator, QLocale, QStringConverter, QStringDecoder, QTextBoundaryFinder

    checks: dict[str, Any] = {}
    collator = QCollator(QLocale("da_DK"))
    ordered = sorted(DANISH_PLACES, key=collator.sortKey)
    checks["icu_danish_collation"] = ordered == DANISH_ORDER or ordered

    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Word, DANISH_TEXT)
    words, start = [], 0
    while (end := finder.toNextBoundary()) != -1:
        if DANISH_TEXT[start:end].strip(" .") and finder.boundaryReasons() & QTextBoundaryFinder.BoundaryReason.EndOfItem:
            words.append(DANISH_TEXT[start:end])
        start = end
    checks["word_boundaries"] = words == DANISH_WORDS or words

    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, DANISH_TEXT)
    breaks = []
    while (end := finder.toNextBoundary()) != -1:
        breaks.append(end)
    expected = [i + 1 for i, char in enumerate(DANISH_TEXT) if char == " "] + [len(DANISH_TEXT)]
    checks["line_breaks"] = breaks == expected or breaks

    invalid = [name for name in ICU_CODECS if not QStringDecoder(name).isValid()]
    checks["icu_codecs"] = not invalid or f"not available: {invalid}"
    checks["icu_codec_count"] = len(QStringConverter.availableCodecs())  # informative, not a pass/fail
    return checks


def selftest() -> dict[str, Any]:
    """What the bundle can do, checked from inside it (each check is independent)."""
    from kkrdesk import __version__
    from kkrdesk.paths import app_icon_path, corpus_dir, resources_dir

    report: dict[str, Any] = {"version": __version__, "frozen": is_frozen(), "resources": str(resources_dir())}
    checks: dict[str, Any] = {}

    corpus = sorted(p.name for p in corpus_dir().glob("*")) if corpus_dir().is_dir() else []
    checks["corpus"] = bool(corpus)
    report["corpus_files"] = corpus
    checks["themes"] = (resources_dir() / "themes.json").is_file()
    checks["icon"] = app_icon_path().is_file()

    try:
        from kkrdesk.briefing.styles import font_dir

        checks["fonts"] = (font_dir() / "DejaVuSans-Bold.ttf").is_file()
    except Exception as exc:  # noqa: BLE001 - report, don't crash the self-test
        checks["fonts"] = f"{type(exc).__name__}: {exc}"

    import sqlite3

    try:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 0')")
        conn.close()
        checks["fts5"] = True
    except sqlite3.Error as exc:
        checks["fts5"] = str(exc)

    try:
        from PySide6.QtCore import QLibraryInfo, QTranslator
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        report["qt_translations"] = sorted(n for n in os.listdir(directory) if n.endswith(".qm")) \
            if os.path.isdir(directory) else []
        checks["qt_danish"] = QTranslator(app).load("qtbase_da", directory)

        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(2, 1))
        figure.add_subplot().bar(["a", "b"], [1, 2])
        canvas = FigureCanvasQTAgg(figure)
        canvas.draw()
        checks["qtagg_canvas"] = canvas.get_width_height()[0] > 0
    except Exception as exc:  # noqa: BLE001
        checks.setdefault("qt_danish", False)
        checks["qtagg_canvas"] = f"{type(exc).__name__}: {exc}"

    try:
        checks["import_worker"] = spawned_worker_check()
    except Exception as exc:  # noqa: BLE001
        checks["import_worker"] = f"{type(exc).__name__}: {exc}"

    try:
        icu = icu_checks()
        report["icu_codec_count"] = icu.pop("icu_codec_count")
        checks.update(icu)
    except Exception as exc:  # noqa: BLE001
        checks["icu_danish_collation"] = f"{type(exc).__name__}: {exc}"

    report["checks"] = checks
    report["ok"] = all(value is True for value in checks.values())
    return report


def spawned_worker_check() -> bool | str:
    """A batch import's worker, spawned as the window's import spawns it (a new process of this
    executable, through `multiprocessing.freeze_support`), prepares a corpus file and sends it back."""
    from kkrdesk.ingest.batch import SECTIONS, _work
    from kkrdesk.ingest.batch_worker import Worker
    from kkrdesk.paths import corpus_dir

    sample = min(corpus_dir().glob("*.txt"))
    worker = Worker("auto", _work, SECTIONS, "spawn")
    try:
        if not worker.send(str(sample)):
            return "the worker did not start"
        outcome, value = worker.take()
        return True if outcome == "ok" and value.lines else f"{outcome}: {value}"
    finally:
        worker.close()


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()   # a spawned import worker starts here as well (ingest/batch.py)
    guard_std_streams()
    if is_frozen():
        setup_logging()
        persistent_matplotlib_cache()
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--selftest"]:
        report = selftest()
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if report["ok"] else 1
    from kkrdesk.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
