"""vault.credentials.jwt_vc: VC-JWT (VCDM 1.1 JWT encoding and VC-JOSE-COSE vc+jwt), JWT VPs."""

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from vault.credentials import jose
from vault.credentials.jwt_vc import (JwtCredential, JwtPresentation, sign_jwt_vc, sign_jwt_vp, verify_jwt_vc,
                                      verify_jwt_vp)
from vault.credentials.verdict import CredentialFailure, Reason
from vault.credentials.verify import VerificationContext, check
from vault.did import did_jwk, did_key, multikey

JWT_DIR = Path(__file__).parent.parent / "fixtures" / "credentials" / "jwt"
MANIFEST = json.loads((JWT_DIR / "manifest.json").read_text())
KEYS = {k["label"]: k for k in MANIFEST["keys"]}
UTC = timezone.utc
WINDOW_START = datetime.fromisoformat(MANIFEST["verification_time_window"]["not_before"])


def private_key(label: str):
    key = KEYS[label]
    seed = bytes.fromhex(key["seed_hex"])
    if key["key_type"] == "Ed25519":
        return Ed25519PrivateKey.from_private_bytes(seed)
    curve = {"secp256k1": ec.SECP256K1(), "P-256": ec.SECP256R1()}[key["key_type"]]
    return ec.derive_private_key(int.from_bytes(seed, "big"), curve)


ISSUER = KEYS["issuer-ed25519"]
HOLDER = KEYS["holder-ed25519"]
LABEL_OF_ALG = {"EdDSA": "issuer-ed25519", "ES256": "issuer-p256", "ES256K": "issuer-secp256k1"}


def b64(value) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def fails(reason, fn, *args, **kwargs) -> CredentialFailure:
    with pytest.raises(CredentialFailure) as info:
        fn(*args, **kwargs)
    assert info.value.reason == reason, info.value.message
    return info.value


def new_did_key():
    key = Ed25519PrivateKey.generate()
    did = did_key.from_ed25519(key.public_key().public_bytes_raw())
    return key, did, f"{did}#{did.split(':')[2]}"


