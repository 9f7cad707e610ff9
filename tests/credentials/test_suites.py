"""The proof suites beside eddsa-2022: Ed25519Signature2020 and ecdsa-rdfc/jcs-2019 from the
W3C vectors (byte for byte where the algorithm is deterministic), JsonWebSignature2020 from
the DIF JWS test suite, Ed25519Signature2018 signed here; tampering, damaged signatures,
swapped keys and algorithms, and the "all signed" rule for every RDF suite."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from pathlib import Path

import base58
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from vault.credentials import data_integrity as di
from vault.credentials.verdict import CredentialFailure, Reason, WarningCode
from vault.did import did_key, multikey

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "credentials" / "data-integrity"
EDDSA, ECDSA, JWS = FIX / "vc-di-eddsa", FIX / "vc-di-ecdsa", FIX / "jws-2020"
VC_V1, VC_V2 = "https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2"
ED2020_CTX, ED2018_CTX = ("https://w3id.org/security/suites/ed25519-2020/v1",
                          "https://w3id.org/security/suites/ed25519-2018/v1")
JWS_CTX = "https://w3id.org/security/suites/jws-2020/v1"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"     # @vocab for the subject's claims


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def failure_of(fn, *args, **kwargs) -> CredentialFailure:
    with pytest.raises(CredentialFailure) as info:
        fn(*args, **kwargs)
    return info.value


def codes(result) -> list[str]:
    return [w.code.value for w in result.warnings]


# ---------------------------------------------------------------------------- keys

def ed25519_from_multibase(value: str) -> Ed25519PrivateKey:
    raw = base58.b58decode(value[1:])
    assert raw[:2] == b"\x80\x26"                                  # ed25519-priv
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def ec_from_multibase(value: str) -> ec.EllipticCurvePrivateKey:
    raw = base58.b58decode(value[1:])
    curve = {b"\x86\x26": ec.SECP256R1(), b"\x87\x26": ec.SECP384R1()}[raw[:2]]   # p256-priv, p384-priv
    return ec.derive_private_key(int.from_bytes(raw[2:], "big"), curve)


def did_for(key) -> tuple[str, str]:
    """(did:key, verification method) of a private key."""
    public = key.public_key()
    if isinstance(key, Ed25519PrivateKey):
        did = did_key.from_ed25519(public.public_bytes_raw())
    else:
        codec = {"secp256r1": "p256-pub", "secp384r1": "p384-pub", "secp256k1": "secp256k1-pub"}[key.curve.name]
        point = public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
        did = "did:key:" + multikey.encode(codec, point)
    return did, f"{did}#{did.split(':')[-1]}"


def seeded(label: str, curve=None):
    seed = hashlib.sha256(f"blocktrack-vault/tests/suites/{label}".encode()).digest()
    if curve is None:
        return Ed25519PrivateKey.from_private_bytes(seed)
    return ec.derive_private_key(int.from_bytes(seed, "big") % (2 ** 250), curve)


ED_KEY, P256_KEY, P384_KEY = seeded("ed"), seeded("p256", ec.SECP256R1()), seeded("p384", ec.SECP384R1())
K1_KEY = seeded("k1", ec.SECP256K1())


def credential(issuer: str, contexts=(VC_V2, ED2020_CTX)) -> dict:
    doc = {"@context": [*contexts, EXAMPLES], "id": "urn:uuid:2b7e4b0c-8f1f-4a55-9d7e-11d9a3c5e001",
           "type": ["VerifiableCredential"], "issuer": issuer,
           "credentialSubject": {"id": "did:example:learner", "name": "Ada Learner"}}
    if VC_V1 in contexts:
        doc["issuanceDate"] = "2024-01-01T00:00:00Z"
    else:
        doc["validFrom"] = "2024-01-01T00:00:00Z"
    return doc


# (suite, key, contexts) that sign and verify round trip
ROUND_TRIPS = [
    ("eddsa-rdfc-2022", ED_KEY, (VC_V2,)),
    ("ecdsa-rdfc-2019", P256_KEY, (VC_V2,)),
    ("ecdsa-rdfc-2019", P384_KEY, (VC_V2,)),
    ("ecdsa-jcs-2019", P256_KEY, (VC_V2,)),
    ("ecdsa-jcs-2019", P384_KEY, (VC_V2,)),
    ("Ed25519Signature2020", ED_KEY, (VC_V2, ED2020_CTX)),
    ("Ed25519Signature2020", ED_KEY, (VC_V1, ED2020_CTX)),
    ("Ed25519Signature2018", ED_KEY, (VC_V1,)),               # credentials/v1 defines the suite
    ("Ed25519Signature2018", ED_KEY, (VC_V2, ED2018_CTX)),
    ("JsonWebSignature2020", ED_KEY, (VC_V1, JWS_CTX)),
    ("JsonWebSignature2020", P256_KEY, (VC_V1, JWS_CTX)),
    ("JsonWebSignature2020", P384_KEY, (VC_V1, JWS_CTX)),
    ("JsonWebSignature2020", K1_KEY, (VC_V1, JWS_CTX)),
]
RT_IDS = [f"{s}-{getattr(getattr(k, 'curve', None), 'name', 'ed25519')}-{'v1' if VC_V1 in c else 'v2'}"
          for s, k, c in ROUND_TRIPS]


def signed_with(suite: str, key, contexts) -> dict:
    did, vm = did_for(key)
    return di.sign(credential(did, contexts), key, vm, cryptosuite=suite, created="2024-05-01T10:00:00Z")


# ---------------------------------------------------------------------------- W3C vectors

ED2020 = EDDSA / "Ed25519Signature2020"
EDDSA_KEY = ed25519_from_multibase(load(EDDSA / "keyPair.json")["privateKeyMultibase"])


def test_ed25519signature2020_vector_reproduced_byte_for_byte():
    document = load(EDDSA / "unsigned.json")
    document["@context"] = document["@context"] + [ED2020_CTX]
    config = load(ED2020 / "proofConfigEdSig.json")
    canon_doc = di.transform(document, "Ed25519Signature2020")
    canon_proof = di.proof_configuration(config, document, "Ed25519Signature2020")
    assert canon_doc.decode() == text(ED2020 / "canonDocEdSig.txt")
    assert canon_proof.decode() == text(ED2020 / "proofCanonEdSig.txt")
    assert hashlib.sha256(canon_doc).hexdigest() == text(ED2020 / "docHashEdSig.txt").strip()
    assert hashlib.sha256(canon_proof).hexdigest() == text(ED2020 / "proofHashEdSig.txt").strip()
    data = di.hash_data(canon_proof, canon_doc)
    assert data.hex() == text(ED2020 / "combinedHashEdSig.txt").strip()
    assert EDDSA_KEY.sign(data).hex() == text(ED2020 / "sigHexEdSig.txt").strip()
    signed = di.sign(document, EDDSA_KEY, config["verificationMethod"], cryptosuite="Ed25519Signature2020",
                     created=config["created"])
    assert signed == load(ED2020 / "signedEdSig.json")
    assert signed["proof"]["proofValue"] == text(ED2020 / "sigBTC58EdSig.txt").strip()


def test_ed25519signature2020_vector_verifies_with_a_legacy_warning():
    signed = load(ED2020 / "signedEdSig.json")
    result = di.verify_proofs(signed, bind_issuer=False)
    assert result.suites == ["Ed25519Signature2020"] and codes(result) == ["legacy-cryptosuite"]
    assert "Ed25519Signature2020" in result.warnings[0].message
    # The example's issuer is an https URL, not the did:key that signed.
    assert failure_of(di.verify_proof, signed).reason is Reason.WRONG_KEY


ECDSA_VECTORS = {  # folder: (file suffix, key pair file, hash)
    "ecdsa-rdfc-2019-p256": ("ECDSAP256", "p256KeyPair.json", "sha256"),
    "ecdsa-rdfc-2019-p384": ("ECDSAP384", "p384KeyPair.json", "sha384"),
    "ecdsa-jcs-2019-p256": ("JCSECDSAP256", "p256KeyPair.json", "sha256"),
    "ecdsa-jcs-2019-p384": ("JCSECDSAP384", "p384KeyPair.json", "sha384"),
}


def _verify_raw(public_key, signature: bytes, data: bytes, hash_name: str) -> None:
    half = len(signature) // 2
    der = encode_dss_signature(int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big"))
    public_key.verify(der, data, ec.ECDSA({"sha256": hashes.SHA256(), "sha384": hashes.SHA384()}[hash_name]))


@pytest.mark.parametrize("folder", list(ECDSA_VECTORS))
def test_ecdsa_vector_reproduced(folder):
    suffix, pair, hash_name = ECDSA_VECTORS[folder]
    d = ECDSA / folder
    suite = folder.rsplit("-", 1)[0]
    document, config = load(ECDSA / "unsigned.json"), load(d / f"proofConfig{suffix}.json")
    canon_doc = di.transform(document, suite, hash_name)
    canon_proof = di.proof_configuration(config, document, suite, hash_name)
    assert canon_doc.decode() == text(d / f"canonDoc{suffix}.txt")
    assert canon_proof.decode() == text(d / f"proofCanon{suffix}.txt")
    assert hashlib.new(hash_name, canon_doc).hexdigest() == text(d / f"docHash{suffix}.txt").strip()
    assert hashlib.new(hash_name, canon_proof).hexdigest() == text(d / f"proofHash{suffix}.txt").strip()
    data = di.hash_data(canon_proof, canon_doc, hash_name)
    assert data.hex() == text(d / f"combinedHash{suffix}.txt").strip()
    public = multikey.public_key(*multikey.decode(load(ECDSA / pair)["publicKeyMultibase"]))
    signature = bytes.fromhex(text(d / f"sigHex{suffix}.txt").strip())
    _verify_raw(public, signature, data, hash_name)
    assert base58.b58decode(text(d / f"sigBTC58{suffix}.txt").strip()[1:]) == signature
    signed = load(d / f"signed{suffix}.json")
    result = di.verify_proofs(signed, bind_issuer=False)
    assert result.suites == [suite] and result.warnings == []
    assert result.key.controller == "did:key:" + load(ECDSA / pair)["publicKeyMultibase"]
    # Signing anew with the published key gives another (randomized) signature that verifies.
    key = ec_from_multibase(load(ECDSA / pair)["secretKeyMultibase"])
    again = di.sign(document, key, config["verificationMethod"], cryptosuite=suite, created=config["created"])
    assert again["proof"]["proofValue"] != signed["proof"]["proofValue"]
    assert {k: v for k, v in again["proof"].items() if k != "proofValue"} == \
        {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    di.verify_signature(again, again["proof"], public)


@pytest.mark.parametrize("folder", ["ecdsa-rdfc-2019-p256", "ecdsa-rdfc-2019-p384"])
def test_ecdsa_employment_vector(folder):
    """The `employ` vectors have blank nodes: for P-384 their canonical form is RDFC-1.0 with
    SHA-384 labels ("a hash algorithm that has an appropriate security level for the curve",
    vc-di-ecdsa §3.2), which a SHA-256 labelling would not reproduce."""
    suffix, pair, hash_name = ECDSA_VECTORS[folder]
    d = ECDSA / folder / "employ"
    canon_doc, canon_proof = (text(d / f"canonDoc{suffix}.txt").encode(),
                              text(d / f"proofCanon{suffix}.txt").encode())
    data = di.hash_data(canon_proof, canon_doc, hash_name)
    assert data.hex() == text(d / f"combinedHash{suffix}.txt").strip()
    public = multikey.public_key(*multikey.decode(load(ECDSA / pair)["publicKeyMultibase"]))
    _verify_raw(public, bytes.fromhex(text(d / f"sigHex{suffix}.txt").strip()), data, hash_name)
    # Its citizenship context is vendored (for ecdsa-sd-2023): the document verifies, and
    # we canonicalize it as the vector does.
    signed = load(d / f"signed{suffix}.json")
    di.verify_proof(signed, bind_issuer=False)
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    assert di.transform(unsecured, "ecdsa-rdfc-2019", hash_name) == canon_doc
    assert di.proof_configuration(signed["proof"], unsecured, "ecdsa-rdfc-2019", hash_name) == canon_proof


# ---------------------------------------------------------------------------- JsonWebSignature2020

JWS_KEYS = {p.stem: load(p) for p in sorted((JWS / "keys").iterdir())}
JWS_VECTORS = sorted((JWS / "transmute").iterdir())


def example_123() -> dict:
    """did:example:123 as the DIF suite's keys describe it (public parts only)."""
    methods = [{k: v for k, v in key.items() if k != "privateKeyJwk"} for key in JWS_KEYS.values()]
    return {"@context": ["https://www.w3.org/ns/did/v1", JWS_CTX], "id": "did:example:123",
            "verificationMethod": methods, "assertionMethod": [m["id"] for m in methods]}


