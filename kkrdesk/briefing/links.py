"""An agenda item's links to contract goals and nøgletal (#7), printed at the item.

A link names its target by a stable key ("goal:2022:1", "sosu-dimensionering")
and a label; when the store lacks the target the label is still printed, so
the reader knows what the item concerns even without the contract imported.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from kkrdesk.briefing.doc import FRAME_WIDTH
from kkrdesk.briefing.figures import SMALL_DATASET, figure_image, figure_rows_table
from kkrdesk.briefing.styles import styles
from kkrdesk.briefing.text import markup
from kkrdesk.data.danish import format_number


def _goal(db, target: str) -> tuple[dict, dict] | None:
    """(contract, goal) for "goal:<year>:<number>"; a report wins over its contract, as in the window."""
    try:
        _, year, number = target.split(":", 2)
        from kkrdesk.data.contracts.repo import list_contracts
    except (ValueError, ImportError):
        return None
    found = None
    contracts = list_contracts(db, int(year) if year.isdigit() else None)
    standing = [c for c in contracts if c.get("stands_for_year")]   # one rule (#17): the report wins
    for contract in standing or contracts:
        if contract.get("kind") not in (None, "resultatkontrakt"):
            continue
        for goal in contract["goals"]:
            if str(goal["number"]) == number:
                found = (contract, goal)
    return found


def goal_link_flowables(db, link: dict) -> list[Flowable]:
    from kkrdesk.briefing.contract_pack import results_table, targets_table

    st = styles()
    found = _goal(db, link["target"])
    if found is None:
        return [Paragraph(markup(f"Mål: {link['label']} (kontrakten er ikke importeret)"), st["body"])]
    contract, goal = found
    out: list[Flowable] = [Paragraph(markup(f"Mål {goal['number']} – {goal['title']} ({contract['title']})"),
                                     st["section"])]
    for table in (targets_table(goal), results_table(goal)):
        if table is not None:
            out.extend([table, Spacer(1, 6)])
    if goal.get("fulfilment_pct") is not None:
        out.append(Paragraph(f"<b>Målopfyldelse: {format_number(goal['fulfilment_pct'])} %</b>", st["body"]))
    return out


def dataset_link_flowables(db, link: dict) -> list[Flowable]:
    st = styles()
    from kkrdesk.data.figures import dataset_rows, dataset_title

    rows = dataset_rows(db, link["target"])
    out: list[Flowable] = [Paragraph(markup(f"Nøgletal: {dataset_title(db, link['target'])}"), st["section"])]
    if not rows:
        out.append(Paragraph(markup(f"{link['label']}: ingen tal i lageret."), st["meta"]))
        return out
    from kkrdesk.charts.datasets import NoChartData, chart_for_dataset

    try:
        out.append(figure_image(chart_for_dataset(db, link["target"]), FRAME_WIDTH))
    except NoChartData as exc:
        out.append(Paragraph(markup(str(exc)), st["meta"]))
    if len(rows) <= SMALL_DATASET:
        out.append(figure_rows_table(rows, FRAME_WIDTH))
    return out


def item_link_flowables(db, item: dict, shown_datasets: set[str]) -> list[Flowable]:
    """'Relaterede mål og nøgletal' for an item; datasets already charted from its bilag are skipped."""
    links = [link for link in item.get("links") or []
             if not (link["kind"] == "dataset" and link["target"] in shown_datasets)]
    if not links:
        return []
    out: list[Flowable] = [Paragraph("Relaterede mål og nøgletal", styles()["label"])]
    for link in links:
        out.extend(goal_link_flowables(db, link) if link["kind"] == "goal" else dataset_link_flowables(db, link))
    return out
