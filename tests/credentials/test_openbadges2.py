"""Open Badges 2.0 signed and hosted badges, and refusals that name the format (ISO mdoc)."""

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS

from vault.credentials.cache import VerificationCache
from vault.credentials.service import CredentialService, status_of, verification_context
from vault.credentials.verdict import Reason, WarningCode
from vault.credentials.verify import VerificationContext, check
from vault.errors import VaultError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HOSTED = FIXTURES / "credentials" / "ob20" / "hosted-assertion.json"
VC_JWT = FIXTURES / "interop" / "jwt-vc" / "valid-01-eddsa.jwt"
ISSUER = "https://university.example/issuer"
KEY_ID = "https://university.example/keys/1"
ATTACKER = "https://attacker.example/issuer"


@pytest.fixture(scope="module")
def keys():
    return {name: rsa.generate_private_key(public_exponent=65537, key_size=2048) for name in ("issuer", "attacker")}


def key_doc(private, kid=KEY_ID, owner=ISSUER) -> dict:
    pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return {"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey", "id": kid,
            "owner": owner, "publicKeyPem": pem}


def assertion(name="Bachelor of Science in Computing", issuer=ISSUER, creator=KEY_ID, **extra) -> dict:
    return {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
            "id": "urn:uuid:2f5c5e2a-5a51-4f53-9a4c-3b8a0c2f7f10",
            "recipient": {"type": "email", "hashed": False, "identity": "ada@example.org"},
            "badge": {"type": "BadgeClass", "id": "https://university.example/badges/bsc", "name": name,
                      "description": "Three years of study.", "image": "https://university.example/bsc.png",
                      "criteria": {"narrative": "Pass every module."},
                      "issuer": {"type": "Profile", "id": issuer, "name": "Example University",
                                 "url": "https://university.example", **extra.pop("profile", {})}},
            "issuedOn": "2021-07-01T00:00:00Z", "verification": {"type": "SignedBadge", "creator": creator},
            **extra}


def sign(payload: dict, private, alg="RS256") -> str:
    jws = JWS(json.dumps(payload).encode())
    jws.add_signature(JWK.from_pyca(private), alg=alg, protected=json.dumps({"alg": alg}))
    return jws.serialize(compact=True)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def cached(identity, keys):
    """A vault holding the university's key; its verification context."""
    VerificationCache(identity.store).put_issuer_key(key_doc(keys["issuer"]))
    return CredentialService(identity.store).context()


# ---- signed badges ---------------------------------------------------------------------

def test_signed_badge_verifies_with_the_cached_key_and_shows_the_badge(cached, keys):
    checked = check(sign(assertion(), keys["issuer"]).encode(), cached)
    verdict = checked.verdict
    assert verdict.valid and verdict.format == "ob2-signed" and verdict.issuer == ISSUER, verdict.message
    assert [w.code for w in verdict.warnings] == [WarningCode.STATUS_UNCHECKED, WarningCode.KEY_SAVED,
                                                  WarningCode.UNKNOWN_ISSUER]
    assert verdict.warnings[1].message.startswith("Issuer key as added on ")   # by hand, its date said
    display = checked.display
    assert display.kind == "open-badge" and display.title == "Bachelor of Science in Computing"
    assert display.issuer_name == "Example University" and display.image == "https://university.example/bsc.png"
    assert display.criteria_narrative == "Pass every module." and display.subject_id == "ada@example.org"


def test_without_the_key_offline_it_is_undecided_never_valid(keys):
    verdict = check(sign(assertion(), keys["issuer"]).encode()).verdict
    assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY
    assert verdict.message.startswith("Issuer key not available offline") and KEY_ID in verdict.message
    assert status_of(verdict) == "unverified"


def test_signed_with_another_key_is_a_bad_signature(cached, keys):
    forged = sign(assertion(), keys["attacker"])          # names the university's key as creator
    verdict = check(forged.encode(), cached).verdict
    assert verdict.reason is Reason.BAD_SIGNATURE and "Open Badges 2.0 signed badge" in verdict.message


