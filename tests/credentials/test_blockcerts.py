"""Blockcerts v2 and v3: the Merkle proof checked offline, the blockchain anchor not checked offline."""

import copy
import hashlib
import json
from pathlib import Path

import base58
import pytest

from vault.credentials import jsonld
from vault.credentials.service import CredentialService, verification_context
from vault.credentials.verdict import Reason, WarningCode
from vault.credentials.verify import check
from vault.net.fetch import NetworkUse

# MerkleProof2019 proof values are CBOR: cbor2 is a dependency (pyproject); an environment
# installed before it was added skips these tests rather than failing to collect them.
cbor2 = pytest.importorskip("cbor2", reason="cbor2 (pyproject dependency) is not installed here")

BLOCKCERTS = Path(__file__).resolve().parents[1] / "fixtures" / "credentials" / "blockcerts"
VALID = {"testnet-v3-did.json": "V3 issuance", "ethereum-sepolia-v3.json": "Blockcerts certificate for Julien Fraichot"}
ANCHOR_WORDS = "Integrity verified, blockchain anchor not checked"


def load(name: str) -> dict:
    return json.loads((BLOCKCERTS / name).read_text())


def verdict_of(document: dict, context=None):
    return check(json.dumps(document).encode(), context).verdict


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- real v3 certificates ----------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(VALID))
def test_real_certificates_are_intact_but_unverified_until_the_anchor_is_checked(name):
    checked = check((BLOCKCERTS / name).read_bytes())
    verdict = checked.verdict
    assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY and checked.format == "blockcerts"
    assert verdict.message.startswith(ANCHOR_WORDS), verdict.message
    assert checked.display.kind == "open-badge" and checked.display.title == VALID[name]


def test_real_testnet_certificate_names_its_transaction_and_issuer():
    checked = check((BLOCKCERTS / "testnet-v3-did.json").read_bytes())
    anchor = checked.verdict.message
    assert "Bitcoin testnet transaction 140ee9382a5c84433b9c89a5d9fea26c47415838b5841deb0c36a8a4b9121f2e" in anchor
    assert checked.issuer == "did:ion:EiA_Z6LQILbB2zj_eVrqfQ2xDm4HNqeJUw5Kj2Z7bFOOeQ"
    assert checked.display.issuer_name == "Hyland Innovation Team"
    assert checked.display.description == "A v3 working example for test purposes"
    assert checked.display.criteria_narrative == "it has been issued"


def test_real_altered_certificate_is_refused():
    verdict = verdict_of(load("altered-blockcerts-v3.json"))
    assert verdict.reason is Reason.WRONG_KEY and not verdict.valid


def test_real_mocknet_certificate_is_anchored_nowhere():
    verdict = verdict_of(load("mocknet-vc-v2-data-integrity-proof.json"))
    assert verdict.reason is Reason.NO_PROOF and "mock chain" in verdict.message


@pytest.mark.parametrize("name", sorted(VALID))
def test_content_changed_after_issuing_is_tampered(name):
    document = load(name)
    document["credentialSubject"]["name"] = "Mallory"
    verdict = verdict_of(document)
    assert verdict.reason is Reason.TAMPERED and "changed after it was issued" in verdict.message


def _reencode(document: dict, change) -> dict:
    """The certificate with its MerkleProof2019 proofValue decoded, changed and re-encoded."""
    document = copy.deepcopy(document)
    pairs = cbor2.loads(base58.b58decode(document["proof"]["proofValue"][1:]))
    change(dict((k, v) for k, v in pairs), pairs)
    document["proof"]["proofValue"] = "z" + base58.b58encode(cbor2.dumps(pairs)).decode()
    return document


def test_broken_merkle_path_is_tampered():
    def break_path(root, pairs):
        root[3][0][1] = cbor2.dumps("00" * 32)
    verdict = verdict_of(_reencode(load("testnet-v3-did.json"), break_path))
    assert verdict.reason is Reason.TAMPERED and "Merkle proof is broken" in verdict.message


