"""`python -m bench [--quick]`: performance figures for kkrdesk, one JSON object per line.

Full mode builds the decade-sized archive the issue asks for (10 years × 10
meetings × 15 items, > 50 MB); --quick builds a small one and finishes in well
under a minute. Progress goes to stderr, rows to stdout, so
`python -m bench > results.jsonl` keeps a clean record.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench import figures, pages, sealed
from bench.archive import FULL, QUICK
from bench.figures import Bench, Row, _why
from bench.rows import emit


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small archive, fewer repeats (< 60 s)")
    parser.add_argument("--work", type=Path, help="working folder (kept); default a temporary one (removed)")
    parser.add_argument("--scale", type=int, default=1, metavar="N",
                        help="N × the archive (N × the years of meetings); search_p95_ms_x5 is always 5 × this")
    parser.add_argument("--only", nargs="+", metavar="GROUP",
                        choices=["corpus", "archive", "pdf", "search", "pack", "startup", "stall", "pages", "sealed"],
                        help="run only these groups (search and startup need the archive)")
    return parser.parse_args(argv)


def _log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# The rows each group promises, so a failed group still prints them (value null, with a note).
EXPECTED = {
    "corpus": [("import_corpus_s", "s", "<= 2.0")],
    "archive": [("archive_build_s", "s", "<= 60"), ("import_mb_per_s", "MB/s", None),
                ("store_size_ratio_vs_fts", "x", "<= 1.5"), ("import_ratio_vs_fts", "x", "<= 3")],
    "pdf": [("import_pdf_pages_per_s", "pages/s", None)],
    "search": figures.SEARCH_NAMES,
    "pack": [("pack_meeting_2021_s", "s", "<= 5"), ("pack_pages_per_s", "pages/s", None),
             ("pack_ratio_vs_minimal", "x", "<= 2")],
    "pages": pages.EXPECTED,
    "startup": [("start_bundled_s", "s", "<= 1.0"), ("start_archive_s", "s", "<= 1.0"),
                ("memory_archive_mb", "MB", "<= 300"), ("start_ratio_vs_minimal_window", "x", "<= 2.5")],
    "stall": [("window_stall_ms_export", "ms", "<= 100")],
    "sealed": [("sealed_open_extra_s", "s", "<= 0.3")],
}


def _group(bench: Bench, name: str, fn, *args) -> tuple[list[Row], Path | None]:
    """Run one group, print its rows as they come; a crash becomes null rows with the reason."""
    _log(f"{name} …")
    start = time.perf_counter()
    try:
        result = fn(bench, *args)
    except Exception as exc:  # noqa: BLE001 - one broken figure must not hide the rest
        _log(f"{name} failed: {_why(exc)}")
        result = bench.missing(EXPECTED[name], f"fejl under målingen: {_why(exc)}")
    rows, path = result if isinstance(result, tuple) else (result, None)
    for row in rows:
        emit(row)
    _log(f"{name} done in {time.perf_counter() - start:.1f} s")
    return rows, path


def run(bench: Bench, only: set[str]) -> list[Row]:
    rows: list[Row] = []
    corpus_db = archive_db = None
    figures.compile_bytecode()   # as an installed app is: no group pays for compiling kkrdesk
    if only & {"corpus", "pack", "stall"}:
        found, corpus_db = _group(bench, "corpus", figures.import_corpus)
        rows += found
    if only & {"archive", "search", "startup"}:
        found, archive_db = _group(bench, "archive", figures.archive)
        rows += found
    if "pdf" in only:
        rows += _group(bench, "pdf", figures.import_pdf)[0]
    if "search" in only:
        rows += _group(bench, "search", figures.search, archive_db)[0]
    if "pack" in only:
        rows += _group(bench, "pack", figures.pack, corpus_db)[0]
    if "startup" in only:
        rows += _group(bench, "startup", figures.startup, archive_db)[0]
    if "stall" in only:
        rows += _group(bench, "stall", figures.stall, corpus_db)[0]
    if "pages" in only:
        rows += _group(bench, "pages", pages.run)[0]
    if "sealed" in only:
        rows += _group(bench, "sealed", sealed.sealed_open)[0]
    return rows


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = args.work or Path(tempfile.mkdtemp(prefix="kkrdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["KKRDESK_DATA_DIR"] = str(work / "userdata-inproc")   # never touch the real user's store
    size = QUICK if args.quick else FULL
    if args.scale > 1:   # N × the years, ending in the same year
        size = replace(size, years=size.years * args.scale, first_year=size.first_year - size.years * (args.scale - 1),
                       label=f"{size.label}-x{args.scale}")
    if args.quick:
        bench = Bench(work, "quick", size, repeats=3, search_rounds=3, pdf_pages=10)
    else:
        bench = Bench(work, "full", size, repeats=5, search_rounds=9, pdf_pages=60)
    only = set(args.only or ["corpus", "archive", "pdf", "search", "pack", "startup", "stall", "pages",
                            "sealed"])
    start = time.perf_counter()
    try:
        rows = run(bench, only)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    missed = [r["name"] for r in rows if r["met"] is False]
    unmeasured = [r["name"] for r in rows if r["value"] is None]
    _log(f"{bench.mode}: {len(rows)} figures in {time.perf_counter() - start:.1f} s; "
         f"missed targets: {', '.join(missed) or 'none'}; not measured: {', '.join(unmeasured) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