def test_badge_name_changed_after_signing_is_a_bad_signature(cached, keys):
    header, _, signature = sign(assertion(), keys["issuer"]).split(".")
    changed = b64(json.dumps(assertion(name="Doctor of Philosophy")).encode())
    assert check(f"{header}.{changed}.{signature}".encode(), cached).verdict.reason is Reason.BAD_SIGNATURE


def test_attackers_own_key_cannot_speak_for_the_university(identity, keys):
    cache = VerificationCache(identity.store)
    cache.put_issuer_key(key_doc(keys["attacker"], "https://attacker.example/keys/1", ATTACKER))
    forged = sign(assertion(creator="https://attacker.example/keys/1"), keys["attacker"])
    verdict = check(forged.encode(), CredentialService(identity.store).context()).verdict
    assert verdict.reason is Reason.WRONG_KEY and ISSUER in verdict.message and ATTACKER in verdict.message


def test_a_key_the_embedded_profile_does_not_list_is_wrong_key(cached, keys):
    token = sign(assertion(profile={"publicKey": ["https://university.example/keys/2"]}), keys["issuer"])
    assert check(token.encode(), cached).verdict.reason is Reason.WRONG_KEY
    listed = sign(assertion(profile={"publicKey": KEY_ID}), keys["issuer"])
    assert check(listed.encode(), cached).verdict.valid


@pytest.mark.parametrize("alg", ["HS256", "none"])
def test_other_algorithms_are_refused_as_an_ob2_badge_not_a_vc_jwt(cached, alg):
    header = b64(json.dumps({"alg": alg}).encode())
    token = f"{header}.{b64(json.dumps(assertion()).encode())}.{b64(b'x' * 32)}"
    checked = check(token.encode(), cached)
    assert checked.format == "ob2-signed" and checked.verdict.reason is Reason.UNSUPPORTED_CRYPTOSUITE
    assert "Open Badges 2.0 signed badge" in checked.verdict.message and "VC-JWT" not in checked.verdict.message


def test_the_json_of_a_signed_badge_without_its_signature_has_no_proof():
    verdict = check(json.dumps(assertion()).encode()).verdict
    assert verdict.reason is Reason.NO_PROOF and "without its signature" in verdict.message


def test_a_vc_jwt_is_still_a_vc_jwt():
    assert check(VC_JWT.read_bytes()).format == "jwt-vc"


# ---- the key cache ---------------------------------------------------------------------

@pytest.mark.parametrize("change, words", [
    ({"owner": None}, "names no owner"),
    ({"id": "http://university.example/keys/1"}, "https URL"),
    ({"type": "Key"}, "not CryptographicKey"),
    ({"publicKeyPem": "nonsense"}, "no publicKeyPem"),
])
def test_an_inconsistent_key_is_not_cached(identity, keys, change, words):
    cache = VerificationCache(identity.store)
    with pytest.raises(VaultError, match=words):
        cache.put_issuer_key({**key_doc(keys["issuer"]), **change})
    assert cache.did_document(KEY_ID) is None and cache.did_document(change.get("id", KEY_ID)) is None


