"""vault.credentials.jose: strict compact JWS, EdDSA / ES256 / ES256K only."""

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault.credentials import jose
from vault.credentials.keys import public_key_from_jwk
from vault.credentials.verdict import CredentialFailure, Reason

JWT_DIR = Path(__file__).parent.parent / "fixtures" / "credentials" / "jwt"
MANIFEST = json.loads((JWT_DIR / "manifest.json").read_text())
KEYS = {k["label"]: k for k in MANIFEST["keys"]}


def b64(data) -> str:
    if not isinstance(data, bytes):
        data = json.dumps(data).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def private_key(label: str):
    """A fixture key from its seed, as the manifest's key_derivation says."""
    key = KEYS[label]
    seed = bytes.fromhex(key["seed_hex"])
    if key["key_type"] == "Ed25519":
        return Ed25519PrivateKey.from_private_bytes(seed)
    curve = {"secp256k1": ec.SECP256K1(), "P-256": ec.SECP256R1()}[key["key_type"]]
    return ec.derive_private_key(int.from_bytes(seed, "big"), curve)


def fixture(name: str) -> str:
    return (JWT_DIR / "interop" / name).read_text()


def fails(reason: Reason, fn, *args, **kwargs) -> CredentialFailure:
    with pytest.raises(CredentialFailure) as info:
        fn(*args, **kwargs)
    assert info.value.reason == reason, info.value.message
    assert info.value.message
    return info.value


ALL_KEYS = {"EdDSA": "issuer-ed25519", "ES256": "issuer-p256", "ES256K": "issuer-secp256k1"}


def test_fixture_keys_derive_to_the_manifest_public_keys():
    for label in ALL_KEYS.values():
        assert jose.public_jwk(private_key(label)) == KEYS[label]["public_key_jwk"]


@pytest.mark.parametrize("alg", list(ALL_KEYS))
def test_round_trip(alg):
    key = private_key(ALL_KEYS[alg])
    token = jose.sign({"iss": "me", "name": "Zoë"}, key, header={"typ": "JWT", "kid": "k1"})
    jws = jose.verify(token, key.public_key())
    assert jws.header == {"alg": alg, "typ": "JWT", "kid": "k1"}
    assert jws.payload == {"iss": "me", "name": "Zoë"}
    assert jws.alg == alg and jws.kid == "k1" and jws.typ == "JWT"
    assert len(jws.signature) == 64
    # also verifies against the manifest's published JWK
    jose.verify(token, public_key_from_jwk(KEYS[ALL_KEYS[alg]]["public_key_jwk"]))


@pytest.mark.parametrize("alg", ["ES256", "ES256K"])
def test_ecdsa_signatures_are_raw_r_s(alg):
    key = private_key(ALL_KEYS[alg])
    token = jose.sign({"a": 1}, key)
    jws = jose.parse(token)
    r, s = int.from_bytes(jws.signature[:32], "big"), int.from_bytes(jws.signature[32:], "big")
    key.public_key().verify(encode_dss_signature(r, s), jws.signing_input, ec.ECDSA(hashes.SHA256()))


@pytest.mark.parametrize("name,label", [("valid-01-eddsa.jwt", "issuer-ed25519"),
                                        ("valid-02-es256k.jwt", "issuer-secp256k1")])
def test_interop_tokens_verify(name, label):
    jws = jose.verify(fixture(name), private_key(label).public_key())
    assert jws.typ == "JWT" and jws.kid == KEYS[label]["verification_method"]


def test_interop_tampered_token_is_bad_signature():
    fails(Reason.BAD_SIGNATURE, jose.verify, fixture("invalid-01-tampered-achievement-name.jwt"),
          private_key("issuer-ed25519").public_key())


def _parts(token):
    return token.split(".")


