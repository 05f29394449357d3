"""Charts as plain functions returning a matplotlib `Figure` (never pyplot).

The window wraps a Figure in FigureCanvasQTAgg; the briefing PDF calls
`fig.savefig(buffer, format="png"|"svg")`. Danish number format, Danish
titles, the source under every chart, and grey-scale-safe fills throughout.
"""

from kkrdesk.charts.bars import municipality_bars
from kkrdesk.charts.datasets import (
    NoChartData,
    chart_for_dataset,
    chart_for_theme,
    fulfilment_for_goals,
    fulfilment_from_store,
)
from kkrdesk.charts.goals import fulfilment_chart, indicator_chart
from kkrdesk.charts.komponent import komponent_chart
from kkrdesk.charts.timeseries import time_series

__all__ = [
    "NoChartData", "chart_for_dataset", "chart_for_theme", "fulfilment_chart", "fulfilment_for_goals", "fulfilment_from_store",
    "indicator_chart", "komponent_chart", "municipality_bars", "time_series",
]
