"""Komponentanalysen 2022-2024: one panel per measure, paragraphs side by side, a bar per year."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from kkrdesk.charts.style import (
    EDGE,
    FONT_SIZE,
    add_source,
    format_value,
    new_figure,
    series_style,
    set_title,
    style_axes,
)

# measure prefix → (panel title, scale, decimals)
PANELS = [
    ("Udgift", "Udgift, mio. kr. (p/l-23)", 1e6, 1),
    ("Helårsperson", "Helårspersoner", 1.0, 0),
    ("Enhedsudgift", "Enhedsudgift, 1.000 kr. (p/l-23)", 1e3, 0),
]


def komponent_chart(rows: list[dict], *, title: str = "Komponentanalysen 2022-2024", source: str = "",
                    include_total: bool = False) -> Figure:
    """`rows`: figures rows with "label" (paragraph), "period" (year), "measure", "value", "is_total".

    Only level values (not the printed % changes) are drawn; the 2022-2024
    change is written under each paragraph's group so the trend is in words too.
    """
    levels = [r for r in rows if r.get("unit") != "%" and r.get("value") is not None
              and (include_total or not r.get("is_total"))]
    changes = {(r["label"], r["measure"]): r["value"] for r in rows
               if r.get("unit") == "%" and r.get("period", "").count("-") == 1
               and r["period"].split("-")[0] == min((x["period"] for x in levels), default="")}
    paragraphs = list(dict.fromkeys(r["label"] for r in levels))
    years = sorted({r["period"] for r in levels})
    fig = new_figure(9.0, 7.6)
    axes = fig.subplots(len(PANELS), 1)
    width = 0.8 / max(1, len(years))
    for ax, (prefix, panel_title, scale, decimals) in zip(axes, PANELS, strict=True):
        panel = [r for r in levels if r["measure"].startswith(prefix)]
        largest = max((r["value"] for r in panel), default=0)
        for index, year in enumerate(years):
            face, hatch = series_style(index)
            values = [next((r["value"] for r in panel if r["label"] == p and r["period"] == year), 0)
                      for p in paragraphs]
            xs = np.arange(len(paragraphs)) - 0.4 + width * (index + 0.5)
            bars = ax.bar(xs, values, width=width * 0.92, color=face, hatch=hatch, edgecolor=EDGE,
                          linewidth=0.6, label=year)
            for bar, value in zip(bars, values, strict=True):
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + largest * 0.02,
                        format_value(value, decimals, scale), ha="center", va="bottom", fontsize=FONT_SIZE - 2.5,
                        rotation=90)     # upright: neighbouring values never run into each other
        labels = []
        for p in paragraphs:
            measure = next((r["measure"] for r in panel if r["label"] == p), "")
            change = changes.get((p, f"{measure}, ændring"))
            sign = "+" if change is not None and change > 0 else ""
            labels.append(p if change is None else f"{p}\n{sign}{format_value(change, 2)} %")
        ax.set_xticks(range(len(paragraphs)), labels, fontsize=FONT_SIZE - 1.5)
        ax.set_ylim(0, largest * 1.5 if largest else 1)
        style_axes(ax, value_axis="y", decimals=None, scale=scale)
        ax.set_title(panel_title, fontsize=FONT_SIZE + 1, loc="left")
    # one legend for the three panels, on a line of its own above the first panel's title:
    # never on a bar, a value, a title or the source (constrained layout makes room for it)
    axes[0].legend(fontsize=FONT_SIZE - 1, frameon=False, ncols=len(years), loc="lower right",
                   bbox_to_anchor=(1.0, 1.15), borderaxespad=0.0)
    set_title(fig, title)          # short: a wrapped title would run into the legend under it
    note = f"Procent under hver paragraf: ændring {years[0]}–{years[-1]}. " if changes else ""
    add_source(fig, note + source)
    return fig
