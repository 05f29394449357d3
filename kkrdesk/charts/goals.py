"""Contract goals across years: each result against its own target per indicator, and fulfilment % per goal.

`indicator_chart` draws what `kkrdesk.data.contracts.read.indicator_series` returns (the same
results rows as the window, `kkrdesk results --json` and the PDF); the status is printed in
words and shown by marker shape, never by colour alone.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

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


def _number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        return _number(value.get("value"))
    return None


def fulfilment_chart(goals: list[dict], *, title: str = "Målopfyldelse pr. mål", source: str = "") -> Figure:
    """Fulfilment % per goal (x) with one bar per contract year; values printed on the bars."""
    years = sorted({g["year"] for g in goals if g.get("year") is not None})
    numbers = sorted({str(g.get("number")) for g in goals},
                     key=lambda n: (int(n) if n.isdigit() else 999, n))
    fig = new_figure(9.0, 4.6)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(years))
    for index, year in enumerate(years):
        face, hatch = series_style(index)
        values = [next((_number(g.get("fulfilment_pct")) for g in goals
                        if g.get("year") == year and str(g.get("number")) == n), None) for n in numbers]
        xs = np.arange(len(numbers)) - 0.4 + width * (index + 0.5)
        heights = [v or 0 for v in values]
        bars = ax.bar(xs, heights, width=width * 0.92, color=face, hatch=hatch, edgecolor=EDGE, linewidth=0.6,
                      label=str(year))
        for bar, value in zip(bars, values, strict=True):
            text = "ingen" if value is None else f"{format_value(value)} %"
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 1.5, text, ha="center",
                    va="bottom", fontsize=FONT_SIZE - 2, rotation=90 if len(years) > 1 else 0)
    ax.axhline(100, color="#1a1a1a", linewidth=0.8, linestyle="--")
    ax.set_xticks(range(len(numbers)), [f"Mål {n}" for n in numbers])
    ax.set_ylim(0, 135)
    style_axes(ax, value_axis="y")
    ax.set_ylabel("Målopfyldelse, %", fontsize=FONT_SIZE)
    if len(years) > 1:
        ax.legend(fontsize=FONT_SIZE - 1, frameon=False, ncols=len(years), loc="upper right")
    set_title(fig, title)
    add_source(fig, source)
    return fig


# ---------------------------------------------------------------- per indicator across years (#17)

# Marker shape and fill say the status, the words say it again: never colour alone.
STATUS_MARKERS: dict[str | None, tuple[str, str]] = {
    "opfyldt": ("o", "#1a1a1a"),
    "delvist opfyldt": ("D", "#9e9e9e"),
    "ikke opfyldt": ("X", "#ffffff"),
    None: ("s", "#ffffff"),
}
_SEG_WORDS = {"drift": "Drift", "vækst": "Vækst", "samlet": "Samlet"}
_LINE_IN = 0.19          # height of one text line in a row label, inches


def _row_lines(row: dict, wording) -> list[str]:
    """The words under a year: each result against its target and its status, then later targets."""
    from kkrdesk.data.contracts.read import status_text, target_text, value_text

    lines = [f"{row['year']} · Mål {row['goal']}"]
    for p in row["points"]:
        seg = _SEG_WORDS.get(p["result"]["segment"] or "", "")
        value = value_text(p["result"]["value"], p["result"]["unit"])
        lines.append(f"{seg + ': ' if seg else ''}{value} – {status_text(p['status'], p['fulfilment_pct'])}")
    if row["target"] is not None:
        status = "" if row["points"] else f" – {row.get('status') or 'ikke afrapporteret'}"
        lines.append(f"Mål: {target_text(row['target'])}{status}")
    for t in row["targets_later"]:
        when = "Senere" if t.get("year") and t["year"] > row["year"] else "Andet år"
        lines.append(f"{when}: {target_text(t)} – {t.get('status') or 'ikke afrapporteret'}")
    return lines


def indicator_chart(panels: list[dict], *, theme: str, source: str = "") -> Figure:
    """One panel per indicator, one row per contract year: each result beside its own target.

    The target is a thick tick; where it changed from the year before a dashed step joins them.
    A result's marker shape says its status (filled circle opfyldt, grey diamond delvist, cross ikke
    opfyldt) and the row label says it in words with the value, so nothing is drawn as text inside
    the plot where labels could collide. A change in how the indicator is measured (samlet → pr.
    segment) is a dotted line between the years and a sentence in the panel title.
    """
    from kkrdesk.data.contracts.read import unit_text

    if not panels:
        raise ValueError("Ingen indikatorer at tegne")
    labels = [[_row_lines(row, None) for row in p["rows"]] for p in panels]
    # rows of a panel are evenly spaced, so each gets the room of its panel's tallest label
    heights = [0.45 + 0.3 * len(panel["breaks"]) +       # a break adds two title lines
               len(rows) * (max(2, *(len(lines) for lines in rows)) * _LINE_IN + 0.14)
               for panel, rows in zip(panels, labels, strict=True)]
    fig = new_figure(8.0, sum(heights) + 1.1)
    grid = fig.add_gridspec(len(panels), 1, height_ratios=heights)
    for index, (panel, rows_lines) in enumerate(zip(panels, labels, strict=True)):
        ax = fig.add_subplot(grid[index])
        rows = panel["rows"]
        values: list[float] = []
        prev_target: float | None = None
        for k, row in enumerate(rows):
            t = row["target"]
            if t is not None:
                tv = float(t["value"])
                values.append(tv)
                ax.plot([tv, tv], [k - 0.4, k + 0.4], color="#1a1a1a", linewidth=3, solid_capstyle="butt")
                if prev_target is not None and prev_target != tv:
                    ax.plot([prev_target, tv], [k - 0.5, k - 0.5], color="#1a1a1a", linewidth=1, linestyle="--")
                    ax.plot([prev_target, prev_target], [k - 0.6, k - 0.5], color="#1a1a1a", linewidth=1, linestyle="--")
                    ax.plot([tv, tv], [k - 0.5, k - 0.4], color="#1a1a1a", linewidth=1, linestyle="--")
                prev_target = tv
            for later in row["targets_later"]:
                lv = float(later["value"])
                values.append(lv)
                ax.plot([lv, lv], [k - 0.3, k + 0.3], color="#7a7a7a", linewidth=2, linestyle=":")
            m = len(row["points"])
            for j, p in enumerate(row["points"]):
                v = float(p["result"]["value"])
                values.append(v)
                y = k + (j - (m - 1) / 2) * 0.3
                shape, face = STATUS_MARKERS.get(p["status"], STATUS_MARKERS[None])
                ax.plot([v], [y], marker=shape, markersize=9, markerfacecolor=face, markeredgecolor="#1a1a1a",
                        markeredgewidth=1.3, linestyle="none")
        for brk in panel["breaks"]:
            k = next(i for i, r in enumerate(rows) if r["year"] == brk["year"])
            ax.axhline(k - 0.5, color="#555555", linewidth=1, linestyle=(0, (1, 2)))
        low = min([0.0, *values])
        high = max([1.0, *values])
        pad = (high - low) * 0.12 or 1.0
        ax.set_xlim(low - (pad if low < 0 else 0), high + pad)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks(range(len(rows)), ["\n".join(lines) for lines in rows_lines])
        style_axes(ax, value_axis="x")
        ax.tick_params(axis="y", length=0, labelsize=FONT_SIZE - 1)
        ax.grid(axis="y", visible=False)
        unit = unit_text(panel["unit"])
        title = panel["indicator"] + (f" ({unit})" if unit and unit != "NPS" else "")
        lines = textwrap.wrap(title, 38)
        for brk in panel["breaks"]:      # starts over the plot, not the labels: wrapped to stay inside
            lines += textwrap.wrap(brk["text"], 42)
        ax.set_title("\n".join(lines), fontsize=FONT_SIZE, fontweight="bold", loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    handles = [Line2D([], [], color="#1a1a1a", linewidth=3, label="Måltal for året")]
    handles += [Line2D([], [], marker=STATUS_MARKERS[s][0], color="none", markerfacecolor=STATUS_MARKERS[s][1],
                       markeredgecolor="#1a1a1a", markersize=8, label=s.capitalize())
                for s in ("opfyldt", "delvist opfyldt", "ikke opfyldt")]
    handles.append(Line2D([], [], color="#7a7a7a", linewidth=2, linestyle=":", label="Måltal for et andet år"))
    # the source is the legend's title: both sit in one box under the panels and can never collide
    legend = fig.legend(handles=handles, loc="outside lower left", ncols=3, fontsize=FONT_SIZE - 1, frameon=False,
                        title="\n".join(textwrap.wrap(source, 110)) or None, title_fontsize=7.5, alignment="left")
    legend.get_title().set_color("#333333")
    fig.suptitle(f"Resultater mod måltal: {theme}", fontsize=11, fontweight="bold", ha="left", x=0.01, wrap=True)
    fig.kkr_min_height = int(fig.get_size_inches()[1] * fig.dpi)   # the window scrolls rather than squeeze rows
    longest = max(len(line) for rows in labels for lines in rows for line in lines)
    fig.kkr_min_width = int(longest * 5.6 + 320)        # labels plus a plot that keeps its ticks apart
    return fig