def jws_documents(did: str):
    return {"did:example:123": example_123()}.get(did)


@pytest.mark.parametrize("path", JWS_VECTORS, ids=lambda p: p.stem)
def test_dif_jws2020_vectors_verify(path):
    result = di.verify_proofs(load(path), documents=jws_documents)
    assert result.key.controller == "did:example:123" and result.suites == ["JsonWebSignature2020"]
    assert codes(result) == ["legacy-cryptosuite"]


@pytest.mark.parametrize("path", JWS_VECTORS, ids=lambda p: p.stem)
def test_dif_jws2020_vectors_tampered(path):
    doc = load(path)
    doc["issuanceDate"] = "2021-01-02T19:23:24Z"
    assert failure_of(di.verify_proof, doc, documents=jws_documents).reason is Reason.BAD_SIGNATURE
    doc = load(path)
    header, _, signature = doc["proof"]["jws"].split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[5] ^= 1
    doc["proof"]["jws"] = f"{header}..{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"
    assert failure_of(di.verify_proof, doc, documents=jws_documents).reason is Reason.BAD_SIGNATURE


def _b64(value) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _with_header(jws: str, header) -> str:
    return f"{_b64(header)}..{jws.split('.')[2]}"


@pytest.mark.parametrize("suite,contexts", [("JsonWebSignature2020", (VC_V1, JWS_CTX)),
                                            ("Ed25519Signature2018", (VC_V1,))])
