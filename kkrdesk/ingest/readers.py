"""Readers turn a file into raw text, behind one interface.

Every failure is an ImportProblem whose message is one plain line naming the
file and the reason, so the CLI and the window can show it as it is.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path


class ImportProblem(Exception):
    """Input that cannot be imported; str(exc) is the one-line message for the user."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'-be' when every other byte is zero, as in Danish text saved as UTF-16 without a BOM."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    low, high = sample[0::2], sample[1::2]
    if high.count(0) > 0.6 * len(high) and low.count(0) == 0:
        return "utf-16-le"
    if low.count(0) > 0.6 * len(low) and high.count(0) == 0:
        return "utf-16-be"
    return None


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data)
    if encoding:   # UTF-16, as Windows' "Unicode" text is saved (#16)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportProblem(path, f"ikke gyldig UTF-16-tekst (byte {exc.start})") from None
    if b"\x00" in data[:4096]:
        raise ImportProblem(path, "ikke en tekstfil (indeholder binære data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(path, f"ikke gyldig UTF-8-tekst (byte {exc.start})") from None
    return text


def read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ImportProblem(path, "PDF'en er krypteret (kræver adgangskode)")
            except ImportProblem:
                raise
            except Exception:
                raise ImportProblem(path, "PDF'en er krypteret (kræver adgangskode)") from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except ImportProblem:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise ImportProblem(path, f"ødelagt eller ulæselig PDF ({type(exc).__name__})") from None
    except Exception as exc:  # pypdf raises many private error types on broken files
        raise ImportProblem(path, f"ødelagt eller ulæselig PDF ({type(exc).__name__})") from None
    if not any(p.strip() for p in pages):
        raise ImportProblem(path, "PDF'en har intet tekstlag (scannet billede?); kør OCR først")
    # A new page starts with one leading space, as in the secretariat's own extractions.
    return "\n".join(" " + p.lstrip(" ") if i else p for i, p in enumerate(pages))


def read_docx(path: Path) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportProblem(path, f"ødelagt eller ulæselig Word-fil ({type(exc).__name__})") from None
    except Exception as exc:
        raise ImportProblem(path, f"ødelagt eller ulæselig Word-fil ({type(exc).__name__})") from None
    out: list[str] = []
    # Body paragraphs and tables in document order, tables as TAB-separated rows.
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:  # merged cells repeat
                        cells.append(text)
                out.append("\t".join(cells))
            out.append("")
    return "\n".join(out)


READERS: dict[str, Callable[[Path], str]] = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".markdown": read_text_file,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def read_document(path: Path | str) -> str:
    """Raw text of a supported file, or ImportProblem with a one-line reason."""
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
        text = reader(path)
    except PermissionError:
        raise ImportProblem(path, "ingen adgang til filen") from None
    if not text.strip():
        raise ImportProblem(path, "filen er tom")
    return text