def test_wrong_target_hash_is_tampered():
    def wrong_target(root, pairs):
        for pair in pairs:
            if pair[0] == 1:
                pair[1] = cbor2.dumps(bytes.fromhex("ab" * 32))
    verdict = verdict_of(_reencode(load("testnet-v3-did.json"), wrong_target))
    assert verdict.reason is Reason.TAMPERED and "targetHash" in verdict.message


def test_damaged_proof_value_is_malformed_not_a_crash():
    document = load("testnet-v3-did.json")
    for value in ("z" + base58.b58encode(b"\xff\x00garbage").decode(), "not-multibase", "z" + "1" * 20_000):
        document["proof"]["proofValue"] = value
        assert verdict_of(document).reason is Reason.MALFORMED


def test_proof_chains_are_refused_by_name():
    document = load("testnet-v3-did.json")
    document["proof"] = [{"type": "ChainedProof2021", "chainedProofType": "MerkleProof2019"}, document["proof"]]
    verdict = verdict_of(document)
    assert verdict.reason is Reason.UNSUPPORTED_CRYPTOSUITE and "ChainedProof2021" in verdict.message


# ---- v2 (an OB 2.0 assertion with a MerkleProof2017 signature) ------------------------------

def v2_certificate(*, chain="bitcoinMainnet", name="Diploma in Engineering") -> dict:
    """A Blockcerts v2 certificate in a two-leaf Merkle tree, hashed the way cert-issuer does."""
    document = {
        "@context": ["https://w3id.org/openbadges/v2", "https://w3id.org/blockcerts/v2"],
        "type": "Assertion", "id": "urn:uuid:6a4e2a3e-0b5c-4f83-9d3b-2f1f6a0e9c41",
        "issuedOn": "2019-06-30T10:00:00+00:00",
        "recipient": {"type": "email", "hashed": False, "identity": "ada@example.org"},
        "recipientProfile": {"type": ["RecipientProfile", "Extension"], "name": "Ada Lovelace",
                             "publicKey": "ecdsa-koblitz-pubkey:1QBiZ94RQ5iyGW2m8TDoaEmKohQzAjVWkH"},
        "badge": {"type": "BadgeClass", "id": "urn:uuid:40075c69-c2f1-5632-8978-6caf96f524dc",
                  "name": name, "description": "Awarded with distinction.",
                  "image": "data:image/png;base64,iVBORw0KGgo=",
                  "criteria": {"narrative": "Complete all courses."},
                  "issuer": {"type": "Profile", "id": "https://college.example/issuer.json",
                             "name": "Example College", "url": "https://college.example",
                             "email": "registry@college.example", "image": "data:image/png;base64,iVBORw0KGgo=",
                             "revocationList": "https://college.example/revocation-list.json"}},
        "verification": {"type": ["MerkleProofVerification2017", "Extension"],
                         "publicKey": "ecdsa-koblitz-pubkey:1AwdUWQzJgfDDjeKtpPzMfYMHejFBrxZfo"}}
    target = sha(jsonld.canonize(document).encode())
    sibling = sha(b"another certificate of the batch")
    document["signature"] = {
        "type": ["MerkleProof2017", "Extension"], "targetHash": target,
        "merkleRoot": sha(bytes.fromhex(target + sibling)), "proof": [{"right": sibling}],
        "anchors": [{"sourceId": "2378076e8e140012814e98a2b2cb1af07ec760b239c1d6d93ba54d658a010ecd",
                     "type": "BTCOpReturn", "chain": chain}]}
    return document


def test_v2_certificate_is_intact_and_shown_as_a_badge():
    checked = check(json.dumps(v2_certificate()).encode())
    verdict = checked.verdict
    assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY and checked.format == "blockcerts"
    assert "Bitcoin transaction 2378076e" in verdict.message
    assert "revocation list was not checked" in verdict.message
    display = checked.display
    assert (display.title, display.issuer_name, display.criteria_narrative) == (
        "Diploma in Engineering", "Example College", "Complete all courses.")
    assert display.image.startswith("data:image/png") and display.subject_name == "Ada Lovelace"
    assert checked.issuer == "https://college.example/issuer.json"


