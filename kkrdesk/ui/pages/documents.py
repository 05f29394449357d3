"""Dokumenter: every imported file, and one document's normalised text."""

from __future__ import annotations

from html import escape

from kkrdesk.data import queries
from kkrdesk.data.danish import count_text
from kkrdesk.data.originals import original_pdf
from kkrdesk.data.queries import source_label
from kkrdesk.data.store import Store
from kkrdesk.ui import render, sources
from kkrdesk.ui.pages import ReaderPage


def documents_page(store: Store, _ident: object = None) -> ReaderPage:
    rows = queries.list_documents(store.db)
    items = "".join(
        f'<li><a href="document:{d["id"]}">{escape(d["title"] or d["file_name"])}</a>'
        f' <span style="{render.QUIET}">({escape(d["file_name"])}'
        f'{", " + count_text(d["parts"], "del", "dele") if d["parts"] else ""})</span></li>' for d in rows)
    return ReaderPage(f"<h1>Dokumenter</h1><p>{count_text(len(rows), 'importeret fil', 'importerede filer')}.</p>"
                      f"<ul>{items}</ul>")


def document_page(store: Store, ident: object) -> ReaderPage | None:
    doc = queries.get_document(store.db, ident)
    if doc is None:
        return None
    sections = queries.document_sections(store.db, ident)
    return ReaderPage(render.document_html(doc, sections, sources.table_datasets(store.db, ident)),
                      source_label(doc["file_name"], doc["line_start"]), document=True,
                      original=original_pdf(store.db, ident))
