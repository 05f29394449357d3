"""The pages the main window shows, one module per kind of place.

A reader page is built without widgets: a function `(store, ident) -> ReaderPage`
that reads through the data API and returns HTML, its source line and, for an
item, bilag or goal, the key its private note is kept under. The window (a frame)
looks the builder up in `READER_PAGES` by the tree node's kind and shows the
result. Widget pages (goal, dataset, notes, packs) live in their own view modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kkrdesk.data.store import Store


@dataclass
class ReaderPage:
    html: str
    source: str = ""
    note: tuple[str, str, str] | None = None     # (note key, title, context) for the note panel
    document: bool = False                       # a document's text (reading measure, original pages)
    original: bytes | None = None                # its PDF original, when the store has it


MISSING = ReaderPage("<h1>Findes ikke længere</h1><p>Det valgte findes ikke i dette lager.</p>")

Builder = Callable[[Store, object], ReaderPage | None]


def reader_pages() -> dict[str, Builder]:
    """kind → page builder; None from a builder means the place is gone (MISSING is shown)."""
    from kkrdesk.ui.pages import contracts, documents, figures, meetings, themes

    return {
        "meetings": meetings.meetings_page,
        "meeting": meetings.meeting_page,
        "item": meetings.item_page,
        "bilag": meetings.bilag_page,
        "documents": documents.documents_page,
        "document": documents.document_page,
        "contracts": contracts.contracts_page,
        "year": contracts.contracts_page,
        "datasets": figures.datasets_page,
        "themes": themes.themes_page,
        "theme": themes.theme_page,
    }