def credential(**extra) -> dict:
    return {
        "@context": ["https://www.w3.org/2018/credentials/v1",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context.json"],
        "id": "urn:uuid:5d4c3b2a-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER["did"], "type": ["Profile"], "name": "Riverside Community College"},
        "issuanceDate": "2025-01-15T00:00:00Z",
        "expirationDate": "2099-01-01T00:00:00Z",
        "name": "Badge",
        "credentialSubject": {"id": HOLDER["did"], "type": ["AchievementSubject"],
                              "achievement": {"id": "urn:a", "type": ["Achievement"], "name": "Intro"}},
        **extra,
    }


# --- the interop fixtures (did-jwt-vc) --------------------------------------------------

JWT_ENTRIES = [f for f in MANIFEST["files"] if f["format"] == "jwt-vc"]


@pytest.mark.parametrize("entry", JWT_ENTRIES, ids=lambda e: e["file"])
def test_interop_fixture_gets_its_expected_verdict(entry):
    token = (JWT_DIR / entry["file"]).read_text()
    if entry["expected"] == "invalid":
        assert entry["reason"] == "tampered-claim"
        fails(Reason.BAD_SIGNATURE, verify_jwt_vc, token)
        return
    result = verify_jwt_vc(token)
    assert isinstance(result, JwtCredential)
    assert result.data_model == "1.1"
    assert result.issuer == entry["issuer_did"]
    assert result.subject == entry["holder_did"]
    assert result.header["alg"] == entry["alg"]
    assert result.key_id == next(k for k in MANIFEST["keys"] if k["did"] == entry["issuer_did"])["verification_method"]
    assert result.types == ("VerifiableCredential", "OpenBadgeCredential")
    assert result.token == token
    # the validity window is exposed, and the verdict holds over the manifest's window
    assert result.valid_from == datetime(2025, 1, 15, tzinfo=UTC) == datetime.fromtimestamp(result.payload["nbf"], UTC)
    assert result.valid_until is None
    assert result.issued_at == datetime.fromtimestamp(result.payload["iat"], UTC)
    assert result.valid_from <= WINDOW_START


def test_interop_fixture_is_decoded_as_the_vc_1_1_spec_says():
    result = verify_jwt_vc((JWT_DIR / "interop" / "valid-01-eddsa.jwt").read_text())
    payload, cred = result.payload, result.credential
    assert cred["issuer"] == payload["iss"]
    assert cred["credentialSubject"]["id"] == payload["sub"]
    assert cred["id"] == payload["jti"]
    assert cred["issuanceDate"] == "2025-01-15T00:00:00Z"
    assert "expirationDate" not in cred
    assert cred["credentialSubject"]["achievement"]["name"] == "Introduction to Programming (Python)"
    assert cred["@context"] == MANIFEST["files"][0]["contexts"]
    assert "id" not in payload["vc"]["credentialSubject"]  # the signed claims are left alone
    assert result.id == payload["jti"]


# --- round trips ------------------------------------------------------------------------

@pytest.mark.parametrize("alg", ["EdDSA", "ES256", "ES256K"])
def test_round_trip_vc_1_1(alg):
    label = LABEL_OF_ALG[alg]
    issuer = KEYS[label]
    original = credential(issuer={"id": issuer["did"], "name": "College"})
    token = sign_jwt_vc(original, private_key(label), kid=issuer["verification_method"],
                        issued_at=datetime(2025, 2, 1, tzinfo=UTC))
    header, payload = jose.parse(token).header, jose.parse(token).payload
    assert header == {"alg": alg, "typ": "JWT", "kid": issuer["verification_method"]}
    assert {"iss", "sub", "nbf", "exp", "iat", "jti", "vc"} <= payload.keys()
    assert "issuanceDate" not in payload["vc"] and "id" not in payload["vc"]["credentialSubject"]

    result = verify_jwt_vc(token)
    assert result.credential == original  # decoding restores what encoding lifted out
    assert result.issuer == issuer["did"] and result.subject == HOLDER["did"]
    assert result.valid_from == datetime(2025, 1, 15, tzinfo=UTC)
    assert result.valid_until == datetime(2099, 1, 1, tzinfo=UTC)
    assert result.issued_at == datetime(2025, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize("alg", ["EdDSA", "ES256", "ES256K"])
def test_round_trip_vc_jose_cose(alg):
    label = LABEL_OF_ALG[alg]
    issuer = KEYS[label]
    original = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer["did"],
        "validFrom": "2025-01-15T00:00:00Z",
        "validUntil": "2030-01-01T00:00:00.500Z",
        "credentialSubject": {"id": HOLDER["did"], "type": ["AchievementSubject"]},
    }
    token = sign_jwt_vc(original, private_key(label), kid=issuer["verification_method"], data_model="2.0")
    jws = jose.parse(token)
    assert jws.typ == "vc+jwt" and jws.payload == original and "iss" not in jws.payload
    result = verify_jwt_vc(token)
    assert result.data_model == "2.0" and result.credential == original
    assert result.issuer == issuer["did"] and result.subject == HOLDER["did"]
    assert result.valid_from == datetime(2025, 1, 15, tzinfo=UTC)
    assert result.valid_until == datetime(2030, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)


def test_vc_jose_cose_window_is_the_strictest_of_claims_and_credential():
    key, did, kid = new_did_key()
    cred = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": did, "validFrom": "2025-01-01T00:00:00Z", "validUntil": "2030-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:s"}, "iss": did,
            "nbf": int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()),
            "exp": int(datetime(2028, 1, 1, tzinfo=UTC).timestamp())}
    result = verify_jwt_vc(jose.sign(cred, key, header={"typ": "vc+jwt", "kid": kid}))
    assert result.valid_from == datetime(2026, 1, 1, tzinfo=UTC)
    assert result.valid_until == datetime(2028, 1, 1, tzinfo=UTC)


def test_did_jwk_issuer():
    key = ec.generate_private_key(ec.SECP256R1())
    did = did_jwk.from_jwk(jose.public_jwk(key))
    result = verify_jwt_vc(sign_jwt_vc(credential(issuer=did), key, kid=f"{did}#0"))
    assert result.issuer == did and result.key_id == f"{did}#0"


