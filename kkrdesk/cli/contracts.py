"""`kkrdesk goals`, `kkrdesk results`, `kkrdesk contracts diff`: what was promised, delivered and changed.

    kkrdesk [--db PATH] goals [--year YEAR] [--theme TEMA] [--json]
    kkrdesk [--db PATH] results [--year YEAR] [--theme TEMA] [--json]
    kkrdesk [--db PATH] contracts diff FRA TIL [--json]

All read `kkrdesk.data.contracts` (the same data the window, the charts and the
PDF briefing show); without --json a short Danish overview is printed.
"""

from __future__ import annotations

import argparse

from kkrdesk.cli.output import message, print_json, public_wanted
from kkrdesk.data.contracts.diff import contract_diff
from kkrdesk.data.contracts.read import results, target_text
from kkrdesk.data.contracts.repo import goals_by_theme, list_contracts
from kkrdesk.data.danish import format_number


def _year_theme_filters(parser: argparse.ArgumentParser, *, year: str, theme: str) -> None:
    """--year, --theme, --json and --public: the same for goals and results."""
    parser.add_argument("--year", type=int, metavar="ÅR", help=year)
    parser.add_argument("--theme", metavar="TEMA", help=theme)
    parser.add_argument("--json", action="store_true", help="output som JSON")
    parser.add_argument("--public", action="store_true", help="uden kontrakter fra lukkede punkters bilag")


def register(subparsers: argparse._SubParsersAction) -> None:
    goals = subparsers.add_parser("goals", help="mål, delmål, målsætninger og målopfyldelse fra resultatkontrakterne")
    _year_theme_filters(goals, year="kun kontrakter for dette år", theme="samme tema på tværs af årene (fx 'Kendskab')")
    goals.set_defaults(handler=goals_command)
    res = subparsers.add_parser("results", help="hvert resultat mod sit eget måltal, med status i ord")
    _year_theme_filters(res, year="kun dette kontraktår", theme="kun mål med dette tema (fx 'Kendskab')")
    res.set_defaults(handler=results_command)
    contracts = subparsers.add_parser("contracts", help="resultatkontrakter: sammenlign to år")
    sub = contracts.add_subparsers(dest="contracts_command", metavar="HANDLING", required=True)
    diff = sub.add_parser("diff", help="hvad der er ændret fra et kontraktår til et andet")
    diff.add_argument("from_year", type=int, metavar="FRA")
    diff.add_argument("to_year", type=int, metavar="TIL")
    diff.add_argument("--json", action="store_true", help="output som JSON")
    diff.add_argument("--public", action="store_true", help="uden kontrakter fra lukkede punkters bilag")
    diff.set_defaults(handler=diff_command)


_target_text = target_text


def results_command(args: argparse.Namespace, store) -> int:
    rows = results(store.db, args.year, args.theme, public=public_wanted(args, store))
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        message("kkrdesk: ingen resultater" + (f" for {args.year}" if args.year else "")
                + (f" med temaet '{args.theme}'" if args.theme else "") + " i lageret")
        return 1
    current = None
    for r in rows:
        head = (r["year"], r["goal"])
        if head != current:
            print(f"{r['year']}  Mål {r['goal']} – {r['goal_title']}")
            current = head
        print(f"    {r['wording']}")
        if r["warning"]:
            print(f"      bemærk: {r['warning']}")
    return 0


_CHANGE_WORDS = {"unchanged": "uændret", "changed": "ændret", "added": "nyt", "removed": "udgået",
                 "raised": "hævet", "lowered": "sænket"}


def diff_command(args: argparse.Namespace, store) -> int:
    from kkrdesk.cli import UserError

    try:
        diff = contract_diff(store.db, args.from_year, args.to_year, public=public_wanted(args, store))
    except LookupError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print_json(diff)
        return 0
    print(f"Ændringer fra {diff['from']} til {diff['to']}")
    for g in diff["goals"]:
        a, b = g["from"], g["to"]
        name = " → ".join(f"Mål {x['number']} {x['title']}" for x in (a, b) if x)
        print(f"  [{_CHANGE_WORDS[g['change']]}] {name}")
        for t in g["targets"]:
            if t["change"] == "unchanged":
                continue
            old = t["from"]["text"] if t["from"] else "–"
            new = t["to"]["text"] if t["to"] else "–"
            print(f"      {t['indicator']}: {old} → {new} ({_CHANGE_WORDS[t['change']]})")
        for d in g["delmaal"]["added"]:
            print(f"      nyt delmål: {d['label']} {d['title'] or ''}")
        for d in g["delmaal"]["removed"]:
            print(f"      udgået delmål: {d['label']} {d['title'] or ''}")
    budget = diff["budget"]
    print(f"  Basisbevilling ({budget['unit']}): {format_number(budget['total']['from']) or '–'} → "
          f"{format_number(budget['total']['to']) or '–'}")
    return 0


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
