"""The `kkrdesk` command: scriptable access to the same data API the window uses.

Each command group lives in its own module with `register(subparsers)`; a
handler gets `(args, store)` and returns an exit code. JSON goes to stdout,
messages to stderr, and bad input is one plain line and a non-zero exit.
Without a command the window opens.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys
from pathlib import Path

from kkrdesk import __version__

# Modules that add commands; each exposes register(subparsers).
COMMAND_MODULES = [
    "kkrdesk.cli.core",
    "kkrdesk.cli.contracts",
    "kkrdesk.cli.figures",
    "kkrdesk.cli.pack",
    "kkrdesk.cli.meeting",
    "kkrdesk.cli.themes",
    "kkrdesk.cli.keys",
    "kkrdesk.cli.originals",
]


class UserError(Exception):
    """A problem to report as one line (no traceback)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kkrdesk",
        description="KKR Nordjyllands mødemateriale, resultatkontrakter og nøgletal – offline.",
    )
    parser.add_argument("--version", action="version", version=f"kkrdesk {__version__}")
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help="lager (SQLite) eller pakke (.kkrpack); uden: det medfølgende lager")
    parser.add_argument("--passphrase-file", type=Path, metavar="FIL",
                        help="adgangskoden til en krypteret pakke (første linje i filen); "
                             "også KKRDESK_PASSPHRASE_FILE")
    subparsers = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def open_cli_store(db_path: Path | None):
    """--db PATH (created if missing; .kkrpack read-only) or the bundled default store."""
    from kkrdesk.data.store import open_store

    if db_path is None:
        from kkrdesk.data.bundled import ensure_default_store

        return open_store(ensure_default_store())
    if db_path.suffix.lower() == ".kkrpack":
        from kkrdesk.data.packs import open_pack

        return open_pack(db_path)
    return open_store(db_path)


def one_line(text: str) -> str:
    """Messages are one line, whatever a file name or an exception carries (and printable in any locale)."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _file_name(exc: OSError) -> str:
    return one_line(Path(exc.filename).name) if exc.filename else "fil"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (len(argv) == 2 and argv[0] == "--db"):
        # Just the window: skip importing every command module, a good part of start-up (bench, #8).
        from kkrdesk.ui.app import run_app

        return run_app(Path(argv[1]) if argv else None)
    # pypdf logs every repair of a damaged file on stderr; the CLI's promise is one line per problem.
    import logging  # here, not at the top: 9 ms the window's start does without

    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 10)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from kkrdesk.ui.app import run_app

        return run_app(args.db)
    from kkrdesk.data.sealed_store import set_passphrase_file
    from kkrdesk.data.store import StoreError
    from kkrdesk.ingest.readers import ImportProblem

    set_passphrase_file(args.passphrase_file)
    store = None
    try:
        store = open_cli_store(args.db)
        return int(args.handler(args, store) or 0)
    except (ImportProblem, StoreError, UserError) as exc:
        print(f"kkrdesk: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:
        name = args.db.name if args.db else "lageret"
        if "readonly" in str(exc):
            print(f"kkrdesk: {name}: er skrivebeskyttet og kan ikke ændres", file=sys.stderr)
        else:
            print(f"kkrdesk: {name}: er beskadiget eller kan ikke læses ({one_line(str(exc))})", file=sys.stderr)
        return 1
    except PermissionError as exc:
        print(f"kkrdesk: {_file_name(exc)}: ingen adgang", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kkrdesk: {_file_name(exc)}: {one_line(exc.strerror or str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    finally:
        set_passphrase_file(None)      # one command's --passphrase-file is not the next one's (tests, the window)
        if store is not None:
            store.close()
