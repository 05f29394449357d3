"""Shared look of every chart: Danish numbers, grey-scale-safe fills, a source line.

Charts are printed in black and white in board packs, so series differ by
grey level *and* hatch, and values are printed as text on the marks.
"""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kkrdesk.data.danish import format_number

# (face colour, hatch) per series: distinguishable in grey-scale print and for colour-blind readers.
SERIES_STYLES: list[tuple[str, str]] = [
    ("#4d4d4d", ""),
    ("#bdbdbd", "//"),
    ("#ffffff", "xx"),
    ("#8c8c8c", ".."),
    ("#e0e0e0", "\\\\"),
]
EDGE = "#1a1a1a"
FONT_SIZE = 9


def new_figure(width: float = 8.0, height: float = 5.0) -> Figure:
    """A Figure not tied to pyplot (no global state, nothing leaks when the window drops it)."""
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    fig.get_layout_engine().set(h_pad=0.08)
    return fig


def series_style(index: int) -> tuple[str, str]:
    return SERIES_STYLES[index % len(SERIES_STYLES)]


def danish_formatter(decimals: int | None = None, scale: float = 1.0) -> FuncFormatter:
    """Axis ticks as 1.234,5 (optionally divided by `scale`, e.g. 1e6 for mio. kr.)."""
    return FuncFormatter(lambda value, _pos: format_number(value / scale, decimals))


def format_value(value: float | int | None, decimals: int | None = None, scale: float = 1.0) -> str:
    if value is None:
        return ""
    return format_number(value / scale, decimals)


def style_axes(ax: Axes, *, value_axis: str = "y", decimals: int | None = None, scale: float = 1.0) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=FONT_SIZE)
    axis = ax.yaxis if value_axis == "y" else ax.xaxis
    axis.set_major_formatter(danish_formatter(decimals, scale))
    axis.set_major_locator(MaxNLocator(nbins=6))
    ax.grid(axis=value_axis, color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)


def source_text(sources: Iterable[tuple[str | None, int | None]]) -> str:
    """'Kilde: <dokument>, linje 2212–2237' from (document, line) pairs, one clause per document."""
    by_doc: dict[str, list[int]] = {}
    for document, line in sources:
        by_doc.setdefault(document or "ukendt dokument", [])
        if line:
            by_doc[document or "ukendt dokument"].append(line)
    parts = []
    for document, lines in by_doc.items():
        if not lines:
            parts.append(document)
        elif min(lines) == max(lines):
            parts.append(f"{document}, linje {min(lines)}")
        else:
            parts.append(f"{document}, linje {min(lines)}–{max(lines)}")
    return "Kilde: " + "; ".join(parts) if parts else ""


def add_source(fig: Figure, text: str) -> None:
    """The source under the chart, so a printed chart can always be checked against its document."""
    if text:
        fig.supxlabel(text, fontsize=7.5, color="#333333", ha="left", x=0.01, wrap=True)


def set_title(fig: Figure, title: str, subtitle: str | None = None) -> None:
    fig.suptitle(title, fontsize=12, fontweight="bold", ha="left", x=0.01, wrap=True)
    if subtitle and fig.axes:
        fig.axes[0].set_title(subtitle, fontsize=FONT_SIZE, loc="left", color="#333333")
