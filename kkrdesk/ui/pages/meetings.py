"""Møder: the list of meetings, one meeting's agenda, an agenda item and a bilag."""

from __future__ import annotations

from html import escape

from kkrdesk.data import queries, themes
from kkrdesk.data.danish import count_text, format_date
from kkrdesk.data.notes import bilag_key, item_key
from kkrdesk.data.originals import original_pdf
from kkrdesk.data.queries import source_label
from kkrdesk.data.store import Store
from kkrdesk.ui import render, sources
from kkrdesk.ui.pages import ReaderPage


def meetings_page(store: Store, _ident: object = None) -> ReaderPage:
    rows = queries.list_meetings(store.db)
    if not rows:
        return ReaderPage("<h1>Møder</h1><p>Ingen møder endnu. Importér en bilagspakke under Filer.</p>")
    items = "".join(
        f'<li><a href="meeting:{m["id"]}">{escape(m["title"])}</a> – '
        f'{escape(format_date(m["date"]) if m["date"] else "dato ukendt")}, '
        f'{count_text(m["items"], "punkt", "punkter")}</li>'
        for m in rows)
    return ReaderPage(f"<h1>Møder</h1><ul>{items}</ul>")


def meeting_page(store: Store, ident: object) -> ReaderPage | None:
    db = store.db
    meeting = queries.get_meeting(db, ident)
    if meeting is None:
        return None
    doc = queries.get_document(db, meeting["document_id"]) if meeting.get("document_id") else None
    if store.read_only:  # a newer pack version: what the member read that is no longer on the agenda
        from kkrdesk.data.pack_install import removed_for_pack

        meeting["removed"] = removed_for_pack(db)
    return ReaderPage(render.meeting_html(meeting), source_label(doc and doc["file_name"], None))


def item_page(store: Store, ident: object) -> ReaderPage | None:
    db = store.db
    item = queries.get_agenda_item(db, ident)
    if item is None:
        return None
    doc = queries.get_document(db, item["document_id"]) if item.get("document_id") else None
    file_name = doc["file_name"] if doc else None
    meeting = {"title": item["meeting_title"], "date": item["meeting_date"]}
    key = item_key(meeting, item["number"], item["title"])
    if store.read_only:  # a pack: the item counts as read, its "Ændret"/"Ny" mark goes next time (#7)
        from kkrdesk.data.pack_install import mark_item_read_in

        mark_item_read_in(db, item)
    item["themes"] = [(t.key, t.name) for key_ in themes.tags_for(db, "item", ident)
                      if (t := themes.find_theme(key_)) is not None]
    return ReaderPage(render.item_html(item, file_name), source_label(file_name, item.get("line_start")),
                      (key, f"{item['number']} {item['title']}".strip(), item["meeting_title"]))


def bilag_page(store: Store, ident: object) -> ReaderPage | None:
    db = store.db
    bilag = queries.get_bilag(db, ident)
    if bilag is None:
        return None
    item = queries.get_agenda_item(db, bilag["agenda_item_id"])
    sections = queries.document_sections(db, bilag["document_id"]) if bilag.get("document_id") else []
    meeting = {"title": item["meeting_title"], "date": item["meeting_date"]}
    key = bilag_key(item_key(meeting, item["number"], item["title"]), bilag["number"])
    title = f"Bilag {bilag['number']} til {item['number'] or item['title']}: {bilag['title']}"
    datasets = sources.table_datasets(db, bilag.get("document_id"))
    return ReaderPage(render.bilag_html(bilag, sections, datasets),
                      source_label(bilag.get("document"), bilag.get("line_start")),
                      (key, title, item["meeting_title"]), document=True,
                      original=original_pdf(db, bilag.get("document_id")))
