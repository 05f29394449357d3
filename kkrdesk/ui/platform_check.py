"""Before Qt starts: say in one line what a fresh Linux desktop is missing, instead of Qt's abort message.

Qt ≥ 6.5's xcb platform plugin needs the system library libxcb-cursor0; without
it Qt prints a screenful about "could not load the Qt platform plugin" and
aborts the process, which Python cannot catch.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

MISSING_XCB_CURSOR = ("kkrdesk: mangler systembiblioteket libxcb-cursor0 – installér det: "
                      "sudo apt install libxcb-cursor0 (Qt needs libxcb-cursor0 on X11)")


def missing_library() -> str | None:
    """The one-line message when the window cannot start on this desktop, else None."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None                        # offscreen, wayland … do not need it
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None                        # Qt picks wayland first there
    if ctypes.util.find_library("xcb-cursor") is None:
        return MISSING_XCB_CURSOR
    return None


def main() -> int:
    message = missing_library()
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
