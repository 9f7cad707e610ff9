"""A cached DID document vouches only for its own DID (security issue 13, item 1).

The attack: an attacker caches (or gets stored) a did:web document whose key names a
trusted did:key as its controller, then signs credentials "issued by" that did:key with
their own key. Or caches a document with id did:key:… to replace its self-certifying
resolution. Each is refused when cached, and never believed when read back.
"""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault.credentials import data_integrity, jwt_vc, sd_jwt_vc
from vault.credentials.cache import VerificationCache
from vault.credentials.keys import check_document, resolve_method
from vault.credentials.service import CredentialService
from vault.credentials.verdict import CredentialFailure, Reason
from vault.credentials.verify import check
from vault.did import did_jwk, did_key, did_pkh, multikey
from vault.errors import InvalidCredential, InvalidDid

TRUSTED_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(40, 72)))
TRUSTED = did_key.from_ed25519(TRUSTED_KEY.public_key().public_bytes_raw())
TRUSTED_VM = f"{TRUSTED}#{TRUSTED.split(':')[-1]}"
ATTACKER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(80, 112)))
ATTACKER_MULTIBASE = multikey.encode("ed25519-pub", ATTACKER_KEY.public_key().public_bytes_raw())
EVIL = "did:web:evil.example"
EVIL_VM = f"{EVIL}#key-1"


def web_document(did: str, key=ATTACKER_KEY, controller: str | None = None, fragment: str = "key-1") -> dict:
    multibase = multikey.encode("ed25519-pub", key.public_key().public_bytes_raw())
    method = {"id": f"{did}#{fragment}", "type": "Multikey", "controller": controller or did,
              "publicKeyMultibase": multibase}
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did, "verificationMethod": [method], "assertionMethod": [method["id"]],
            "authentication": [method["id"]]}


EVIL_DOC = web_document(EVIL, controller=TRUSTED)   # "my key is controlled by the trusted issuer"


def badge(issuer: str) -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:0d7f5f0e-5b1a-4c9e-9a55-13e1a0c0ffee",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer, "type": ["Profile"], "name": "Trusted College"},
            "validFrom": "2025-01-01T00:00:00Z", "name": "Forged Degree",
            "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:mallory",
                                  "achievement": {"id": "urn:uuid:a1", "type": ["Achievement"],
                                                  "name": "Forged Degree"}}}


def di_signed(issuer: str, key, method: str) -> bytes:
    return json.dumps(data_integrity.sign(badge(issuer), key, method)).encode()


def jwt_signed(issuer: str, key, kid: str) -> bytes:
    credential = badge(issuer)
    credential["@context"] = ["https://www.w3.org/2018/credentials/v1",
                              "https://purl.imsglobal.org/spec/ob/v3p0/context.json"]
    credential["issuanceDate"] = credential.pop("validFrom")
    return jwt_vc.sign_jwt_vc(credential, key, kid=kid).encode()


def sd_signed(issuer: str, key, kid: str) -> bytes:
    claims = {"vct": "urn:example:vct:degree", "iss": issuer, "name": "Forged Degree"}
    return sd_jwt_vc.issue_sd_jwt_vc(claims, key, kid=kid).encode()


FORMATS = {"di": di_signed, "jwt": jwt_signed, "sd-jwt": sd_signed}


def store_raw(store, did: str, document: dict) -> None:
    """What a vault cached before the check existed (or a tampered row): no validation."""
    with store.transaction() as conn:
        conn.execute("INSERT INTO did_documents(did, document, updated_at) VALUES (?, ?, ?)",
                     (did, json.dumps(document), "2024-01-01T00:00:00+00:00"))


def failure(fn, *args, **kwargs) -> CredentialFailure:
    with pytest.raises(CredentialFailure) as info:
        fn(*args, **kwargs)
    return info.value


# ---- (a) a did:web document whose key claims a trusted did:key as controller ---------------