@pytest.mark.parametrize("part", [0, 1, 2])
def test_any_changed_part_is_bad_signature(part):
    key = private_key("issuer-ed25519")
    token = jose.sign({"vc": {"name": "x"}}, key, header={"typ": "JWT"})
    parts = _parts(token)
    if part == 0:
        parts[0] = b64({"alg": "EdDSA", "typ": "JWT", "kid": "other"})
    elif part == 1:
        parts[1] = b64({"vc": {"name": "y"}})
    else:
        sig = bytearray(base64.urlsafe_b64decode(parts[2] + "=="))
        sig[5] ^= 1
        parts[2] = b64(bytes(sig))
    fails(Reason.BAD_SIGNATURE, jose.verify, ".".join(parts), key.public_key())


def test_signature_by_another_key_is_bad_signature():
    token = jose.sign({"a": 1}, Ed25519PrivateKey.generate())
    fails(Reason.BAD_SIGNATURE, jose.verify, token, private_key("issuer-ed25519").public_key())


@pytest.mark.parametrize("alg", ["none", "None", "HS256", "RS256", "PS256", "ES384", "Ed25519", "ES256k", ""])
def test_other_algorithms_are_unsupported(alg):
    token = f"{b64({'alg': alg, 'typ': 'JWT'})}.{b64({'a': 1})}."
    failure = fails(Reason.UNSUPPORTED_CRYPTOSUITE, jose.verify, token, private_key("issuer-ed25519").public_key())
    if alg == "none":
        assert "unsigned" in failure.message


def test_alg_none_with_a_real_signature_is_still_refused():
    key = private_key("issuer-ed25519")
    token = jose.sign({"a": 1}, key)
    parts = _parts(token)
    parts[0] = b64({"alg": "none"})
    fails(Reason.UNSUPPORTED_CRYPTOSUITE, jose.verify, ".".join(parts), key.public_key())


def test_key_of_another_type_than_alg_is_wrong_key():
    ed = private_key("issuer-ed25519")
    token = jose.sign({"a": 1}, ed)
    fails(Reason.WRONG_KEY, jose.verify, token, private_key("issuer-p256").public_key())
    es256 = jose.sign({"a": 1}, private_key("issuer-p256"))
    fails(Reason.WRONG_KEY, jose.verify, es256, private_key("issuer-secp256k1").public_key())
    fails(Reason.WRONG_KEY, jose.verify, es256, ec.generate_private_key(ec.SECP384R1()).public_key())


@pytest.mark.parametrize("alg", ["ES256", "ES256K"])
def test_ecdsa_signature_must_be_64_bytes(alg):
    key = private_key(ALL_KEYS[alg])
    token = jose.sign({"a": 1}, key)
    head, body, sig = _parts(token)
    raw = base64.urlsafe_b64decode(sig + "==")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    for bad in (raw[:63], raw + b"\0", b"\0" + raw, der):
        fails(Reason.BAD_SIGNATURE, jose.verify, f"{head}.{body}.{b64(bad)}", key.public_key())
    assert decode_dss_signature(der)  # (the DER form is a real signature, just the wrong encoding)


def ed25519_token(header: dict, payload: dict, key) -> str:
    """Signed by hand, for headers jwcrypto itself will not sign."""
    signing_input = f"{b64(header)}.{b64(payload)}"
    return f"{signing_input}.{b64(key.sign(signing_input.encode()))}"


def test_crit_and_b64_extensions_are_refused():
    key = private_key("issuer-ed25519")
    assert jose.verify(ed25519_token({"alg": "EdDSA"}, {"a": 1}, key), key.public_key())
    for extra in ({"crit": ["exp"], "exp": 1}, {"b64": False, "crit": ["b64"]}, {"b64": False}):
        token = ed25519_token({"alg": "EdDSA", **extra}, {"a": 1}, key)
        fails(Reason.UNSUPPORTED_CRYPTOSUITE, jose.verify, token, key.public_key())


GOOD_HEADER = b64({"alg": "EdDSA"})
GOOD_PAYLOAD = b64({"a": 1})
GOOD_SIG = b64(b"\1" * 64)
DUPLICATE = b64(b'{"alg":"EdDSA","alg":"none"}')
NAN = b64(b'{"a":NaN}')


