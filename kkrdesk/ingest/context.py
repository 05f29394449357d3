"""What the importer hands each domain extractor for one document (or part of a file).

Extractors (contracts, figures, …) write their rows through `ctx.db` inside the
import's single transaction, and report doubts with `ctx.warn` instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kkrdesk.data.lines import Line

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass
class ExtractContext:
    db: Database
    document_id: int
    kind: str                 # contract | report | meeting-pack | document
    title: str | None
    year: int | None
    file_name: str
    lines: list[Line]         # normalised lines of this document, numbered as in the file
    warnings: list[tuple[int | None, str]] = field(default_factory=list)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append((line, message))
