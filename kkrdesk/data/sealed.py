"""Sealed packs (#18): a members' pack encrypted at rest, signed by the secretariat, with an expiry date.

A sealed `.kkrpack` is not an SQLite file but a small container:

    MAGIC · u32 header length · header (JSON) · u64 length · fallback · u64 length · payload · signature

- *payload*: the members' pack (SQLite bytes), zlib-compressed and, when the pack carries closed
  items, encrypted with AES-256-GCM under a key derived from the secretariat's passphrase with
  scrypt (its parameters and salt in the header, the header as associated data).
- *fallback*: the same pack with the closed items' content removed (the public pruning, closed
  titles "Lukket punkt (udløbet)"), plain. It is what a member still reads after the expiry date,
  when the payload has been dropped from the installed copy.
- *signature*: Ed25519 over everything before it, by the secretariat's key (`signing.py`).

Opening never writes decrypted bytes to disk: the SQLite image is deserialised into memory.
Everything here is pure bytes in, bytes out; the store and the window build on it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import struct
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MAGIC = b"KKRDESK-SEALED-PACK\x00v1\n"
FORMAT = 1
# scrypt with N = 2^15, r = 8: ~32 MiB and ~0.1 s, so opening a pack stays well under 0.3 s (bench)
# while guessing a passphrase offline costs an attacker the same per try.
KDF_N, KDF_R, KDF_P = 2 ** 15, 8, 1
SIGNATURE_SIZE = 64
MAX_SECTION = 1 << 31            # a section larger than 2 GiB is not a pack we wrote

ENCRYPTED = "pakken er krypteret – angiv adgangskoden"
WRONG_PASSPHRASE = "forkert adgangskode"
TAMPERED = "pakken er ændret efter udgivelse"
DAMAGED = "ikke en gyldig forseglet kkrdesk-pakke"


class SealError(Exception):
    """A sealed pack that cannot be opened; str() is the Danish reason (without the file name)."""


class PassphraseNeeded(SealError):
    def __init__(self) -> None:
        super().__init__(ENCRYPTED)


class WrongPassphrase(SealError):
    def __init__(self) -> None:
        super().__init__(WRONG_PASSPHRASE)


class Tampered(SealError):
    def __init__(self) -> None:
        super().__init__(TAMPERED)


@dataclass(frozen=True)
class SealedPack:
    header: dict
    header_bytes: bytes
    fallback: bytes
    payload: bytes
    signature: bytes
    signed: bytes                 # everything the signature covers

    @property
    def encrypted(self) -> bool:
        return bool(self.header.get("encrypted"))

    @property
    def signer(self) -> bytes:
        return base64.b64decode(self.header["signer"])

    @property
    def body(self) -> str:
        return str(self.header.get("body") or "")

    @property
    def expires(self) -> dt.date | None:
        value = self.header.get("expires")
        return dt.date.fromisoformat(value) if value else None

    def expired(self, today: dt.date | None = None) -> bool:
        return self.expires is not None and (today or dt.date.today()) > self.expires

    @property
    def has_payload(self) -> bool:
        return bool(self.payload)


def is_sealed(data_or_head: bytes) -> bool:
    return data_or_head.startswith(MAGIC)


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _frame(header: bytes, fallback: bytes, payload: bytes) -> bytes:
    return b"".join((MAGIC, struct.pack(">I", len(header)), header,
                     struct.pack(">Q", len(fallback)), fallback, struct.pack(">Q", len(payload)), payload))


def seal(pack_db: bytes, fallback_db: bytes, *, header: dict, signing_key: Ed25519PrivateKey,
         passphrase: str | None) -> bytes:
    """The sealed container for one members' pack; encrypted when a passphrase is given."""
    header = dict(header, format=FORMAT, encrypted=passphrase is not None,
                  signer=base64.b64encode(public_key_bytes(signing_key)).decode())
    compressed = zlib.compress(pack_db, 6)
    if passphrase is not None:
        if not passphrase:
            raise SealError("adgangskoden må ikke være tom")
        salt, nonce = os.urandom(16), os.urandom(12)
        header["kdf"] = {"name": "scrypt", "n": KDF_N, "r": KDF_R, "p": KDF_P,
                         "salt": base64.b64encode(salt).decode()}
        header["cipher"] = {"name": "AES-256-GCM", "nonce": base64.b64encode(nonce).decode()}
        header_bytes = json.dumps(header, ensure_ascii=False, sort_keys=True).encode()
        key = _derive(passphrase, salt, KDF_N, KDF_R, KDF_P)
        payload = AESGCM(key).encrypt(nonce, compressed, header_bytes)
    else:
        header_bytes = json.dumps(header, ensure_ascii=False, sort_keys=True).encode()
        payload = compressed
    body = _frame(header_bytes, zlib.compress(fallback_db, 6), payload)
    return body + signing_key.sign(body)


