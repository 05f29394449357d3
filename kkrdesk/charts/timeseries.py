"""A time series over printed periods ("før 2015", "2017/2018", "2020/2021"), values on the points.

The value axis starts at 0, so a change reads at its true size.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from kkrdesk.charts.style import FONT_SIZE, add_source, format_value, new_figure, set_title, style_axes
from kkrdesk.data.figures.periods import period_sort_key

_MARKERS = [("o", "#1a1a1a"), ("^", "white"), ("s", "#9e9e9e"), ("D", "white")]
_LINESTYLES = ["-", "--", ":", "-."]


def time_series(
    points: list[dict],
    *,
    title: str,
    unit: str = "",
    source: str = "",
    subtitle: str | None = None,
    connect: tuple[str, ...] | None = None,
) -> Figure:
    """`points`: dicts with "period", "value", "series". The first series (or those in `connect`)
    is drawn as a line; the others as distinct markers, so each reads without colour."""
    series: dict[str, list[dict]] = {}
    for point in points:
        if point.get("value") is not None:
            series.setdefault(point.get("series") or "", []).append(point)
    periods = sorted({p["period"] for p in points if p.get("value") is not None}, key=period_sort_key)
    position = {period: i for i, period in enumerate(periods)}
    connect = connect or tuple(list(series)[:1])
    fig = new_figure(8.0, 4.6)
    ax = fig.add_subplot()
    values = [p["value"] for p in points if p.get("value") is not None]
    crowded = _labels_below(series, position, max(values, default=0) - min(0, min(values, default=0)))
    for index, (name, pts) in enumerate(series.items()):
        pts = sorted(pts, key=lambda p: period_sort_key(p["period"]))
        xs = [position[p["period"]] for p in pts]
        ys = [p["value"] for p in pts]
        marker, face = _MARKERS[index % len(_MARKERS)]
        ax.plot(xs, ys, marker=marker, markersize=7, markerfacecolor=face, markeredgecolor="#1a1a1a",
                color="#1a1a1a", linestyle=_LINESTYLES[index % 4] if name in connect else "none",
                linewidth=1.4, label=name)
        for x, y in zip(xs, ys, strict=True):
            below = (name, x) in crowded
            ax.annotate(format_value(y), (x, y), textcoords="offset points", xytext=(0, -9 if below else 7),
                        ha="center", va="top" if below else "baseline", fontsize=FONT_SIZE - 0.5,
                        fontweight="bold" if index == 0 else "normal")
    ax.set_xticks(range(len(periods)), periods, rotation=30 if len(periods) > 6 else 0,
                  ha="right" if len(periods) > 6 else "center")
    if values:
        ax.set_ylim(min(0, min(values)), max(values) * 1.12 + 1)
    ax.set_xlim(-0.5, len(periods) - 0.5)
    style_axes(ax, value_axis="y")
    if unit:
        ax.set_ylabel(unit, fontsize=FONT_SIZE)
    if len(series) > 1:
        ax.legend(fontsize=FONT_SIZE, frameon=False, loc="best")   # where no line or point is (the window squeezes the axes)
    set_title(fig, title, subtitle)
    add_source(fig, source)
    return fig


def _labels_below(series: dict[str, list[dict]], position: dict[str, int], span: float) -> set[tuple[str, int]]:
    """(series, x) of values whose label goes under the point: a value just below another series' value
    in the same period would print its number over the other's (555 and 517 at 2020/2021)."""
    below: set[tuple[str, int]] = set()
    by_x: dict[int, list[tuple[float, str]]] = {}
    for name, pts in series.items():
        for point in pts:
            by_x.setdefault(position[point["period"]], []).append((point["value"], name))
    for x, entries in by_x.items():
        entries.sort()
        for (value, name), (higher, _other) in zip(entries, entries[1:], strict=False):
            if span and higher - value < span * 0.08:
                below.add((name, x))
    return below

