"""Paragraphs and sentences of contract text that still know their original line numbers."""

from __future__ import annotations

import re

from kkrdesk.data.lines import Line
from kkrdesk.ingest.contracts import targets as tg


def join_paragraphs(lines: list[Line]) -> str:
    """Field text as stored: lines of a paragraph joined by spaces, paragraphs by a blank line."""
    paras: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.text:
            if current:
                paras.append(" ".join(current))
                current = []
            continue
        current.append(line.text)
    if current:
        paras.append(" ".join(current))
    return "\n\n".join(paras)


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Paragraphs of a field: split at blank lines and at bullet starts."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        starts_item = bool(re.match(r"^(?:•|-|–|o)\s", line.text))
        if not line.text or (starts_item and current):
            if current:
                out.append(current)
            current = [] if not line.text else [line]
            continue
        current.append(line)
    if current:
        out.append(current)
    return out


def line_at(paragraph: list[Line], offset: int) -> int:
    """Original line number of a character offset in the paragraph joined by spaces."""
    pos = 0
    for line in paragraph:
        pos += len(line.text) + 1
        if offset < pos:
            return line.no
    return paragraph[-1].no


class Sentence(str):
    """A sentence that can tell the original line of any character in it."""

    paragraph: list[Line]
    offset: int

    def line_of(self, pos: int = 0) -> int:
        return line_at(self.paragraph, self.offset + pos)


def sentence_lines(paragraph: list[Line]) -> list[tuple[Sentence, int]]:
    """(sentence, line of its first word) for a paragraph; sentence.line_of(pos) maps inside it."""
    joined = " ".join(line.text for line in paragraph)
    out: list[tuple[Sentence, int]] = []
    cursor = 0
    for sentence in tg.sentences(joined):
        found = joined.find(sentence[:20], cursor)
        found = cursor if found < 0 else found
        s = Sentence(sentence)
        s.paragraph, s.offset = paragraph, found
        out.append((s, line_at(paragraph, found)))
        cursor = found + max(1, len(sentence) - 5)
    return out


_BULLET = re.compile(r"^(?:•|-|–|o)\s+")


def strip_bullet(text: str) -> str:
    """'• tekst', '- tekst', 'o tekst' → 'tekst' (the bullet says nothing about the target)."""
    return _BULLET.sub("", text).strip()
