"""`kkrdesk pack`: write a meeting or contract briefing PDF (#6)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kkrdesk.cli.output import message
from kkrdesk.data.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("pack", help="lav en briefingpakke (PDF) for et møde eller en kontrakt")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--meeting", type=int, metavar="ID", help="mødets id (se 'kkrdesk list meetings')")
    what.add_argument("--contract", type=int, metavar="ÅR", help="resultatkontraktens år")
    what.add_argument("--theme", metavar="TEMA", help="et tema på tværs af møder (se 'kkrdesk themes')")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FIL.pdf", help="PDF-fil at skrive")
    p.add_argument("--public", action="store_true", help="offentlig udgave: lukkede punkter udelades")
    p.add_argument("--with-notes", action="store_true", help="medtag mine private noter")
    p.set_defaults(handler=cmd_pack)


def cmd_pack(args: argparse.Namespace, store: Store) -> int:
    from kkrdesk.briefing import PackError, build_contract_pack, build_meeting_pack, build_theme_pack

    if args.output.suffix.lower() != ".pdf":
        message(f"kkrdesk: {args.output} skal ende på .pdf")
        return 2
    try:
        if args.meeting is not None:
            result = build_meeting_pack(store.db, args.meeting, args.output, public=args.public,
                                        with_notes=args.with_notes)
        elif args.theme is not None:
            result = build_theme_pack(store.db, args.theme, args.output, public=args.public)
        else:
            result = build_contract_pack(store.db, args.contract, args.output, with_notes=args.with_notes,
                                         public=args.public)
    except PackError as exc:
        message(f"kkrdesk: {exc}")
        return 1
    except OSError as exc:
        message(f"kkrdesk: kunne ikke skrive {args.output}: {exc.strerror or exc}")
        return 1
    message(f"{result.path}: {result.pages} sider, {result.outline_entries} bogmærker")
    return 0
