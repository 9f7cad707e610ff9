"""vault.credentials.sd_jwt_vc: SD-JWT VC verification, presentation with key binding, issuance."""

import base64
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from vault.credentials import jose
from vault.credentials.keys import public_key_from_jwk
from vault.credentials.sd_jwt_vc import (SdJwtCredential, issue_sd_jwt_vc, present, verify_presentation,
                                         verify_sd_jwt_vc)
from vault.credentials.verdict import CredentialFailure, Reason

SD_DIR = Path(__file__).parent.parent / "fixtures" / "credentials" / "sd-jwt"
MANIFEST = json.loads((SD_DIR / "manifest.json").read_text())
KEYS = {k["label"]: k for k in MANIFEST["keys"]}
RFC = {p.stem: json.loads(p.read_text()) for p in sorted((SD_DIR / "rfc-examples").glob("*.json"))}
SETTINGS = yaml.safe_load((SD_DIR / "sd-jwt-python" / "settings.yml").read_text())
UTC = timezone.utc
ISSUER = KEYS["issuer-ed25519"]
HOLDER = KEYS["holder-ed25519"]


def private_key(label: str):
    key = KEYS[label]
    seed = bytes.fromhex(key["seed_hex"])
    if key["key_type"] == "Ed25519":
        return Ed25519PrivateKey.from_private_bytes(seed)
    curve = {"secp256k1": ec.SECP256K1(), "P-256": ec.SECP256R1()}[key["key_type"]]
    return ec.derive_private_key(int.from_bytes(seed, "big"), curve)


def p256_from_jwk(jwk: dict):
    d = int.from_bytes(base64.urlsafe_b64decode(jwk["d"] + "=="), "big")
    return ec.derive_private_key(d, ec.SECP256R1())


RFC_HOLDER = p256_from_jwk(SETTINGS["key_settings"]["holder_key"])
RFC_ISSUER = p256_from_jwk(SETTINGS["key_settings"]["issuer_keys"][0])


def b64(value) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def fails(reason, fn, *args, **kwargs) -> CredentialFailure:
    with pytest.raises(CredentialFailure) as info:
        fn(*args, **kwargs)
    assert info.value.reason == reason, info.value.message
    return info.value


def interop(name: str) -> str:
    return (SD_DIR / "interop" / name).read_text()


# --- the interop fixtures (@sd-jwt/sd-jwt-vc) -------------------------------------------

SD_ENTRIES = [f for f in MANIFEST["files"] if f["format"] == "sd-jwt-vc"]


@pytest.mark.parametrize("entry", SD_ENTRIES, ids=lambda e: e["file"])
def test_interop_fixture_gets_its_expected_verdict(entry):
    token = (SD_DIR / entry["file"]).read_text()
    if entry["expected"] == "invalid":
        assert entry["reason"] == "tampered-claim"
        fails(Reason.BAD_SIGNATURE, verify_sd_jwt_vc, token)
        return
    result = verify_sd_jwt_vc(token)
    assert isinstance(result, SdJwtCredential)
    assert result.claims == entry["library_verify"]["claims"]  # what the JS library returned
    assert result.issuer == entry["issuer_did"]
    assert result.key_id == next(k for k in MANIFEST["keys"] if k["did"] == entry["issuer_did"])["verification_method"]
    assert result.subject == HOLDER["did"]
    assert result.vct == "urn:example:vct:open-badge-achievement:1"
    assert result.typ == "dc+sd-jwt" and result.header["alg"] == entry["alg"]
    assert sorted(result.paths) == [("achievement", "description"), ("email",), ("family_name",), ("given_name",)]
    assert {d.name for d in result.disclosures} == {"description", "email", "family_name", "given_name"}
    assert result.cnf is None and result.key_binding is None
    assert result.issued_at == datetime.fromtimestamp(1736933400, UTC)
    assert result.valid_from == result.issued_at  # the later of nbf and iat
    assert result.valid_until is None
    assert result.issuer_jwt == token.split("~")[0]


