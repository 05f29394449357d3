"""Temaer: matters that come back from meeting to meeting, and one theme's thread with its figures."""

from __future__ import annotations

from html import escape

from kkrdesk.data import themes
from kkrdesk.data.danish import count_text
from kkrdesk.data.figures.pivot import pivot_figures
from kkrdesk.data.store import Store
from kkrdesk.ui import render, sources
from kkrdesk.ui.pages import ReaderPage


def themes_page(store: Store, _ident: object = None) -> ReaderPage:
    rows = themes.list_themes(store.db)
    items = "".join(f'<li><a href="theme:{escape(t["key"])}">{escape(t["name"])}</a> – '
                    f'{count_text(t["items"], "punkt", "punkter")}</li>' for t in rows)
    return ReaderPage(f"<h1>Temaer</h1><p>Sager der går igen fra møde til møde.</p><ul>{items}</ul>")


def theme_page(store: Store, ident: object) -> ReaderPage | None:
    theme = themes.find_theme(str(ident))
    if theme is None:
        return None
    thread = themes.theme_thread(store.db, theme)
    for dataset in thread["datasets"]:  # the numbers beside the thread, as the document printed them
        dataset["table"] = pivot_figures(sources.dataset_rows(store.db, dataset["name"]))
    return ReaderPage(render.theme_html(thread))