def test_without_kid_the_key_is_resolved_from_iss():
    key = private_key("issuer-ed25519")
    payload = jose.parse((JWT_DIR / "interop" / "valid-01-eddsa.jwt").read_text()).payload
    result = verify_jwt_vc(jose.sign(payload, key, header={"typ": "JWT"}))
    assert result.key_id == ISSUER["verification_method"]
    relative = "#" + ISSUER["public_key_multibase"]
    assert verify_jwt_vc(jose.sign(payload, key, header={"kid": relative})).key_id == ISSUER["verification_method"]


def test_time_is_not_judged_here():
    key, did, kid = new_did_key()
    expired = credential(issuer=did, issuanceDate="2019-01-01T00:00:00Z", expirationDate="2020-01-01T00:00:00Z")
    result = verify_jwt_vc(sign_jwt_vc(expired, key, kid=kid))
    assert result.valid_until == datetime(2020, 1, 1, tzinfo=UTC)
    future = credential(issuer=did, issuanceDate="2099-01-01T00:00:00Z")
    assert verify_jwt_vc(sign_jwt_vc(future, key, kid=kid)).valid_from == datetime(2099, 1, 1, tzinfo=UTC)


def test_documents_lookup_resolves_other_dids():
    key = Ed25519PrivateKey.generate()
    did = "did:web:college.example"
    document = {"id": did, "verificationMethod": [{"id": f"{did}#k1", "type": "Multikey", "controller": did,
                                                    "publicKeyMultibase": multikey.encode(
                                                        "ed25519-pub", key.public_key().public_bytes_raw())}],
                "assertionMethod": [f"{did}#k1"]}
    token = sign_jwt_vc(credential(issuer=did), key, kid=f"{did}#k1")
    fails(Reason.UNKNOWN_KEY, verify_jwt_vc, token)
    assert verify_jwt_vc(token, documents={did: document}.get).issuer == did
    document["assertionMethod"] = []  # the key exists but may not issue credentials
    fails(Reason.WRONG_KEY, verify_jwt_vc, token, documents={did: document}.get)


# --- failures ---------------------------------------------------------------------------

def _swap(token: str, header=None, payload=None) -> str:
    head, body, sig = token.split(".")
    if header is not None:
        head = b64(header)
    if payload is not None:
        body = b64(payload)
    return f"{head}.{body}.{sig}"


VALID = (JWT_DIR / "interop" / "valid-01-eddsa.jwt").read_text()


def test_tampering_each_part():
    jws = jose.parse(VALID)
    fails(Reason.BAD_SIGNATURE, verify_jwt_vc, _swap(VALID, header={**jws.header, "typ": "vc"}))
    changed = json.loads(json.dumps(jws.payload))
    changed["vc"]["name"] = "Advanced"
    fails(Reason.BAD_SIGNATURE, verify_jwt_vc, _swap(VALID, payload=changed))
    fails(Reason.BAD_SIGNATURE, verify_jwt_vc, _swap(VALID, payload={**jws.payload, "exp": 4102444800}))
    head, body, sig = VALID.split(".")
    fails(Reason.BAD_SIGNATURE, verify_jwt_vc, f"{head}.{body}.{sig[:10]}{'A' if sig[10] != 'A' else 'B'}{sig[11:]}")


def test_alg_none_is_unsupported():
    payload = jose.parse(VALID).payload
    fails(Reason.UNSUPPORTED_CRYPTOSUITE, verify_jwt_vc, f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload)}.")
    fails(Reason.UNSUPPORTED_CRYPTOSUITE, verify_jwt_vc, _swap(VALID, header={"alg": "HS256", "kid": ISSUER["verification_method"]}))


def test_kid_of_another_did_is_wrong_key():
    # Signed by the issuer, but the header names the holder's key: the key is not the issuer's.
    payload = jose.parse(VALID).payload
    token = jose.sign(payload, private_key("holder-ed25519"), header={"kid": HOLDER["verification_method"]})
    fails(Reason.WRONG_KEY, verify_jwt_vc, token)
    # The tamperer swaps the kid of a genuine token to another DID's key.
    fails(Reason.WRONG_KEY, verify_jwt_vc, _swap(VALID, header={"alg": "EdDSA", "typ": "JWT",
                                                              "kid": HOLDER["verification_method"]}))
    # The right kid, but signed by another key.
    token = jose.sign(payload, private_key("holder-ed25519"), header={"kid": ISSUER["verification_method"]})
    fails(Reason.BAD_SIGNATURE, verify_jwt_vc, token)
    # The kid is an ES256K key but the alg says EdDSA.
    token = jose.sign(payload, private_key("issuer-ed25519"), header={"kid": KEYS["issuer-secp256k1"]["verification_method"]})
    fails(Reason.WRONG_KEY, verify_jwt_vc, token)


