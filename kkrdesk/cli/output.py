"""Printing helpers shared by the commands: JSON to stdout, one-line messages to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def public_wanted(args: Any, store: Any) -> bool:
    """--public, or a public pack as --db: then only public output, whatever was asked (#16)."""
    from kkrdesk.data.access import is_public_pack

    return bool(getattr(args, "public", False)) or is_public_pack(store.db)


def message(text: str) -> None:
    """One line to stderr: an undecodable file name is escaped (never a UnicodeEncodeError), and a line
    break inside a file name is shown as \\n, so a name cannot split or forge a message."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    print(text.replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)
