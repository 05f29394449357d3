"""`python -m bench.pdf150`: a 150-page text PDF through `import_file`, with progress per page (#13).

Target: the whole import in ≤ 10 s on this machine. Printed beside it, as the ratio the brief
asks for, is a peer measured in the same run on the same file: pypdf's `extract_text()` of every
page (the old reader, which knew no positions, tables or page headers). One JSON row per figure
on stdout; the per-page progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import timed_cpu
from bench.pdfs import write_pdf
from bench.rows import emit, make_row

PAGES = 150
TARGET_S = 10.0


def _pypdf_text(path: Path) -> int:
    from pypdf import PdfReader

    return sum(len(page.extract_text() or "") for page in PdfReader(str(path)).pages)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(work: Path, pages: int = PAGES) -> list[dict]:
    from kkrdesk.data.store import open_store
    from kkrdesk.ingest.importer import import_file

    pdf = work / f"bench-{pages}-sider.pdf"
    printed = write_pdf(pdf, pages)
    seen: list[tuple[int, int, float]] = []
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        seen.append((done, total, time.perf_counter() - start))
        if done % 25 == 0 or done == total:
            print(f"[bench.pdf150] side {done} af {total} ({seen[-1][2]:.1f} s)", file=sys.stderr, flush=True)

    store = open_store(work / "pdf150.sqlite")
    children = _children_cpu()
    try:
        seconds, cpu, result = timed_cpu(lambda: import_file(store, pdf, progress=progress))
    finally:
        store.close()
    cpu += _children_cpu() - children        # the guard parses in a forked child (#16)
    peer_s, peer_cpu, _ = timed_cpu(lambda: _pypdf_text(pdf))
    per_page = len(seen) == printed and all(d == i + 1 for i, (d, _, _) in enumerate(seen))
    common = {"mode": "pdf150", "pages": printed, "progress_calls": len(seen), "progress_per_page": per_page}
    return [
        make_row("import_pdf150_s", seconds, "s", f"<= {TARGET_S}", cpu_s=round(cpu, 2),
                 kind=result.kind, **common),
        make_row("import_pdf150_vs_pypdf_text", seconds / peer_s if peer_s else None, "x", None,
                 peer="pypdf extract_text, same file", peer_s=round(peer_s, 2), **common),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf150", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=PAGES)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kkrdesk-pdf150-") as folder:
        os.environ["KKRDESK_DATA_DIR"] = str(Path(folder) / "userdata")
        for row in measure(Path(folder), args.pages):
            emit(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
