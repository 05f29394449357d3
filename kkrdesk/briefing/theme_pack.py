"""The theme briefing (#10): one recurring matter across meetings, with its figures and goals.

Reads `themes.theme_thread` (the same thread the window's Temaer shows); with
`public=True` closed items are already redacted there, and their bilag are not
listed here either.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from kkrdesk.briefing.cover import cover_flowables, draw_cover, generated_text
from kkrdesk.briefing.doc import FRAME_WIDTH, Heading, PackError, PackInfo, PackResult, contents, write_pack
from kkrdesk.briefing.figures import _chart_builders, figure_image
from kkrdesk.briefing.styles import styles
from kkrdesk.briefing.tables import build_table
from kkrdesk.briefing.text import markup
from kkrdesk.data import queries
from kkrdesk.data.access import visibility
from kkrdesk.data.danish import count_text, format_date, format_number
from kkrdesk.data.figures.pivot import pivot_figures
from kkrdesk.data.themes import find_theme, theme_thread


def _when(item: dict) -> str:
    if item["date"]:
        return format_date(item["date"])
    return f"{item['year']}, dato ukendt" if item.get("year") else "dato ukendt"


def item_flowables(db, index: int, item: dict, public: bool) -> list[Flowable]:
    st = styles()
    heading = f"{item['number']} {item['title']}".strip()
    out: list[Flowable] = [
        Heading(markup(heading), st["bilag"], key=f"item-{index}", level=0, outline=f"{_when(item)}: {heading}",
                header=heading),
        Paragraph(markup(f"{_when(item)} · {item['meeting']} · "
                         f"{'lukket punkt' if item['access'] == 'lukket' else 'åbent punkt'}"), st["meta"]),
    ]
    for label, key in (("Indstilling", "indstilling"), ("Beslutning", "beslutning")):
        if item.get(key):
            out += [Paragraph(label, st["label"]), Paragraph(markup(item[key]), st["body"])]
    if public and item["access"] == "lukket":
        return out
    bilag = queries.item_bilag(db, item["item_id"], visibility(db, public))
    if bilag:
        out.append(Paragraph("Bilag", st["label"]))
        for b in bilag:
            source = f" ({b['document']}, linje {b['line_start']})" if b.get("line_start") else ""
            out.append(Paragraph(markup(f"Bilag {b['number']}: {b['title']}{source}"), st["body"]))
    return out


def dataset_flowables(db, dataset: dict, public: bool = False) -> list[Flowable]:
    """The dataset's chart and its wide table (label × period), as the document printed it."""
    from kkrdesk.data.figures import dataset_rows

    st = styles()
    rows = dataset_rows(db, dataset["name"], public=public)
    out: list[Flowable] = [Heading(markup(dataset["title"]), st["bilag"], key=f"dataset-{dataset['name']}", level=0,
                                   outline=f"Nøgletal: {dataset['title']}", header="Nøgletal")]
    charts, no_data = _chart_builders()
    builder = charts.get(dataset["name"])
    if builder is not None:
        try:
            out.append(figure_image(builder(rows, dataset["title"]), FRAME_WIDTH * 0.9))
        except no_data:
            pass
    table = pivot_figures(rows)
    header = ["Betegnelse", *table.periods]
    body = [[r.label + (f" · {r.measure}" if r.measure else ""),
             *(format_number(r.cells[p]["value"]) if p in r.cells else "" for p in table.periods)]
            for r in table.rows]
    totals = [i + 1 for i, r in enumerate(table.rows) if r.is_total]
    out.append(Spacer(1, 4))
    out.append(build_table([header, *body], FRAME_WIDTH, numeric_columns=set(range(1, len(header))),
                           total_rows=totals))
    files = sorted({r.get("file_name") or "" for r in rows} - {""})
    out.append(Paragraph(markup("Kilde: " + ", ".join(files)), st["source"]))
    return out


def goals_flowables(goals: list[dict]) -> list[Flowable]:
    st = styles()
    rows = [["År", "Mål", "Titel", "Målopfyldelse"]]
    for g in goals:
        pct = g.get("fulfilment_pct")
        rows.append([str(g["year"]), str(g["number"]), g["title"], f"{format_number(pct)} %" if pct is not None else "–"])
    return [Heading("Mål i resultatkontrakterne", st["bilag"], key="goals", level=0,
                    outline="Mål i resultatkontrakterne", header="Mål"),
            build_table(rows, FRAME_WIDTH, numeric_columns={0, 3})]


def build_theme_pack(db, name: str, target: Path | str, *, public: bool = False,
                     generated: dt.datetime | None = None) -> PackResult:
    """Write one theme's briefing to `target` (atomically); PackError for an unknown theme.

    Public output is built from a redacted copy of the store (access.public_copy): a closed
    item's bilag, figures, goals and theme tags are not in it to be printed.
    """
    from kkrdesk.data.access import is_public_pack, public_copy

    if public or is_public_pack(db):
        with public_copy(db) as redacted:
            return _build_theme_pack(redacted, name, target, public=True, generated=generated)
    return _build_theme_pack(db, name, target, public=False, generated=generated)


def _build_theme_pack(db, name: str, target: Path | str, *, public: bool,
                      generated: dt.datetime | None) -> PackResult:
    theme = find_theme(name)
    if theme is None:
        raise PackError(f"Ukendt tema '{name}'")
    thread = theme_thread(db, theme, public=public)
    generated = generated or dt.datetime.now()
    st = styles()
    lines = [f"{count_text(len(thread['items']), 'punkt', 'punkter')} på tværs af møder, nyeste først",
             generated_text(generated)]
    notice = "Offentlig udgave: lukkede punkter er udeladt." if public else None
    story: list[Flowable] = cover_flowables(f"Tema: {theme.name}", theme.description, lines, notice)
    story.append(PageBreak())
    story.extend(contents())
    story.append(PageBreak())
    story.append(Heading("Punkter, nyeste først", st["item"], key="items", level=0, outline="Punkter",
                         header=theme.name))
    if not thread["items"]:
        story.append(Paragraph("Ingen punkter med dette tema endnu.", st["meta"]))
    for index, item in enumerate(thread["items"]):
        story.append(KeepTogether(item_flowables(db, index, item, public)))
    for dataset in thread["datasets"]:
        story.append(PageBreak())
        story.extend(dataset_flowables(db, dataset, public))
    if thread["goals"]:
        story.append(PageBreak())
        story.extend(goals_flowables(thread["goals"]))
    info = PackInfo(title=f"Tema: {theme.name}", subtitle=theme.description,
                    subject=f"Temabriefing – {theme.name}", footer_left="Offentlig udgave" if public else "",
                    keywords=["KKR Nordjylland", "tema", theme.name])
    return write_pack(story, info, target, cover=draw_cover("Temabriefing"))
