"""The page machinery shared by both packs: cover, running header, "Side x af y", outline, contents.

Headings are `Heading` paragraphs; when one is laid out, the document
bookmarks the spot, adds an outline entry and a contents entry (a link), and
remembers it for the running header. That way outline, contents and header
can never disagree with the text, and a heading left out (a closed item in a
public pack) is left out of all three.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from kkrdesk import __version__
from kkrdesk.briefing.atomic import atomic_target
from kkrdesk.briefing.styles import ACCENT, FONT, FONT_BOLD, MUTED, RULE, register_fonts, styles

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X


class Heading(Paragraph):
    """A heading that becomes a bookmark, an outline entry, a contents line and the running header."""

    def __init__(self, text: str, style, *, key: str, level: int, outline: str, header: str) -> None:
        super().__init__(text, style)
        self.key = key            # unique bookmark name
        self.level = level        # 0 = agenda item / goal, 1 = bilag
        self.outline = outline    # plain text for outline and contents
        self.header = header      # what the running header shows from here on


@dataclass
class PackInfo:
    """What the header, footer and metadata print; nothing here may come from a closed item."""

    title: str                       # "KKR Nordjylland – møde 2021"
    subtitle: str                    # the date line ("23. november 2026" / "dato ukendt")
    subject: str                     # PDF metadata subject
    footer_left: str = ""            # "Offentlig udgave" / "Indeholder lukkede punkter"
    keywords: list[str] = field(default_factory=list)


# Set by a background operation (kkrdesk.ui.operations) in its own thread: called after every laid-out
# page with (page, pages of the previous pass or 0). Raising from it stops the build; the temp file goes.
page_progress: contextvars.ContextVar[Callable[[int, int], None] | None] = contextvars.ContextVar(
    "page_progress", default=None)


class PackDocument(BaseDocTemplate):
    """A4 pack: a cover page template and a body template with header and footer."""

    def __init__(self, filename, info: PackInfo, *, cover: Callable[[Canvas, BaseDocTemplate], None] | None = None):
        register_fonts()
        super().__init__(
            filename, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=info.title, author="KKR Nordjylland", subject=info.subject,
            creator=f"kkrdesk {__version__}", producer=f"kkrdesk {__version__} (reportlab)",
            keywords=info.keywords, lang="da-DK", displayDocTitle=1,
            initialFontName=FONT, initialFontSize=9.5,  # else every page names unembedded Helvetica
        )
        self.info = info
        self.header_label = ""      # the last heading laid out
        self._top_label = ""        # the heading in effect at the top of the current page
        self._page_empty = False
        self._outline_level = -1
        self.known_pages = 0        # the page count of the previous pass (multiBuild lays out ≥ 2 times)
        self.original_pages: dict = {}   # pack page → the original page it carries (briefing/originals.py)
        self.outline_entries = 0
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[frame], onPage=cover or (lambda canv, doc: None),
                         autoNextPageTemplate="body"),
            PageTemplate(id="body", frames=[frame], onPageEnd=self._decorate),
        ])

    # ---- passes -------------------------------------------------------------------------------
    def multiBuild(self, story, maxPasses: int = 10, **kw):  # noqa: N802 - reportlab's name
        """The first pass only lays out (collects the contents and the page count); later passes draw (#20.4).

        reportlab's multiBuild draws every pass, and a pack needs two (the contents' page numbers
        come from the first). Layout does not depend on drawing: headings, outline and TOC entries
        come from afterFlowable, so the first pass can skip drawing (text formatting, images).
        Paragraphs keep their lines from one pass to the next (`_remembered_wraps`).
        Both swap a reportlab method for the length of the build, so builds take turns
        (`_BUILDS`): two exports at once (two windows) must not blank each other's pages.
        """
        self._indexingFlowables = [thing for thing in story if thing.isIndexing()]
        self._doSave = 0
        edits: list = []
        self._multiBuildEdits = edits.append
        passes = 0
        with _BUILDS, _remembered_wraps():
            while True:
                passes += 1
                for flowable in self._indexingFlowables:
                    flowable.beforeBuild()
                with _drawing(passes > 1):
                    self.build(story[:], **kw)
                for flowable in self._indexingFlowables:
                    flowable.afterBuild()
                if passes > 1 and self._allSatisfied():
                    self.canv.save()
                    break
                if passes > maxPasses:
                    raise IndexError(f"Index entries not resolved after {maxPasses} passes")
                while edits:
                    edit = edits.pop(0)
                    edit[0](*edit[1:])
        del self._multiBuildEdits
        return passes

    def build(self, flowables, **kw):  # noqa: D102 - remembers the page count for "Side x af y"
        self.header_label = ""
        self._top_label = ""
        self._outline_level = -1
        self.outline_entries = 0
        self.original_pages = {}
        super().build(flowables, **kw)
        self.known_pages = self.page

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        self._top_label = self.header_label   # what is in effect at the top of the new page
        self._page_empty = True

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, ActionFlowable):   # keep-together bookkeeping draws nothing
            return
        first_on_page = self._page_empty
        self._page_empty = False
        if not isinstance(flowable, Heading):
            return
        if first_on_page and flowable.header is not None:
            self._top_label = flowable.header  # a page that opens with an item is that item's page
        self.canv.bookmarkPage(flowable.key)
        # An outline may go at most one level deeper than the entry before it.
        level = min(flowable.level, self._outline_level + 1)
        self._outline_level = level
        self.canv.addOutlineEntry(flowable.outline, flowable.key, level=level, closed=False)
        self.outline_entries += 1
        self.notify("TOCEntry", (level, escape_text(flowable.outline), self.page, flowable.key))
        if flowable.header is not None:
            self.header_label = flowable.header

    # ---- page decoration ----------------------------------------------------------------------
    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        hook = page_progress.get()
        if hook is not None:
            hook(canv.getPageNumber(), self.known_pages)
        canv.saveState()
        top = PAGE_HEIGHT - 12 * mm
        canv.setFont(FONT, 7.5)
        canv.setFillColor(MUTED)
        title = self.info.title
        if self.info.subtitle and self.info.subtitle not in title:
            title = f"{title} · {self.info.subtitle}"
        label = self._top_label or self.header_label
        room = FRAME_WIDTH - stringWidth(label, FONT_BOLD, 7.5) - 12
        canv.drawString(MARGIN_X, top, _fit(title, room, FONT, 7.5))
        if label:
            canv.setFont(FONT_BOLD, 7.5)
            canv.setFillColor(ACCENT)
            canv.drawRightString(PAGE_WIDTH - MARGIN_X, top, label)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
        bottom = 11 * mm
        canv.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
        canv.setFont(FONT, 7.5)
        canv.setFillColor(MUTED)
        page = canv.getPageNumber()
        total = max(self.known_pages, page)
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, f"Side {page} af {total}")
        if self.info.footer_left:
            canv.drawString(MARGIN_X, bottom, self.info.footer_left)
        canv.restoreState()


_BUILDS = threading.Lock()   # one multi-pass build at a time: the swaps below are process-wide


@contextlib.contextmanager
def _drawing(on: bool) -> Iterator[None]:
    """With on=False, this thread's flowables are placed but not drawn (Flowable.drawOn does nothing);
    a PDF built meanwhile in another thread (a chart export, a one-pass document) still draws."""
    if on:
        yield
        return
    original = Flowable.drawOn
    builder = threading.get_ident()

    def draw_on(self, canvas, x, y, _sW=0):  # noqa: N803 - reportlab's names
        if threading.get_ident() != builder:
            return original(self, canvas, x, y, _sW)
        return None

    Flowable.drawOn = draw_on
    try:
        yield
    finally:
        Flowable.drawOn = original


@contextlib.contextmanager
def _remembered_wraps() -> Iterator[None]:
    """Paragraph.wrap remembers a paragraph's lines for the width it was given (#20.4).

    Platypus wraps a paragraph several times per pass (to see whether it fits, to split it,
    in a table cell, for keep-together), and the second pass lays out the same Paragraph
    objects in frames of the same width again. Its lines depend only on the paragraph and
    the width, never on the height, so a wrap at the width of the last one reuses them:
    the PDF is byte for byte the same (tests/test_briefing_passes.py), the second pass cheap.
    """
    original = Paragraph.wrap
    remembered: list[Paragraph] = []

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        memo = self.__dict__.get("_kkrdesk_wrap")
        if memo is not None and memo[0] == availWidth:
            _, self.width, self._wrapWidths, self.blPara, self.height = memo
            return self.width, self.height
        result = original(self, availWidth, availHeight)
        if "blPara" in self.__dict__ and self.width == availWidth:   # not the "does not fit" early return
            if memo is None:
                remembered.append(self)
            self._kkrdesk_wrap = (availWidth, self.width, self._wrapWidths, self.blPara, self.height)
        return result

    Paragraph.wrap = wrap
    try:
        yield
    finally:
        Paragraph.wrap = original
        for paragraph in remembered:     # only while this pack is built
            paragraph.__dict__.pop("_kkrdesk_wrap", None)


def _fit(text: str, width: float, font: str, size: float) -> str:
    """`text` cut with "…" so it fits `width` points (a long meeting title must not run into the label)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + " …", font, size) > width:
        text = text[:-1]
    return text.rstrip() + " …"