def test_interop_withheld_disclosures_are_absent():
    token = interop("valid-01-eddsa.sd-jwt")
    issuer_jwt, *disclosures, _ = token.split("~")
    kept = [d for d in disclosures if "email" not in base64.urlsafe_b64decode(d + "==").decode()]
    result = verify_sd_jwt_vc("~".join([issuer_jwt, *kept, ""]))
    assert "email" not in result.claims and result.claims["given_name"] == "Jordan"


# --- the SD-JWT specification's examples ------------------------------------------------

RFC_JWK = RFC["section-5-example"]["issuer_public_jwk"]


def test_rfc_issuer_key_is_the_appendix_a5_key():
    assert jose.public_jwk(RFC_ISSUER) == RFC_JWK
    assert jose.public_jwk(RFC_HOLDER) == RFC["section-5-example"]["sd_jwt_payload"]["cnf"]["jwk"]


@pytest.mark.parametrize("name", ["section-5-example", "appendix-a3-sd-jwt-vc-pid"])
def test_rfc_issued_sd_jwt(name):
    case = RFC[name]
    result = verify_sd_jwt_vc(case["issued_sd_jwt"], issuer_key=case["issuer_public_jwk"], accept_typ=None)
    assert result.payload == case["sd_jwt_payload"]
    assert {d.encoded for d in result.disclosures} == set(case["disclosures"])
    for claim, value in case["input_claims"].items():  # every claim, all disclosures resolved
        assert result.claims[claim] == value
    assert "_sd" not in json.dumps(result.claims) and "_sd_alg" not in result.claims
    assert result.cnf == case["sd_jwt_payload"]["cnf"] and result.key_id is None
    # the issuer key may also be given as a `cryptography` key
    assert verify_sd_jwt_vc(case["issued_sd_jwt"], issuer_key=public_key_from_jwk(RFC_JWK), accept_typ=None).claims == result.claims


def test_rfc_section_5_disclosure_paths():
    result = verify_sd_jwt_vc(RFC["section-5-example"]["issued_sd_jwt"], issuer_key=RFC_JWK, accept_typ=None)
    assert sorted(map(str, result.paths)) == sorted(map(str, [
        ("given_name",), ("family_name",), ("email",), ("phone_number",), ("phone_number_verified",),
        ("address",), ("birthdate",), ("updated_at",), ("nationalities", 0), ("nationalities", 1)]))
    array_items = [d for d in result.disclosures if d.name is None]
    assert sorted(d.value for d in array_items) == ["DE", "US"]


def test_rfc_a3_nested_disclosures_know_their_parent():
    result = verify_sd_jwt_vc(RFC["appendix-a3-sd-jwt-vc-pid"]["issued_sd_jwt"], issuer_key=RFC_JWK)
    by_path = {d.path: d for d in result.disclosures}
    assert by_path[("age_equal_or_over", "18")].parent == by_path[("age_equal_or_over",)].digest
    locality = by_path[("place_of_birth", "locality")]
    assert locality.parent == by_path[("place_of_birth",)].digest
    assert result.vct == "urn:eudi:pid:de:1" and result.typ == "dc+sd-jwt"
    assert result.valid_until == datetime.fromtimestamp(1883000000, UTC)


@pytest.mark.parametrize("name", ["section-5-example", "appendix-a3-sd-jwt-vc-pid"])
def test_rfc_presentation_with_key_binding(name):
    case = RFC[name]
    params = case["expected_verifier_params"]
    result = verify_presentation(case["presentation_sd_jwt_kb"], nonce=params["nonce"], audience=params["aud"],
                                 issuer_key=case["issuer_public_jwk"], accept_typ=None)
    assert result.claims == case["expected_processed_payload"]
    assert result.key_binding.payload == case["kb_jwt_payload"]
    assert result.key_binding.issued_at == datetime.fromtimestamp(case["kb_jwt_payload"]["iat"], UTC)
    fails(jose.WRONG_CHALLENGE, verify_presentation, case["presentation_sd_jwt_kb"], nonce="0987654321",
          audience=params["aud"], issuer_key=case["issuer_public_jwk"], accept_typ=None)
    fails(jose.WRONG_DOMAIN, verify_presentation, case["presentation_sd_jwt_kb"], nonce=params["nonce"],
          audience="https://evil.example", issuer_key=case["issuer_public_jwk"], accept_typ=None)
    # verify_sd_jwt_vc checks the KB-JWT's signature and sd_hash, not nonce/aud
    assert verify_sd_jwt_vc(case["presentation_sd_jwt_kb"], issuer_key=case["issuer_public_jwk"],
                            accept_typ=None).key_binding.nonce == params["nonce"]


