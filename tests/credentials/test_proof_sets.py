"""Proof sets and chains across suites, and the credentials learners hold: every DCC test
credential (Ed25519Signature2020, eddsa-rdfc-2022, or both as a proof set) gets the verdict
its file name states, with its did:web documents and status lists read from a vault's
verification cache, as the app does offline."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vault.credentials import data_integrity as di
from vault.credentials.cache import VerificationCache
from vault.credentials.service import verification_context
from vault.credentials.verdict import CredentialFailure, Reason
from vault.credentials.verify import check

from tests.credentials.test_suites import ED2020_CTX, ED_KEY, P256_KEY, P384_KEY, VC_V2, credential, did_for, seeded

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "credentials"
DCC = FIX / "data-integrity" / "dcc-vc-test-fixtures"
DCC_LISTS = FIX / "status" / "dcc" / "statusLists"
LIST_URL = "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/"
VERIFIER_CORE_URL = ("https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/"
                     "src/test-fixtures/status/e5WK8CbZ1GjycuPombrj")
NOW = datetime(2026, 2, 1, tzinfo=timezone.utc)
CREDENTIALS = sorted((DCC / "verifiableCredentials").rglob("*.json"))


def failure_of(fn, *args, **kwargs) -> CredentialFailure:
    with pytest.raises(CredentialFailure) as info:
        fn(*args, **kwargs)
    return info.value


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A vault whose verification cache holds DCC's did:web documents and status lists."""
    from tests.conftest import HARDHAT_PHRASE, PASSPHRASE
    from vault.identity import Identity

    identity = Identity.restore(tmp_path_factory.mktemp("dcc") / "vault", PASSPHRASE, HARDHAT_PHRASE, kdf_target=0)
    cache = VerificationCache(identity.store)
    for path in (DCC / "dids").rglob("did.json"):
        document = json.loads(path.read_bytes())
        cache.put_did_document(document["id"], document)
    for path in DCC_LISTS.iterdir():
        cache.put_status_list(LIST_URL + path.name, path.read_bytes())
    cache.put_status_list(VERIFIER_CORE_URL, (DCC_LISTS / "e5WK8CbZ1GjycuPombrj").read_bytes())
    yield identity.store
    identity.store.lock()


def publishers_verdict(name: str) -> tuple[Reason, str]:
    """The verdict DCC's file name states (and the words our message must carry)."""
    parts = name.removesuffix(".json").split("-")
    if "badDidWeb" in parts:
        return Reason.UNKNOWN_KEY, "did:web"
    if "tampered" in parts:
        return Reason.BAD_SIGNATURE, "changed after it was signed"
    if any(p in ("revokedStatus", "revokedStaus", "revoked") for p in parts):
        return Reason.REVOKED, "revoked"
    if any(p in ("expiredStatus", "missingTypeStatus", "notYetValidStatus", "tamperedStatus") for p in parts):
        return Reason.STATUS_INVALID, "status list"
    if "expired" in parts:
        return Reason.EXPIRED, "expired"
    if "notYetValid" in parts:
        return Reason.NOT_YET_VALID, "not valid before"
    return Reason.VALID, ""


def test_every_dcc_folder_is_covered():
    folders = {p.parent.relative_to(DCC / "verifiableCredentials").as_posix().lower() for p in CREDENTIALS}
    assert folders == {f"{v}/{s}/{d}" for v in ("v1", "v2") for s in ("ed25519", "dataintegrityproof",
                                                                       "bothsignaturetypes") for d in ("didkey", "didweb")}
    assert len(CREDENTIALS) == 90


@pytest.mark.parametrize("path", CREDENTIALS, ids=lambda p: p.relative_to(DCC / "verifiableCredentials").as_posix())
def test_dcc_credential_gets_the_publishers_verdict(path, store):
    context = verification_context(store=store)
    context.now = NOW
    verdict = check(path.read_bytes(), context).verdict
    reason, words = publishers_verdict(path.name)
    assert verdict.reason is reason, verdict.message
    assert words in verdict.message
    if reason is Reason.VALID:
        warnings = {w.code.value for w in verdict.warnings}
        assert "unverified-proof" not in warnings
        proofs = di.proofs_of(json.loads(path.read_bytes()))
        legacy = all(p["type"] == "Ed25519Signature2020" for p in proofs)
        assert ("legacy-cryptosuite" in warnings) == legacy
        assert "status-unchecked" not in warnings