def test_credential_issuer_must_match_iss():
    key, did, kid = new_did_key()
    token = sign_jwt_vc(credential(issuer=did), key, kid=kid)
    payload = jose.parse(token).payload
    payload["vc"]["issuer"] = ISSUER["did"]
    fails(Reason.WRONG_KEY, verify_jwt_vc, jose.sign(payload, key, header={"kid": kid}))
    cred = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": ISSUER["did"], "credentialSubject": {"id": "did:example:s"}}
    fails(Reason.WRONG_KEY, verify_jwt_vc, jose.sign({**cred, "iss": did}, key, header={"typ": "vc+jwt", "kid": kid}))
    fails(Reason.WRONG_KEY, verify_jwt_vc, jose.sign(cred, key, header={"typ": "vc+jwt", "kid": kid}))


def test_conflicting_subject_or_id_is_malformed():
    key, did, kid = new_did_key()
    payload = jose.parse(sign_jwt_vc(credential(issuer=did), key, kid=kid)).payload
    payload["vc"]["credentialSubject"]["id"] = "did:example:someone-else"
    fails(Reason.MALFORMED, verify_jwt_vc, jose.sign(payload, key, header={"kid": kid}))
    payload["vc"]["credentialSubject"].pop("id")
    payload["vc"]["id"] = "urn:other"
    fails(Reason.MALFORMED, verify_jwt_vc, jose.sign(payload, key, header={"kid": kid}))


