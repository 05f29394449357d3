"""A bilag's real pages in the briefing pack (#15): its PDF original, page for page.

A board member should print the bilag as the secretariat received it — its
fonts, tables, maps and signatures — not a re-typeset text. reportlab cannot
draw another PDF's page, so the pack is made in two steps:

1. the story reserves one body page per original page (`OriginalPage`, a
   flowable that fills the frame and records which page of which original it
   stands for); the running header, "Side x af y", contents and outline then
   count these pages like any other;
2. after layout, pypdf merges each original page into its reserved page,
   scaled into the frame (between the running header and the footer), so
   every original page carries the pack's stamp.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus import Flowable, PageBreakIfNotEmpty

from kkrdesk.briefing.doc import FRAME_WIDTH, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_HEIGHT, Heading
from kkrdesk.briefing.styles import RULE

FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
GAP = 4  # points between the frame's edge and the original page, so the stamp never touches it


@dataclass(frozen=True)
class Placement:
    """Where an original page goes: its source's key and page index, scale and offset on the pack page."""

    key: str
    index: int
    scale: float
    x: float
    y: float


def fit_page(width: float, height: float) -> tuple[float, float, float]:
    """(scale, x, y) that fits a page of width × height points centred into the body frame."""
    scale = min((FRAME_WIDTH - 2 * GAP) / width, (FRAME_HEIGHT - 2 * GAP) / height)
    x = MARGIN_X + (FRAME_WIDTH - width * scale) / 2
    y = MARGIN_BOTTOM + (FRAME_HEIGHT - height * scale) / 2
    return scale, x, y


class OriginalPage(Flowable):
    """One reserved body page for page `index` of original `key`: a hairline where the page will sit."""

    def __init__(self, key: str, index: int, width: float, height: float) -> None:
        super().__init__()
        self.key = key
        self.index = index
        self.page_width = width
        self.page_height = height

    def wrap(self, avail_width, avail_height):  # noqa: D102 - the whole frame
        return avail_width, min(avail_height, FRAME_HEIGHT)

    def split(self, avail_width, avail_height):  # noqa: D102 - never split; a new page if not at the top
        return []

    def draw(self) -> None:
        scale, x, y = fit_page(self.page_width, self.page_height)
        doc = getattr(self.canv, "_doctemplate", None)
        if doc is not None:
            doc.original_pages[self.canv.getPageNumber()] = Placement(self.key, self.index, scale, x, y)
        # in frame coordinates: the flowable's origin is the frame's bottom-left here
        self.canv.saveState()
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.4)
        self.canv.rect(x - MARGIN_X, y - MARGIN_BOTTOM, self.page_width * scale, self.page_height * scale)
        self.canv.restoreState()


class PageHeading(Heading):
    """A bilag's heading that takes no room: contents, outline and header point at its first original page."""

    def wrap(self, avail_width, avail_height):  # noqa: D102
        return avail_width, 0

    def draw(self) -> None:
        pass

    def split(self, avail_width, avail_height):  # noqa: D102
        return []


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page as shown (rotation applied)."""
    from pypdf import PdfReader

    sizes = []
    for page in PdfReader(io.BytesIO(data)).pages:
        box = page.cropbox
        width, height = float(box.width), float(box.height)
        sizes.append((height, width) if (page.rotation or 0) % 180 else (width, height))
    return sizes


def original_flowables(key: str, data: bytes, heading: Heading) -> list[Flowable]:
    """The flowables that put an original's pages into the pack after `heading` (made room-less)."""
    quiet_heading = PageHeading(heading.text, heading.style, key=heading.key, level=heading.level,
                                outline=heading.outline, header=heading.header)
    out: list[Flowable] = [PageBreakIfNotEmpty(), quiet_heading]
    out.extend(OriginalPage(key, index, width, height) for index, (width, height) in enumerate(page_sizes(data)))
    return out


def _page_as_form(writer, source) -> object:
    """An original page as a Form XObject in `writer`: its content untouched, clipped to its crop box.

    Much faster than pypdf's merge_transformed_page, which parses and rewrites every operator.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    contents = source.get("/Contents")
    data = b""
    if contents is not None:
        contents = contents.get_object()
        streams = contents if isinstance(contents, list) else [contents]
        data = b"\n".join(stream.get_object().get_data() for stream in streams)
    form = DecodedStreamObject()
    form.set_data(data)
    box = source.cropbox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)]),
    })
    resources = source.get("/Resources")
    if resources is not None:
        form[NameObject("/Resources")] = resources.get_object().clone(writer)
    return writer._add_object(form.flate_encode())


def _draw_form(writer, page, name: str, form, matrix: tuple[float, ...]) -> None:
    """Add `form` to the page's resources under `name` and draw it with `matrix`, after the page's own content."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    resources = page.get("/Resources")
    if resources is None:
        resources = DictionaryObject()
        page[NameObject("/Resources")] = resources
    resources = resources.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
    xobjects.get_object()[NameObject(name)] = form
    draw = DecodedStreamObject()
    numbers = " ".join(f"{v:.4f}" for v in matrix)
    draw.set_data(f"q {numbers} cm {name} Do Q".encode())
    existing = page.get("/Contents")
    parts = ArrayObject()
    if existing is not None:
        existing = existing.get_object()
        parts.extend(existing if isinstance(existing, list) else [page.raw_get("/Contents")])
    parts.append(writer._add_object(draw))
    page[NameObject("/Contents")] = parts


def merge_originals(path: Path, placements: dict[int, Placement], sources: dict[str, bytes]) -> None:
    """Draw each original page onto its reserved pack page, in place (the caller's temp file)."""
    from pypdf import PdfReader, PdfWriter

    if not placements:
        return
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    readers = {key: PdfReader(io.BytesIO(data)) for key, data in sources.items()}
    for number, (page_number, place) in enumerate(sorted(placements.items())):
        source = readers[place.key].pages[place.index]
        if source.rotation:
            source.transfer_rotation_to_content()
        box = source.cropbox
        form = _page_as_form(writer, source)
        matrix = (place.scale, 0, 0, place.scale,
                  place.x - float(box.left) * place.scale, place.y - float(box.bottom) * place.scale)
        _draw_form(writer, writer.pages[page_number - 1], f"/KkrOriginal{number}", form, matrix)
    temp = path.with_name(path.name + ".merge")
    try:
        with temp.open("wb") as handle:
            writer.write(handle)
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)
