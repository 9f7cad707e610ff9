"""Blockcerts certificates (v2 and v3): the Merkle proof offline, the anchor left unchecked.

Spec: https://www.blockcerts.org/guide/ (v2: Open Badges 2.0 assertion + MerkleProof2017
"signature"; v3: a W3C VC + MerkleProof2019 "proof"). Verifiers: cert-verifier-js,
jsonld-signatures-merkleproof2019.

What the issuer published is a Merkle root, in a blockchain transaction from its own
address (the "anchor"). A certificate carries:

    targetHash = SHA-256(RDFC-1.0 canonical N-Quads of the certificate without its proof)
    path       = [{left|right: sibling hash}, ...] from targetHash up to merkleRoot
    anchors    = where merkleRoot was published (chain and transaction id)

Offline this module recomputes targetHash (``jsonld.canonize``: vendored contexts, safe
mode, which also refuses the "unmapped fields" Blockcerts verifiers refuse) and walks
the path to merkleRoot: a certificate changed after issuing, or a broken path, is
TAMPERED. That the root was published by the issuer is only proven by the transaction,
which needs the network: offline, and whenever it could not be asked, the verdict is
undecided ("integrity verified, blockchain anchor not checked", with the reason). When
the user allowed network use, ``blockcerts_anchor`` reads the transaction and the issuer
profile (or their saved copies): the root in it and an address the issuer lists as the
sender make the certificate valid, "anchored in <chain> tx <id>, block time ..."; another
root is TAMPERED, another sender WRONG_KEY. A
certificate anchored on a mock chain ("mocknet", "mockchain", bitcoin regtest) is
anchored nowhere, so nothing vouches for it: NO_PROOF.

v3's proofValue is "z" + base58btc of CBOR (@blockcerts/lds-merkle-proof-2019: a list of
[key, value] pairs, keys 0 merkleRoot, 1 targetHash, 2 anchors, 3 path, each hash a
CBOR item of its own: a byte string, or its hex as a text string); ``cbor2`` reads it.
Both the ``MerkleProof2019`` proof type and ``DataIntegrityProof`` with cryptosuite
``merkle-proof-2019`` (Blockcerts 3.2) are read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from typing import Any

import base58
import cbor2

from . import jsonld, openbadges2
from ..net.fetch import FetchError
from .blockcerts_anchor import profile_addresses
from .openbadges import display_for as vc_display_for
from .openbadges2 import Lookup, Reading, text_of
from .verdict import CredentialFailure, Reason, Warning_, WarningCode

log = logging.getLogger(__name__)

FORMAT = "blockcerts"
NAME = "Blockcerts certificate"
MAX_PATH = 64                  # a Merkle tree of 2^64 certificates was never anchored
MAX_PROOF_VALUE = 16 * 1024
_HASH = re.compile(r"[0-9a-f]{64}")

# v2 ``chain`` names and v3 (chain, network) codes (Keymap of lds-merkle-proof-2019).
_V2_MOCK_CHAINS = {"mockchain", "bitcoinRegtest", "ethereumRegtest"}
_V3_CHAINS = {(0, 1): "Bitcoin", (0, 3): "Bitcoin testnet", (1, 1): "Ethereum",
              (1, 3): "Ethereum Ropsten (test)", (1, 4): "Ethereum Rinkeby (test)",
              (1, 5): "Ethereum Goerli (test)", (1, 11155111): "Ethereum Sepolia (test)",
              (2, 137): "Polygon", (2, 80001): "Polygon Mumbai (test)", (-1, -1): "mocknet"}
_V2_CHAINS = {"bitcoinMainnet": "Bitcoin", "bitcoinTestnet": "Bitcoin testnet",
              "ethereumMainnet": "Ethereum", "ethereumRopsten": "Ethereum Ropsten (test)",
              "ethereumGoerli": "Ethereum Goerli (test)", "ethereumSepolia": "Ethereum Sepolia (test)"}


# --------------------------------------------------------------------------- recognising

def _types(value: Any) -> list[str]:
    return [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]


def _proofs(document: dict) -> list:
    proof = document.get("proof")
    return proof if isinstance(proof, list) else [proof] if proof is not None else []


def _is_merkle_2019(proof: Any) -> bool:
    return isinstance(proof, dict) and (proof.get("type") == "MerkleProof2019" or (
        proof.get("type") == "DataIntegrityProof" and proof.get("cryptosuite") == "merkle-proof-2019"))


def detect(document: dict) -> str | None:
    """FORMAT when ``document`` is a Blockcerts certificate (v2 or v3), else None."""
    if isinstance(document.get("receipt"), dict) and isinstance(document.get("document"), dict):
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, "This is a Blockcerts 1.2 certificate (not "
                                "supported): only Blockcerts v2 and v3 are verified.")
    signature = document.get("signature")
    if isinstance(signature, dict) and "MerkleProof2017" in _types(signature.get("type")):
        return FORMAT
    proofs = _proofs(document)
    if any(_is_merkle_2019(p) for p in proofs):
        return FORMAT
    if "BlockcertsCredential" in _types(document.get("type")) and any(
            isinstance(p, dict) and p.get("type") == "ChainedProof2021" for p in proofs):
        return FORMAT          # a proof chain around a Merkle proof: refused by name below
    return None


def _version(document: dict) -> int:
    return 2 if isinstance(document.get("signature"), dict) else 3


# --------------------------------------------------------------------------- reading

def read(document: dict) -> Reading:
    """What the certificate says (shown before, and whatever, its proof says)."""
    if _version(document) == 2:
        return openbadges2.read_assertion(document, ("Assertion", "Blockcerts"), what=NAME,
                                          fallback_title=NAME)
    base = vc_display_for(document)
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    claim = subject.get("claim") if isinstance(subject, dict) else None
    claim = claim if isinstance(claim, dict) else {}
    criteria = claim.get("criteria")
    display = dataclasses.replace(
        base, kind="open-badge",
        # The certificate's own name first (as cert-verifier-js shows it), then the claim's;
        # else whom it was issued to, which is all that some certificates say.
        title=(text_of(document.get("name")) or text_of(claim.get("name"))
               or (f"{NAME} for {base.subject_name}" if base.subject_name else NAME)),
        description=text_of(claim.get("description")) or base.description,
        criteria_narrative=text_of(criteria) if isinstance(criteria, str) else base.criteria_narrative)
    return Reading(document, display, display.issuer_id or "", display.subject_id, display.types,
                   display.valid_from, display.valid_until)


# --------------------------------------------------------------------------- proof values

def _hash(value: Any, what: str) -> str:
    if isinstance(value, bytes):
        value = value.hex()
    if not isinstance(value, str) or not _HASH.fullmatch(value.lower()):
        raise CredentialFailure(Reason.MALFORMED, f"The {NAME}'s {what} is not a SHA-256 hash.")
    return value.lower()


def _decode_proof_value(value: Any) -> dict:
    """The MerkleProof2019 proofValue -> {merkleRoot, targetHash, path, anchors}."""
    damaged = CredentialFailure(Reason.MALFORMED, f"The {NAME}'s Merkle proof value is damaged: it is not "
                                "the base58btc CBOR that MerkleProof2019 defines.")
    if not isinstance(value, str) or not value.startswith("z") or len(value) > MAX_PROOF_VALUE:
        raise damaged
    def item(raw: Any) -> Any:
        return cbor2.loads(raw) if isinstance(raw, bytes) else raw

    try:
        pairs = cbor2.loads(base58.b58decode(value[1:]))
        root = dict((k, v) for k, v in pairs)
        path = []
        for side, sibling in root.get(3, []):
            path.append({{0: "left", 1: "right"}[side]: _hash(item(sibling), "Merkle path")})
        anchors = []
        for anchor in root.get(2, []):
            parts = dict((k, v) for k, v in anchor)
            tx = item(parts.get(2))
            chain = "mocknet" if parts.get(0) == -1 else _V3_CHAINS.get((parts.get(0), parts.get(1)),
                                                                           "an unknown chain")
            anchors.append({"chain": chain,
                            "sourceId": tx.hex() if isinstance(tx, bytes) else str(tx)[:200]})
        return {"merkleRoot": _hash(item(root.get(0)), "Merkle root"),
                "targetHash": _hash(item(root.get(1)), "target hash"), "path": path, "anchors": anchors}
    except CredentialFailure:
        raise
    except Exception:          # cbor2 and the shapes above fail in many ways on hostile input
        log.debug("a MerkleProof2019 proof value could not be decoded", exc_info=True)
        raise damaged from None


def _v2_signature(signature: dict) -> dict:
    path = signature.get("proof", [])
    if not isinstance(path, list) or not all(isinstance(n, dict) and len(n) == 1 and
                                             set(n) <= {"left", "right"} for n in path):
        raise CredentialFailure(Reason.MALFORMED, f"The {NAME}'s Merkle path is not a list of "
                                "{left|right: hash} steps.")
    anchors = []
    for anchor in signature.get("anchors", []) if isinstance(signature.get("anchors"), list) else []:
        if isinstance(anchor, dict):
            chain = anchor.get("chain") if isinstance(anchor.get("chain"), str) else "bitcoinMainnet"
            anchors.append({"chain": "mocknet" if chain in _V2_MOCK_CHAINS or anchor.get("type") == "Mock"
                            else _V2_CHAINS.get(chain, str(chain)[:40]),
                            "sourceId": str(anchor.get("sourceId"))[:200]})
    return {"merkleRoot": _hash(signature.get("merkleRoot"), "Merkle root"),
            "targetHash": _hash(signature.get("targetHash"), "target hash"),
            "path": [{side: _hash(h, "Merkle path") for side, h in n.items()} for n in path],
            "anchors": anchors}


# --------------------------------------------------------------------------- verifying

def _unsigned(document: dict) -> tuple[dict, dict]:
    """(the certificate as it was hashed, its decoded Merkle proof)."""
    if _version(document) == 2:
        return {k: v for k, v in document.items() if k != "signature"}, _v2_signature(document["signature"])
    proofs = _proofs(document)
    others = sorted({str(p.get("cryptosuite") or p.get("type")) if isinstance(p, dict) else "?"
                     for p in proofs if not _is_merkle_2019(p)})
    merkle = [p for p in proofs if _is_merkle_2019(p)]
    if others or len(merkle) != 1:
        what = ", ".join(o[:60] for o in others) or "several Merkle proofs"
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"The {NAME} carries {what} besides or "
                                "instead of one Merkle proof; this vault verifies Blockcerts with one "
                                "MerkleProof2019 proof only.")
    proof = merkle[0]
    _check_method(document, proof)
    return {k: v for k, v in document.items() if k != "proof"}, _decode_proof_value(proof.get("proofValue"))


def _check_method(document: dict, proof: dict) -> None:
    """The proof's key (verificationMethod), when named, must be the issuer's."""
    method = proof.get("verificationMethod")
    issuer = document.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    if isinstance(method, str) and isinstance(issuer, str) and method.split("#", 1)[0] != issuer:
        raise CredentialFailure(Reason.WRONG_KEY, f"The {NAME} says it was issued by {issuer[:120]}, but "
                                f"its proof names a key of {method.split('#', 1)[0][:120]}.")


def merkle_root(target_hash: str, path: list[dict]) -> str:
    """Walk ``path`` from ``target_hash``: each step hashes the sibling with the node so far."""
    if len(path) > MAX_PATH:
        raise CredentialFailure(Reason.MALFORMED, f"The {NAME}'s Merkle path has {len(path)} steps; no "
                                f"genuine one has more than {MAX_PATH}.")
    node = target_hash
    for step in path:
        pair = step["left"] + node if "left" in step else node + step["right"]
        node = hashlib.sha256(bytes.fromhex(pair)).hexdigest()
    return node


def verify(document: dict, reading: Reading, *, documents: Lookup | None = None, now=None,
           anchors_online=None) -> None:
    """Check the Merkle proof offline; raise CredentialFailure: a tampered or unanchored
    certificate, or (when intact) that its anchor, the only proof of its issuer, was not checked."""
    jsonld.check_bounds(document, f"The {NAME}")
    unsigned, proof = _unsigned(document)
    canonical = jsonld.canonize(unsigned, what=f"The {NAME}", checked=True)
    if hashlib.sha256(canonical.encode("utf-8")).hexdigest() != proof["targetHash"]:
        raise CredentialFailure(Reason.TAMPERED, f"The {NAME} was changed after it was issued: its content "
                                "no longer matches the hash (targetHash) its issuer anchored.")
    if merkle_root(proof["targetHash"], proof["path"]) != proof["merkleRoot"]:
        raise CredentialFailure(Reason.TAMPERED, f"The {NAME}'s Merkle proof is broken: its path does not "
                                "lead from the certificate's hash to the Merkle root its issuer anchored.")
    anchors = proof["anchors"]
    if not anchors:
        raise CredentialFailure(Reason.NO_PROOF, f"The {NAME} names no blockchain anchor: nothing shows "
                                "that its issuer published it.")
    if any(a["chain"] == "mocknet" for a in anchors):
        raise CredentialFailure(Reason.NO_PROOF, f"The {NAME} was anchored on a mock chain, for testing: "
                                "it is anchored nowhere, so nobody vouches for it.")
    where = "; ".join(f"{a['chain']} transaction {a['sourceId'][:80]}" for a in anchors[:3])
    issuer = openbadges2.issuer_of(document) if _version(document) == 2 else document.get("issuer")
    revocable = isinstance(issuer, dict) and issuer.get("revocationList")
    revocation = " Its issuer's revocation list was not checked." if revocable else ""
    # Not a warning on a valid verdict: anyone can recompute a certificate's hash and
    # Merkle root, and MerkleProof2017/2019 carry no issuer signature; only the anchoring
    # transaction, sent from an address the issuer lists, shows that the issuer published
    # the root. Until both are checked the certificate is unverified (never "valid").
    why = "which was not asked (checking online is off)"
    if anchors_online is not None:
        try:
            anchored = _check_anchor(document, proof, anchors[0], issuer, anchors_online)
        except FetchError as failure:
            why = "which could not be read: " + str(failure).rstrip(".")
        else:
            if revocable:
                reading.warnings.append(Warning_(WarningCode.STATUS_UNCHECKED, revocation.strip()))
            reading.anchored = anchored
            return
    raise CredentialFailure(Reason.UNKNOWN_KEY, "Integrity verified, blockchain anchor not checked: the "
                            f"{NAME} is unchanged since its Merkle root was computed, but that its issuer "
                            f"published that root ({where}) is proven only on the blockchain, {why}. "
                            "Anyone can compute such a root, so who issued it is not verified." + revocation)


def _check_anchor(document: dict, proof: dict, anchor: dict, issuer: Any, online) -> str:
    """The sentence saying where the root is anchored; CredentialFailure when the chain says
    otherwise, FetchError when it could not be asked (the anchor stays unchecked)."""
    tx, tx_day = online.transaction(anchor["chain"], anchor["sourceId"])
    if proof["merkleRoot"] not in tx.data:
        found = ", ".join(d[:64] for d in tx.data[:2]) or "no data"
        raise CredentialFailure(Reason.TAMPERED, f"The {NAME}'s blockchain anchor does not match: "
                                f"{anchor['chain']} transaction {tx.txid[:80]} carries {found}, not the "
                                f"Merkle root {proof['merkleRoot']} of this certificate.")
    issuer_url = openbadges2.text_of(issuer.get("id") if isinstance(issuer, dict) else issuer) or ""
    if not issuer_url.startswith("https://"):
        raise FetchError(f"the root is in {anchor['chain']} transaction {tx.txid[:80]}, but the issuer "
                         f"{issuer_url[:120] or '(unnamed)'} is not an https profile, whose listed "
                         "addresses this vault could compare with the sender")
    profile, profile_day = online.profile(issuer_url)
    if tx.sender is None or tx.sender.lower() not in profile_addresses(profile, tx.chain, tx.block_time):
        raise CredentialFailure(Reason.WRONG_KEY, f"The {NAME}'s Merkle root was anchored in "
                                f"{anchor['chain']} transaction {tx.txid[:80]} by the address "
                                f"{(tx.sender or 'unknown')[:100]}, which the issuer's profile at "
                                f"{issuer_url[:120]} does not list as its own: the issuer did not publish it.")
    when = f", block time {tx.block_time[:16].replace('T', ' ')} UTC" if tx.block_time else \
        f", block {tx.block}" if tx.block is not None else ""
    days = sorted(d for d in (tx_day, profile_day) if d)
    saved = f" (anchor checked on {days[0]}, saved copy)" if days else ""
    return f"Anchored in {anchor['chain']} tx {tx.txid[:80]}{when}{saved}"