def test_rfc_a1_presentation_without_key_binding():
    case = RFC["appendix-a1-simple-structured"]
    result = verify_sd_jwt_vc(case["presentation_sd_jwt"], issuer_key=RFC_JWK, accept_typ=None)
    assert result.claims == case["expected_processed_payload"]  # decoys ignored, non-ASCII intact
    fails(Reason.NO_PROOF, verify_presentation, case["presentation_sd_jwt"], nonce="n", audience="a",
          issuer_key=RFC_JWK, accept_typ=None)


@pytest.mark.parametrize("name,reveal", [
    ("section-5-example", ["given_name", "family_name", "address", ("nationalities", 0)]),
    ("appendix-a3-sd-jwt-vc-pid", ["nationalities", "age_equal_or_over.18"]),
])
def test_our_presentation_of_the_rfc_credentials_equals_the_rfc_one(name, reveal):
    case = RFC[name]
    params = case["expected_verifier_params"]
    token = present(case["issued_sd_jwt"], reveal, holder_key=RFC_HOLDER, nonce=params["nonce"], audience=params["aud"])
    result = verify_presentation(token, nonce=params["nonce"], audience=params["aud"], issuer_key=RFC_JWK, accept_typ=None)
    assert result.claims == case["expected_processed_payload"]
    assert result.key_binding.header == {"alg": "ES256", "typ": "kb+jwt"}
    # the same disclosures as the RFC's own presentation
    assert set(token.split("~")[1:-1]) == set(case["presentation_sd_jwt_kb"].split("~")[1:-1])


def test_rfc_examples_need_a_key_and_the_right_typ():
    case = RFC["section-5-example"]
    fails(Reason.UNKNOWN_KEY, verify_sd_jwt_vc, case["issued_sd_jwt"], accept_typ=None)  # iss is https, no DID
    fails(Reason.UNSUPPORTED_FORMAT, verify_sd_jwt_vc, case["issued_sd_jwt"], issuer_key=RFC_JWK)  # example+sd-jwt
    fails(Reason.WRONG_KEY, verify_sd_jwt_vc, case["issued_sd_jwt"], issuer_key=ISSUER["public_key_jwk"], accept_typ=None)
    other = jose.public_jwk(ec.generate_private_key(ec.SECP256R1()))
    fails(Reason.BAD_SIGNATURE, verify_sd_jwt_vc, case["issued_sd_jwt"], issuer_key=other, accept_typ=None)


# --- issue -> present -> verify ---------------------------------------------------------

CLAIMS = {
    "vct": "urn:example:vct:open-badge-achievement:1",
    "sub": HOLDER["did"],
    "issuer_name": "Riverside Community College",
    "given_name": "Jordan", "family_name": "Rivera", "email": "jordan@example.edu",
    "achievement": {"name": "Intro", "description": "Python", "criteria": "All assignments"},
    "address": {"locality": "Riverside", "country": "US"},
    "languages": ["en", "es", {"code": "fr", "level": "B1"}],
}
DISCLOSABLE = ["given_name", "family_name", "email", "achievement.description", "address", "address.locality",
               ("languages", 0), ("languages", 1), ("languages", 2), ("languages", 2, "level")]


def _issue(alg_label="issuer-ed25519", holder=None, **kwargs):
    holder = holder or private_key("holder-ed25519")
    issuer = KEYS[alg_label]
    return issue_sd_jwt_vc(CLAIMS, private_key(alg_label), kid=issuer["verification_method"],
                           disclosable=kwargs.pop("disclosable", DISCLOSABLE),
                           holder_public_key=holder.public_key(), **kwargs)


