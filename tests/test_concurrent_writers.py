"""Writers queue instead of failing (#16, point 4): BEGIN IMMEDIATE up front, a bounded wait, one message."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time

from kkrdesk.data.store import BUSY_MESSAGE, open_store

CLI = "import sys; from kkrdesk.cli import main; sys.exit(main(sys.argv[1:]))"


def _start(*argv, env=None):
    return subprocess.Popen([sys.executable, "-c", CLI, *map(str, argv)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def _child(argv: list[str], err_path: str) -> None:
    """A forked writer (cheap: the modules are already imported), stderr to a file, its exit code kept."""
    fd = os.open(err_path, os.O_WRONLY | os.O_CREAT)
    os.dup2(fd, 2)
    sys.stderr = open(2, "w", closefd=False)   # noqa: SIM115
    from kkrdesk.cli import main

    code = 1
    try:
        code = main(argv)
    finally:
        sys.stderr.flush()
        os._exit(code)


def test_sixteen_concurrent_import_pairs_all_land(tmp_path):
    db = tmp_path / "lager.sqlite"
    open_store(db).close()
    files = []
    for n in range(32):
        path = tmp_path / f"notat-{n:02d}.txt"
        path.write_text(f"Notat nummer {n}\n\nDette er notat {n} om samarbejdet i KKR Nordjylland.\n"
                        * 20, encoding="utf-8")
        files.append(path)
    fork = multiprocessing.get_context("fork")
    procs = []
    for n, path in enumerate(files):                                  # 16 pairs, all at once
        proc = fork.Process(target=_child, args=(["--db", str(db), "import", str(path)], str(tmp_path / f"{n}.err")))
        proc.start()
        procs.append(proc)
    for proc in procs:
        proc.join(timeout=120)
    results = [(proc.exitcode, (tmp_path / f"{n}.err").read_text()) for n, proc in enumerate(procs)]
    for code, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "locked" not in err, err
    store = open_store(db)
    try:
        names = {r[0] for r in store.conn.execute("SELECT file_name FROM documents WHERE parent_id IS NULL")}
    finally:
        store.close()
    assert names == {p.name for p in files}


def test_a_writer_waits_for_the_lock_with_one_message(tmp_path):
    db = tmp_path / "lager.sqlite"
    open_store(db).close()
    holder = sqlite3.connect(str(db), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")          # another import holds the write lock
    proc = _start("--db", db, "meeting", "new", "--title", "Møde", "--date", "2026-12-03")
    time.sleep(2.0)
    assert proc.poll() is None                 # still waiting, not failed
    holder.execute("COMMIT")
    holder.close()
    assert proc.wait(timeout=60) == 0
    err = proc.stderr.read()
    assert BUSY_MESSAGE in err and err.count("\n") == 1 and "Traceback" not in err
    assert proc.stdout.read().strip().isdigit()


def test_the_wait_is_bounded(tmp_path):
    db = tmp_path / "lager.sqlite"
    open_store(db).close()
    holder = sqlite3.connect(str(db), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        proc = _start("--db", db, "meeting", "new", "--title", "Møde", "--date", "2026-12-03",
                      env={"KKRDESK_LOCK_TIMEOUT": "1"})
        assert proc.wait(timeout=60) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    lines = proc.stderr.read().splitlines()
    assert len(lines) == 2 and BUSY_MESSAGE in lines[0] and "optaget" in lines[1]
    assert not any("Traceback" in line for line in lines)
