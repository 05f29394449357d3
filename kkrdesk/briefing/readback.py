"""Reading a written pack back (pypdf): text, outline, fonts.

Used by the tests and usable by the export dialog to check what it wrote: a
pack that names an unembedded font or lacks its outline is not one to send.
"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

BASE14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
          "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
          "Times-BoldItalic", "Symbol", "ZapfDingbats"}


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat_text(path: Path) -> str:
    """All text with runs of whitespace made single spaces (titles may wrap over two lines)."""
    return re.sub(r"\s+", " ", " ".join(page_texts(path)))


def outline_titles(path: Path) -> list[tuple[int, str]]:
    """(level, title) of every outline entry in order."""
    out: list[tuple[int, str]] = []

    def walk(entries, level):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                out.append((level, entry.title))

    walk(PdfReader(path).outline, 0)
    return out


def unembedded_fonts(path: Path) -> list[str]:
    """Names of fonts used on any page that are base-14 or carry no embedded font file."""
    bad = []
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "")).lstrip("/")
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if name.split("+")[-1] in BASE14 or not any(k in descriptor for k in ("/FontFile2", "/FontFile3")):
                bad.append(name)
    return bad
