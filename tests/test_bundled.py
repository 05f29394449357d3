import shutil

import kkrdesk.data.bundled as bundled
from kkrdesk.data.store import open_store
from kkrdesk.paths import default_store_path
from tests.conftest import CORPUS


def test_first_start_builds_later_starts_reuse(tmp_path):
    path = bundled.ensure_default_store()
    assert path == default_store_path() and path.exists()
    s = open_store(path)
    assert s.db["meetings"].count >= 1
    count = s.db["documents"].count
    s.close()
    mtime = path.stat().st_mtime_ns
    bundled.ensure_default_store()
    assert path.stat().st_mtime_ns == mtime
    s = open_store(path)
    assert s.db["documents"].count == count
    s.close()


def test_newer_bundle_is_picked_up_and_user_imports_stay(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setattr(bundled, "corpus_dir", lambda: corpus)
    path = bundled.ensure_default_store()
    own = tmp_path / "eget-notat.txt"
    own.write_text("Notat om klima og infrastruktur i Nordjylland.\n", encoding="utf-8")
    s = open_store(path)
    from kkrdesk.ingest.importer import import_file

    import_file(s, own)
    s.close()
    (corpus / "nyt-notat.txt").write_text("Nyt notat fra sekretariatet om SOSU.\n", encoding="utf-8")
    (corpus / "resultatkontrakt-2019.txt").unlink()
    bundled.ensure_default_store()
    s = open_store(path)
    names = {r[0] for r in s.conn.execute("SELECT file_name FROM documents WHERE parent_id IS NULL")}
    s.close()
    assert "nyt-notat.txt" in names
    assert "eget-notat.txt" in names
    assert "resultatkontrakt-2019.txt" not in names


def test_build_is_deterministic(tmp_path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    bundled.build_bundled_store(a)
    bundled.build_bundled_store(b)
    query = "SELECT file_name, kind, title, normalised_text FROM documents ORDER BY id"
    sa, sb = open_store(a), open_store(b)
    assert sa.conn.execute(query).fetchall() == sb.conn.execute(query).fetchall()
    assert sa.conn.execute("SELECT * FROM sections").fetchall() == sb.conn.execute("SELECT * FROM sections").fetchall()
    sa.close()
    sb.close()
