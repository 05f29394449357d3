"""Resultatkontrakter: goals and fulfilment by year (the goal itself is GoalView, ui/goal_view.py)."""

from __future__ import annotations

from kkrdesk.data.store import Store
from kkrdesk.ui import render, sources
from kkrdesk.ui.pages import ReaderPage


def contracts_page(store: Store, _ident: object = None) -> ReaderPage:
    rows, years = sources.contract_overview(store.db)
    return ReaderPage(render.overview_html(rows, years))
