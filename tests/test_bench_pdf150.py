"""bench/pdf150 runs end to end on a few pages (no timing asserted: figures live in bench output)."""

from __future__ import annotations

from bench.pdf150 import measure


def test_pdf_bench_reports_progress_per_page(tmp_path):
    rows = measure(tmp_path, pages=3)
    assert [r["name"] for r in rows] == ["import_pdf150_s", "import_pdf150_vs_pypdf_text"]
    assert rows[0]["progress_per_page"] and rows[0]["progress_calls"] == rows[0]["pages"] >= 2
