"""Nøgletal: the list of datasets (one dataset is FiguresView, ui/figures_view.py)."""

from __future__ import annotations

from html import escape

from kkrdesk.data.danish import count_text
from kkrdesk.data.store import Store
from kkrdesk.ui import render, sources
from kkrdesk.ui.pages import ReaderPage


def datasets_page(store: Store, _ident: object = None) -> ReaderPage:
    rows = sources.datasets(store.db)
    items = "".join(
        f'<li><a href="dataset:{escape(d["name"])}">{escape(d["title"])}</a> – {count_text(d["rows"], "tal", "tal")}'
        f'<br><span style="{render.QUIET}">{escape(d.get("description") or "")}</span></li>' for d in rows)
    return ReaderPage("<h1>Nøgletal</h1>" + (f"<ul>{items}</ul>" if rows else "<p>Ingen nøgletal i lageret.</p>"))
