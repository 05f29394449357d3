"""Clean up the artefacts PDF-to-text extraction leaves in the secretariat's material.

The output keeps one Line per surviving source line with its original number,
so every later fact can still cite its source. What is fixed, and why:

- bullet glyphs from Symbol/Wingdings fonts (U+F0B7, U+F02D, ➢, ▶, and "Ø"
  used as an arrow) become "• "; the letter Ø inside words is untouched;
- markdown and HTML debris (**, *, <b>, <p>, <u>, <sup>, [text](#)) is removed;
- letterhead blocks repeated on every page ("Dato: … Sags ID … Side 3 af 5")
  are dropped, as are stray page numbers standing alone between blank lines;
- the single leading space that marks a new PDF page and runs of spaces from
  justified text are removed;
- a word hyphenated over a line end ("Brønders-" / "lev") is joined, and blank
  lines inside a sentence (text doubled by blank lines) are dropped.
"""

from __future__ import annotations

import re
import unicodedata

from kkrdesk.data.danish import MONTHS
from kkrdesk.data.lines import Line, lines_from

_BULLET_GLYPHS = "\uf0b7\uf02d\uf0a7\uf076\uf0d8\uf0fc\u27a2\u25b6\u25ba\u2022\u25cf\u25aa\u00b7"
_LEADING_BULLET = re.compile(rf"^[{_BULLET_GLYPHS}]\s*")
_INLINE_GLYPHS = "\uf0b7\uf02d\uf0a7\uf076\uf0d8\uf0fc"
_INLINE_GLYPH = re.compile(f"[{_INLINE_GLYPHS}]")
# "Ø" is a Wingdings arrow when it starts a line and is followed by a space or a capital
# ("ØAt alle …"), but a letter in "Økonomi", "Øget", "Østdanmark".
_O_SLASH_BULLET = re.compile(r"^Ø(?=\s|[A-ZÆÅ]|Ø[a-zæøå])")
_INVISIBLE_CHARACTERS = "\u00ad\u200b\u200c\u200d\ufeff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")   # same set; re is ~10× faster than translate

