"""What an eddsa-jcs-2022 check skips or does faster reads the same as the full way: the
proof value's base58 (against the base58 library), the display facts a check reads
(against the whole display model), and the display built only when read."""

from __future__ import annotations

import json
from pathlib import Path

import base58
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vault.credentials.openbadges import display_for, facts_for
from vault.credentials.suites.base import b58decode, multibase_bytes
from vault.credentials.verdict import CredentialFailure, Reason, WarningCode
from vault.credentials.verify import check

FIXTURES = Path(__file__).parents[1] / "fixtures"
JCS = FIXTURES / "interop" / "di-eddsa-jcs-2022" / "valid-01-open-badge.json"


def _outcome(fn, text):
    try:
        return fn(text)
    except Exception as exc:
        return type(exc)


@settings(max_examples=800, deadline=None)
@given(st.binary(max_size=80), st.integers(0, 4))
def test_b58decode_reads_what_the_library_encodes(raw, zeros):
    raw = b"\0" * zeros + raw
    text = base58.b58encode(raw).decode()
    assert b58decode(text) == base58.b58decode(text) == raw


@settings(max_examples=800, deadline=None)
@given(st.text(st.sampled_from("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl+/ \n\té"),
               max_size=100))
def test_b58decode_answers_any_text_as_the_library_does(text):
    """Invalid characters (0 O I l, +, é), whitespace and leading "1"s: the same bytes or the
    same error type."""
    assert _outcome(b58decode, text) == _outcome(base58.b58decode, text)


@pytest.mark.parametrize("value", ["z" + "0" * 86, "z" + "1" * 88, "z" + base58.b58encode(b"\0" * 63).decode(),
                                   "z" + base58.b58encode(b"\x01" * 65).decode(), "z", "zé", "z" + "2" * 300])
def test_a_crafted_proof_value_is_a_damaged_signature(value):
    """Characters outside the alphabet, a value of zero bytes, 63 or 65 bytes, a huge one:
    each is BAD_SIGNATURE before any other work, as with the library's decoder."""
    with pytest.raises(CredentialFailure) as refused:
        multibase_bytes(value, (64,), "damaged")
    assert refused.value.reason is Reason.BAD_SIGNATURE


def _credentials() -> list[dict]:
    found = []
    for path in sorted(FIXTURES.rglob("*.json")):
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        found += [value] if isinstance(value, dict) else []
        found += [c for c in (value.get("verifiableCredential") or []) if isinstance(c, dict)] \
            if isinstance(value, dict) and isinstance(value.get("verifiableCredential"), list) else []
    return found + [   # the shapes display_for reads otherwise: JWT payloads, SD-JWT claims, odd issuers
        {"vc": {"type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:s"}},
         "iss": "did:example:i", "sub": "did:example:s", "nbf": 1700000000, "exp": 1800000000},
        {"iss": "did:example:i", "vct": "https://example.com/Badge", "issuer_name": "Spoof U", "iat": 1700000000},
        {"iss": "did:example:i", "issuer": {"id": "did:example:j", "name": "Other"}, "sub": "x"},
        {"type": "VerifiableCredential", "issuer": {"name": ["not", "text"]}, "issuer_name": "Fallback",
         "credentialSubject": [{"id": "did:example:first"}, {"id": "did:example:second"}],
         "issuanceDate": "2020-01-01T00:00:00Z", "expirationDate": "not a date"},
        {"issuer": 7, "credentialSubject": "x", "validFrom": 12}, {},
    ]


def test_facts_are_what_the_display_model_says():
    credentials = _credentials()
    assert len(credentials) > 100
    for credential in credentials:
        display, facts = display_for(credential), facts_for(credential)
        assert (facts.issuer_id, facts.issuer_name, facts.subject_id, facts.types, facts.valid_from,
                facts.valid_until) == (display.issuer_id, display.issuer_name, display.subject_id, display.types,
                                       display.valid_from, display.valid_until), credential


def test_a_check_builds_the_display_when_it_is_read():
    checked = check(JCS.read_bytes())
    assert checked.verdict.valid and checked._display is None
    assert checked.display == display_for(checked.credential)
    assert checked.display is checked.display            # built once
    assert checked.issuer_name == checked.display.issuer_name


def test_a_spoofed_issuer_name_is_still_said_to_be_the_credentials_own_word():
    """The unknown-issuer warning reads the declared name from the facts: a name that
    pretends to be a well-known issuer is shown beside the DID that signed."""
    checked = check(JCS.read_bytes())
    warning = next(w for w in checked.verdict.warnings if w.code is WarningCode.UNKNOWN_ISSUER)
    assert checked.issuer in warning.message
    name = checked.issuer_name
    assert name and f"{name} ({checked.issuer})" in warning.message


