"""A member's pack passphrases in the operating system's keyring ("Husk på denne computer", #18).

Service "kkrdesk", user = the pack's meeting key (from the sealed header), so a new version of the
same meeting finds the passphrase again. The keyring is a convenience: on a headless Linux without
a backend, or when the backend fails, nothing is remembered and nothing is said; it never blocks
opening a pack.
"""

from __future__ import annotations

SERVICE = "kkrdesk"


def stored_passphrase(meeting_key: str) -> str | None:
    """The remembered passphrase for a meeting's packs, or None (also when the keyring fails)."""
    if not meeting_key:
        return None
    try:
        import keyring

        return keyring.get_password(SERVICE, meeting_key)
    except Exception:  # noqa: BLE001 - any backend error (no backend, D-Bus, locked) means "not remembered"
        return None


def store_passphrase(meeting_key: str, passphrase: str) -> bool:
    """Remember a passphrase; False (silently) when the keyring cannot keep it."""
    if not meeting_key:
        return False
    try:
        import keyring

        keyring.set_password(SERVICE, meeting_key, passphrase)
    except Exception:  # noqa: BLE001 - see stored_passphrase
        return False
    return True