@pytest.mark.parametrize("issuer_label", ["issuer-ed25519", "issuer-p256", "issuer-secp256k1"])
@pytest.mark.parametrize("holder_factory", [Ed25519PrivateKey.generate, lambda: ec.generate_private_key(ec.SECP256R1()),
                                            lambda: ec.generate_private_key(ec.SECP256K1())],
                         ids=["holder-EdDSA", "holder-ES256", "holder-ES256K"])
def test_issue_present_verify(issuer_label, holder_factory):
    holder = holder_factory()
    token = _issue(issuer_label, holder, decoys=True)
    issued = verify_sd_jwt_vc(token)
    assert {k: issued.claims[k] for k in CLAIMS} == CLAIMS
    assert issued.issuer == KEYS[issuer_label]["did"] and issued.cnf["jwk"]["x"] == jose.public_jwk(holder)["x"]
    assert sorted(map(str, issued.paths)) == sorted(map(str, [
        ("given_name",), ("family_name",), ("email",), ("achievement", "description"), ("address",),
        ("address", "locality"), ("languages", 0), ("languages", 1), ("languages", 2), ("languages", 2, "level")]))

    token_kb = present(token, ["given_name", "address.locality", ("languages", 2, "level")],
                       holder_key=holder, nonce="n-1", audience="verifier.example")
    result = verify_presentation(token_kb, nonce="n-1", audience="verifier.example")
    claims = result.claims
    assert claims["given_name"] == "Jordan"
    assert "family_name" not in claims and "email" not in claims
    assert claims["achievement"] == {"name": "Intro", "criteria": "All assignments"}  # description withheld
    assert claims["address"] == {"country": "US", "locality": "Riverside"}  # the container came with it
    assert claims["languages"] == [{"code": "fr", "level": "B1"}]
    assert result.key_binding.nonce == "n-1" and result.key_binding.audience == "verifier.example"
    # given_name; address + address.locality; languages[2] + its level: 5 disclosures
    assert len(token_kb.split("~")) == 1 + 5 + 1
    fails(jose.WRONG_CHALLENGE, verify_presentation, token_kb, nonce="n-2", audience="verifier.example")
    fails(jose.WRONG_DOMAIN, verify_presentation, token_kb, nonce="n-1", audience="other.example")


def test_key_binding_is_made_at_the_moment_given():
    """The KB-JWT's iat is the presentation's time (a verifier judges it), not the clock's."""
    holder = private_key("holder-ed25519")
    made = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    token = present(_issue(), ["given_name"], holder_key=holder, nonce="n", audience="a", issued_at=made)
    kb = jose.parse(token.rsplit("~", 1)[1])
    assert kb.header == {"alg": "EdDSA", "typ": "kb+jwt"} and kb.payload["iat"] == int(made.timestamp())
    assert verify_presentation(token, nonce="n", audience="a").key_binding.issued_at == made


def test_a_whole_container_reveals_everything_under_it():
    holder = private_key("holder-ed25519")
    token = present(_issue(), ["address", "languages"], holder_key=holder, nonce="n", audience="a")
    claims = verify_presentation(token, nonce="n", audience="a").claims
    assert claims["address"] == CLAIMS["address"] and claims["languages"] == CLAIMS["languages"]
    nothing = verify_presentation(present(_issue(), [], holder_key=holder, nonce="n", audience="a"),
                                  nonce="n", audience="a").claims
    assert set(nothing) == {"vct", "sub", "issuer_name", "achievement", "languages", "iss", "iat", "cnf"}
    assert nothing["languages"] == [] and nothing["achievement"] == {"name": "Intro", "criteria": "All assignments"}


