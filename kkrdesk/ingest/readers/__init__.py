"""Readers turn a file into a `Document` (the structured reading of `ingest.model`), one module per format.

`read_model` is the one path every import takes; `read_document` is its flat text, the text the
user reads. Every failure is an ImportProblem whose message is one plain Danish line naming the
file and the reason, so the CLI and the window can show it as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kkrdesk.ingest.model import Document, plain_text
from kkrdesk.ingest.readers.problem import ImportProblem, Progress

__all__ = ["READERS", "ImportProblem", "Progress", "read_document", "read_model", "read_plain"]


def _read_text(path: Path, progress: Progress | None) -> Document:
    from kkrdesk.ingest.readers.text import read_text_file

    return read_text_file(path)


def _read_pdf(path: Path, progress: Progress | None) -> Document:
    from kkrdesk.ingest.readers.pdf import read_pdf

    return read_pdf(path, progress)


def _read_docx(path: Path, progress: Progress | None) -> Document:
    from kkrdesk.ingest.readers.docx import read_docx

    return read_docx(path)


READERS: dict[str, Callable[[Path, Progress | None], Document]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".markdown": _read_text,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}
TEXT_SUFFIXES = tuple(suffix for suffix, reader in READERS.items() if reader is _read_text)


def read_model(path: Path | str, progress: Progress | None = None, *, blocks: bool = True) -> Document:
    """The structured reading of a supported file, or ImportProblem with a one-line reason.

    `progress(done, total)` is called as pages are read: once per page of a PDF, once for other files.
    `blocks=False` leaves the blocks out (an empty list): the importer needs only the flat text, its
    pages and the warnings, and a text file's blocks cost more to build and to send from the guarded
    reader's child than the rest of its reading (#20).
    """
    path = Path(path)
    if not path.exists():
        raise ImportProblem(path, "filen findes ikke")
    if path.is_dir():
        raise ImportProblem(path, "er en mappe, ikke en fil")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise ImportProblem(path, f"ukendt filtype '{path.suffix or '(ingen)'}' (kan læse {known})")
    try:
        if not blocks and reader is _read_text:
            from kkrdesk.ingest.readers.text import read_text_file

            document = read_text_file(path, blocks=False)
        else:
            document = reader(path, progress)
            if not blocks:
                document.blocks = []
    except PermissionError:
        raise ImportProblem(path, "ingen adgang til filen") from None
    if progress is not None and document.source != "pdf":
        progress(1, 1)            # a file without pages is read in one step
    if not document.text.strip():
        raise ImportProblem(path, "filen er tom")
    return document


def read_document(path: Path | str, progress: Progress | None = None) -> str:
    """The text the user reads of a supported file (the model flattened), or ImportProblem."""
    return read_model(path, progress).text


def read_plain(path: Path | str) -> str:
    """A file's text without the flat text's marks (markdown headings, `<b>`), for text a person edits on."""
    return plain_text(read_model(path))