def test_dcc_status_list_is_verified_not_trusted(store):
    """A status list whose signature fails is invalid, so a revoked credential cannot be
    passed off as unrevoked by caching a forged list with the bit cleared."""
    revoked = DCC / "verifiableCredentials/v2/ed25519/didKey/oidf-revokedStatus-noExpiry.json"
    url = json.loads(revoked.read_bytes())["credentialStatus"]["statusListCredential"]
    cache = VerificationCache(store)
    genuine = cache.status_list(url)
    forged = json.loads(genuine)
    clean = json.loads((DCC_LISTS / "e5WK8CbZ1GjycuPombrj").read_bytes())
    forged["credentialSubject"]["encodedList"] = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
    assert forged["credentialSubject"]["encodedList"] != clean["credentialSubject"]["encodedList"]
    try:
        cache.put_status_list(url, json.dumps(forged).encode())
        context = verification_context(store=store)
        context.now = NOW
        verdict = check(revoked.read_bytes(), context).verdict
        assert verdict.reason is Reason.STATUS_INVALID and "failed verification" in verdict.message
    finally:
        cache.put_status_list(url, genuine)


# ---------------------------------------------------------------------------- proof sets

BOTH = DCC / "verifiableCredentials/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry.json"


def both() -> dict:
    return json.loads(BOTH.read_bytes())


def test_dcc_proof_set_verifies_both_proofs():
    result = di.verify_proofs(both())
    assert sorted(result.suites) == ["Ed25519Signature2020", "eddsa-rdfc-2022"] and result.warnings == []


@pytest.mark.parametrize("index", [0, 1])
def test_one_failing_supported_proof_spoils_the_set(index):
    doc = both()
    value = doc["proof"][index]["proofValue"]
    doc["proof"][index]["proofValue"] = value[:-2] + ("11" if value[-2:] != "11" else "22")
    assert failure_of(di.verify_proof, doc).reason is Reason.BAD_SIGNATURE
    doc = both()
    doc["proof"][index]["created"] = "2020-01-01T00:00:00Z"
    assert failure_of(di.verify_proof, doc).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("unknown", [
    {"type": "BbsBlsSignature2020", "proofValue": "abc"},
    {"type": "DataIntegrityProof", "cryptosuite": "bbs-2023", "proofValue": "u2V0"},
    {"type": "SomeFutureProof2031"},
])
def test_unknown_suite_in_a_set_is_a_warning_naming_it(unknown):
    doc = both()
    doc["proof"].append(dict(unknown, proofPurpose="assertionMethod",
                             verificationMethod=doc["proof"][0]["verificationMethod"]))
    result = di.verify_proofs(doc)
    assert sorted(result.suites) == ["Ed25519Signature2020", "eddsa-rdfc-2022"]
    [warning] = [w for w in result.warnings if w.code.value == "unverified-proof"]
    named = unknown.get("cryptosuite") or unknown["type"]
    assert named in warning.message and "does not verify" in warning.message


def test_unknown_suites_alone_are_unsupported():
    doc = both()
    doc["proof"] = [{"type": "BbsBlsSignature2020", "proofPurpose": "assertionMethod",
                     "verificationMethod": doc["proof"][0]["verificationMethod"]}]
    failure = failure_of(di.verify_proof, doc)
    assert failure.reason is Reason.UNSUPPORTED_CRYPTOSUITE and "BbsBlsSignature2020" in failure.message


def test_issuer_proof_in_an_unknown_suite_is_not_replaced_by_a_strangers():
    """The issuer signed only in a suite we do not verify; a stranger adds a valid proof of
    their own. The credential must not verify as the issuer's."""
    doc = both()
    issuer_vm = doc["proof"][0]["verificationMethod"]
    doc["proof"] = [{"type": "BbsBlsSignature2020", "proofPurpose": "assertionMethod",
                     "verificationMethod": issuer_vm, "proofValue": "abc"}]
    stranger, stranger_vm = did_for(seeded("stranger"))
    signed = di.sign(doc, seeded("stranger"), stranger_vm)
    failure = failure_of(di.verify_proof, signed)
    assert failure.reason is Reason.UNSUPPORTED_CRYPTOSUITE and "BbsBlsSignature2020" in failure.message
    assert di.verify_proofs(signed, bind_issuer=False).key.controller == stranger


def test_a_proof_for_another_purpose_in_the_set_fails():
    doc = both()
    doc["proof"][1]["proofPurpose"] = "authentication"
    with pytest.raises(di.ProofOptionMismatch):
        di.verify_proof(doc)


