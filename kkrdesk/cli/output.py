"""Printing helpers shared by the commands: JSON to stdout, one-line messages to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def message(text: str) -> None:
    """A message to stderr; an undecodable file name in it is escaped, never a UnicodeEncodeError."""
    print(text.encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)
