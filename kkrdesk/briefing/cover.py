"""The cover page: organisation band, title, date, what is inside, when and from what it was made."""

from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.platypus import Paragraph, Spacer

from kkrdesk import __version__
from kkrdesk.briefing.doc import MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH
from kkrdesk.briefing.styles import ACCENT, FONT, FONT_BOLD, MUTED, styles
from kkrdesk.briefing.text import markup
from kkrdesk.data.danish import format_date

ORGANISATION = "KKR Nordjylland"


def generated_text(generated: dt.datetime) -> str:
    return f"Genereret {format_date(generated.date())} kl. {generated:%H.%M} · kkrdesk version {__version__}"


def draw_cover(kind_label: str):
    """onPage for the cover template: the blue organisation band and the kind of pack."""

    def draw(canv, doc) -> None:
        canv.saveState()
        band = 38 * 2.8346
        canv.setFillColor(ACCENT)
        canv.rect(0, PAGE_HEIGHT - band, PAGE_WIDTH, band, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(FONT_BOLD, 20)
        canv.drawString(MARGIN_X, PAGE_HEIGHT - band / 2 - 2, ORGANISATION)
        canv.setFont(FONT, 10)
        canv.drawString(MARGIN_X, PAGE_HEIGHT - band / 2 - 18, "Kommunekontaktråd · de 11 nordjyske kommuner")
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - band / 2 - 2, kind_label)
        canv.setFillColor(MUTED)
        canv.setFont(FONT, 7.5)
        canv.drawString(MARGIN_X, 14 * 2.8346, "Udarbejdet med kkrdesk ud fra det importerede mødemateriale. "
                        "Linjehenvisninger peger på det importerede dokument.")
        canv.restoreState()

    return draw


def cover_flowables(title: str, date_text: str, lines: list[str], notice: str | None = None) -> list:
    st = styles()
    out = [Spacer(1, 62 * 2.8346), Paragraph(markup(title), st["cover_title"]),
           Paragraph(markup(date_text), st["cover_date"])]
    out.extend(Paragraph(markup(line), st["cover_meta"]) for line in lines)
    if notice:
        out.append(Paragraph(markup(notice), st["cover_notice"]))
    return out
