"""Nøgletal (#4) as data: the readers `list_datasets` and `dataset_rows` serve the window, the PDF and the CLI.

Extraction lives in `kkrdesk.ingest.figures`.
"""

from __future__ import annotations

from kkrdesk.data.figures.model import Extraction, FigureRow
from kkrdesk.data.figures.repo import (
    DATASET_TITLES,
    dataset_rows,
    dataset_title,
    ensure_datasets,
    ensure_municipalities,
    list_datasets,
    write_rows,
)

__all__ = [
    "DATASET_TITLES", "Extraction", "FigureRow", "dataset_rows", "dataset_title", "ensure_datasets",
    "ensure_municipalities", "list_datasets", "write_rows",
]
