"""Charts: each returns a Figure (no pyplot) with the expected bars/points, Danish numbers and a source."""

from __future__ import annotations

import inspect
import io
import re

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import kkrdesk.charts.bars
import kkrdesk.charts.datasets
import kkrdesk.charts.goals
import kkrdesk.charts.komponent
import kkrdesk.charts.style
import kkrdesk.charts.timeseries
from kkrdesk.charts import (
    NoChartData,
    chart_for_dataset,
    chart_for_theme,
    fulfilment_chart,
    komponent_chart,
    municipality_bars,
    time_series,
)
from kkrdesk.data.figures import dataset_rows
from kkrdesk.data.store import open_store
from kkrdesk.ingest.importer import import_file
from tests.conftest import BUNDLE_2024, MEETING_PACK


@pytest.fixture(scope="module")
def db():
    s = open_store(None)
    import_file(s, BUNDLE_2024)
    import_file(s, MEETING_PACK)
    yield s.db
    s.close()


def bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def texts(fig: Figure) -> list[str]:
    """Every text a reader sees on the axes: annotations and the category labels under them."""
    labels = [line for ax in fig.axes for t in ax.get_xticklabels() for line in t.get_text().split("\n", 1)]
    return [t.get_text() for ax in fig.axes for t in ax.texts] + labels


def tick_labels(ax, axis: str = "y") -> list[str]:
    ax.figure.canvas.draw()   # formatters run at draw time
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def source_of(fig: Figure) -> str:
    return fig._supxlabel.get_text() if fig._supxlabel else ""


def test_no_pyplot_anywhere_in_charts():
    for module in (kkrdesk.charts.bars, kkrdesk.charts.datasets, kkrdesk.charts.goals,
                   kkrdesk.charts.komponent, kkrdesk.charts.style, kkrdesk.charts.timeseries):
        assert not re.search(r"import\s+[\w.]*pyplot|pyplot\s+import|\bplt\.", inspect.getsource(module))


def test_sosu_bars_sorted_with_values_and_source(db):
    fig = chart_for_dataset(db, "sosu-dimensionering")
    ax = fig.axes[0]
    patches = bars(ax)
    assert len(patches) == 22                                   # 11 municipalities × hjælpere/assistenter
    assert sorted(round(p.get_width()) for p in patches)[-2:] == [98, 196]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Aalborg" and labels[-1] == "Læsø"       # sorted, largest first
    assert "196" in texts(fig) and "1" in texts(fig) and "4" in texts(fig)
    assert "Dimensionering 2026" == ax.get_title(loc="left")
    assert "linje 2212–2237" in source_of(fig) and source_of(fig).startswith("Kilde: ")
    assert fig._suptitle.get_text() == "Lærepladser på SOSU-uddannelserne pr. kommune"


def test_bars_use_danish_thousands_on_axis_and_labels(db):
    fig = chart_for_dataset(db, "boernehus-nord")
    ax = fig.axes[0]
    assert len(bars(ax)) == 22                                  # 11 municipalities × 2021/2020
    assert "1.527.364" in texts(fig)
    labels = tick_labels(ax, "x")
    assert "0" in labels and "1,5" in labels and ax.get_xlabel() == "Mio. kr."     # short ticks, the unit below
    assert ax.get_xlim()[0] == 0                                 # bars start at 0


def test_municipality_bars_plain_data_grey_scale_hatches():
    fig = municipality_bars({"A": {"Aalborg": 1234.5, "Læsø": 2}, "B": {"Aalborg": 3, "Læsø": 4}},
                            title="Test", unit="kr.", source="Kilde: x", decimals=1)
    patches = bars(fig.axes[0])
    assert len(patches) == 4
    assert {p.get_hatch() or "" for p in patches} == {"", "//"}         # series differ without colour
    assert "1.234,5" in texts(fig)


def test_paedagog_time_series_points(db):
    fig = chart_for_dataset(db, "paedagog-dimensionering")
    ax = fig.axes[0]
    series = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    assert series["Dimensionering (studiepladser)"][-1] == 517
    assert 450 in series["Dimensionering (studiepladser)"] and 492 in series["Dimensionering (studiepladser)"]
    assert series["Inkl. ekstra pladser"] == [555]
    assert series["Anbefalet"] == [517]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "før 2015" and ticks[-1] == "2021/2022"
    assert "555" in texts(fig) and "Kilde:" in source_of(fig)


