"""Contract goals across years: target vs outcome per theme, and fulfilment % per goal.

Written against plain dicts (the shape of `contracts.repo.goals_by_theme`):
{"year", "number", "title", "targets": [{"value", "unit", "comparator", "year"}],
"outcome" | "outcomes", "fulfilment_pct"}. The status is printed in words and
shown by marker shape (filled = opfyldt, hollow = ikke opfyldt), never by colour alone.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

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

MET = "Opfyldt"
NOT_MET = "Ikke opfyldt"
PARTLY_MET = "Delvist opfyldt"
NO_OUTCOME = "Intet resultat"
_COMPARATOR_TEXT = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<", None: "", "": ""}


def _number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        return _number(value.get("value"))
    return None


def _unit_of(item: Any) -> str | None:
    return item.get("unit") if isinstance(item, dict) else None


def _outcomes(goal: dict) -> list[Any]:
    """Results to plot: the chosen `outcome` first, then any other measured result
    (a "målopfyldelse" percentage is the assessment, not a result)."""
    found = [goal["outcome"]] if goal.get("outcome") is not None else []
    found += [o for o in goal.get("outcomes") or []
              if not (isinstance(o, dict) and str(o.get("measure") or "").lower() == "målopfyldelse")]
    return found


def pick_target(goal: dict, unit: str | None) -> dict | None:
    """The target for the contract's own year, else the nearest later one, in the chart's unit."""
    targets = [t for t in goal.get("targets") or [] if _number(t) is not None
               and (unit is None or t.get("unit") == unit)]
    if not targets:
        return None
    year = goal.get("year")
    same = [t for t in targets if t.get("year") == year]
    later = sorted((t for t in targets if isinstance(t.get("year"), int) and year and t["year"] >= year),
                   key=lambda t: t["year"])
    return (same or later or targets)[0]


def pick_outcome(goal: dict, unit: str | None) -> float | None:
    for outcome in _outcomes(goal):
        if _number(outcome) is not None and (unit is None or _unit_of(outcome) in (unit, None)):
            return _number(outcome)
    return None


def status(outcome: float | None, target: dict | None, fulfilment_pct: float | None = None,
           year: int | None = None) -> str:
    """The status in words. The reported fulfilment is the official assessment and wins;
    otherwise the outcome is compared with a target for the same (or no) year."""
    if fulfilment_pct is not None:
        if fulfilment_pct >= 100:
            word = MET
        elif fulfilment_pct > 0:
            word = PARTLY_MET
        else:
            word = NOT_MET
        return f"{word}\n({format_value(fulfilment_pct)} % målopfyldelse)"
    if outcome is not None and target is not None:
        target_year = target.get("year")
        if isinstance(target_year, int) and isinstance(year, int) and target_year > year:
            return f"Målet gælder {target_year}"
        value = float(target["value"])
        comparator = target.get("comparator") or ">="
        met = {
            ">=": outcome >= value, ">": outcome > value, "=": outcome >= value,
            "<=": outcome <= value, "<": outcome < value,
        }.get(comparator, outcome >= value)
        return MET if met else NOT_MET
    return NO_OUTCOME


_PERCENT_UNITS = {"%", "pct", "pct.", "procent"}


def _unit_text(unit: str | None) -> str:
    return "" if not unit else (", %" if unit in _PERCENT_UNITS else f", {unit}")


def goal_targets_chart(goals: list[dict], *, theme: str, source: str = "") -> Figure:
    """Dot-and-target per contract year: a wide bar for the target, a dot for the outcome,
    the status in words above each year. Falls back to fulfilment % when no numeric targets exist."""
    goals = sorted(goals, key=lambda g: (g.get("year") or 0, str(g.get("number") or "")))
    units = Counter(t.get("unit") for g in goals for t in g.get("targets") or [] if _number(t) is not None)
    unit = units.most_common(1)[0][0] if units else None
    use_fulfilment = unit is None and not units
    fig = new_figure(max(8.0, 1.0 + 2.1 * len(goals)), 5.2)
    ax = fig.add_subplot()
    xs = np.arange(len(goals))
    ys: list[float] = []
    statuses: list[str] = []
    for x, goal in zip(xs, goals, strict=True):
        if use_fulfilment:
            target = {"value": 100.0, "comparator": ">=", "unit": "%"}
            outcome = _number(goal.get("fulfilment_pct"))
            text = status(outcome, target) if outcome is not None else NO_OUTCOME
        else:
            target = pick_target(goal, unit)
            outcome = pick_outcome(goal, unit)
            text = status(outcome, target, _number(goal.get("fulfilment_pct")), goal.get("year"))
        if target is not None:
            tv = float(target["value"])
            ys.append(tv)
            ax.plot([x - 0.3, x + 0.3], [tv, tv], color="#1a1a1a", linewidth=3, solid_capstyle="butt")
            label = f"Mål {_COMPARATOR_TEXT.get(target.get('comparator'), '')} {format_value(tv)}"
            unit_text = "" if unit is None else _unit_text(unit)[2:]
            label = label.replace("  ", " ")
            if unit_text:
                label += f" {unit_text}" if unit_text == "%" else f"\n{unit_text}"
            if target.get("year") and target.get("year") != goal.get("year"):
                label += f" ({target['year']})"
            ax.annotate(label, (x, tv), textcoords="offset points", xytext=(0, 5), ha="center", va="bottom",
                        fontsize=FONT_SIZE - 1)
        if outcome is not None:
            ys.append(outcome)
            filled = text.startswith(MET)
            ax.plot([x], [outcome], marker="o", markersize=10, markeredgecolor="#1a1a1a", markeredgewidth=1.5,
                    markerfacecolor="#1a1a1a" if filled else "white", linestyle="none")
            ax.annotate(format_value(outcome), (x, outcome), textcoords="offset points", xytext=(9, -3),
                        ha="left", va="top", fontsize=FONT_SIZE, fontweight="bold",
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
        statuses.append(text)
    top = max(ys) if ys else 100.0
    bottom = min(0.0, min(ys) if ys else 0.0)
    ax.set_ylim(bottom, top * 1.25 if top > 0 else 1)
    # The status in words sits under its year, where it cannot collide with the target labels.
    ax.set_xticks(xs, [f"{g.get('year') or '?'} · Mål {g.get('number') or '?'}\n{text}"
                       for g, text in zip(goals, statuses, strict=True)])
    ax.set_xlim(-0.6, len(goals) - 0.4)
    style_axes(ax, value_axis="y")
    shown_unit = "%" if use_fulfilment else unit
    ax.set_ylabel(("Målopfyldelse" if use_fulfilment else "Værdi") + _unit_text(shown_unit), fontsize=FONT_SIZE)
    handles = [
        Line2D([], [], color="#1a1a1a", linewidth=3, label="Mål"),
        Line2D([], [], marker="o", color="none", markerfacecolor="#1a1a1a", markeredgecolor="#1a1a1a",
               markersize=8, label="Resultat, målet opfyldt"),
        Line2D([], [], marker="o", color="none", markerfacecolor="white", markeredgecolor="#1a1a1a",
               markersize=8, label="Resultat, målet ikke (fuldt) opfyldt"),
    ]
    ax.legend(handles=handles, fontsize=FONT_SIZE - 1, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.16), ncols=3)
    titles = list(dict.fromkeys(str(g.get("title")) for g in goals if g.get("title") and g.get("title") != theme))
    set_title(fig, f"Mål og resultat: {theme}", " / ".join(titles)[:110] or None)
    add_source(fig, source)
    return fig


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
