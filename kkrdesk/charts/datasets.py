"""Charts straight from the store: picks the right chart and data for a dataset or a theme.

The chart functions themselves take plain data; this module is the glue the
window, the PDF builder and the CLI share, so all three show the same chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from kkrdesk.charts.bars import municipality_bars
from kkrdesk.charts.goals import fulfilment_chart, goal_targets_chart
from kkrdesk.charts.komponent import komponent_chart
from kkrdesk.charts.style import source_text
from kkrdesk.charts.timeseries import period_sort_key, time_series
from kkrdesk.data.figures import dataset_rows, dataset_title

if TYPE_CHECKING:
    from sqlite_utils import Database


class NoChartData(Exception):
    """There is nothing to draw; the message is Danish and meant for the user."""


def _source(rows: list[dict]) -> str:
    return source_text((r.get("document"), r.get("line")) for r in rows)


def _latest(periods: set[str]) -> str:
    return max(periods, key=period_sort_key)


def _per_municipality(rows: list[dict], title: str, measure_filter: str | None = None,
                      subtitle_prefix: str = "") -> Figure:
    rows = [r for r in rows if not r["is_total"] and r["value"] is not None and r.get("municipality")]
    if measure_filter:
        rows = [r for r in rows if r["measure"] == measure_filter]
    if not rows:
        raise NoChartData(f"{title}: ingen tal pr. kommune")
    period = _latest({r["period"] for r in rows})
    chosen = [r for r in rows if r["period"] == period]
    series: dict[str, dict[str, float]] = {}
    for r in chosen:
        series.setdefault(r["measure"] or period, {})[r["municipality"]] = r["value"]
    unit = (chosen[0].get("unit") or "").capitalize()
    return municipality_bars(series, title=title, unit=unit, subtitle=f"{subtitle_prefix}{period}",
                             source=_source(chosen))


def sosu_chart(rows: list[dict], title: str) -> Figure:
    return _per_municipality(rows, title, subtitle_prefix="Dimensionering ")


def boernehus_chart(rows: list[dict], title: str) -> Figure:
    rows = [r for r in rows if r["measure"] == "Objektiv finansiering" and r.get("municipality")]
    if not rows:
        raise NoChartData(f"{title}: ingen objektiv finansiering pr. kommune")
    periods = sorted({r["period"] for r in rows}, key=period_sort_key, reverse=True)
    series = {p: {r["municipality"]: r["value"] for r in rows if r["period"] == p} for p in periods}
    return municipality_bars(series, title="Børnehus Nord: objektiv finansiering pr. kommune", unit="Kr.",
                             source=_source(rows))


_PAEDAGOG_SERIES = {
    "studiepladser": "Dimensionering (studiepladser)",
    "inkl. ekstra pladser": "Inkl. ekstra pladser",
    "anbefalet": "Anbefalet",
}


def paedagog_chart(rows: list[dict], title: str) -> Figure:
    points = [{"period": r["period"], "value": r["value"], "series": _PAEDAGOG_SERIES[r["measure"]]}
              for r in rows if r["measure"] in _PAEDAGOG_SERIES]
    if not points:
        raise NoChartData(f"{title}: ingen studiepladser")
    used = [r for r in rows if r["measure"] in _PAEDAGOG_SERIES]
    return time_series(points, title=title, unit="Studiepladser", source=_source(used))


def faelles_chart(rows: list[dict], title: str) -> Figure:
    totals = [r for r in rows if r["is_total"] and r["measure"] == "Udgifter"]
    if not totals:
        raise NoChartData(f"{title}: ingen 'I alt'-rækker")
    series: dict[str, dict[str, float]] = {}
    for r in sorted(totals, key=lambda r: period_sort_key(r["period"])):
        series.setdefault(r["period"], {})[r["group"] or r["label"]] = r["value"]
    return municipality_bars(series, title="Fælleskommunale sekretariater: udgifter i alt", unit="Kr.",
                             source=_source(totals))


def generic_chart(rows: list[dict], title: str) -> Figure:
    return _per_municipality(rows, title)


CHARTS = {
    "sosu-dimensionering": sosu_chart,
    "paedagog-dimensionering": paedagog_chart,
    "komponentanalyse": lambda rows, title: komponent_chart(rows, source=_source(rows)),
    "boernehus-nord": boernehus_chart,
    "faellessekretariater": faelles_chart,
    "basisbevilling": generic_chart,
}


def chart_for_dataset(db: Database, name: str) -> Figure:
    """The standard chart of a dataset; NoChartData when the store has no rows for it."""
    rows = dataset_rows(db, name)
    title = dataset_title(db, name)
    if not rows:
        raise NoChartData(f"Datasættet '{name}' har ingen tal (importér et dokument med tabellen)")
    return CHARTS.get(name, generic_chart)(rows, title)


def _goal_source(goals: list[dict], db: Database | None = None) -> str:
    """Source line of goal dicts; `source.document` may be a document id (contracts.repo) or a title."""
    titles: dict[int, str] = {}
    if db is not None:
        titles = {i: t for i, t in db.execute("SELECT id, coalesce(title, file_name) FROM documents").fetchall()}
    pairs = []
    for g in goals:
        source = g.get("source") or {}
        document = source.get("document", g.get("document"))
        line = source.get("line", g.get("line"))
        pairs.append((titles.get(document, document) if isinstance(document, int) else document, line))
    return source_text(pairs)


def chart_for_theme(db: Database, theme: str) -> Figure:
    """Target vs outcome across contract years for one theme."""
    from kkrdesk.data.contracts.repo import goals_by_theme

    goals = goals_by_theme(db, theme)
    if not goals:
        raise NoChartData(f"Ingen mål med temaet '{theme}'")
    return goal_targets_chart(goals, theme=theme, source=_goal_source(goals, db))


def fulfilment_for_goals(goals: list[dict], title: str = "Målopfyldelse pr. mål",
                         db: Database | None = None) -> Figure:
    """Fulfilment % per goal per year from goal dicts (e.g. every goal of `contracts.repo.list_contracts`)."""
    goals = [g for g in goals if g.get("fulfilment_pct") is not None]
    if not goals:
        raise NoChartData("Ingen mål med målopfyldelse")
    return fulfilment_chart(goals, title=title, source=_goal_source(goals, db))


def fulfilment_from_store(db: Database, years: list[int] | None = None) -> Figure:
    """Fulfilment % per goal per contract year, reports preferred."""
    from kkrdesk.data.contracts.repo import list_contracts

    by_year: dict[int, dict] = {}
    for contract in list_contracts(db):
        if contract.get("kind", "resultatkontrakt") != "resultatkontrakt" or contract.get("year") is None:
            continue
        if years and contract["year"] not in years:
            continue
        if contract["year"] not in by_year or contract.get("is_report"):
            by_year[contract["year"]] = contract
    goals = [{**g, "year": year} for year, c in sorted(by_year.items()) for g in c["goals"]]
    return fulfilment_for_goals(goals, db=db)