@pytest.mark.parametrize("header,reason", [
    ({"alg": "EdDSA", "b64": True, "crit": ["b64"]}, Reason.BAD_SIGNATURE),
    ({"alg": "EdDSA", "b64": False}, Reason.BAD_SIGNATURE),
    ({"alg": "EdDSA", "b64": False, "crit": ["b64"], "kid": "x"}, Reason.BAD_SIGNATURE),
    ({"alg": "none", "b64": False, "crit": ["b64"]}, Reason.UNSUPPORTED_CRYPTOSUITE),
    ({"alg": "HS256", "b64": False, "crit": ["b64"]}, Reason.UNSUPPORTED_CRYPTOSUITE),
    ({"alg": "ES256", "b64": False, "crit": ["b64"]}, None),    # 2020: WRONG_KEY; 2018: unsupported
    ("not json", Reason.BAD_SIGNATURE),
])
def test_crafted_jws_headers_are_refused(suite, contexts, header, reason):
    signed = signed_with(suite, ED_KEY, contexts)
    signed["proof"]["jws"] = _with_header(signed["proof"]["jws"], header.encode() if isinstance(header, str) else header)
    expected = reason or (Reason.WRONG_KEY if suite == "JsonWebSignature2020" else Reason.UNSUPPORTED_CRYPTOSUITE)
    failure = failure_of(di.verify_proof, signed)
    assert failure.reason is expected, failure.message


