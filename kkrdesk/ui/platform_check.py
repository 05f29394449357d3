"""Before Qt starts: say in one line what a fresh Linux desktop is missing, instead of Qt's abort message.

Qt ≥ 6.5's xcb platform plugin needs the system library libxcb-cursor0; without
it Qt prints a screenful about "could not load the Qt platform plugin" and
aborts the process, which Python cannot catch.
"""

from __future__ import annotations

import os
import sys

# (library name for find_library, Debian/Ubuntu package) that Qt's xcb plugin loads; Qt's own
# message names only xcb-cursor0 even when another of them is the one missing.
XCB_LIBRARIES = [
    ("xcb-cursor", "libxcb-cursor0"),
    ("xcb-icccm", "libxcb-icccm4"),
    ("xcb-keysyms", "libxcb-keysyms1"),
    ("xcb-image", "libxcb-image0"),
    ("xcb-render-util", "libxcb-render-util0"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
]


def missing_message(packages: list[str]) -> str:
    names = " ".join(packages)
    return (f"kkrdesk: vinduet mangler systembiblioteker til X11 – installér dem: sudo apt install {names} "
            f"(Qt needs {names} on X11)")


MISSING_XCB_CURSOR = missing_message(["libxcb-cursor0"])


def missing_library() -> str | None:
    """The one-line message when the window cannot start on this desktop, else None."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None                        # offscreen, wayland … do not need it
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None                        # Qt picks wayland first there
    import ctypes.util  # only where the check runs: 10 ms of the start elsewhere

    missing = [package for library, package in XCB_LIBRARIES if ctypes.util.find_library(library) is None]
    return missing_message(missing) if missing else None


def main() -> int:
    message = missing_library()
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