def test_always_disclosed_claims_may_be_asked_for():
    holder = private_key("holder-ed25519")
    token = present(_issue(), ["issuer_name", "achievement.name"], holder_key=holder, nonce="n", audience="a")
    assert len(token.split("~")) == 2  # issuer JWT ~ KB-JWT: no disclosures needed
    with pytest.raises(ValueError):
        present(_issue(), ["no_such_claim"], holder_key=holder, nonce="n", audience="a")
    with pytest.raises(ValueError):
        present(_issue(), ["given_name"], holder_key=holder, nonce="", audience="a")


def test_presenting_with_the_wrong_holder_key_or_without_binding():
    fails(Reason.WRONG_KEY, present, _issue(), ["given_name"], holder_key=Ed25519PrivateKey.generate(),
          nonce="n", audience="a")
    fails(Reason.WRONG_KEY, present, interop("valid-01-eddsa.sd-jwt"), ["email"],
          holder_key=private_key("holder-ed25519"), nonce="n", audience="a")  # the fixture has no cnf
    plain = present(interop("valid-01-eddsa.sd-jwt"), ["email"])  # no key binding: selective disclosure only
    assert plain.endswith("~")
    claims = verify_sd_jwt_vc(plain).claims
    assert claims["email"] and "given_name" not in claims and "description" not in claims["achievement"]
    fails(Reason.NO_PROOF, verify_presentation, plain, nonce="n", audience="a")
    fails(Reason.WRONG_KEY, verify_presentation, plain + _kb_for(plain, private_key("holder-ed25519")),
          nonce="n", audience="a")  # a KB-JWT, but nothing binds the credential to a holder key


def _kb_for(presentation: str, key, **overrides) -> str:
    payload = {"nonce": "n", "aud": "a", "iat": 1750000000,
               "sd_hash": b64(hashlib.sha256(presentation.encode()).digest()), **overrides}
    return jose.sign(payload, key, header={"typ": "kb+jwt"})


# --- tampering --------------------------------------------------------------------------

def _flip(sig: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(sig + "=="))
    raw[10] ^= 0x01
    return b64(bytes(raw))


def _parts(token):
    issuer_jwt, *disclosures, last = token.split("~")
    return issuer_jwt, disclosures, last


def _join(issuer_jwt, disclosures, last=""):
    return "~".join([issuer_jwt, *disclosures, last])


def test_tampered_disclosure_is_tampered():
    issuer_jwt, disclosures, _ = _parts(interop("valid-01-eddsa.sd-jwt"))
    salt, name, value = json.loads(base64.urlsafe_b64decode(disclosures[1] + "=="))
    forged = b64([salt, name, "Mallory"])
    fails(Reason.TAMPERED, verify_sd_jwt_vc, _join(issuer_jwt, [disclosures[0], forged, *disclosures[2:]]))
    alien = _parts(interop("valid-02-es256.sd-jwt"))[1][0]  # a disclosure of another credential
    fails(Reason.TAMPERED, verify_sd_jwt_vc, _join(issuer_jwt, [*disclosures, alien]))
    fails(Reason.TAMPERED, verify_sd_jwt_vc, _join(issuer_jwt, [b64(["salt", "is_admin", True])]))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _join(issuer_jwt, [*disclosures, disclosures[0]]))  # twice


def test_tampered_issuer_jwt_is_bad_signature():
    token = interop("valid-01-eddsa.sd-jwt")
    issuer_jwt, disclosures, _ = _parts(token)
    head, body, sig = issuer_jwt.split(".")
    header = jose.parse(issuer_jwt).header
    fails(Reason.BAD_SIGNATURE, verify_sd_jwt_vc, _join(f"{b64({**header, 'x': 1})}.{body}.{sig}", disclosures))
    payload = jose.parse(issuer_jwt).payload
    fails(Reason.BAD_SIGNATURE, verify_sd_jwt_vc, _join(f"{head}.{b64({**payload, 'exp': 4102444800})}.{sig}", disclosures))
    fails(Reason.BAD_SIGNATURE, verify_sd_jwt_vc, _join(f"{head}.{body}.{_flip(sig)}", disclosures))
    fails(Reason.UNSUPPORTED_CRYPTOSUITE, verify_sd_jwt_vc, _join(f"{b64({**header, 'alg': 'none'})}.{body}.", disclosures))
    fails(Reason.UNSUPPORTED_CRYPTOSUITE, verify_sd_jwt_vc, _join(f"{b64({**header, 'alg': 'HS256'})}.{body}.{sig}", disclosures))