_HTML_TAG = re.compile(r"</?(?:b|i|u|p|sup|sub|strong|em|br|li|ul|ol|span|div|font)\b[^>]*>", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:#|[^)\s]*)\)")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_BOLD = re.compile(r"\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_TABLE_RULE = re.compile(r"^[-\s\t|:]{3,}$")

_LETTERHEAD_START = re.compile(rf"^Dato: \d{{1,2}}\. (?:{'|'.join(MONTHS)}) \d{{4}}$", re.IGNORECASE)
_LETTERHEAD_END = re.compile(r"^Side \d+ af \d+$")
_LETTERHEAD_MAX_LINES = 24
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")

_HYPHEN_END = re.compile(r"[a-zæøåéü]{2,}-$")
_STARTS_LOWER = re.compile(r"^[a-zæøåé]")
# Suspended compounds keep their hyphen: "erhvervs-" / "og brancheorganisationer".
_CONJUNCTIONS = {"og", "eller", "samt", "til", "som", "men"}
_FIRST_WORD_END = re.compile(r"[\s,.;:]")
_SENTENCE_END = re.compile(r"[.!?:;]$")
# A line this long that ends without punctuation was wrapped by the page layout.
_FULL_LINE = 70


_BOLD_BETWEEN_WORDS = re.compile(r"\w\*\*\w")
_SPACE_RUN = re.compile(r"(?<=\S) {2,}")
_BULLET_FIRST = frozenset(_BULLET_GLYPHS + "Ø")   # what can open a leading bullet


def _has_any(text: str, characters: str) -> bool:
    """Whether any of these characters is in the text: a search per character is several times faster
    than one regex pass over a whole file, and most files have none of them (#20)."""
    return any(character in text for character in characters)


def _prepare(text: str) -> str:
    """The part of the cleanup that never looks past a line end, so it can run on a whole text at once:
    NFC, invisible characters removed, no-break spaces made spaces ("\\n" composes with nothing)."""
    text = unicodedata.normalize("NFC", text)
    if _has_any(text, _INVISIBLE_CHARACTERS):
        text = _INVISIBLE_RE.sub("", text)
    return text.replace("\u00a0", " ")


def clean_line(text: str) -> str:
    """One line's cleanup: glyphs, markup, whitespace. Needs no context."""
    return _clean_prepared(_prepare(text))


def _clean_prepared(text: str, glyphs: bool = True) -> str:
    """`clean_line` of a line `_prepare` has seen; `glyphs=False` when its text has no `_INLINE_GLYPH`.

    Each markup rule runs only when its trigger character is in the line, and a line with no trigger
    at all (no leading bullet or rule character, no markup, no double space) is only stripped: most
    lines are such, and this is the importer's innermost loop (#8, #20).
    """
    text = text.rstrip()
    stripped = text.lstrip(" ")
    if not stripped:
        return stripped
    first = stripped[0]
    if (first not in _BULLET_FIRST and "  " not in stripped and "<" not in stripped and "[" not in stripped
            and "*" not in stripped and (not glyphs or _INLINE_GLYPH.search(stripped) is None)):
        # no rule below changes this line; only a table rule ("---|---") is dropped
        if (first in "-|:" or first.isspace()) and _TABLE_RULE.match(stripped):
            return ""
        return stripped
    if _LEADING_BULLET.match(stripped) or _O_SLASH_BULLET.match(stripped):
        rest = _O_SLASH_BULLET.sub("", _LEADING_BULLET.sub("", stripped), count=1).lstrip()
        stripped = "• " + rest if rest else ""
    stripped = _INLINE_GLYPH.sub("•", stripped)
    if "<" in stripped:
        stripped = _HTML_TAG.sub(" ", stripped)
    if "[" in stripped:
        stripped = _MD_LINK.sub(r"\1", stripped)
    if "<" in stripped:
        stripped = _ANGLE_URL.sub(r"\1", stripped)
    if "*" in stripped:
        stripped = _BOLD.sub(" ", stripped) if _BOLD_BETWEEN_WORDS.search(stripped) else _BOLD.sub("", stripped)
        stripped = _ITALIC.sub(r"\1", stripped)
    if "  " in stripped:
        stripped = _SPACE_RUN.sub(" ", stripped)
    stripped = stripped.strip(" ")
    if _TABLE_RULE.match(stripped):
        return ""
    return stripped


def _drop_letterheads(lines: list[Line]) -> list[Line]:
    """Each letterhead block ("Dato: …" down to "Side N af M", and a "NOTAT" after it) is dropped.

    Only the lines that can open one are visited; the text between is copied as it is.
    """
    starts = [i for i, line in enumerate(lines) if line.text[:1] in "dD" and _LETTERHEAD_START.match(line.text)]
    if not starts:
        return list(lines)
    out: list[Line] = []
    i = 0
    for start in starts:
        if start < i:           # inside a block already dropped
            continue
        end = next(
            (j for j in range(start + 1, min(start + _LETTERHEAD_MAX_LINES, len(lines)))
             if _LETTERHEAD_END.match(lines[j].text)),
            None,
        )
        if end is None:
            continue
        out.extend(lines[i:start])
        i = end + 1
        # a memo's "NOTAT" stamp belongs to the letterhead, not the text
        j = i
        while j < len(lines) and not lines[j].text:
            j += 1
        if j < len(lines) and lines[j].text == "NOTAT":
            i = j + 1
    out.extend(lines[i:])
    return out


def _drop_page_numbers(lines: list[Line]) -> list[Line]:
    """A number alone with ≥3 blank lines before and ≥2 after is a page footer."""
    def blanks(start: int, step: int) -> int:
        count, j = 0, start
        while 0 <= j < len(lines) and not lines[j].text:
            count, j = count + 1, j + step
        return count if 0 <= j < len(lines) else 99

    return [
        line for i, line in enumerate(lines)
        if not (line.text[:1].isdigit() and _PAGE_NUMBER.match(line.text) and blanks(i - 1, -1) >= 3 and blanks(i + 1, 1) >= 2)
    ]


def _join_wrapped(lines: list[Line]) -> list[Line]:
    """Join hyphenated word wraps and drop blank lines inside a running sentence."""
    out: list[Line] = []
    for line in lines:
        if out and line.text:
            before = out[-1].text
            if before and not before.endswith("-"):     # the usual case: nothing to join or drop
                out.append(line)
                continue
            # find the last non-blank line, allowing at most two blank lines between
            k = len(out) - 1
            gap = 0
            while k >= 0 and not out[k].text and gap < 3:
                k, gap = k - 1, gap + 1
            if k >= 0 and out[k].text and gap <= 2:
                prev = out[k]
                if (
                    prev.text.endswith("-")  # cheap test first: this loop sees every line (bench, #8)
                    and _HYPHEN_END.search(prev.text)
                    and _STARTS_LOWER.match(line.text)
                    and _FIRST_WORD_END.split(line.text, maxsplit=1)[0] not in _CONJUNCTIONS
                    and "\t" not in prev.text
                ):
                    del out[k + 1:]
                    out[k] = Line(prev.no, prev.text[:-1] + line.text)
                    continue
                if not gap:       # nothing between the lines to drop: `wrapped` below would not matter
                    out.append(line)
                    continue
                wrapped = _STARTS_LOWER.match(line.text) or (
                    len(prev.text) >= _FULL_LINE and line.text[:1].isalpha() and "\t" not in prev.text
                )
                # a bullet's own text may wrap too, but only onto a lower-case continuation
                if prev.text.startswith("•") and not _STARTS_LOWER.match(line.text):
                    wrapped = None
                if gap and wrapped and not _SENTENCE_END.search(prev.text):
                    del out[k + 1:]
        out.append(line)
    return out


def _collapse_blank_runs(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        if not line.text and (not out or not out[-1].text):
            continue
        out.append(line)
    while out and not out[-1].text:
        out.pop()
    return out


def normalise(text: str) -> list[Line]:
    """Normalised lines of a document's raw text, each keeping its original line number."""
    raw = _prepare(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
    # the inline glyphs become "•" for the whole text at once: a leading one is then a leading "•",
    # which the bullet rule reads the same way (both are in _BULLET_GLYPHS)
    if _has_any(raw, _INLINE_GLYPHS):
        raw = _INLINE_GLYPH.sub("•", raw)
    split = raw.split("\n")
    lines = lines_from(range(1, len(split) + 1), [_clean_prepared(t, False) for t in split])
    lines = _drop_letterheads(lines)
    lines = _drop_page_numbers(lines)
    lines = _join_wrapped(lines)
    return _collapse_blank_runs(lines)


def normalised_text(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)


def with_pages(lines: list[Line], line_pages: list[int | None]) -> list[Line]:
    """The lines, each told the page its original line was printed on (unchanged where pages are unknown)."""
    if not any(page is not None for page in line_pages):
        return lines
    last = len(line_pages)
    return [line._replace(page=line_pages[line.no - 1]) if 1 <= line.no <= last else line for line in lines]
