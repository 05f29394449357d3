"""The secretariat's signing key and the member's trusted senders (#18).

The secretariat's Ed25519 key is made on its first export and kept in its user data folder
(`udgiverens-noegle.pem`, readable by the user only); `export_key` writes a backup. A member's app
trusts the first key it sees for a body (trust on first use, showing the fingerprint) and refuses
a pack of that body signed by another key until the member accepts the new key.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from kkrdesk.data.sealed import SealError
from kkrdesk.paths import user_data_dir

KEY_NAME = "udgiverens-noegle.pem"
TRUST_NAME = "betroede-udgivere.json"


class UntrustedSigner(SealError):
    """A pack signed by another key than the one trusted for its body."""

    def __init__(self, body: str, fingerprint_text: str):
        self.body = body
        self.fingerprint = fingerprint_text
        super().__init__(f"pakken er underskrevet med en anden nøgle end den, du stoler på for {body} "
                         f"(fingeraftryk {fingerprint_text})")


def fingerprint(public_key: bytes) -> str:
    """Eight groups of four hex digits of the key's SHA-256: what a member compares by phone."""
    digest = hashlib.sha256(public_key).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def _write_private(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()


def key_path() -> Path:
    return user_data_dir() / KEY_NAME


def secretariat_key() -> Ed25519PrivateKey:
    """The secretariat's signing key, made on first use."""
    path = key_path()
    if path.exists():
        try:
            key = load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise SealError(f"{path.name}: udgiverens nøgle kan ikke læses ({exc})") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SealError(f"{path.name}: er ikke en Ed25519-nøgle")
        return key
    key = Ed25519PrivateKey.generate()
    _write_private(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return key


def export_key(target: Path | str) -> Path:
    """A backup of the signing key (the same PEM), for a new secretariat computer."""
    target = Path(target)
    _write_private(target, secretariat_key().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return target


def import_key(source: Path | str) -> None:
    """Use a backed-up key on this computer (replaces the current one)."""
    data = Path(source).read_bytes()
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise SealError(f"{Path(source).name}: ikke en gyldig nøgle ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SealError(f"{Path(source).name}: er ikke en Ed25519-nøgle")
    _write_private(key_path(), data)


def _trust_path() -> Path:
    return user_data_dir() / TRUST_NAME


def trusted_keys() -> dict[str, str]:
    """Body → trusted public key (hex)."""
    path = _trust_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def trust(body: str, public_key: bytes) -> None:
    keys = trusted_keys()
    keys[body] = public_key.hex()
    _write_private(_trust_path(), json.dumps(keys, ensure_ascii=False, indent=1).encode())


def check_signer(body: str, public_key: bytes, *, accept_new: bool = False, record: bool = True) -> str | None:
    """Trust on first use. Returns the fingerprint when the key is (to be) trusted now, else None.

    UntrustedSigner when the body is known with another key and the member has not accepted it.
    With record=False nothing is written: the caller trusts the key only once the pack has opened
    (a pack that then fails on its passphrase must not have made its sender trusted).
    """
    known = trusted_keys().get(body)
    if known == public_key.hex():
        return None
    if known is not None and not accept_new:
        raise UntrustedSigner(body, fingerprint(public_key))
    if record:
        trust(body, public_key)
    return fingerprint(public_key)
