"""One function per group of figures; each returns finished rows.

A figure whose feature is missing or broken becomes a row with value None and
a note saying why, so one failure never hides the other figures.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.archive import ArchiveSize, build_archive
from bench.measure import median, percentile, run_via_launcher, timed, timed_cpu
from bench.pdfs import write_pdf
from bench.peers import fts_floor, fts_section_floor, minimal_pack, scaled_store
from bench.rows import make_row

Row = dict[str, Any]
REPO = Path(__file__).resolve().parent.parent
SHOWN_MARKER = "kkrdesk: main window shown"
SHOWN_ENV = "KKRDESK_EXIT_AFTER_SHOWN"

# Twenty things a board member types: single words, phrases, prefixes and parts of compounds.
QUERIES = [
    "klimaambition",
    "pædagoger",
    "lærepladser",
    "erhvervshus",
    "Limfjorden",
    "frikommuneforsøg",
    "passagerråd",
    "budget",
    '"grøn omstilling"',
    '"Erhvervshus Nordjylland"',
    '"Børnehus Nord"',
    '"KKR Nordjylland"',
    "beskæft",
    "dimension",
    "kommun",
    "uddannelse",
    "trafik",
    "sundhed",
    "resultatkontrakt mål",
    "Aalborg Kommune budget",
]


@dataclass
class Bench:
    work: Path
    mode: str           # "full" or "quick"
    size: ArchiveSize
    repeats: int        # start-up runs (median of this many)
    search_rounds: int
    pdf_pages: int

    def row(self, name: str, value: float | None, unit: str, target: str | None = None, **kw: Any) -> Row:
        return make_row(name, value, unit, target, mode=self.mode, **kw)

    def missing(self, names: list[tuple[str, str, str | None]], why: str) -> list[Row]:
        return [self.row(name, None, unit, target, note=why) for name, unit, target in names]


def time_meeting_packs(bench: Bench, db, meeting_id: int, stem: str) -> tuple[list[float], list[float], int]:
    """Build a meeting's briefing pack repeats // 2 times: (wall seconds, CPU seconds, pages of the last)."""
    from kkrdesk.briefing import build_meeting_pack

    times, cpus, pages = [], [], 0
    for index in range(max(1, bench.repeats // 2)):
        target = bench.work / f"{stem}-{index}.pdf"
        seconds, cpu, result = timed_cpu(lambda t=target: build_meeting_pack(db, meeting_id, t))
        times.append(seconds)
        cpus.append(cpu)
        pages = result.pages
    return times, cpus, pages


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _fresh_store(path: Path):
    from kkrdesk.data.store import open_store

    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return open_store(path)


def _warm_up_importer(bench: Bench) -> None:
    """Load the importer's lazily imported extractors once, so the first timed file doesn't pay for it."""
    from kkrdesk.data.store import open_store
    from kkrdesk.ingest.importer import import_file

    sample = bench.work / "warm-up.txt"
    sample.write_text("Et kort notat om budget 2021.\n\nAalborg Kommune.\n", encoding="utf-8")
    store = open_store(None)
    import_file(store, sample)
    store.close()


def import_corpus(bench: Bench) -> tuple[list[Row], Path | None]:
    """import_corpus_s: the bundled corpus (four files) into a fresh store file; median of the repeats."""
    from kkrdesk.data import search_index
    from kkrdesk.data.bundled import bundle_files
    from kkrdesk.ingest.importer import import_file

    _warm_up_importer(bench)
    files = bundle_files()
    path = bench.work / "corpus.sqlite"
    times, cpus = [], []
    for _ in range(max(1, bench.repeats // 2)):
        store = _fresh_store(path)
        seconds, cpu, _ = timed_cpu(lambda s=store: ([import_file(s, f) for f in files],
                                                     search_index.catch_up(s.conn)))   # as `kkrdesk import` does
        store.close()
        times.append(seconds)
        cpus.append(cpu)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    return [bench.row("import_corpus_s", median(times), "s", "<= 2.0", runs=len(times),
                      cpu_s=round(median(cpus), 3), files=len(files), input_mb=round(size_mb, 3))], path


def archive(bench: Bench) -> tuple[list[Row], Path | None]:
    """archive_build_s and import_mb_per_s: every synthetic meeting pack imported into one store."""
    from kkrdesk.ingest.batch import import_files
    from kkrdesk.ingest.readers import ImportProblem

    folder = bench.work / f"archive-{bench.size.label}"
    shutil.rmtree(folder, ignore_errors=True)
    generate_s, specs = timed(lambda: build_archive(folder, bench.size))
    total_mb = sum(s.bytes for s in specs) / 1e6
    path = bench.work / f"archive-{bench.size.label}.sqlite"
    # The import and its FTS floor measured alternately — floor, import, floor, import … floor — and
    # each side's median the figure: the host's speed drifts by a quarter over a minute, and one import
    # against one floor measured after it followed that drift (±10 % between runs).
    floor_files = [spec.path for spec in specs]
    floors = [fts_floor(floor_files, bench.work / "fts-floor.sqlite")]
    imports: list[tuple[float, float, float]] = []
    for _round in range(3 if bench.mode == "full" else 1):
        store = _fresh_store(path)
        warnings = 0

        def load(store=store) -> None:   # as `kkrdesk import` on the folder: the next pack read in a worker meanwhile
            nonlocal warnings
            for result in import_files(store, [spec.path for spec in specs]):
                if isinstance(result, ImportProblem):
                    raise result
                warnings += len(result.warnings)      # after the last: the search's postings, once for the batch

        children = os.times()
        seconds, cpu, _ = timed_cpu(load)
        imports.append((seconds, cpu, sum(os.times()[2:4]) - sum(children[2:4])))  # + the worker, reaped at its end
        counts = {name: store.conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                  for name in ("meetings", "agenda_items", "bilag", "sections")}
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        floors.append(fts_floor(floor_files, bench.work / "fts-floor.sqlite"))
    seconds, cpu, worker_cpu = sorted(imports)[len(imports) // 2]       # an odd number of imports
    floor_s, floor_cpu, floor_bytes = median([f[0] for f in floors]), median([f[2] for f in floors]), floors[-1][1]
    sections_s, _sections_cpu = fts_section_floor(path, bench.work / "fts-section-floor.sqlite")
    store_bytes = path.stat().st_size
    shape = (f"{bench.size.years} år × {bench.size.meetings_per_year} møder × "
             f"{bench.size.items_per_meeting} punkter")
    common = {"archive": shape, "input_mb": round(total_mb, 2), "packs": len(specs), **counts}
    return [
        bench.row("archive_build_s", seconds, "s", "<= 60", cpu_s=round(cpu, 1), worker_cpu_s=round(worker_cpu, 1),
                  generate_text_s=round(generate_s, 2),
                  import_warnings=warnings, store_mb=round(path.stat().st_size / 1e6, 1), **common),
        bench.row("import_mb_per_s", total_mb / seconds, "MB/s", None, per_cpu_s=round(total_mb / cpu, 3), **common),
        bench.row("store_size_ratio_vs_fts", store_bytes / floor_bytes, "x", "<= 1.5", digits=2,
                  store_mb=round(store_bytes / 1e6, 1), fts_floor_mb=round(floor_bytes / 1e6, 1), **common,
                  note="lageret ÷ samme tekst i en bar FTS5-tabel (samme tokenizer og præfikser)"),
        bench.row("import_ratio_vs_fts", seconds / floor_s, "x", "<= 3", digits=2, import_s=round(seconds, 2),
                  fts_floor_s=round(floor_s, 2), import_runs_s=[round(i[0], 2) for i in imports],
                  fts_floor_runs_s=[round(f[0], 2) for f in floors],
                  cpu_ratio=round((cpu + worker_cpu) / floor_cpu, 2) if floor_cpu else None,
                  fts_section_floor_s=round(sections_s, 2), vs_section_floor=round(seconds / sections_s, 2),
                  import_cpu_s=round(cpu, 2), worker_cpu_s=round(worker_cpu, 2), fts_floor_cpu_s=round(floor_cpu, 2),
                  **common,
                  note="import af arkivet ÷ samme tekst indsat i en bar FTS5-tabel, én transaktion pr. fil "
                       "(median af skiftevis målte kørsler)"),
    ], path


def import_pdf(bench: Bench) -> list[Row]:
    """import_pdf_pages_per_s: a reportlab PDF of corpus text through the importer (pypdf text layer)."""
    from kkrdesk.ingest.importer import import_file

    pdf = bench.work / "bench-document.pdf"
    pages = write_pdf(pdf, bench.pdf_pages)
    store = _fresh_store(bench.work / "pdf.sqlite")
    seconds, cpu, _ = timed_cpu(lambda: import_file(store, pdf))
    store.close()
    return [bench.row("import_pdf_pages_per_s", pages / seconds, "pages/s", None, pages=pages,
                      seconds=round(seconds, 3), cpu_s=round(cpu, 3))]


def _like_scan(db, user_text: str) -> int:
    """The naive alternative: every term as LIKE '%term%' over the same section titles and bodies
    (read through the view that unpacks them, as the index reads them)."""
    from kkrdesk.data.search import _PHRASE, query_terms

    terms = [p.lower() for p in _PHRASE.findall(user_text)] + query_terms(_PHRASE.sub(" ", user_text))
    where = " AND ".join("(title LIKE ? OR body LIKE ?)" for _ in terms)
    params = [f"%{t}%" for t in terms for _ in (0, 1)]
    return len(db.execute(f"SELECT id FROM sections_text WHERE {where}", params).fetchall())


def full_ranking(db, user_text: str) -> list[int]:
    """Every matching section scored by SQLite's bm25 with the app's column weights, best first
    (ties: newer first) — the answer search() must give, computed without it."""
    from kkrdesk.data.search import BM25, fts_query

    match = fts_query(user_text)
    if match is None:
        return []
    rows = db.execute(f"SELECT {BM25}, -rowid FROM sections_fts WHERE sections_fts MATCH ?", (match,)).fetchall()
    return [-neg for _score, neg in sorted(rows)]


def top10_overlap(db, user_text: str) -> float:
    """Share of the full ranking's top 10 sections that search() shows in its top 10 (1.0 = the same)."""
    from kkrdesk.data.search import search as fts_search

    reference = full_ranking(db, user_text)[:10]
    if not reference:
        return 1.0
    shown: list[int] = []
    for hit in fts_search(db, user_text, limit=10):
        if hit.section_id not in shown:
            shown.append(hit.section_id)
    return len(set(shown[:10]) & set(reference)) / len(reference)


def _search_times(bench: Bench, db) -> tuple[list[float], list[float], dict[str, float], dict[str, int]]:
    from kkrdesk.data.search import search as fts_search

    for query in QUERIES:                       # warm the page cache, as a running window would be
        fts_search(db, query, limit=20)
    samples: list[float] = []
    cpu_samples: list[float] = []
    per_query: dict[str, float] = {}
    hits: dict[str, int] = {}
    for query in QUERIES:
        runs = []
        for _ in range(bench.search_rounds):
            seconds, cpu, found = timed_cpu(lambda q=query: fts_search(db, q, limit=20))
            runs.append(seconds * 1000)
            cpu_samples.append(cpu * 1000)
        hits[query] = len(found)
        samples += runs
        per_query[query] = median(runs)
    return samples, cpu_samples, per_query, hits


def _engine_times(bench: Bench, db) -> list[float]:
    """The engine's own floor for the same queries: SQLite ranking every match with the same bm25 and
    keeping the top 20 (`ORDER BY … LIMIT 20` on the index alone), without lines, owners or snippets."""
    from kkrdesk.data.search import BM25, fts_query

    sql = f"SELECT rowid FROM sections_fts WHERE sections_fts MATCH ? ORDER BY {BM25}, rowid DESC LIMIT 20"
    samples: list[float] = []
    for query in QUERIES:
        match = fts_query(query)
        for _ in range(bench.search_rounds):
            samples.append(timed(lambda m=match: db.execute(sql, (m,)).fetchall())[0] * 1000)
    return samples


SEARCH_NAMES = [("search_p50_ms", "ms", None), ("search_p95_ms", "ms", "<= 10"), ("search_speedup_vs_like", "x", None),
                ("search_top10_overlap_min", "", ">= 0.9"), ("search_p95_ms_x5", "ms", "<= 20")]


def search(bench: Bench, archive_db: Path | None) -> list[Row]:
    """search_p50/p95 and the overlap with full bm25 on the archive, the speed-up against a LIKE scan,
    and p95 again on the archive's content five times over (search_p95_ms_x5)."""
    if archive_db is None:
        return bench.missing(SEARCH_NAMES, "arkivet blev ikke bygget")
    from kkrdesk.data.store import open_store

    store = open_store(archive_db)
    db = store.db
    overlaps = {query: top10_overlap(db, query) for query in QUERIES}
    matches = {query: len(full_ranking(db, query)) for query in QUERIES}
    samples, cpu_samples, fts_median, hits = _search_times(bench, db)
    engine = percentile(_engine_times(bench, db), 95)
    like_median: dict[str, float] = {}
    for query in QUERIES:
        runs = [timed(lambda q=query: _like_scan(db, q))[0] * 1000 for _ in range(max(1, bench.search_rounds // 3))]
        like_median[query] = median(runs)
    store.close()
    slowest = max(fts_median, key=fts_median.get)
    ratio = sum(like_median.values()) / sum(fts_median.values())
    common = {"queries": len(QUERIES), "samples": len(samples), "limit": 20}
    worst = min(overlaps, key=overlaps.get)
    rows = [
        bench.row("search_p50_ms", percentile(samples, 50), "ms", None, cpu_p50_ms=round(percentile(cpu_samples, 50), 2),
                  **common),
        bench.row("search_p95_ms", percentile(samples, 95), "ms", "<= 10", cpu_p95_ms=round(percentile(cpu_samples, 95), 2),
                  slowest_query=slowest,
                  slowest_ms=round(fts_median[slowest], 2), queries_without_hits=[q for q, n in hits.items() if not n],
                  most_matches=max(matches.values()), engine_topk_p95_ms=round(engine, 2),
                  vs_engine=round(percentile(samples, 95) / engine, 2) if engine else None, **common),
        bench.row("search_speedup_vs_like", ratio, "x", None, digits=1,
                  like_total_ms=round(sum(like_median.values()), 1),
                  fts_total_ms=round(sum(fts_median.values()), 1), **common),
        bench.row("search_top10_overlap_min", overlaps[worst], "", ">= 0.9", digits=2, worst_query=worst,
                  queries_below_1=[q for q, v in overlaps.items() if v < 1.0], **common,
                  note="laveste andel af de 10 bedste afsnit efter fuld bm25 (alle match scoret) som search() viser"),
    ]
    # The same content five times (new ids): how search grows with the archive.
    scaled = bench.work / "archive-x5.sqlite"
    sections = scaled_store(archive_db, scaled, 5)
    store = open_store(scaled)
    overlaps5 = {query: top10_overlap(store.db, query) for query in QUERIES}
    samples5, cpu5, median5, _hits5 = _search_times(bench, store.db)
    engine5 = percentile(_engine_times(bench, store.db), 95)
    store.close()
    slowest5 = max(median5, key=median5.get)
    p95, p95_5 = percentile(samples, 95), percentile(samples5, 95)
    rows.append(bench.row("search_p95_ms_x5", p95_5, "ms", "<= 20", cpu_p95_ms=round(percentile(cpu5, 95), 2),
                          sections=sections, growth_vs_1x=round(p95_5 / p95, 2) if p95 else None,
                          p50_ms=round(percentile(samples5, 50), 2), slowest_query=slowest5,
                          slowest_ms=round(median5[slowest5], 2), overlap_min=round(min(overlaps5.values()), 2),
                          engine_topk_p95_ms=round(engine5, 2), vs_engine=round(p95_5 / engine5, 2) if engine5 else None,
                          **common, note="arkivets søgbare indhold fem gange (nye id'er), samme forespørgsler"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scaled}{suffix}").unlink(missing_ok=True)
    return rows


def _meeting_2021(db) -> int | None:
    row = db.execute(
        "SELECT m.id FROM meetings m JOIN documents d ON d.id = m.document_id "
        "WHERE d.file_name = 'kkr-moede-2021-bilag.txt' ORDER BY m.id LIMIT 1").fetchone()
    return row[0] if row else None


def pack(bench: Bench, corpus_db: Path | None) -> list[Row]:
    """pack_meeting_2021_s, pack_pages_per_s and pack_ratio_vs_minimal: the briefing PDF of the 2021
    meeting, in-process, against a minimal SimpleDocTemplate of the same text.

    Like with like: each side first runs once untimed for the figure (the pack's cold run, which
    loads matplotlib and the fonts, is reported as `first_run_s`; the peer's as `minimal_first_run_s`),
    then both are timed warm, alternately (pack, peer, pack, peer …) so that load on a shared machine
    falls on both alike, an odd number of times each; every figure is the median of those runs.
    """
    names = [("pack_meeting_2021_s", "s", "<= 5"), ("pack_pages_per_s", "pages/s", None),
             ("pack_ratio_vs_minimal", "x", "<= 2")]
    if corpus_db is None:
        return bench.missing(names, "korpusset blev ikke importeret")
    try:
        from kkrdesk.briefing import build_meeting_pack
    except ImportError as exc:
        return bench.missing(names, f"briefing-PDF'er findes ikke endnu ({_why(exc)})")
    from kkrdesk.data.store import open_store
    from kkrdesk.data.texts import original_text

    store = open_store(corpus_db)
    try:
        meeting_id = _meeting_2021(store.db)
        if meeting_id is None:
            return bench.missing(names, "mødet fra kkr-moede-2021-bilag.txt blev ikke importeret")
        pack_doc = store.conn.execute("SELECT document_id FROM meetings WHERE id = ?", (meeting_id,)).fetchone()[0]
        text = original_text(store.conn, pack_doc)

        def build(stem: str):
            return build_meeting_pack(store.db, meeting_id, bench.work / f"pack-2021-{stem}.pdf")

        first_s, first_cpu, result = timed_cpu(lambda: build("cold"))
        minimal_first_s, _pages = minimal_pack(text, bench.work / "minimal-2021-cold.pdf")
        runs = bench.repeats | 1          # odd: the median is one of the runs
        times, cpus, minimal = [], [], []
        for index in range(runs):
            seconds, cpu, result = timed_cpu(lambda i=index: build(str(i)))
            times.append(seconds)
            cpus.append(cpu)
            minimal.append(minimal_pack(text, bench.work / f"minimal-2021-{index}.pdf"))
    finally:
        store.close()
    pages = result.pages
    minimal_s = median([m[0] for m in minimal])
    seconds = median(times)
    return [
        bench.row("pack_meeting_2021_s", seconds, "s", "<= 5", pages=pages, runs=runs,
                  cpu_s=round(median(cpus), 3), first_run_s=round(first_s, 3), first_run_cpu_s=round(first_cpu, 3)),
        bench.row("pack_pages_per_s", pages / seconds, "pages/s", None, digits=1, pages=pages),
        bench.row("pack_ratio_vs_minimal", seconds / minimal_s, "x", "<= 2", digits=2, pack_s=round(seconds, 3),
                  minimal_s=round(minimal_s, 3), minimal_pages=minimal[0][1], pages=pages, runs=runs,
                  first_run_s=round(first_s, 3), minimal_first_run_s=round(minimal_first_s, 3),
                  note="briefingen for 2021 ÷ en SimpleDocTemplate af samme tekst (ét Paragraph pr. linje, én build); "
                       "begge varme, skiftevis, median af et ulige antal kørsler"),
    ]


def _app_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"QT_QPA_PLATFORM": "offscreen", SHOWN_ENV: "1", "KKRDESK_DATA_DIR": str(data_dir),
                "PYTHONPATH": str(REPO) + os.pathsep + env.get("PYTHONPATH", "")})
    return env


def _starts(cmd: list[str], env: dict[str, str], repeats: int) -> tuple[list[float], list[float], str | None]:
    times, rss = [], []
    for _ in range(repeats):
        run = run_via_launcher(cmd, SHOWN_MARKER, env)
        if run.seconds is None:
            tail = run.output.strip().splitlines()[-3:]
            return times, rss, f"vinduet meldte aldrig '{SHOWN_MARKER}' (exit {run.returncode}): {' | '.join(tail)}"[:400]
        times.append(run.seconds)
        rss.append(run.peak_rss_mb)
    return times, rss, None


def compile_bytecode() -> None:
    """Compile kkrdesk and bench to bytecode first, as an installed app is (pip and PyInstaller compile
    it; its peer, PySide6, is compiled too). An editable checkout under PYTHONDONTWRITEBYTECODE=1 (this
    machine, CI) has none, and every start would compile kkrdesk's modules again: 0.1–0.2 s of a 0.4 s start."""
    import compileall

    for folder in ("kkrdesk", "bench"):
        compileall.compile_dir(REPO / folder, quiet=1)


def startup(bench: Bench, archive_db: Path | None) -> list[Row]:
    """start_bundled_s, start_archive_s (median of `repeats` child processes) and memory_archive_mb."""
    names = [("start_bundled_s", "s", "<= 1.0"), ("start_archive_s", "s", "<= 1.0"),
             ("memory_archive_mb", "MB", "<= 300")]
    app = REPO / "kkrdesk" / "ui" / "app.py"
    if not app.exists() or SHOWN_ENV not in app.read_text(encoding="utf-8"):
        return bench.missing(names, f"kkrdesk/ui/app.py kan endnu ikke melde 'vindue vist' ({SHOWN_ENV})")
    rows: list[Row] = []
    cmd = [sys.executable, "-m", "kkrdesk"]
    data_dir = bench.work / "userdata"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = _app_env(data_dir)
    first = run_via_launcher(cmd, SHOWN_MARKER, env, timeout=120)  # first start builds the bundled store
    times, _rss, problem = _starts(cmd, env, bench.repeats)
    if problem:
        rows += bench.missing(names[:1], problem)
    else:
        rows.append(bench.row("start_bundled_s", median(times), "s", "<= 1.0", runs=len(times),
                              min_s=round(min(times), 3), max_s=round(max(times), 3),
                              first_start_s=None if first.seconds is None else round(first.seconds, 3)))
    if archive_db is None:
        return rows + bench.missing(names[1:], "arkivet blev ikke bygget")
    # Own user data for the archive, so it doesn't reopen a place remembered from the bundled store;
    # one untimed start first (settings written, store in the page cache), as for a returning user.
    archive_data = bench.work / "userdata-archive"
    shutil.rmtree(archive_data, ignore_errors=True)
    env = _app_env(archive_data)
    cmd += ["--db", str(archive_db)]
    run_via_launcher(cmd, SHOWN_MARKER, env, timeout=120)
    times, rss, problem = _starts(cmd, env, bench.repeats)
    if problem:
        return rows + bench.missing(names[1:], problem)
    empty, _rss_empty, problem = _starts([sys.executable, "-m", "bench.empty_window"], env, bench.repeats)
    if problem:
        rows += bench.missing([("start_ratio_vs_minimal_window", "x", "<= 2.5")], problem)
    else:
        rows.append(bench.row("start_ratio_vs_minimal_window", median(times) / median(empty), "x", "<= 2.5", digits=2,
                              start_s=round(median(times), 3), empty_window_s=round(median(empty), 3),
                              runs=len(times), note="vinduet på arkivet vist ÷ et tomt QMainWindow vist (PySide6)"))
    return rows + [
        bench.row("start_archive_s", median(times), "s", "<= 1.0", runs=len(times),
                  min_s=round(min(times), 3), max_s=round(max(times), 3),
                  store_mb=round(archive_db.stat().st_size / 1e6, 1)),
        bench.row("memory_archive_mb", max(rss), "MB", "<= 300", digits=1, runs=len(rss),
                  note="vinduets største RSS fra start til vist, arkivet åbent (RUSAGE_CHILDREN i bench.child)"),
    ]


def stall(bench: Bench, corpus_db: Path | None) -> list[Row]:
    """window_stall_ms_export: the longest event-loop stall while the secretariat window exports the
    2021 meeting folder (briefing PDFs and packs) as a background operation (bench/stall.py)."""
    name = [("window_stall_ms_export", "ms", "<= 100")]
    import json
    import subprocess

    env = _app_env(bench.work / "userdata-stall")
    env.pop(SHOWN_ENV, None)
    done = subprocess.run([sys.executable, "-m", "bench.stall"], env=env, capture_output=True, text=True,
                          timeout=600)
    try:
        row = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return bench.missing(name, f"bench.stall gav intet svar: {(done.stdout + done.stderr)[-300:]}")
    extra = {k: row[k] for k in ("export_s", "at_s", "ticks") if k in row}
    if row.get("value") is None:
        return bench.missing(name, row.get("note", "ukendt"))
    return [bench.row("window_stall_ms_export", row["value"], "ms", "<= 100", digits=1,
                      note="eksporten kører i baggrunden (ui/operations.py)", **extra)]
