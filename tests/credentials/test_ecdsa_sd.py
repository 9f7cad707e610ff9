"""ecdsa-sd-2023: every step of the W3C vectors (employ and prc), base and derived proofs
reproduced byte for byte, the holder's disclosures, and crafted attacks on derived
proofs (changed, added, removed or relabelled statements; damaged proof values) that
must end as bad-signature, never as a valid credential. bbs-2023 is refused by name."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import base58
import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault.credentials import data_integrity as di
from vault.credentials import ecdsa_sd, jsonld, jsonld_sd
from vault.credentials.suites import ecdsa_sd_2023 as es
from vault.credentials.suites import sd_primitives as sd
from vault.credentials.suites.base import RDFC, canonical_config
from vault.credentials.verdict import CredentialFailure, Reason
from vault.did import did_key, multikey

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "credentials" / "data-integrity" / "ecdsa-sd-2023"
# folder -> (unsigned credential, mandatory pointers, selective pointers). The prc steps were
# made from the signed document's text, whose description differs from prCredUnsigned.json's:
# the unsigned document is the signed one without its proof (for employ they are equal).
VECTORS = {"employ": ("employmentAuth", "employMandatory", "employSelective"),
           "prc": ("prCredUnsigned", "prCredMandatory", "prCredSelective")}
VC_V2, OB = "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def load(name: str):
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def private(multibase: str) -> ec.EllipticCurvePrivateKey:
    raw = base58.b58decode(multibase[1:])
    assert raw[:2] == b"\x86\x26"                                   # p256-priv
    return ec.derive_private_key(int.from_bytes(raw[2:], "big"), ec.SECP256R1())


KEYS = load("SDKeyMaterial.json")
ISSUER_KEY, PROOF_KEY = (private(KEYS["baseKeyPair"]["secretKeyMultibase"]),
                         private(KEYS["proofKeyPair"]["secretKeyMultibase"]))
HMAC_KEY = bytes.fromhex(KEYS["hmacKeyString"])


def failure_of(fn, *args, **kwargs) -> CredentialFailure:
    with pytest.raises(CredentialFailure) as info:
        fn(*args, **kwargs)
    return info.value


def entries(map_vector: dict) -> dict:
    assert map_vector["dataType"] == "Map"
    return dict((k, v) for k, v in map_vector["value"])


def inputs(folder: str) -> tuple[dict, list[str], list[str]]:
    _, mandatory, selective = (load(f"{n}.json") for n in VECTORS[folder])
    unsigned = {k: v for k, v in load(f"{folder}/addSignedSDBase.json").items() if k != "proof"}
    return unsigned, mandatory, selective


def verify(document):
    return di.verify_proofs(document, bind_issuer=False)


# ---------------------------------------------------------------------------- W3C vectors: base

@pytest.mark.parametrize("folder", VECTORS)
def test_vector_base_proof_step_by_step(folder):
    unsigned, mandatory, _ = inputs(folder)
    d = f"{folder}/"
    # Canonical N-Quads, then the same with HMAC labels.
    assert jsonld.canonize(unsigned, all_signed=True).splitlines(keepends=True) == load(d + "addBaseDocCanon.json")
    grouped = sd.canonicalize_and_group(unsigned, sd.hmac_labels(HMAC_KEY), {"mandatory": mandatory}, "credential")
    assert grouped.nquads == load(d + "addBaseDocHMACCanon.json")
    transform = load(d + "addBaseTransform.json")
    assert transform["mandatoryPointers"] == mandatory
    assert grouped.groups["mandatory"].matching == entries(transform["mandatory"])
    assert grouped.groups["mandatory"].non_matching == entries(transform["nonMandatory"])
    assert [{"pointer": p, "value": unsigned[p[1:]]} for p in mandatory] == load(d + "addPointerValues.json")
    # Proof configuration and the two hashes.
    options = load(d + "addProofConfig.json")
    config = canonical_config({k: v for k, v in options.items() if k != "@context"}, unsigned, RDFC)
    assert config.decode() == (FIX / folder / "addProofConfigCanon.txt").read_text()
    hashes = load(d + "addHashData.json")
    assert hashlib.sha256(config).hexdigest() == hashes["proofHash"]
    assert sd.hash_mandatory(grouped.groups["mandatory"].matching.values()).hex() == hashes["mandatoryHash"]
    # The base proof, byte for byte (RFC 6979 signatures, the vector's keys).
    signed = load(d + "addSignedSDBase.json")
    proof = es.sign_base_proof(unsigned, {k: v for k, v in options.items() if k != "@context"}, ISSUER_KEY,
                               mandatory, proof_key=PROOF_KEY, hmac_key=HMAC_KEY)
    assert proof == signed["proof"]
    raw = load(d + "addRawBaseSignatureInfo.json")
    parsed = es.parse_proof_value(proof["proofValue"])
    assert parsed.base_signature.hex() == raw["baseSignature"]
    assert "z" + base58.b58encode(parsed.public_key).decode() == raw["publicKey"] == KEYS["proofKeyPair"][
        "publicKeyMultibase"]
    assert [s.hex() for s in parsed.signatures] == raw["signatures"]
    assert list(parsed.mandatory_pointers) == raw["mandatoryPointers"] and parsed.hmac_key == HMAC_KEY


def test_employ_unsigned_document_is_the_signed_one():
    assert inputs("employ")[0] == load("employmentAuth.json")


@pytest.mark.parametrize("folder", VECTORS)
def test_vector_base_proof_verifies_and_a_change_breaks_it(folder):
    signed = load(f"{folder}/addSignedSDBase.json")
    assert verify(signed).suites == ["ecdsa-sd-2023"]
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["birthCountry"] = "Utopia"
    assert failure_of(verify, changed).reason is Reason.BAD_SIGNATURE
    changed = copy.deepcopy(signed)
    changed["issuer"]["id"] = "did:example:forger"           # a mandatory statement
    assert failure_of(verify, changed).reason is Reason.BAD_SIGNATURE


# ---------------------------------------------------------------------------- W3C vectors: derived

@pytest.mark.parametrize("folder", VECTORS)
def test_vector_derived_proof_step_by_step(folder):
    unsigned, mandatory, selective = inputs(folder)
    d = f"{folder}/"
    grouped = sd.canonicalize_and_group(unsigned, sd.hmac_labels(HMAC_KEY), {
        "mandatory": mandatory, "selective": selective, "combined": mandatory + selective}, "credential")
    indexes = load(d + "derivedGroupIndexes.json")
    groups = grouped.groups
    assert sorted(groups["combined"].matching) == indexes["combinedIndexes"]
    assert sorted(groups["mandatory"].matching) == indexes["mandatoryIndexes"]
    assert sorted(groups["mandatory"].non_matching) == indexes["nonMandatoryIndexes"]
    assert sorted(groups["selective"].matching) == indexes["selectiveIndexes"]
    assert sd.select_json_ld(unsigned, mandatory + selective) == load(d + "derivedUnsignedReveal.json")

    # The holder derives exactly the published document and proof value.
    derived = es.derive(load(d + "addSignedSDBase.json"), selective)
    assert derived == load(d + "derivedRevealDocument.json")
    parsed = es.parse_proof_value(derived["proof"]["proofValue"])
    disclosure = load(d + "derivedDisclosureData.json")
    assert [s.hex() for s in parsed.signatures] == disclosure["signatures"] == \
        load(d + "derivedAdjSignatures.json")["filteredSignatures"]
    assert parsed.label_map == entries(disclosure["labelMap"])
    assert list(parsed.mandatory_indexes) == disclosure["mandatoryIndexes"] == \
        load(d + "derivedAdjMandatoryIndexes.json")["adjMandatoryIndexes"]
    value = load(d + "verifyDerivedProofValue.json")
    assert parsed.base_signature.hex() == value["baseSignature"] and list(map(list, parsed.label_map.items())) \
        == value["labelMap"]

    # The verifier's side: the relabelled N-Quads and the data it checks.
    reveal = {k: v for k, v in derived.items() if k != "proof"}
    nquads = sd.label_replacement_canonicalize_json_ld(reveal, sd.mapped_labels(parsed.label_map, "c"), "c")
    assert nquads == load(d + "verifyNQuads.json")
    verify_data = load(d + "verifyCreateVerifyData.json")
    wanted = set(parsed.mandatory_indexes)
    assert [nq for i, nq in enumerate(nquads) if i not in wanted] == verify_data["nonMandatory"]
    assert sd.hash_mandatory(nq for i, nq in enumerate(nquads) if i in wanted).hex() == verify_data["mandatoryHash"]
    assert verify(derived).suites == ["ecdsa-sd-2023"]


def test_published_derived_documents_verify():
    for folder in VECTORS:
        assert verify(load(f"{folder}/derivedRevealDocument.json")).suites == ["ecdsa-sd-2023"]


def test_canonize_nquads_maps_input_labels_even_when_they_look_canonical():
    # pyld's URDNA2015 leaves an input label that already starts with "_:c14n" unrenamed.
    nquads = ['_:c14n5 <http://ex.org/p> "a" .\n', '_:c14n5 <http://ex.org/q> _:x .\n',
              '_:x <http://ex.org/p> "b" .\n']
    canonical, issued = jsonld_sd.canonize_nquads(nquads)
    assert set(issued) == {"c14n5", "x"} and set(issued.values()) == {"c14n0", "c14n1"}
    assert all(line.startswith("_:c14n0 ") or line.startswith("_:c14n1 ") for line in canonical)
    assert sorted(sd.relabel(nquads, issued)) == canonical


# ---------------------------------------------------------------------------- attacks on derived proofs

DERIVED = "employ/derivedRevealDocument.json"


def _with_proof_value(document: dict, value: str) -> dict:
    forged = copy.deepcopy(document)
    forged["proof"]["proofValue"] = value
    return forged


def _components(document: dict) -> list:
    raw = sd.b64url_decode(document["proof"]["proofValue"][1:])
    return cbor2.loads(raw[3:])


def _encode(components: list, header: bytes = es.DERIVED_HEADER) -> str:
    return "u" + sd.b64url(header + cbor2.dumps(components))


@pytest.mark.parametrize("attack", ["changed value", "withheld claim added", "disclosed claim removed",
                                    "mandatory claim removed", "issuer swapped"])
def test_changed_derived_credential_is_a_bad_signature(attack):
    forged = load(DERIVED)
    if attack == "changed value":
        forged["credentialSubject"]["birthCountry"] = "Utopia"
    elif attack == "withheld claim added":      # a claim the holder did not disclose, made up
        forged["credentialSubject"]["givenName"] = "JOHN"
    elif attack == "disclosed claim removed":
        del forged["credentialSubject"]["birthCountry"]
    elif attack == "mandatory claim removed":
        del forged["issuer"]["image"]
    else:
        forged["issuer"]["id"] = "did:example:forger"
    assert failure_of(verify, forged).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("attack", ["signature flipped", "signature dropped", "signatures swapped",
                                    "label map swapped", "mandatory index moved", "base signature flipped"])
def test_forged_derived_proof_value_is_a_bad_signature(attack):
    document = load(DERIVED)
    base_signature, public_key, signatures, labels, indexes = _components(document)
    if attack == "signature flipped":
        signatures[0] = bytes([signatures[0][0] ^ 1]) + signatures[0][1:]
    elif attack == "signature dropped":
        signatures.pop()
    elif attack == "signatures swapped":
        signatures[0], signatures[1] = signatures[1], signatures[0]
    elif attack == "label map swapped":
        labels = {0: labels[1], 1: labels[0]}
    elif attack == "mandatory index moved":
        indexes = [i + 1 for i in indexes]
    else:
        base_signature = bytes([base_signature[0] ^ 1]) + base_signature[1:]
    forged = _with_proof_value(document, _encode([base_signature, public_key, signatures, labels, indexes]))
    assert failure_of(verify, forged).reason is Reason.BAD_SIGNATURE


def test_label_map_missing_a_blank_node_is_a_bad_signature():
    document = load(DERIVED)
    base_signature, public_key, signatures, labels, indexes = _components(document)
    forged = _with_proof_value(document, _encode([base_signature, public_key, signatures, {0: labels[0]}, indexes]))
    failure = failure_of(verify, forged)
    assert failure.reason is Reason.BAD_SIGNATURE and "label map" in failure.message


@pytest.mark.parametrize("value", [
    "z2V0BhVhA",                                            # not base64url multibase
    "u",                                                    # empty
    "u" + sd.b64url(b"\xd9\x5d\x02" + cbor2.dumps([])),     # unknown header
    "u" + sd.b64url(es.DERIVED_HEADER + cbor2.dumps([b"x" * 64, b"y" * 35, [], {}, []]) + b"\x00"),  # trailing
    "u" + sd.b64url(es.DERIVED_HEADER + cbor2.dumps([b"x" * 63, b"\x80\x24" + b"y" * 33, [], {}, []])),
    "u" + sd.b64url(es.DERIVED_HEADER + cbor2.dumps([b"x" * 64, b"\x81\x24" + b"y" * 33, [], {}, []])),  # P-384
    "u" + sd.b64url(es.DERIVED_HEADER + cbor2.dumps([b"x" * 64, b"\x80\x24" + b"y" * 33, [], {"0": b"z" * 32}, []])),
    "u" + sd.b64url(es.DERIVED_HEADER + cbor2.dumps([b"x" * 64, b"\x80\x24" + b"y" * 33, [], {}, [-1]])),
    "u" + sd.b64url(es.DERIVED_HEADER + cbor2.dumps([b"x" * 64, b"\x80\x24" + b"y" * 33, [], {}, [True]])),
    "u" + sd.b64url(es.DERIVED_HEADER + b"\xff\xff"),       # not CBOR
    "u" + "A" * (es.MAX_PROOF_VALUE + 1),                   # too large to be genuine
    "u" + sd.b64url(es.BASE_HEADER + cbor2.dumps([b"x" * 64, b"\x80\x24" + b"y" * 33, b"k" * 32, [],
                                                  ["/credentialSubject"] * (es.MAX_POINTERS + 1)])),
    "u" + sd.b64url(es.BASE_HEADER + cbor2.dumps([b"x" * 64, b"\x80\x24" + b"y" * 33, b"k" * 31, [], []])),
])
def test_damaged_proof_value_is_refused_before_any_work(value):
    failure = failure_of(verify, _with_proof_value(load(DERIVED), value))
    assert failure.reason is Reason.BAD_SIGNATURE and "damaged" in failure.message


def test_proof_scoped_key_off_the_curve_is_damaged():
    document = load(DERIVED)
    base_signature, _, signatures, labels, indexes = _components(document)
    forged = _with_proof_value(document, _encode([base_signature, b"\x80\x24\x02" + b"\xff" * 32, signatures,
                                                  labels, indexes]))
    assert failure_of(verify, forged).reason is Reason.BAD_SIGNATURE


def test_unsigned_member_in_a_derived_credential_is_refused():
    """A member JSON-LD drops would be shown but not signed: refused, as for every RDF suite."""
    forged = load(DERIVED)
    forged["credentialSubject"]["nickname"] = "Johnny"      # no context defines it
    assert failure_of(verify, forged).reason is Reason.MALFORMED


# ---------------------------------------------------------------------------- our issuer, our holder

P256 = ec.derive_private_key(0x5D2023, ec.SECP256R1())
_point = P256.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
P256_DID = "did:key:" + multikey.encode("p256-pub", _point)
P256_VM = f"{P256_DID}#{P256_DID.split(':')[-1]}"


def badge() -> dict:
    return {"@context": [VC_V2, OB], "id": "urn:uuid:0c9a3e1e-5d20-4a23-9b1c-2f9c5e1d0a01",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": P256_DID, "type": ["Profile"], "name": "Test College"},
            "validFrom": "2025-01-01T00:00:00Z", "name": "Data Analysis",
            "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                                  "achievement": {"id": "urn:uuid:a1", "type": ["Achievement"],
                                                  "name": "Data Analysis", "description": "Statistics in Python.",
                                                  "criteria": {"narrative": "Pass the exam."}}}}


def issued(mandatory=("/issuer",)) -> dict:
    options = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023", "created": "2025-01-01T00:00:00Z",
               "verificationMethod": P256_VM, "proofPurpose": "assertionMethod"}
    return {**badge(), "proof": es.sign_base_proof(badge(), options, P256, list(mandatory))}


def test_sign_through_data_integrity_makes_the_issuer_mandatory():
    signed = di.sign(badge(), P256, P256_VM, cryptosuite="ecdsa-sd-2023", created="2025-01-01T00:00:00Z")
    assert es.parse_proof_value(signed["proof"]["proofValue"]).mandatory_pointers == ("/issuer",)
    assert di.verify_proofs(signed).key.method_id == P256_VM          # bound to its issuer
    assert ecdsa_sd.is_selective(signed)


def test_a_claim_not_chosen_is_not_in_the_derived_credential():
    credential = issued()
    shown = ecdsa_sd.disclose(credential, ["credentialSubject.achievement.name"])
    derived = shown.credential
    text = json.dumps(derived)
    assert "Statistics in Python" not in text and "Pass the exam" not in text and "validFrom" not in derived
    assert derived["credentialSubject"]["achievement"]["name"] == "Data Analysis"
    assert derived["credentialSubject"]["id"] == "did:example:learner"        # the subject stays bound
    assert shown.revealed == ("credentialSubject.achievement.name",)
    assert "credentialSubject.achievement.description" in shown.withheld and "validFrom" in shown.withheld
    assert di.verify_proofs(derived).suites == ["ecdsa-sd-2023"]
    # The preview shows exactly what the derived credential carries.
    assert ecdsa_sd.preview(credential, ["credentialSubject.achievement.name"]).credential == \
        {k: v for k, v in derived.items() if k != "proof"}


def test_mandatory_claims_are_always_disclosed_and_not_offered():
    credential = issued(mandatory=("/issuer", "/validFrom", "/credentialSubject/achievement/criteria"))
    labels = [c.label for c in ecdsa_sd.claims(credential)]
    assert "validFrom" not in labels and not any(l.startswith("issuer") for l in labels)
    assert "credentialSubject.achievement.criteria.narrative" not in labels
    assert "credentialSubject.achievement.description" in labels
    derived = ecdsa_sd.disclose(credential, []).credential       # nothing chosen: the mandatory part only
    assert derived["validFrom"] == "2025-01-01T00:00:00Z" and derived["issuer"]["name"] == "Test College"
    assert derived["credentialSubject"]["achievement"]["criteria"] == {"narrative": "Pass the exam."}
    assert "description" not in derived["credentialSubject"]["achievement"] and "name" not in derived
    assert di.verify_proofs(derived).suites == ["ecdsa-sd-2023"]


def test_everything_when_nothing_is_named_and_choosing_an_object_reveals_its_claims():
    credential = issued()
    whole = ecdsa_sd.disclose(credential, None)
    assert whole.withheld == () and {k: v for k, v in whole.credential.items() if k != "proof"} == badge()
    part = ecdsa_sd.disclose(credential, [("credentialSubject", "achievement", "criteria"), "/name"])
    assert part.revealed == ("name", "credentialSubject.achievement.criteria.narrative")
    assert di.verify_proofs(part.credential).suites == ["ecdsa-sd-2023"]


def test_unknown_claim_and_derived_twice_are_refused():
    credential = issued()
    with pytest.raises(ValueError, match="no claim 'credentialSubject.nickname'"):
        ecdsa_sd.disclose(credential, ["credentialSubject.nickname"])
    derived = ecdsa_sd.disclose(credential, ["name"]).credential
    assert not ecdsa_sd.is_selective(derived)
    assert failure_of(es.derive, derived, ["/validFrom"]).reason is Reason.MALFORMED


def test_base_proof_no_longer_matching_its_document_is_not_derived():
    credential = issued()
    credential["credentialSubject"]["achievement"]["description"] = "Changed after signing."
    assert failure_of(verify, credential).reason is Reason.BAD_SIGNATURE
    dropped = issued()
    del dropped["credentialSubject"]["achievement"]["criteria"]      # one signed statement fewer
    assert failure_of(es.derive, dropped, ["/name"]).reason is Reason.BAD_SIGNATURE


def test_ecdsa_sd_needs_a_p256_key():
    credential = issued()
    ed = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    ed_did = did_key.from_ed25519(ed.public_key().public_bytes_raw())
    credential["proof"]["verificationMethod"] = f"{ed_did}#{ed_did.split(':')[-1]}"
    assert failure_of(verify, credential).reason is Reason.WRONG_KEY
    with pytest.raises(ValueError, match="P-256"):
        di.sign(badge(), ed, P256_VM, cryptosuite="ecdsa-sd-2023")


def test_bbs_2023_is_refused_with_the_reason():
    credential = {**badge(), "proof": {"type": "DataIntegrityProof", "cryptosuite": "bbs-2023",
                                       "verificationMethod": P256_VM, "proofPurpose": "assertionMethod",
                                       "proofValue": "u2V0ChVhA"}}
    failure = failure_of(di.verify_proofs, credential)
    assert failure.reason is Reason.UNSUPPORTED_CRYPTOSUITE
    assert "bbs-2023 proofs are not supported yet (no maintained Python BBS library implements the IETF " \
           "ciphersuite)" in failure.message


_cbor = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.text(max_size=8)
                     | st.binary(max_size=70),
                     lambda c: st.lists(c, max_size=6) | st.dictionaries(st.integers(-3, 40) | st.text(max_size=4),
                                                                         c, max_size=3), max_leaves=12)
_GENUINE = {"base": issued(), "derived": None}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["base", "derived"]), header=st.sampled_from([es.BASE_HEADER, es.DERIVED_HEADER, b""]),
       body=st.one_of(_cbor.map(cbor2.dumps), st.binary(max_size=200)))
def test_garbage_proof_values_only_ever_fail_as_credential_failure(kind, header, body):
    if _GENUINE["derived"] is None:
        _GENUINE["derived"] = ecdsa_sd.disclose(_GENUINE["base"], ["name"]).credential
    document = copy.deepcopy(_GENUINE[kind])
    document["proof"]["proofValue"] = "u" + sd.b64url(header + body)
    with pytest.raises(CredentialFailure):
        di.verify_proofs(document)
