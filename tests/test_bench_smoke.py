"""The benchmark's own machinery: a tiny synthetic archive imports as the packs it claims to be,
and the output rows have the promised shape. No timing assertions (the suite stays deterministic)."""

import json
import sys

import pytest

from bench.archive import ArchiveSize, build_archive, corpus_paragraphs
from bench.figures import REPO
from bench.measure import percentile, run_until_marker, run_via_launcher
from bench.rows import ROW_KEYS, make_row, target_met
from kkrdesk.ingest.importer import import_file
from kkrdesk.ingest.meeting_pack import is_meeting_pack
from kkrdesk.ingest.normalise import normalise

TINY = ArchiveSize(years=1, meetings_per_year=2, items_per_meeting=4, pack_bytes=30_000, first_year=2019, label="tiny")


@pytest.fixture(scope="module")
def tiny_archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    return folder, build_archive(folder, TINY)


def test_archive_writes_one_pack_per_meeting_in_the_pack_format(tiny_archive):
    folder, specs = tiny_archive
    assert len(specs) == TINY.packs == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted(s.path.name for s in specs)
    text = specs[0].path.read_text(encoding="utf-8")
    assert is_meeting_pack(normalise(text))
    number, title, _count = specs[0].items[0]
    assert f"{number} {title}\t2" in text            # TOC entry "N.N Title<TAB>page"
    assert "\nBilag 1: " in text
    assert f"\n{number}\n\n{title}\n" in text          # body marker: number alone, blank, item title


def test_archive_packs_import_with_the_right_items_and_bilag(tiny_archive, store):
    _folder, specs = tiny_archive
    for spec in specs:
        result = import_file(store, spec.path)
        assert result.kind == "meeting-pack"
        meeting = store.conn.execute("SELECT date FROM meetings WHERE id = ?", (result.meeting_id,)).fetchone()
        assert meeting[0] == spec.date.isoformat()
        items = store.conn.execute(
            "SELECT a.number, a.title, COUNT(b.id), COUNT(b.document_id) FROM agenda_items a "
            "LEFT JOIN bilag b ON b.agenda_item_id = a.id WHERE a.meeting_id = ? GROUP BY a.id ORDER BY a.position",
            (result.meeting_id,)).fetchall()
        assert [(n, t, c) for n, t, c, _ in items] == spec.items
        assert all(with_text == count for _n, _t, count, with_text in items)   # every bilag found in the body
        assert result.parts == spec.bilag


def test_archive_is_deterministic_and_about_the_asked_size(tiny_archive, tmp_path):
    _folder, specs = tiny_archive
    again = build_archive(tmp_path, TINY)
    assert [s.path.read_bytes() for s in again] == [s.path.read_bytes() for s in specs]
    assert all(0.5 * TINY.pack_bytes < s.bytes < 2 * TINY.pack_bytes for s in specs)
    assert {s.date.year for s in specs} == {2019}


def test_archive_text_comes_from_the_corpus_without_pack_markers():
    pools = corpus_paragraphs()
    assert "kkr-moede-2021-bilag.txt" in pools
    paragraphs = [p for ps in pools.values() for p in ps]
    assert any("Limfjordsrådet" in p for p in paragraphs)
    assert not any(line.strip() in ("2.1", "3.4") for p in paragraphs for line in p.split("\n"))


def test_rows_have_the_promised_keys_and_survive_json():
    row = make_row("search_p95_ms", 12.34567, "ms", "<= 20", mode="quick", queries=20)
    assert set(ROW_KEYS) <= set(row)
    assert {"cores", "cpu", "python"} <= set(row["machine"])
    again = json.loads(json.dumps(row, ensure_ascii=False))
    assert again["value"] == 12.346 and again["mode"] == "quick" and again["met"] is True


def test_missing_figure_needs_a_note():
    with pytest.raises(ValueError):
        make_row("start_archive_s", None, "s", "<= 1.0")
    row = make_row("start_archive_s", None, "s", "<= 1.0", note="vinduet findes ikke endnu")
    assert row["value"] is None and row["met"] is None and row["note"]


def test_target_and_percentile_arithmetic():
    assert target_met(1.2, "<= 1.0") is False
    assert target_met(8.0, ">= 5") is True
    assert target_met(3.0, None) is None
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_child_run_sees_the_marker_and_reports_memory():
    run = run_until_marker([sys.executable, "-c", "print('ready', flush=True)"], "ready", env={})
    assert run.seconds is not None and run.returncode == 0
    assert run.peak_rss_mb > 1
    silent = run_until_marker([sys.executable, "-c", "pass"], "ready", env={})
    assert silent.seconds is None


def test_launcher_reports_the_childs_own_peak_memory():
    """A child that allocates ~60 MB is charged about that, not the (test) parent's memory."""
    code = "b = bytearray(60 * 1024 * 1024); print('ready', flush=True)"
    run = run_via_launcher([sys.executable, "-c", code], "ready", env={"PYTHONPATH": str(REPO)})
    assert run.seconds is not None and run.returncode == 0
    assert 60 < run.peak_rss_mb < 200