def test_close_values_in_one_period_print_their_labels_apart(db):
    """2020/2021 has 517 (dimensionering) and 555 (inkl. ekstra pladser): no number is printed over a marker
    or another number (the 555 triangle sat on the 517)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    fig = chart_for_dataset(db, "paedagog-dimensionering")
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    labels = [t.get_window_extent(renderer) for t in ax.texts]
    markers = []
    for line in ax.get_lines():
        radius = line.get_markersize() / 2 * fig.dpi / 72
        for x, y in ax.transData.transform(list(zip(line.get_xdata(), line.get_ydata(), strict=True))):
            markers.append(Bbox([[x - radius, y - radius], [x + radius, y + radius]]))
    assert len(labels) == len(markers) >= 8
    for index, label in enumerate(labels):
        assert not any(label.overlaps(other) for other in labels[index + 1:])
        assert not any(label.overlaps(marker) for marker in markers), ax.texts[index].get_text()


def test_time_series_plain_data_orders_periods():
    fig = time_series([{"period": "2020/21", "value": 2, "series": "s"},
                       {"period": "før 2015", "value": 1, "series": "s"}], title="T")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["før 2015", "2020/21"]
    assert list(ax.get_lines()[0].get_ydata()) == [1, 2]


def test_komponent_chart_per_paragraph(db):
    rows = dataset_rows(db, "komponentanalyse")
    fig = komponent_chart(rows, source="Kilde: test")
    spend, persons, unit_cost = fig.axes[:3]
    assert len(bars(spend)) == 12                               # 4 paragraphs × 2022-2024
    assert 1_172_227_145 in [round(p.get_height()) for p in bars(spend)]
    assert "1.172,2" in [t.get_text() for t in spend.texts]      # mio. kr. with Danish decimal comma
    ticks = [t.get_text() for t in spend.get_xticklabels()]
    assert "ABL § 105/85\n+2,65 %" in ticks                       # the change as printed, short enough not to collide
    assert fig._supxlabel.get_text().startswith("Procent under hver paragraf: ændring 2022–2024. Kilde: test")
    assert "SEL § 85\n-9,23 %" in ticks
    assert "1.200" in tick_labels(spend)                          # Danish thousands on the axis
    assert "4.287" in [t.get_text() for t in persons.texts]
    assert spend.get_title(loc="left").startswith("Udgift")


def test_theme_chart_from_the_contracts_store(db):
    fig = chart_for_theme(db, "Effekt i virksomhederne")
    rows = [line for ax in fig.axes for t in ax.get_yticklabels() for line in t.get_text().split("\n")]
    # Mål 5 in 2024 (golden facts): each delmål with its own status, not the goal's 82 %
    assert "Vækst: 2,89 procentpoint – delvist opfyldt (28,9 %)" in rows
    assert "Drift: 3,68 procentpoint – opfyldt (100 %)" in rows
    legend = fig.legends[0].get_title().get_text()
    assert "Afrapportering" in legend and "2024" in legend


def test_a_goal_measured_by_its_activities_charts_its_fulfilment(db):
    fig = chart_for_theme(db, "Styrket regional strategi og indsats")     # Mål 7, 2024: three indsatser
    [ax] = fig.axes
    assert ax.get_title(loc="left").startswith("Målopfyldelse")
    labels = [line for t in ax.get_yticklabels() for line in t.get_text().split("\n")]
    assert "procent 100 – opfyldt" not in labels and "100 % – opfyldt" in labels


def test_fulfilment_chart_bars_per_goal_and_year():
    goals = [{"year": y, "number": str(n), "fulfilment_pct": p}
             for y, values in {2022: [100, 64.45], 2024: [100, 82, 87]}.items()
             for n, p in enumerate(values, start=1)]
    fig = fulfilment_chart(goals, source="Kilde: test")
    ax = fig.axes[0]
    assert len(bars(ax)) == 6                                   # 3 goals × 2 years (a missing one is 0 high)
    assert "64,45 %" in texts(fig) and "ingen" in texts(fig)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Mål 1", "Mål 2", "Mål 3"]


def test_every_dataset_chart_renders_to_png(db):
    for name in ("sosu-dimensionering", "paedagog-dimensionering", "komponentanalyse", "boernehus-nord",
                 "faellessekretariater"):
        buffer = io.BytesIO()
        chart_for_dataset(db, name).savefig(buffer, format="png", dpi=50)
        assert buffer.getvalue().startswith(b"\x89PNG")


def test_missing_data_is_a_danish_message(db):
    with pytest.raises(NoChartData, match="ingen tal"):
        chart_for_dataset(db, "findes-ikke")
    with pytest.raises(NoChartData):
        chart_for_theme(db, "Et tema der ikke findes")


def test_figure_embeds_in_qt_canvas(qtbot):
    """The window shows the same Figure through FigureCanvasQTAgg (offscreen here)."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    fig = municipality_bars({"Pladser": {"Aalborg": 98, "Læsø": 1}}, title="Test")
    canvas = FigureCanvasQTAgg(fig)
    qtbot.addWidget(canvas)
    canvas.draw()
    assert canvas.figure is fig and canvas.width() > 0