@pytest.mark.parametrize("token", [
    "", ".", "..", "a.b", "a.b.c.d", f"{GOOD_HEADER}.{GOOD_PAYLOAD}",
    f"{GOOD_HEADER}.{GOOD_PAYLOAD}.{GOOD_SIG}.{GOOD_SIG}",
    f"{GOOD_HEADER}=.{GOOD_PAYLOAD}.{GOOD_SIG}",             # padding
    f"{GOOD_HEADER}.{GOOD_PAYLOAD}.{GOOD_SIG}==",
    f"{GOOD_HEADER}.{GOOD_PAYLOAD}+.{GOOD_SIG}",             # not base64url
    f"{GOOD_HEADER}.{GOOD_PAYLOAD}.{GOOD_SIG[:-1]}B",        # non-canonical last character
    f"{GOOD_HEADER}.{GOOD_PAYLOAD}.A",                       # impossible length
    f"{b64(b'not json')}.{GOOD_PAYLOAD}.{GOOD_SIG}",
    f"{b64([1, 2])}.{GOOD_PAYLOAD}.{GOOD_SIG}",                # header not an object
    f"{b64({'typ': 'JWT'})}.{GOOD_PAYLOAD}.{GOOD_SIG}",         # no alg
    f"{b64({'alg': 5})}.{GOOD_PAYLOAD}.{GOOD_SIG}",
    f"{GOOD_HEADER}.{b64('a string')}.{GOOD_SIG}",              # payload not an object
    f"{GOOD_HEADER}..{GOOD_SIG}",
    f"{DUPLICATE}.{GOOD_PAYLOAD}.{GOOD_SIG}",                  # duplicate member
    f"{GOOD_HEADER}.{NAN}.{GOOD_SIG}",
    f"{GOOD_HEADER}.{b64(bytes([0xff, 0xfe]))}.{GOOD_SIG}",      # not UTF-8
    f" {GOOD_HEADER}.{GOOD_PAYLOAD}.{GOOD_SIG}",
    '{"payload":"e30","protected":"e30","signature":""}',     # JSON serialization
    f"{GOOD_HEADER}.{b64(b'[' * 100000 + b']' * 100000)}.{GOOD_SIG}",  # nesting
])
def test_malformed_tokens(token):
    fails(Reason.MALFORMED, jose.verify, token, private_key("issuer-ed25519").public_key())


@pytest.mark.parametrize("value", [None, 5, b"a.b.c", ["a", "b", "c"]])
def test_non_text_is_malformed(value):
    fails(Reason.MALFORMED, jose.parse, value)


def test_numeric_date():
    assert jose.numeric_date({"exp": 0}, "exp").isoformat() == "1970-01-01T00:00:00+00:00"
    assert jose.numeric_date({}, "exp") is None
    for bad in ("1", True, 1e300, [1]):
        fails(Reason.MALFORMED, jose.numeric_date, {"exp": bad}, "exp")


def test_sign_refuses_unsupported_keys_and_alg_override():
    with pytest.raises(CredentialFailure):
        jose.sign({"a": 1}, ec.generate_private_key(ec.SECP384R1()))
    with pytest.raises(ValueError):
        jose.sign({"a": 1}, private_key("issuer-ed25519"), header={"alg": "ES256"})


_VALID = fixture("valid-01-eddsa.jwt")
_PUBLIC = private_key("issuer-ed25519").public_key()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("abcXYZ019-_.=+/~ {}\"é\0"), max_size=200))
def test_random_text_only_ever_fails_as_a_credential_failure(text):
    with pytest.raises(CredentialFailure):
        jose.verify(text, _PUBLIC)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(_VALID) - 1), st.integers(min_value=0, max_value=len(_VALID)))
def test_truncated_and_cut_tokens_fail_cleanly(start, end):
    token = _VALID[start:end]
    if token == _VALID:
        return
    with pytest.raises(CredentialFailure):
        jose.verify(token, _PUBLIC)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80), st.binary(max_size=80), st.binary(max_size=80))
def test_random_parts_fail_cleanly(header, payload, signature):
    with pytest.raises(CredentialFailure):
        jose.verify(f"{b64(header)}.{b64(payload)}.{b64(signature)}", _PUBLIC)
