"""Where things live: bundled resources (source tree or frozen app) and per-user data.

Kept in one place so that a frozen PyInstaller build and a source checkout resolve
resources the same way, and user data is only ever written under platformdirs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from kkrdesk import APP_NAME


def resources_dir() -> Path:
    """The `resources/` folder: next to the package in a checkout, inside _MEIPASS when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def corpus_dir() -> Path:
    return resources_dir() / "corpus"


def user_data_dir() -> Path:
    """Per-user data folder; KKRDESK_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("KKRDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_store_path() -> Path:
    return user_data_dir() / "kkrdesk.sqlite"


def notes_store_path() -> Path:
    return user_data_dir() / "notes.sqlite"


def user_log_dir() -> Path:
    """Per-user log folder (a windowed build has no console to print to); follows KKRDESK_DATA_DIR."""
    override = os.environ.get("KKRDESK_DATA_DIR")
    path = Path(override) / "logs" if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_cache_dir() -> Path:
    """Per-user cache folder (rebuildable things, e.g. matplotlib's font cache); follows KKRDESK_DATA_DIR."""
    override = os.environ.get("KKRDESK_DATA_DIR")
    path = Path(override) / "cache" if override else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def app_icon_path(size: int = 256) -> Path:
    """The app icon PNG (16, 32, 64, 128 or 256 px), e.g. for QApplication.setWindowIcon."""
    return resources_dir() / "icons" / f"kkrdesk-{size}.png"
