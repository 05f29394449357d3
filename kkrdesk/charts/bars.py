"""Per-municipality bars: sorted, with each value printed on its bar."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

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
from kkrdesk.data.danish import format_number


def municipality_bars(
    series: dict[str, dict[str, float]],
    *,
    title: str,
    unit: str = "",
    source: str = "",
    subtitle: str | None = None,
    decimals: int | None = None,
    scale: float = 1.0,
) -> Figure:
    """Horizontal bars per municipality, largest first, one bar per series (e.g. hjælpere/assistenter).

    Bars start at 0; long labels wrap and the value axis keeps to a few ticks, so nothing overlaps.

    `series` maps a series name to {municipality: value}. Sorted by the first
    series so the order matches what a reader compares first.
    """
    names = list(series)
    labels = sorted(
        {label for values in series.values() for label in values},
        key=lambda label: (-(series[names[0]].get(label) or 0), label),
    ) if names else []
    fig = new_figure(8.0, min(11.0, max(3.4, 1.8 + 0.3 * len(labels) * max(1, len(names)))))
    ax = fig.add_subplot()
    height = 0.8 / max(1, len(names))
    positions = np.arange(len(labels))
    largest = max((v for values in series.values() for v in values.values() if v is not None), default=0)
    for index, name in enumerate(names):
        face, hatch = series_style(index)
        values = [series[name].get(label) or 0 for label in labels]
        offsets = positions - 0.4 + height * (index + 0.5)
        bars = ax.barh(offsets, values, height=height * 0.92, color=face, hatch=hatch, edgecolor=EDGE,
                       linewidth=0.6, label=name)
        for bar, value in zip(bars, values, strict=True):
            ax.text(bar.get_width() + largest * 0.01, bar.get_y() + bar.get_height() / 2,
                    format_value(value, decimals, scale), va="center", ha="left", fontsize=FONT_SIZE - 1)
    ax.set_yticks(positions, [textwrap.fill(label, 22) for label in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, largest * 1.18 if largest else 1)
    style_axes(ax, value_axis="x", decimals=decimals, scale=scale)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))   # long Danish numbers ("2.000.000") must not overlap
    if largest >= 1e6 and scale == 1.0:     # "1,5" with "Mio. kr." under the axis: short ticks that never touch
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v / 1e6)))
        unit = f"Mio. {unit.lower()}" if unit else "Mio."
    if unit:
        ax.set_xlabel(unit, fontsize=FONT_SIZE)
    if len(names) > 1:
        # under the bars: a narrow window must not push the legend into the subtitle
        ax.legend(fontsize=FONT_SIZE, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                  ncols=1, borderaxespad=0.2)
    set_title(fig, title, subtitle)
    add_source(fig, source)
    return fig