def _ts(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


@pytest.mark.parametrize("v2", [False, True])
@pytest.mark.parametrize("claim, name, claimed, stated", [
    ("exp", "expirationDate", _ts(2099, 1, 1), "2020-01-01T00:00:00Z"),   # expired, revived by a later exp
    ("nbf", "issuanceDate", _ts(2020, 1, 1), "2099-01-01T00:00:00Z"),     # not yet valid, opened by an earlier nbf
])
def test_jwt_date_claim_contradicting_the_signed_credential_is_refused(v2, claim, name, claimed, stated):
    """Both dates are signed by the issuer; the 1.1 decoding used to let the JWT claim
    overwrite the credential's own date. (VC 2.0 names inside the vc claim too.)"""
    key, did, kid = new_did_key()
    if v2:
        name = {"expirationDate": "validUntil", "issuanceDate": "validFrom"}[name]
    cred = credential(issuer=did)
    cred.pop("issuanceDate"), cred.pop("expirationDate")
    if v2:
        cred["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    payload = jose.parse(sign_jwt_vc(cred, key, kid=kid, issued_at=datetime(2025, 2, 1, tzinfo=UTC))).payload
    payload[claim] = claimed
    payload["vc"][name] = stated
    token = jose.sign(payload, key, header={"kid": kid})
    failure = fails(Reason.MALFORMED, verify_jwt_vc, token)
    assert f"its {claim!r} claim says" in failure.message and f"credential's {name} says" in failure.message
    assert stated in failure.message and "contradicts itself" in failure.message
    verdict = check(token.encode(), VerificationContext(now=datetime(2026, 1, 1, tzinfo=UTC))).verdict
    assert (verdict.valid, verdict.reason, verdict.message) == (False, Reason.MALFORMED, failure.message)


def test_jwt_date_claims_agreeing_with_the_credential_are_valid():
    key, did, kid = new_did_key()
    payload = jose.parse(sign_jwt_vc(credential(issuer=did), key, kid=kid)).payload
    payload["vc"]["issuanceDate"] = "2025-01-15T00:00:00.900Z"    # nbf keeps whole seconds
    payload["vc"]["expirationDate"] = "2099-01-01T00:00:00Z"
    result = verify_jwt_vc(jose.sign(payload, key, header={"kid": kid}))
    assert result.valid_from == datetime(2025, 1, 15, tzinfo=UTC)
    assert result.valid_until == datetime(2099, 1, 1, tzinfo=UTC)
    only_vc = dict(payload, vc={**payload["vc"], "expirationDate": "2020-01-01T00:00:00Z"})
    del only_vc["exp"]                                              # one date only: it is the one used
    assert verify_jwt_vc(jose.sign(only_vc, key, header={"kid": kid})).valid_until == datetime(2020, 1, 1, tzinfo=UTC)
    only_claim = dict(payload, vc={k: v for k, v in payload["vc"].items() if k != "expirationDate"},
                      exp=_ts(2030, 1, 1))
    assert verify_jwt_vc(jose.sign(only_claim, key, header={"kid": kid})).valid_until == datetime(2030, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("payload,reason", [
    ({"iss": "did:example:x"}, Reason.MALFORMED),                               # no credential at all
    ({"iss": "https://issuer.example", "vc": {}}, Reason.UNKNOWN_KEY),          # not a DID issuer
    ({"vc": {"type": ["VerifiableCredential"]}}, Reason.MALFORMED),              # no issuer
    ({"iss": 5, "vc": {}}, Reason.MALFORMED),
    ({"iss": "SELF", "vp": {}}, Reason.UNSUPPORTED_FORMAT),                      # a presentation
])
def test_not_a_credential(payload, reason):
    key, did, kid = new_did_key()
    payload = {k: (did if v == "SELF" else v) for k, v in payload.items()}
    fails(reason, verify_jwt_vc, jose.sign(payload, key, header={"kid": kid} if "vp" in payload else {}))


@pytest.mark.parametrize("change", [
    {"type": ["OpenBadgeCredential"]},
    {"@context": ["https://example.com/ctx"]},
    {"credentialSubject": "x"},
    {"issuanceDate": "yesterday"},
    {"nbf": "soon"},
])
def test_bad_credential_content_is_malformed(change):
    key, did, kid = new_did_key()
    payload = jose.parse(sign_jwt_vc(credential(issuer=did), key, kid=kid)).payload
    if "nbf" in change:
        payload.update(change)
    else:
        payload["vc"].update(change)
        payload.pop("nbf")
    fails(Reason.MALFORMED, verify_jwt_vc, jose.sign(payload, key, header={"kid": kid}))


def test_sd_jwt_typ_is_another_format():
    key, did, kid = new_did_key()
    token = jose.sign({"iss": did, "vct": "x"}, key, header={"typ": "dc+sd-jwt", "kid": kid})
    fails(Reason.UNSUPPORTED_FORMAT, verify_jwt_vc, token)


# --- presentations ----------------------------------------------------------------------

CHALLENGE = MANIFEST["public_vp_parameters"]["challenge"]
DOMAIN = MANIFEST["public_vp_parameters"]["domain"]


def _vp(credentials, key=None, kid=None, **kwargs):
    return sign_jwt_vp(credentials, key or private_key("holder-ed25519"), kid=kid or HOLDER["verification_method"],
                       audience=kwargs.pop("audience", DOMAIN), nonce=kwargs.pop("nonce", CHALLENGE), **kwargs)


def test_presentation_round_trip():
    creds = [(JWT_DIR / "interop" / n).read_text() for n in ("valid-01-eddsa.jwt", "valid-02-es256k.jwt")]
    now = datetime(2026, 3, 1, tzinfo=UTC)
    token = _vp(creds, now=now)
    payload = jose.parse(token).payload
    assert payload["iss"] == HOLDER["did"] and payload["nonce"] == CHALLENGE and payload["aud"] == [DOMAIN]
    assert payload["vp"]["verifiableCredential"] == creds

    result = verify_jwt_vp(token, audience=DOMAIN, nonce=CHALLENGE)
    assert isinstance(result, JwtPresentation)
    assert result.holder == HOLDER["did"] and result.key_id == HOLDER["verification_method"]
    assert result.audience == (DOMAIN,) and result.nonce == CHALLENGE
    assert [c.issuer for c in result.credentials] == [ISSUER["did"], KEYS["issuer-secp256k1"]["did"]]
    assert all(c.subject == HOLDER["did"] for c in result.credentials)
    assert result.valid_from == now and result.valid_until == now + timedelta(minutes=10)
    assert result.id.startswith("urn:uuid:")


def test_presentation_for_another_challenge_or_domain_is_refused():
    token = _vp([VALID])
    fails(jose.WRONG_CHALLENGE, verify_jwt_vp, token, audience=DOMAIN, nonce="another-challenge")
    fails(jose.WRONG_DOMAIN, verify_jwt_vp, token, audience="evil.example", nonce=CHALLENGE)
    payload = jose.parse(token).payload
    del payload["nonce"]
    fails(jose.WRONG_CHALLENGE, verify_jwt_vp, jose.sign(payload, private_key("holder-ed25519"),
                                                         header={"kid": HOLDER["verification_method"]}),
          audience=DOMAIN, nonce=CHALLENGE)
    payload["nonce"], payload["aud"] = CHALLENGE, DOMAIN  # a single string aud is fine too
    assert verify_jwt_vp(jose.sign(payload, private_key("holder-ed25519"), header={"kid": HOLDER["verification_method"]}),
                         audience=DOMAIN, nonce=CHALLENGE).audience == (DOMAIN,)


def test_presentation_failures():
    fails(Reason.BAD_SIGNATURE, verify_jwt_vp,
          _vp([(JWT_DIR / "interop" / "invalid-01-tampered-achievement-name.jwt").read_text()]),
          audience=DOMAIN, nonce=CHALLENGE)
    # signed by someone else than the holder it names
    stranger, _, stranger_kid = new_did_key()
    payload = jose.parse(_vp([VALID])).payload
    fails(Reason.WRONG_KEY, verify_jwt_vp, jose.sign(payload, stranger, header={"kid": stranger_kid}),
          audience=DOMAIN, nonce=CHALLENGE)
    fails(Reason.BAD_SIGNATURE, verify_jwt_vp, _swap(_vp([VALID]), payload={**payload, "nonce": "x"}),
          audience=DOMAIN, nonce="x")
    fails(Reason.MALFORMED, verify_jwt_vp, VALID, audience=DOMAIN, nonce=CHALLENGE)  # a credential, not a VP
    fails(Reason.UNSUPPORTED_FORMAT, verify_jwt_vp, _vp([{"@context": [], "type": ["VerifiableCredential"]}]),
          audience=DOMAIN, nonce=CHALLENGE)


def test_vc_jose_cose_presentation_with_enveloped_credentials():
    key = private_key("holder-ed25519")
    vc2 = sign_jwt_vc({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                       "credentialSubject": {"id": HOLDER["did"]}}, private_key("issuer-ed25519"),
                      kid=ISSUER["verification_method"], data_model="2.0")
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": HOLDER["did"], "nonce": "n", "aud": "d",
          "verifiableCredential": [{"@context": ["https://www.w3.org/ns/credentials/v2"],
                                    "type": "EnvelopedVerifiableCredential", "id": f"data:application/vc+jwt,{vc2}"}]}
    result = verify_jwt_vp(jose.sign(vp, key, header={"typ": "vp+jwt", "kid": HOLDER["verification_method"]}),
                           audience="d", nonce="n")
    assert result.holder == HOLDER["did"] and result.credentials[0].data_model == "2.0"


# --- robustness -------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(VALID)), st.integers(min_value=0, max_value=len(VALID)))
def test_truncated_tokens_fail_cleanly(start, end):
    token = VALID[start:end]
    if token != VALID:
        with pytest.raises(CredentialFailure):
            verify_jwt_vc(token)
        with pytest.raises(CredentialFailure):
            verify_jwt_vp(token, audience=DOMAIN, nonce=CHALLENGE)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_random_strings_fail_cleanly(text):
    with pytest.raises(CredentialFailure):
        verify_jwt_vc(text)


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=12),
       st.sampled_from(["vc", "vp", "iss", "sub", "jti", "nbf", "exp", "issuer", "credentialSubject", "@context"]))
def test_signed_garbage_claims_fail_cleanly(value, claim):
    """Correctly signed, by the right key, but with any JSON in one claim."""
    key = private_key("issuer-ed25519")
    payload = jose.parse(VALID).payload
    if claim in ("issuer", "credentialSubject", "@context"):
        payload["vc"][claim] = value
    else:
        payload[claim] = value
    token = jose.sign(payload, key, header={"kid": ISSUER["verification_method"]})
    try:
        verify_jwt_vc(token)
    except CredentialFailure:
        pass