def test_caching_a_key_controlled_by_another_did_is_refused(identity):
    cache = VerificationCache(identity.store)
    with pytest.raises(InvalidDid) as info:
        cache.put_did_document(EVIL, EVIL_DOC)
    assert f"names {TRUSTED} as its controller" in str(info.value)
    assert cache.did_document(EVIL) is None                       # nothing stored


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_stored_foreign_controller_document_signs_for_no_one(identity, fmt):
    store_raw(identity.store, EVIL, EVIL_DOC)                    # bypassing `did cache`
    service = CredentialService(identity.store)
    service.trust.add(TRUSTED, "Trusted College")
    forged = FORMATS[fmt](TRUSTED, ATTACKER_KEY, EVIL_VM)
    verdict = check(forged, service.context()).verdict
    assert not verdict.valid and verdict.reason is Reason.WRONG_KEY, verdict.message
    assert TRUSTED in verdict.message and EVIL in verdict.message
    with pytest.raises(InvalidCredential) as info:                # refused, not kept as "unverified"
        service.import_bytes(forged)
    assert info.value.reason == "wrong-key"
    assert service.repository.count() == 0
    # Signing in its own name, the document still vouches for nothing: it is inconsistent.
    own = check(FORMATS[fmt](EVIL, ATTACKER_KEY, EVIL_VM), service.context()).verdict
    assert own.reason is Reason.UNKNOWN_KEY and "is not used" in own.message
    assert f"names {TRUSTED} as its controller" in own.message
    # The trusted issuer's genuine credential is untouched.
    assert check(FORMATS[fmt](TRUSTED, TRUSTED_KEY, TRUSTED_VM), service.context()).verdict.valid


def test_cli_did_cache_refuses_the_document_with_its_reason(run):
    assert run("init", "--kdf-seconds", "0")[0] == 0
    doc = run.tmp / "evil.json"
    doc.write_text(json.dumps(EVIL_DOC))
    code, out, err = run("did", "cache", str(doc))
    assert code == 1 and not out
    assert "was not cached" in err and f"names {TRUSTED} as its controller" in err
    forged = run.tmp / "forged.json"
    forged.write_bytes(di_signed(TRUSTED, ATTACKER_KEY, EVIL_VM))
    code, results, _ = run("credential", "import", str(forged), "--offline")
    assert code == 1 and results[0]["imported"] is False and results[0]["reason"] == "wrong-key"
    # A consistent did:web document is still cached (and then its credentials verify).
    doc.write_text(json.dumps(web_document(EVIL)))
    code, out, _ = run("did", "cache", str(doc))
    assert code == 0 and out == {"cached": EVIL}
    forged.write_bytes(di_signed(EVIL, ATTACKER_KEY, EVIL_VM))
    code, results, _ = run("credential", "import", str(forged), "--offline")
    assert code == 0 and results[0]["imported"] is True


# ---- (b) a cached document for a self-certifying DID --------------------------------------

@pytest.mark.parametrize("did", [TRUSTED, did_jwk.from_jwk(did_jwk.ed25519_jwk(bytes(32))),
                                 "did:pkh:eip155:1:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"])
def test_a_self_certifying_did_is_never_cached(identity, did):
    document = web_document(did)
    with pytest.raises(InvalidDid) as info:
        VerificationCache(identity.store).put_did_document(did, document)
    assert "resolved from the identifier itself" in str(info.value)
    assert VerificationCache(identity.store).did_document(did) is None


def test_a_stored_did_key_document_is_never_read(identity, run):
    hijack = web_document(TRUSTED, fragment="attacker")           # id did:key:…, the attacker's key
    store_raw(identity.store, TRUSTED, hijack)
    service = CredentialService(identity.store)
    asked = []
    context = service.context()
    lookup = context.documents
    context.documents = lambda did: asked.append(did) or lookup(did)
    genuine = check(di_signed(TRUSTED, TRUSTED_KEY, TRUSTED_VM), context).verdict
    assert genuine.valid, genuine.message
    assert check(jwt_signed(TRUSTED, TRUSTED_KEY, TRUSTED_VM), context).verdict.valid
    forged = check(di_signed(TRUSTED, ATTACKER_KEY, f"{TRUSTED}#attacker"), context).verdict
    assert forged.reason is Reason.UNKNOWN_KEY and "has no key 'attacker'" in forged.message
    assert asked == []                                            # the cache was never consulted

    assert run("init", "--kdf-seconds", "0")[0] == 0
    doc = run.tmp / "did-key.json"
    doc.write_text(json.dumps(hijack))
    code, _, err = run("did", "cache", str(doc))
    assert code == 1 and "is a did:key: it is resolved from the identifier itself" in err


# ---- (c) the verification method belongs to another (resolvable) DID than the issuer -------

