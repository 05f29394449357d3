"""A PDF page as positioned characters and ruling lines (pypdfium2), in top-down coordinates.

pypdfium2 was chosen over pdfplumber/pdfminer.six by measurement (#13): on a 36-page
generated text PDF, reading every character with its box, size and font took 0.69 s with
pypdfium2 against 4.63 s for pdfplumber's `page.chars` — 150 pages must import in 10 s.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi", "fett")
_FORCE_BOLD = 0x40000       # pdfium's FXFONT_FORCE_BOLD


@dataclass(slots=True)
class Char:
    c: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    underline: bool = False

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Rule:
    """A thin horizontal or vertical stroke: x0..x1 × top..bottom."""
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


_THIN = 2.5
_MIN_RULE = 6.0


class _Fonts:
    """Bold or not, per font name and flags: asked once per word, not once per character."""

    def __init__(self):
        self.cache: dict[tuple[bytes, int], bool] = {}
        self.buffer = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()

    def bold(self, raw, textpage, index: int) -> bool:
        raw.FPDFText_GetFontInfo(textpage, index, self.buffer, len(self.buffer), ctypes.byref(self.flags))
        key = (self.buffer.value, self.flags.value)
        if key not in self.cache:
            name = key[0].decode("latin-1", "ignore").lower()
            self.cache[key] = any(word in name for word in _BOLD_NAMES) or bool(key[1] & _FORCE_BOLD)
        return self.cache[key]


def _page_text(raw, handle, count: int) -> str | None:
    """All characters of the page in one call; None when they do not map one to one (surrogate pairs)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    text = bytes(buffer)[: max(0, written - 1) * 2].decode("utf-16-le", "replace")
    return text if len(text) == count else None


def page_chars(page, height: float, fonts: _Fonts | None = None) -> list[Char]:
    """Every printed character of a page (no generated line ends), top-down coordinates.

    Size and boldness are asked at the start of each word and inherited inside it: the
    per-character calls into pdfium are the reader's cost (150 pages in ≤ 10 s, bench/pdf150).
    """
    import pypdfium2.raw as raw

    fonts = fonts or _Fonts()
    textpage = page.get_textpage()
    out: list[Char] = []
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        text = _page_text(raw, handle, count)
        rect = raw.FS_RECTF()
        size, bold, word_start = 10.0, False, True
        for i in range(count):
            code = ord(text[i]) if text is not None else raw.FPDFText_GetUnicode(handle, i)
            if code in (0, 10, 13, 0xFFFF):
                word_start = True
                continue
            ch = "-" if code in (2, 0xFFFE) else chr(code)   # pdfium's mark for a hyphen that ends a line
            if ch.isspace():
                word_start = True
                if raw.FPDFText_IsGenerated(handle, i) == 1 or not raw.FPDFText_GetLooseCharBox(handle, i, rect):
                    continue
                out.append(Char(" ", rect.left, rect.right, height - rect.top, height - rect.bottom, size, False))
                continue
            if not raw.FPDFText_GetLooseCharBox(handle, i, rect):
                continue
            if word_start:
                size = raw.FPDFText_GetFontSize(handle, i) or (rect.top - rect.bottom)
                bold = fonts.bold(raw, handle, i)
                word_start = False
            elif out and abs((rect.top - rect.bottom) - (out[-1].bottom - out[-1].top)) > 0.5:
                size = raw.FPDFText_GetFontSize(handle, i) or (rect.top - rect.bottom)   # size changed in a word
                bold = fonts.bold(raw, handle, i)
            out.append(Char(ch, rect.left, rect.right, height - rect.top, height - rect.bottom, size, bold))
    finally:
        textpage.close()
    return out


def page_rules(page, height: float) -> list[Rule]:
    """Thin strokes and thin filled rectangles: table borders and underlines."""
    import pypdfium2.raw as raw

    rules: list[Rule] = []
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,), max_depth=2):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:   # a path without bounds draws nothing we can use
            continue
        width, tall = right - left, top - bottom
        if (tall <= _THIN and width >= _MIN_RULE) or (width <= _THIN and tall >= _MIN_RULE):
            rules.append(Rule(left, right, height - top, height - bottom))
    return rules
