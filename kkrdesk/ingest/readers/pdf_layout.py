"""Positioned characters → lines, tables and reading order (no PDF library here: plain geometry).

- Lines: characters whose vertical centres meet; words where the gap is wider than a fifth of
  the type size; a gap wider than about two ems splits a line into segments (cells of a table
  without borders, the two halves of a signature block, two page columns).
- Tables from ruling lines: strokes that touch form a grid; a missing border between two grid
  cells means a merged cell, read once.
- Bands: consecutive lines split at a common gap are either a borderless table (numbers on the
  right, or three and more segments: one row per line) or side-by-side text (two columns, two
  signature blocks: the left one read first).
- Cells: a word forced onto the next line of a narrow cell ("Afrapporterin" / "g") is rejoined;
  a word hyphenated over a line end is joined.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from kkrdesk.ingest.model import Block, Cell, ListItem, Paragraph, Run, Table
from kkrdesk.ingest.readers.pdf_chars import Char, Rule

_SEGMENT_GAP = 1.8        # ems: a gap this wide separates segments of one line
_WORD_GAP = 0.18          # ems: a gap this wide is a space
_TOUCH = 2.5              # points: strokes this close touch
_BULLET = re.compile(r"^(?:[•\uf0b7\u2022\u25cf\u25aa\u27a2\u2013\-–]\s|\d{1,2}[.)]\s)")
_NUMERIC = re.compile(r"^[-–]?\s*\d[\d.,]*\s*(?:%|kr\.?|mio\.?|pct\.?)?$|^\d[\d.]*\s+kr\.$|^1\.000 kr\.$", re.I)
_NUMBER_TOUCHING = re.compile(r"^(\d{1,2}\.)(?=[A-ZÆØÅ])")
_CONJUNCTIONS = {"og", "eller", "samt", "til", "som", "men"}


@dataclass
class Segment:
    chars: list[Char]         # left to right

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @cached_property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    def runs(self) -> list[Run]:
        return _runs(self.chars)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs())


@dataclass
class TextLine:
    segments: list[Segment]
    top: float
    bottom: float
    page: int = 0

    @property
    def chars(self) -> list[Char]:
        return [c for s in self.segments for c in s.chars]

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @cached_property
    def size(self) -> float:
        sizes = Counter(c.size for c in self.chars if c.c != " ")
        return sizes.most_common(1)[0][0] if sizes else 10.0

    @cached_property
    def bold(self) -> bool:
        printed = [c for c in self.chars if c.c != " "]
        return bool(printed) and sum(c.bold for c in printed) >= 0.9 * len(printed)

    @cached_property
    def runs(self) -> list[Run]:
        return _runs(self.chars)

    @cached_property
    def text(self) -> str:
        if len(self.segments) == 1:
            return "".join(r.text for r in self.runs)
        return "\t".join(s.text for s in self.segments)


@dataclass
class Placed:
    """A block with its vertical position on its page, so tables and text merge in reading order."""
    top: float
    block: Block
    lines: list[TextLine] = field(default_factory=list)


def _runs(chars: list[Char]) -> list[Run]:
    """Characters → runs of one formatting, with spaces where the gaps are."""
    runs: list[Run] = []
    previous: Char | None = None
    for ch in chars:
        if ch.c == " ":
            if runs and not runs[-1].text.endswith(" "):
                runs[-1].text += " "
            previous = None if previous is None else previous
            continue
        space = previous is not None and ch.x0 - previous.x1 > _WORD_GAP * ch.size
        if runs and runs[-1].bold == ch.bold and runs[-1].underline == ch.underline:
            runs[-1].text += (" " if space and not runs[-1].text.endswith(" ") else "") + ch.c
        else:
            if space and runs and not runs[-1].text.endswith(" "):
                runs[-1].text += " "
            runs.append(Run(ch.c, ch.bold, ch.underline))
        previous = ch
    if runs:
        runs[-1].text = runs[-1].text.rstrip()
        # a list number drawn apart from its text touches it: "10.Grøn omstilling" → "10. Grøn omstilling"
        runs[0].text = _NUMBER_TOUCHING.sub(r"\1 ", runs[0].text, count=1)
    return [r for r in runs if r.text]


def build_lines(chars: list[Char], page: int = 0) -> list[TextLine]:
    """Characters → lines (top to bottom), each split into segments at wide gaps."""
    if not any(c.c != " " for c in chars):
        return []
    mids = [(c.top + c.bottom) * 0.5 for c in chars]
    groups: list[list[Char]] = []
    current: list[Char] | None = None
    centre = size = 0.0
    for i in sorted(range(len(chars)), key=mids.__getitem__):
        ch, mid = chars[i], mids[i]
        if current is not None and abs(mid - centre) <= 0.4 * (size if size > ch.size else ch.size):
            current.append(ch)
            if ch.c != " ":
                centre = (centre * 3 + mid) / 4
        elif ch.c != " " or current is not None:
            current = [ch]
            groups.append(current)
            centre, size = mid, ch.size
    lines: list[TextLine] = []
    for group in groups:
        group.sort(key=lambda c: c.x0)
        segments: list[list[Char]] = []
        last: Char | None = None
        top, bottom = 1e9, -1e9
        for ch in group:
            if ch.c == " ":
                if segments:
                    segments[-1].append(ch)
                continue
            if last is None or ch.x0 - last.x1 > _SEGMENT_GAP * (ch.size if ch.size > last.size else last.size):
                segments.append([])
            segments[-1].append(ch)
            last = ch
            top = ch.top if ch.top < top else top
            bottom = ch.bottom if ch.bottom > bottom else bottom
        for seg in segments:
            while seg and seg[-1].c == " ":
                seg.pop()
        segs = [Segment(seg) for seg in segments if seg]
        if segs:
            lines.append(TextLine(segs, top, bottom, page))
    lines.sort(key=lambda line: (line.top, line.x0))
    return lines


# --- underlines ----------------------------------------------------------------------------------

def mark_underlines(chars: list[Char], rules: list[Rule]) -> list[Rule]:
    """Strokes just under a run of characters underline them; the remaining strokes are returned."""
    rest: list[Rule] = []
    for rule in rules:
        if not rule.horizontal:
            rest.append(rule)
            continue
        hit = [c for c in chars if c.c != " " and rule.x0 - 1 <= (c.x0 + c.x1) / 2 <= rule.x1 + 1
               and c.mid < rule.top <= c.bottom + 3]
        if hit and (rule.x1 - rule.x0) <= (max(c.x1 for c in hit) - min(c.x0 for c in hit)) + 4:
            for c in hit:
                c.underline = True
        else:
            rest.append(rule)
    return rest


# --- tables from ruling lines --------------------------------------------------------------------

@dataclass
class Grid:
    xs: list[float]
    ys: list[float]
    horizontal: list[Rule]
    vertical: list[Rule]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, ch: Char) -> bool:
        x, y = (ch.x0 + ch.x1) / 2, ch.mid
        return self.xs[0] - 1 <= x <= self.xs[-1] + 1 and self.ys[0] - 1 <= y <= self.ys[-1] + 1

    def has_vertical(self, x: float, top: float, bottom: float) -> bool:
        mid = (top + bottom) / 2
        return any(abs((r.x0 + r.x1) / 2 - x) <= _TOUCH and r.top - _TOUCH <= mid <= r.bottom + _TOUCH
                   for r in self.vertical)

    def has_horizontal(self, y: float, left: float, right: float) -> bool:
        mid = (left + right) / 2
        return any(abs((r.top + r.bottom) / 2 - y) <= _TOUCH and r.x0 - _TOUCH <= mid <= r.x1 + _TOUCH
                   for r in self.horizontal)


def _touch(a: Rule, b: Rule) -> bool:
    return (a.x0 - _TOUCH <= b.x1 and b.x0 - _TOUCH <= a.x1
            and a.top - _TOUCH <= b.bottom and b.top - _TOUCH <= a.bottom)


def _same_span(a: Rule, b: Rule) -> bool:
    """Two tall verticals from the same top to the same bottom: the sides of a cell that fills a page."""
    return (not a.horizontal and not b.horizontal and a.bottom - a.top >= 20
            and abs(a.top - b.top) <= _TOUCH and abs(a.bottom - b.bottom) <= _TOUCH)


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOUCH:
            out.append(v)
    return out


def find_grids(rules: list[Rule]) -> list[Grid]:
    """Connected strokes with at least two horizontal and two vertical lines form a table grid."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ordered = sorted(range(len(rules)), key=lambda i: rules[i].top)
    for a_pos, i in enumerate(ordered):
        for j in ordered[a_pos + 1:]:
            if rules[j].top - _TOUCH > rules[i].bottom:
                break
            if _touch(rules[i], rules[j]) or _same_span(rules[i], rules[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    grids: list[Grid] = []
    for members in groups.values():
        horizontal = [r for r in members if r.horizontal]
        vertical = [r for r in members if not r.horizontal]
        if len(vertical) < 2 or len(horizontal) + len(vertical) < 3:
            continue
        xs = _positions([(r.x0 + r.x1) / 2 for r in vertical])
        # a row split over a page break has no border at the page end (or start): the verticals close it
        ends = [min(r.top for r in vertical), max(r.bottom for r in vertical)]
        ys = _positions([(r.top + r.bottom) / 2 for r in horizontal] + ends)
        if len(xs) >= 2 and len(ys) >= 2:
            grids.append(Grid(xs, ys, horizontal, vertical))
    return grids


def grid_table(grid: Grid, chars: list[Char], page: int) -> Table:
    """The grid's cells, merged where a border is missing; each cell read as its own small page."""
    rows_n, cols_n = len(grid.ys) - 1, len(grid.xs) - 1
    owner = {(r, c): (r, c) for r in range(rows_n) for c in range(cols_n)}

    def root(key):
        while owner[key] != key:
            key = owner[key]
        return key

    for r in range(rows_n):
        for c in range(cols_n):
            top, bottom = grid.ys[r], grid.ys[r + 1]
            if c + 1 < cols_n and not grid.has_vertical(grid.xs[c + 1], top, bottom):
                owner[root((r, c + 1))] = root((r, c))
            if r + 1 < rows_n and not grid.has_horizontal(grid.ys[r + 1], grid.xs[c], grid.xs[c + 1]):
                owner[root((r + 1, c))] = root((r, c))
    contents: dict[tuple[int, int], list[Char]] = {}
    for ch in chars:
        x, y = (ch.x0 + ch.x1) / 2, ch.mid
        c = next((i for i in range(cols_n) if grid.xs[i] <= x <= grid.xs[i + 1]), None)
        r = next((i for i in range(rows_n) if grid.ys[i] <= y <= grid.ys[i + 1]), None)
        if r is not None and c is not None:
            contents.setdefault(root((r, c)), []).append(ch)
    extent: dict[tuple[int, int], float] = {}
    for key in owner:
        base = root(key)
        extent[base] = max(extent.get(base, 0.0), grid.xs[key[1] + 1])
    rows: list[list[Cell]] = []
    for r in range(rows_n):
        row: list[Cell] = []
        for c in range(cols_n):
            base = root((r, c))
            if base[0] == r and base[1] != c:
                continue                       # merged across: the cell was read once, to the left
            if base[0] != r:
                if base[1] == c:
                    row.append(Cell([]))         # merged down: empty in the rows below
                continue
            row.append(Cell(cell_blocks(contents.get(base, []), extent[base], page)))
        if any(cell.blocks for cell in row):
            rows.append(row)
    return Table(rows, page=page, columns=grid.xs)


# --- paragraphs ----------------------------------------------------------------------------------

def _join(left: str, right: str) -> str:
    """Join two lines of one paragraph: hyphenation over the line end is undone."""
    if left.endswith("-") and right[:1].islower():
        word = re.split(r"[\s,.;:]", right, maxsplit=1)[0]
        if word not in _CONJUNCTIONS and len(left) >= 2:
            return left[:-1] + right if left[-2].islower() else left + right
    return f"{left} {right}"


def _join_runs(runs: list[Run], more: list[Run], glue: str) -> list[Run]:
    if not runs:
        return list(more)
    if not more:
        return runs
    text = runs[-1].text
    if glue == "hyphen":
        runs[-1].text = text[:-1]
    elif glue == "space":
        runs[-1].text = text + " "
    return runs + more


def _glue(left: str, right: str, broken_word: bool) -> str:
    if broken_word:
        return "none"
    joined = _join(left, right)
    if joined == left[:-1] + right:
        return "hyphen"
    if joined == left + right:
        return "none"
    return "space"


def cell_blocks(chars: list[Char], right_edge: float, page: int) -> list[Block]:
    """A table cell's text: its lines joined into paragraphs, words broken by the cell's width rejoined."""
    lines = build_lines(chars, page)
    blocks: list[Block] = []
    current: Paragraph | ListItem | None = None
    previous: TextLine | None = None
    for line in lines:
        runs = _runs(line.chars)
        text = "".join(r.text for r in runs)
        if not text:
            continue
        starts_item = bool(_BULLET.match(text))
        gap = line.top - previous.bottom if previous else 0.0
        if current is not None and previous is not None and not starts_item and gap < 0.45 * line.size:
            prev_text = current.text
            single_word = " " not in "".join(r.text for r in _runs(previous.chars)).strip()
            broken = (single_word and previous.x1 >= right_edge - 1.2 * previous.size
                      and text[:1].islower() and prev_text[-1:].isalpha())
            current.runs = _join_runs(current.runs, runs, _glue(prev_text, text, broken))
        else:
            if starts_item:
                marker = text.split(None, 1)[0]
                rest = _strip_marker(runs)
                current = ListItem(rest, marker="•" if not marker[0].isdigit() else marker, page=page)
            else:
                current = Paragraph(runs, page=page)
            blocks.append(current)
        previous = line
    return blocks


def _strip_marker(runs: list[Run]) -> list[Run]:
    out = [Run(r.text, r.bold, r.underline) for r in runs]
    if out:
        out[0].text = _BULLET.sub("", out[0].text, count=1)
    return [r for r in out if r.text]


# --- bands: borderless tables and side-by-side text ----------------------------------------------

def _widest_gap(line: TextLine) -> tuple[float, float] | None:
    if len(line.segments) < 2:
        return None
    pairs = [(a.x1, b.x0) for a, b in zip(line.segments, line.segments[1:], strict=False)]
    return max(pairs, key=lambda p: p[1] - p[0])


def split_bands(lines: list[TextLine]) -> list[tuple[str, list[TextLine], tuple[float, float] | None]]:
    """Group lines: ("text", [line]) or ("table"/"columns", lines, gap) for runs split at one gap."""
    out: list[tuple[str, list[TextLine], tuple[float, float] | None]] = []
    i = 0
    while i < len(lines):
        gap = _widest_gap(lines[i])
        if gap is None:
            out.append(("text", [lines[i]], None))
            i += 1
            continue
        lo, hi = gap
        band = [lines[i]]
        split = 1
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if line.top - band[-1].bottom > 2.5 * line.size:
                break
            g = _widest_gap(line)
            if g is not None and min(hi, g[1]) - max(lo, g[0]) >= 2:
                lo, hi = max(lo, g[0]), min(hi, g[1])
                split += 1
            elif g is None and (line.x1 <= lo + 1 or line.x0 >= hi - 1) and split >= 1:
                pass
            else:
                break
            band.append(line)
            j += 1
        while band and len(band[-1].segments) < 2 and len(band) > 1:
            band.pop()
        if split >= 2 or len(band) == 1:
            numeric = [s for ln in band for s in ln.segments[1:] if _NUMERIC.match(s.text.strip())]
            right = [s for ln in band for s in ln.segments[1:]]
            many = sum(1 for ln in band if len(ln.segments) >= 3)
            kind = "table" if len(band) == 1 or many or len(numeric) >= 0.6 * max(1, len(right)) else "columns"
            out.append((kind, band, (lo, hi)))
            i += len(band)
        else:
            out.append(("table", [lines[i]], gap))
            i += 1
    return out


def band_table(band: list[TextLine], gap: tuple[float, float], page: int) -> Table:
    rows: list[list[Cell]] = []
    width = max(len(line.segments) for line in band)
    for line in band:
        if len(line.segments) == 1:
            seg = line.segments[0]
            cells = [seg, None] if seg.x1 <= gap[0] + 1 else [None, seg]
        else:
            cells = list(line.segments)
        row = [Cell([Paragraph(seg.runs(), page=page)] if seg is not None else []) for seg in cells]
        row += [Cell([]) for _ in range(width - len(row))]
        rows.append(row)
    return Table(rows, page=page)


def band_columns(band: list[TextLine], gap: tuple[float, float]) -> list[list[TextLine]]:
    """Side-by-side text read column by column: every left segment, then every right one."""
    middle = (gap[0] + gap[1]) / 2
    left: list[TextLine] = []
    right: list[TextLine] = []
    for line in band:
        lsegs = [s for s in line.segments if s.x1 <= middle]
        rsegs = [s for s in line.segments if s.x1 > middle]
        if lsegs:
            left.append(TextLine(lsegs, line.top, line.bottom, line.page))
        if rsegs:
            right.append(TextLine([Segment([c for s in rsegs for c in s.chars])], line.top, line.bottom, line.page))
    return [left, right]


# --- two page columns whose lines do not line up -------------------------------------------------

def _crosses(line: TextLine, gutter: float) -> bool:
    return any(seg.x0 < gutter < seg.x1 for seg in line.segments)


def _sides(lines: list[TextLine], gutter: float) -> tuple[list[TextLine], list[TextLine]]:
    left: list[TextLine] = []
    right: list[TextLine] = []
    for line in lines:
        lsegs = [s for s in line.segments if s.x1 <= gutter]
        rsegs = [s for s in line.segments if s.x0 >= gutter]
        if lsegs:
            left.append(TextLine(lsegs, line.top, line.bottom, line.page))
        if rsegs:
            right.append(TextLine(rsegs, line.top, line.bottom, line.page))
    return left, right


def _prose(lines: list[TextLine], x0: float, x1: float) -> bool:
    """Most lines fill their column and are not numbers: running text, not a borderless table."""
    if len(lines) < 3:
        return False
    widths = sorted(ln.x1 - ln.x0 for ln in lines)
    numeric = sum(1 for ln in lines if _NUMERIC.match(ln.text.strip()))
    return widths[len(widths) // 2] >= 0.6 * (x1 - x0) and numeric <= len(lines) // 3


def page_columns(lines: list[TextLine], width: float) -> tuple[int, int, float] | None:
    """The longest run of lines (start, end) read as two page columns split at a gutter, if any.

    Lines of two columns line up only when both columns keep the same rhythm; a heading in one of
    them shifts the rest, so the columns are found by an empty vertical strip, not by line pairs.
    """
    if len(lines) < 6:
        return None
    middle = width / 2
    if sum(1 for ln in lines if len(ln.segments) == 1 and ln.x0 < middle < ln.x1) > len(lines) // 2:
        return None                       # mostly full-width lines: one column
    if sum(1 for ln in lines if ln.segments[-1].x0 > 0.3 * width) < 3:
        return None                       # nothing starts right of the page's first third: no right column
    best: tuple[int, int, float] | None = None
    for step in range(int(0.3 * width), int(0.7 * width), 3):
        gutter = float(step)
        start = 0
        for end in range(len(lines) + 1):
            crossing = end < len(lines) and _crosses(lines[end], gutter)
            far = 0 < end < len(lines) and end > start and (
                lines[end].top - lines[end - 1].bottom > 2.5 * lines[end].size)
            if end < len(lines) and not crossing and not far:
                continue
            if end - start >= 6 and (best is None or end - start > best[1] - best[0]):
                run = lines[start:end]
                left, right = _sides(run, gutter)
                lo = min(ln.x0 for ln in run)
                hi = max(ln.x1 for ln in run)
                if _prose(left, lo, gutter) and _prose(right, gutter, hi):
                    best = (start, end, gutter)
            start = end + 1 if crossing else end
    return best
