"""Theme briefing (#10): `kkrdesk pack --theme NAME` read back with pypdf."""

from __future__ import annotations

import re
import shutil

from kkrdesk.briefing.readback import outline_titles, page_texts, unembedded_fonts
from kkrdesk.cli import main
from kkrdesk.data.store import open_store


def _flat(path) -> str:
    return re.sub(r"\s+", " ", " ".join(page_texts(path)))


def test_theme_pack_has_the_thread_and_its_figures(corpus_db_path, tmp_path):
    out = tmp_path / "paedagog.pdf"
    assert main(["--db", str(corpus_db_path), "pack", "--theme", "Pædagogdimensionering", "-o", str(out)]) == 0
    text = _flat(out)
    assert "Tema: Pædagogdimensionering" in text
    assert "3.5 Pædagogdimensionering 2021-2022" in text
    assert "Studiepladser på pædagoguddannelsen (UCN)" in text
    assert "517" in text and "555" in text          # the numbers then and now, from the figures
    titles = [title for _level, title in outline_titles(out)]
    assert any("3.5 Pædagogdimensionering 2021-2022" in t for t in titles)
    assert any(t.startswith("Nøgletal:") for t in titles)
    assert unembedded_fonts(out) == []


def test_public_theme_pack_leaves_closed_items_out(corpus_db_path, tmp_path):
    db = tmp_path / "copy.sqlite"
    shutil.copy(corpus_db_path, db)
    store = open_store(db)
    store.conn.execute("UPDATE agenda_items SET access = 'lukket', indstilling = 'Fortrolig indstilling om pladserne' "
                       "WHERE number = '3.5' AND title = 'Pædagogdimensionering 2021-2022'")
    store.close()
    out = tmp_path / "offentlig.pdf"
    assert main(["--db", str(db), "pack", "--theme", "paedagog", "--public", "-o", str(out)]) == 0
    text = _flat(out)
    assert "Ingen punkter" in text                   # a closed item's theme tag is closed too (#16)
    assert "Pædagogdimensionering 2021-2022" not in text
    assert "517" not in text and "Kilde:" not in text  # its bilag's figures and file name neither
    assert "Fortrolig indstilling" not in text
    assert "Sparringsgruppe" not in text             # its bilag title is not listed
    assert not any("2021-2022" in title for _level, title in outline_titles(out))


def test_unknown_theme_is_one_line_and_non_zero(corpus_db_path, tmp_path, capsys):
    assert main(["--db", str(corpus_db_path), "pack", "--theme", "findes-ikke", "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "findes-ikke" in err and err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()
