"""Printing helpers shared by the commands: JSON to stdout, one-line messages to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def message(text: str) -> None:
    print(text, file=sys.stderr)
