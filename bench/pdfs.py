"""PDF input for the import benchmark: corpus text typeset with reportlab.

The secretariat's material arrives as PDF, so import speed is also measured on
PDFs with a real text layer. The text is the corpus's own paragraphs (with the
same deterministic seed as the archive), set in Helvetica on A4.
"""

from __future__ import annotations

import random
from pathlib import Path
from xml.sax.saxutils import escape

from bench.archive import SEED, corpus_paragraphs


def _printable(text: str) -> str:
    """Keep what the standard Helvetica can draw (Latin-1 plus the usual typographic marks)."""
    return "".join(ch for ch in text if ch.encode("cp1252", "ignore") or ch in "\n\t")


def write_pdf(path: Path, pages: int, seed: int = SEED) -> int:
    """Write about `pages` A4 pages of corpus text to path; returns the real page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    pool = [p for paragraphs in corpus_paragraphs().values() for p in paragraphs]
    rng = random.Random(seed)
    start = rng.randrange(len(pool))
    story = []
    chars = 0
    index = start
    while chars < pages * 3_200:            # about one page of 10 pt text
        text = _printable(pool[index % len(pool)]).replace("\t", "  ")
        index += 1
        if not text.strip():
            continue
        story.append(Paragraph(escape(text).replace("\n", "<br/>"), styles["BodyText"]))
        chars += len(text)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm, title="Benchmark-dokument")
    doc.build(story)
    return doc.page
