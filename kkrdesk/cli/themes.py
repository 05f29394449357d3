"""themes, show theme: one matter's thread across meetings (#10)."""

from __future__ import annotations

import argparse

from kkrdesk.cli.output import print_json, public_wanted
from kkrdesk.data.danish import format_date
from kkrdesk.data.store import Store
from kkrdesk.data.themes import find_theme, list_themes, set_tag, theme_thread


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("themes", help="temaer og antal punkter")
    p.add_argument("--json", action="store_true")
    p.add_argument("--public", action="store_true", help="tæl ikke lukkede punkter")
    p.set_defaults(handler=cmd_themes)

    # `show theme NAME` joins the `show` group made by kkrdesk.cli.core
    show = next(a for a in subparsers.choices["show"]._subparsers._group_actions)
    t = show.add_parser("theme", help="et temas punkter, nøgletal og mål")
    t.add_argument("name", metavar="NAVN")
    t.add_argument("--json", action="store_true")
    t.add_argument("--public", action="store_true", help="uden lukkede punkter")
    t.set_defaults(handler=cmd_show_theme)

    p = subparsers.add_parser("tag", help="sæt eller fjern et tema på et punkt (sekretariatet)")
    p.add_argument("item", type=int, metavar="PUNKT")
    p.add_argument("theme", metavar="TEMA")
    p.add_argument("--remove", action="store_true")
    p.set_defaults(handler=cmd_tag)


def _theme_or_error(name: str):
    from kkrdesk.cli import UserError

    theme = find_theme(name)
    if theme is None:
        raise UserError(f"ukendt tema '{name}' (se 'kkrdesk themes')")
    return theme


def cmd_themes(args: argparse.Namespace, store: Store) -> int:
    themes = list_themes(store.db, public=public_wanted(args, store))
    if args.json:
        print_json([{"name": t["name"], "key": t["key"], "items": t["items"]} for t in themes])
    else:
        for t in themes:
            print(f"{t['items']:>4}  {t['name']}  ({t['key']})")
    return 0


def cmd_show_theme(args: argparse.Namespace, store: Store) -> int:
    thread = theme_thread(store.db, _theme_or_error(args.name), public=public_wanted(args, store))
    if args.json:
        print_json({
            "name": thread["name"],
            "key": thread["key"],
            "items": [
                {"meeting": i["meeting"], "meeting_id": i["meeting_id"], "date": i["date"], "number": i["number"],
                 "title": i["title"], "indstilling": i["indstilling"], "beslutning": i["beslutning"]}
                for i in thread["items"]
            ],
            "datasets": thread["datasets"],
            "goals": thread["goals"],
        })
        return 0
    print(thread["name"])
    for i in thread["items"]:
        print(f"  {format_date(i['date']):<20} {i['number'] or '–':<6} {i['title']}  [{i['meeting']}]")
    for d in thread["datasets"]:
        print(f"  Nøgletal: {d['title']} ({d['rows']} tal)")
    return 0


def cmd_tag(args: argparse.Namespace, store: Store) -> int:
    store.ensure_writable()
    theme = _theme_or_error(args.theme)
    set_tag(store.db, theme.key, "item", args.item, on=not args.remove)
    return 0