def test_wrong_kid_is_wrong_key():
    issuer_jwt, disclosures, _ = _parts(interop("valid-01-eddsa.sd-jwt"))
    payload = jose.parse(issuer_jwt).payload
    # signed by the holder with the holder's kid, but iss still names the issuer
    forged = jose.sign(payload, private_key("holder-ed25519"), header={"typ": "dc+sd-jwt", "kid": HOLDER["verification_method"]})
    fails(Reason.WRONG_KEY, verify_sd_jwt_vc, _join(forged, disclosures))
    # genuine signature, kid swapped to another DID's key
    head, body, sig = issuer_jwt.split(".")
    header = {**jose.parse(issuer_jwt).header, "kid": KEYS["issuer-p256"]["verification_method"]}
    fails(Reason.WRONG_KEY, verify_sd_jwt_vc, _join(f"{b64(header)}.{body}.{sig}", disclosures))


def test_key_binding_tampering():
    holder = private_key("holder-ed25519")
    token = _issue()
    presented = present(token, ["given_name", "email"], holder_key=holder, nonce="n", audience="a")
    issuer_jwt, disclosures, kb = _parts(presented)
    # a disclosure removed, or one the holder withheld added, after the holder signed
    fails(Reason.TAMPERED, verify_presentation, _join(issuer_jwt, disclosures[:1], kb), nonce="n", audience="a")
    withheld = next(d for d in _parts(token)[1] if d not in disclosures and "family_name" in
                    base64.urlsafe_b64decode(d + "==").decode())
    fails(Reason.TAMPERED, verify_presentation, _join(issuer_jwt, [*disclosures, withheld], kb), nonce="n", audience="a")
    # the KB-JWT itself
    head, body, sig = kb.split(".")
    fails(Reason.BAD_SIGNATURE, verify_presentation, _join(issuer_jwt, disclosures, f"{head}.{body}.{_flip(sig)}"),
          nonce="n", audience="a")
    prefix = _join(issuer_jwt, disclosures)
    fails(Reason.BAD_SIGNATURE, verify_presentation, prefix + _kb_for(prefix, Ed25519PrivateKey.generate()),
          nonce="n", audience="a")
    assert verify_presentation(prefix + _kb_for(prefix, holder), nonce="n", audience="a")
    wrong_typ = jose.sign(jose.parse(kb).payload, holder, header={"typ": "JWT"})
    fails(Reason.MALFORMED, verify_presentation, prefix + wrong_typ, nonce="n", audience="a")
    fails(Reason.MALFORMED, verify_presentation, prefix + _kb_for(prefix, holder, iat="now"), nonce="n", audience="a")
    fails(Reason.MALFORMED, verify_presentation, prefix + "not-a-jwt", nonce="n", audience="a")


def _craft(payload: dict, disclosures=(), *, typ="dc+sd-jwt") -> str:
    jwt = jose.sign(payload, private_key("issuer-ed25519"), header={"typ": typ, "kid": ISSUER["verification_method"]})
    return _join(jwt, list(disclosures))


def _disclosure(*items):
    encoded = b64(list(items))
    return encoded, b64(hashlib.sha256(encoded.encode()).digest())


BASE = {"iss": ISSUER["did"], "vct": "urn:x", "iat": 1736933400}