@pytest.mark.parametrize("fmt", FORMATS)
def test_proof_by_another_resolvable_did_is_wrong_key(identity, fmt):
    college, other = "did:web:college.example", "did:web:other.example"
    cache = VerificationCache(identity.store)
    cache.put_did_document(college, web_document(college, key=TRUSTED_KEY))
    cache.put_did_document(other, web_document(other, key=ATTACKER_KEY))
    context = CredentialService(identity.store).context()
    assert check(FORMATS[fmt](college, TRUSTED_KEY, f"{college}#key-1"), context).verdict.valid
    for issuer, key, method in ((college, ATTACKER_KEY, f"{other}#key-1"),      # both cached
                                (TRUSTED, ATTACKER_KEY, f"{other}#key-1"),      # did:key issuer
                                (college, TRUSTED_KEY, TRUSTED_VM)):            # did:key signer
        verdict = check(FORMATS[fmt](issuer, key, method), context).verdict
        assert verdict.reason is Reason.WRONG_KEY, verdict.message
        assert issuer in verdict.message


def test_data_integrity_binds_the_issuer_before_reading_any_cache():
    asked = []
    signed = json.loads(di_signed(TRUSTED, ATTACKER_KEY, EVIL_VM))
    error = failure(data_integrity.verify_proof, signed, documents=lambda did: asked.append(did) or EVIL_DOC)
    assert error.reason is Reason.WRONG_KEY and asked == []


# ---- (d) a JWT whose kid is another DID's key than its iss ----------------------------------

def test_jwt_kid_of_another_did_than_iss():
    other_key = Ed25519PrivateKey.generate()
    other = did_key.from_ed25519(other_key.public_key().public_bytes_raw())
    other_vm = f"{other}#{other.split(':')[-1]}"
    for token in (jwt_signed(TRUSTED, other_key, other_vm).decode(),
                  jwt_signed(TRUSTED, ATTACKER_KEY, EVIL_VM).decode()):
        error = failure(jwt_vc.verify_jwt_vc, token, documents={EVIL: EVIL_DOC}.get)
        assert error.reason is Reason.WRONG_KEY and f"not of {TRUSTED}" in error.message
    error = failure(sd_jwt_vc.verify_sd_jwt_vc, sd_signed(TRUSTED, other_key, other_vm).decode())
    assert error.reason is Reason.WRONG_KEY


# ---- what a consistent document is --------------------------------------------------------

def _doc(**changes) -> dict:
    document = web_document(EVIL)
    document.update(changes)
    return document


X25519 = {"id": f"{EVIL}#enc", "type": "X25519KeyAgreementKey2020", "controller": EVIL,
          "publicKeyMultibase": "z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc"}


@pytest.mark.parametrize("document,fragment", [
    ("not a document", "JSON object"),
    (_doc(id="https://evil.example"), "no 'id' that is a DID"),
    (_doc(id=f"{EVIL}#key-1"), "DID URL"),
    (web_document("did:web:another.example"), "not of did:web:evil.example"),
    (_doc(verificationMethod=[{**web_document(EVIL)["verificationMethod"][0], "id": f"{TRUSTED}#k"}]),
     "may list only its own keys"),
    (_doc(assertionMethod=[TRUSTED_VM]), "may list only its own keys"),
    (_doc(verificationMethod=[{k: v for k, v in web_document(EVIL)["verificationMethod"][0].items()
                               if k != "controller"}]), "names no one as its controller"),
    (_doc(verificationMethod=[{**web_document(EVIL)["verificationMethod"][0], "publicKeyMultibase": "z1111"}]),
     "cannot be used"),
    (_doc(verificationMethod=[{"id": EVIL_VM, "type": "JsonWebKey2020", "controller": EVIL,
                               "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": 5}}]), "not a valid Ed25519 key"),
    (_doc(verificationMethod=[{"id": EVIL_VM, "type": "Ed25519VerificationKey2018", "controller": EVIL,
                               "publicKeyBase58": "0OIl"}]), "not a well-formed public key"),
    (_doc(verificationMethod=web_document(EVIL)["verificationMethod"]
          + web_document(EVIL, key=TRUSTED_KEY)["verificationMethod"]), "twice, differently"),
    (_doc(authentication=[{**web_document(EVIL)["verificationMethod"][0], "id": f"{EVIL}#key-2",
                            "controller": TRUSTED}]), f"names {TRUSTED} as its controller"),
    (_doc(verificationMethod={"id": EVIL_VM}), "not a list"),
])
def test_inconsistent_documents_are_refused_with_a_reason(document, fragment):
    with pytest.raises(InvalidDid) as info:
        check_document(document, EVIL)
    assert fragment in str(info.value)


def test_consistent_documents_are_accepted():
    assert check_document(web_document(EVIL)) == EVIL
    relative = _doc(assertionMethod=["#key-1"], keyAgreement=[X25519])   # a key-agreement key never signs
    assert check_document(relative, EVIL) == EVIL
    assert resolve_method(EVIL_VM, {EVIL: relative}.get).controller == EVIL
