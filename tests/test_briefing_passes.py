"""The briefing's cheap first pass and chart cache (#20.4): same PDF, less work."""

import re

from pypdf import PdfReader
from reportlab.platypus import Flowable

from kkrdesk.briefing import build_meeting_pack
from kkrdesk.briefing import figures as pack_figures
from kkrdesk.briefing.text import clean
from kkrdesk.data import queries


def _meeting_2021(db):
    return next(m["id"] for m in queries.list_meetings(db) if "2021" in m["title"])


def test_first_pass_lays_out_only_and_contents_still_point_right(corpus_store, tmp_path, monkeypatch):
    draws = []
    original = Flowable.drawOn

    def counting(self, canvas, x, y, _sW=0):
        draws.append(canvas.getPageNumber())
        return original(self, canvas, x, y, _sW)

    monkeypatch.setattr(Flowable, "drawOn", counting)
    result = build_meeting_pack(corpus_store.db, _meeting_2021(corpus_store.db), tmp_path / "a.pdf")
    # drawn once: no page is drawn in two passes (page numbers would then repeat from 1)
    assert draws and max(draws) == result.pages and draws == sorted(draws)
    reader = PdfReader(tmp_path / "a.pdf")
    contents = reader.pages[1].extract_text()
    assert "Pædagogdimensionering 2021-2022" in contents
    # the contents' page number of item 3.5 is the page its heading is on
    number = int(re.search(r"3\.5 Pædagogdimensionering 2021-2022[\s.]*?(\d+)\n", contents).group(1))
    assert number > 3
    assert "Pædagogdimensionering 2021-2022" in reader.pages[number - 1].extract_text()


def test_charts_are_rendered_once_per_dataset_and_rows(corpus_store, tmp_path, monkeypatch):
    pack_figures._CHART_CACHE.clear()
    charts, no_data = pack_figures._chart_builders()
    calls = []

    def counted(name, builder):
        def build(rows, title):
            calls.append(name)
            return builder(rows, title)
        return build

    monkeypatch.setattr(pack_figures, "_chart_builders",
                        lambda: ({n: counted(n, b) for n, b in charts.items()}, no_data))
    meeting = _meeting_2021(corpus_store.db)
    build_meeting_pack(corpus_store.db, meeting, tmp_path / "a.pdf")
    first = len(calls)
    assert first >= 2
    build_meeting_pack(corpus_store.db, meeting, tmp_path / "b.pdf")
    assert len(calls) == first                       # the second export reuses the rendered charts
    assert len(PdfReader(tmp_path / "b.pdf").pages) == len(PdfReader(tmp_path / "a.pdf").pages)


def test_clean_keeps_text_and_drops_control_characters():
    assert clean("Børnehus\tNord\n1.234,5") == "Børnehus\tNord\n1.234,5"
    assert clean("a\u00adb\u200bc\x07d") == "abcd"
