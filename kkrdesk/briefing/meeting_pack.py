"""The meeting briefing pack: cover, contents, then one section per agenda item with its bilag.

Everything comes from `queries.get_meeting(db, id, public=...)`; with
public=True closed items arrive already redacted ("Lukket punkt", no text, no
bilag), and this module additionally drops the reader's notes on them, so a
public pack cannot carry a closed item's words in text, outline or metadata.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak, Paragraph

from kkrdesk.briefing.cover import cover_flowables, draw_cover, generated_text
from kkrdesk.briefing.doc import FRAME_WIDTH, Heading, PackError, PackInfo, PackResult, contents, write_pack
from kkrdesk.briefing.figures import datasets_in_document, document_figures
from kkrdesk.briefing.links import item_link_flowables
from kkrdesk.briefing.notes import NoteLookup, meeting_notes, note_box
from kkrdesk.briefing.originals import original_flowables
from kkrdesk.briefing.styles import styles
from kkrdesk.briefing.text import markup, same_title, strip_cover_residue, text_flowables
from kkrdesk.data import queries
from kkrdesk.data.danish import count_text, format_date
from kkrdesk.data.originals import original_info, whole_file_pdf


def _line_span(file_name: str | None, start: int | None, end: int | None) -> str:
    label = queries.source_label(file_name, start)
    if label and end and start and end != start:
        label = f"{label}–{end}"
    return f"Kilde: {label}" if label else ""


def _short(text: str, limit: int = 45) -> str:
    """A running-header label for an item without a number: its title, cut at a word."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def bilag_flowables(db, item: dict, bilag: dict) -> list[Flowable]:
    """A bilag's readable text: its sections in order, cover residue dropped, and its nøgletal."""
    st = styles()
    if bilag.get("document_id") is None:
        return [Paragraph("Bilagets tekst er ikke importeret.", st["meta"])]
    sections = queries.document_sections(db, bilag["document_id"])
    out: list[Flowable] = []
    for index, section in enumerate(sections):
        body = section["body"] or ""
        if index == 0:
            body = strip_cover_residue(body, item.get("number"), item.get("title"))
        title = (section.get("title") or "").strip()
        show_title = len(sections) > 1 and title and not (index == 0 and same_title(title, bilag["title"]))
        if show_title:
            number = (section.get("number") or "").strip()
            text = f"{number}. {title}" if number.isdigit() else f"{number} {title}".strip()
            out.append(Paragraph(markup(text), st["section" if (section.get("level") or 1) <= 1 else "subsection"]))
        out.extend(text_flowables(body, FRAME_WIDTH))
    out.extend(document_figures(db, bilag["document_id"], FRAME_WIDTH))
    return out


def item_flowables(db, item: dict, *, public: bool, notes: NoteLookup | None,
                   originals: dict[str, bytes] | None = None) -> list[Flowable]:
    """An item's page and its bilag; a bilag with a PDF original goes in as its own pages when
    `originals` is given (collecting them by sha256 for write_pack), else as its text."""
    st = styles()
    number, title = item["number"], item["title"]
    closed = item["access"] == "lukket"
    heading = f"{number}  {title}" if number else title
    header = f"Punkt {number}" if number else _short(title)
    out: list[Flowable] = [PageBreak(), Heading(
        markup(heading), st["item"], key=f"item-{item['id']}", level=0,
        outline=f"{number} {title}".strip(), header=header)]
    if public and closed:
        out.append(Paragraph("Lukket punkt", st["closed"]))
        out.append(Paragraph("Punktet er lukket og er udeladt i den offentlige udgave.", st["body"]))
        return out
    out.append(Paragraph("Lukket punkt – fortroligt" if closed else "Åbent punkt", st["closed" if closed else "open"]))
    if notes is not None:
        out.extend(note_box(notes.item(item["number"])))
    if item.get("case_number"):
        out.append(Paragraph(markup(f"Sagsnr. {item['case_number']}"), st["meta"]))
    # Indstilling first: what the board is asked to decide, then the case, then what it decided (#14).
    texts = [("Indstilling", item.get("indstilling")), ("Sagsfremstilling", item.get("sagsfremstilling")),
             ("Baggrund", item.get("baggrund")), ("Beslutning", item.get("beslutning"))]
    for label, text in texts:
        if text and text.strip():
            out.append(Paragraph(label, st["label"]))
            out.extend(text_flowables(text, FRAME_WIDTH))
    out.extend(document_figures(db, item.get("document_id"), FRAME_WIDTH) if item.get("sagsfremstilling") else [])
    if not any(text and text.strip() for _, text in texts):
        missing = ("Materialet har ingen sagsfremstilling eller indstilling til punktet; kun bilag."
                   if item["bilag"] else "Materialet har ingen sagsfremstilling, indstilling eller bilag til punktet.")
        out.append(Paragraph(missing, st["meta"]))
    charted = {name for b in item["bilag"] for name in datasets_in_document(db, b.get("document_id"))}
    out.extend(item_link_flowables(db, item, charted))
    if item["bilag"]:
        out.append(Paragraph("Bilag", st["label"]))
        for b in item["bilag"]:
            out.append(Paragraph(markup(f"Bilag {b['number']}: {b['title']}"), st["body"]))
    for b in item["bilag"]:
        pdf = whole_file_pdf(db, b.get("document_id")) if originals is not None else None
        heading = Heading(markup(f"Bilag {b['number']}: {b['title']}"), st["bilag"], key=f"bilag-{b['id']}",
                          level=1, outline=f"Bilag {b['number']}: {b['title']}",
                          header=f"{header} · Bilag {b['number']}" + (f" · {_short(b['title'])}" if pdf else ""))
        if pdf is not None:   # the bilag as printed: its own pages, stamped (#15)
            if notes is not None:
                out.extend(note_box(notes.bilag(item["number"], b["number"])))
            key = original_info(db, b["document_id"])["sha256"]
            originals[key] = pdf
            out.extend(original_flowables(key, pdf, heading))
            continue
        out.append(heading)
        source = _line_span(b.get("document"), b.get("line_start"), b.get("line_end"))
        if source:
            out.append(Paragraph(markup(source), st["provenance"]))
        if notes is not None:
            out.extend(note_box(notes.bilag(item["number"], b["number"])))
        out.extend(bilag_flowables(db, item, b))
    return out


