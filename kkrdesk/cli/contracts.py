"""`kkrdesk goals`: what was promised and what was delivered, per contract year.

    kkrdesk [--db PATH] goals [--year YEAR] [--theme TEMA] [--json]

The JSON is exactly `repo.list_contracts` (the same data the window and the
PDF briefing show); without --json a short Danish overview is printed.
"""

from __future__ import annotations

import argparse

from kkrdesk.cli.output import message, print_json, public_wanted
from kkrdesk.data.contracts.repo import goals_by_theme, list_contracts
from kkrdesk.data.danish import format_number

_COMPARATOR_TEXT = {">=": "mindst", ">": "over", "<=": "højst", "<": "under", "=": ""}


def register(subparsers: argparse._SubParsersAction) -> None:
    goals = subparsers.add_parser("goals", help="mål, delmål, målsætninger og målopfyldelse fra resultatkontrakterne")
    goals.add_argument("--year", type=int, metavar="ÅR", help="kun kontrakter for dette år")
    goals.add_argument("--theme", metavar="TEMA", help="samme tema på tværs af årene (fx 'Kendskab')")
    goals.add_argument("--json", action="store_true", help="output som JSON")
    goals.add_argument("--public", action="store_true", help="uden kontrakter fra lukkede punkters bilag")
    goals.set_defaults(handler=goals_command)


def _target_text(t: dict) -> str:
    words = [_COMPARATOR_TEXT.get(t["comparator"] or "=", ""), format_number(t["value"]), t["unit"] or ""]
    if t.get("measure"):
        words.insert(0, f"{t['measure']}:")
    if t.get("year"):
        words.append(f"i {t['year']}")
    if t.get("fulfilment_level") not in (None, 100):
        words.append(f"(giver {format_number(t['fulfilment_level'])} % opfyldelse)")
    return " ".join(w for w in words if w)


def goals_command(args: argparse.Namespace, store) -> int:
    if args.theme:
        rows = goals_by_theme(store.db, args.theme, public=public_wanted(args, store))
        if args.json:
            print_json(rows)
            return 0
        if not rows:
            message(f"kkrdesk: ingen mål med temaet '{args.theme}'")
            return 1
        for r in rows:
            pct = "ikke afrapporteret" if r["fulfilment_pct"] is None else f"{format_number(r['fulfilment_pct'])} %"
            print(f"{r['year']}  Mål {r['number']} – {r['title']}: {pct}")
        return 0
    contracts = list_contracts(store.db, args.year, public=public_wanted(args, store))
    if args.json:
        print_json(contracts)
        return 0
    if not contracts:
        message("kkrdesk: ingen resultatkontrakter" + (f" for {args.year}" if args.year else "") + " i lageret")
        return 1
    for c in contracts:
        overall = c["overall_fulfilment_pct"]
        head = f"{c['title']} ({c['year'] or 'år ukendt'})"
        if overall is not None:
            head += f" – samlet målopfyldelse {format_number(overall)} %"
        print(head)
        for g in c["goals"]:
            pct = "" if g["fulfilment_pct"] is None else f"  [{format_number(g['fulfilment_pct'])} %]"
            print(f"  Mål {g['number']} – {g['title']}{pct}")
            for t in g["targets"]:
                print(f"      mål: {_target_text(t)}")
            for w in g["warnings"]:
                print(f"      advarsel: {w}")
        print()
    return 0
