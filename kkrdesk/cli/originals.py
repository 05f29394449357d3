"""original: write an imported file back exactly as it was imported."""

from __future__ import annotations

import argparse
from pathlib import Path

from kkrdesk.cli.output import message
from kkrdesk.data import queries
from kkrdesk.data.originals import write_original
from kkrdesk.data.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("original", help="gem et dokuments originale fil (PDF, DOCX, tekst) uændret")
    p.add_argument("document_id", type=int, metavar="DOKUMENT_ID")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FIL")
    p.set_defaults(handler=cmd_original)


def cmd_original(args: argparse.Namespace, store: Store) -> int:
    from kkrdesk.cli import UserError

    document = queries.get_document(store.db, args.document_id)
    if document is None:
        raise UserError(f"intet dokument med id {args.document_id}")
    if args.output.is_dir():
        raise UserError(f"{args.output}: er en mappe; angiv et filnavn")
    if not args.output.parent.exists():
        raise UserError(f"{args.output.parent}: mappen findes ikke")
    try:
        size = write_original(store.db, args.document_id, args.output)
    except LookupError:
        raise UserError(f"dokument {args.document_id} ({document['file_name']}): lageret har ikke den originale fil "
                        "(importeret før kkrdesk gemte originaler, eller en del af en samlet fil)") from None
    except OSError as exc:
        raise UserError(f"{args.output.name}: kunne ikke skrives ({exc.strerror or exc})") from None
    message(f"{document['file_name']}: {size:,} bytes skrevet til {args.output}".replace(",", "."))
    return 0
