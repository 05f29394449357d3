"""Page rendering, CSV and translations: the pure parts of the window."""

from PySide6.QtCore import QCoreApplication

from kkrdesk.ui.app import ensure_app
from kkrdesk.ui.csv_text import rows_to_csv
from kkrdesk.ui.render import body_html, fulfilment_words, item_html, overview_html, target_text


def test_fulfilment_in_words():
    assert fulfilment_words(100) == "opfyldt"
    assert fulfilment_words(76) == "delvist opfyldt"
    assert fulfilment_words(0) == "ikke opfyldt"
    assert fulfilment_words(None) == "ikke afrapporteret"


def test_body_keeps_an_anchor_per_original_line_and_joins_paragraphs():
    html = body_html("Første linje\nanden linje\n\nNyt afsnit <b>", [10, 11, 12, 13])
    assert "<b>" not in html                                       # extraction residue is dropped, not shown
    assert html.count("<p>") == 2
    assert '<a name="L10"></a>Første linje <a name="L11"></a>anden linje' in html
    assert '<a name="L13"></a>Nyt afsnit' in html
    assert "a &lt; b &amp; c &gt; d" in body_html("a < b & c > d", [1])   # document text is escaped


def test_item_page_names_access_bilag_and_links():
    item = {"number": "1.2", "title": "Personalesag", "access": "lukket", "meeting_title": "Møde",
            "sagsfremstilling": "Tekst", "indstilling": None, "beslutning": None,
            "bilag": [{"id": 4, "number": "1", "title": "Notat"}],
            "links": [{"kind": "goal", "target": "goal:2022:6", "label": "Mål 6 (2022)"}]}
    html = item_html(item, "pakke.txt")
    assert "Lukket punkt" in html and "<h2>Sagsfremstilling</h2>" in html
    assert 'href="bilag:4"' in html and 'href="goalkey:goal:2022:6"' in html
    assert "Indstilling" not in html


def test_overview_cells_show_percent_and_words():
    rows = [{"title": "Kendskab", "years": {2022: {"id": 1, "number": "1", "fulfilment_pct": 99.5}}}]
    html = overview_html(rows, [2021, 2022])
    assert "99,5 %" in html and "delvist opfyldt" in html and 'href="goal:1"' in html


def test_target_text_in_danish():
    assert target_text({"value": 45, "unit": "pct.", "comparator": ">=", "year": 2021}) == "mindst 45 pct. i 2021"


def test_csv_uses_semicolons_and_decimal_comma():
    text = rows_to_csv([{"label": "Aalborg", "period": "2021", "value": 6269.5, "unit": "1.000 kr.",
                         "measure": "basisbevilling", "group": None, "file_name": "x.txt", "line": 2548},
                        {"label": "I alt", "period": "2021", "value": 17037.0, "unit": "1.000 kr."}])
    lines = text.splitlines()
    assert lines[0] == "Betegnelse;Periode;Værdi;Enhed;Mål;Gruppe;Kilde;Linje"
    assert lines[1] == "Aalborg;2021;6269,5;1.000 kr.;basisbevilling;;x.txt;2548"
    assert lines[2].startswith("I alt;2021;17037;")


def test_qt_dialogs_are_in_danish(qapp):
    ensure_app()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuller"
