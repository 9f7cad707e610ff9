"""Verification per proof suite, ours against Digital Bazaar's on the same input.

The interop Open Badge (tests/fixtures/interop/di-eddsa-rdfc-2022, its proof removed) is
issued again by a did:key of each suite's key type (fixed seeds) and signed by our
signer: Ed25519Signature2020 and Ed25519Signature2018 (their suite context added),
ecdsa-rdfc-2019 with P-256 and P-384, ecdsa-jcs-2019 with P-256, JsonWebSignature2020
with Ed25519, and a DCC-style proof set (Ed25519Signature2020 + eddsa-rdfc-2022, one
key). Each signed credential is then verified, warm, by ``check`` here and by Digital
Bazaar's ``vc.verifyCredential`` (tests/node/verify.mjs ``--bench``) with the suite
packages pinned in tests/node. Digital Bazaar has no JsonWebSignature2020 suite: that
row has ours only.
"""

from __future__ import annotations

import copy
import hashlib
import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.common import ROOT

BASE = ROOT / "tests" / "fixtures" / "interop" / "di-eddsa-rdfc-2022" / "valid-01-open-badge.json"
ED2020 = "https://w3id.org/security/suites/ed25519-2020/v1"
ED2018 = "https://w3id.org/security/suites/ed25519-2018/v1"
JWS2020 = "https://w3id.org/security/suites/jws-2020/v1"
NO_PEER_JWS = "Digital Bazaar has no JsonWebSignature2020 suite"

# id, words, suites signed in order (one proof each: two make a proof set), key, extra context
CASES = (
    ("verify-suite-ed2020", "Ed25519Signature2020", ("Ed25519Signature2020",), "ed25519", ED2020),
    ("verify-suite-ed2018", "Ed25519Signature2018", ("Ed25519Signature2018",), "ed25519", ED2018),
    ("verify-suite-ecdsa-rdfc-p256", "ecdsa-rdfc-2019, P-256", ("ecdsa-rdfc-2019",), "p256", None),
    ("verify-suite-ecdsa-rdfc-p384", "ecdsa-rdfc-2019, P-384", ("ecdsa-rdfc-2019",), "p384", None),
    ("verify-suite-ecdsa-jcs-p256", "ecdsa-jcs-2019, P-256", ("ecdsa-jcs-2019",), "p256", None),
    ("verify-suite-jws2020", "JsonWebSignature2020, EdDSA", ("JsonWebSignature2020",), "ed25519", JWS2020),
    ("verify-suite-proof-set", "a proof set: Ed25519Signature2020 + eddsa-rdfc-2022 by one key (as DCC signs)",
     ("Ed25519Signature2020", "eddsa-rdfc-2022"), "ed25519", ED2020),
)


def _key(kind: str):
    """(private key, did:key, verification method) from a fixed seed."""
    from vault.did import did_key, multikey

    seed = hashlib.sha256(f"blocktrack-vault/bench/suites/{kind}".encode()).digest()
    if kind == "ed25519":
        key = Ed25519PrivateKey.from_private_bytes(seed)
        did = did_key.from_ed25519(key.public_key().public_bytes_raw())
    else:
        curve, codec = {"p256": (ec.SECP256R1(), "p256-pub"), "p384": (ec.SECP384R1(), "p384-pub")}[kind]
        key = ec.derive_private_key(int.from_bytes(seed, "big") % 2 ** 250, curve)
        point = key.public_key().public_bytes(serialization.Encoding.X962,
                                              serialization.PublicFormat.CompressedPoint)
        did = "did:key:" + multikey.encode(codec, point)
    return key, did, f"{did}#{did_key.fingerprint(did)}"


def signed_inputs() -> list[tuple[str, str, bytes]]:
    """(id, words, the signed credential's bytes) for each case."""
    from vault.credentials import data_integrity

    base = json.loads(BASE.read_bytes())
    base.pop("proof")
    out = []
    for id_, words, suites, kind, context in CASES:
        key, did, method = _key(kind)
        document = copy.deepcopy(base)
        document["issuer"]["id"] = did
        if context:
            document["@context"].append(context)
        for suite in suites:
            document = data_integrity.sign(document, key, method, cryptosuite=suite, created="2025-01-15T00:00:00Z")
        out.append((id_, words, json.dumps(document).encode()))
    return out


def section(runs: int, missing: str | None, figure, time_calls) -> tuple[list[dict], dict]:
    """The per-suite figures (``figure`` and ``time_calls`` are bench.run's)."""
    from tests.peers.node import node_bench
    from vault.credentials.verify import check

    figures, detail = [], {}
    for id_, words, data in signed_inputs():
        verdict = check(data).verdict
        if not verdict.valid:
            raise RuntimeError(f"{id_}: our verifier refused our own signature: {verdict.message}")
        ours = time_calls(lambda data=data: check(data), runs, warmup=5)
        theirs, absent = None, missing
        if id_ == "verify-suite-jws2020":
            absent = NO_PEER_JWS
        elif missing is None:
            result = node_bench("credential", json.loads(data), runs)
            if not result["verified"]:
                raise RuntimeError(f"Digital Bazaar vc refused {id_}: {result['errors']}")
            theirs = {"median_ms": result["median_ms"], "min_ms": result["min_ms"], "max_ms": result["max_ms"],
                      "n": result["runs"]}
        detail[id_] = {"ours": ours, "theirs": theirs, "bytes": len(data)}
        figures.append(figure(id_, f"verify a DI credential, {words} (the OB 3.0 fixture re-signed)", ours,
                              peer="Digital Bazaar vc", theirs=theirs, missing=absent,
                              budget="≤ Digital Bazaar's vc, same input", ratio_limit=1.0))
    return figures, detail
