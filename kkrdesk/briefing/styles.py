"""Fonts and paragraph styles of the briefing packs.

Every style, table, header and footer uses the embedded DejaVu Sans: the
built-in PDF fonts are not embedded and silently print "ł" or "ő" as black
boxes, and a board member's printout must show every name as written.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5f5f5f")
RULE = colors.HexColor("#9e9e9e")
ACCENT = colors.HexColor("#1f4e79")      # KKR blue for headings and the cover band
CLOSED = colors.HexColor("#8b1a1a")      # the "Lukket" label
NOTE_FILL = colors.HexColor("#fff6d5")   # private notes: a yellow box, never mistaken for the document
NOTE_EDGE = colors.HexColor("#c9a227")
TABLE_HEAD = colors.HexColor("#e4e9ef")
TABLE_ZEBRA = colors.HexColor("#f5f5f5")


class FontMissing(RuntimeError):
    """DejaVu Sans was not found: without it the pack would print boxes instead of letters."""


def font_dir() -> Path:
    """matplotlib's bundled TTF folder, found without importing matplotlib (it is slow to import)."""
    spec = importlib.util.find_spec("matplotlib")
    candidates = []
    if spec and spec.origin:
        candidates.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    candidates.append(Path(__file__).resolve().parents[2] / "resources" / "fonts")
    for folder in candidates:
        if (folder / "DejaVuSans.ttf").is_file():
            return folder
    try:  # frozen builds may move mpl-data; ask matplotlib as the last resort
        import matplotlib

        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        if (folder / "DejaVuSans.ttf").is_file():
            return folder
    except ImportError:
        pass
    raise FontMissing("Skrifttypen DejaVu Sans blev ikke fundet (matplotlib mangler?)")


@cache
def register_fonts() -> str:
    """Register DejaVu Sans (4 faces) once per process; returns the regular font name."""
    folder = font_dir()
    faces = {
        FONT: "DejaVuSans.ttf",
        FONT_BOLD: "DejaVuSans-Bold.ttf",
        FONT_ITALIC: "DejaVuSans-Oblique.ttf",
        FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    }
    for name, file_name in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    return FONT


def _style(name: str, **kw) -> ParagraphStyle:
    kw.setdefault("fontName", FONT)
    kw.setdefault("fontSize", 9.5)
    kw.setdefault("leading", kw["fontSize"] * 1.35)
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, **kw)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """All paragraph styles by name; each one names an embedded DejaVu face."""
    register_fonts()
    return {
        "body": _style("body", spaceAfter=5),
        "small": _style("small", fontSize=8, textColor=MUTED),
        "source": _style("source", fontSize=7, textColor=MUTED, spaceBefore=2, spaceAfter=8),
        "provenance": _style("provenance", fontSize=7, textColor=MUTED, spaceAfter=6, keepWithNext=1),
        "meta": _style("meta", fontSize=9, textColor=MUTED, spaceAfter=8),
        "item": _style("item", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceAfter=4,
                      keepWithNext=1),
        "bilag": _style("bilag", fontName=FONT_BOLD, fontSize=12.5, leading=16, textColor=ACCENT,
                        spaceBefore=14, spaceAfter=6, keepWithNext=1),
        "section": _style("section", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3,
                         keepWithNext=1),
        "subsection": _style("subsection", fontName=FONT_BOLD, fontSize=9.5, spaceBefore=6, spaceAfter=2,
                            keepWithNext=1),
        "label": _style("label", fontName=FONT_BOLD, fontSize=9.5, spaceBefore=6, spaceAfter=2, textColor=ACCENT,
                       keepWithNext=1),
        "closed": _style("closed", fontName=FONT_BOLD, fontSize=9, textColor=CLOSED, spaceAfter=6),
        "open": _style("open", fontName=FONT_BOLD, fontSize=9, textColor=MUTED, spaceAfter=6),
        "note_head": _style("note_head", fontName=FONT_BOLD, fontSize=8.5, textColor=colors.HexColor("#6b5300")),
        "note": _style("note", fontSize=9, spaceAfter=2),
        "cell": _style("cell", fontSize=7.5, leading=9.2),
        "cell_num": _style("cell_num", fontSize=7.5, leading=9.2, alignment=TA_RIGHT),
        "cell_head": _style("cell_head", fontName=FONT_BOLD, fontSize=7.5, leading=9.2),
        "cell_head_num": _style("cell_head_num", fontName=FONT_BOLD, fontSize=7.5, leading=9.2, alignment=TA_RIGHT),
        "toc_title": _style("toc_title", fontName=FONT_BOLD, fontSize=18, leading=24, textColor=ACCENT, spaceAfter=12),
        "toc0": _style("toc0", fontName=FONT_BOLD, fontSize=10, leading=13, leftIndent=22, firstLineIndent=-22,
                       spaceBefore=5),
        "toc1": _style("toc1", fontSize=8.5, leading=11, leftIndent=44, firstLineIndent=-22),
        "cover_org": _style("cover_org", fontName=FONT_BOLD, fontSize=13, leading=16, textColor=colors.white),
        "cover_title": _style("cover_title", fontName=FONT_BOLD, fontSize=26, leading=32, textColor=ACCENT,
                              spaceAfter=10, alignment=TA_LEFT),
        "cover_date": _style("cover_date", fontSize=15, leading=20, spaceAfter=24),
        "cover_meta": _style("cover_meta", fontSize=9.5, textColor=MUTED, leading=14),
        "cover_notice": _style("cover_notice", fontName=FONT_BOLD, fontSize=10, textColor=CLOSED, spaceBefore=18),
        "centered": _style("centered", alignment=TA_CENTER),
    }
