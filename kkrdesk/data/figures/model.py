"""The one shape every dataset extractor produces: a figure with its source line.

Extractors are pure (lines in, rows out) so they can be tested without a
store; `repo.write_rows` is the only place that turns them into SQL rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FigureRow:
    dataset: str
    label: str                      # a municipality, a post, a paragraph …
    period: str                     # "2026", "2020/2021", "Budget 2021", "2022-2024"
    measure: str
    value: float | int | None
    unit: str | None
    line: int                       # original line number the value was printed on
    grp: str | None = None          # printed table the row belongs to
    is_total: bool = False
    flag: str | None = None         # a doubt about this value, in Danish
    raw: str | None = None
    municipality: str | None = None  # canonical name when label is one of the 11


@dataclass
class Extraction:
    """Rows plus warnings (line, Danish message) from one extractor run."""

    rows: list[FigureRow] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)

    def extend(self, other: Extraction) -> None:
        self.rows.extend(other.rows)
        self.warnings.extend(other.warnings)