def contents(title: str = "Indhold") -> list:
    """A contents title and a TableOfContents whose lines link to their headings."""
    st = styles()
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [st["toc0"], st["toc1"]]
    # The contents are laid out as a Table, which sets its cell font even for paragraph cells.
    toc.tableStyle = TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return [Paragraph(title, st["toc_title"]), toc]


def escape_text(text: str) -> str:
    """Plain text → Paragraph markup (the text of a document may contain <, > and &)."""
    return escape(text)


class PackError(Exception):
    """The pack cannot be made (unknown meeting or contract year); Danish, for the user."""


@dataclass
class PackResult:
    path: Path
    pages: int
    outline_entries: int


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Compressed binary streams instead of ASCII85 while a pack is written.

    Without reportlab's C accelerator its ASCII85 encoder is pure Python and was
    a large share of the build time (images and page text are encoded again in
    every pass). rl_config is process-wide: build one pack at a time.
    """
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


def write_pack(story: list, info: PackInfo, target: Path | str,
               cover: Callable[[Canvas, BaseDocTemplate], None] | None = None,
               originals: dict[str, bytes] | None = None) -> PackResult:
    """Lay the story out (several passes for the contents) into a temp file, then rename it to `target`.

    `originals` holds the PDF originals whose pages the story reserved; they are merged in before the rename.
    """
    with atomic_target(target) as temp, _binary_streams():
        doc = PackDocument(str(temp), info, cover=cover)
        doc.multiBuild(story)
        if originals:
            from kkrdesk.briefing.originals import merge_originals

            merge_originals(temp, doc.original_pages, originals)
    return PackResult(Path(target), doc.known_pages, doc.outline_entries)
