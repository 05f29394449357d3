"""The one error every reader raises, and the progress callback they report through."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Progress = Callable[[int, int], None]   # progress(done, total), e.g. pages read of pages in the file


class ImportProblem(Exception):
    """Input that cannot be imported; str(exc) is the one-line message for the user."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")
