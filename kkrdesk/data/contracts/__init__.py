"""Resultatkontrakter and afrapporteringer as data (#3): the read API over goals, targets, outcomes.

Extraction lives in `kkrdesk.ingest.contracts`; the window, the CLI, the charts and the PDF read here.
"""

from __future__ import annotations

from kkrdesk.data.contracts.repo import goals_by_theme, list_contracts, write_contract, write_funding

__all__ = ["goals_by_theme", "list_contracts", "write_contract", "write_funding"]