@pytest.mark.parametrize("damage", ["attached", "padded", "three", "empty", "number"])
def test_damaged_jws_is_bad_signature(damage):
    signed = signed_with("JsonWebSignature2020", P256_KEY, (VC_V1, JWS_CTX))
    header, _, signature = signed["proof"]["jws"].split(".")
    signed["proof"]["jws"] = {"attached": f"{header}.{_b64(b'payload')}.{signature}", "padded": f"{header}..{signature}=",
                              "three": f"{header}..{signature}.x", "empty": "", "number": 7}[damage]
    failure = failure_of(di.verify_proof, signed)
    assert failure.reason is Reason.BAD_SIGNATURE and "damaged" in failure.message


def test_jws_alg_swapped_to_another_curve_is_wrong_key():
    """A P-256 signature relabelled ES384 (or ES256K) never reaches a P-256 key as such."""
    signed = signed_with("JsonWebSignature2020", P256_KEY, (VC_V1, JWS_CTX))
    for alg in ("ES384", "ES256K", "EdDSA"):
        crafted = copy.deepcopy(signed)
        crafted["proof"]["jws"] = _with_header(signed["proof"]["jws"], {"alg": alg, "b64": False, "crit": ["b64"]})
        assert failure_of(di.verify_proof, crafted).reason is Reason.WRONG_KEY


