"""File the bundled 2025 material as agenda items of the KKR meetings it belongs to (#10).

Placeholder until the themes work lands: nothing to file yet.
"""

from __future__ import annotations

from kkrdesk.data.store import Store


def file_bundle_meetings(store: Store) -> None:
    return None