def test_crafted_structures_are_refused():
    name, name_digest = _disclosure("salt1", "given_name", "Jordan")
    element, element_digest = _disclosure("salt2", "en")
    assert verify_sd_jwt_vc(_craft({**BASE, "_sd": [name_digest]}, [name])).claims["given_name"] == "Jordan"
    fails(Reason.UNSUPPORTED_CRYPTOSUITE, verify_sd_jwt_vc, _craft({**BASE, "_sd": [name_digest], "_sd_alg": "sha-512"}, [name]))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({**BASE, "_sd": [name_digest], "given_name": "X"}, [name]))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({**BASE, "_sd": [name_digest, name_digest]}, [name]))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({**BASE, "_sd": [name_digest], "x": [{"...": name_digest}]}, [name]))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({**BASE, "_sd": [element_digest]}, [element]))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({**BASE, "x": [{"...": name_digest}]}, [name]))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({**BASE, "_sd": "abc"}))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({**BASE, "_sd": [5]}))
    bad_name, bad_digest = _disclosure("s", "_sd", ["x"])
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({**BASE, "_sd": [bad_digest]}, [bad_name]))
    fails(Reason.MALFORMED, verify_sd_jwt_vc, _craft({k: v for k, v in BASE.items() if k != "vct"}))  # no vct
    assert verify_sd_jwt_vc(_craft(BASE, typ="vc+sd-jwt")).typ == "vc+sd-jwt"  # the older typ
    fails(Reason.UNSUPPORTED_FORMAT, verify_sd_jwt_vc, _craft(BASE, typ="JWT"))


@pytest.mark.parametrize("token", [
    "", "~", "~~", "abc", "a.b.c", "a.b.c~", "a.b~", "x~y~",
    interop("valid-01-eddsa.sd-jwt").replace("~", "~~", 1),            # empty disclosure
    interop("valid-01-eddsa.sd-jwt").rstrip("~"),                        # last disclosure read as a KB-JWT
    interop("valid-01-eddsa.sd-jwt") + "~",
    interop("valid-01-eddsa.sd-jwt").split("~")[0],                      # a plain JWT
    interop("valid-01-eddsa.sd-jwt") + "a.b.c",
])
def test_malformed(token):
    fails(Reason.MALFORMED, verify_sd_jwt_vc, token)


def test_disclosure_shapes():
    issuer_jwt = _parts(interop("valid-01-eddsa.sd-jwt"))[0]
    for bad in (b64({"a": 1}), b64(["only-salt"]), b64([1, "n", "v"]), b64(["s", 5, "v"]), b64(["s", "n", "v", "x"]),
                b64(b"not json"), "*" * 8):
        fails(Reason.MALFORMED, verify_sd_jwt_vc, _join(issuer_jwt, [bad]))


# --- robustness -------------------------------------------------------------------------

VALID = interop("valid-01-eddsa.sd-jwt")
PRESENTED = present(_issue(), ["given_name"], holder_key=private_key("holder-ed25519"), nonce="n", audience="a")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(VALID)), st.integers(min_value=0, max_value=len(VALID)))
def test_truncated_tokens_fail_cleanly(start, end):
    token = VALID[start:end]
    try:
        verify_sd_jwt_vc(token)
    except CredentialFailure:
        return
    assert start == 0 and token.endswith("~")  # only whole disclosures dropped from the end verify


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcXY019-_.~=é"), max_size=150))
def test_random_strings_fail_cleanly(text):
    for call in (lambda: verify_sd_jwt_vc(text), lambda: verify_presentation(text, nonce="n", audience="a"),
                 lambda: present(text, [])):
        with pytest.raises(CredentialFailure):
            call()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(PRESENTED)), min_size=1, max_size=4), st.randoms())
def test_random_tilde_splits_and_shuffles_fail_cleanly(positions, rnd):
    """Insert '~' anywhere, or reorder/drop the parts: never anything but a CredentialFailure."""
    chars = list(PRESENTED)
    for position in sorted(positions, reverse=True):
        chars.insert(position, "~")
    mangled = "".join(chars)
    parts = PRESENTED.split("~")
    rnd.shuffle(parts)
    for token in (mangled, "~".join(parts), "~".join(parts[:rnd.randint(0, len(parts))])):
        if token == PRESENTED:
            continue
        for call in (lambda: verify_sd_jwt_vc(token), lambda: verify_presentation(token, nonce="n", audience="a"),
                     lambda: present(token, [])):
            try:
                call()
            except CredentialFailure:
                pass
