"""The sealed pack container (#18): encryption at rest, signature, expiry, hostile bytes."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kkrdesk.data import sealed, signing

CANARY = b"KANARIE-LUKKET-7731"


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


def _sealed(key, passphrase="hemmelig sætning", expires=None):
    header = {"body": "KKR Nordjylland", "meeting_key": "m1", "version": 1, "expires": expires}
    return sealed.seal(b"SQLite format 3\x00" + CANARY * 50, b"SQLite format 3\x00open",
                       header=header, signing_key=key, passphrase=passphrase)


def test_encrypted_payload_hides_the_closed_canary_and_opens_with_the_passphrase(key):
    data = _sealed(key)
    assert CANARY not in data
    pack = sealed.parse(data)
    assert pack.encrypted
    assert CANARY in sealed.open_payload(pack, "hemmelig sætning")


def test_without_or_with_a_wrong_passphrase_the_pack_is_refused_in_danish(key):
    pack = sealed.parse(_sealed(key))
    with pytest.raises(sealed.PassphraseNeeded, match="pakken er krypteret – angiv adgangskoden"):
        sealed.open_payload(pack, None)
    with pytest.raises(sealed.WrongPassphrase, match="forkert adgangskode"):
        sealed.open_payload(pack, "forkert")


@pytest.mark.parametrize("where", [len(sealed.MAGIC) + 10, -200, -1])
def test_a_flipped_byte_anywhere_is_refused_as_tampered_or_damaged(key, where):
    data = bytearray(_sealed(key))
    data[where] ^= 0x01
    with pytest.raises(sealed.SealError) as info:
        sealed.open_payload(sealed.parse(bytes(data)), "hemmelig sætning")
    assert str(info.value) in (sealed.TAMPERED, sealed.DAMAGED)


def test_a_pack_resigned_by_another_key_is_caught_by_the_trust_check(key):
    other = Ed25519PrivateKey.generate()
    first = sealed.parse(_sealed(key))
    assert signing.check_signer(first.body, first.signer) is not None       # trusted on first use
    assert signing.check_signer(first.body, first.signer) is None           # known: nothing to show
    forged = sealed.parse(_sealed(other))
    sealed.verify(forged)                                                   # valid, but by another key
    with pytest.raises(signing.UntrustedSigner, match="anden nøgle"):
        signing.check_signer(forged.body, forged.signer)
    assert signing.check_signer(forged.body, forged.signer, accept_new=True)
    assert signing.check_signer(forged.body, forged.signer) is None


def test_expiry_is_a_date_in_the_header_and_the_fallback_holds_no_closed_bytes(key):
    pack = sealed.parse(_sealed(key, expires="2026-12-04"))
    assert pack.expired(dt.date(2026, 12, 5)) and not pack.expired(dt.date(2026, 12, 4))
    assert CANARY not in sealed.open_fallback(pack)


def test_truncated_and_garbage_containers_give_one_reason(key):
    data = _sealed(key)
    for bad in (data[:20], data[:-70], sealed.MAGIC + b"\xff" * 40, sealed.MAGIC + b"\x00\x00\x00\x02{}"):
        with pytest.raises(sealed.SealError):
            sealed.open_payload(sealed.parse(bad), "x")


def test_an_open_pack_is_signed_but_not_encrypted(key):
    pack = sealed.parse(_sealed(key, passphrase=None))
    assert not pack.encrypted
    assert CANARY in sealed.open_payload(pack, None)


def test_the_signing_key_is_made_once_and_backed_up(tmp_path):
    first = signing.secretariat_key()
    again = signing.secretariat_key()
    assert sealed.public_key_bytes(first) == sealed.public_key_bytes(again)
    assert (signing.key_path().stat().st_mode & 0o777) == 0o600
    backup = signing.export_key(tmp_path / "backup.pem")
    signing.key_path().unlink()
    signing.import_key(backup)
    assert sealed.public_key_bytes(signing.secretariat_key()) == sealed.public_key_bytes(first)