# ---------------------------------------------------------------------------- chains

def chain() -> dict:
    """A credential signed by the issuer (eddsa-rdfc-2022), then notarised in a chain by two
    others: ecdsa-rdfc-2019 (P-256) over the first proof, ecdsa-jcs-2019 (P-384) over the
    second."""
    did, vm = did_for(ED_KEY)
    doc = di.sign(credential(did, (VC_V2, ED2020_CTX)), ED_KEY, vm, proof_id="urn:proof:1",
                  created="2024-05-01T10:00:00Z")
    doc = di.sign(doc, P256_KEY, did_for(P256_KEY)[1], cryptosuite="ecdsa-rdfc-2019", proof_id="urn:proof:2",
                  previous_proof="urn:proof:1", created="2024-05-02T10:00:00Z")
    return di.sign(doc, P384_KEY, did_for(P384_KEY)[1], cryptosuite="ecdsa-jcs-2019", proof_id="urn:proof:3",
                   previous_proof=["urn:proof:2"], created="2024-05-03T10:00:00Z")


def test_chain_verifies_in_chain_order_whatever_the_array_order():
    doc = chain()
    assert di.verify_proofs(doc).suites == ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019"]
    doc["proof"].reverse()
    result = di.verify_proofs(doc)
    assert result.suites == ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019"]
    assert result.key.controller == did_for(ED_KEY)[0]


def test_changing_an_earlier_link_breaks_the_chain():
    doc = chain()
    doc["proof"][0]["created"] = "2024-05-01T10:00:01Z"       # the issuer's proof, which both others sign
    assert failure_of(di.verify_proof, doc).reason is Reason.BAD_SIGNATURE


def test_dropping_a_link_is_refused():
    doc = chain()
    del doc["proof"][1]
    failure = failure_of(di.verify_proof, doc)
    assert failure.reason is Reason.MALFORMED and "urn:proof:2" in failure.message


@pytest.mark.parametrize("craft,words", [
    (lambda p: p[0].update(previousProof="urn:proof:3"), "loop"),            # 1 -> 3 -> 2 -> 1
    (lambda p: p[2].update(previousProof="urn:proof:3"), "loop"),            # names itself
    (lambda p: p[1].update(id="urn:proof:1"), "ambiguous"),                  # two proofs, one id
    (lambda p: p[2].update(previousProof=[]), "malformed previousProof"),
    (lambda p: p[2].update(previousProof=7), "malformed previousProof"),
])
def test_broken_chains_are_refused(craft, words):
    doc = chain()
    craft(doc["proof"])
    failure = failure_of(di.verify_proof, doc)
    assert failure.reason is Reason.MALFORMED and words in failure.message


def test_a_chain_may_build_on_a_proof_we_do_not_verify():
    """The unknown proof is signed over by the next link, so it is covered; it is named."""
    did, vm = did_for(ED_KEY)
    doc = credential(did, (VC_V2, ED2020_CTX))
    doc["proof"] = {"id": "urn:proof:bbs", "type": "DataIntegrityProof", "cryptosuite": "bbs-2023",
                    "proofPurpose": "assertionMethod", "verificationMethod": vm, "proofValue": "u2V0"}
    signed = di.sign(doc, ED_KEY, vm, cryptosuite="Ed25519Signature2020", previous_proof="urn:proof:bbs")
    result = di.verify_proofs(signed)
    assert result.suites == ["Ed25519Signature2020"]
    assert {w.code.value for w in result.warnings} == {"unverified-proof", "legacy-cryptosuite"}
    crafted = copy.deepcopy(signed)
    crafted["proof"][0]["proofValue"] = "u2V1"
    assert failure_of(di.verify_proof, crafted).reason is Reason.BAD_SIGNATURE


def test_a_flood_of_proofs_is_refused_before_any_work():
    """Each proof costs a canonicalization of the whole document: a document with many
    proofs (or a long chain) is refused at once, naming the limit."""
    doc = both()
    doc["proof"] = [dict(doc["proof"][0], id=f"urn:p:{i}", previousProof=f"urn:p:{i - 1}") if i else
                    dict(doc["proof"][0], id="urn:p:0") for i in range(di.MAX_PROOFS + 1)]
    failure = failure_of(di.verify_proof, doc)
    assert failure.reason is Reason.MALFORMED and str(di.MAX_PROOFS) in failure.message