@pytest.mark.parametrize("weak", ["rsa1024", "ec"])
def test_weak_or_non_rsa_keys_are_not_cached(identity, weak):
    private = (rsa.generate_private_key(public_exponent=65537, key_size=1024) if weak == "rsa1024"
               else ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(VaultError, match="1024 bits" if weak == "rsa1024" else "not an RSA key"):
        VerificationCache(identity.store).put_issuer_key(key_doc(private))


def test_a_stored_key_of_another_id_is_not_used(identity, keys):
    # A row written under the university's key id holding the attacker's key document.
    VerificationCache(identity.store)._put(KEY_ID, key_doc(keys["attacker"], "https://attacker.example/k",
                                                          ISSUER))
    forged = sign(assertion(), keys["attacker"])
    verdict = check(forged.encode(), CredentialService(identity.store).context()).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "is not used" in verdict.message


# ---- hosted badges ---------------------------------------------------------------------

def test_hosted_badge_offline_is_not_checked_and_nothing_is_fetched():
    asked = []
    context = verification_context(fetcher=lambda url: asked.append(url))    # offline: no network given
    checked = check(HOSTED.read_bytes(), context)
    verdict = checked.verdict
    assert checked.format == "ob2-hosted" and not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY
    assert "hosted badge, not checked" in verdict.message
    assert "https://example.org/beths-robotics-badge.json" in verdict.message
    assert status_of(verdict) == "unverified" and asked == []
    assert checked.display.title == "Open Badge" and checked.display.image == "https://example.org/beths-robot-badge.png"
    assert checked.display.subject_id is None             # a hashed e-mail says nothing readable


def test_hosted_badge_is_kept_as_unverified(identity):
    result = CredentialService(identity.store).import_file(HOSTED)
    assert result.created and result.summary.status == "unverified"


# ---- ISO mdoc ----------------------------------------------------------------------------

# An ISO 18013-5 DeviceResponse in CBOR: {"version": "1.0", "documents": [{"docType":
# "org.iso.18013.5.1.mDL", "issuerSigned": {"nameSpaces": {...}, "issuerAuth": [...]}}], "status": 0}
MDOC = bytes.fromhex(
    "a36776657273696f6e63312e3069646f63756d656e747381a267646f6354797065756f72672e69736f2e31383031"
    "332e352e312e6d444c6c6973737565725369676e6564a26a6e616d65537061636573a1716f72672e69736f2e3138"
    "3031332e352e3181d81841a06a697373756572417574688240a06673746174757300")


@pytest.mark.parametrize("encode", [lambda b: b, lambda b: b.hex().encode(), lambda b: b64(b).encode()],
                         ids=["cbor", "hex", "base64url"])
def test_an_mdoc_is_named_not_said_to_hold_no_credential(encode):
    verdict = check(encode(MDOC)).verdict
    assert verdict.reason is Reason.UNSUPPORTED_FORMAT and "ISO mdoc, not supported" in verdict.message
    assert "holds no credential" not in verdict.message


def test_other_binary_is_still_no_credential():
    verdict = check(b"\xa1\x00\xff" + bytes(range(256))).verdict
    assert verdict.reason is Reason.MALFORMED and "no credential" in verdict.message


# ---- the command line --------------------------------------------------------------------

def test_cli_key_cache_then_signed_badge_imports_valid(run, keys):
    assert run("init", "--kdf-seconds", "0")[0] == 0
    token = run.tmp / "badge.jws"
    token.write_text(sign(assertion(), keys["issuer"]))
    code, out, _ = run("credential", "verify", str(token), "--offline", passphrase=False)
    assert code == 1 and out["reason"] == "unknown-key" and out["format"] == "ob2-signed"
    bad = run.tmp / "bad-key.json"
    bad.write_text(json.dumps({**key_doc(keys["issuer"]), "owner": None}))
    code, out, err = run("key", "cache", str(bad))
    assert code == 1 and not out and "was not cached" in err and "names no owner" in err
    good = run.tmp / "key.json"
    good.write_text(json.dumps(key_doc(keys["issuer"])))
    code, out, _ = run("key", "cache", str(good))
    assert code == 0 and out == {"cached": KEY_ID, "owner": ISSUER, "kind": "ob2"}
    code, results, _ = run("credential", "import", str(token), "--offline")
    assert code == 0 and results[0]["imported"] is True and results[0]["status"] == "valid"


def test_cli_verify_hosted_and_mdoc_say_what_they_are(run):
    code, out, _ = run("credential", "verify", str(HOSTED), "--offline", passphrase=False, json_out=False)
    assert code == 1 and out.startswith("INVALID: Open Badges 2.0 hosted badge, not checked")
    mdoc = run.tmp / "licence.mdoc"
    mdoc.write_bytes(MDOC)
    code, out, _ = run("credential", "verify", str(mdoc), "--offline", passphrase=False)
    assert code == 1 and out["reason"] == "unsupported-format" and "ISO mdoc" in out["message"]
