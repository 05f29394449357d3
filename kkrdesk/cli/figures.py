"""`kkrdesk figures` and `kkrdesk chart`: the nøgletal as JSON/text and charts as files.

    kkrdesk [--db PATH] figures [--dataset NAME] [--list] [--json]
    kkrdesk [--db PATH] chart DATASET | --theme THEME -o FILE.png|.svg|.pdf
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kkrdesk.cli.output import message, print_json, public_wanted
from kkrdesk.data.danish import format_number
from kkrdesk.data.figures import dataset_rows, list_datasets
from kkrdesk.data.originals import PageLookup

CHART_FORMATS = {".png", ".svg", ".pdf"}


def register(subparsers: argparse._SubParsersAction) -> None:
    figures = subparsers.add_parser("figures", help="nøgletal fra de importerede dokumenter")
    figures.add_argument("--dataset", metavar="NAVN", help="kun dette datasæt (se --list)")
    figures.add_argument("--list", action="store_true", help="vis datasættene og antal tal")
    figures.add_argument("--json", action="store_true", help="output som JSON")
    figures.add_argument("--public", action="store_true", help="uden tal fra lukkede punkters bilag")
    figures.set_defaults(handler=figures_command)

    chart = subparsers.add_parser("chart", help="gem et diagram som PNG, SVG eller PDF")
    chart.add_argument("dataset", nargs="?", metavar="DATASÆT", help="fx sosu-dimensionering")
    chart.add_argument("--theme", metavar="TEMA", help="mål og resultat på tværs af kontraktår for et tema")
    chart.add_argument("-o", "--output", required=True, metavar="FIL", help="FIL.png, FIL.svg eller FIL.pdf")
    chart.set_defaults(handler=chart_command)


def _json_row(row: dict, page_of: PageLookup) -> dict:
    source = {"document": row["document"], "line": row["line"]}
    page = page_of(row.get("document_id"), row["line"])
    if page:                     # the PDF page it is printed on (#15); text sources have none
        source["page"] = page
    return {
        "dataset": row["dataset"],
        "label": row["label"],
        "period": row["period"],
        "measure": row["measure"],
        "value": row["value"],
        "unit": row["unit"],
        "source": source,
        "group": row["group"],
        "is_total": row["is_total"],
        "flag": row["flag"],
    }


def figures_command(args: argparse.Namespace, store) -> int:
    datasets = list_datasets(store.db)
    names = [d["name"] for d in datasets]
    if args.dataset and args.dataset not in names:
        message(f"kkrdesk: ukendt datasæt '{args.dataset}' (kendte: {', '.join(names)})")
        return 2
    if args.list:
        if args.json:
            print_json(datasets)
        else:
            for d in datasets:
                print(f"{d['name']:<26} {format_number(d['rows']):>6} tal  {d['title']}")
        return 0
    selected = [args.dataset] if args.dataset else names
    public = public_wanted(args, store)
    rows = [row for name in selected for row in dataset_rows(store.db, name, public=public)]
    if args.json:
        page_of = PageLookup(store.db)
        print_json([_json_row(r, page_of) for r in rows])
        return 0
    if not rows:
        message("Ingen nøgletal endnu (importér et dokument med en af tabellerne).")
        return 0
    for r in rows:
        value = format_number(r["value"])
        mark = "  ⚠ " + r["flag"] if r["flag"] else ""
        group = f"{r['group']}: " if r["group"] else ""
        print(f"{r['dataset']:<24} {group}{r['label']:<28} {r['period']:<16} {r['measure']:<34} "
              f"{value:>15} {r['unit'] or ''}  (linje {r['line']}){mark}")
    return 0


def chart_command(args: argparse.Namespace, store) -> int:
    from kkrdesk.charts import NoChartData, chart_for_dataset, chart_for_theme

    output = Path(args.output)
    if output.suffix.lower() not in CHART_FORMATS:
        message(f"kkrdesk: {output.name}: vælg .png, .svg eller .pdf")
        return 2
    if bool(args.dataset) == bool(args.theme):
        message("kkrdesk: angiv enten et datasæt eller --theme TEMA")
        return 2
    try:
        fig = chart_for_theme(store.db, args.theme) if args.theme else chart_for_dataset(store.db, args.dataset)
    except NoChartData as exc:
        message(f"kkrdesk: {exc}")
        return 1
    output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(output, dpi=150, format=output.suffix.lower().lstrip("."))
    message(f"Gemt: {output}")
    return 0