# ---------------------------------------------------------------------------- every suite

@pytest.mark.parametrize("suite,key,contexts", ROUND_TRIPS, ids=RT_IDS)
def test_round_trip_and_tampering(suite, key, contexts):
    signed = signed_with(suite, key, contexts)
    result = di.verify_proofs(signed)
    assert result.key.controller == did_for(key)[0] and result.suites == [suite]
    legacy = suite in ("Ed25519Signature2020", "Ed25519Signature2018", "JsonWebSignature2020")
    assert codes(result) == (["legacy-cryptosuite"] if legacy else [])
    for path, value in ((("credentialSubject", "name"), "Mallory"), (("proof", "created"), "2024-05-02T10:00:00Z"),
                        (("credentialSubject", "id"), "did:example:mallory")):
        crafted = copy.deepcopy(signed)
        crafted[path[0]][path[1]] = value
        failure = failure_of(di.verify_proof, crafted)
        assert failure.reason is Reason.BAD_SIGNATURE, failure.message


@pytest.mark.parametrize("suite,key,contexts", ROUND_TRIPS, ids=RT_IDS)
def test_signature_from_another_key_is_bad_signature(suite, key, contexts):
    """The forger signs with their own key of the same kind but names the issuer's method."""
    forger = seeded("forger", getattr(key, "curve", None).__class__()) if hasattr(key, "curve") else seeded("forger")
    did, vm = did_for(key)
    forged = di.sign(credential(did, contexts), forger, vm, cryptosuite=suite)
    assert failure_of(di.verify_proof, forged).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("suite,key,contexts", [r for r in ROUND_TRIPS if "jcs" not in r[0]],
                         ids=[i for i, r in zip(RT_IDS, ROUND_TRIPS) if "jcs" not in r[0]])
def test_rdf_suites_refuse_members_outside_the_signed_data(suite, key, contexts):
    """The all-signed rule holds for every RDF suite: a member that never reaches the
    signed dataset (here a null, and an inline context renaming a term) is refused,
    though the signature still matches the dataset."""
    signed = signed_with(suite, key, contexts)
    crafted = copy.deepcopy(signed)
    crafted["credentialSubject"]["note"] = None
    failure = failure_of(di.verify_proof, crafted)
    assert failure.reason is Reason.MALFORMED and "not part of the signed data" in failure.message
    crafted = copy.deepcopy(signed)
    crafted["@context"] = crafted["@context"] + [{"nickname": "https://schema.org/name"}]
    failure = failure_of(di.verify_proof, crafted)
    assert failure.reason is Reason.MALFORMED and "inline @context" in failure.message


@pytest.mark.parametrize("suite,contexts", [("eddsa-rdfc-2022", (VC_V2,)), ("Ed25519Signature2020", (VC_V2, ED2020_CTX)),
                                            ("Ed25519Signature2018", (VC_V1,)), ("ecdsa-rdfc-2019", (VC_V2,))])
def test_a_key_of_the_wrong_kind_is_wrong_key(suite, contexts):
    """A proof whose method resolves to a key its suite cannot use: the issuer's own
    did:key, of another curve (crafted by relabelling a genuine proof)."""
    other = P256_KEY if suite != "ecdsa-rdfc-2019" else ED_KEY
    genuine = signed_with(suite, ED_KEY if suite != "ecdsa-rdfc-2019" else P256_KEY, contexts)
    did, vm = did_for(other)
    genuine["issuer"], genuine["proof"]["verificationMethod"] = did, vm
    failure = failure_of(di.verify_proof, genuine)
    assert failure.reason is Reason.WRONG_KEY and suite in failure.message