def meeting_story(db, meeting: dict, *, public: bool, notes: NoteLookup | None,
                  generated: dt.datetime, originals: dict[str, bytes] | None = None) -> list[Flowable]:
    items = meeting["items"]
    bilag_count = sum(len(i["bilag"]) for i in items)
    closed = sum(1 for i in items if i["access"] == "lukket")
    lines = [f"Mødemateriale: {count_text(len(items), 'punkt', 'punkter')}, {bilag_count} bilag", generated_text(generated)]
    document = queries.get_document(db, meeting["document_id"]) if meeting.get("document_id") else None
    if document:
        lines.append(f"Kilde: {document['file_name']} (version {document['sha256'][:10]})")
    if public:
        notice = "Offentlig udgave – lukkede punkter er udeladt."
    elif closed:
        notice = f"Fortroligt – indeholder {closed} lukket punkt{'er' if closed > 1 else ''}."
    else:
        notice = None
    if notes is not None:
        lines.append("Med mine private noter (gule felter).")
    when = format_date(meeting.get("date")) + (f", kl. {meeting['time']}" if meeting.get("time") else "")
    if meeting.get("place"):
        lines.insert(0, f"Mødested: {meeting['place']}")
    story: list[Flowable] = cover_flowables(meeting["title"], when, lines, notice)
    story.append(PageBreak())
    story.extend(contents())
    for item in items:
        story.extend(item_flowables(db, item, public=public, notes=notes, originals=originals))
    return story


def build_meeting_pack(db, meeting_id: int, target: Path | str, *, public: bool = False,
                       with_notes: bool = False, notes_path: Path | str | None = None,
                       generated: dt.datetime | None = None) -> PackResult:
    """Write the briefing PDF of one meeting to `target` (atomically); PackError if there is no such meeting.

    `with_notes` adds the reader's private notes (from `notes_path`, default the
    user's notes file) in yellow boxes; a public pack never prints notes on closed items.
    Public output is built from a redacted copy of the store (access.public_copy); a
    public .kkrpack only ever gives public output.
    """
    from kkrdesk.data.access import is_public_pack, public_copy

    if public or is_public_pack(db):
        with public_copy(db) as redacted:
            return _build_meeting_pack(redacted, meeting_id, target, public=True, with_notes=with_notes,
                                       notes_path=notes_path, generated=generated)
    return _build_meeting_pack(db, meeting_id, target, public=False, with_notes=with_notes,
                               notes_path=notes_path, generated=generated)


def _build_meeting_pack(db, meeting_id: int, target: Path | str, *, public: bool, with_notes: bool,
                        notes_path: Path | str | None, generated: dt.datetime | None) -> PackResult:
    meeting = queries.get_meeting(db, meeting_id, public=public)
    if meeting is None:
        raise PackError(f"Intet møde med id {meeting_id}")
    notes = meeting_notes(meeting, notes_path) if with_notes else None
    if notes is not None and public:
        notes = notes.without({i["number"] for i in meeting["items"] if i["access"] == "lukket"})
    generated = generated or dt.datetime.now()
    date_text = format_date(meeting.get("date"))
    closed = any(i["access"] == "lukket" for i in meeting["items"])
    footer = "Offentlig udgave" if public else ("Fortroligt – indeholder lukkede punkter" if closed else "")
    info = PackInfo(title=meeting["title"], subtitle=date_text,
                    subject=f"Briefingpakke{' (offentlig udgave)' if public else ''} – {date_text}",
                    footer_left=footer, keywords=["KKR Nordjylland", "mødemateriale"])
    originals: dict[str, bytes] = {}
    story = meeting_story(db, meeting, public=public, notes=notes, generated=generated, originals=originals)
    return write_pack(story, info, target, cover=draw_cover("Briefingpakke"), originals=originals)
