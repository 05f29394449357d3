"""`kkrdesk key …`: the secretariat's signing key (#18) — show its fingerprint, back it up, restore it."""

from __future__ import annotations

import argparse
from pathlib import Path

from kkrdesk.cli.output import message
from kkrdesk.data.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("key", help="udgiverens signeringsnøgle: vis, sikkerhedskopiér, gendan")
    sub = p.add_subparsers(dest="key_command", metavar="HANDLING", required=True)
    c = sub.add_parser("show", help="vis nøglens fingeraftryk (som medlemmerne ser ved første pakke)")
    c.set_defaults(handler=cmd_show)
    c = sub.add_parser("export", help="gem en sikkerhedskopi af nøglen (opbevar den sikkert)")
    c.add_argument("file", type=Path, metavar="FIL.pem")
    c.set_defaults(handler=cmd_export)
    c = sub.add_parser("import", help="brug en sikkerhedskopieret nøgle på denne computer")
    c.add_argument("file", type=Path, metavar="FIL.pem")
    c.set_defaults(handler=cmd_import)


def cmd_show(args: argparse.Namespace, store: Store) -> int:
    from kkrdesk.data.sealed import public_key_bytes
    from kkrdesk.data.signing import fingerprint, secretariat_key

    print(fingerprint(public_key_bytes(secretariat_key())))
    return 0


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    from kkrdesk.data.signing import export_key

    message(f"Nøglen er gemt i {export_key(args.file)} – opbevar den sikkert")
    return 0


def cmd_import(args: argparse.Namespace, store: Store) -> int:
    from kkrdesk.data.signing import import_key

    import_key(args.file)
    message("Nøglen bruges nu til at underskrive pakker")
    return 0