# ---- Ed25519 by libsodium -----------------------------------------------------------------

IDENTITY = bytes([1]) + bytes(31)            # the identity point: a public key of small order
FORGED = bytes([1]) + bytes(31) + bytes(32)  # R = identity, S = 0


def _forged(fixture: Path) -> bytes:
    """The fixture credential with other content, "signed" by the identity point's did:key."""
    from vault.credentials.suites.base import multibase_encode
    from vault.did import did_key

    did = did_key.from_ed25519(IDENTITY)
    document = json.loads(fixture.read_text(encoding="utf-8"))
    document["issuer"] = {"id": did, "type": ["Profile"], "name": "Forged University"}
    document["credentialSubject"]["achievement"]["name"] = "Anything the forger likes"
    document["proof"]["verificationMethod"] = f"{did}#{did.split(':')[-1]}"
    document["proof"]["proofValue"] = multibase_encode(FORGED)
    return json.dumps(document).encode()


def _forged_jwt() -> bytes:
    """A VC-JWT with any claims, "signed" (R = identity, S = 0) by the identity point's did:key."""
    import base64

    from vault.did import did_key

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    did = did_key.from_ed25519(IDENTITY)
    header = {"alg": "EdDSA", "typ": "JWT", "kid": f"{did}#{did.split(':')[-1]}"}
    payload = {"iss": did, "sub": "did:example:holder", "nbf": 1700000000, "jti": "urn:uuid:1",
               "vc": {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
                      "issuanceDate": "2023-11-14T22:13:20Z",
                      "credentialSubject": {"id": "did:example:holder", "degree": "Anything"}}}
    return ".".join((b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()), b64(FORGED))).encode()


@pytest.mark.parametrize("forged", [lambda: _forged(JCS), _forged_jwt], ids=["eddsa-jcs-2022", "vc-jwt"])
def test_a_key_of_small_order_is_no_issuers_key(forged):
    """Before, both were "genuine and current": the key is refused where it is read
    (multikey, JWK, publicKeyBase58), so no format verifies anything under it."""
    verdict = check(forged()).verdict
    assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY


def test_small_order_keys_are_refused_as_jwk_and_as_multikey():
    import base64

    from vault.credentials.keys import public_key_from_jwk, public_key_from_method
    from vault.did import multikey

    for raw in (IDENTITY, bytes([0xEC]) + bytes([0xFF]) * 30 + bytes([0x7F])):   # identity; (0, -1): order 2
        with pytest.raises(CredentialFailure) as refused:
            public_key_from_jwk({"kty": "OKP", "crv": "Ed25519",
                                 "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()})
        assert refused.value.reason is Reason.UNKNOWN_KEY
        with pytest.raises(ValueError):
            multikey.ed25519_public_key(raw)
        with pytest.raises(ValueError):   # publicKeyBase58 (Ed25519VerificationKey2018)
            public_key_from_method({"type": "Ed25519VerificationKey2018", "publicKeyBase58": base58.b58encode(raw)})


def test_a_small_order_key_signs_nothing():
    """OpenSSL accepts R = identity, S = 0 under the identity point for any message; the
    Data Integrity suites verify with libsodium, which refuses keys of small order."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(IDENTITY).verify(FORGED, b"any document at all")
        openssl_accepts = True
    except InvalidSignature:
        openssl_accepts = False
    assert openssl_accepts   # the attack is real where OpenSSL decides
    from vault.credentials.suites.eddsa_2022 import verify_ed25519   # both eddsa-* and Ed25519Signature2020
    assert not verify_ed25519(Ed25519PublicKey.from_public_bytes(IDENTITY), FORGED, b"any document at all")


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=200), st.integers(0, 63), st.integers(0, 7))
def test_libsodium_and_openssl_agree_on_genuine_and_tampered_signatures(message, position, bit):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from vault.credentials.suites.eddsa_2022 import verify_ed25519

    key = Ed25519PrivateKey.generate()
    signature = key.sign(message)
    assert verify_ed25519(key.public_key(), signature, message)
    damaged = bytearray(signature)
    damaged[position] ^= 1 << bit
    assert not verify_ed25519(key.public_key(), bytes(damaged), message)
    assert not verify_ed25519(key.public_key(), signature, message + b"!")
    assert not verify_ed25519(Ed25519PrivateKey.generate().public_key(), signature, message)