@pytest.mark.parametrize("attack, words", [
    (lambda d: d["badge"].__setitem__("name", "Doctorate in Engineering"), "changed after it was issued"),
    (lambda d: d["signature"]["proof"][0].__setitem__("right", "00" * 32), "Merkle proof is broken"),
    (lambda d: d["signature"].__setitem__("targetHash", "ab" * 32), "changed after it was issued"),
    (lambda d: d["signature"].__setitem__("proof", [{"left": "00" * 32}] * 65), "65 steps"),
])
def test_v2_attacks_are_refused(attack, words):
    document = v2_certificate()
    attack(document)
    verdict = verdict_of(document)
    assert not verdict.valid and words in verdict.message


def test_v2_unmapped_field_is_refused_like_blockcerts_verifiers_do():
    document = v2_certificate()
    document["grade"] = "A"                   # no context defines it: not covered by the hash
    verdict = verdict_of(document)
    assert verdict.reason is Reason.MALFORMED and "'grade'" in verdict.message


@pytest.mark.parametrize("chain", ["mockchain", "bitcoinRegtest"])
def test_v2_on_a_mock_chain_is_anchored_nowhere(chain):
    assert verdict_of(v2_certificate(chain=chain)).reason is Reason.NO_PROOF


def test_offline_a_recomputed_proof_is_never_said_to_be_valid():
    """The limit of offline checking: a forger can recompute the hash and the root; only
    the blockchain shows who published the root, so an intact certificate is unverified."""
    forged = v2_certificate(name="Doctorate in Engineering")   # hash and root recomputed
    verdict = verdict_of(forged)
    assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY
    assert "which was not asked" in verdict.message and "not verified" in verdict.message


# ---- nothing is fetched; import and the command line ---------------------------------------

def test_verifying_offline_fetches_nothing_for_blockcerts():
    """Offline (the default) the anchor is never asked for; online it is (test_blockcerts_online)."""
    asked = []
    context = verification_context(fetcher=lambda url: asked.append(url))
    for name in VALID:
        assert check((BLOCKCERTS / name).read_bytes(), context).verdict.reason is Reason.UNKNOWN_KEY
    assert check(json.dumps(v2_certificate()).encode(), context).verdict.reason is Reason.UNKNOWN_KEY
    assert asked == []


def test_import_keeps_the_certificate_as_unverified(identity):
    result = CredentialService(identity.store).import_file(BLOCKCERTS / "testnet-v3-did.json")
    assert result.created and result.summary.status == "unverified" and result.summary.title == "V3 issuance"
    assert result.summary.format == "blockcerts"


@pytest.mark.parametrize("name, code", [("testnet-v3-did.json", 1), ("ethereum-sepolia-v3.json", 1),
                                        ("altered-blockcerts-v3.json", 1),
                                        ("mocknet-vc-v2-data-integrity-proof.json", 1)])
def test_cli_verify_each_fixture(run, name, code):
    exit_code, out, _ = run("credential", "verify", str(BLOCKCERTS / name), "--offline", passphrase=False,
                            json_out=False)
    assert exit_code == code
    assert out.startswith("INVALID: ") and "Blockcerts certificate" in out
    if "altered" not in name and "mocknet" not in name:
        assert ANCHOR_WORDS in out


def test_blockcerts_v1_is_named_not_supported():
    v1 = {"document": {"certificate": {"name": "Old diploma"}, "recipient": {}}, "receipt": {
        "type": "ChainpointSHA256v2", "targetHash": "ab" * 32, "merkleRoot": "ab" * 32, "proof": []}}
    verdict = verdict_of(v1)
    assert verdict.reason is Reason.UNSUPPORTED_FORMAT and "Blockcerts 1.2 certificate (not supported)" in verdict.message
