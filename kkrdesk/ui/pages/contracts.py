"""Resultatkontrakter: goals and fulfilment by year (the goal itself is GoalView, ui/goal_view.py)."""

from __future__ import annotations

from kkrdesk.data.store import Store
from kkrdesk.ui import render, sources
from kkrdesk.ui.pages import ReaderPage


def contracts_page(store: Store, _ident: object = None) -> ReaderPage:
    rows, years = sources.contract_overview(store.db)
    return ReaderPage(render.overview_html(rows, years))


def diff_page(store: Store, ident: object) -> ReaderPage | None:
    """Resultatkontrakter → "Ændringer fra A til B" (#17); ident is "A:B"."""
    from kkrdesk.data.contracts.diff import contract_diff

    a, _, b = str(ident).partition(":")
    try:
        diff = contract_diff(store.db, int(a), int(b))
    except (LookupError, ValueError):
        return None
    return ReaderPage(render.diff_html(diff))