def test_ecdsa_refuses_secp256k1():
    with pytest.raises(ValueError):
        signed_with("ecdsa-rdfc-2019", K1_KEY, (VC_V2,))
    genuine = signed_with("ecdsa-rdfc-2019", P256_KEY, (VC_V2,))
    did, vm = did_for(K1_KEY)
    genuine["issuer"], genuine["proof"]["verificationMethod"] = did, vm
    assert failure_of(di.verify_proof, genuine).reason is Reason.WRONG_KEY


def test_relabelled_suite_is_bad_signature():
    """eddsa-rdfc-2022 and Ed25519Signature2020 compute the same algorithm; the proof type
    is signed, so one cannot be passed off as the other."""
    signed = signed_with("eddsa-rdfc-2022", ED_KEY, (VC_V2, ED2020_CTX))
    proof = signed["proof"]
    signed["proof"] = {"type": "Ed25519Signature2020", **{k: v for k, v in proof.items()
                                                          if k not in ("type", "cryptosuite")}}
    assert failure_of(di.verify_proof, signed).reason is Reason.BAD_SIGNATURE
    p384 = signed_with("ecdsa-rdfc-2019", P384_KEY, (VC_V2,))
    p384["proof"]["cryptosuite"] = "ecdsa-jcs-2019"
    assert failure_of(di.verify_proof, p384).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("suite,key,contexts,value", [
    ("ecdsa-rdfc-2019", P256_KEY, (VC_V2,), "z" + base58.b58encode(bytes(96)).decode()),   # P-384 length, P-256 key
    ("ecdsa-rdfc-2019", P256_KEY, (VC_V2,), "z" + base58.b58encode(bytes(70)).decode()),   # DER-ish length
    ("Ed25519Signature2020", ED_KEY, (VC_V2, ED2020_CTX), "u" + "A" * 86),
    ("Ed25519Signature2020", ED_KEY, (VC_V2, ED2020_CTX), None),
])
def test_damaged_proof_values(suite, key, contexts, value):
    signed = signed_with(suite, key, contexts)
    signed["proof"]["proofValue"] = value
    failure = failure_of(di.verify_proof, signed)
    assert failure.reason is Reason.BAD_SIGNATURE and "damaged" in failure.message


def test_sign_refuses_the_wrong_kind_of_key():
    for suite, key in (("ecdsa-rdfc-2019", ED_KEY), ("Ed25519Signature2020", P256_KEY),
                       ("Ed25519Signature2018", P384_KEY), ("JsonWebSignature2020", "not a key")):
        with pytest.raises(ValueError):
            di.sign(credential("did:example:x", (VC_V1, JWS_CTX, ED2020_CTX)), key, "did:example:x#k",
                    cryptosuite=suite)
    with pytest.raises(ValueError):
        di.sign(credential("did:example:x"), ED_KEY, "did:example:x#k", cryptosuite="BbsBlsSignature2020")


_json = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.text(max_size=12),
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                     max_leaves=8)
_headers = st.dictionaries(st.sampled_from(["alg", "b64", "crit", "kid"]),
                           st.one_of(st.sampled_from(["EdDSA", "ES256", "ES384", "ES256K", "none"]), st.just(False),
                                     st.just(["b64"]), _json), max_size=4)
_jws = st.one_of(_json, st.tuples(_headers, st.binary(max_size=100)).map(lambda t: f"{_b64(t[0])}..{_b64(t[1])}"))
_SIGNED = {suite: signed_with(suite, key, contexts) for suite, key, contexts in ROUND_TRIPS[:6]}
_SIGNED["JsonWebSignature2020"] = signed_with("JsonWebSignature2020", P256_KEY, (VC_V1, JWS_CTX))
_SIGNED["Ed25519Signature2018"] = signed_with("Ed25519Signature2018", ED_KEY, (VC_V1,))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suite=st.sampled_from(sorted(_SIGNED)), member=st.sampled_from(["jws", "proofValue", "type", "cryptosuite",
                                                                     "previousProof", "id"]),
       value=st.one_of(_jws, _json))
def test_garbage_in_any_suite_only_ever_fails_as_credential_failure(suite, member, value):
    doc = copy.deepcopy(_SIGNED[suite])
    doc["proof"][member] = value
    try:
        di.verify_proofs(doc)
    except CredentialFailure:
        pass