def _section(data: bytes, at: int, length_format: str) -> tuple[bytes, int]:
    """One length-prefixed section at `at`: (its bytes, where the next begins); SealError if cut short."""
    (length,) = struct.unpack_from(length_format, data, at)
    at += struct.calcsize(length_format)
    if length > MAX_SECTION or at + length > len(data):
        raise SealError(DAMAGED)
    return data[at:at + length], at + length


def parse(data: bytes) -> SealedPack:
    """Split a container into its parts; SealError on anything malformed (never an IndexError)."""
    if not is_sealed(data):
        raise SealError(DAMAGED)
    try:
        header_bytes, at = _section(data, len(MAGIC), ">I")
        fallback, at = _section(data, at, ">Q")
        payload, at = _section(data, at, ">Q")
        signature = data[at:]
        if len(signature) != SIGNATURE_SIZE:
            raise SealError(DAMAGED)
        header = json.loads(header_bytes.decode("utf-8"))
        if not isinstance(header, dict) or header.get("format") != FORMAT or "signer" not in header:
            raise SealError(DAMAGED)
        base64.b64decode(header["signer"], validate=True)
        if header.get("expires"):
            dt.date.fromisoformat(header["expires"])
    except SealError:
        raise
    except (struct.error, ValueError, TypeError, UnicodeDecodeError, KeyError):
        raise SealError(DAMAGED) from None
    return SealedPack(header, header_bytes, fallback, payload, signature, data[:at])


def verify(pack: SealedPack) -> None:
    """The signature over the whole container by the key the header names; Tampered if not."""
    try:
        Ed25519PublicKey.from_public_bytes(pack.signer).verify(pack.signature, pack.signed)
    except (InvalidSignature, ValueError):
        raise Tampered() from None


def open_payload(pack: SealedPack, passphrase: str | None) -> bytes:
    """The members' pack as SQLite bytes (in memory); PassphraseNeeded / WrongPassphrase / Tampered."""
    verify(pack)
    if not pack.has_payload:
        raise SealError("de lukkede punkter er fjernet (pakken er udløbet)")
    if pack.encrypted:
        if not passphrase:
            raise PassphraseNeeded()
        kdf, cipher = pack.header.get("kdf") or {}, pack.header.get("cipher") or {}
        try:
            salt = base64.b64decode(kdf["salt"])
            nonce = base64.b64decode(cipher["nonce"])
            n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        except (KeyError, ValueError, TypeError):
            raise SealError(DAMAGED) from None
        if kdf.get("name") != "scrypt" or n > 2 ** 20 or r > 32 or p > 16:
            raise SealError(DAMAGED)   # parameters that would make opening hang are not ours
        try:
            compressed = AESGCM(_derive(passphrase, salt, n, r, p)).decrypt(nonce, pack.payload, pack.header_bytes)
        except InvalidTag:
            raise WrongPassphrase() from None
    else:
        compressed = pack.payload
    try:
        return zlib.decompress(compressed)
    except zlib.error:
        raise SealError(DAMAGED) from None


def open_fallback(pack: SealedPack) -> bytes:
    """The pack without its closed content (what is left after expiry); verified first."""
    verify(pack)
    try:
        return zlib.decompress(pack.fallback)
    except zlib.error:
        raise SealError(DAMAGED) from None

